// The stand-ins for the EdgeWorkers built-in modules, against a local HTTP server: the
// httpRequest API (method, headers, string and stream bodies, timeout, the response's status,
// ok, headers, text/json/arrayBuffer and body stream), routing, offline mode, the runtime's
// limits, and the small modules.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { httpRequest } from '../builtins/http-request.mjs';
import { ReadableStream, WritableStream, TransformStream, ByteLengthQueuingStrategy, CountQueuingStrategy } from '../builtins/streams.mjs';
import { TextDecoderStream, TextEncoderStream } from '../builtins/text-encode-transform.mjs';
import { atob, base16, base64, base64url, btoa, TextDecoder, TextEncoder } from '../builtins/encoding.mjs';
import URLSearchParams from '../builtins/url-search-params.mjs';
import { createResponse } from '../builtins/create-response.mjs';
import { logger } from '../builtins/log.mjs';
import { withEmulator } from '../lib/routing.mjs';
import { readBody } from '../testing.mjs';

let server;
let base;
const seen = [];

before(async () => {
	server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			seen.push({ method: req.method, url: req.url, headers: req.headers, rawHeaders: req.rawHeaders, body });
			if (req.url === '/slow') return setTimeout(() => res.end('late'), 2000);
			if (req.url === '/big') {
				res.setHeader('Content-Length', '200');
				return res.end('x'.repeat(200));
			}
			if (req.url === '/chunked-big') {
				res.write('y'.repeat(150));
				return setTimeout(() => res.end('y'.repeat(150)), 10);
			}
			if (req.url === '/json') {
				res.setHeader('Content-Type', 'application/json');
				return res.end('{"a":[1,2]}');
			}
			res.statusCode = req.url === '/missing' ? 404 : 200;
			res.setHeader('X-Multi', ['one', 'two']);
			res.setHeader('X-Echo-Method', req.method);
			res.end(body || 'héllo');
		});
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((r) => server.close(r)));

// Routes other hosts straight through (the server here is such a host).
const direct = (fn) => withEmulator({ emulatorUrl: 'http://127.0.0.1:9', offline: false }, fn);

describe('http-request', () => {
	test('GET: status, ok, getHeader (arrays, any case), getHeaders, text()', () =>
		direct(async () => {
			const res = await httpRequest(`${base}/plain`);
			assert.equal(res.status, 200);
			assert.equal(res.ok, true);
			assert.deepEqual(res.getHeader('x-multi'), ['one', 'two']);
			assert.deepEqual(res.getHeader('X-MULTI'), ['one', 'two']);
			assert.equal(res.getHeader('x-absent'), null);
			assert.deepEqual(res.getHeaders()['x-echo-method'], ['GET']);
			assert.deepEqual(res.getHeader('Content-Length'), [String(Buffer.byteLength('héllo'))]);
			assert.equal(await res.text(), 'héllo');
		}));

	test('a 404 is a response (ok false), not an error', () =>
		direct(async () => {
			const res = await httpRequest(`${base}/missing`);
			assert.equal(res.status, 404);
			assert.equal(res.ok, false);
		}));

	test('method, headers as strings or arrays, a string body', () =>
		direct(async () => {
			const res = await httpRequest(`${base}/put`, { method: 'put', headers: { 'X-One': 'a', 'X-Two': ['b'], 'X-Three': ['c', 'd'] }, body: 'payload' });
			assert.equal(await res.text(), 'payload');
			const got = seen.at(-1);
			assert.equal(got.method, 'PUT');
			assert.equal(got.headers['x-one'], 'a');
			assert.equal(got.headers['x-two'], 'b');
			assert.equal(got.headers['x-three'], 'c, d');
		}));

	test('a ReadableStream body is streamed (Uint8Array and string chunks)', () =>
		direct(async () => {
			const body = new ReadableStream({
				start(c) {
					c.enqueue(new TextEncoder().encode('part one, '));
					c.enqueue('part two');
					c.close();
				},
			});
			const res = await httpRequest(`${base}/stream`, { method: 'POST', body });
			assert.equal(await res.text(), 'part one, part two');
		}));

	test('json(), arrayBuffer(), and body as a ReadableStream of bytes', () =>
		direct(async () => {
			assert.deepEqual(await (await httpRequest(`${base}/json`)).json(), { a: [1, 2] });
			const buf = await (await httpRequest(`${base}/plain`)).arrayBuffer();
			assert.ok(buf instanceof ArrayBuffer);
			assert.equal(Buffer.from(buf).toString('utf8'), 'héllo');
			const res = await httpRequest(`${base}/plain`);
			assert.ok(res.body instanceof ReadableStream);
			let text = '';
			await res.body.pipeThrough(new TextDecoderStream()).pipeTo(new WritableStream({ write: (c) => void (text += c) }));
			assert.equal(text, 'héllo');
			await assert.rejects(res.text(), /already been read/);
		}));

	test('the timeout rejects in the runtime\'s words, which edgekv.js retries on', () =>
		direct(async () => {
			const t0 = Date.now();
			await assert.rejects(httpRequest(`${base}/slow`, { timeout: 200 }), { message: `subrequest to URL ${base}/slow timed out after 200 ms` });
			assert.ok(Date.now() - t0 < 1500);
		}));

	test('the runtime\'s sub-request wall time caps a larger timeout', () =>
		direct(async () => {
			process.env.EDGEKV_SUBREQUEST_TIMEOUT_MS = '150';
			try {
				await assert.rejects(httpRequest(`${base}/slow`, { timeout: 4000 }), /timed out after 150 ms/);
			} finally {
				delete process.env.EDGEKV_SUBREQUEST_TIMEOUT_MS;
			}
		}));

	test('a response over the size limit fails, declared or streamed', () =>
		direct(async () => {
			process.env.EDGEKV_SUBREQUEST_MAX_BYTES = '100';
			try {
				await assert.rejects(httpRequest(`${base}/big`), { message: `subrequest to URL ${base}/big failed: response size 200 bytes exceeds the limit of 100 bytes` });
				const res = await httpRequest(`${base}/chunked-big`);
				await assert.rejects(res.text(), /response size exceeds the limit of 100 bytes/);
			} finally {
				delete process.env.EDGEKV_SUBREQUEST_MAX_BYTES;
			}
		}));

	test('bad arguments are TypeErrors that say what is wrong', () =>
		direct(async () => {
			await assert.rejects(httpRequest('/relative'), { name: 'TypeError', message: /not an absolute URL/ });
			await assert.rejects(httpRequest(`${base}/`, { body: 42 }), /options.body must be a string or a ReadableStream/);
			await assert.rejects(httpRequest(`${base}/`, { timeout: -1 }), /options.timeout must be a positive number/);
			await assert.rejects(httpRequest(`${base}/`, { headers: { a: 1 } }), /header 'a' must be a string or an array of strings/);
		}));
});

describe('routing', () => {
	test('the EdgeKV host goes to the emulator URL with the network and EdgeWorker id headers', () =>
		withEmulator({ emulatorUrl: base, network: 'production', edgeworkerId: '4242' }, async () => {
			const res = await httpRequest('https://edgekv.akamai-edge-svcs.net/api/v1/namespaces/ns/groups/g/items/k?sandboxId=s1', {
				headers: { 'X-Akamai-EdgeDB-Auth-Ref': ['uuid'] },
			});
			assert.equal(res.status, 200);
			const got = seen.at(-1);
			assert.equal(got.url, '/api/v1/namespaces/ns/groups/g/items/k?sandboxId=s1');
			assert.equal(got.headers['x-edgekv-network'], 'production');
			assert.equal(got.headers['x-edgekv-edgeworker-id'], '4242');
			assert.equal(got.headers['x-akamai-edgedb-auth-ref'], 'uuid');
		}));

	test('headers the caller sets itself (token_override) win', () =>
		withEmulator({ emulatorUrl: base, network: 'staging' }, async () => {
			await httpRequest('https://edgekv.akamai-edge-svcs.net/api/v1/namespaces/ns/groups/g/items/k', {
				headers: { 'X-Akamai-EdgeDB-Auth': ['jwt'], 'X-EdgeKV-Network': ['production'] },
			});
			assert.equal(seen.at(-1).headers['x-edgekv-network'], 'production');
			assert.equal(seen.at(-1).headers['x-edgekv-edgeworker-id'], undefined);
		}));

	test('the environment is the default: EDGEKV_EMULATOR_URL, EDGEKV_NETWORK, EDGEKV_EDGEWORKER_ID', async () => {
		Object.assign(process.env, { EDGEKV_EMULATOR_URL: base, EDGEKV_NETWORK: 'production', EDGEKV_EDGEWORKER_ID: '77' });
		try {
			await httpRequest('https://edgekv.akamai-edge-svcs.net/api/v1/namespaces/ns/groups/g/items/k', { headers: { 'X-Akamai-EdgeDB-Auth': ['jwt'] } });
			assert.equal(seen.at(-1).headers['x-edgekv-network'], 'production');
			assert.equal(seen.at(-1).headers['x-edgekv-edgeworker-id'], '77');
			process.env.EDGEKV_NETWORK = 'prod';
			await assert.rejects(httpRequest('https://edgekv.akamai-edge-svcs.net/api/v1/namespaces/ns/groups/g/items/k'), {
				message: "EDGEKV_NETWORK must be staging or production, not 'prod'",
			});
		} finally {
			for (const k of ['EDGEKV_EMULATOR_URL', 'EDGEKV_NETWORK', 'EDGEKV_EDGEWORKER_ID']) delete process.env[k];
		}
	});

	test('other hosts pass through unchanged, without the emulator headers', () =>
		withEmulator({ emulatorUrl: 'http://127.0.0.1:9' }, async () => {
			await httpRequest(`${base}/other?q=1`, { headers: { 'X-Mine': 'x' } });
			const got = seen.at(-1);
			assert.equal(got.url, '/other?q=1');
			assert.equal(got.headers['x-mine'], 'x');
			assert.equal(got.headers['x-edgekv-network'], undefined);
		}));

	test('EDGEKV_OFFLINE=1 refuses other hosts and still lets EdgeKV requests reach the emulator', async () => {
		process.env.EDGEKV_OFFLINE = '1';
		try {
			await withEmulator({ emulatorUrl: 'http://127.0.0.1:9' }, () =>
				assert.rejects(httpRequest(`${base}/other`), {
					message: `httpRequest to ${base}/other refused: EDGEKV_OFFLINE=1 lets only EdgeKV requests out (to the emulator at http://127.0.0.1:9)`,
				}),
			);
			await withEmulator({ emulatorUrl: base }, async () => {
				const res = await httpRequest('https://edgekv.akamai-edge-svcs.net/api/v1/namespaces/ns/groups/g/items/k', { headers: { 'X-Akamai-EdgeDB-Auth': ['t'] } });
				assert.equal(res.status, 200);
			});
		} finally {
			delete process.env.EDGEKV_OFFLINE;
		}
	});

	test('no emulator at the URL: the error names the URL that was tried', () =>
		withEmulator({ emulatorUrl: 'http://127.0.0.1:9' }, () =>
			assert.rejects(httpRequest('https://edgekv.akamai-edge-svcs.net/api/v1/namespaces/ns/groups/g/items/k', { headers: { 'X-Akamai-EdgeDB-Auth': ['t'] } }), {
				message:
					'EdgeKV emulator not reachable at http://127.0.0.1:9 (ECONNREFUSED) for https://edgekv.akamai-edge-svcs.net/api/v1/namespaces/ns/groups/g/items/k: ' +
					'start it (make run, or startEmulator() in tests) or point EDGEKV_EMULATOR_URL at it',
			}),
		));

	test('a data-plane request without a token says how to make one', () =>
		withEmulator({ emulatorUrl: base }, async () => {
			for (const headers of [{}, { 'X-Akamai-EdgeDB-Auth': ['undefined'] }, { 'X-Akamai-EdgeDB-Auth-Ref': [''] }])
				await assert.rejects(httpRequest('https://edgekv.akamai-edge-svcs.net/api/v1/namespaces/marketing/groups/g/items/k', { headers }), {
					message:
						"no EdgeKV access token for namespace 'marketing' in this request (X-Akamai-EdgeDB-Auth or X-Akamai-EdgeDB-Auth-Ref is missing or empty). " +
						'Write edgekv_tokens.js next to edgekv.js with: node <kit>/bin/tokens.mjs --namespace marketing --out <folder of edgekv.js>',
				});
		}));
});

describe('streams and text-encode-transform', () => {
	test('TransformStream, TextEncoderStream and TextDecoderStream pipe as in the runtime', async () => {
		const upper = new TransformStream({ transform: (chunk, c) => c.enqueue(chunk.toUpperCase()) });
		const source = new ReadableStream({ start: (c) => (c.enqueue('ab'), c.enqueue('cé'), c.close()) });
		const out = [];
		await source
			.pipeThrough(upper)
			.pipeThrough(new TextEncoderStream())
			.pipeThrough(new TextDecoderStream())
			.pipeTo(new WritableStream({ write: (c) => void out.push(c) }));
		assert.equal(out.join(''), 'ABCÉ');
		assert.equal(new ByteLengthQueuingStrategy({ highWaterMark: 8 }).size(new Uint8Array(5)), 5);
		assert.equal(new CountQueuingStrategy({ highWaterMark: 8 }).size('anything'), 1);
	});
});

describe('encoding', () => {
	const bytes = new Uint8Array([0, 104, 105, 255]);
	test('base64, base64url and base16 encode bytes and decode to a string or bytes', () => {
		assert.equal(base64.encode(bytes), 'AGhp/w==');
		assert.equal(base64url.encode(bytes), 'AGhp_w');
		assert.equal(base16.encode(bytes), '006869FF');
		assert.equal(base64.decode('AGhp/w=='), '\u0000hi\u00ff');
		assert.deepEqual(base64.decode('AGhp/w==', 'Uint8Array'), bytes);
		assert.deepEqual(base64url.decode('AGhp_w', 'Uint8Array'), bytes);
		assert.deepEqual(base16.decode('006869ff', 'Uint8Array'), bytes);
		assert.throws(() => base16.decode('0'), /base16.decode: invalid base16 input/);
		assert.throws(() => base64.encode('text'), /must be a Uint8Array/);
	});
	test('atob, btoa, TextEncoder, TextDecoder', () => {
		assert.equal(btoa('hi'), 'aGk=');
		assert.equal(atob('aGk='), 'hi');
		assert.equal(new TextDecoder().decode(new TextEncoder().encode('é')), 'é');
		assert.equal(new TextEncoder().encoding, 'utf-8');
	});
});

test('url-search-params: the default export is URLSearchParams', () => {
	const p = new URLSearchParams('a=1&b=2&a=3');
	assert.deepEqual(p.getAll('a'), ['1', '3']);
	p.set('b', 'x y');
	assert.equal(p.toString(), 'a=1&b=x+y&a=3');
});

describe('create-response', () => {
	test('both call forms; headers lower-cased into arrays', async () => {
		const a = createResponse(201, { 'Content-Type': 'text/plain', 'X-A': ['1', '2'] }, 'made', 'because');
		assert.deepEqual({ ...a, headers: { ...a.headers } }, { status: 201, headers: { 'content-type': ['text/plain'], 'x-a': ['1', '2'] }, body: 'made', denyReason: 'because' });
		const b = createResponse('body', { status: 404, headers: { A: 'b' } });
		assert.equal(b.status, 404);
		assert.deepEqual(b.headers.a, ['b']);
		assert.equal(createResponse().status, 200);
		const streamed = createResponse(200, {}, new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('from a stream')), c.close()) }));
		assert.equal(await readBody(streamed), 'from a stream');
	});
	test('bad arguments are refused', () => {
		assert.throws(() => createResponse(99, {}, ''), /status must be an integer from 100 to 599, not 99/);
		assert.throws(() => createResponse(200, {}, 5), /body must be a string or a ReadableStream/);
	});
});

test('log: printf-style lines on stderr from EDGEKV_LOG_LEVEL up', (t) => {
	const lines = [];
	t.mock.method(process.stderr, 'write', (s) => void lines.push(s));
	process.env.EDGEKV_LOG_LEVEL = 'warn';
	try {
		logger.info('hidden %s', 'x');
		logger.warn('count %d of %s', 3, 'items');
		logger.error('failed: %o', { a: 1 });
	} finally {
		delete process.env.EDGEKV_LOG_LEVEL;
	}
	assert.deepEqual(lines, ['[ew warn] count 3 of items\n', '[ew error] failed: { a: 1 }\n']);
});
