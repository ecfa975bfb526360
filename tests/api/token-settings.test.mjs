// GET /_emulator/tokens/settings: the token settings in force for an account, after the server
// defaults (--token-limit, --token-activation-delay) and a PUT that changes some of them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertProblem, startServer } from './helpers.mjs';
import { control } from './token-helpers.mjs';

let server;

before(async () => {
	server = await startServer({ args: ['--token-limit', '7', '--token-activation-delay', '0'] });
});
after(() => server?.close());

test('GET answers the settings in force: the server defaults, then what a PUT changed', async () => {
	const first = await control(server, 'GET', '/_emulator/tokens/settings');
	assert.equal(first.status, 200);
	assert.deepEqual(first.json, {
		account: '1-DEFAULT',
		workflow: 'auto',
		tokenLimit: 7,
		activationDelaySeconds: 0,
		contact: { email: '', registeredAccount: false, active: false },
	});
	assert.equal((await control(server, 'PUT', '/_emulator/tokens/settings', { workflow: 'legacy', tokenLimit: 3 })).status, 200);
	const after1 = await control(server, 'GET', '/_emulator/tokens/settings?account=1-DEFAULT');
	assert.deepEqual([after1.json.workflow, after1.json.tokenLimit, after1.json.activationDelaySeconds], ['legacy', 3, 0]);
	assert.equal((await control(server, 'PUT', '/_emulator/tokens/settings', { workflow: null, tokenLimit: null })).status, 200);
	const back = await control(server, 'GET', '/_emulator/tokens/settings');
	assert.deepEqual(back.json, first.json);
});

test('GET for an account that does not exist is 404', async () => {
	assertProblem(await control(server, 'GET', '/_emulator/tokens/settings?account=1-NOPE'), 404, 'EKV_9000', "Account '1-NOPE' does not exist.");
});
