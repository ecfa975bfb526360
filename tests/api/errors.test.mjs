// The error format (docs/behaviour.md §2.1): every error is application/problem+json from one catalogue,
// with type, title, status, detail, instance, errorCode and additionalDetail.requestId equal to
// the X-Trace-Id header; every response carries X-Trace-Id.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
	assertProblem,
	assertTraceId,
	groupPath,
	itemPath,
	namespaceBody,
	nsPath,
	startServer,
	V1,
} from './helpers.mjs';

let server;
before(async () => {
	server = await startServer();
	assert.equal((await server.post(nsPath('staging'), namespaceBody('err_ns'))).status, 200);
	assert.equal((await server.post(nsPath('production'), namespaceBody('err_ns'))).status, 200);
});
after(() => server?.close());

/** One request per catalogue row the API can reach on an initialized account. */
const CASES = [
	['GET', `${V1}/nope`, undefined, 404, 'EKV_9000'],
	['PATCH', `${V1}/initialize`, undefined, 405, 'EKV_9000'],
	['GET', `${V1}/${'x'.repeat(3000)}`, undefined, 414, 'EKV_9000'],
	['POST', nsPath('staging'), 'x'.repeat(1024 * 1024 + 1), 413, 'EKV_9000'],
	['POST', nsPath('staging'), '{', 422, 'EKV_2001'],
	['POST', nsPath('staging'), '[]', 400, 'EKV_2000'],
	['POST', nsPath('staging'), { namespace: 'a', retentionInSeconds: 0, b: 1 }, 400, 'EKV_2000'],
	['GET', nsPath('nowhere'), undefined, 400, 'EKV_2000'],
	['GET', `${groupPath('staging', 'err_ns', 'g')}?maxItems=0`, undefined, 400, 'EKV_2000'],
	['PUT', `${V1}/auth/database`, {}, 400, 'EKV_2000'],
	['GET', nsPath('staging', 'missing'), undefined, 400, 'EKV_9000'],
	['POST', nsPath('staging'), { namespace: '-x', retentionInSeconds: 0 }, 400, 'EKV_2000'],
	['POST', nsPath('staging'), { namespace: 'x' }, 400, 'EKV_2000'],
	['POST', nsPath('staging'), { namespace: 'x', retentionInSeconds: 5 }, 400, 'EKV_2000'],
	['POST', nsPath('staging'), namespaceBody('x', { geoLocation: 'EU' }), 400, 'EKV_2000'],
	['POST', nsPath('production'), namespaceBody('x', { geoLocation: 'MARS' }), 400, 'EKV_2000'],
	['POST', nsPath('production'), namespaceBody('x', { groupId: -5 }), 400, 'EKV_2000'],
	['POST', nsPath('production'), namespaceBody('x', { dataAccessPolicy: { restrictDataAccess: false } }), 400, 'EKV_2000'],
	['POST', nsPath('staging'), namespaceBody('err_ns', { retentionInSeconds: 0 }), 409, 'EKV_3000'],
	['PUT', nsPath('staging', 'err_ns'), { namespace: 'other', retentionInSeconds: 0 }, 400, 'EKV_2000'],
	['PUT', nsPath('staging', 'default'), { namespace: 'default', retentionInSeconds: 0 }, 400, 'EKV_2000'],
	['PUT', nsPath('staging', 'err_ns'), { namespace: 'err_ns', retentionInSeconds: 0, groupId: 9 }, 400, 'EKV_3000'],
	['PUT', nsPath('production', 'err_ns'), { namespace: 'err_ns', retentionInSeconds: 0, geoLocation: 'EU' }, 400, 'EKV_2000'],
	['DELETE', nsPath('staging', 'missing'), undefined, 400, 'EKV_1002'],
	['GET', `${nsPath('staging', 'default')}/groups`, undefined, 404, 'EKV_9000'],
	['GET', groupPath('staging', 'err_ns', 'g'), undefined, 404, 'EKV_9000'],
	['GET', itemPath('staging', 'err_ns', 'g', 'k'), undefined, 404, 'EKV_9000'],
	['GET', itemPath('staging', 'err_ns', 'g', 'k.k'), undefined, 400, 'EKV_9000'],
	['GET', itemPath('staging', 'err_ns', 'g.g', 'k'), undefined, 400, 'EKV_9000'],
	['PUT', itemPath('staging', 'err_ns', 'g', 'k'), 'v'.repeat(262145), 413, 'EKV_9000'],
	['GET', `${itemPath('production', 'err_ns', 'g', 'k')}?sandboxId=s1`, undefined, 400, 'EKV_2000'],
	['GET', `${itemPath('staging', 'err_ns', 'g', 'k')}?sandboxId=s.1`, undefined, 400, 'EKV_2000'],
];

test('every reachable catalogue error is a complete problem document matching its status', async () => {
	const kinds = { 400: 'bad-request', 404: 'not-found', 405: 'method-not-allowed', 409: 'conflict', 413: 'payload-too-large', 414: 'uri-too-long', 422: 'unprocessable-entity' };
	for (const [method, path, body, status, code] of CASES) {
		const res = await server.request(method, path, { body, headers: typeof body === 'string' ? { 'Content-Type': 'text/plain' } : {} });
		const where = `${method} ${path.slice(0, 80)}`;
		assert.equal(res.status, status, `${where}: ${res.body}`);
		assertProblem(res, status, code);
		assert.equal(res.json.type, `/edgekv/error-types/edgekv-${kinds[status]}`, where);
		assert.ok(res.json.detail.length > 5, where);
	}
});

test('each error has its own instance and request id', async () => {
	const seen = new Set();
	const ids = new Set();
	for (let i = 0; i < 20; i++) {
		const res = await server.get(nsPath('staging', 'missing'));
		assertProblem(res, 400, 'EKV_9000', 'The requested namespace does not exist.');
		seen.add(res.json.instance);
		ids.add(res.json.additionalDetail.requestId);
	}
	assert.equal(seen.size, 20);
	assert.equal(ids.size, 20);
});

test('success responses carry X-Trace-Id too, with distinct ids', async () => {
	const ids = new Set();
	for (const [method, path, status] of [
		['GET', `${V1}/initialize`, 200],
		['GET', nsPath('staging'), 200],
		['GET', nsPath('staging', 'err_ns'), 200],
		['PUT', itemPath('staging', 'err_ns', 'g', 'k'), 200],
		['GET', itemPath('staging', 'err_ns', 'g', 'k'), 200],
		['GET', groupPath('staging', 'err_ns', 'g'), 200],
		['GET', `${nsPath('staging', 'err_ns')}/groups`, 200],
		['DELETE', itemPath('staging', 'err_ns', 'g', 'k'), 200],
		['DELETE', nsPath('production', 'err_ns'), 202],
		['DELETE', `${nsPath('production', 'err_ns')}/status/scheduled-delete`, 204],
	]) {
		const res = await server.request(method, path, { headers: { 'Content-Type': 'text/plain' } });
		assert.equal(res.status, status, `${method} ${path}: ${res.body}`);
		ids.add(assertTraceId(res));
	}
	assert.equal(ids.size, 10);
});

test('errors never redirect and carry an exact Content-Length', async () => {
	for (const path of [`${V1}/nope`, nsPath('staging', 'missing'), itemPath('staging', 'err_ns', 'g', 'nokey')]) {
		const res = await server.raw({ target: path });
		assert.equal(res.headers.location, undefined);
		assert.equal(Number(res.headers['content-length']), res.bytes.length);
		assert.doesNotThrow(() => JSON.parse(res.body));
	}
});

test('the access log on stderr has one line per request with its trace id', async () => {
	const res = await server.get(`${nsPath('staging', 'err_ns')}?marker=access-log-check`);
	const trace = assertTraceId(res);
	await new Promise((r) => setTimeout(r, 50));
	const line = server.stderrTail.split('\n').find((l) => l.includes(trace));
	assert.ok(line, `no access log line with ${trace}:\n${server.stderrTail.slice(-2000)}`);
	assert.match(line, /GET \/edgekv\/v1\/networks\/staging\/namespaces\/err_ns\?marker=access-log-check/);
	assert.match(line, /\b200\b/);
});
