// The example EdgeWorker under Jest, with the built-ins mapped by jest-mapper.cjs.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { makeRequest, readBody, startEmulator } from '../../testing.mjs';
import { makeProject } from '../helpers.mjs';

let emu;
let main;

beforeAll(async () => {
	emu = await startEmulator();
	// The copy bundle() makes says "type": "module" in its package.json, as Jest needs.
	main = await emu.bundle(makeProject(), { namespaces: ['default'] });
});
afterAll(() => emu?.stop());

test('the built-ins resolve to the kit', async () => {
	const { httpRequest } = await import('http-request');
	const { createResponse } = await import('create-response');
	expect(typeof httpRequest).toBe('function');
	expect(createResponse(204, {}, '').status).toBe(204);
});

test('responseProvider writes and onClientRequest reads through the emulator', async () => {
	const saved = await emu.run(() => main.responseProvider(makeRequest({ url: 'https://www.example.com/?country=it', method: 'PUT', body: 'Ciao' })));
	expect(saved.status).toBe(200);
	const request = makeRequest({ url: 'https://www.example.com/?country=it' });
	await emu.run(() => main.onClientRequest(request));
	expect([request.responded.status, await readBody(request.responded)]).toEqual([200, 'Ciao']);
});

test('a missing item gives the default value', async () => {
	const request = makeRequest({ url: 'https://www.example.com/?country=xx' });
	await emu.run(() => main.onClientRequest(request));
	expect(await readBody(request.responded)).toBe('Hello');
});
