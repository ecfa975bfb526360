// What the web console needs from the control API: the account list, an account's users and
// API clients, the journal's since= cursor and bodies, its view of the items (sandbox groups,
// pages filtered over every key, expiry), the console's own files with their
// Content-Security-Policy, and the refusal of changes sent by another site's page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CREDS, V1, assertJson, assertProblem, itemPath, namespaceBody, nsPath, plainRequest, startServer, uniqueName } from './helpers.mjs';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const DEFAULT_ACCOUNT = { id: '1-DEFAULT', status: 'INITIALIZED', cpcode: '3128820', standardTls: true, cpcodeGroupId: 10000 };
const ADMIN_ROLES = [{ groupId: 0, role: 'admin' }];

let server;

function ctl(method, path, { body, headers = {} } = {}) {
	return plainRequest(`${server.httpUrl}/_emulator${path}`, {
		method,
		headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
}

describe('the console\'s control API', () => {
	before(async () => {
		server = await startServer();
	});
	after(async () => {
		await server?.close();
	});

	test('GET /_emulator/accounts lists every account by id', async () => {
		assert.deepEqual((await ctl('GET', '/accounts')).json, { accounts: [DEFAULT_ACCOUNT] });
		assert.equal((await ctl('POST', '/accounts', { body: { id: '1-ABC', initialized: false } })).status, 201);
		const res = await ctl('GET', '/accounts');
		assert.equal(res.status, 200);
		assert.deepEqual(res.json.accounts, [
			{ id: '1-ABC', status: 'UNINITIALIZED', cpcode: '', standardTls: true, cpcodeGroupId: 10000 },
			DEFAULT_ACCOUNT,
		]);
	});

	test('GET /_emulator/accounts/{account} has the users and API clients, credentials included', async () => {
		// Clients come by client token: this one sorts after the development client.
		const made = (await ctl('POST', '/accounts/1-DEFAULT/clients', { body: { user: 'admin', grant: 'READ-ONLY', clientToken: 'akab-reader-0000000000000000000000' } })).json;
		assert.equal((await ctl('POST', `/clients/${made.clientToken}/deactivate`)).status, 200);
		const res = await ctl('GET', '/accounts/1-DEFAULT');
		assert.equal(res.status, 200);
		assert.deepEqual(res.json.users, [{ name: 'admin', email: 'admin@example.com', roles: ADMIN_ROLES }]);
		assert.deepEqual(res.json.clients, [
			{ clientToken: CREDS.client_token, accessToken: CREDS.access_token, clientSecret: CREDS.client_secret,
				user: 'admin', grant: 'READ-WRITE', roles: ADMIN_ROLES, accountSwitch: '*', active: true },
			{ clientToken: made.clientToken, accessToken: made.accessToken, clientSecret: made.clientSecret,
				user: 'admin', grant: 'READ-ONLY', roles: ADMIN_ROLES, accountSwitch: [], active: false },
		]);
		const empty = (await ctl('GET', '/accounts/1-ABC')).json;
		assert.deepEqual([empty.users, empty.clients], [[], []]);
		assertProblem(await ctl('GET', '/accounts/1-NONE'), 404, 'EKV_9000', "Account '1-NONE' does not exist.");
	});

	test('the journal: since= gives only newer entries; bodies as text, cut at 1024 bytes', async () => {
		assert.equal((await ctl('DELETE', '/requests')).status, 204);
		await server.get(nsPath('staging'));
		await server.put(itemPath('staging', 'default', 'g', 'k'), 'hello', { headers: { 'Content-Type': 'text/plain' } });
		await server.put(itemPath('staging', 'default', 'g', 'big'), Buffer.concat([Buffer.alloc(1020, 'a'), Buffer.from([0xff, 0xc3, 0xa9, 0xe2, 0x82, 0xac])]),
			{ headers: { 'Content-Type': 'application/octet-stream' } });
		const all = (await ctl('GET', '/requests')).json.requests;
		assert.equal(all.length, 3);
		const since = await ctl('GET', `/requests?since=${all[0].seq}`);
		assert.equal(since.status, 200);
		assert.deepEqual(since.json.requests.map((r) => r.seq), [all[1].seq, all[2].seq]);
		assert.deepEqual((await ctl('GET', `/requests?since=${all[2].seq}`)).json.requests, []);
		assert.deepEqual((await ctl('GET', '/requests?since=0')).json.requests.length, 3);

		const [list, put, big] = all;
		assert.deepEqual([list.requestBody, list.requestBodyBytes, list.responseContentType], ['', 0, 'application/json;charset=utf-8']);
		assert.equal(list.responseBody, (await server.get(nsPath('staging'))).body);
		assert.deepEqual([put.requestBody, put.requestBodyBytes], ['hello', 5]);
		assert.equal(put.responseContentType, 'text/plain;charset=utf-8');
		assert.equal(put.responseBody, 'Item was upserted in database, namespace default, group g, and key k.');
		assert.equal(put.responseBodyBytes, put.responseBody.length);
		// The first 1024 bytes: 1020 'a', a byte that is not UTF-8 ('.'), 'é', and the first byte of a cut '€' ('.').
		assert.equal(big.requestBodyBytes, 1026);
		assert.equal(big.requestBody, `${'a'.repeat(1020)}.é.`);
	});

	test('since= takes digits only', async () => {
		for (const bad of ['-1', 'x', '1x', '%201'])
			assertProblem(await ctl('GET', `/requests?since=${bad}`), 400, 'EKV_2000', "The value of query parameter 'since' is not valid.");
	});

	test('the console\'s view of the items: groups with their sandbox, pages filtered over every key, expiry', async () => {
		const T = Date.parse('2030-01-01T00:00:00.000Z');
		const at = (seconds) => new Date(T + seconds * 1000).toISOString();
		assert.equal((await ctl('POST', '/clock', { body: { set: at(0), freeze: true } })).status, 200);
		const ns = uniqueName('browse');
		assert.equal((await server.post(nsPath('staging'), namespaceBody(ns, { retentionInSeconds: 86400 }))).status, 200);
		const keys = Array.from({ length: 25 }, (_, i) => `k${String(i).padStart(2, '0')}`);
		for (const k of keys)
			assert.equal((await server.put(itemPath('staging', ns, 'paged', k), `v-${k}`, { headers: { 'Content-Type': 'text/plain' } })).status, 200);
		assert.equal((await server.put(`${itemPath('staging', ns, 'paged', 'sbkey')}?sandboxId=sb-1`, '{"a":1}', { headers: { 'Content-Type': 'application/json' } })).status, 200);
		const base = `/accounts/1-DEFAULT/networks/staging/namespaces/${ns}`;

		assert.deepEqual(assertJson(await ctl('GET', `${base}/groups`), 200, 'console-groups'),
			{ groups: [{ group: 'paged', sandboxId: null }, { group: 'paged', sandboxId: 'sb-1' }] });
		const row = (k) => ({ key: k, contentType: 'text/plain', bytes: k.length + 2, expiresAt: at(86400) });
		const page = (q) => ctl('GET', `${base}/groups/paged/items${q}`);
		assert.deepEqual(assertJson(await page('?limit=10'), 200, 'console-items'),
			{ total: 25, offset: 0, limit: 10, items: keys.slice(0, 10).map(row) });
		assert.deepEqual(assertJson(await page('?offset=20&limit=10'), 200, 'console-items'),
			{ total: 25, offset: 20, limit: 10, items: keys.slice(20).map(row) });
		assert.deepEqual((await page('')).json, { total: 25, offset: 0, limit: 100, items: keys.map(row) });
		// The filter is a substring of the key, over every key of the group, before the page.
		const ones = keys.filter((k) => k.includes('1'));
		assert.deepEqual(assertJson(await page('?contains=1&offset=5&limit=5'), 200, 'console-items'),
			{ total: ones.length, offset: 5, limit: 5, items: ones.slice(5, 10).map(row) });
		assert.deepEqual((await page('?contains=%25')).json, { total: 0, offset: 0, limit: 100, items: [] });
		assert.deepEqual((await page('?offset=30')).json, { total: 25, offset: 30, limit: 100, items: [] });
		// A sandbox's items live two days, whatever the namespace's retention.
		const sandboxed = { key: 'sbkey', contentType: 'application/json', bytes: 7, expiresAt: at(2 * 86400) };
		assert.deepEqual((await page('?sandboxId=sb-1')).json, { total: 1, offset: 0, limit: 100, items: [sandboxed] });
		assert.deepEqual(assertJson(await ctl('GET', `${base}/groups/paged/items/sbkey?sandboxId=sb-1`), 200, 'console-item'), sandboxed);
		assert.deepEqual(assertJson(await ctl('GET', `${base}/groups/paged/items/k03`), 200, 'console-item'), row('k03'));
		// Gone once expired, as in the API; an item of a namespace without retention never expires.
		assert.equal((await ctl('POST', '/clock', { body: { advanceSeconds: 86400 } })).status, 200);
		assertProblem(await ctl('GET', `${base}/groups/paged/items/k03`), 404, 'EKV_9000', "Item 'k03' or group 'paged' was not found in the database.");
		assert.deepEqual((await ctl('GET', `${base}/groups`)).json.groups, [{ group: 'paged', sandboxId: 'sb-1' }]);
		const forever = uniqueName('forever');
		assert.equal((await server.post(nsPath('staging'), namespaceBody(forever, { retentionInSeconds: 0 }))).status, 200);
		assert.equal((await server.put(itemPath('staging', forever, 'g', 'k'), 'x', { headers: { 'Content-Type': 'text/plain' } })).status, 200);
		assert.deepEqual((await ctl('GET', `/accounts/1-DEFAULT/networks/staging/namespaces/${forever}/groups/g/items/k`)).json,
			{ key: 'k', contentType: 'text/plain', bytes: 1, expiresAt: null });
		assert.equal((await ctl('POST', '/clock', { body: { reset: true } })).status, 200);
	});

	test('the console\'s view of the items checks names, sandboxId and the page as the API does', async () => {
		const base = '/accounts/1-DEFAULT/networks/staging/namespaces/default/groups';
		for (const [q, name] of [['limit=0', 'limit'], ['limit=1001', 'limit'], ['limit=x', 'limit'], ['offset=-1', 'offset'],
			['offset=%201', 'offset'], [`contains=${'a'.repeat(513)}`, 'contains']])
			assertProblem(await ctl('GET', `${base}/g/items?${q}`), 400, 'EKV_2000', `The value of query parameter '${name}' is not valid.`);
		assertProblem(await ctl('GET', `${base}/g/items/nope`), 404, 'EKV_9000', "Item 'nope' or group 'g' was not found in the database.");
		assertProblem(await ctl('GET', `${base}/g.x/items`), 400, 'EKV_9000', 'Group must only use a string that matches A-Z a-z 0-9 _ or -..');
		assertProblem(await ctl('GET', `${base}/g/items/a.b`), 400, 'EKV_9000', 'Key must only use a string that matches A-Z a-z 0-9 _ or -..');
		assertProblem(await ctl('GET', '/accounts/1-DEFAULT/networks/production/namespaces/default/groups/g/items?sandboxId=sb'), 400, 'EKV_2000',
			'Sandbox is only supported on the staging network.');
		assertProblem(await ctl('GET', '/accounts/1-DEFAULT/networks/staging/namespaces/nope/groups'), 400, 'EKV_9000', 'The requested namespace does not exist.');
		assertProblem(await ctl('GET', '/accounts/1-NONE/networks/staging/namespaces/default/groups'), 404, 'EKV_9000', "Account '1-NONE' does not exist.");
		const post = await ctl('POST', `${base}/g/items`, { body: {} });
		assert.equal(post.status, 405);
		assert.equal(post.headers.allow, 'GET, HEAD');
	});

	test('changes sent by another site\'s page are refused; same-origin changes are not', async () => {
		const own = server.httpUrl;
		const refused = [
			{ Origin: 'http://evil.example' },
			{ Origin: 'null' },
			{ Origin: own.replace('127.0.0.1', 'localhost') },
			{ Origin: own.replace('http:', 'https:') },
			{ 'Sec-Fetch-Site': 'cross-site' },
			{ 'Sec-Fetch-Site': 'same-site' },
			{ Origin: own, 'Sec-Fetch-Site': 'cross-site' },
		];
		for (const headers of refused) {
			const res = await ctl('POST', '/snapshots', { body: { name: 'evil' }, headers });
			assertProblem(res, 403, 'EKV_1000', `The emulator control API refuses requests made by web pages of another origin ('${headers.Origin ?? headers['Sec-Fetch-Site']}').`);
			assert.equal((await ctl('DELETE', '/requests', { headers })).status, 403, JSON.stringify(headers));
		}
		assert.deepEqual((await ctl('GET', '/snapshots')).json.snapshots, []);
		// The console's own requests: same origin.
		const same = await ctl('POST', '/snapshots', { body: { name: 'mine' }, headers: { Origin: own, 'Sec-Fetch-Site': 'same-origin' } });
		assert.equal(same.status, 201);
		assert.equal((await ctl('POST', '/snapshots', { body: { name: 'typed' }, headers: { 'Sec-Fetch-Site': 'none' } })).status, 201);
		assert.deepEqual((await ctl('GET', '/snapshots')).json.snapshots.sort(), ['mine', 'typed']);
		// The EdgeKV API is not the control API: its callers are checked by EdgeGrid.
		assert.equal((await server.get(`${V1}/initialize`, { headers: { Origin: 'http://evil.example' } })).status, 200);
	});

	test('the console\'s files: compiled in, with a strict Content-Security-Policy', async () => {
		const redirect = await ctl('GET', '/ui');
		assert.equal(redirect.status, 308);
		assert.equal(redirect.headers.location, '/_emulator/ui/');
		const files = { '': 'text/html; charset=utf-8', 'index.html': 'text/html; charset=utf-8',
			'console.js': 'text/javascript; charset=utf-8', 'console.css': 'text/css; charset=utf-8' };
		for (const [name, type] of Object.entries(files)) {
			const res = await ctl('GET', `/ui/${name}`);
			assert.equal(res.status, 200, name);
			assert.equal(res.headers['content-type'], type, name);
			assert.equal(res.headers['content-security-policy'], CSP, name);
			assert.equal(res.headers['x-content-type-options'], 'nosniff', name);
			assert.equal(res.headers['referrer-policy'], 'no-referrer', name);
		}
		const page = (await ctl('GET', '/ui/')).body;
		assert.match(page, /<script type="module" src="console.js"><\/script>/);
		assert.doesNotMatch(page, /<script>|style=|https?:\/\//, 'no inline script or style, nothing from elsewhere');
		// Every module the page loads is served.
		for (const m of (await ctl('GET', '/ui/console.js')).body.matchAll(/from '\.\/([a-z]+\.js)'/g))
			assert.equal((await ctl('GET', `/ui/${m[1]}`)).status, 200, m[1]);
		assertProblem(await ctl('GET', '/ui/nope.js'), 404, 'EKV_9000', "The requested resource '/_emulator/ui/nope.js' was not found.");
		const post = await ctl('POST', '/ui/', { body: {} });
		assert.equal(post.status, 405);
		assert.equal(post.headers.allow, 'GET, HEAD');
	});
});
