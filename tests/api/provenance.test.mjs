// --version and GET /_emulator/health: the version, the commit and the libraries the process runs with.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, REPO_ROOT, assertJson, plainRequest, startServer } from './helpers.mjs';

const VERSION = /^VERSION\s*:=\s*(\S+)$/m.exec(readFileSync(join(REPO_ROOT, 'Makefile'), 'utf8'))[1];

function versionLines() {
	const run = spawnSync(BIN, ['--version'], { encoding: 'utf8', timeout: 5000 });
	assert.equal(run.status, 0);
	assert.equal(run.stderr, '');
	return run.stdout.split('\n').filter(Boolean);
}

test('--version prints the version, the commit and the four libraries, one per line', () => {
	const lines = versionLines();
	assert.equal(lines.length, 6, lines.join('\n'));
	assert.equal(lines[0], `edgekv-emulator ${VERSION}`);
	assert.match(lines[1], /^commit ([0-9a-f]{12}(-dirty)?|unknown)$/);
	assert.deepEqual(lines.slice(2).map((l) => l.split(' ')[0]), ['libmicrohttpd', 'SQLite', 'GnuTLS', 'cJSON']);
	for (const line of lines.slice(2)) assert.match(line, /^\S+ \d+\.\d+\.\d+$/);
});

test('GET /_emulator/health answers the same as --version', async () => {
	const lines = versionLines();
	const server = await startServer();
	try {
		const body = assertJson(await plainRequest(`${server.httpUrl}/_emulator/health`), 200);
		assert.deepEqual(body, {
			status: 'ok',
			version: VERSION,
			commit: lines[1].slice('commit '.length),
			libraries: Object.fromEntries(lines.slice(2).map((l) => l.split(' '))),
		});
	} finally {
		await server.close();
	}
});
