// The harness itself: start, answer a signed request, stop with exit 0.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startServer, assertJson, V1 } from './helpers.mjs';

test('the emulator starts on free ports, answers a signed request and stops with exit 0', async () => {
	const server = await startServer();
	try {
		assert.match(server.httpUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
		assert.match(server.httpsUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
		assert.ok(server.certPath);
		const status = assertJson(await server.get(`${V1}/initialize`), 200, 'initialize-status');
		assert.equal(status.accountStatus, 'INITIALIZED');
	} finally {
		await server.close();
	}
});
