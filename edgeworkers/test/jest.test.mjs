// jest-mapper.cjs: a Jest run (Jest from npm, a dev dependency of these tests only) with the
// documented moduleNameMapper runs the example EdgeWorker against an emulator.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { KIT } from './helpers.mjs';

test('Jest with moduleNameMapper: require("<kit>/jest-mapper.cjs") runs the example', () => {
	const r = spawnSync(process.execPath, ['--experimental-vm-modules', join(KIT, 'node_modules/jest/bin/jest.js'), '--ci', '--config', join(KIT, 'test/jest/jest.config.cjs')], {
		cwd: KIT,
		encoding: 'utf8',
		timeout: 60_000,
		env: { ...process.env, EDGEKV_LOG_LEVEL: 'off' },
	});
	assert.equal(r.status, 0, r.stdout + r.stderr);
	assert.match(r.stderr, /^Tests: {7}3 passed, 3 total$/m);
});

test('the mapper maps each provided built-in, and nothing else', async () => {
	const { createRequire } = await import('node:module');
	const mapper = createRequire(import.meta.url)('../jest-mapper.cjs');
	assert.deepEqual(Object.keys(mapper), ['^create-response$', '^encoding$', '^http-request$', '^log$', '^streams$', '^text-encode-transform$', '^url-search-params$']);
	assert.equal(mapper['^http-request$'], join(KIT, 'builtins/http-request.mjs'));
});
