// register.mjs: `node --import <kit>/register.mjs file.mjs` resolves the built-ins' bare
// names to the kit without copying anything into node_modules; leaves dependencies' own
// imports alone; loads an EdgeWorker bundle's .js files as ES modules; and names what exists
// when code asks for a built-in the kit does not provide.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { KIT } from './helpers.mjs';

const REGISTER = join(KIT, 'register.mjs');
const work = mkdtempSync(join(tmpdir(), 'ekv-reg-'));
after(() => rmSync(work, { recursive: true, force: true }));

function run(file, cwd = work) {
	const r = spawnSync(process.execPath, ['--import', REGISTER, file], { cwd, encoding: 'utf8', timeout: 20_000, env: { ...process.env, EDGEKV_LOG_LEVEL: 'off' } });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(path, text) {
	mkdirSync(join(path, '..'), { recursive: true });
	writeFileSync(path, text);
}

test('every provided built-in resolves to the kit, from a folder with no node_modules', () => {
	const r = run(join(KIT, 'test/fixtures/uses-builtins.mjs'), work);
	assert.equal(r.code, 0, r.stderr);
	const out = JSON.parse(r.stdout);
	for (const [name, url] of Object.entries(out.resolved)) assert.equal(url, pathToFileURL(join(KIT, 'builtins', `${name}.mjs`)).href);
	assert.deepEqual(out.kinds, Array(10).fill('function'));
});

test('an unsupported built-in fails with the list of those that exist', () => {
	write(join(work, 'cookie-user.mjs'), "import { Cookies } from 'cookies';\nconsole.log(typeof Cookies);\n");
	const r = run(join(work, 'cookie-user.mjs'));
	assert.equal(r.code, 1);
	assert.match(
		r.stderr,
		/'cookies' is an EdgeWorkers built-in module that the edgekv-emulator kit does not provide\. Provided: create-response, encoding, http-request, log, streams, text-encode-transform, url-search-params\. Not provided: cookies, crypto, html-rewriter\./,
	);
});

test('a dependency in node_modules that imports an npm package named like a built-in gets that package', () => {
	const dir = join(work, 'proj');
	write(join(dir, 'node_modules/log/package.json'), '{"name":"log","type":"module","exports":"./index.mjs"}');
	write(join(dir, 'node_modules/log/index.mjs'), "export const logger = 'the npm package';\n");
	write(join(dir, 'node_modules/dep/package.json'), '{"name":"dep","type":"module","exports":"./index.mjs"}');
	write(join(dir, 'node_modules/dep/index.mjs'), "export { logger } from 'log';\n");
	write(join(dir, 'main.mjs'), "import { logger as dep } from 'dep';\nimport { logger } from 'log';\nconsole.log(JSON.stringify([dep, typeof logger.info]));\n");
	const r = run(join(dir, 'main.mjs'), dir);
	assert.equal(r.code, 0, r.stderr);
	assert.deepEqual(JSON.parse(r.stdout), ['the npm package', 'function']);
});

test('.js files of an EdgeWorker bundle (a folder with bundle.json) load as ES modules', () => {
	const dir = join(work, 'ew/src');
	write(join(work, 'ew/package.json'), '{"name":"ew","version":"1.0.0"}');
	write(join(dir, 'bundle.json'), '{"edgeworker-version":"1.0"}');
	write(join(dir, 'util.js'), "import URLSearchParams from 'url-search-params';\nexport const q = (s) => new URLSearchParams(s).get('a');\n");
	write(join(dir, 'main.js'), "import { q } from './util.js';\nexport function onClientRequest() { return q('a=ok'); }\n");
	write(join(work, 'ew/run.mjs'), "import { onClientRequest } from './src/main.js';\nconsole.log(onClientRequest());\n");
	const r = run(join(work, 'ew/run.mjs'), join(work, 'ew'));
	assert.equal(r.code, 0, r.stderr);
	assert.equal(r.stdout.trim(), 'ok');
});
