// The EdgeWorkers API's group list (GET /edgeworkers/v1/groups[/{groupId}]), which the EdgeKV
// CLI's `list auth-groups -incewg` calls beside /edgekv/v1/auth/groups: same EdgeGrid
// identities; the account's access groups and the caller's roles decide what appears.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { V1, assertJson, assertSchema, assertTraceId, plainRequest, startServer } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { dirname, join } = require('node:path');
const auth = require(join(dirname(require.resolve('akamai-edgegrid')), 'src/auth.js'));

const EW = '/edgeworkers/v1/groups';
const ALL_EW = ['VIEW', 'EDIT', 'VIEW_VERSION', 'CREATE_VERSION', 'VIEW_ACTIVATION', 'ACTIVATE', 'DELETE', 'DELETE_VERSION'];
// What the CLI sends on its /edgeworkers/v1 call (instead of its X-AK-EDGEKV-* headers).
const CLI_HEADERS = { 'X-EW-CLIENT': 'CLI', 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': 'axios/1.18.1' };

let server;

function signed(creds, method, path) {
	const req = { path, method, headers: { ...CLI_HEADERS } };
	auth.generateAuth(req, creds.client_token, creds.client_secret, creds.access_token, `${server.httpUrl}#https://x`);
	const url = new URL(req.url);
	url.hash = '';
	return plainRequest(url.toString(), { method, headers: req.headers });
}

function control(method, path, body) {
	return plainRequest(`${server.httpUrl}/_emulator${path}`, {
		method,
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
}

async function makeClient(user, roles, grant = 'READ-WRITE') {
	assert.equal((await control('POST', '/accounts/1-DEFAULT/users', { name: user, roles })).status, 201);
	const c = await control('POST', '/accounts/1-DEFAULT/clients', { user, grant });
	assert.equal(c.status, 201, c.body);
	return { client_token: c.json.clientToken, client_secret: c.json.clientSecret, access_token: c.json.accessToken };
}

function assertForbidden(res, detail) {
	assert.equal(res.status, 403, res.body);
	assert.equal(res.headers['content-type'], 'application/problem+json');
	assertSchema('gateway-error', res.json);
	assert.equal(res.json.title, 'Forbidden');
	assert.equal(res.json.type, 'https://problems.luna.akamaiapis.net/-/pep-authz/deny');
	assert.equal(res.json.detail, detail);
	assert.equal(res.json.requestId, assertTraceId(res));
}

const NO_ACCESS = 'The client does not have access to the requested group';

before(async () => {
	server = await startServer();
	// Default Group (10000) > Web (501) > Shop (502); Other (600) beside it.
	for (const g of [{ groupId: 501, groupName: 'Web', parentGroupId: 10000 }, { groupId: 502, groupName: 'Shop', parentGroupId: 501 }, { groupId: 600, groupName: 'Other', parentGroupId: 10000 }])
		assert.equal((await control('POST', '/accounts/1-DEFAULT/groups', g)).status, 201);
});
after(() => server?.close());

describe('GET /edgeworkers/v1/groups', () => {
	test('the admin client sees every access group with every EdgeWorkers capability', async () => {
		const res = await server.get(EW, { headers: CLI_HEADERS });
		const body = assertJson(res, 200, 'ew-groups');
		assert.equal(res.headers['content-type'], 'application/json;charset=utf-8');
		assert.deepEqual(body.groups.map((g) => g.groupId).sort((a, b) => a - b), [501, 502, 600, 10000]);
		for (const g of body.groups) assert.deepEqual(g.capabilities, ALL_EW);
		assert.deepEqual(body.groups.find((g) => g.groupId === 10000), { groupId: 10000, groupName: 'Default Group', capabilities: ALL_EW });
	});

	test('a role lists the groups it reaches (its group and those below) with its capabilities', async () => {
		const creds = await makeClient('ew_web', [
			{ groupId: 501, capabilities: ['READ_DATA'], permissions: ['cpcode-view'], edgeworkers: ['VIEW', 'VIEW_VERSION'] },
			{ groupId: 502, edgeworkers: ['ACTIVATE'] },
		]);
		const body = assertJson(await signed(creds, 'GET', EW), 200, 'ew-groups');
		assert.deepEqual(body, {
			groups: [
				{ groupId: 501, groupName: 'Web', capabilities: ['VIEW', 'VIEW_VERSION'] },
				{ groupId: 502, groupName: 'Shop', capabilities: ['VIEW', 'VIEW_VERSION', 'ACTIVATE'] },
			],
		});
		// EdgeKV's quirk (no access to the CP code's group reads as "not initialized") is
		// EdgeKV's own: the EdgeWorkers list above answers all the same.
		const ekv = await signed(creds, 'GET', `${V1}/auth/groups`);
		assert.equal(ekv.status, 404);
		assert.equal(ekv.json.detail, 'The EdgeKV database is not initialized.');
	});

	test('a caller without EdgeWorkers capabilities gets an empty list, not an error', async () => {
		const creds = await makeClient('ekv_only', [{ groupId: 0, capabilities: ['READ_DATA'], permissions: ['cpcode-view'] }]);
		assert.deepEqual(assertJson(await signed(creds, 'GET', EW), 200, 'ew-groups'), { groups: [] });
	});

	test('a client without the grant gets the gateway 403; a READ-ONLY grant may list', async () => {
		const none = await makeClient('ew_nogrant', [{ groupId: 0, role: 'admin' }], 'NONE');
		assertForbidden(await signed(none, 'GET', EW), 'The client does not have the grant needed for the request');
		const ro = await makeClient('ew_readonly', [{ groupId: 600, edgeworkers: ['VIEW'] }], 'READ-ONLY');
		assert.deepEqual(assertJson(await signed(ro, 'GET', EW), 200, 'ew-groups'), { groups: [{ groupId: 600, groupName: 'Other', capabilities: ['VIEW'] }] });
	});

	test('a role naming an unknown EdgeWorkers capability is refused by the control API', async () => {
		const res = await control('POST', '/accounts/1-DEFAULT/users', { name: 'ew_bad', roles: [{ groupId: 0, edgeworkers: ['NOPE'] }] });
		assert.equal(res.status, 400);
		assert.equal(res.json.detail, "The value of 'roles' is not valid.");
	});

	test('only GET is served', async () => {
		const res = await server.post(EW, '{}');
		assert.equal(res.status, 405);
		assert.equal(res.headers.allow, 'GET, HEAD');
	});
});

describe('GET /edgeworkers/v1/groups/{groupId}', () => {
	test('takes 123 and grp_123 alike and answers the integer id', async () => {
		for (const id of ['501', 'grp_501']) {
			const body = assertJson(await server.get(`${EW}/${id}`, { headers: CLI_HEADERS }), 200, 'ew-group');
			assert.deepEqual(body, { groupId: 501, groupName: 'Web', capabilities: ALL_EW });
		}
	});

	test('a group the caller has no EdgeWorkers capability in is 403', async () => {
		const creds = await makeClient('ew_one', [{ groupId: 501, edgeworkers: ['EDIT'] }]);
		assert.deepEqual(assertJson(await signed(creds, 'GET', `${EW}/grp_502`), 200, 'ew-group'), { groupId: 502, groupName: 'Shop', capabilities: ['EDIT'] });
		assertForbidden(await signed(creds, 'GET', `${EW}/600`), NO_ACCESS);
		assertForbidden(await signed(creds, 'GET', `${EW}/10000`), NO_ACCESS);
	});

	test('an unknown group or an id that is not one is 403', async () => {
		for (const id of ['999999', '0', 'grp_', 'grp_x', '-1', '12a', 'GRP_501', '99999999999999999999'])
			assertForbidden(await server.get(`${EW}/${id}`), NO_ACCESS);
	});
});
