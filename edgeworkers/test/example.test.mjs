// The example EdgeWorker (example/main.js) with the edgekv.js test double, run against a
// private emulator: its event handlers' EdgeKV reads and writes go through the stand-in
// httpRequest to the emulator's data plane, with real tokens and permission checks.
import '../register.mjs';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeRequest, readBody, startEmulator } from '../testing.mjs';
import { makeProject } from './helpers.mjs';

let emu;

before(async () => {
	process.env.EDGEKV_LOG_LEVEL = 'off';
	emu = await startEmulator({ clock: '2030-06-01T08:00:00Z', edgeworkerId: '4242' });
});
after(() => emu?.stop());

/** The example's main.js, with an edgekv_tokens.js holding the token `name` (created with opts when new). */
function worker(name, opts = {}) {
	return emu.bundle(makeProject(), { namespaces: ['default'], token: name, ...opts });
}

async function greet(main, country, extra = {}) {
	const request = makeRequest({ url: `https://www.example.com/?country=${country}`, ...extra });
	await emu.run(() => main.onClientRequest(request));
	return { status: request.responded.status, body: await readBody(request.responded), headers: request.responded.headers };
}

async function provide(main, opts) {
	const response = await emu.run(() => main.responseProvider(makeRequest(opts)));
	return { status: response.status, body: await readBody(response) };
}

test('success: responseProvider writes, onClientRequest reads, through the data plane', async () => {
	const main = await worker('rwd_all');
	assert.deepEqual(await provide(main, { url: 'https://www.example.com/?country=fr', method: 'PUT', body: 'Bonjour' }), { status: 200, body: '{"saved":"FR"}' });
	const got = await greet(main, 'fr');
	assert.deepEqual([got.status, got.body, got.headers['content-type']], [200, 'Bonjour', ['text/plain;charset=utf-8']]);
	assert.deepEqual(await provide(main, {}), { status: 200, body: '{"visits":1}' });
	assert.deepEqual(await provide(main, {}), { status: 200, body: '{"visits":2}' });
	// What reached the emulator is what edgekv.js sends: its paths, the token reference,
	// and the network and EdgeWorker id the runtime would have supplied.
	const { requests } = await emu.control('GET', '/_emulator/requests?path=/api/v1/');
	assert.deepEqual(
		requests.map((r) => `${r.method} ${r.target} ${r.status}`),
		[
			'PUT /api/v1/namespaces/default/groups/greetings/items/FR 200',
			'GET /api/v1/namespaces/default/groups/greetings/items/FR 200',
			'GET /api/v1/namespaces/default/groups/stats/items/visits 404',
			'PUT /api/v1/namespaces/default/groups/stats/items/visits 200',
			'GET /api/v1/namespaces/default/groups/stats/items/visits 200',
			'PUT /api/v1/namespaces/default/groups/stats/items/visits 200',
		],
	);
	const headers = Object.fromEntries(Object.entries(requests[0].headers).map(([k, v]) => [k.toLowerCase(), v]));
	assert.equal(headers['x-akamai-edgedb-auth-ref'], '[redacted]');
	assert.equal(headers['x-edgekv-network'], 'staging');
	assert.equal(headers['x-edgekv-edgeworker-id'], '4242');
});

test('a value of 128000 bytes or more is read as edgekv.js reads it, through the body stream', async () => {
	const main = await worker('rwd_all');
	const big = 'é'.repeat(70_000); // 140000 bytes
	assert.equal((await provide(main, { url: 'https://www.example.com/?country=big', method: 'PUT', body: big })).status, 200);
	const got = await greet(main, 'big');
	assert.equal(got.status, 200);
	assert.equal(got.body, big);
});

test('a missing item gives the default value', async () => {
	const main = await worker('rwd_all');
	assert.deepEqual([(await greet(main, 'zz')).status, (await greet(main, 'zz')).body], [200, 'Hello']);
});

test('a sandbox request (ew_request.sandboxId) keeps its data in that sandbox', async () => {
	const main = await worker('rwd_all');
	const put = await provide(main, { url: 'https://www.example.com/?country=nl', method: 'PUT', body: 'Hallo', sandboxId: 'sandbox-1' });
	assert.equal(put.status, 200);
	assert.equal((await greet(main, 'nl', { sandboxId: 'sandbox-1' })).body, 'Hallo');
	assert.equal((await greet(main, 'nl')).body, 'Hello', 'staging has none');
});

test('permission denied: a read-only token cannot write', async () => {
	const main = await worker('read_only', { permissions: 'r' });
	assert.deepEqual(await provide(main, { url: 'https://www.example.com/?country=de', method: 'PUT', body: 'Hallo' }), {
		status: 500,
		body: JSON.stringify({ failed: 'PUT FAILED', status: 403, detail: "The EdgeKV access token does not grant 'w' access to namespace default." }),
	});
	assert.equal((await greet(main, 'fr')).body, 'Bonjour', 'reading is allowed');
});

test('permission denied: a token for other EdgeWorker ids', async () => {
	const main = await worker('other_ew', { ewids: ['1111'] });
	const got = await greet(main, 'fr');
	assert.equal(got.status, 500);
	assert.equal(JSON.parse(got.body).status, 403);
});

test('a 429 from the data plane (an injected fault) reaches the EdgeWorker as edgekv.js reports it', async () => {
	const main = await worker('rwd_all');
	const fault = await emu.addFault({ pathPrefix: '/api/v1/', status: 429, failFirst: 1 });
	try {
		const got = await greet(main, 'fr');
		assert.equal(got.status, 500);
		assert.deepEqual(JSON.parse(got.body), {
			failed: 'GET TEXT FAILED',
			status: 429,
			detail: 'Your request has been denied: 364 hits per second too high. limit set at 73. Please try again soon.',
		});
		assert.equal((await greet(main, 'fr')).body, 'Bonjour', 'the fault fired once');
	} finally {
		await emu.control('DELETE', `/_emulator/faults/${fault.id}`, undefined, 204);
	}
});

test('a slow data plane: the sub-request times out in the runtime\'s words and edgekv.js retries the GET', async () => {
	const main = await worker('rwd_all');
	await emu.addFault({ pathPrefix: '/api/v1/', method: 'GET', latencyMs: 1500, failFirst: 1 });
	try {
		const t0 = Date.now();
		assert.equal((await greet(main, 'fr')).body, 'Bonjour');
		const ms = Date.now() - t0;
		assert.ok(ms >= 1000 && ms < 1500, `one 1000 ms timeout, then a quick retry (${ms} ms)`);
	} finally {
		await emu.clearFaults();
	}
});

test('an expired token after a clock jump: 401 from the data plane', async () => {
	const main = await worker('short_lived', { expiry: '2030-06-02' });
	assert.equal((await greet(main, 'fr')).body, 'Bonjour');
	await emu.advanceClock(2 * 86400);
	const got = await greet(main, 'fr');
	assert.equal(got.status, 500);
	assert.deepEqual(JSON.parse(got.body), { failed: 'GET TEXT FAILED', status: 401, detail: 'The EdgeKV access token has expired.' });
});
