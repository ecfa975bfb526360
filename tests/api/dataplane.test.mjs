// The EdgeWorkers data plane (docs/behaviour.md §6, docs/clients.md §5): GET/PUT/DELETE
// /api/v1/namespaces/{ns}/groups/{group}/items/{item} with token authentication, driven by a
// client that sends exactly what edgekv.js 0.6.3 sends, on the storage the management API uses.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import { assertJson, assertProblem, itemPath, namespaceBody, nsPath, plainRequest, startServer, uniqueName } from './helpers.mjs';
import { EdgeKV, TOKENS, advanceClock, b64url, control, createToken, decodeJwt, importTokenFile, setClock, thrown } from './token-helpers.mjs';

let server;
let ns; // a staging namespace every token below may use
let prodNs; // a namespace on production only

const dpPath = (namespace, group, item) => `/api/v1/namespaces/${namespace}/groups/${group}/items/${item}`;

/** A raw data-plane request (no client-side checks): for the malformed cases. */
function dp(method, path, headers = {}, body) {
	return plainRequest(server.httpUrl + path, { method, headers, body });
}

/** The edgekv_tokens.js the emulator writes, imported, and a client over it. */
async function clientFor(namespaces, opts = {}) {
	const res = await control(server, 'GET', `/_emulator/tokens/edgekv_tokens.js?namespace=${namespaces.join(',')}${opts.token ? `&token=${opts.token}` : ''}`);
	assert.equal(res.status, 200, res.body);
	const tokens = await importTokenFile(res.body);
	return new EdgeKV({ edgekv_uri: server.httpUrl, tokens, namespace: namespaces[0], ...opts });
}

function problem(err, status, detail) {
	assert.equal(err.status, status, JSON.stringify(err));
	assert.equal(err.body.status, status);
	assert.match(err.body.errorCode, /^EKV_\d{4}$/);
	if (detail) assert.equal(err.body.detail, detail);
}

before(async () => {
	server = await startServer({ args: ['--token-activation-delay', '0'] });
	await setClock(server, '2030-06-01T08:00:00Z');
	ns = uniqueName('dp');
	prodNs = uniqueName('dpprod');
	assertJson(await server.post(nsPath('staging'), JSON.stringify(namespaceBody(ns))), 200);
	assertJson(await server.post(nsPath('production'), JSON.stringify(namespaceBody(prodNs))), 200);
});
after(async () => {
	await server?.close();
});

describe('reading and writing with valid tokens', () => {
	test('an enhanced token (X-Akamai-EdgeDB-Auth-Ref) puts, gets and deletes; every success is 200', async () => {
		await createToken(server, 'ref_rwd', { namespaces: { [ns]: ['r', 'w', 'd'] } });
		const edgekv = await clientFor([ns], { token: 'ref_rwd', group: 'countries' });
		assert.ok(edgekv.tokens[`namespace-${ns}`].reference);
		assert.equal(await edgekv.putText({ item: 'US', value: 'United States' }), `Item was upserted in database, namespace ${ns}, group countries, and key US.`);
		assert.equal(await edgekv.getText({ item: 'US' }), 'United States');
		await edgekv.putJson({ item: 'DE', value: { name: 'Germany', eu: true } });
		assert.deepEqual(await edgekv.getJson({ item: 'DE' }), { name: 'Germany', eu: true });
		assert.match(await edgekv.delete({ item: 'DE' }), /^Item was deleted in the KV store with database \d+ namespace /);
		assert.equal(await edgekv.getText({ item: 'DE', default_value: 'gone' }), 'gone', '404 gives the default value');
	});

	test('a legacy token (X-Akamai-EdgeDB-Auth JWT) works the same', async () => {
		await createToken(server, 'jwt_rwd', { namespaces: { [ns]: ['r', 'w', 'd'] }, expiry: '2030-07-01' });
		const edgekv = await clientFor([ns], { token: 'jwt_rwd' });
		assert.ok(edgekv.tokens[`namespace-${ns}`].value);
		await edgekv.putText({ item: 'k1', value: 'v1' });
		assert.equal(await edgekv.getText({ item: 'k1' }), 'v1');
		await edgekv.delete({ item: 'k1' });
		assert.equal(await edgekv.getText({ item: 'k1' }), null);
	});

	test('the data plane and the management API share one store', async () => {
		const edgekv = await clientFor([ns], { token: 'ref_rwd', group: 'shared' });
		await edgekv.putText({ item: 'from_edge', value: 'written by an EdgeWorker' });
		const got = await server.get(itemPath('staging', ns, 'shared', 'from_edge'));
		assert.equal(got.status, 200);
		assert.equal(got.body, 'written by an EdgeWorker');
		assert.equal((await server.put(itemPath('staging', ns, 'shared', 'from_api'), '{"a":1}', { headers: { 'Content-Type': 'application/json' } })).status, 200);
		assert.deepEqual(await edgekv.getJson({ item: 'from_api' }), { a: 1 });
	});

	test('values are stored byte for byte, large ones included (edgekv.js streams ≥ 128000 bytes)', async () => {
		const edgekv = await clientFor([ns], { token: 'ref_rwd' });
		const big = 'é'.repeat(130000);
		await edgekv.putText({ item: 'big', value: big });
		assert.equal(await edgekv.getText({ item: 'big' }), big);
		const exact = 'x'.repeat(262144);
		await edgekv.putText({ item: 'max', value: exact });
		assert.equal((await edgekv.getText({ item: 'max' })).length, 262144);
	});

	test('a value over 262144 characters answers 413', async () => {
		const edgekv = await clientFor([ns], { token: 'ref_rwd' });
		problem(await thrown(() => edgekv.putText({ item: 'huge', value: 'x'.repeat(262145) })), 413, 'Value cannot exceed 262144 characters.');
	});

	test('sandboxId keeps sandbox data apart; sandboxFallback=true reads staging when the sandbox has none', async () => {
		const staging = await clientFor([ns], { token: 'ref_rwd', group: 'sb' });
		const sandbox = await clientFor([ns], { token: 'ref_rwd', group: 'sb', sandboxId: 'sandbox-1' });
		const fallback = await clientFor([ns], { token: 'ref_rwd', group: 'sb', sandboxId: 'sandbox-1', sandbox_fallback: true });
		await staging.putText({ item: 'k', value: 'staging value' });
		assert.equal(await sandbox.getText({ item: 'k' }), null);
		assert.equal(await fallback.getText({ item: 'k' }), 'staging value');
		await sandbox.putText({ item: 'k', value: 'sandbox value' });
		assert.equal(await sandbox.getText({ item: 'k' }), 'sandbox value');
		assert.equal(await fallback.getText({ item: 'k' }), 'sandbox value');
		assert.equal(await staging.getText({ item: 'k' }), 'staging value');
	});
});

describe('401: no valid token', () => {
	test('a request without a token header', async () => {
		assertProblem(await dp('GET', dpPath(ns, 'g', 'k')), 401, 'EKV_1000', 'An EdgeKV access token is required in X-Akamai-EdgeDB-Auth or X-Akamai-EdgeDB-Auth-Ref.');
		assertProblem(await dp('GET', dpPath(ns, 'g', 'k'), { 'X-Akamai-EdgeDB-Auth': '' }), 401, 'EKV_1000', 'An EdgeKV access token is required in X-Akamai-EdgeDB-Auth or X-Akamai-EdgeDB-Auth-Ref.');
	});

	test('malformed, unknown and forged tokens never pass', async () => {
		const good = (await control(server, 'GET', `/_emulator/tokens/edgekv_tokens.js?namespace=${ns}&token=jwt_rwd`)).body.match(/"value": "([^"]+)"/)[1];
		const [h, p, s] = good.split('.');
		const { claims } = decodeJwt(good);
		const widened = b64url(JSON.stringify({ ...claims, [`namespace-${prodNs}`]: ['r', 'w', 'd'], env: ['p', 's'] }));
		const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const forgedSig = createSign('RSA-SHA256').update(`${h}.${widened}`).sign(privateKey);
		const pem = (await control(server, 'GET', '/_emulator/tokens/public-key.pem')).body;
		const hsHeader = b64url('{"typ":"JWT","alg":"HS256"}');
		const hsSig = createHmac('sha256', pem).update(`${hsHeader}.${p}`).digest();
		const invalid = 'The EdgeKV access token is not valid.';
		const cases = {
			garbage: { 'X-Akamai-EdgeDB-Auth': 'not a jwt' },
			twoParts: { 'X-Akamai-EdgeDB-Auth': `${h}.${p}` },
			tamperedPayload: { 'X-Akamai-EdgeDB-Auth': `${h}.${widened}.${s}` },
			forgedWithAnotherKey: { 'X-Akamai-EdgeDB-Auth': `${h}.${widened}.${b64url(forgedSig)}` },
			algNone: { 'X-Akamai-EdgeDB-Auth': `${b64url('{"typ":"JWT","alg":"none"}')}.${p}.` },
			algNoneWithSignature: { 'X-Akamai-EdgeDB-Auth': `${b64url('{"typ":"JWT","alg":"none"}')}.${p}.${s}` },
			hs256WithThePublicKey: { 'X-Akamai-EdgeDB-Auth': `${hsHeader}.${p}.${b64url(hsSig)}` },
			flippedSignature: { 'X-Akamai-EdgeDB-Auth': `${h}.${p}.${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}` },
			unknownReference: { 'X-Akamai-EdgeDB-Auth-Ref': '00000000-0000-5000-8000-000000000000' },
			badReference: { 'X-Akamai-EdgeDB-Auth-Ref': 'not-a-uuid' },
		};
		for (const [name, headers] of Object.entries(cases)) {
			for (const method of ['GET', 'PUT', 'DELETE']) {
				const res = await dp(method, dpPath(ns, 'g', 'k'), headers, method === 'PUT' ? 'x' : undefined);
				assert.equal(res.status, 401, `${name} ${method}: ${res.body}`);
				assertProblem(res, 401, 'EKV_1000', invalid);
			}
		}
		// The untampered token still works.
		assert.equal((await dp('PUT', dpPath(ns, 'g', 'k'), { 'X-Akamai-EdgeDB-Auth': good }, 'x')).status, 200);
	});

	test('a legacy token\'s uuid is not a reference, and an enhanced token has no JWT', async () => {
		const legacy = await createToken(server, 'leg_as_ref', { namespaces: { [ns]: ['r'] }, expiry: '2030-07-01' });
		assertProblem(await dp('GET', dpPath(ns, 'g', 'k'), { 'X-Akamai-EdgeDB-Auth-Ref': legacy.uuid }), 401, 'EKV_1000', 'The EdgeKV access token is not valid.');
	});

	test('a revoked token', async () => {
		await createToken(server, 'to_revoke', { namespaces: { [ns]: ['r'] } });
		const edgekv = await clientFor([ns], { token: 'to_revoke' });
		assert.equal(await edgekv.getText({ item: 'nothing' }), null);
		assertJson(await server.del(`${TOKENS}/to_revoke`), 200);
		problem(await thrown(() => edgekv.getText({ item: 'nothing' })), 401, 'The EdgeKV access token has been revoked.');
	});

	test('an expired legacy token, on the emulator clock', async () => {
		await createToken(server, 'short_lived', { namespaces: { [ns]: ['r'] }, expiry: '2030-06-02' });
		const edgekv = await clientFor([ns], { token: 'short_lived' });
		await setClock(server, '2030-06-02T23:59:58Z');
		assert.equal(await edgekv.getText({ item: 'nothing' }), null);
		await setClock(server, '2030-06-03T00:00:00Z');
		problem(await thrown(() => edgekv.getText({ item: 'nothing' })), 401, 'The EdgeKV access token has expired.');
		await setClock(server, '2030-06-01T09:00:00Z');
	});

	test('an enhanced token before its activation completes (IN_PROGRESS)', async () => {
		assert.equal((await control(server, 'PUT', '/_emulator/tokens/settings', { activationDelaySeconds: 30 })).status, 200);
		try {
			const tok = await createToken(server, 'not_yet', { namespaces: { [ns]: ['r'] } });
			assert.equal(tok.tokenActivationStatus, 'IN_PROGRESS');
			const edgekv = await clientFor([ns], { token: 'not_yet' });
			problem(await thrown(() => edgekv.getText({ item: 'nothing' })), 401, 'The EdgeKV access token is not active yet.');
			await advanceClock(server, 30);
			assert.equal(await edgekv.getText({ item: 'nothing' }), null);
		} finally {
			await control(server, 'PUT', '/_emulator/tokens/settings', { activationDelaySeconds: null });
		}
	});
});

describe('403: a valid token that does not grant the request', () => {
	test('the permission letter for the method: r for GET, w for PUT, d for DELETE', async () => {
		for (const [letters, allowed] of [[['r'], 'GET'], [['w'], 'PUT'], [['d'], 'DELETE']]) {
			const name = `only_${letters[0]}`;
			await createToken(server, name, { namespaces: { [ns]: letters } });
			const edgekv = await clientFor([ns], { token: name });
			for (const [method, call, letter] of [['GET', () => edgekv.getText({ item: 'x' }), 'r'], ['PUT', () => edgekv.putText({ item: 'x', value: 'v' }), 'w'], ['DELETE', () => edgekv.delete({ item: 'x' }), 'd']]) {
				if (method === allowed) {
					await call();
					continue;
				}
				problem(await thrown(call), 403, `The EdgeKV access token does not grant '${letter}' access to namespace ${ns}.`);
			}
		}
	});

	test('a namespace the token does not name', async () => {
		const edgekv = await clientFor([ns], { token: 'ref_rwd' });
		edgekv.tokens['namespace-default'] = edgekv.tokens[`namespace-${ns}`];
		problem(await thrown(() => edgekv.getText({ namespace: 'default', item: 'x' })), 403, "The EdgeKV access token does not grant 'r' access to namespace default.");
	});

	test('a network the token is not allowed on (X-EdgeKV-Network)', async () => {
		const edgekv = await clientFor([ns], { token: 'ref_rwd', headers: { 'X-EdgeKV-Network': 'production' } });
		problem(await thrown(() => edgekv.getText({ item: 'x' })), 403, 'The EdgeKV access token is not valid on the production network.');
		const res = await dp('GET', dpPath(ns, 'g', 'k'), { 'X-Akamai-EdgeDB-Auth-Ref': edgekv.tokens[`namespace-${ns}`].reference, 'X-EdgeKV-Network': 'moon' });
		assertProblem(res, 400, 'EKV_2000', "Network 'moon' is not valid. Please specify one of staging, production.");
	});

	test('an EdgeWorker id outside the token\'s restrictToEdgeWorkerIds (X-EdgeKV-EdgeWorker-Id)', async () => {
		await createToken(server, 'ew_only', { namespaces: { [ns]: ['r'] }, ewids: ['1234', '5678'] });
		const as = (id) => clientFor([ns], { token: 'ew_only', headers: id ? { 'X-EdgeKV-EdgeWorker-Id': id } : {} });
		assert.equal(await (await as('5678')).getText({ item: 'x' }), null);
		problem(await thrown(async () => (await as('9999')).getText({ item: 'x' })), 403, "The EdgeKV access token is not valid for EdgeWorker ID '9999'.");
		problem(await thrown(async () => (await as('12345')).getText({ item: 'x' })), 403);
		problem(await thrown(async () => (await as()).getText({ item: 'x' })), 403, "The EdgeKV access token is not valid for EdgeWorker ID ''.");
		// A token for all ids takes any id.
		assert.equal(await (await clientFor([ns], { token: 'ref_rwd', headers: { 'X-EdgeKV-EdgeWorker-Id': '42' } })).getText({ item: 'x' }), null);
	});
});

describe('networks', () => {
	test('X-EdgeKV-Network: production reads the production namespace', async () => {
		await createToken(server, 'prod_tok', { namespaces: { [prodNs]: ['r', 'w'] }, production: true, staging: false });
		const edgekv = await clientFor([prodNs], { token: 'prod_tok', headers: { 'X-EdgeKV-Network': 'production' } });
		await edgekv.putText({ item: 'p', value: 'on production' });
		const got = await server.get(itemPath('production', prodNs, 'default', 'p'));
		assert.equal(got.body, 'on production');
		// Staging is the default network and this token is production-only.
		const staging = await clientFor([prodNs], { token: 'prod_tok' });
		problem(await thrown(() => staging.getText({ item: 'p' })), 403, 'The EdgeKV access token is not valid on the staging network.');
	});

	test('--data-plane-network production changes the default', async () => {
		const s = await startServer({ args: ['--data-plane-network', 'production', '--token-activation-delay', '0'] });
		try {
			const tok = assertJson(await s.post(TOKENS, JSON.stringify({ name: 'p', allowOnProduction: true, allowOnStaging: false, namespacePermissions: { default: ['r', 'w'] } })), 200);
			const edgekv = new EdgeKV({ edgekv_uri: s.httpUrl, tokens: { 'namespace-default': { name: 'p', reference: tok.uuid } } });
			await edgekv.putText({ item: 'k', value: 'prod' });
			assert.equal((await s.get(itemPath('production', 'default', 'default', 'k'))).body, 'prod');
			assert.equal((await s.get(itemPath('staging', 'default', 'default', 'k'))).status, 404);
		} finally {
			await s.close();
		}
	});
});

describe('404 and 400: the data', () => {
	test('a missing item or group is 404, which edgekv.js turns into the default value', async () => {
		const edgekv = await clientFor([ns], { token: 'ref_rwd', group: 'never_written' });
		assert.equal(await edgekv.getText({ item: 'nope', default_value: 'dflt' }), 'dflt');
		assert.equal(await edgekv.delete({ item: 'nope', default_value: 'dflt' }), 'dflt');
		const res = await dp('GET', dpPath(ns, 'never_written', 'nope'), { 'X-Akamai-EdgeDB-Auth-Ref': edgekv.tokens[`namespace-${ns}`].reference });
		assertProblem(res, 404, 'EKV_9000', "Item 'nope' or group 'never_written' was not found in the database.");
	});

	test('a namespace deleted after the token was made is 404', async () => {
		const gone = uniqueName('gone');
		assertJson(await server.post(nsPath('staging'), JSON.stringify(namespaceBody(gone))), 200);
		await createToken(server, 'gone_tok', { namespaces: { [gone]: ['r'] } });
		const edgekv = await clientFor([gone], { token: 'gone_tok' });
		assert.equal((await server.del(`${nsPath('staging', gone)}?sync=true`)).status, 200);
		const res = await dp('GET', dpPath(gone, 'g', 'k'), { 'X-Akamai-EdgeDB-Auth-Ref': edgekv.tokens[`namespace-${gone}`].reference });
		assertProblem(res, 404, 'EKV_9000', `Namespace is not found: ${gone}`);
	});

	test('group and key names the client would not send are 400', async () => {
		const ref = { 'X-Akamai-EdgeDB-Auth-Ref': (await clientFor([ns], { token: 'ref_rwd' })).tokens[`namespace-${ns}`].reference };
		assertProblem(await dp('GET', dpPath(ns, 'bad.group', 'k'), ref), 400, 'EKV_9000', 'Group must only use a string that matches A-Z a-z 0-9 _ or -..');
		assertProblem(await dp('GET', dpPath(ns, 'g', 'bad%20key'), ref), 400, 'EKV_9000', 'Key must only use a string that matches A-Z a-z 0-9 _ or -..');
		// A namespace name with %00 in it is no name a token can grant, not the name before the NUL.
		const res = await server.raw({ target: dpPath(`${ns}%00x`, 'g', 'k'), headers: ref, sign: false });
		assertProblem(res, 403, 'EKV_1000', `The EdgeKV access token does not grant 'r' access to namespace ${ns}.`);
	});

	test('other methods answer 405 with Allow', async () => {
		const res = await dp('POST', dpPath(ns, 'g', 'k'));
		assert.equal(res.status, 405);
		assert.equal(res.headers.allow, 'GET, HEAD, PUT, DELETE');
	});
});
