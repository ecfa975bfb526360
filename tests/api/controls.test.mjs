// Testing controls: the clock and every time-driven rule, sandbox, consistency,
// faults and rate limits, known issues, reset, snapshots, export/import, seeding, health,
// readiness and the request journal. Every /_emulator call goes over loopback, unsigned.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
	BIN,
	REPO_ROOT,
	V1,
	assertJson,
	assertProblem,
	assertGateway,
	assertSchema,
	groupPath,
	itemPath,
	namespaceBody,
	nsPath,
	plainRequest,
	startServer,
	uniqueName,
} from './helpers.mjs';
import { EdgeKV, createToken, importTokenFile } from './token-helpers.mjs';

const require = createRequire(import.meta.url);
const { dirname } = require('node:path');
const EG_SRC = dirname(require.resolve('akamai-edgegrid'));
const auth = require(join(EG_SRC, 'src/auth.js'));

const DAY = 86400;

function ctl(server, method, path, body) {
	return plainRequest(`${server.httpUrl}/_emulator${path}`, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
}

async function ok(resPromise, status = 200) {
	const res = await resPromise;
	assert.equal(res.status, status, res.body);
	return res.json;
}

const clock = (server, body) => ok(ctl(server, 'POST', '/clock', body));
const advance = (server, seconds) => clock(server, { advanceSeconds: seconds });

/** A request signed with other credentials (as in identity.test.mjs). */
function signed(server, creds, method, path, { body } = {}) {
	const base = `${server.httpUrl}#https://x`;
	const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
	const req = { path, method, headers: {}, body: method === 'POST' ? text : undefined };
	if (text !== undefined) req.headers['Content-Type'] = 'application/json';
	auth.generateAuth(req, creds.client_token, creds.client_secret, creds.access_token, base);
	const url = new URL(req.url);
	url.hash = '';
	return plainRequest(url.toString(), { method, headers: req.headers, body: text });
}

/** A new account with an admin API client; returns its credentials. */
async function makeAccount(server, id, { initialized = true } = {}) {
	await ok(ctl(server, 'POST', '/accounts', { id, initialized }), 201);
	await ok(ctl(server, 'POST', `/accounts/${id}/users`, { name: 'admin', roles: [{ groupId: 0, role: 'admin' }] }), 201);
	const c = await ok(ctl(server, 'POST', `/accounts/${id}/clients`, { user: 'admin' }), 201);
	return { client_token: c.clientToken, client_secret: c.clientSecret, access_token: c.accessToken };
}

async function createNamespace(server, network, name, retention = DAY) {
	await ok(server.post(nsPath(network), namespaceBody(name, { retentionInSeconds: retention })));
}

const putItem = (server, net, ns, g, k, v, q = '') =>
	server.put(`${itemPath(net, ns, g, k)}${q}`, v, { headers: { 'Content-Type': 'text/plain' } });
const getItem = (server, net, ns, g, k, q = '') => server.get(`${itemPath(net, ns, g, k)}${q}`);

describe('the clock', () => {
	let server;
	before(async () => {
		server = await startServer();
	});
	after(() => server.close());
	beforeEach(() => clock(server, { reset: true }));

	test('GET /_emulator/clock reads now (RFC 3339) and whether it is frozen', async () => {
		const c = assertJson(await ctl(server, 'GET', '/clock'), 200);
		assert.deepEqual(Object.keys(c).sort(), ['frozen', 'now', 'nowMs']);
		assert.equal(Date.parse(c.now), c.nowMs);
		assert.equal(c.frozen, false);
		assert.ok(Math.abs(Date.parse(c.now) - Date.now()) < 5000, c.now);
	});

	test('advanceSeconds, set, freeze and reset move it', async () => {
		let c = await clock(server, { freeze: true });
		assert.equal(c.frozen, true);
		const frozenAt = Date.parse(c.now);
		await new Promise((r) => setTimeout(r, 30));
		c = await ok(ctl(server, 'GET', '/clock'));
		assert.equal(Date.parse(c.now), frozenAt, 'a frozen clock does not move');
		c = await advance(server, 3600);
		assert.equal(Date.parse(c.now), frozenAt + 3600_000);
		c = await clock(server, { set: '2030-01-02T03:04:05Z' });
		assert.equal(c.now, '2030-01-02T03:04:05.000Z');
		c = await clock(server, { freeze: false });
		assert.equal(c.frozen, false);
		c = await clock(server, { reset: true });
		assert.ok(Math.abs(Date.parse(c.now) - Date.now()) < 5000);
	});

	test('a bad clock body is refused with the catalogue error', async () => {
		assertProblem(await ctl(server, 'POST', '/clock', { set: 'yesterday' }), 400, 'EKV_2000', "The value of 'set' is not valid.");
		assertProblem(await ctl(server, 'POST', '/clock', { advanceSeconds: 'x' }), 400, 'EKV_2000', "The value of 'advanceSeconds' is not valid.");
		assertProblem(await ctl(server, 'POST', '/clock', { jump: 1 }), 400, 'EKV_2000', "Unrecognized field 'jump'.");
	});

	test('item retention follows the clock across its boundary', async () => {
		const ns = uniqueName('ret');
		await createNamespace(server, 'staging', ns, DAY);
		await clock(server, { freeze: true });
		assert.equal((await putItem(server, 'staging', ns, 'g', 'k', 'v')).status, 200);
		await advance(server, DAY - 1);
		assert.equal((await getItem(server, 'staging', ns, 'g', 'k')).body, 'v');
		await advance(server, 1);
		assertProblem(await getItem(server, 'staging', ns, 'g', 'k'), 404, 'EKV_9000', "Item 'k' or group 'g' was not found in the database.");
		assertProblem(await server.get(nsPath('staging', ns) + '/groups'), 404, 'EKV_9000', 'There are no groups.');
	});

	test('a scheduled namespace delete happens at its time; cancelling is refused in its last five minutes', async () => {
		const a = uniqueName('del');
		const b = uniqueName('del');
		await createNamespace(server, 'production', a);
		await createNamespace(server, 'production', b);
		await clock(server, { freeze: true });
		const da = await server.del(nsPath('production', a));
		assert.equal(da.status, 202);
		const wait = Number(da.headers['retry-after']);
		assert.ok(wait > 300, `Retry-After ${wait}`);
		assert.equal((await server.del(nsPath('production', b))).status, 202);
		// Five minutes and one second before: b can still be cancelled.
		await advance(server, wait - 301);
		assert.equal((await server.del(`${nsPath('production', b)}/status/scheduled-delete`)).status, 204);
		// Exactly five minutes before: a cannot.
		await advance(server, 1);
		assertProblem(await server.del(`${nsPath('production', a)}/status/scheduled-delete`), 400, 'EKV_2000',
			"You can't cancel a namespace delete scheduled to occur in five minutes or less.");
		assert.equal((await server.get(nsPath('production', a))).status, 200);
		await advance(server, 300);
		assertProblem(await server.get(nsPath('production', a)), 400, 'EKV_9000', 'The requested namespace does not exist.');
		assert.equal((await server.get(nsPath('production', b))).status, 200, 'the cancelled delete never happens');
	});

	test('a retention change applies after the account delay, to data written from then on', async () => {
		const ns = uniqueName('rd');
		await createNamespace(server, 'staging', ns, DAY);
		await ok(ctl(server, 'PUT', '/settings', { retentionDelaySeconds: 300 }));
		try {
			await clock(server, { freeze: true });
			const up = await server.put(nsPath('staging', ns), { namespace: ns, retentionInSeconds: 3 * DAY, groupId: 0 });
			assert.equal(up.json.retentionInSeconds, 3 * DAY, up.body);
			await putItem(server, 'staging', ns, 'g', 'before', '1'); // still one day
			await advance(server, 299);
			await putItem(server, 'staging', ns, 'g', 'almost', '2'); // still one day
			await advance(server, 1);
			await putItem(server, 'staging', ns, 'g', 'after', '3'); // three days
			await advance(server, DAY - 2); // t0 + 1 day + 298 s
			assert.equal((await getItem(server, 'staging', ns, 'g', 'before')).status, 404);
			assert.equal((await getItem(server, 'staging', ns, 'g', 'almost')).status, 200, 'written at t0 + 299 s: one day from then');
			await advance(server, 1);
			assert.equal((await getItem(server, 'staging', ns, 'g', 'almost')).status, 404);
			assert.equal((await getItem(server, 'staging', ns, 'g', 'after')).body, '3');
			await advance(server, 2 * DAY + 1);
			assert.equal((await getItem(server, 'staging', ns, 'g', 'after')).status, 404);
		} finally {
			await ok(ctl(server, 'PUT', '/settings', { retentionDelaySeconds: 0 }));
		}
	});

	test('without a delay a retention change applies at once', async () => {
		const ns = uniqueName('r0');
		await createNamespace(server, 'staging', ns, DAY);
		await clock(server, { freeze: true });
		await ok(server.put(nsPath('staging', ns), { namespace: ns, retentionInSeconds: 2 * DAY, groupId: 0 }));
		await putItem(server, 'staging', ns, 'g', 'k', 'v');
		await advance(server, DAY + 1);
		assert.equal((await getItem(server, 'staging', ns, 'g', 'k')).status, 200);
	});

	test('an expired item is gone from the export (the sweep itself: tests/unit/test_state.c)', async () => {
		const ns = uniqueName('sw');
		await createNamespace(server, 'staging', ns, DAY);
		await putItem(server, 'staging', ns, 'g', 'k', 'v');
		await advance(server, DAY + 1);
		const exp = await ok(ctl(server, 'GET', '/export?account=1-DEFAULT'));
		assert.ok(!exp.accounts[0].items.some((i) => i.namespace === ns));
	});
});

describe('sandbox', () => {
	let server;
	before(async () => {
		server = await startServer();
	});
	after(() => server.close());
	beforeEach(() => clock(server, { reset: true }));
	const SB = '4d91057d-0000-4000-8000-3a4472699df4';

	test('sandbox writes are read only with the sandboxId; staging and production never see them', async () => {
		const ns = uniqueName('sb');
		await createNamespace(server, 'staging', ns);
		assert.equal((await putItem(server, 'staging', ns, 'g', 'k', 'in-sandbox', `?sandboxId=${SB}`)).status, 200);
		assert.equal((await getItem(server, 'staging', ns, 'g', 'k', `?sandboxId=${SB}`)).body, 'in-sandbox');
		assert.equal((await getItem(server, 'staging', ns, 'g', 'k')).status, 404);
		assertProblem(await getItem(server, 'production', 'default', 'g', 'k', `?sandboxId=${SB}`), 400, 'EKV_2000', 'Sandbox is only supported on the staging network.');
		assert.deepEqual((await server.get(`${groupPath('staging', ns, 'g')}?sandboxId=${SB}`)).json, ['k']);
	});

	test('sandbox data lives two days, even in a namespace that keeps data forever', async () => {
		const ns = uniqueName('sb2');
		await createNamespace(server, 'staging', ns, 0);
		await clock(server, { freeze: true });
		await putItem(server, 'staging', ns, 'g', 'k', 'v', `?sandboxId=${SB}`);
		await putItem(server, 'staging', ns, 'g', 'k', 'staging-value');
		await advance(server, 2 * DAY - 1);
		assert.equal((await getItem(server, 'staging', ns, 'g', 'k', `?sandboxId=${SB}`)).status, 200);
		await advance(server, 1);
		assert.equal((await getItem(server, 'staging', ns, 'g', 'k', `?sandboxId=${SB}`)).status, 404);
		assert.equal((await getItem(server, 'staging', ns, 'g', 'k')).body, 'staging-value');
	});

	test('staging group lists show sandbox groups as <group>_<sandboxId>; production does not', async () => {
		const ns = uniqueName('sbl');
		await createNamespace(server, 'staging', ns);
		await putItem(server, 'staging', ns, 'group1', 'k', 'v');
		await putItem(server, 'staging', ns, 'group2', 'k', 'v', `?sandboxId=${SB}`);
		const list = assertJson(await server.get(`${nsPath('staging', ns)}/groups`), 200, 'groups');
		assert.deepEqual(list, ['group1', `group2_${SB}`]);
	});

	test('sandboxId on list groups gets the body of docs/behaviour.md §8 item 21: 400 EKV_2000, type "", a /edgeKV/ instance', async () => {
		const res = await server.get(`${nsPath('staging', 'default')}/groups?sandboxId=${SB}`);
		assert.equal(res.status, 400);
		assert.equal(res.json.errorCode, 'EKV_2000');
		assert.equal(res.json.detail, 'This endpoint does not support Sandbox.');
		assert.equal(res.json.title, 'Bad Request');
		assert.equal(res.json.type, '');
		assert.match(res.json.instance, /^\/edgeKV\/error-instances\/[0-9a-f-]{36}$/);
		assert.equal(res.json.additionalDetail.requestId, res.headers['x-trace-id']);
	});

	test('both sandbox quirks can be switched off per account', async () => {
		const ns = uniqueName('sbo');
		await createNamespace(server, 'staging', ns);
		await putItem(server, 'staging', ns, 'plain', 'k', 'v');
		await putItem(server, 'staging', ns, 'boxed', 'k', 'v', `?sandboxId=${SB}`);
		const off = await ok(ctl(server, 'PUT', '/known-issues', { 'sandbox-list-groups': false, 'sandbox-groups-in-staging': false }));
		assert.deepEqual(off.issues.filter((i) => i.enabled).map((i) => i.name), []);
		try {
			assert.deepEqual((await server.get(`${nsPath('staging', ns)}/groups`)).json, ['plain']);
			assert.deepEqual((await server.get(`${nsPath('staging', ns)}/groups?sandboxId=${SB}`)).json, ['boxed']);
		} finally {
			await ok(ctl(server, 'PUT', '/known-issues', { profile: 'default' }));
		}
		assert.deepEqual((await server.get(`${nsPath('staging', ns)}/groups`)).json, ['boxed_' + SB, 'plain']);
	});
});

describe('consistency', () => {
	let server;
	before(async () => {
		server = await startServer();
	});
	after(() => server.close());
	beforeEach(async () => {
		await clock(server, { reset: true });
		await ok(ctl(server, 'PUT', '/settings', { consistency: 'immediate' }));
	});

	test('immediate by default: a read after a write sees it', async () => {
		const s = await ok(ctl(server, 'GET', '/settings'));
		assert.equal(s.consistency, 'immediate');
		await putItem(server, 'staging', 'default', 'c0', 'k', 'v');
		assert.equal((await getItem(server, 'staging', 'default', 'c0', 'k')).body, 'v');
	});

	test('eventual (10 s by default): reads miss a write, then see it; deletes leave the old value', async () => {
		const s = await ok(ctl(server, 'PUT', '/settings', { consistency: 'eventual' }));
		assert.equal(s.consistencyDelaySeconds, 10);
		await clock(server, { freeze: true });
		await putItem(server, 'staging', 'default', 'c1', 'k', 'v1');
		assert.equal((await getItem(server, 'staging', 'default', 'c1', 'k')).status, 404);
		assertProblem(await server.get(groupPath('staging', 'default', 'c1')), 404, 'EKV_9000', 'The requested group is empty or not found.');
		await advance(server, 9);
		assert.equal((await getItem(server, 'staging', 'default', 'c1', 'k')).status, 404, 'deterministic: same clock, same answer');
		await advance(server, 1);
		assert.equal((await getItem(server, 'staging', 'default', 'c1', 'k')).body, 'v1');
		assert.equal((await server.del(itemPath('staging', 'default', 'c1', 'k'))).status, 200);
		assert.equal((await getItem(server, 'staging', 'default', 'c1', 'k')).body, 'v1', 'stale after delete');
		await advance(server, 9);
		assert.equal((await getItem(server, 'staging', 'default', 'c1', 'k')).body, 'v1');
		await advance(server, 1);
		assert.equal((await getItem(server, 'staging', 'default', 'c1', 'k')).status, 404);
	});

	test('POST /_emulator/settle makes every pending write and delete take effect now', async () => {
		await ok(ctl(server, 'PUT', '/settings', { consistencyDelaySeconds: 30 }));
		await clock(server, { freeze: true });
		await putItem(server, 'staging', 'default', 'c2', 'gone', 'x');
		await ok(ctl(server, 'POST', '/settle'));
		await server.del(itemPath('staging', 'default', 'c2', 'gone'));
		await putItem(server, 'staging', 'default', 'c2', 'new', 'y');
		assert.equal((await getItem(server, 'staging', 'default', 'c2', 'gone')).status, 200);
		assert.equal((await getItem(server, 'staging', 'default', 'c2', 'new')).status, 404);
		assert.deepEqual(await ok(ctl(server, 'POST', '/settle')), { settled: true });
		assert.equal((await getItem(server, 'staging', 'default', 'c2', 'gone')).status, 404);
		assert.equal((await getItem(server, 'staging', 'default', 'c2', 'new')).body, 'y');
	});

	test('the data plane follows the same delay, and faults reach it too', async () => {
		const server2 = await startServer({ args: ['--token-activation-delay', '0'] });
		try {
			await createToken(server2, 'dp_tok');
			const bundle = await ctl(server2, 'GET', '/tokens/edgekv_tokens.js?namespace=default');
			const edgekv = new EdgeKV({ edgekv_uri: server2.httpUrl, tokens: await importTokenFile(bundle.body), group: 'dpc' });
			await ok(ctl(server2, 'PUT', '/settings', { consistencyDelaySeconds: 10 }));
			await clock(server2, { freeze: true });
			assert.equal(await edgekv.putText({ item: 'k', value: 'v' }), 'Item was upserted in database, namespace default, group dpc, and key k.');
			assert.equal(await edgekv.getText({ item: 'k', default_value: 'missing' }), 'missing');
			await advance(server2, 10);
			assert.equal(await edgekv.getText({ item: 'k' }), 'v');
			await ok(ctl(server2, 'POST', '/faults', { pathPrefix: '/api/v1/', status: 429 }), 201);
			const err = await edgekv.getText({ item: 'k' }).then(() => null, (e) => e);
			assert.equal(err?.status, 429);
			assert.equal(err.body.errorCode, 'EKV_9100');
		} finally {
			await server2.close();
		}
	});

	test('the delay is per account: another account stays immediate', async () => {
		const other = await makeAccount(server, '1-CONSIST');
		await ok(ctl(server, 'PUT', '/settings', { consistencyDelaySeconds: 60 }));
		await clock(server, { freeze: true });
		assert.equal((await signed(server, other, 'PUT', itemPath('staging', 'default', 'g', 'k'), { body: '"x"' })).status, 200);
		assert.equal((await signed(server, other, 'GET', itemPath('staging', 'default', 'g', 'k'))).status, 200);
		assert.equal((await ok(ctl(server, 'GET', '/settings?account=1-CONSIST'))).consistency, 'immediate');
	});
});

describe('faults and rate limits', () => {
	let server;
	before(async () => {
		server = await startServer();
	});
	after(() => server.close());
	beforeEach(async () => {
		await ok(ctl(server, 'DELETE', '/faults'), 204);
		await clock(server, { reset: true });
	});

	test('a 429 fault answers EKV_9100 with the interpolated message', async () => {
		const rule = await ok(ctl(server, 'POST', '/faults', { route: `${V1}/networks/{network}/namespaces/{namespace}/groups/{group}/items/{item}`, method: 'GET', status: 429, hits: 364, limit: 73 }), 201);
		assert.equal(rule.status, 429);
		const res = await getItem(server, 'staging', 'default', 'g', 'k');
		assertProblem(res, 429, 'EKV_9100', 'Your request has been denied: 364 hits per second too high. limit set at 73. Please try again soon.');
		assert.equal(res.json.type, '/edgekv/error-types/edgekv-too-many-requests');
		assert.equal((await putItem(server, 'staging', 'default', 'g', 'k', 'v')).status, 200, 'PUT is not matched');
	});

	test('500, 503 and 504 faults answer the real bodies; matchers pick network and namespace', async () => {
		await ok(ctl(server, 'POST', '/faults', { network: 'production', namespace: 'default', status: 500 }), 201);
		await ok(ctl(server, 'POST', '/faults', { network: 'staging', namespace: 'default', method: 'DELETE', status: 503 }), 201);
		await ok(ctl(server, 'POST', '/faults', { pathPrefix: `${V1}/initialize`, status: 504 }), 201);
		assertProblem(await server.get(nsPath('production', 'default')), 500, 'EKV_0000', 'An internal error occurred.');
		assert.equal((await server.get(nsPath('staging', 'default'))).status, 200);
		assertProblem(await server.del(itemPath('staging', 'default', 'g', 'k')), 503, 'EKV_0000', 'An internal error occurred.');
		assertGateway(await server.get(`${V1}/initialize`), 504, 'The origin did not respond in time', 'resource-impl/forward-origin-timeout');
	});

	test('fail the first N, then pass', async () => {
		await ok(ctl(server, 'POST', '/faults', { route: `${V1}/initialize`, method: 'GET', status: 500, failFirst: 2 }), 201);
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await server.get(`${V1}/initialize`)).status);
		assert.deepEqual(statuses, [500, 500, 200, 200]);
		const [rule] = (await ok(ctl(server, 'GET', '/faults'))).faults;
		assert.equal(rule.matched, 4);
		assert.equal(rule.fired, 2);
	});

	test('a probability with a seed gives the same sequence every time', async () => {
		const run = async () => {
			await ok(ctl(server, 'DELETE', '/faults'), 204);
			await ok(ctl(server, 'POST', '/faults', { route: `${V1}/initialize`, status: 500, probability: 0.5, seed: 42 }), 201);
			const out = [];
			for (let i = 0; i < 16; i++) out.push((await server.get(`${V1}/initialize`)).status);
			return out;
		};
		const first = await run();
		assert.deepEqual(await run(), first);
		assert.ok(first.includes(500) && first.includes(200), first.join());
	});

	test('injected latency holds one reply without blocking a parallel request, even on one worker thread', async () => {
		const server = await startServer({ args: ['--threads', '1'] });
		try {
			await latencyDoesNotBlock(server);
		} finally {
			await server.close();
		}
	});

	async function latencyDoesNotBlock(server) {
		await ok(ctl(server, 'POST', '/faults', { route: `${V1}/initialize`, latencyMs: 800 }), 201);
		const t0 = Date.now();
		let fastDone = 0;
		const slow = server.get(`${V1}/initialize`).then((r) => ({ r, at: Date.now() - t0 }));
		await new Promise((r) => setTimeout(r, 50));
		const fast = await plainRequest(`${server.httpUrl}/_emulator/health`);
		fastDone = Date.now() - t0;
		const fast2 = await server.get(nsPath('staging'));
		const { r, at } = await slow;
		assert.equal(fast.status, 200);
		assert.equal(fast2.status, 200);
		assert.equal(r.status, 200);
		assert.ok(at >= 750, `delayed reply after ${at} ms`);
		assert.ok(fastDone < 600, `fast reply after ${fastDone} ms`);
		const [rule] = (await ok(ctl(server, 'GET', '/faults'))).faults;
		assert.equal(rule.fired, 1);
	}

	test('the 102 phase of initialization answers 102 (libmicrohttpd sends a 1xx without a body)', async () => {
		await ok(ctl(server, 'POST', '/faults', { route: `${V1}/initialize`, method: 'PUT', status: 102 }), 201);
		const res = await server.raw({ method: 'PUT', target: `${V1}/initialize` });
		assert.equal(res.status, 102);
	});

	test('the request-rate limit answers 429 EKV_9100 like the real service, per clock second', async () => {
		await ok(ctl(server, 'PUT', '/settings', { rateLimit: 2 }));
		try {
			await clock(server, { freeze: true });
			assert.equal((await server.get(nsPath('staging'))).status, 200);
			assert.equal((await server.get(nsPath('staging'))).status, 200);
			assertProblem(await server.get(nsPath('staging')), 429, 'EKV_9100',
				'Your request has been denied: 3 hits per second too high. limit set at 2. Please try again soon.');
			await advance(server, 1);
			assert.equal((await server.get(nsPath('staging'))).status, 200);
		} finally {
			await ok(ctl(server, 'PUT', '/settings', { rateLimit: 0 }));
		}
	});

	test('rules are validated', async () => {
		assertProblem(await ctl(server, 'POST', '/faults', { status: 418 }), 400, 'EKV_2000', "The value of 'status' is not valid.");
		assertProblem(await ctl(server, 'POST', '/faults', { route: '/nope' }), 400, 'EKV_2000', "The value of 'route' is not valid.");
		assertProblem(await ctl(server, 'POST', '/faults', { probability: 2 }), 400, 'EKV_2000', "The value of 'probability' is not valid.");
		assertProblem(await ctl(server, 'DELETE', '/faults/999'), 404, 'EKV_9000', "Fault '999' does not exist.");
	});
});

describe('known issues profile', () => {
	let server;
	before(async () => {
		server = await startServer();
	});
	after(() => server.close());

	test('lists every switchable issue with its Known issues page section', async () => {
		const k = await ok(ctl(server, 'GET', '/known-issues'));
		assert.deepEqual(k.issues.map((i) => [i.name, i.enabled]), [
			['sandbox-list-groups', true],
			['sandbox-groups-in-staging', true],
			['namespace-create-timeout', false],
			['initialization-fails-once', false],
		]);
		for (const i of k.issues) assert.ok(i.seedSection.length > 10);
		assertProblem(await ctl(server, 'PUT', '/known-issues', { nope: true }), 400, 'EKV_2000', "Unrecognized field 'nope'.");
	});

	test('namespace-create-timeout: the first create gets a 504 (the CLI prints its timeout message), the retry passes', async () => {
		await ok(ctl(server, 'PUT', '/known-issues', { 'namespace-create-timeout': true }));
		const name = uniqueName('to');
		assert.equal((await server.post(nsPath('staging'), namespaceBody(name))).status, 504);
		assert.equal((await server.post(nsPath('staging'), namespaceBody(name))).status, 200);
	});

	test('initialization-fails-once: the first PUT /initialize fails, the retry initializes', async () => {
		const creds = await makeAccount(server, '1-INITFAIL', { initialized: false });
		await ok(ctl(server, 'PUT', '/known-issues?account=1-INITFAIL', { 'initialization-fails-once': true }));
		assertProblem(await signed(server, creds, 'PUT', `${V1}/initialize`), 500, 'EKV_0000', 'An internal error occurred.');
		const done = await signed(server, creds, 'PUT', `${V1}/initialize`);
		assert.equal(done.status, 201, done.body);
		assert.equal(done.json.accountStatus, 'INITIALIZED');
	});

	test('profile all switches every issue on, none every one off', async () => {
		const all = await ok(ctl(server, 'PUT', '/known-issues?account=1-INITFAIL', { profile: 'all' }));
		assert.ok(all.issues.every((i) => i.enabled));
		const none = await ok(ctl(server, 'PUT', '/known-issues?account=1-INITFAIL', { profile: 'none' }));
		assert.ok(none.issues.every((i) => !i.enabled));
	});

	test('initPendingSeconds: initialization stays PENDING until the clock passes it', async () => {
		const creds = await makeAccount(server, '1-PENDING', { initialized: false });
		await ok(ctl(server, 'PUT', '/settings?account=1-PENDING', { initPendingSeconds: 60 }));
		await clock(server, { freeze: true });
		const first = await signed(server, creds, 'PUT', `${V1}/initialize`);
		assert.equal(first.status, 200);
		assertSchema('initialize-status', first.json);
		assert.equal(first.json.accountStatus, 'PENDING');
		const get = await signed(server, creds, 'GET', `${V1}/initialize`);
		assert.equal(get.status, 200);
		assert.equal(get.json.accountStatus, 'PENDING');
		assertProblem(await signed(server, creds, 'GET', nsPath('staging')), 404, 'EKV_9000', 'The EdgeKV database is not initialized.');
		await advance(server, 60);
		assert.equal((await signed(server, creds, 'GET', `${V1}/initialize`)).json.accountStatus, 'INITIALIZED');
		assert.equal((await signed(server, creds, 'GET', nsPath('staging'))).status, 200);
		await clock(server, { reset: true });
	});
});

describe('state: reset, snapshots, export and import', () => {
	let server;
	let other;
	before(async () => {
		server = await startServer();
		other = await makeAccount(server, '1-OTHER');
	});
	after(() => server.close());

	test('a reset of one account leaves another untouched', async () => {
		const ns = uniqueName('keep');
		await createNamespace(server, 'staging', ns);
		await putItem(server, 'staging', ns, 'g', 'mine', 'default-account');
		assert.equal((await signed(server, other, 'POST', nsPath('staging', ''), { body: namespaceBody('theirs') })).status, 200);
		assert.equal((await signed(server, other, 'PUT', itemPath('staging', 'theirs', 'g', 'k'), { body: '"x"' })).status, 200);
		await ok(ctl(server, 'PUT', '/settings?account=1-OTHER', { rateLimit: 5 }));
		assert.deepEqual(await ok(ctl(server, 'POST', '/reset', { account: '1-OTHER' })), { reset: '1-OTHER' });
		assertProblem(await signed(server, other, 'GET', nsPath('staging', 'theirs')), 400, 'EKV_9000', 'The requested namespace does not exist.');
		assert.equal((await signed(server, other, 'GET', nsPath('staging', 'default'))).status, 200, 'identities and the default namespace stay');
		assert.equal((await ok(ctl(server, 'GET', '/settings?account=1-OTHER'))).rateLimit, 0);
		assert.equal((await getItem(server, 'staging', ns, 'g', 'mine')).body, 'default-account');
		assertProblem(await ctl(server, 'POST', '/reset', { account: '1-NOPE' }), 404, 'EKV_9000', "Account '1-NOPE' does not exist.");
	});

	test('a snapshot restored after writes gives exactly the snapshot data', async () => {
		const ns = uniqueName('snap');
		await createNamespace(server, 'staging', ns);
		await putItem(server, 'staging', ns, 'g', 'a', 'a1');
		await putItem(server, 'staging', ns, 'g', 'b', 'b1');
		const before = await ok(ctl(server, 'GET', '/export'));
		assert.deepEqual(await ok(ctl(server, 'POST', '/snapshots', { name: 'base' }), 201), { name: 'base', state: 'saved' });
		await putItem(server, 'staging', ns, 'g', 'a', 'a2');
		await server.del(itemPath('staging', ns, 'g', 'b'));
		await putItem(server, 'staging', ns, 'g', 'c', 'c1');
		const later = uniqueName('later');
		await createNamespace(server, 'staging', later);
		assert.equal((await server.get(nsPath('staging', later))).status, 200);
		assert.deepEqual(await ok(ctl(server, 'POST', '/snapshots/base/restore')), { name: 'base', state: 'restored' });
		assertProblem(await server.get(nsPath('staging', later)), 400, 'EKV_9000', 'The requested namespace does not exist.');
		assert.equal((await getItem(server, 'staging', ns, 'g', 'a')).body, 'a1');
		assert.equal((await getItem(server, 'staging', ns, 'g', 'b')).body, 'b1');
		assert.equal((await getItem(server, 'staging', ns, 'g', 'c')).status, 404);
		assert.deepEqual(await ok(ctl(server, 'GET', '/export')), before);
		assert.deepEqual((await ok(ctl(server, 'GET', '/snapshots'))).snapshots, ['base']);
		assertProblem(await ctl(server, 'POST', '/snapshots/none/restore'), 404, 'EKV_9000', "Snapshot 'none' does not exist.");
		assert.equal((await ctl(server, 'DELETE', '/snapshots/base')).status, 204);
		assert.deepEqual((await ok(ctl(server, 'GET', '/snapshots'))).snapshots, []);
	});

	test('export and import round-trip every account byte for byte', async () => {
		const ns = uniqueName('rt');
		await createNamespace(server, 'production', ns);
		await server.put(itemPath('production', ns, 'g', 'json'), { a: [1, 'é'] });
		await server.put(itemPath('production', ns, 'g', 'bin'), Buffer.from([0xff, 0x00, 0xfe]), { headers: { 'Content-Type': 'application/octet-stream' } });
		const exp = await ok(ctl(server, 'GET', '/export'));
		assertSchema('fixture', exp);
		const bin = exp.accounts.find((a) => a.id === '1-DEFAULT').items.find((i) => i.key === 'bin');
		assert.equal(bin.valueBase64, '/wD+');
		await ok(ctl(server, 'POST', '/reset', {}));
		assert.equal((await server.get(nsPath('production', ns))).status, 400);
		await ok(ctl(server, 'POST', '/import', exp));
		assert.deepEqual(await ok(ctl(server, 'GET', '/export')), exp);
		const b = await server.get(itemPath('production', ns, 'g', 'bin'));
		assert.deepEqual([...b.bytes], [0xff, 0x00, 0xfe]);
		assert.equal(b.headers['content-type'], 'application/octet-stream');
		assert.equal((await signed(server, other, 'GET', nsPath('staging', 'default'))).status, 200, 'imported client signs again');
	});

	test('a reset removes the account\'s access tokens; a full reset works with tokens present', async () => {
		await createToken(server, 'keep_me');
		assert.equal((await server.get(`${V1}/tokens/keep_me`)).status, 200);
		await ok(ctl(server, 'POST', '/reset', { account: '1-DEFAULT' }));
		assert.equal((await server.get(`${V1}/tokens/keep_me`)).status, 404);
		await createToken(server, 'again');
		await ok(ctl(server, 'POST', '/reset', {}));
		assert.equal((await server.get(`${V1}/tokens/again`)).status, 404);
		await createToken(server, 'after');
	});

	test('a full reset returns to the start world: the clock, settings and faults too', async () => {
		await clock(server, { advanceSeconds: 999, freeze: true });
		await ok(ctl(server, 'POST', '/faults', { status: 500 }), 201);
		await ok(ctl(server, 'POST', '/reset', {}));
		const c = await ok(ctl(server, 'GET', '/clock'));
		assert.equal(c.frozen, false);
		assert.deepEqual((await ok(ctl(server, 'GET', '/faults'))).faults, []);
		assert.equal((await server.get(`${V1}/initialize`)).json.accountStatus, 'INITIALIZED');
		assertProblem(await ctl(server, 'GET', '/export?account=1-OTHER'), 404, 'EKV_9000', "Account '1-OTHER' does not exist.");
	});
});

describe('reset keeps the start configuration', () => {
	test('a full reset of an --uninitialized start leaves the default account uninitialized', async () => {
		const server = await startServer({ args: ['--uninitialized'] });
		try {
			assert.equal((await server.put(`${V1}/initialize`)).status, 201);
			await ok(ctl(server, 'POST', '/reset', {}));
			assert.equal((await server.get(`${V1}/initialize`)).status, 404);
		} finally {
			await server.close();
		}
	});

	test('a reset with identities removes the account; the default account is rebuilt as at start', async () => {
		const server = await startServer();
		try {
			await makeAccount(server, '1-GONE');
			await ok(ctl(server, 'POST', '/reset', { account: '1-GONE', identities: true }));
			assertProblem(await ctl(server, 'GET', '/accounts/1-GONE'), 404, 'EKV_9000', "Account '1-GONE' does not exist.");
			await createNamespace(server, 'staging', 'temp');
			await ok(ctl(server, 'POST', '/reset', { account: '1-DEFAULT', identities: true }));
			assert.equal((await server.get(nsPath('staging', 'temp'))).status, 400);
			assert.equal((await server.get(`${V1}/initialize`)).status, 200, 'the fixture client signs again');
		} finally {
			await server.close();
		}
	});
});

describe('which account: one answer on every control', () => {
	const NOPE = "Account '1-NOPE' does not exist.";
	let server;
	before(async () => {
		server = await startServer();
	});
	after(() => server.close());

	test('an unknown ?account= is 404 "does not exist" on every control that reads one', async () => {
		const calls = [
			['GET', '/settings?account=1-NOPE'],
			['PUT', '/settings?account=1-NOPE', { rateLimit: 1 }],
			['GET', '/known-issues?account=1-NOPE'],
			['PUT', '/known-issues?account=1-NOPE', { profile: 'all' }],
			['POST', '/settle?account=1-NOPE'],
			['GET', '/export?account=1-NOPE'],
			['POST', '/faults?account=1-NOPE', { status: 500 }],
			['DELETE', '/faults?account=1-NOPE'],
			['GET', '/requests?account=1-NOPE'],
			['GET', '/tokens/settings?account=1-NOPE'],
			['PUT', '/tokens/settings?account=1-NOPE', { tokenLimit: 3 }],
			['GET', '/tokens/edgekv_tokens.js?namespace=default&account=1-NOPE'],
			['GET', '/notifications?account=1-NOPE'],
		];
		for (const [method, path, body] of calls) {
			assertProblem(await ctl(server, method, path, body), 404, 'EKV_9000', NOPE);
		}
		assert.deepEqual((await ok(ctl(server, 'GET', '/faults'))).faults, [], 'nothing was added');
	});

	test('an unknown account in the path or the reset body gets the same 404', async () => {
		assertProblem(await ctl(server, 'GET', '/accounts/1-NOPE'), 404, 'EKV_9000', NOPE);
		assertProblem(await ctl(server, 'POST', '/accounts/1-NOPE/users', { name: 'u' }), 404, 'EKV_9000', NOPE);
		assertProblem(await ctl(server, 'POST', '/reset', { account: '1-NOPE' }), 404, 'EKV_9000', NOPE);
		assertProblem(await ctl(server, 'GET', '/settings?account='), 404, 'EKV_9000', "Account '' does not exist.");
		const long = `1-${'X'.repeat(70)}`;
		assertProblem(await ctl(server, 'GET', `/settings?account=${long}`), 404, 'EKV_9000', `Account '${long}' does not exist.`);
	});

	test('a known ?account= is the one the control acts on', async () => {
		await makeAccount(server, '1-WHICH');
		assert.equal((await ok(ctl(server, 'GET', '/settings?account=1-WHICH'))).account, '1-WHICH');
		assert.equal((await ok(ctl(server, 'GET', '/tokens/settings?account=1-WHICH'))).account, '1-WHICH');
		assert.deepEqual(await ok(ctl(server, 'POST', '/settle?account=1-WHICH')), { settled: true, account: '1-WHICH' });
		assert.deepEqual((await ok(ctl(server, 'GET', '/export?account=1-WHICH'))).accounts.map((a) => a.id), ['1-WHICH']);
	});

	test('without ?account=, a world without the default account answers 404 for it where one account is needed', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'ekv-seed-'));
		try {
			writeFileSync(join(dir, 'world.json'), JSON.stringify({ accounts: [{ id: '1-ONLY' }] }));
			const seeded = await startServer({ args: ['--seed', dir] });
			try {
				const GONE = "Account '1-DEFAULT' does not exist.";
				for (const path of ['/settings', '/known-issues', '/tokens/settings', '/notifications']) {
					assertProblem(await ctl(seeded, 'GET', path), 404, 'EKV_9000', GONE);
				}
				// Controls of every account (or of none) do not need it.
				assert.deepEqual((await ok(ctl(seeded, 'GET', '/export'))).accounts.map((a) => a.id), ['1-ONLY']);
				assert.deepEqual(await ok(ctl(seeded, 'POST', '/settle')), { settled: true });
				assert.equal((await ok(ctl(seeded, 'GET', '/settings?account=1-ONLY'))).account, '1-ONLY');
			} finally {
				await seeded.close();
			}
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('the fault rule list is bounded', () => {
	test('the 65th rule is refused with its own text, and clearing makes room', async () => {
		const server = await startServer();
		try {
			for (let i = 0; i < 64; i++) await ok(ctl(server, 'POST', '/faults', { latencyMs: 1, pathPrefix: '/nowhere/' }), 201);
			assertProblem(await ctl(server, 'POST', '/faults', { latencyMs: 1 }), 400, 'EKV_2000', 'At most 64 fault rules can be set.');
			assert.equal(await (await ctl(server, 'DELETE', '/faults')).status, 204);
			await ok(ctl(server, 'POST', '/faults', { latencyMs: 1, pathPrefix: '/nowhere/' }), 201);
		} finally {
			await server.close();
		}
	});
});

describe('a refused fixture names its reason from the catalogue', () => {
	let server;
	before(async () => {
		server = await startServer();
	});
	after(() => server.close());

	const refused = (body) => plainRequest(`${server.httpUrl}/_emulator/import`, {
		method: 'POST', headers: { 'Content-Type': 'application/json' }, body,
	});
	const PREFIX = 'The fixture cannot be imported: ';

	test('each reason has its own text', async () => {
		assertProblem(await refused('[]'), 400, 'EKV_2000', `${PREFIX}a fixture is a JSON object with an "accounts" array.`);
		assertProblem(await refused('not json'), 400, 'EKV_2000', `${PREFIX}a fixture is a JSON object with an "accounts" array.`);
		assertProblem(await refused(JSON.stringify({ accounts: [{ id: '' }] })), 400, 'EKV_2000', `${PREFIX}an account needs an id, not ''.`);
		assertProblem(await refused(JSON.stringify({ accounts: [{ id: '1-FX', groups: [{ groupId: 0 }] }] })), 400, 'EKV_2000', `${PREFIX}cannot import a group of account '1-FX'.`);
		assertProblem(await refused(JSON.stringify({ accounts: [{ id: '1-FX', clients: [{ clientToken: 'akab-c' }] }] })), 400, 'EKV_2000', `${PREFIX}cannot import client 'akab-c'.`);
		assertProblem(await refused(JSON.stringify({ accounts: [{ id: '1-FX', namespaces: { staging: [{ namespace: 'bad name' }] } }] })), 400, 'EKV_2000', `${PREFIX}cannot import namespace 'bad name'.`);
		assertProblem(await refused(JSON.stringify({ accounts: [{ id: '1-FX', items: [{ group: 'g', key: 'bad key', value: 'v' }] }] })), 400, 'EKV_2000', `${PREFIX}cannot import item 'bad key'.`);
		assertProblem(await refused(JSON.stringify({ accounts: [{ id: '1-FX', tokens: [{ name: 't' }] }] })), 400, 'EKV_2000', `${PREFIX}cannot import token 't'.`);
		assertProblem(await ctl(server, 'GET', '/accounts/1-FX'), 404, 'EKV_9000', "Account '1-FX' does not exist.");
	});
});

describe('fixtures, health, readiness and the journal', () => {
	test('--seed fixtures/default gives the same world as a bare start', async () => {
		const bare = await startServer();
		const seeded = await startServer({ args: ['--seed', join(REPO_ROOT, 'fixtures/default')] });
		try {
			assert.deepEqual(await ok(ctl(seeded, 'GET', '/export')), await ok(ctl(bare, 'GET', '/export')));
			assert.equal((await seeded.get(`${V1}/initialize`)).status, 200, 'the fixture edgerc signs');
		} finally {
			await bare.close();
			await seeded.close();
		}
	});

	test('--seed DIR loads accounts, namespaces and items before ready; a bad fixture stops the start', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'ekv-seed-'));
		try {
			writeFileSync(join(dir, '10-world.json'), JSON.stringify({
				accounts: [{
					id: '1-DEFAULT',
					users: [{ name: 'admin', roles: [{ groupId: 0, role: 'admin' }] }],
					groups: [{ groupId: 10000, groupName: 'Top' }],
					cpcodeGroupId: 10000,
					clients: [{ clientToken: 'akab-emulator-client-token-000000', accessToken: 'akab-emulator-access-token-000000', clientSecret: 'ZW11bGF0b3ItZGV2ZWxvcG1lbnQtc2VjcmV0LTAwMDA=', user: 'admin' }],
					namespaces: { staging: [{ namespace: 'default' }, { namespace: 'seeded', retentionInSeconds: 0 }], production: [{ namespace: 'default' }] },
					items: [{ network: 'staging', namespace: 'seeded', group: 'g', key: 'k', value: { hello: 'world' } }],
				}],
			}));
			const server = await startServer({ args: ['--seed', dir] });
			try {
				const res = await server.get(itemPath('staging', 'seeded', 'g', 'k'));
				assert.equal(res.body, '{"hello":"world"}');
				assert.match(res.headers['content-type'], /^application\/json/);
				assert.equal((await ok(ctl(server, 'GET', '/ready'))).ready, true);
			} finally {
				await server.close();
			}
			writeFileSync(join(dir, '20-bad.json'), '{"accounts": [{"id": ""}]}');
			await assert.rejects(startServer({ args: ['--seed', dir] }), /exited before ready/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	test('health and ready answer; --probe asks /_emulator/health', async () => {
		const server = await startServer();
		try {
			assert.deepEqual(assertJson(await ctl(server, 'GET', '/health'), 200), { status: 'ok' });
			assert.deepEqual(assertJson(await ctl(server, 'GET', '/ready'), 200), { ready: true });
			const port = new URL(server.httpUrl).port;
			const probe = spawnSync(BIN, ['--probe', '--http-port', port], { timeout: 5000 });
			assert.equal(probe.status, 0);
			const journal = (await ok(ctl(server, 'GET', '/requests'))).requests;
			assert.ok(!journal.some((r) => r.target.startsWith('/_emulator')), 'controls are not journaled');
		} finally {
			await server.close();
		}
		const down = spawnSync(BIN, ['--probe', '--http-port', '1'], { timeout: 5000 });
		assert.equal(down.status, 1);
	});

	test('the journal records requests with credentials redacted, filtered by path, status and account', async () => {
		const server = await startServer();
		try {
			const other = await makeAccount(server, '1-JOURNAL');
			await server.get(`${V1}/initialize`);
			await server.get(nsPath('staging', 'missing'));
			await signed(server, other, 'GET', nsPath('production'));
			const all = (await ok(ctl(server, 'GET', '/requests'))).requests;
			assert.equal(all.length, 3);
			const [first] = all;
			assert.equal(first.method, 'GET');
			assert.equal(first.target, `${V1}/initialize`);
			assert.equal(first.status, 200);
			assert.equal(first.account, '1-DEFAULT');
			assert.match(first.requestId, /^[0-9a-f]{16}$/);
			assert.equal(first.headers.Authorization ?? first.headers.authorization, '[redacted]');
			assert.ok(!JSON.stringify(all).includes('akab-emulator-access-token'), 'no credential appears');
			const byStatus = (await ok(ctl(server, 'GET', '/requests?status=400'))).requests;
			assert.deepEqual(byStatus.map((r) => r.target), [nsPath('staging', 'missing')]);
			const byPath = (await ok(ctl(server, 'GET', `/requests?path=${encodeURIComponent(`${V1}/networks/production`)}`))).requests;
			assert.equal(byPath.length, 1);
			const byAccount = (await ok(ctl(server, 'GET', '/requests?account=1-JOURNAL'))).requests;
			assert.deepEqual(byAccount.map((r) => r.target), [nsPath('production')]);
			assert.equal((await ctl(server, 'DELETE', '/requests')).status, 204);
			assert.deepEqual((await ok(ctl(server, 'GET', '/requests'))).requests, []);
			await server.get(`${V1}/initialize`);
			const after = (await ok(ctl(server, 'GET', '/requests'))).requests;
			assert.deepEqual(after.map((r) => [r.seq, r.target]), [[all.at(-1).seq + 1, `${V1}/initialize`]]);
		} finally {
			await server.close();
		}
	});
});
