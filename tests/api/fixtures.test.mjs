// Fixtures: access tokens travel through export, import and --seed DIR with the
// same management answers and the same data-plane behaviour, and the bare-start world is
// fixtures/default/world.json itself (compiled in), shaped by --uninitialized and
// --no-standard-tls.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT, assertJson, assertProblem, assertSchema, itemPath, namespaceBody, nsPath, plainRequest, startServer } from './helpers.mjs';
import { TOKENS, control, createToken, decodeJwt, publishedKey, rs256Valid, setClock, tokenSettings } from './token-helpers.mjs';

const WORLD = JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures/default/world.json'), 'utf8'));
const T0 = '2030-01-10T08:00:00.000Z';

async function ok(resPromise, status = 200) {
	const res = await resPromise;
	assert.equal(res.status, status, res.body);
	return res.json;
}

const exportAll = (server) => ok(control(server, 'GET', '/_emulator/export'));
const dpPath = (ns, group, item) => `/api/v1/namespaces/${ns}/groups/${group}/items/${item}`;
const dp = (server, method, path, headers, body) => plainRequest(server.httpUrl + path, { method, headers, body });

/** A body without what differs on every request (a problem's instance and request id). */
function stable(body) {
	if (!body || typeof body !== 'object' || !body.instance) return body;
	const { instance, additionalDetail, ...rest } = body;
	assert.ok(instance);
	const { requestId, ...detail } = additionalDetail ?? {};
	assert.ok(requestId);
	return { ...rest, additionalDetail: detail };
}

/** Every management answer about tokens, as a client sees them. */
async function tokenAnswers(server, names) {
	const answers = {};
	for (const q of ['', '?includeExpired=true']) {
		const res = await server.get(`${TOKENS}${q}`);
		answers[`list${q}`] = { status: res.status, body: stable(res.json) };
	}
	for (const name of names) {
		const res = await server.get(`${TOKENS}/${name}`);
		answers[name] = { status: res.status, body: stable(res.json) };
	}
	return answers;
}

/** The data plane's status and body for a read with each token's credentials. */
async function dataPlaneAnswers(server, creds) {
	const out = {};
	for (const [name, headers] of Object.entries(creds)) {
		const res = await dp(server, 'GET', dpPath('fx', 'g', 'k'), headers);
		out[name] = { status: res.status, body: res.json ? stable(res.json) : res.body };
	}
	return out;
}

const legacyValue = (answers) => answers.leg.body.value;

/** Answers with the legacy JWT taken out (it is compared on its own). */
function withoutValue(answers) {
	const copy = structuredClone(answers);
	delete copy.leg.body.value;
	return copy;
}

describe('access tokens in fixtures', () => {
	let server;
	let exported;
	let answers;
	let creds;
	let plane;
	const names = ['leg', 'enh', 'gone', 'old', 'never'];

	before(async () => {
		server = await startServer();
		await setClock(server, T0);
		await ok(server.post(nsPath('staging'), namespaceBody('fx', { retentionInSeconds: 0 })));
		assert.equal((await server.put(itemPath('staging', 'fx', 'g', 'k'), 'v', { headers: { 'Content-Type': 'text/plain' } })).status, 200);
		// A legacy token that expires in a week, one that expired yesterday (410, listed with
		// includeExpired), an enhanced one refreshed and still activating, one revoked.
		await createToken(server, 'old', { expiry: '2030-01-11', namespaces: { fx: ['r'] } });
		await ok(control(server, 'POST', '/_emulator/clock', { advanceSeconds: 2 * 86400 }));
		await createToken(server, 'leg', { expiry: '2030-01-19', staging: true, production: true, ewids: ['1234', 5678], namespaces: { fx: ['r', 'w'], default: ['d'] } });
		await createToken(server, 'gone', { namespaces: { fx: ['r'] } });
		await ok(server.del(`${TOKENS}/gone`));
		await tokenSettings(server, { activationDelaySeconds: 600 });
		await createToken(server, 'enh', { namespaces: { fx: ['r', 'w', 'd'] } });
		await ok(control(server, 'POST', '/_emulator/clock', { advanceSeconds: 700 }));
		await ok(server.cli('POST', `${TOKENS}/enh/refresh`, { metric: 'Refresh/token' }));
		await ok(control(server, 'POST', '/_emulator/clock', { advanceSeconds: 60 }));

		answers = await tokenAnswers(server, names);
		assert.equal(answers.enh.body.tokenActivationStatus, 'IN_PROGRESS', 'refreshed a minute ago');
		assert.equal(answers.old.status, 410);
		assert.equal(answers.gone.status, 404);
		const all = (await ok(server.get(`${TOKENS}?includeExpired=true`))).tokens;
		const old = all.find((t) => t.name === 'old');
		const gone = (await exportAll(server)).accounts[0].tokens.find((t) => t.name === 'gone');
		creds = {
			leg: { 'X-Akamai-EdgeDB-Auth': legacyValue(answers), 'X-EdgeKV-EdgeWorker-Id': '1234' },
			enh: { 'X-Akamai-EdgeDB-Auth-Ref': answers.enh.body.uuid },
			gone: { 'X-Akamai-EdgeDB-Auth-Ref': gone.uuid },
			oldByRef: { 'X-Akamai-EdgeDB-Auth-Ref': old.uuid },
		};
		plane = await dataPlaneAnswers(server, creds);
		assert.equal(plane.leg.status, 200, plane.leg.body);
		assert.equal(plane.enh.status, 200, plane.enh.body);
		assert.equal(plane.gone.status, 401);
		assert.match(plane.gone.body.detail, /revoked/);
		exported = await exportAll(server);
	});
	after(() => server.close());

	test('export writes every token, revoked and expired ones too, in the fixture schema', () => {
		assertSchema('fixture', exported);
		const tokens = exported.accounts.find((a) => a.id === '1-DEFAULT').tokens;
		assert.deepEqual(tokens.map((t) => t.name), ['old', 'leg', 'gone', 'enh']);
		const [old, leg, gone, enh] = tokens;
		assert.equal(old.workflow, 'legacy');
		assert.equal(old.expiry, '2030-01-11');
		assert.deepEqual(leg.restrictToEdgeWorkerIds, ['1234', '5678']);
		assert.deepEqual(leg.namespacePermissions, { fx: ['r', 'w'], default: ['d'] });
		assert.equal(leg.allowOnProduction, true);
		assert.equal(leg.value, legacyValue(answers));
		assert.ok(gone.revokedAt, 'revokedAt');
		assert.equal(enh.workflow, 'enhanced');
		assert.equal(enh.expiry, '9999-12-31');
		assert.ok(Date.parse(enh.refreshedAt) > Date.parse(enh.issuedAt));
		assert.ok(Date.parse(enh.inProgressUntil) > Date.parse(enh.refreshedAt));
		assert.equal(enh.value, undefined, 'enhanced tokens have no value');
	});

	test('a full reset and an import give the same tokens, answers and data-plane behaviour', async () => {
		await ok(control(server, 'POST', '/_emulator/reset', {}));
		assert.equal((await server.get(TOKENS)).status, 404, 'the reset removed them');
		await setClock(server, T0);
		await ok(control(server, 'POST', '/_emulator/clock', { advanceSeconds: 2 * 86400 + 760 }));
		assert.deepEqual(await ok(control(server, 'POST', '/_emulator/import', exported)), { imported: true });
		assert.deepEqual(await exportAll(server), exported);
		// The key stayed (resets keep it) and RS256 is deterministic: the same JWT, byte for byte.
		assert.deepEqual(await tokenAnswers(server, names), answers);
		assert.deepEqual(await dataPlaneAnswers(server, creds), plane);
		// Time keeps working on imported tokens: activation completes, the legacy one expires.
		await ok(control(server, 'POST', '/_emulator/clock', { advanceSeconds: 600 }));
		assert.equal((await ok(server.get(`${TOKENS}/enh`))).tokenActivationStatus, 'COMPLETE');
		await ok(control(server, 'POST', '/_emulator/clock', { advanceSeconds: 9 * 86400 }));
		const expired = await dp(server, 'GET', dpPath('fx', 'g', 'k'), creds.leg);
		assert.equal(expired.status, 401);
		assert.match(expired.body, /expired/);
	});

	test('--seed DIR on another emulator: same answers; the legacy JWT is re-signed with its key, same claims', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'ekv-seed-tokens-'));
		writeFileSync(join(dir, 'world.json'), JSON.stringify(exported));
		const seeded = await startServer({ args: ['--seed', dir] });
		try {
			await setClock(seeded, T0);
			await ok(control(seeded, 'POST', '/_emulator/clock', { advanceSeconds: 2 * 86400 + 760 }));
			const got = await tokenAnswers(seeded, names);
			assert.deepEqual(withoutValue(got), withoutValue(answers));
			const jwt = legacyValue(got);
			assert.notEqual(jwt, legacyValue(answers), 'another database, another key');
			assert.ok(rs256Valid(jwt, await publishedKey(seeded)), 'signed with the seeded emulator\'s key');
			assert.ok(!rs256Valid(jwt, await publishedKey(server)));
			assert.deepEqual(decodeJwt(jwt).claims, decodeJwt(legacyValue(answers)).claims);
			assert.equal(decodeJwt(jwt).headerText, decodeJwt(legacyValue(answers)).headerText);
			const seededPlane = await dataPlaneAnswers(seeded, { ...creds, leg: { ...creds.leg, 'X-Akamai-EdgeDB-Auth': jwt } });
			assert.deepEqual(seededPlane, plane);
			const foreign = await dp(seeded, 'GET', dpPath('fx', 'g', 'k'), creds.leg);
			assert.equal(foreign.status, 401, 'the first emulator\'s JWT does not verify here');
		} finally {
			await seeded.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('hand-written token fixtures', () => {
	let server;
	before(async () => {
		server = await startServer();
	});
	after(() => server.close());

	const account = (tokens) => ({ accounts: [{ ...structuredClone(WORLD.accounts[0]), tokens }] });

	test('a token needs only a name and permissions: enhanced, both networks, active now', async () => {
		const uuid = '0F8FAD5B-D9CB-469F-A165-70867728950E';
		await ok(control(server, 'POST', '/_emulator/import', account([{ name: 'mini', uuid, namespacePermissions: { default: ['r', 'w'] } }])));
		const tok = assertJson(await server.get(`${TOKENS}/mini`), 200);
		assert.equal(tok.uuid, uuid.toLowerCase());
		assert.equal(tok.expiry, '9999-12-31');
		assert.equal(tok.tokenActivationStatus, 'COMPLETE');
		assert.equal(tok.allowOnProduction, true);
		assert.equal(tok.allowOnStaging, true);
		assert.deepEqual(tok.restrictToEdgeWorkerIds, ['all']);
		assert.equal((await dp(server, 'GET', dpPath('default', 'g', 'none'), { 'X-Akamai-EdgeDB-Auth-Ref': uuid })).status, 404, 'accepted: the item is missing');
	});

	test('an expiry without a workflow makes a legacy token signed with the emulator key', async () => {
		await ok(control(server, 'POST', '/_emulator/import', account([{ name: 'jwt', expiry: '2099-01-01', namespacePermissions: { default: ['r'] }, value: 'ignored' }])));
		const tok = assertJson(await server.get(`${TOKENS}/jwt`), 200);
		assert.equal(tok.expiry, '2099-01-01');
		assert.ok(rs256Valid(tok.value, await publishedKey(server)));
		const claims = decodeJwt(tok.value).claims;
		assert.equal(claims.jti, tok.uuid);
		assert.equal(claims.sub, '1-DEFAULT');
		assert.deepEqual(claims['namespace-default'], ['r']);
	});

	test('a bad token is refused with the import\'s 400 and names the token', async () => {
		const bad = [
			{ name: 'letters', namespacePermissions: { default: ['x'] } },
			{ name: 'noperms' },
			{ name: 'bad name!', namespacePermissions: { default: ['r'] } },
			{ name: 'flow', workflow: 'later', namespacePermissions: { default: ['r'] } },
			{ name: 'legacy', workflow: 'legacy', namespacePermissions: { default: ['r'] } },
			{ name: 'enhexp', workflow: 'enhanced', expiry: '2030-01-01', namespacePermissions: { default: ['r'] } },
			{ name: 'uuid', uuid: 'nope', namespacePermissions: { default: ['r'] } },
			{ name: 'nonet', allowOnStaging: false, allowOnProduction: false, namespacePermissions: { default: ['r'] } },
			{ name: 'when', issuedAt: 'yesterday', namespacePermissions: { default: ['r'] } },
		];
		for (const t of bad) {
			const res = await control(server, 'POST', '/_emulator/import', account([t]));
			assertProblem(res, 400, 'EKV_2000', `The fixture cannot be imported: cannot import token '${t.name}'.`);
		}
	});

	test('a fixture refused halfway changes nothing: the account keeps its namespaces, items and tokens', async () => {
		const item = itemPath('staging', 'default', 'keep', 'k');
		assert.equal((await server.put(item, 'kept', { headers: { 'Content-Type': 'text/plain' } })).status, 200);
		const before = await control(server, 'GET', '/_emulator/export');
		assert.equal(before.status, 200);
		// A valid account first, then a token the importer refuses: nothing of it may land.
		const res = await control(server, 'POST', '/_emulator/import', account([{ name: 'ok', namespacePermissions: { default: ['r'] } }, { name: 'bad', uuid: 'nope', namespacePermissions: { default: ['r'] } }]));
		assertProblem(res, 400, 'EKV_2000', "The fixture cannot be imported: cannot import token 'bad'.");
		const after = await control(server, 'GET', '/_emulator/export');
		assert.deepEqual(after.json, before.json);
		assert.equal((await server.get(item)).body, 'kept');
	});
});

describe('the bare-start world is fixtures/default/world.json', () => {
	test('a bare start exports exactly the fixture', async () => {
		const server = await startServer();
		try {
			assert.deepEqual(await exportAll(server), WORLD);
		} finally {
			await server.close();
		}
	});

	test('--uninitialized and --no-standard-tls shape the default account; its identities stay the fixture\'s', async () => {
		const server = await startServer({ args: ['--uninitialized', '--no-standard-tls'] });
		try {
			const [acc] = (await exportAll(server)).accounts;
			const world = WORLD.accounts[0];
			assert.equal(acc.status, 'UNINITIALIZED');
			assert.equal(acc.standardTls, false);
			assert.equal(acc.cpcode, '');
			assert.equal(acc.dataAccessPolicy, undefined);
			assert.deepEqual(acc.namespaces, { staging: [], production: [] });
			for (const k of ['groups', 'users', 'clients', 'cpcodeGroupId']) assert.deepEqual(acc[k], world[k], k);
			assertProblem(await server.get('/edgekv/v1/networks/staging/namespaces'), 404, 'EKV_9000', 'The EdgeKV database is not initialized.');
		} finally {
			await server.close();
		}
	});

	test('a restart on the same database leaves the default account as it is', async () => {
		const server = await startServer();
		try {
			await ok(server.post(nsPath('staging'), namespaceBody('kept')));
			await ok(control(server, 'POST', '/_emulator/clients/akab-emulator-client-token-000000/deactivate'));
			await server.restart();
			const [acc] = (await exportAll(server)).accounts;
			assert.ok(acc.namespaces.staging.some((n) => n.namespace === 'kept'));
			assert.equal(acc.clients[0].active, false, 'the client is not made again');
		} finally {
			await server.close();
		}
	});
});
