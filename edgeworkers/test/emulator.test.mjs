// startEmulator(): private emulators (two at once here, each routed separately), their
// control helpers, seeds, auth modes and edgerc, and the token command (bin/tokens.mjs) with
// its messages for bad use.
import '../register.mjs';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { httpRequest } from '../builtins/http-request.mjs';
import { management, readEdgerc, send } from '../lib/client.mjs';
import { startEmulator } from '../testing.mjs';
import { KIT, makeProject } from './helpers.mjs';

const TOKENS_BIN = join(KIT, 'bin/tokens.mjs');
const itemUrl = (group, item) => `https://edgekv.akamai-edge-svcs.net/api/v1/namespaces/default/groups/${group}/items/${item}`;

async function tokenRef(emu) {
	const { text } = await emu.tokens({ namespaces: ['default'] });
	return /"reference": "([^"]+)"/.exec(text)[1];
}

/** A data-plane call inside emu.run(): what the EdgeWorker's httpRequest would get. */
function dp(emu, ref, method, group, item, body) {
	return emu.run(async () => {
		const res = await httpRequest(itemUrl(group, item), { method, body, headers: { 'X-Akamai-EdgeDB-Auth-Ref': [ref] } });
		return { status: res.status, body: await res.text() };
	});
}

describe('two emulators in parallel', () => {
	let a, b, refA, refB;
	before(async () => {
		[a, b] = await Promise.all([startEmulator({ clock: '2030-01-01T00:00:00Z' }), startEmulator({ clock: '2031-01-01T00:00:00Z' })]);
		[refA, refB] = await Promise.all([tokenRef(a), tokenRef(b)]);
	});
	after(() => Promise.all([a?.stop(), b?.stop()]));

	test('each has its own ports, database and clock', async () => {
		assert.notEqual(a.url, b.url);
		assert.match(a.url, /^http:\/\/127\.0\.0\.1:\d+$/);
		assert.equal(await a.now(), '2030-01-01T00:00:00.000Z');
		assert.equal(await b.now(), '2031-01-01T00:00:00.000Z');
	});

	test('run() routes each concurrent call to its own emulator', async () => {
		const writes = await Promise.all([dp(a, refA, 'PUT', 'g', 'who', 'A'), dp(b, refB, 'PUT', 'g', 'who', 'B')]);
		assert.deepEqual(writes.map((w) => w.status), [200, 200]);
		const reads = await Promise.all([dp(a, refA, 'GET', 'g', 'who'), dp(b, refB, 'GET', 'g', 'who')]);
		assert.deepEqual(reads, [{ status: 200, body: 'A' }, { status: 200, body: 'B' }]);
		assert.equal((await dp(b, refA, 'GET', 'g', 'who')).status, 401, "a's token means nothing to b");
	});

	test('clock helpers: set, advance, freeze', async () => {
		await a.setClock('2030-02-01T00:00:00Z');
		await a.advanceClock(3600);
		assert.equal(await a.now(), '2030-02-01T01:00:00.000Z');
		assert.equal((await a.freezeClock(false)).frozen, false);
		assert.equal((await a.freezeClock()).frozen, true);
	});

	test('settle makes delayed writes visible; reset goes back to the start world', async () => {
		await a.settings({ consistency: 'eventual' });
		assert.equal((await dp(a, refA, 'PUT', 'g', 'late', 'v')).status, 200);
		assert.equal((await dp(a, refA, 'GET', 'g', 'late')).status, 404, 'not visible yet');
		assert.deepEqual(await a.settle(), { settled: true });
		assert.deepEqual(await dp(a, refA, 'GET', 'g', 'late'), { status: 200, body: 'v' });
		assert.deepEqual(await a.reset(), { reset: 'all' });
		assert.equal((await dp(a, refA, 'GET', 'g', 'late')).status, 401, 'the token went with the reset');
		refA = await tokenRef(a);
		assert.equal((await dp(a, refA, 'GET', 'g', 'late')).status, 404, 'so did the item');
	});

	test('addFault and clearFaults', async () => {
		const fault = await b.addFault({ pathPrefix: '/api/v1/', status: 503 });
		assert.equal(typeof fault.id, 'number');
		assert.equal((await dp(b, refB, 'GET', 'g', 'who')).status, 503);
		await b.clearFaults();
		assert.equal((await dp(b, refB, 'GET', 'g', 'who')).status, 200);
	});
});

describe('options', { concurrency: true }, () => {
	test('the edgerc section signs management calls; authMode off takes unsigned ones', async () => {
		const [strict, off] = await Promise.all([startEmulator(), startEmulator({ authMode: 'off' })]);
		try {
			assert.match(strict.edgerc, /^\[default\]\nclient_secret = \S+\nhost = 127\.0\.0\.1:\d+\n/);
			assert.ok(strict.edgerc.includes(`[http]\nclient_secret = ${strict.credentials.client_secret}\nhost = ${strict.url}#https://x\n`));
			assert.equal(readFileSync(strict.edgercPath, 'utf8'), strict.edgerc);
			const creds = readEdgerc(strict.edgercPath, 'http');
			assert.equal((await management(strict.url, creds, 'GET', '/edgekv/v1/initialize')).status, 200);
			assert.equal((await send(strict.url, 'GET', '/edgekv/v1/initialize')).status, 401);
			assert.equal((await send(off.url, 'GET', '/edgekv/v1/initialize')).status, 200);
		} finally {
			await Promise.all([strict.stop(), off.stop()]);
		}
	});

	test('a seed document: its world, its API client in edgerc', async () => {
		const client = { clientToken: 'akab-seed-client-0000000000000000', accessToken: 'akab-seed-access-0000000000000000', clientSecret: 'c2VlZC1zZWNyZXQtc2VlZC1zZWNyZXQtMDAwMDAwMA==', user: 'dev' };
		const seed = {
			accounts: [
				{
					id: '1-DEFAULT',
					users: [{ name: 'dev', email: 'dev@example.com', roles: [{ groupId: 0, role: 'admin' }] }],
					clients: [client],
					items: [{ network: 'staging', namespace: 'default', group: 'cfg', key: 'mode', value: 'seeded' }],
				},
			],
		};
		const emu = await startEmulator({ seed });
		try {
			assert.equal(emu.credentials.client_token, client.clientToken);
			const res = await management(emu.url, readEdgerc(emu.edgercPath, 'http'), 'GET', '/edgekv/v1/networks/staging/namespaces/default/groups/cfg/items/mode');
			assert.deepEqual([res.status, res.body], [200, 'seeded']);
			assert.deepEqual(await dp(emu, await tokenRef(emu), 'GET', 'cfg', 'mode'), { status: 200, body: 'seeded' });
		} finally {
			await emu.stop();
		}
	});

	test('network production: tokens allow it and requests say so; a staging-only token is refused', async () => {
		const emu = await startEmulator({ network: 'production' });
		try {
			const ref = await tokenRef(emu);
			assert.equal((await dp(emu, ref, 'PUT', 'g', 'k', 'on production')).status, 200);
			const onProd = await management(emu.url, emu.credentials, 'GET', '/edgekv/v1/networks/production/namespaces/default/groups/g/items/k');
			assert.deepEqual([onProd.status, onProd.body], [200, 'on production']);
			const { text } = await emu.tokens({ namespaces: ['default'], token: 'staging_only', network: 'staging' });
			const stagingRef = /"reference": "([^"]+)"/.exec(text)[1];
			const denied = await dp(emu, stagingRef, 'GET', 'g', 'k');
			assert.equal(denied.status, 403);
			assert.equal(JSON.parse(denied.body).detail, 'The EdgeKV access token is not valid on the production network.');
		} finally {
			await emu.stop();
		}
	});

	test('stop() removes the throw-away database', async () => {
		const emu = await startEmulator();
		const dir = join(emu.edgercPath, '..');
		assert.ok(existsSync(join(dir, 'edgekv.db')));
		await emu.stop();
		assert.equal(existsSync(dir), false);
	});

	test('a binary that is not there is named', async () => {
		await assert.rejects(startEmulator({ bin: '/nonexistent/edgekv-emulator' }), {
			message: 'edgekv-emulator binary not found (tried /nonexistent/edgekv-emulator): build it with make, or set EDGEKV_EMULATOR_BIN',
		});
	});

	test('an enhanced token still activating on a frozen clock gets a warning that says what to do', async () => {
		const emu = await startEmulator({ clock: '2030-01-01T00:00:00Z', tokenActivationDelay: 30 });
		try {
			const res = await emu.tokens({ namespaces: ['default'], waitMs: 200 });
			assert.match(res.created, /^ewkit_/);
			assert.equal(
				res.warning,
				`token '${res.created}' is still IN_PROGRESS on the emulator clock, so the data plane answers 401 until it activates: ` +
					'advance the clock (POST /_emulator/clock {"advanceSeconds": N}) or start the emulator with --token-activation-delay 0',
			);
		} finally {
			await emu.stop();
		}
	});
});

describe('bin/tokens.mjs', () => {
	let emu;
	before(async () => {
		emu = await startEmulator();
	});
	after(() => emu?.stop());

	// Asynchronous: spawnSync would hold this process for the whole run.
	const cli = (...args) =>
		new Promise((res) =>
			execFile(process.execPath, [TOKENS_BIN, ...args], { encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) =>
				res({ status: err ? (err.code ?? 1) : 0, stdout, stderr }),
			),
		);

	test('creates a token when none exists, writes edgekv_tokens.js, and reuses it the next time', async () => {
		const dir = makeProject();
		const common = ['--url', emu.url, '--edgerc', emu.edgercPath, '--section', 'http', '--namespace', 'default', '--out', dir];
		const first = await cli(...common);
		assert.equal(first.status, 0, first.stderr);
		const created = /^created token '(ewkit_\w+)'$/m.exec(first.stderr)?.[1];
		assert.ok(created, first.stderr);
		assert.match(first.stderr, new RegExp(`^wrote ${dir}/edgekv_tokens.js$`, 'm'));
		const text = readFileSync(join(dir, 'edgekv_tokens.js'), 'utf8');
		assert.match(text, new RegExp(`^var edgekv_access_tokens = \\{\\n  "namespace-default": \\{\\n    "name": "${created}",\\n    "reference": "[0-9a-f-]{36}"\\n  \\}\\n\\};\\nexport \\{ edgekv_access_tokens \\};\\n$`));
		const second = await cli(...common);
		assert.equal(second.status, 0, second.stderr);
		assert.doesNotMatch(second.stderr, /created token/);
		assert.equal(readFileSync(join(dir, 'edgekv_tokens.js'), 'utf8'), text);
	});

	test('--expiry makes a legacy JWT token; without --out the file goes to stdout', async () => {
		const r = await cli('--url', emu.url, '--edgerc', emu.edgercPath, '--section', 'http', '--namespace', 'default', '--expiry', '2099-01-01', '--token', 'jwt_tok');
		// 2099 is beyond six months of the emulator's (wall) clock: the service's own refusal comes through.
		assert.equal(r.status, 1);
		assert.equal(
			r.stderr,
			"error: creating token 'jwt_tok' on the emulator at " + emu.url + ' failed with 400: Expiry must be a date (YYYY-MM-DD) from tomorrow to six months from today.\n',
		);
		const tomorrow = new Date(Date.now() + 2 * 86400_000).toISOString().slice(0, 10);
		const ok = await cli('--url', emu.url, '--edgerc', emu.edgercPath, '--section', 'http', '--namespace', 'default', '--expiry', tomorrow, '--token', 'jwt_tok');
		assert.equal(ok.status, 0, ok.stderr);
		assert.match(ok.stdout, /"namespace-default": \{\n {4}"name": "jwt_tok",\n {4}"value": "eyJ[\w-]+\.[\w-]+\.[\w-]+"\n/);
	});

	test('--no-create: no token for a namespace says how to make one', async () => {
		const r = await cli('--url', emu.url, '--namespace', 'nobody_ns', '--no-create');
		assert.equal(r.status, 1);
		assert.equal(
			r.stderr,
			`error: no live EdgeKV access token grants namespace nobody_ns on the emulator at ${emu.url}; make one with: ` +
				'node <kit>/bin/tokens.mjs --namespace nobody_ns --out <folder of edgekv.js>\n',
		);
	});

	test('no emulator running: the URL tried is named', async () => {
		const r = await cli('--url', 'http://127.0.0.1:9', '--namespace', 'default');
		assert.equal(r.status, 1);
		assert.equal(
			r.stderr,
			'error: no EdgeKV emulator answers at http://127.0.0.1:9 (ECONNREFUSED): start one (make run, or edgekv-emulator ' +
				'--http-port 8080) or point EDGEKV_EMULATOR_URL (or --url) at it\n',
		);
	});

	test('usage errors', async () => {
		const r = await cli('--out', 'x');
		assert.equal(r.status, 2);
		assert.match(r.stderr, /^--namespace is required\n\nusage: node bin\/tokens.mjs/);
		assert.equal((await cli('--namespace', 'a', '--network', 'prod')).stderr, '--network must be staging or production\n');
		assert.equal((await cli('--namespace', 'bad name!')).stderr, "error: 'bad name!' is not a namespace name (1-32 of A-Z a-z 0-9 _ -)\n");
	});
});

describe('bundle()', () => {
	test('copies the folder, writes the tokens into the copy only, and imports main.js', async () => {
		const emu = await startEmulator();
		try {
			const dir = makeProject();
			const main = await emu.bundle(dir, { namespaces: ['default'] });
			assert.equal(typeof main.onClientRequest, 'function');
			assert.equal(existsSync(join(dir, 'edgekv_tokens.js')), false, 'the original folder is untouched');
			await assert.rejects(emu.bundle(join(KIT, 'lib'), { namespaces: ['default'] }), {
				message: `${join(KIT, 'lib')} is not an EdgeWorker bundle folder (no main.js or bundle.json)`,
			});
		} finally {
			await emu.stop();
		}
	});
});
