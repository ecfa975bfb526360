// Response headers as the real management API sends them (the list-groups answer in docs/behaviour.md §8 item 20):
// Content-Type per kind of answer, Cache-Control, and gzip whenever the client's
// Accept-Encoding allows it, with bodies byte-identical once decompressed.
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { groupPath, itemPath, namespaceBody, nsPath, plainRequest, startServer, V1 } from './helpers.mjs';

const CACHE_CONTROL = 'no-cache, no-store, max-age=0, must-revalidate';
const JSON_TYPE = 'application/json;charset=utf-8';

// What real clients offer: none, the EdgeKV CLI (axios), curl --compressed, httpie and
// python requests, Go's transport, and the refusals and wildcards of RFC 9110.
const OFFERS = [
	[undefined, false],
	['gzip, compress, deflate, br', true],
	['deflate, gzip, br, zstd', true],
	['gzip, deflate', true],
	['gzip', true],
	['*', true],
	['br;q=1.0, gzip;q=0.5', true],
	['identity', false],
	['br', false],
	['gzip;q=0', false],
	['gzip;q=0, *', false],
	['*;q=0', false],
];

let server;
let ns;

/** The decoded body of res (gunzip when Content-Encoding says gzip), as a Buffer. */
function decoded(res) {
	return res.headers['content-encoding'] === 'gzip' ? gunzipSync(res.bytes) : res.bytes;
}

function offer(value) {
	return value === undefined ? {} : { 'Accept-Encoding': value };
}

before(async () => {
	server = await startServer();
	ns = 'hdr_ns';
	assert.equal((await server.post(nsPath('staging'), namespaceBody(ns))).status, 200);
	for (const [group, key, value] of [['g1', 'k1', 'v1'], ['g2', 'k2', '{"a":[1,2,3]}'], ['g2', 'k3', 'x'.repeat(5000)]])
		assert.equal((await server.put(itemPath('staging', ns, group, key), value, { headers: { 'Content-Type': 'text/plain' } })).status, 200);
});
after(() => server?.close());

describe('Content-Type and Cache-Control per kind of management answer', () => {
	test('JSON answers say application/json;charset=utf-8 and carry Cache-Control', async () => {
		for (const path of [`${V1}/initialize`, nsPath('staging'), `${nsPath('staging', ns)}/groups`, groupPath('staging', ns, 'g2'), `${V1}/auth/groups`]) {
			const res = await server.get(path);
			assert.equal(res.status, 200, `${path}: ${res.body}`);
			assert.equal(res.headers['content-type'], JSON_TYPE, path);
			assert.equal(res.headers['cache-control'], CACHE_CONTROL, path);
			assert.equal(res.headers['content-encoding'], undefined, path);
			assert.equal(res.headers.vary, 'Accept-Encoding', path);
		}
	});

	test('errors say application/problem+json and carry Cache-Control', async () => {
		for (const path of [nsPath('staging', 'nope'), groupPath('staging', ns, 'nope'), `${V1}/nope`]) {
			const res = await server.get(path);
			assert.ok(res.status >= 400, path);
			assert.equal(res.headers['content-type'], 'application/problem+json', path);
			assert.equal(res.headers['cache-control'], CACHE_CONTROL, path);
		}
	});

	test('item writes answer text/plain;charset=utf-8, deletes text/plain, reads the written type', async () => {
		const put = await server.put(itemPath('staging', ns, 'g3', 'k'), '{"b":1}', { headers: { 'Content-Type': 'application/json' } });
		assert.equal(put.headers['content-type'], 'text/plain;charset=utf-8');
		assert.equal(put.headers['cache-control'], CACHE_CONTROL);
		const got = await server.get(itemPath('staging', ns, 'g3', 'k'));
		assert.equal(got.headers['content-type'], 'application/json');
		assert.equal(got.body, '{"b":1}');
		const del = await server.del(itemPath('staging', ns, 'g3', 'k'));
		assert.equal(del.headers['content-type'], 'text/plain');
		assert.equal(del.headers['cache-control'], CACHE_CONTROL);
	});

	test('the control API and the data plane carry no Cache-Control and never compress', async () => {
		for (const path of ['/_emulator/health', '/_emulator/settings', `/api/v1/namespaces/${ns}/groups/g1/items/k1`]) {
			const res = await plainRequest(server.httpUrl + path, { headers: { 'Accept-Encoding': 'gzip' } });
			assert.equal(res.headers['cache-control'], undefined, path);
			assert.equal(res.headers['content-encoding'], undefined, path);
			assert.equal(res.headers.vary, undefined, path);
			assert.match(res.headers['content-type'], /^application\/(problem\+)?json$/, path);
		}
	});
});

describe('gzip on every management body the client accepts it for', () => {
	const paths = () => [
		nsPath('staging'),
		`${nsPath('staging', ns)}/groups`,
		groupPath('staging', ns, 'g2'),
		itemPath('staging', ns, 'g2', 'k2'),
		itemPath('staging', ns, 'g2', 'k3'),
		`${V1}/initialize`,
	];

	test('each Accept-Encoding offer gets gzip exactly when it allows it, with identical bytes', async () => {
		for (const path of paths()) {
			const plain = await server.get(path);
			assert.equal(plain.status, 200);
			for (const [value, gzip] of OFFERS) {
				const res = await server.get(path, { headers: offer(value) });
				assert.equal(res.status, 200, `${path} ${value}`);
				assert.equal(res.headers['content-encoding'], gzip ? 'gzip' : undefined, `${path} with ${value}`);
				assert.equal(Number(res.headers['content-length']), res.bytes.length, 'Content-Length counts the coded bytes');
				assert.deepEqual(decoded(res), plain.bytes, `${path} with ${value}: same bytes once decoded`);
				assert.equal(res.headers['content-type'], plain.headers['content-type']);
				assert.equal(res.headers.vary, 'Accept-Encoding');
			}
		}
	});

	test('a large body really shrinks; problem bodies and text answers are compressed too', async () => {
		const big = await server.get(itemPath('staging', ns, 'g2', 'k3'), { headers: offer('gzip') });
		assert.ok(big.bytes.length < 200, `5000 bytes coded as ${big.bytes.length}`);
		assert.equal(decoded(big).toString(), 'x'.repeat(5000));
		const problem = await server.get(nsPath('staging', 'nope'), { headers: offer('gzip') });
		assert.equal(problem.headers['content-encoding'], 'gzip');
		assert.equal(JSON.parse(decoded(problem)).detail, 'The requested namespace does not exist.');
		const put = await server.put(itemPath('staging', ns, 'g1', 'k9'), 'v', { headers: { 'Content-Type': 'text/plain', 'Accept-Encoding': 'gzip' } });
		assert.equal(put.headers['content-encoding'], 'gzip');
		assert.equal(decoded(put).toString(), `Item was upserted in database, namespace ${ns}, group g1, and key k9.`);
	});

	test('HTTPS answers are compressed the same way', async () => {
		const res = await server.get(groupPath('staging', ns, 'g2'), { tls: true, headers: offer('gzip, deflate') });
		assert.equal(res.headers['content-encoding'], 'gzip');
		assert.deepEqual(JSON.parse(decoded(res)), ['k2', 'k3']);
	});
});
