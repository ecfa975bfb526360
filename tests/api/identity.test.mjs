// Identity and permissions: EdgeGrid verification, grants, API clients frozen at
// creation, access groups and capabilities, the Known issues page's permission quirks, accounts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import {
	CREDS,
	V1,
	assertJson,
	assertProblem,
	assertSchema,
	assertTraceId,
	itemPath,
	nsPath,
	plainRequest,
	startServer,
	assertGateway,
} from './helpers.mjs';

const require = createRequire(import.meta.url);
const { dirname, join } = require('node:path');
const EG_SRC = dirname(require.resolve('akamai-edgegrid'));
const auth = require(join(EG_SRC, 'src/auth.js'));

const CONTROL = '/_emulator';
const DETAIL = {
	badSignature: 'The signature does not match',
	inactive: 'Inactive client token',
	noGrant: 'The client does not have the grant needed for the request',
};

/** An EdgeGrid timestamp (yyyyMMddTHH:mm:ss+0000) offset from now by seconds. */
function stamp(offsetSeconds = 0) {
	const d = new Date(Date.now() + offsetSeconds * 1000).toISOString();
	return `${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}T${d.slice(11, 19)}+0000`;
}

/**
 * A request signed by npm akamai-edgegrid with the given credentials (timestamp and nonce may
 * be fixed). Over HTTPS when tls is set; plain HTTP otherwise (docs/clients.md §1.2).
 */
function signed(server, creds, method, path, { body, timestamp, nonce, tls = false, headers = {} } = {}) {
	const base = tls ? server.httpsUrl : `${server.httpUrl}#https://x`;
	const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
	const req = { path, method, headers: { ...headers }, body: method === 'POST' ? text : undefined };
	if (text !== undefined && !req.headers['Content-Type']) req.headers['Content-Type'] = 'application/json';
	auth.generateAuth(req, creds.client_token, creds.client_secret, creds.access_token, base, undefined, nonce, timestamp);
	const url = new URL(req.url);
	url.hash = '';
	return plainRequest(url.toString(), {
		method,
		headers: req.headers,
		body: text,
		ca: tls ? server.tlsAgent.options.ca : undefined,
	});
}

function control(server, method, path, body) {
	return plainRequest(`${server.httpUrl}${CONTROL}${path}`, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
}

/** Creates a user with roles and an API client for it; returns akamai-edgegrid style creds. */
async function makeClient(server, { account = '1-DEFAULT', user, roles, grant = 'READ-WRITE', accountSwitch }) {
	const u = await control(server, 'POST', `/accounts/${account}/users`, { name: user, roles });
	assert.equal(u.status, 201, u.body);
	const body = { user, grant };
	if (accountSwitch) body.accountSwitch = accountSwitch;
	const c = await control(server, 'POST', `/accounts/${account}/clients`, body);
	assert.equal(c.status, 201, c.body);
	return { client_token: c.json.clientToken, client_secret: c.json.clientSecret, access_token: c.json.accessToken };
}

const ALL_CAPS = [
	'READ_DATA', 'WRITE_DATA', 'DELETE_DATA', 'READ_STAGING_DATA', 'WRITE_STAGING_DATA',
	'DELETE_STAGING_DATA', 'VIEW_NAMESPACE', 'CREATE_NAMESPACE', 'MODIFY_NAMESPACE',
	'DELETE_NAMESPACE', 'AUTHORIZE_NAMESPACE', 'VIEW_STAGING_NAMESPACE', 'CREATE_STAGING_NAMESPACE',
	'MODIFY_STAGING_NAMESPACE', 'DELETE_STAGING_NAMESPACE', 'AUTHORIZE_STAGING_NAMESPACE',
	'VIEW_TOKEN', 'CREATE_TOKEN', 'REVOKE_TOKEN', 'VIEW_STAGING_TOKEN', 'CREATE_STAGING_TOKEN',
	'REVOKE_STAGING_TOKEN',
];

describe('EdgeGrid authentication in strict mode', () => {
	let server;
	before(async () => {
		server = await startServer();
	});
	after(() => server.close());

	test('the default fixture client signed by akamai-edgegrid is accepted over HTTP and HTTPS', async () => {
		assertJson(await signed(server, CREDS, 'GET', `${V1}/initialize`), 200, 'initialize-status');
		assertJson(await signed(server, CREDS, 'GET', `${V1}/initialize`, { tls: true }), 200, 'initialize-status');
		const created = await signed(server, CREDS, 'POST', nsPath('staging'), {
			body: { namespace: 'egpost', retentionInSeconds: 0, groupId: 0 },
		});
		assertJson(created, 200, 'namespace');
	});

	test('a request without an Authorization header gets the gateway 401', async () => {
		const res = await plainRequest(`${server.httpUrl}${V1}/initialize`);
		assertGateway(res, 401, 'The Authorization header is missing or malformed', 'pep-authn/deny');
		assert.equal(res.json.method, 'GET');
		assert.equal(res.json.clientIp, '127.0.0.1');
		assert.equal(res.json.instance, `${server.httpUrl}${V1}/initialize`);
	});

	test('a wrong client secret gets 401 The signature does not match', async () => {
		const res = await signed(server, { ...CREDS, client_secret: 'd3Jvbmc=' }, 'GET', `${V1}/initialize`);
		assertGateway(res, 401, DETAIL.badSignature, 'pep-authn/deny');
	});

	test('a signature made for another path, host or body does not pass', async () => {
		const good = await signed(server, CREDS, 'GET', `${V1}/initialize`);
		assert.equal(good.status, 200);
		const req = { path: `${V1}/initialize`, method: 'GET', headers: {} };
		auth.generateAuth(req, CREDS.client_token, CREDS.client_secret, CREDS.access_token, `${server.httpUrl}#https://x`);
		const moved = await plainRequest(`${server.httpUrl}${V1}/auth/groups`, { headers: req.headers });
		assertGateway(moved, 401, DETAIL.badSignature, 'pep-authn/deny');
		const post = { path: nsPath('staging'), method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"namespace":"a"}' };
		auth.generateAuth(post, CREDS.client_token, CREDS.client_secret, CREDS.access_token, `${server.httpUrl}#https://x`);
		const tampered = await plainRequest(`${server.httpUrl}${nsPath('staging')}`, {
			method: 'POST', headers: post.headers, body: '{"namespace":"b"}',
		});
		assertGateway(tampered, 401, DETAIL.badSignature, 'pep-authn/deny');
	});

	test('an unknown client token gets 401 Inactive client token', async () => {
		const res = await signed(server, { ...CREDS, client_token: 'akab-nobody-000' }, 'GET', `${V1}/initialize`);
		assertGateway(res, 401, DETAIL.inactive, 'pep-authn/deny');
	});

	test('a wrong access token for a known client gets 401', async () => {
		const res = await signed(server, { ...CREDS, access_token: 'akab-other' }, 'GET', `${V1}/initialize`);
		assertGateway(res, 401, 'The access token does not match the client token', 'pep-authn/deny');
	});

	test('a timestamp outside the window gets 400 Invalid timestamp', async () => {
		for (const offset of [-3600, 3600]) {
			const res = await signed(server, CREDS, 'GET', `${V1}/initialize`, { timestamp: stamp(offset) });
			assertGateway(res, 400, 'Invalid timestamp', 'pep-authn/request-error');
			assert.equal(res.json.title, 'Bad request');
		}
		const near = await signed(server, CREDS, 'GET', `${V1}/initialize`, { timestamp: stamp(-60) });
		assert.equal(near.status, 200);
	});

	test('a replayed nonce is refused the second time', async () => {
		const req = { path: `${V1}/initialize`, method: 'GET', headers: {} };
		auth.generateAuth(req, CREDS.client_token, CREDS.client_secret, CREDS.access_token, `${server.httpUrl}#https://x`);
		const first = await plainRequest(`${server.httpUrl}${V1}/initialize`, { headers: req.headers });
		assert.equal(first.status, 200);
		const again = await plainRequest(`${server.httpUrl}${V1}/initialize`, { headers: req.headers });
		assertGateway(again, 401, 'The nonce has already been used', 'pep-authn/deny');
	});

	test('bad and hostile Authorization headers get their gateway error and the server stays up', async () => {
		const MALFORMED = 'The Authorization header is missing or malformed';
		const hostile = [
			['EG1-HMAC-SHA256', 401, MALFORMED, 'pep-authn/deny'],
			['EG1-HMAC-SHA256 ' + 'a'.repeat(20000), 401, MALFORMED, 'pep-authn/deny'],
			['EG1-HMAC-SHA256 client_token=;access_token=;timestamp=;nonce=;signature=', 401, MALFORMED, 'pep-authn/deny'],
			// Well formed but for the timestamp, which is checked before the signature.
			[`EG1-HMAC-SHA256 client_token=${CREDS.client_token};access_token=${CREDS.access_token};timestamp=x;nonce=n;signature=s`, 400, 'Invalid timestamp', 'pep-authn/request-error'],
			['Basic dXNlcjpwYXNz', 401, MALFORMED, 'pep-authn/deny'],
			// Parsed as fields: the client token is simply one no account has.
			['EG1-HMAC-SHA256 client_token=\u00e9\u00e8;access_token=x;timestamp=y;nonce=z;signature=w', 401, 'Inactive client token', 'pep-authn/deny'],
		];
		for (const [value, status, detail, kind] of hostile) {
			const res = await server.raw({ target: `${V1}/initialize`, headers: { Authorization: value }, sign: false });
			assertGateway(res, status, detail, kind);
		}
		const repeated = await server.raw(
			`GET ${V1}/initialize HTTP/1.1\r\nHost: x\r\nAuthorization: a\r\nAuthorization: b\r\nConnection: close\r\n\r\n`,
		);
		assertGateway(repeated, 401, MALFORMED, 'pep-authn/deny');
		const binary = await server.raw(
			Buffer.concat([
				Buffer.from(`GET ${V1}/initialize HTTP/1.1\r\nHost: x\r\nAuthorization: EG1-HMAC-SHA256 `),
				Buffer.from([0xff, 0xfe, 0x01, 0x80]),
				Buffer.from('\r\nConnection: close\r\n\r\n'),
			]),
		);
		assertGateway(binary, 401, MALFORMED, 'pep-authn/deny');
		assert.equal((await signed(server, CREDS, 'GET', `${V1}/initialize`)).status, 200);
	});

	test('Debian python3-edgegrid, a second real signer, is accepted', async () => {
		const script = [
			'import sys, requests',
			'from akamai.edgegrid import EdgeGridAuth',
			's = requests.Session()',
			's.auth = EdgeGridAuth(client_token=sys.argv[2], client_secret=sys.argv[3], access_token=sys.argv[4])',
			'r = s.get(sys.argv[1] + "/edgekv/v1/networks/staging/namespaces?details=on")',
			'p = s.post(sys.argv[1] + "/edgekv/v1/networks/production/namespaces", json={"namespace": "pyns", "retentionInSeconds": 86400, "groupId": 0})',
			'print(r.status_code, p.status_code)',
		].join('\n');
		const run = spawnSync('/usr/bin/python3', ['-c', script, server.httpUrl, CREDS.client_token, CREDS.client_secret, CREDS.access_token], {
			encoding: 'utf8',
			timeout: 20000,
			env: { ...process.env, REQUESTS_CA_BUNDLE: '', NO_PROXY: '127.0.0.1' },
		});
		assert.equal(run.status, 0, run.stderr);
		assert.equal(run.stdout.trim(), '200 200');
	});
});

describe('grants, clients frozen at creation, and the permission quirks of docs/behaviour.md §8', () => {
	let server;
	before(async () => {
		server = await startServer();
	});
	after(() => server.close());

	test('a client without the EdgeKV grant gets the gateway 403', async () => {
		const creds = await makeClient(server, { user: 'nogrant', roles: [{ groupId: 0, role: 'admin' }], grant: 'NONE' });
		const res = await signed(server, creds, 'GET', `${V1}/initialize`);
		assertGateway(res, 403, DETAIL.noGrant, 'pep-authz/deny');
		assert.equal(res.json.title, 'Forbidden');
	});

	test('a READ-ONLY client reads but every change gets the gateway 403', async () => {
		const creds = await makeClient(server, { user: 'reader', roles: [{ groupId: 0, role: 'admin' }], grant: 'READ-ONLY' });
		assertJson(await signed(server, creds, 'GET', nsPath('staging')), 200, 'namespaces');
		const put = await signed(server, creds, 'PUT', itemPath('staging', 'default', 'g', 'k'), { body: 'v' });
		assertGateway(put, 403, DETAIL.noGrant, 'pep-authz/deny');
		const post = await signed(server, creds, 'POST', nsPath('staging'), { body: { namespace: 'x', retentionInSeconds: 0 } });
		assertGateway(post, 403, DETAIL.noGrant, 'pep-authz/deny');
	});

	test('a deactivated client gets 401 Inactive client token', async () => {
		const creds = await makeClient(server, { user: 'leaver', roles: [{ groupId: 0, role: 'admin' }] });
		assert.equal((await signed(server, creds, 'GET', `${V1}/initialize`)).status, 200);
		const off = await control(server, 'POST', `/clients/${creds.client_token}/deactivate`);
		assert.equal(off.status, 200);
		assertGateway(await signed(server, creds, 'GET', `${V1}/initialize`), 401, DETAIL.inactive, 'pep-authn/deny');
	});

	test('a client keeps the roles its user had when it was made; a new client gets the new ones', async () => {
		const before = await makeClient(server, { user: 'changing', roles: [{ groupId: 0, role: 'admin' }] });
		const cut = await control(server, 'PUT', '/accounts/1-DEFAULT/users/changing/roles', {
			roles: [{ groupId: 0, capabilities: ['VIEW_STAGING_NAMESPACE'], permissions: [] }],
		});
		assert.equal(cut.status, 200, cut.body);
		assertJson(await signed(server, before, 'GET', nsPath('staging')), 200, 'namespaces');
		const c = await control(server, 'POST', '/accounts/1-DEFAULT/clients', { user: 'changing' });
		assert.equal(c.status, 201);
		const after = { client_token: c.json.clientToken, client_secret: c.json.clientSecret, access_token: c.json.accessToken };
		// No "CP Code - View CP Code Information - View CP Codes": the Known issues page's 500.
		assertProblem(await signed(server, after, 'GET', nsPath('staging')), 500, 'EKV_0000', 'An internal error occurred.');
	});

	test('a role without the CP code view permission gets 500 An internal error occurred.', async () => {
		const creds = await makeClient(server, {
			user: 'nocpcode',
			roles: [{ groupId: 0, capabilities: ALL_CAPS, permissions: ['edgekv-token-create', 'edgekv-token-view'] }],
		});
		for (const path of [`${V1}/initialize`, nsPath('production'), `${V1}/auth/groups`])
			assertProblem(await signed(server, creds, 'GET', path), 500, 'EKV_0000', 'An internal error occurred.');
	});

	test('a user without access to the CP code group sees the database as not initialized', async () => {
		const g = await control(server, 'POST', '/accounts/1-DEFAULT/groups', { groupId: 20000, groupName: 'Elsewhere' });
		assert.equal(g.status, 201, g.body);
		const creds = await makeClient(server, {
			user: 'outsider',
			roles: [{ groupId: 20000, capabilities: ALL_CAPS, permissions: ['cpcode-view'] }],
		});
		const status = await signed(server, creds, 'GET', `${V1}/initialize`);
		assert.equal(status.status, 404);
		assert.equal(status.json.accountStatus, 'UNINITIALIZED');
		assertProblem(await signed(server, creds, 'GET', nsPath('staging')), 404, 'EKV_9000', 'The EdgeKV database is not initialized.');
	});

	test('token creation needs EdgeKV Access Token - Create; listing and retrieval need View', async () => {
		const token = { name: 'permtok', allowOnProduction: false, allowOnStaging: true, namespacePermissions: { default: ['r'] } };
		const viewer = await makeClient(server, {
			user: 'tokenviewer',
			roles: [{ groupId: 0, capabilities: ALL_CAPS, permissions: ['cpcode-view', 'edgekv-token-view'] }],
		});
		assertProblem(
			await signed(server, viewer, 'POST', `${V1}/tokens`, { body: token }),
			403,
			'EKV_1000',
			"You do not have the 'EdgeKV Access Token - Create' permission needed for this request.",
		);
		assert.equal((await signed(server, CREDS, 'POST', `${V1}/tokens`, { body: token })).status, 200);
		assert.equal((await signed(server, viewer, 'GET', `${V1}/tokens`)).status, 200);
		assert.equal((await signed(server, viewer, 'GET', `${V1}/tokens/permtok`)).status, 200);
		assertProblem(await signed(server, viewer, 'DELETE', `${V1}/tokens/permtok`), 403, 'EKV_1000',
			"You do not have the 'EdgeKV Access Token - Create' permission needed for this request.");
		const creator = await makeClient(server, {
			user: 'tokencreator',
			roles: [{ groupId: 0, capabilities: ALL_CAPS, permissions: ['cpcode-view', 'edgekv-token-create'] }],
		});
		const view = "You do not have the 'EdgeKV Access Token - View' permission needed for this request.";
		assertProblem(await signed(server, creator, 'GET', `${V1}/tokens`), 403, 'EKV_1000', view);
		assertProblem(await signed(server, creator, 'GET', `${V1}/tokens/permtok`), 403, 'EKV_1000', view);
	});

	test('without access to the CP code group, token retrieval says the database is not initialized', async () => {
		// Known issues page: "ERROR: Unable to retrieve EdgeKV token. The EdgeKV database is not initialized."
		const creds = await makeClient(server, {
			user: 'tokenoutsider',
			roles: [{ groupId: 20000, role: 'admin' }],
		});
		assertProblem(await signed(server, creds, 'GET', `${V1}/tokens/permtok`), 404, 'EKV_9000', 'The EdgeKV database is not initialized.');
	});

	test('changing the database policy needs its permission', async () => {
		const creds = await makeClient(server, {
			user: 'nopolicy',
			roles: [{ groupId: 0, capabilities: ALL_CAPS, permissions: ['cpcode-view'] }],
		});
		const res = await signed(server, creds, 'PUT', `${V1}/auth/database`, {
			body: { dataAccessPolicy: { restrictDataAccess: true, allowNamespacePolicyOverride: true } },
		});
		assertProblem(res, 403, 'EKV_1000', "You do not have the 'EdgeKV Database Data Access Policy - Manage' permission needed for this request.");
		const ok = await signed(server, CREDS, 'PUT', `${V1}/auth/database`, {
			body: { dataAccessPolicy: { restrictDataAccess: true, allowNamespacePolicyOverride: true } },
		});
		assertJson(ok, 200, 'initialize-status');
	});
});

describe('initialization by users inside and outside the top-level group', () => {
	let server;
	before(async () => {
		server = await startServer();
	});
	after(() => server.close());

	test('a user of a subgroup cannot initialize; an admin of the top group can', async () => {
		const acc = await control(server, 'POST', '/accounts', { id: '1-FRESH', initialized: false, groupId: 500, groupName: 'Top' });
		assert.equal(acc.status, 201, acc.body);
		assert.equal(acc.json.status, 'UNINITIALIZED');
		assert.equal((await control(server, 'POST', '/accounts/1-FRESH/groups', { groupId: 501, groupName: 'Sub', parentGroupId: 500 })).status, 201);
		const sub = await makeClient(server, { account: '1-FRESH', user: 'sub', roles: [{ groupId: 501, role: 'admin' }] });
		const failed = await signed(server, sub, 'PUT', `${V1}/initialize`);
		assert.equal(failed.status, 200);
		assertSchema('initialize-status', failed.json);
		assert.equal(failed.json.accountStatus, 'UNINITIALIZED');
		const top = await makeClient(server, { account: '1-FRESH', user: 'top', roles: [{ groupId: 500, role: 'admin' }] });
		assert.equal((await signed(server, top, 'GET', `${V1}/initialize`)).status, 404);
		const done = await signed(server, top, 'PUT', `${V1}/initialize`);
		assert.equal(done.status, 201);
		assert.equal(done.json.accountStatus, 'INITIALIZED');
		assert.equal((await signed(server, top, 'PUT', `${V1}/initialize`)).status, 200);
	});
});

describe('access groups, capabilities per network, reauthorization', () => {
	let server;
	let limited;
	before(async () => {
		server = await startServer();
		assert.equal((await control(server, 'POST', '/accounts/1-DEFAULT/groups', { groupId: 4284, groupName: 'Group #42', parentGroupId: 10000 })).status, 201);
		assert.equal((await control(server, 'POST', '/accounts/1-DEFAULT/groups', { groupId: 5555, groupName: 'Other' })).status, 201);
		limited = await makeClient(server, {
			user: 'stager',
			roles: [
				{ groupId: 10000, capabilities: ['VIEW_NAMESPACE'], permissions: ['cpcode-view'] },
				{ groupId: 4284, capabilities: ['VIEW_STAGING_NAMESPACE', 'READ_STAGING_DATA', 'WRITE_STAGING_DATA', 'AUTHORIZE_STAGING_NAMESPACE'], permissions: [] },
			],
		});
		for (const net of ['staging', 'production']) {
			const r = await server.post(nsPath(net), { namespace: 'marketing', retentionInSeconds: 0, groupId: 4284 });
			assert.equal(r.status, 200, r.body);
			const s = await server.post(nsPath(net), { namespace: 'secret', retentionInSeconds: 0, groupId: 5555 });
			assert.equal(s.status, 200, s.body);
			assert.equal((await server.put(itemPath(net, 'marketing', 'countries', 'US'), 'United States', { headers: { 'Content-Type': 'text/plain' } })).status, 200);
		}
	});
	after(() => server.close());

	test('GET /auth/groups lists the groups where the caller has capabilities, with them', async () => {
		const all = assertJson(await signed(server, limited, 'GET', `${V1}/auth/groups`), 200);
		const byId = Object.fromEntries(all.groups.map((g) => [g.groupId, g]));
		assert.deepEqual(Object.keys(byId).map(Number).sort((a, b) => a - b), [4284, 10000]);
		assert.deepEqual(byId[10000], { groupId: 10000, groupName: 'Default Group', capabilities: ['VIEW_NAMESPACE'] });
		// Roles of a parent group reach its subgroups.
		assert.deepEqual(byId[4284].capabilities, ['READ_STAGING_DATA', 'WRITE_STAGING_DATA', 'VIEW_NAMESPACE', 'VIEW_STAGING_NAMESPACE', 'AUTHORIZE_STAGING_NAMESPACE']);
		const admin = assertJson(await server.get(`${V1}/auth/groups/0`), 200);
		assert.deepEqual(admin, { groupId: 0, groupName: 'Account Group', capabilities: ALL_CAPS });
	});

	test('GET /auth/groups/{groupId} of a group the caller cannot see is 403 EKV_1000', async () => {
		assertJson(await signed(server, limited, 'GET', `${V1}/auth/groups/4284`), 200);
		assertProblem(await signed(server, limited, 'GET', `${V1}/auth/groups/5555`), 403, 'EKV_1000', 'You do not have access to group 5555.');
		assertProblem(await signed(server, limited, 'GET', `${V1}/auth/groups/100`), 403, 'EKV_1000', 'You do not have access to group 100.');
	});

	test('namespaces are listed and reachable only where the caller may view them', async () => {
		const staging = assertJson(await signed(server, limited, 'GET', nsPath('staging')), 200);
		// default belongs to group 0, open to every group where the caller may view namespaces.
		assert.deepEqual(staging.namespaces.map((n) => n.namespace), ['default', 'marketing']);
		assertProblem(
			await signed(server, limited, 'GET', nsPath('staging', 'secret')),
			400,
			'EKV_1002',
			"That resource does not exist or you are missing the 'VIEW_STAGING_NAMESPACE' permission for it.",
		);
	});

	test('data capabilities are per network: staging reads pass, production reads do not', async () => {
		const ok = await signed(server, limited, 'GET', itemPath('staging', 'marketing', 'countries', 'US'));
		assert.equal(ok.status, 200);
		assert.equal(ok.body, 'United States');
		assertProblem(
			await signed(server, limited, 'GET', itemPath('production', 'marketing', 'countries', 'US')),
			400,
			'EKV_1002',
			"That resource does not exist or you are missing the 'READ_DATA' permission for it.",
		);
		assertProblem(
			await signed(server, limited, 'DELETE', itemPath('staging', 'marketing', 'countries', 'US')),
			400,
			'EKV_1002',
			"That resource does not exist or you are missing the 'DELETE_STAGING_DATA' permission for it.",
		);
		assertProblem(
			await signed(server, limited, 'POST', nsPath('staging'), { body: { namespace: 'mine', retentionInSeconds: 0, groupId: 4284 } }),
			400,
			'EKV_1002',
			"That resource does not exist or you are missing the 'CREATE_STAGING_NAMESPACE' permission for it.",
		);
	});

	test('PUT /auth/namespaces/{namespace} moves the namespace on both networks', async () => {
		const res = await server.cli('PUT', `${V1}/auth/namespaces/marketing`, { body: '{"groupId":"5555"}', metric: 'Modify/authgroup' });
		assert.deepEqual(assertJson(res, 200), { groupId: 5555 });
		for (const net of ['staging', 'production'])
			assert.equal(assertJson(await server.get(nsPath(net, 'marketing')), 200, 'namespace').groupId, 5555);
		const back = await server.put(`${V1}/auth/namespaces/marketing`, { groupId: 4284 });
		assert.equal(back.status, 200);
	});

	test('reauthorizing without AUTHORIZE_NAMESPACE, or a missing namespace, is 400 EKV_1002', async () => {
		const text = "That resource does not exist or you are missing the 'AUTHORIZE_NAMESPACE' permission for it.";
		assertProblem(await signed(server, limited, 'PUT', `${V1}/auth/namespaces/marketing`, { body: { groupId: 4284 } }), 400, 'EKV_1002', text);
		assertProblem(await server.put(`${V1}/auth/namespaces/nothere`, { groupId: 4284 }), 400, 'EKV_1002', text);
		assertProblem(await server.put(`${V1}/auth/namespaces/marketing`, {}), 400, 'EKV_2000', 'groupId must be an integer of 0 or more.');
	});
});

describe('accounts', () => {
	let server;
	let other;
	before(async () => {
		server = await startServer();
		assert.equal((await control(server, 'POST', '/accounts', { id: '1-OTHER' })).status, 201);
		other = await makeClient(server, { account: '1-OTHER', user: 'boss', roles: [{ groupId: 0, role: 'admin' }] });
	});
	after(() => server.close());

	test('two accounts never see each other\'s namespaces or items', async () => {
		for (const [creds, value] of [[CREDS, 'mine'], [other, 'theirs']]) {
			assert.equal((await signed(server, creds, 'POST', nsPath('staging'), { body: { namespace: 'shared', retentionInSeconds: 0, groupId: 0 } })).status, 200);
			assert.equal((await signed(server, creds, 'PUT', itemPath('staging', 'shared', 'g', 'k'), { body: value, headers: { 'Content-Type': 'text/plain' } })).status, 200);
		}
		assert.equal((await signed(server, other, 'POST', nsPath('staging'), { body: { namespace: 'onlyother', retentionInSeconds: 0, groupId: 0 } })).status, 200);
		assert.equal((await signed(server, CREDS, 'GET', itemPath('staging', 'shared', 'g', 'k'))).body, 'mine');
		assert.equal((await signed(server, other, 'GET', itemPath('staging', 'shared', 'g', 'k'))).body, 'theirs');
		const mine = assertJson(await signed(server, CREDS, 'GET', nsPath('staging')), 200);
		assert.ok(!mine.namespaces.some((n) => n.namespace === 'onlyother'));
		assertProblem(await signed(server, CREDS, 'GET', nsPath('staging', 'onlyother')), 400, 'EKV_9000', 'The requested namespace does not exist.');
		assert.notEqual(
			assertJson(await signed(server, CREDS, 'GET', `${V1}/initialize`), 200).cpcode,
			assertJson(await signed(server, other, 'GET', `${V1}/initialize`), 200).cpcode,
		);
	});

	test('two accounts never see each other\'s tokens, and a token reads only its own account', async () => {
		const tok = (name) => ({ name, allowOnProduction: false, allowOnStaging: true, namespacePermissions: { shared: ['r'] } });
		const mine = assertJson(await signed(server, CREDS, 'POST', `${V1}/tokens`, { body: tok('mytok') }), 200);
		const theirs = assertJson(await signed(server, other, 'POST', `${V1}/tokens`, { body: tok('theirtok') }), 200);
		const mineList = assertJson(await signed(server, CREDS, 'GET', `${V1}/tokens`), 200).tokens.map((t) => t.name);
		const theirList = assertJson(await signed(server, other, 'GET', `${V1}/tokens`), 200).tokens.map((t) => t.name);
		assert.deepEqual(mineList, ['mytok']);
		assert.deepEqual(theirList, ['theirtok']);
		assertProblem(await signed(server, CREDS, 'GET', `${V1}/tokens/theirtok`), 404, 'EKV_3000', 'Token with name theirtok does not exist.');
		// The same name is free in the other account.
		assert.equal((await signed(server, other, 'POST', `${V1}/tokens`, { body: tok('mytok') })).status, 200);
		// On the data plane the token names the account: each reads its own value of shared/g/k.
		await control(server, 'POST', '/clock', { advanceSeconds: 60 }); // past the activation delay
		const read = (uuid) =>
			plainRequest(`${server.httpUrl}/api/v1/namespaces/shared/groups/g/items/k`, { headers: { 'X-Akamai-EdgeDB-Auth-Ref': uuid } });
		assert.equal((await read(mine.uuid)).body, 'mine');
		assert.equal((await read(theirs.uuid)).body, 'theirs');
	});

	test('accountSwitchKey acts for an account the client may switch to, and only then', async () => {
		const plain = await makeClient(server, { user: 'homebody', roles: [{ groupId: 0, role: 'admin' }] });
		const denied = await signed(server, plain, 'GET', `${nsPath('staging')}?accountSwitchKey=1-OTHER`);
		assertGateway(denied, 403, DETAIL.noGrant, 'pep-authz/deny');
		const switcher = await makeClient(server, { user: 'partner', roles: [{ groupId: 0, role: 'admin' }], accountSwitch: ['1-OTHER'] });
		const res = await signed(server, switcher, 'GET', `${nsPath('staging')}?details=true&accountSwitchKey=1-OTHER`);
		const list = assertJson(res, 200, 'namespaces-details');
		assert.ok(list.namespaces.some((n) => n.namespace === 'onlyother'));
		const own = assertJson(await signed(server, switcher, 'GET', `${nsPath('staging')}?accountSwitchKey=1-DEFAULT`), 200);
		assert.ok(!own.namespaces.some((n) => n.namespace === 'onlyother'));
		assertGateway(await signed(server, switcher, 'GET', `${nsPath('staging')}?accountSwitchKey=1-NOPE`), 403, DETAIL.noGrant, 'pep-authz/deny');
	});

	test('the control API refuses bad input with problem bodies', async () => {
		assert.equal((await control(server, 'POST', '/accounts', { id: '1-OTHER' })).status, 409);
		assert.equal((await control(server, 'POST', '/accounts', { id: 'bad id!' })).status, 400);
		assert.equal((await control(server, 'POST', '/accounts/1-NONE/users', { name: 'x' })).status, 404);
		assert.equal((await control(server, 'POST', '/accounts/1-OTHER/users', { name: 'x', roles: [{ groupId: 0, capabilities: ['FLY'] }] })).status, 400);
		assert.equal((await control(server, 'POST', '/accounts/1-OTHER/clients', { user: 'ghost' })).status, 404);
		assert.equal((await control(server, 'POST', '/accounts/1-OTHER/clients', { user: 'boss', grant: 'ALL' })).status, 400);
		assert.equal((await control(server, 'POST', '/clients/akab-none/deactivate')).status, 404);
		const got = await control(server, 'GET', '/accounts/1-OTHER');
		assert.equal(got.status, 200);
		assert.deepEqual(got.json.groups, [{ groupId: 10000, groupName: 'Default Group', parentGroupId: null }]);
	});
});

describe('auth modes', () => {
	test('--auth off accepts any or no Authorization header as the default account', async () => {
		const server = await startServer({ args: ['--auth', 'off'] });
		try {
			assert.equal((await plainRequest(`${server.httpUrl}${V1}/initialize`)).status, 200);
			const res = await signed(server, { ...CREDS, client_secret: 'd3Jvbmc=' }, 'GET', nsPath('staging'));
			assertJson(res, 200, 'namespaces');
		} finally {
			await server.close();
		}
	});

	test('--auth soft lets refused requests through and logs them', async () => {
		const server = await startServer({ args: ['--auth', 'soft'] });
		try {
			assert.equal((await plainRequest(`${server.httpUrl}${V1}/initialize`)).status, 200);
			assert.equal((await signed(server, { ...CREDS, client_secret: 'd3Jvbmc=' }, 'GET', `${V1}/initialize`)).status, 200);
			const logged = /soft mode lets through what strict mode refuses: signature does not match/;
			for (let i = 0; i < 40 && !logged.test(server.stderrTail); i++) await new Promise((r) => setTimeout(r, 50));
			assert.match(server.stderrTail, logged);
		} finally {
			await server.close();
		}
	});

	test('an unknown --auth mode is refused at start', () => {
		const run = spawnSync(process.env.EKV_BIN ?? 'build/release/edgekv-emulator', ['--auth', 'lax'], { encoding: 'utf8', timeout: 5000 });
		assert.equal(run.status, 2);
		assert.match(run.stderr, /--auth must be strict, soft or off/);
	});
});
