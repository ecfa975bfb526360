// Access tokens: POST/GET/DELETE /tokens, refresh, both workflows, the limit, the signing key
// and the edgekv_tokens.js bundle (docs/behaviour.md §5.6-5.7, docs/clients.md §3).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { assertJson, assertProblem, assertSchema, nsPath, namespaceBody, startServer, uniqueName, V1 } from './helpers.mjs';
import {
	TOKENS,
	DAY_MS,
	addMonths,
	advanceClock,
	b64url,
	cliTokenBody,
	control,
	createToken,
	day,
	decodeJwt,
	importTokenFile,
	publishedKey,
	rs256Valid,
	setClock,
	tokenSettings,
} from './token-helpers.mjs';

const START = '2030-01-10T10:00:00Z';
const NAME_INVALID = 'Name contains invalid characters.';

let server;
let now;
let cpcode;

before(async () => {
	server = await startServer();
	now = await setClock(server, START);
	cpcode = assertJson(await server.get(`${V1}/initialize`), 200).cpcode;
});
after(async () => {
	await server?.close();
});

function post(body) {
	return server.post(TOKENS, typeof body === 'string' ? body : JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });
}

describe('an account without tokens', () => {
	test('GET /tokens answers 404 "No tokens exist." (example list-tokens-404 of the 2023 spec)', async () => {
		assertProblem(await server.cli('GET', TOKENS, { metric: 'List/tokens' }), 404, 'EKV_3000', 'No tokens exist.');
		assertProblem(await server.get(`${TOKENS}?includeExpired=true`), 404, 'EKV_3000', 'No tokens exist.');
	});
});

describe('POST /tokens, enhanced workflow (what today\'s CLI gets)', () => {
	test('the CLI body (restrictToEwids ["all"], expiry "") makes an enhanced token with every field the CLI reads', async () => {
		const tok = await createToken(server, 'cli_token', { namespaces: { default: ['r', 'w'] } });
		assertSchema('token-enhanced', tok);
		assert.equal(tok.name, 'cli_token');
		assert.equal(tok.expiry, '9999-12-31');
		assert.equal(tok.tokenActivationStatus, 'IN_PROGRESS');
		assert.equal(tok.issueDate, '2030-01-10');
		assert.equal(tok.latestRefreshDate, null);
		assert.equal(tok.nextScheduledRefreshDate, '2030-03-10');
		assert.equal(tok.cpcode, cpcode);
		assert.deepEqual(tok.restrictToEdgeWorkerIds, ['all']);
		assert.equal(tok.allowOnStaging, true);
		assert.equal(tok.allowOnProduction, false);
		assert.deepEqual(tok.namespacePermissions, { default: ['r', 'w'] });
		assert.match(tok.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a version 5 uuid like the real ones');
		assert.equal(tok.value, undefined, 'enhanced tokens carry no JWT');
	});

	test('activation completes after the configured delay on the emulator clock', async () => {
		const get = async () => assertJson(await server.get(`${TOKENS}/cli_token`), 200);
		assert.equal((await get()).tokenActivationStatus, 'IN_PROGRESS');
		await advanceClock(server, 5);
		now += 5000;
		assert.equal((await get()).tokenActivationStatus, 'COMPLETE');
	});

	test('the Go client body (restrictToEdgeWorkerIds, no expiry) keeps its EdgeWorker ids', async () => {
		await setupNamespace('devexp');
		const res = await post({
			allowOnProduction: false,
			allowOnStaging: true,
			name: 'devexp-token-1',
			namespacePermissions: { default: ['r', 'w', 'd'], devexp: ['r', 'w'] },
			restrictToEdgeWorkerIds: ['1234', '5678'],
		});
		const tok = assertJson(res, 200, 'token-enhanced');
		assert.deepEqual(tok.restrictToEdgeWorkerIds, ['1234', '5678']);
		assert.deepEqual(tok.namespacePermissions, { default: ['r', 'w', 'd'], devexp: ['r', 'w'] });
	});

	test('Postman\'s booleans as strings are accepted', async () => {
		const res = await post({ name: 'postman_tok', allowOnProduction: 'true', allowOnStaging: 'false', namespacePermissions: { default: ['r'] } });
		const tok = assertJson(res, 200, 'token-enhanced');
		assert.equal(tok.allowOnProduction, true);
		assert.equal(tok.allowOnStaging, false);
	});
});

describe('POST /tokens, legacy workflow (the expiring legacy JWT tokens)', () => {
	test('an expiry date gives a legacy token whose JWT carries the docs/behaviour.md §5.6 claims, signed with the published key', async () => {
		const res = await post({
			allowOnProduction: true,
			allowOnStaging: true,
			expiry: '2030-03-30',
			name: 'my_token',
			namespacePermissions: { default: ['r', 'd', 'w'] },
		});
		const tok = assertJson(res, 200, 'token-legacy');
		assert.deepEqual(Object.keys(tok), ['expiry', 'name', 'uuid', 'value']);
		assert.equal(tok.expiry, '2030-03-30');
		const { header, headerText, claims } = decodeJwt(tok.value);
		assert.equal(headerText, '{"typ":"JWT","alg":"RS256"}');
		assert.equal(header.alg, 'RS256');
		assert.deepEqual(claims['namespace-default'], ['r', 'd', 'w']);
		assert.deepEqual(claims.env, ['p', 's']);
		assert.equal(claims.ewids, 'all');
		assert.equal(claims.cpc, cpcode);
		assert.equal(claims.jti, tok.uuid);
		assert.equal(claims.exp, Date.UTC(2030, 2, 30, 23, 59, 59) / 1000, 'exp is 23:59:59 UTC of the expiry day');
		assert.equal(claims.iat, Math.floor(now / 1000));
		assert.ok(rs256Valid(tok.value, await publishedKey(server)), 'verifies with the JWKS key');
		// The PEM publishes the same key.
		const pem = await control(server, 'GET', '/_emulator/tokens/public-key.pem');
		assert.equal(pem.status, 200);
		assert.match(pem.body, /^-----BEGIN PUBLIC KEY-----\n/);
		assert.ok(rs256Valid(tok.value, pem.body));
	});

	test('the CLI\'s date-time expiry and restricted EdgeWorker ids go into the JWT', async () => {
		const tok = await createToken(server, 'cli_legacy', { expiry: '2030-02-01T00:00:00Z', ewids: ['1234', '5678'], staging: true, production: false });
		assertSchema('token-legacy', tok);
		assert.equal(tok.expiry, '2030-02-01');
		const { claims } = decodeJwt(tok.value);
		assert.deepEqual(claims.ewids, ['1234', '5678']);
		assert.deepEqual(claims.env, ['s']);
	});

	test('a legacy expiry must lie between tomorrow and six months ahead', async () => {
		const detail = 'Expiry must be a date (YYYY-MM-DD) from tomorrow to six months from today.';
		for (const expiry of ['2030-01-10', '2030-01-09', '2030-07-11', '2031-01-01', '30-01-2030', '2030-02-30', 'soon'])
			assertProblem(await post(cliTokenBody(`exp_${uniqueName('t')}`.slice(0, 32), { expiry })), 400, 'EKV_2000', detail);
		for (const [i, expiry] of ['2030-01-11', '2030-07-10'].entries())
			assertJson(await post(cliTokenBody(`bounds_${i}`, { expiry })), 200, 'token-legacy');
	});

	test('the per-account workflow setting: legacy requires an expiry, enhanced ignores one', async () => {
		await tokenSettings(server, { workflow: 'legacy' });
		assertProblem(await post(cliTokenBody('wf_legacy')), 400, 'EKV_2000', "The 'expiry' field is required.");
		assertJson(await post(cliTokenBody('wf_legacy', { expiry: '2030-02-01' })), 200, 'token-legacy');
		await tokenSettings(server, { workflow: 'enhanced' });
		const tok = assertJson(await post(cliTokenBody('wf_enhanced', { expiry: '2030-02-01' })), 200, 'token-enhanced');
		assert.equal(tok.expiry, '9999-12-31');
		const settings = await tokenSettings(server, { workflow: null });
		assert.equal(settings.workflow, 'auto');
	});
});

describe('POST /tokens errors', () => {
	test('a name in use answers 409 (example token-409 of the 2023 spec)', async () => {
		await createToken(server, 'dup_token');
		assertProblem(await post(cliTokenBody('dup_token')), 409, 'EKV_3000', 'Token with name dup_token is already stored.');
	});

	test('a JSON syntax error or duplicate attributes answer 422 (example token-422 of the 2023 spec)', async () => {
		const detail = 'The JSON request body contained a syntax error or duplicate attributes.';
		assertProblem(await post('{"name": "x",'), 422, 'EKV_2001', detail);
		assertProblem(await post('{"name":"a","name":"b","allowOnProduction":false,"allowOnStaging":true,"namespacePermissions":{"default":["r"]}}'), 422, 'EKV_2001', detail);
		assertProblem(await post('{"name":"a","allowOnProduction":false,"allowOnStaging":true,"namespacePermissions":{"default":["r"],"default":["w"]}}'), 422, 'EKV_2001', detail);
	});

	test('bad names answer 400 "Name contains invalid characters." (1-32 of A-Za-z0-9_-, no leading dash)', async () => {
		for (const name of ['', 'a'.repeat(33), '-lead', 'has space', 'semi;colon', 'dot.name', 'ünï', 42])
			assertProblem(await post(cliTokenBody(name)), 400, 'EKV_2000', NAME_INVALID);
		assertJson(await post(cliTokenBody('a'.repeat(32))), 200);
		assertJson(await post(cliTokenBody('mid-dash_9')), 200);
	});

	test('bad permissions answer 400 "Invalid permission"', async () => {
		for (const perms of [['x'], [], ['r', 'r'], ['r', 'w', 'd', 'r'], 'rw', [1], ['rw']])
			assertProblem(await post(cliTokenBody('perm_tok', { namespaces: { default: perms } })), 400, 'EKV_2000', 'Invalid permission');
	});

	test('namespaces must exist, number 1-20 and share one data access policy', async () => {
		assertProblem(await post(cliTokenBody('ns_tok', { namespaces: { nowhere: ['r'] } })), 400, 'EKV_9000', 'The requested namespace does not exist.');
		assertProblem(await post(cliTokenBody('ns_tok', { namespaces: {} })), 400, 'EKV_2000', "The value of 'namespacePermissions' is not valid.");
		const many = {};
		for (let i = 0; i < 21; i++) many[`n${i}`] = ['r'];
		assertProblem(await post(cliTokenBody('ns_tok', { namespaces: many })), 400, 'EKV_2000', "The value of 'namespacePermissions' is not valid.");
		// A production-only namespace is not there for a staging-only token.
		const prod = uniqueName('prod');
		assertJson(await server.post(nsPath('production'), JSON.stringify(namespaceBody(prod))), 200);
		assertProblem(await post(cliTokenBody('ns_tok', { namespaces: { [prod]: ['r'] } })), 400, 'EKV_9000', 'The requested namespace does not exist.');
		assertJson(await post(cliTokenBody('ns_prod', { namespaces: { [prod]: ['r'] }, production: true, staging: false })), 200);
		// Mixed data access policies.
		assertJson(await server.put(`${V1}/auth/database`, JSON.stringify({ dataAccessPolicy: { restrictDataAccess: true, allowNamespacePolicyOverride: true } }), { headers: { 'Content-Type': 'application/json' } }), 200);
		const open = uniqueName('open');
		assertJson(await server.post(nsPath('staging'), JSON.stringify(namespaceBody(open, { dataAccessPolicy: { restrictDataAccess: false } }))), 200);
		assertProblem(await post(cliTokenBody('ns_tok', { namespaces: { default: ['r'], [open]: ['r'] } })), 400, 'EKV_2000', 'All namespaces of a token must have the same data access policy.');
		assertJson(await post(cliTokenBody('ns_open', { namespaces: { [open]: ['r'] } })), 200);
	});

	test('a token needs at least one network and both network flags', async () => {
		assertProblem(await post(cliTokenBody('net_tok', { staging: false, production: false })), 400, 'EKV_2000', 'At least one of allowOnProduction and allowOnStaging must be true.');
		assertProblem(await post({ name: 'net_tok', allowOnProduction: true, namespacePermissions: { default: ['r'] } }), 400, 'EKV_2000', "The 'allowOnStaging' field is required.");
		assertProblem(await post({ allowOnProduction: true, allowOnStaging: true, namespacePermissions: { default: ['r'] } }), 400, 'EKV_2000', "The 'name' field is required.");
		assertProblem(await post({ name: 'net_tok', allowOnProduction: true, allowOnStaging: true }), 400, 'EKV_2000', "The 'namespacePermissions' field is required.");
		assertProblem(await post({ ...cliTokenBody('net_tok'), allowOnStaging: 'yes' }), 400, 'EKV_2000', "The value of 'allowOnStaging' is not valid.");
		assertProblem(await post({ ...cliTokenBody('net_tok'), extra: 1 }), 400, 'EKV_2000', "Unrecognized field 'extra'.");
		assertProblem(await post({ ...cliTokenBody('net_tok'), restrictToEwids: 'all' }), 400, 'EKV_2000', "The value of 'restrictToEwids' is not valid.");
		assertProblem(await post({ ...cliTokenBody('net_tok'), restrictToEwids: ['1', '2', '3', '4', '5', '6', '7', '8', '9'] }), 400, 'EKV_2000', "The value of 'restrictToEwids' is not valid.");
	});
});

describe('GET, DELETE and refresh of one token', () => {
	test('GET /tokens/{name} downloads the token as created (CLI download token)', async () => {
		const made = await createToken(server, 'dl_token');
		const got = assertJson(await server.cli('GET', `${TOKENS}/dl_token`, { metric: 'Download/token' }), 200, 'token-enhanced');
		assert.equal(got.uuid, made.uuid);
		const legacy = assertJson(await server.get(`${TOKENS}/my_token`), 200, 'token-legacy');
		assert.ok(rs256Valid(legacy.value, await publishedKey(server)));
	});

	test('missing tokens answer 404 and bad names 400 on GET, DELETE and refresh', async () => {
		for (const [method, suffix] of [['GET', ''], ['DELETE', ''], ['POST', '/refresh']]) {
			assertProblem(await server.request(method, `${TOKENS}/token1${suffix}`), 404, 'EKV_3000', 'Token with name token1 does not exist.');
			assertProblem(await server.request(method, `${TOKENS}/-bad${suffix}`), 400, 'EKV_2000', NAME_INVALID);
			assertProblem(await server.request(method, `${TOKENS}/${'x'.repeat(33)}${suffix}`), 400, 'EKV_2000', NAME_INVALID);
		}
	});

	test('DELETE revokes: 200 {name, uuid}, then 404, and the name is free again', async () => {
		const made = await createToken(server, 'rv_token');
		const res = await server.cli('DELETE', `${TOKENS}/rv_token`, { metric: 'Delete/token' });
		assert.deepEqual(assertJson(res, 200, 'token-revoke'), { name: 'rv_token', uuid: made.uuid });
		assertProblem(await server.get(`${TOKENS}/rv_token`), 404, 'EKV_3000', 'Token with name rv_token does not exist.');
		assertProblem(await server.del(`${TOKENS}/rv_token`), 404, 'EKV_3000', 'Token with name rv_token does not exist.');
		const again = await createToken(server, 'rv_token');
		assert.notEqual(again.uuid, made.uuid);
	});

	test('refresh (CLI: POST, Content-Length 0) restarts activation and moves the refresh dates', async () => {
		await createToken(server, 'rf_token');
		await advanceClock(server, 10 * 86400);
		now += 10 * DAY_MS;
		const res = await server.cli('POST', `${TOKENS}/rf_token/refresh`, { metric: 'Refresh/token' });
		const tok = assertJson(res, 200, 'token-enhanced');
		assert.equal(tok.tokenActivationStatus, 'IN_PROGRESS');
		assert.equal(tok.issueDate, '2030-01-10');
		assert.equal(tok.latestRefreshDate, day(now));
		assert.equal(tok.nextScheduledRefreshDate, addMonths(day(now), 2));
		assert.ok(tok.namespacePermissions, 'the CLI needs namespacePermissions');
		await advanceClock(server, 5);
		now += 5000;
		assert.equal(assertJson(await server.get(`${TOKENS}/rf_token`), 200).tokenActivationStatus, 'COMPLETE');
	});

	test('legacy tokens cannot be refreshed', async () => {
		assertProblem(await server.post(`${TOKENS}/my_token/refresh`, ''), 400, 'EKV_2000', 'Token my_token has an expiry date and cannot be refreshed; create a new token.');
	});
});

describe('GET /tokens', () => {
	test('lists live tokens: legacy entries {expiry,name,uuid}, enhanced ones with their refresh fields', async () => {
		const list = assertJson(await server.cli('GET', TOKENS, { metric: 'List/tokens' }), 200, 'tokens-list');
		const byName = Object.fromEntries(list.tokens.map((t) => [t.name, t]));
		assert.deepEqual(Object.keys(byName.my_token), ['expiry', 'name', 'uuid']);
		assert.equal(byName.cli_token.expiry, '9999-12-31');
		assert.equal(byName.cli_token.tokenActivationStatus, 'COMPLETE');
		assert.equal(byName.rv_token.uuid !== undefined, true);
		assert.equal(byName.namespacePermissions, undefined);
	});

	test('includeExpired adds tokens expired less than 30 days ago; GET answers 410 for them, then 404', async () => {
		// cli_legacy expires at the end of 2030-02-01.
		const s = await setClock(server, '2030-02-02T00:00:00Z');
		now = s;
		let list = assertJson(await server.get(TOKENS), 200, 'tokens-list');
		assert.ok(!list.tokens.some((t) => t.name === 'cli_legacy'));
		list = assertJson(await server.get(`${TOKENS}?includeExpired=true`), 200, 'tokens-list');
		assert.ok(list.tokens.some((t) => t.name === 'cli_legacy'));
		const gone = await server.get(`${TOKENS}/cli_legacy`);
		assertProblem(gone, 410, 'EKV_3000', 'Token has expired.');
		assert.equal(gone.json.title, 'Not Found', '410 is titled Not Found (example token-410 of the 2023 spec)');
		assert.equal(gone.json.type, '/edgekv/error-types/edgekv-not-found');
		assertProblem(await server.get(`${TOKENS}?includeExpired=maybe`), 400, 'EKV_2000', "The value of query parameter 'includeExpired' is not valid.");
		// The name of an expired token is free again.
		assertJson(await post(cliTokenBody('cli_legacy', { expiry: '2030-03-01' })), 200, 'token-legacy');
		await setClock(server, '2030-03-03T00:00:00Z');
		list = assertJson(await server.get(`${TOKENS}?includeExpired=true`), 200, 'tokens-list');
		assert.equal(list.tokens.filter((t) => t.name === 'cli_legacy').length, 2, 'expired on 2030-02-01 and 2030-03-01, both under 30 days');
		assertProblem(await server.get(`${TOKENS}/cli_legacy`), 410, 'EKV_3000', 'Token has expired.');
		await setClock(server, '2030-04-01T00:00:00Z');
		list = assertJson(await server.get(`${TOKENS}?includeExpired=true`), 200, 'tokens-list');
		assert.equal(list.tokens.filter((t) => t.name === 'cli_legacy').length, 0);
		assertProblem(await server.get(`${TOKENS}/cli_legacy`), 404, 'EKV_3000', 'Token with name cli_legacy does not exist.');
	});

	test('enhanced tokens refresh every two months by themselves', async () => {
		// dl_token was issued on 2030-01-10; the clock is at 2030-04-01.
		const tok = assertJson(await server.get(`${TOKENS}/dl_token`), 200, 'token-enhanced');
		assert.equal(tok.latestRefreshDate, '2030-03-10');
		assert.equal(tok.nextScheduledRefreshDate, '2030-05-10');
		assert.equal(tok.expiry, '9999-12-31');
	});
});

describe('the token limit per account', () => {
	test('is configurable, counts live tokens and those expired under 30 days, and answers in the service\'s envelope', async () => {
		const s = await startServer({ args: ['--token-limit', '3', '--token-activation-delay', '0'] });
		try {
			await setClock(s, '2031-05-01T12:00:00Z');
			const make = (name, expiry = '') => s.post(TOKENS, JSON.stringify(cliTokenBody(name, { expiry })));
			assertJson(await make('l1', '2031-05-02'), 200);
			assertJson(await make('l2'), 200);
			assertJson(await make('l3'), 200);
			assertProblem(await make('l4'), 413, 'EKV_9000', 'Each account is allowed 3 tokens. This limit has already been reached.');
			// Revoked tokens do not count.
			assertJson(await s.del(`${TOKENS}/l3`), 200);
			assertJson(await make('l4'), 200);
			// l1 expired yesterday: it still counts for 30 days.
			await setClock(s, '2031-05-04T00:00:00Z');
			assertProblem(await make('l5'), 413, 'EKV_9000', 'Each account is allowed 3 tokens. This limit has already been reached.');
			await setClock(s, '2031-06-03T00:00:00Z');
			assertJson(await make('l5'), 200);
			// The per-account setting overrides the flag.
			await tokenSettings(s, { tokenLimit: 4 });
			assertJson(await make('l6'), 200);
			assertProblem(await make('l7'), 413, 'EKV_9000', 'Each account is allowed 4 tokens. This limit has already been reached.');
		} finally {
			await s.close();
		}
	});
});

describe('the signing key and the bundle file', () => {
	test('the key is kept in the database: tokens still verify after a restart', async () => {
		const before = (await control(server, 'GET', '/_emulator/tokens/jwks')).json.keys[0];
		const value = (await createToken(server, 'key_token', { expiry: '2030-05-01' })).value;
		await server.restart();
		await setClock(server, '2030-04-01T00:00:00Z');
		const afterKey = (await control(server, 'GET', '/_emulator/tokens/jwks')).json.keys[0];
		assert.deepEqual(afterKey, before);
		assert.ok(rs256Valid(value, await publishedKey(server)));
	});

	test('a token signed by another key is not the emulator\'s', async () => {
		const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const forged = `${b64url('{"typ":"JWT","alg":"RS256"}')}.${b64url('{"jti":"x","exp":9999999999}')}`;
		const sig = createSign('RSA-SHA256').update(forged).sign(privateKey);
		assert.equal(rs256Valid(`${forged}.${b64url(sig)}`, await publishedKey(server)), false);
	});

	test('edgekv_tokens.js holds "namespace-<ns>" entries: value for legacy, reference for enhanced (docs/behaviour.md §5.7)', async () => {
		const res = await control(server, 'GET', `/_emulator/tokens/edgekv_tokens.js?namespace=default,devexp`);
		assert.equal(res.status, 200, res.body);
		assert.match(res.headers['content-type'], /javascript/);
		assert.match(res.body, /^var edgekv_access_tokens = \{\n/);
		assert.match(res.body, /export \{ edgekv_access_tokens \};\n$/);
		const tokens = await importTokenFile(res.body);
		assert.deepEqual(Object.keys(tokens), ['namespace-default', 'namespace-devexp']);
		// The newest live token granting each namespace.
		assert.equal(tokens['namespace-devexp'].name, 'devexp-token-1');
		assert.match(tokens['namespace-devexp'].reference, /^[0-9a-f-]{36}$/);
		assert.equal(tokens['namespace-devexp'].value, undefined);
		// Choosing a legacy token by name gives its value.
		const legacy = await importTokenFile((await control(server, 'GET', '/_emulator/tokens/edgekv_tokens.js?namespace=default&token=key_token')).body);
		assert.deepEqual(Object.keys(legacy['namespace-default']), ['name', 'value']);
		assert.equal(legacy['namespace-default'].name, 'key_token');
		assert.equal(legacy['namespace-default'].value, assertJson(await server.get(`${TOKENS}/key_token`), 200).value);
		// Expired tokens are never bundled.
		assertProblem(await control(server, 'GET', '/_emulator/tokens/edgekv_tokens.js?namespace=default&token=my_token'), 404, 'EKV_3000', 'No live access token grants access to namespace default.');
		// Without a namespace: every namespace a live token grants.
		const all = await importTokenFile((await control(server, 'GET', '/_emulator/tokens/edgekv_tokens.js')).body);
		assert.ok('namespace-default' in all && 'namespace-devexp' in all);
	});

	test('the bundle answers 404 for a namespace no live token grants', async () => {
		assertProblem(await control(server, 'GET', '/_emulator/tokens/edgekv_tokens.js?namespace=nowhere'), 404, 'EKV_3000', 'No live access token grants access to namespace nowhere.');
		assertProblem(await control(server, 'GET', '/_emulator/tokens/edgekv_tokens.js?namespace=bad.name'), 400, 'EKV_2000', "The value of query parameter 'namespace' is not valid.");
	});
});

async function setupNamespace(name) {
	const res = await server.post(nsPath('staging'), JSON.stringify(namespaceBody(name)));
	assert.equal(res.status, 200, res.body);
}
