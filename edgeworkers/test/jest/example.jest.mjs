// The example EdgeWorker under Jest, with the built-ins mapped by jest-mapper.cjs.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeRequest, readBody, startEmulator } from '../../testing.mjs';
import { makeProject } from '../helpers.mjs';

let emu;
let main;

beforeAll(async () => {
	emu = await startEmulator();
	const dir = makeProject();
	// Jest decides ES modules from package.json: an EdgeWorker folder says "module".
	writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
	await emu.tokens({ namespaces: ['default'], out: dir });
	main = await import(pathToFileURL(join(dir, 'main.js')).href);
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
