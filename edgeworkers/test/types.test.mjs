// The stand-ins against their declared types: test/types/usage.ts uses every provided
// built-in as @types/akamai-edgeworkers declares it. `tsc --noEmit` must accept it, and the
// same file, compiled, must run on the stand-ins with the answers the declarations promise.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import ts from 'typescript';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { KIT } from './helpers.mjs';

const TSC = join(KIT, 'node_modules/typescript/bin/tsc');
const PROJECT = join(KIT, 'test/types');
let server;
let base;
const out = mkdtempSync(join(tmpdir(), 'ekv-types-'));

before(async () => {
	server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			if (req.url === '/json') {
				res.setHeader('Content-Type', 'application/json');
				return res.end('{"typed":true}');
			}
			res.setHeader('Content-Type', 'text/plain');
			res.setHeader('X-Echo-Headers', [`${req.method}`, `${req.headers['x-one']}`, `${req.headers['x-two']}`]);
			res.end(Buffer.concat(chunks));
		});
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${server.address().port}/`;
});
after(async () => {
	rmSync(out, { recursive: true, force: true });
	await new Promise((r) => server.close(r));
});

test('tsc --noEmit accepts the typed use of every built-in', () => {
	const r = spawnSync(process.execPath, [TSC, '--noEmit', '-p', PROJECT], { encoding: 'utf8', timeout: 60_000 });
	assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('the same typed code runs on the stand-ins', async () => {
	// The types were checked above: here the file is only transpiled, which is quick.
	const source = readFileSync(join(PROJECT, 'usage.ts'), 'utf8');
	const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2020, target: ts.ScriptTarget.ES2020 } });
	writeFileSync(join(out, 'usage.js'), outputText);
	writeFileSync(join(out, 'package.json'), '{"type":"module"}');
	const script = `import(${JSON.stringify(pathToFileURL(join(out, 'usage.js')).href)}).then((m) => m.run()).then((r) => console.log(JSON.stringify(r)))`;
	// Asynchronous: the server it talks to runs in this process.
	const r = await new Promise((res) =>
		execFile(
			process.execPath,
			['--import', join(KIT, 'register.mjs'), '--input-type=module', '-e', script],
			{ encoding: 'utf8', timeout: 30_000, env: { ...process.env, TARGET_URL: base, EDGEKV_LOG_LEVEL: 'info' } },
			(err, stdout, stderr) => res({ status: err ? (err.code ?? 1) : 0, stdout, stderr }),
		),
	);
	assert.equal(r.status, 0, r.stderr);
	assert.equal(r.stderr, '[ew info] typed log line\n');
	assert.deepEqual(JSON.parse(r.stdout), {
		status: 200,
		ok: true,
		contentType: ['text/plain'],
		echoedHeaders: ['POST', 'a', 'b, c'],
		text: 'typed body',
		piped: 'FROM A STREAM',
		json: { typed: true },
		decoded: 'hé',
		encoderEncoding: 'utf-8',
		b64: 'aMOp',
		back: [104, 195, 169],
		b64url: 'aMOp',
		b16: '68C3A9',
		atob: 'xy',
		params: 'a=1&a=2&b=3',
		all: ['1', '2'],
		response: { status: 201, headers: { 'content-type': ['text/plain'] }, body: 'created', denyReason: 'a reason' },
		other: { status: 404, headers: { 'x-a': ['b'] }, body: 'body' },
	});
});
