// Server flags that change what the API accepts: --auth-any-scheme (signatures made for the other
// scheme, as behind a TLS-terminating proxy) and a non-default --max-body.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertGateway, assertJson, assertProblem, itemPath, namespaceBody, nsPath, signRaw, startServer, V1 } from './helpers.mjs';

const BAD_SIGNATURE = 'The signature does not match';

/**
 * A GET signed for `signedScheme` but sent over the other listener (tls: true → HTTPS). The Host
 * header is the listener's own, as a proxy that keeps Host forwards it.
 */
function crossScheme(server, signedScheme, { tls, target = `${V1}/initialize` }) {
	const host = new URL(tls ? server.httpsUrl : server.httpUrl).host;
	return server.raw({ target, headers: { Authorization: signRaw('GET', signedScheme, host, target) } }, { tls });
}

describe('--auth-any-scheme', () => {
	let strict;
	let any;
	before(async () => {
		strict = await startServer();
		any = await startServer({ args: ['--auth-any-scheme'] });
	});
	after(async () => {
		await strict?.close();
		await any?.close();
	});

	test('without it, a signature made for https is refused over http, and back', async () => {
		const overHttp = await crossScheme(strict, 'https', { tls: false });
		assertGateway(overHttp, 401, BAD_SIGNATURE, 'pep-authn/deny');
		assert.equal(overHttp.json.instance, `${strict.httpUrl}${V1}/initialize`);
		assert.equal(overHttp.json.method, 'GET');
		const overHttps = await crossScheme(strict, 'http', { tls: true });
		assertGateway(overHttps, 401, BAD_SIGNATURE, 'pep-authn/deny');
		assert.equal(overHttps.json.instance, `${strict.httpsUrl}${V1}/initialize`);
		// Each scheme's own signature still passes.
		assert.equal((await crossScheme(strict, 'http', { tls: false })).status, 200);
		assert.equal((await crossScheme(strict, 'https', { tls: true })).status, 200);
	});

	test('with it, a signature made for https is accepted over http, and back', async () => {
		for (const [signedScheme, tls] of [['https', false], ['http', true], ['http', false], ['https', true]]) {
			const res = await crossScheme(any, signedScheme, { tls });
			const status = assertJson(res, 200, 'initialize-status');
			assert.equal(status.accountStatus, 'INITIALIZED', `${signedScheme} over ${tls ? 'https' : 'http'}`);
		}
	});

	test('with it, a signature that matches neither scheme is still refused', async () => {
		const target = `${V1}/initialize`;
		const host = new URL(any.httpUrl).host;
		// Signed for another host: wrong whichever scheme is tried.
		const res = await any.raw({ target, headers: { Authorization: signRaw('GET', 'https', 'other.example', target) } });
		assertGateway(res, 401, BAD_SIGNATURE, 'pep-authn/deny');
		// Signed for another path.
		const moved = await any.raw({ target, headers: { Authorization: signRaw('GET', 'http', host, `${V1}/tokens`) } });
		assertGateway(moved, 401, BAD_SIGNATURE, 'pep-authn/deny');
	});
});

describe('--max-body 4096', () => {
	const LIMIT = 4096;
	let server;
	before(async () => {
		server = await startServer({ args: ['--max-body', String(LIMIT)] });
	});
	after(() => server?.close());

	/** A namespace create body of exactly `size` bytes (padded with spaces, which JSON ignores). */
	const createBody = (name, size) => {
		const json = JSON.stringify(namespaceBody(name));
		return json + ' '.repeat(size - json.length);
	};

	test('a JSON body of exactly the limit is read; one byte more answers 413 naming the limit', async () => {
		const fits = await server.post(nsPath('staging'), createBody('mb_fits', LIMIT));
		assert.equal(assertJson(fits, 200, 'namespace').namespace, 'mb_fits');
		const over = await server.post(nsPath('staging'), createBody('mb_over', LIMIT + 1));
		assertProblem(over, 413, 'EKV_9000', `The request body cannot exceed ${LIMIT} bytes.`);
		assertProblem(await server.get(nsPath('staging', 'mb_over')), 400, 'EKV_9000', 'The requested namespace does not exist.');
	});

	test('a body over the limit sent chunked answers the same 413', async () => {
		const body = Buffer.from(createBody('mb_chunk', LIMIT + 1));
		const chunked = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
		const res = await server.raw({ method: 'PUT', target: nsPath('staging', 'mb_fits'), headers: { 'Transfer-Encoding': 'chunked', 'Content-Type': 'application/json' }, body: chunked });
		assertProblem(res, 413, 'EKV_9000', `The request body cannot exceed ${LIMIT} bytes.`);
	});

	test('an item value of exactly the limit is stored; one byte more answers 413 naming the limit', async () => {
		const target = itemPath('staging', 'default', 'mb', 'k');
		const value = 'v'.repeat(LIMIT);
		const put = await server.put(target, value, { headers: { 'Content-Type': 'text/plain' } });
		assert.equal(put.status, 200, put.body);
		assert.equal(put.body, 'Item was upserted in database, namespace default, group mb, and key k.');
		assert.equal((await server.get(target)).body, value);
		// Far below the 262144-character value limit: the message is the body limit's.
		const over = await server.put(target, `${value}w`, { headers: { 'Content-Type': 'text/plain' } });
		assertProblem(over, 413, 'EKV_9000', `The request body cannot exceed ${LIMIT} bytes.`);
		assert.equal((await server.get(target)).body, value);
	});
});
