// The control API against what a web page can send (docs/security.md "Control API"): cross-site
// form and text bodies (CSRF), a rebound DNS name in Host, a foreign Origin or Sec-Fetch-Site, CORS
// preflights. Each vector is refused with its own answer and changes nothing; a same-origin or
// non-browser JSON call still works. Everything here comes from loopback, as a browser's would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertProblem, plainRequest, startServer } from './helpers.mjs';

const BAD_HOST = (host) => `The emulator control API answers only requests addressed to a loopback name or address, or to the listen address; Host '${host}' is neither.`;
const FOREIGN = (origin) => `The emulator control API refuses requests made by web pages of another origin ('${origin}').`;
const NOT_JSON = 'The emulator control API takes request bodies of type application/json only.';

let server;
let host;
before(async () => {
	server = await startServer();
	host = new URL(server.httpUrl).host;
});
after(() => server?.close());

/** A control request with exact headers (Host included) over a new connection. */
function send(method, path, headers = {}, body) {
	const lines = [`${method} /_emulator${path} HTTP/1.1`];
	const all = { Host: host, ...headers };
	for (const [k, v] of Object.entries(all)) if (v !== undefined) lines.push(`${k}: ${v}`);
	if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
	lines.push('Connection: close');
	return server.raw(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`);
}

async function clock() {
	return JSON.parse((await plainRequest(`${server.httpUrl}/_emulator/clock`)).body).now;
}

function noCors(res) {
	for (const name of Object.keys(res.headers)) assert.doesNotMatch(name, /^access-control-/, `CORS header ${name}`);
}

describe('cross-site requests (CSRF)', () => {
	test('a text/plain POST that would plant an API client is refused, and none is made', async () => {
		const body = JSON.stringify({ user: 'admin', clientToken: 'akab-planted', accessToken: 'akab-x', clientSecret: 'c2VjcmV0' });
		const res = await send('POST', '/accounts/1-DEFAULT/clients', { 'Content-Type': 'text/plain' }, body);
		assertProblem(res, 415, 'EKV_2000', NOT_JSON);
		noCors(res);
		const exported = await plainRequest(`${server.httpUrl}/_emulator/export`);
		assert.doesNotMatch(exported.body, /akab-planted/);
	});

	test('form and multipart bodies are refused; so is a body without a type', async () => {
		const before = await clock();
		for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain;charset=UTF-8', 'application/jsonp', undefined])
			assertProblem(await send('POST', '/clock', { 'Content-Type': type }, '{"advanceSeconds":86400}'), 415, 'EKV_2000', NOT_JSON);
		assert.ok(Math.abs(Date.parse(await clock()) - Date.parse(before)) < 60_000, 'the clock did not move');
	});

	test('a foreign Origin is refused even with a JSON body', async () => {
		const res = await send('POST', '/clock', { 'Content-Type': 'application/json', Origin: 'https://attacker.example' }, '{"advanceSeconds":86400}');
		assertProblem(res, 403, 'EKV_1000', FOREIGN('https://attacker.example'));
		noCors(res);
		assertProblem(await send('POST', '/reset', { 'Content-Type': 'application/json', Origin: 'null' }, '{}'), 403, 'EKV_1000', FOREIGN('null'));
		assertProblem(await send('GET', '/export', { 'Sec-Fetch-Site': 'cross-site' }), 403, 'EKV_1000', FOREIGN('cross-site'));
		assertProblem(await send('GET', '/export', { Origin: `http://localhost:1` }), 403, 'EKV_1000', FOREIGN('http://localhost:1'));
	});

	test('a CORS preflight gets no CORS headers', async () => {
		const res = await send('OPTIONS', '/clock', { Origin: 'https://attacker.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' });
		noCors(res);
		assert.equal(res.status, 405);
	});
});

describe('DNS rebinding', () => {
	test('a request addressed to another name is refused and reveals nothing', async () => {
		for (const name of ['attacker.example', `attacker.example:${new URL(server.httpUrl).port}`, 'localhost.attacker.example', '127.0.0.1.nip.io']) {
			const res = await send('GET', '/export', { Host: name });
			assertProblem(res, 403, 'EKV_1000', BAD_HOST(name));
			assert.doesNotMatch(res.body, /clientSecret|PRIVATE KEY/);
		}
		const noHost = await server.raw(`GET /_emulator/export HTTP/1.1\r\nConnection: close\r\n\r\n`);
		assertProblem(noHost, 403, 'EKV_1000', BAD_HOST(''));
	});

	test('loopback names and addresses are answered', async () => {
		const port = new URL(server.httpUrl).port;
		for (const name of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, '127.0.0.1'])
			assert.equal((await send('GET', '/clock', { Host: name })).status, 200, name);
	});
});

describe('what still works', () => {
	test('a same-origin or non-browser JSON call, and a bodiless POST', async () => {
		const same = await send('POST', '/clock', { 'Content-Type': 'application/json', Origin: `http://${host}`, 'Sec-Fetch-Site': 'same-origin' }, '{"freeze":false}');
		assert.equal(same.status, 200, same.body);
		noCors(same);
		assert.equal((await send('POST', '/clock', { 'Content-Type': 'application/json; charset=utf-8' }, '{"freeze":false}')).status, 200);
		assert.equal((await send('POST', '/settle')).status, 200);
		// health and ready stay open to anyone, whatever the Host (container probes)
		assert.equal((await send('GET', '/health', { Host: 'anything.example' })).status, 200);
	});
});

describe('listening beyond loopback', () => {
	test('the start warns, and prints a per-run admin secret unless one is given', async () => {
		const open = await startServer({ args: ['--listen', '0.0.0.0', '--https-port', 'off'] });
		try {
			assert.match(open.stdout, /^admin secret [0-9a-f]{32} \(X-Emulator-Admin-Secret for \/_emulator from non-loopback peers\)$/m);
			assert.match(open.stderrTail, /listening on 0\.0\.0\.0, beyond loopback/);
			const secret = /^admin secret ([0-9a-f]{32})/m.exec(open.stdout)[1];
			// The secret also lifts the Host check (a web page cannot know it).
			const url = `http://127.0.0.1:${new URL(open.httpUrl).port}/_emulator/clock`;
			assert.equal((await plainRequest(url, { headers: { Host: 'emulator.lan', 'X-Emulator-Admin-Secret': secret } })).status, 200);
			assert.equal((await plainRequest(url, { headers: { Host: 'emulator.lan' } })).status, 403);
		} finally {
			await open.close();
		}
		for (const args of [['--admin-secret', 'mine'], ['--control-any-peer']]) {
			const s = await startServer({ args: ['--listen', '0.0.0.0', '--https-port', 'off', ...args] });
			try {
				assert.doesNotMatch(s.stdout, /admin secret/);
			} finally {
				await s.close();
			}
		}
	});
});
