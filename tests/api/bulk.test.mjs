// Bulk data: POST …/upload of a CSV body answered at once with a job that runs in the
// background; GET …/upload lists jobs, GET …/jobs/{id} gives one (with its failed records);
// GET …/download and …/groups/{g}/download give the items back as the same CSV.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { assertJson, assertProblem, itemPath, groupPath, namespaceBody, nsPath, plainRequest, signRaw, startServer, uniqueName } from './helpers.mjs';
import { advanceClock, control, setClock } from './token-helpers.mjs';

const require = createRequire(import.meta.url);
const { dirname, join } = require('node:path');
const auth = require(join(dirname(require.resolve('akamai-edgegrid')), 'src/auth.js'));

const CSV = { 'Content-Type': 'text/csv' };
const ASAN_BUILD = /\/build\/asan\//.test(process.env.EKV_BIN ?? '');
const NOT_FOUND = 'The requested bulk download or upload is empty or not found.';
const MSG = {
	quote: 'The record has an unterminated quoted field, or text after a closing quote.',
	fields: 'A record needs at least the three fields groupId, itemId and value.',
	extra: 'A record has at most the four fields groupId, itemId, value and retentionSeconds.',
	utf8: 'The value is not valid UTF-8.',
	group: 'Group must only use a string that matches A-Z a-z 0-9 _ or -..',
	key: 'Key must only use a string that matches A-Z a-z 0-9 _ or -..',
	value: 'Value cannot exceed 262144 characters.',
	retention: 'Retention period must be 0 or between 86400 and 315360000 seconds.',
	maxItems: 'The record is past maxItems and was not written.',
};

let server;

/** POST …/upload; a Buffer body (gzip) is signed over its exact bytes. */
function upload(network, ns, body, { query = '', headers = CSV } = {}) {
	const target = `${nsPath(network, ns)}/upload${query}`;
	if (!Buffer.isBuffer(body)) return server.post(target, body, { headers });
	const authorization = signRaw('POST', 'http', new URL(server.httpUrl).host, target, body);
	return plainRequest(server.httpUrl + target, { method: 'POST', headers: { ...headers, Authorization: authorization }, body });
}

/** Polls the job until COMPLETED (bounded) and returns it. */
async function waitJob(network, ns, id, query = '', timeoutMs = 60000) {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const res = await server.get(`${nsPath(network, ns)}/jobs/${id}${query}`);
		assert.equal(res.status, 200, res.body);
		if (res.json.jobStatus === 'COMPLETED') return res.json;
		assert.equal(res.json.jobStatus, 'STARTED');
		assert.ok(Date.now() < until, `job ${id} still running: ${res.body}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

/** Waits (bounded) until the folder is empty: a job's file goes just after it is COMPLETED. */
async function waitEmpty(dir, timeoutMs = 10000) {
	const until = Date.now() + timeoutMs;
	while (readdirSync(dir).length && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
	assert.deepEqual(readdirSync(dir), []);
}

/** A job long enough to be running (or waiting) when the next control call comes. */
const LONG_RECORDS = 200000;
function longBody(group) {
	const lines = [];
	for (let i = 0; i < LONG_RECORDS; i++) lines.push(`${group},k${i},v${i}`);
	return lines.join('\n') + '\n';
}

/** Uploads and waits: the finished job, with its errors. */
async function run(network, ns, body, opts = {}) {
	const res = await upload(network, ns, body, opts);
	assert.equal(res.status, 202, res.body);
	return waitJob(network, ns, res.json.jobId, '?includeErrors=true');
}

async function newNamespace(network = 'staging', extra = {}) {
	const ns = uniqueName('bulk');
	assert.equal((await server.post(nsPath(network), namespaceBody(ns, extra))).status, 200);
	return ns;
}

before(async () => {
	server = await startServer();
});
after(() => server?.close());

describe('POST …/upload', () => {
	test('answers 202 with a STARTED job and its Location; the job completes and the items are there', async () => {
		const ns = await newNamespace();
		const res = await upload('staging', ns, 'g1,k1,v1\ng1,k2,v2\ng2,k1,"hello, world"\n');
		assert.equal(res.status, 202);
		assert.equal(res.headers['content-type'], 'application/json;charset=utf-8');
		assert.match(res.json.jobId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		assert.deepEqual(res.json, { jobId: res.json.jobId, jobType: 'UPLOAD', jobStatus: 'STARTED', dryRun: false, successesCount: 0, errorsCount: 0 });
		assert.equal(res.headers.location, `/edgekv/v1/networks/staging/namespaces/${ns}/jobs/${res.json.jobId}`);
		const job = await waitJob('staging', ns, res.json.jobId);
		assert.deepEqual(job, { ...res.json, jobStatus: 'COMPLETED', successesCount: 3 });
		assert.equal((await server.get(itemPath('staging', ns, 'g2', 'k1'))).body, 'hello, world');
		assert.deepEqual(assertJson(await server.get(groupPath('staging', ns, 'g1')), 200), ['k1', 'k2']);
	});

	test('RFC 4180 quoting, CRLF, empty lines and a BOM; no header row; upper-case network', async () => {
		const ns = await newNamespace();
		const body = '\ufeffg,a,"line1\nline2"\r\n\r\n\ng,b,"say ""hi"""\r\ng,c,plain "quote" inside\n  \ng,d,\n';
		const job = await run('STAGING', ns, body);
		assert.equal(job.successesCount, 4);
		assert.deepEqual(job.errors, [{ failureRecord: 4, message: MSG.fields }]);
		for (const [key, value] of [['a', 'line1\nline2'], ['b', 'say "hi"'], ['c', 'plain "quote" inside'], ['d', '']])
			assert.equal((await server.get(itemPath('staging', ns, 'g', key))).body, value, key);
	});

	test('bad records fail one by one with the single-item PUT wording and their record number', async () => {
		const ns = await newNamespace();
		const lines = [
			'g,ok1,v', // 1
			'bad group,k,v', // 2
			'g,bad.key,v', // 3
			`g,big,${'x'.repeat(262145)}`, // 4
			`g,fits,${'é'.repeat(262144)}`, // 5: 262144 characters of two bytes each
			'g,k', // 6
			'g,k,v,86400,extra', // 7
			'g,k,v,3600', // 8: retention under a day
			'g,k,v,12x', // 9
			'g,ret,v,86400', // 10
			'g,"x"y,v', // 11: text after a closing quote
			'g,ok2,v', // 12
		];
		const body = Buffer.concat([Buffer.from(lines.join('\n') + '\n'), Buffer.from('g,latin,caf'), Buffer.from([0xe9]), Buffer.from('\ng,open,"never closed\n')]);
		const job = await run('staging', ns, body);
		assert.equal(job.successesCount, 4);
		assert.equal(job.errorsCount, 10);
		assert.deepEqual(job.errors, [
			{ failureRecord: 2, message: MSG.group },
			{ failureRecord: 3, message: MSG.key },
			{ failureRecord: 4, message: MSG.value },
			{ failureRecord: 6, message: MSG.fields },
			{ failureRecord: 7, message: MSG.extra },
			{ failureRecord: 8, message: MSG.retention },
			{ failureRecord: 9, message: MSG.retention },
			{ failureRecord: 11, message: MSG.quote },
			{ failureRecord: 13, message: MSG.utf8 },
			{ failureRecord: 14, message: MSG.quote },
		]);
		assert.equal((await server.get(itemPath('staging', ns, 'g', 'fits'))).body, 'é'.repeat(262144));
		assert.equal((await server.get(itemPath('staging', ns, 'g', 'big'))).status, 404);
		// maxItems on the job caps the errors listed; without includeErrors there is no list.
		const capped = assertJson(await server.get(`${nsPath('staging', ns)}/jobs/${job.jobId}?includeErrors=true&maxItems=2`), 200);
		assert.deepEqual(capped.errors.map((e) => e.failureRecord), [2, 3]);
		const plain = assertJson(await server.get(`${nsPath('staging', ns)}/jobs/${job.jobId}`), 200);
		assert.equal(plain.errors, undefined);
	});

	test('dryRun=true validates and reports without writing anything', async () => {
		const ns = await newNamespace();
		const job = await run('staging', ns, 'g,k1,v\ng,k2,v\nbad group,k,v\n', { query: '?dryRun=true' });
		assert.deepEqual([job.dryRun, job.successesCount, job.errorsCount], [true, 2, 1]);
		assertProblem(await server.get(groupPath('staging', ns, 'g')), 404, 'EKV_9000', 'The requested group is empty or not found.');
		assertProblem(await server.get(`${nsPath('staging', ns)}/download`), 404, 'EKV_9000', NOT_FOUND);
		const real = await run('staging', ns, 'g,k1,v\n', { query: '?dryRun=false' });
		assert.equal(real.dryRun, false);
		assert.equal((await server.get(itemPath('staging', ns, 'g', 'k1'))).body, 'v');
	});

	test('maxItems: records past it are not written; out of range or not digits is 400', async () => {
		const ns = await newNamespace();
		const job = await run('staging', ns, 'g,a,1\ng,b,2\ng,c,3\n', { query: '?maxItems=2' });
		assert.deepEqual([job.successesCount, job.errorsCount, job.errors], [2, 1, [{ failureRecord: 3, message: MSG.maxItems }]]);
		assert.equal((await server.get(itemPath('staging', ns, 'g', 'c'))).status, 404);
		for (const q of ['0', '5000001', 'abc', '+5', ''])
			assertProblem(await upload('staging', ns, 'g,a,1\n', { query: `?maxItems=${q}` }), 400, 'EKV_2000', "The value of query parameter 'maxItems' is not valid.");
		assertProblem(await upload('staging', ns, 'g,a,1\n', { query: '?dryRun=maybe' }), 400, 'EKV_2000', "The value of query parameter 'dryRun' is not valid.");
	});

	test('a gzip-coded body is decoded; other codings, broken gzip and other media types are refused', async () => {
		const ns = await newNamespace();
		const gz = gzipSync(Buffer.from('g,z1,zipped\ng,z2,"a,b"\n'));
		const job = await run('staging', ns, gz, { headers: { ...CSV, 'Content-Encoding': 'gzip' } });
		assert.equal(job.successesCount, 2);
		assert.equal((await server.get(itemPath('staging', ns, 'g', 'z2'))).body, 'a,b');
		assert.equal((await run('staging', ns, 'g,c,1\n', { headers: { 'Content-Type': 'text/csv; charset=utf-8' } })).successesCount, 1);
		const ENC = 'The upload body may only be sent as it is or with Content-Encoding: gzip.';
		const TYPE = 'The upload body must be CSV, sent with Content-Type: text/csv.';
		assertProblem(await upload('staging', ns, gz.subarray(0, gz.length - 6), { headers: { ...CSV, 'Content-Encoding': 'gzip' } }), 400, 'EKV_2000', 'The upload body is not valid gzip.');
		assertProblem(await upload('staging', ns, 'g,k,v\n', { headers: { ...CSV, 'Content-Encoding': 'gzip' } }), 400, 'EKV_2000', 'The upload body is not valid gzip.');
		assertProblem(await upload('staging', ns, 'g,k,v\n', { headers: { ...CSV, 'Content-Encoding': 'br' } }), 415, 'EKV_2000', ENC);
		for (const type of ['application/json', 'application/gzip', 'text/plain', 'text/csvx'])
			assertProblem(await upload('staging', ns, 'g,k,v\n', { headers: { 'Content-Type': type } }), 415, 'EKV_2000', TYPE);
		assertProblem(await upload('staging', ns, 'g,k,v\n', { headers: {} }), 415, 'EKV_2000', TYPE);
	});

	test('the namespace, network and sandbox rules of a single-item write apply', async () => {
		const ns = await newNamespace();
		assertProblem(await upload('staging', 'no_such_ns', 'g,k,v\n'), 400, 'EKV_9000', 'The requested namespace does not exist.');
		assertProblem(await upload('production', ns, 'g,k,v\n'), 400, 'EKV_9000', 'The requested namespace does not exist.');
		assertProblem(await upload('qa', ns, 'g,k,v\n'), 400, 'EKV_2000', 'Network \'qa\' is not valid. Please specify one of staging, production.');
		const sandbox = await run('staging', ns, 'g,sb,in-sandbox\n', { query: '?sandboxId=sb1' });
		assert.equal(sandbox.successesCount, 1);
		assert.equal((await server.get(`${itemPath('staging', ns, 'g', 'sb')}?sandboxId=sb1`)).body, 'in-sandbox');
		assert.equal((await server.get(itemPath('staging', ns, 'g', 'sb'))).status, 404);
		assert.equal((await server.get(`${nsPath('staging', ns)}/download?sandboxId=sb1`)).body, 'g,sb,in-sandbox\n');
		const prod = await newNamespace('production');
		assertProblem(await upload('production', prod, 'g,k,v\n', { query: '?sandboxId=sb1' }), 400, 'EKV_2000', 'Sandbox is only supported on the staging network.');
	});

	test('the consistency setting and the clock apply to uploaded items as to a single PUT', async () => {
		const ns = await newNamespace('staging', { retentionInSeconds: 0 });
		const now = await setClock(server, '2031-03-01T00:00:00Z');
		try {
			assert.equal((await control(server, 'PUT', '/_emulator/settings', { consistency: 'eventual' })).status, 200);
			const job = await run('staging', ns, 'g,late,v\ng,ret,v,86400\n');
			assert.equal(job.successesCount, 2);
			assert.equal((await server.get(itemPath('staging', ns, 'g', 'late'))).status, 404);
			await advanceClock(server, 10);
			assert.equal((await server.get(itemPath('staging', ns, 'g', 'late'))).body, 'v');
			const dl = await server.get(`${nsPath('staging', ns)}/download?showExpires=true`);
			const day = Math.floor(now / 1000) + 86400;
			assert.equal(dl.body, `g,late,v,0\ng,ret,v,${day}\n`);
			await advanceClock(server, 86400);
			assert.equal((await server.get(itemPath('staging', ns, 'g', 'ret'))).status, 404);
		} finally {
			await control(server, 'PUT', '/_emulator/settings', { consistency: 'immediate' });
			await control(server, 'POST', '/_emulator/clock', { reset: true });
		}
	});
});

describe('an upload folder that refuses the body', () => {
	// A full disk there is the database's 507 (tests/unit/test_spool.c); anything else is our folder's.
	test('answers 503 with its own text, and makes no job', async () => {
		const uploads = join(server.dir, 'uploads');
		await waitEmpty(uploads); // an earlier job's file may still be on its way out
		renameSync(uploads, `${uploads}.away`);
		writeFileSync(uploads, ''); // not a folder: the spool file cannot be made
		try {
			const res = await upload('staging', 'default', 'g,k,v\n');
			assertProblem(res, 503, 'EKV_0000', 'The emulator could not write the upload to its upload folder: no job was made. Try again.');
		} finally {
			rmSync(uploads);
			renameSync(`${uploads}.away`, uploads);
		}
		assert.deepEqual(readdirSync(uploads), []);
	});

	test('past a file size limit the upload is 507 and the server lives on', async () => {
		// A server of its own: its database stays far below the limit, so only the upload meets it.
		const own = await startServer();
		const target = `${nsPath('staging', 'default')}/upload`;
		try {
			// RLIMIT_FSIZE on the running server: a write past it fails with EFBIG (SIGXFSZ ignored).
			execFileSync('prlimit', ['--pid', String(own.proc.pid), '--fsize=1000000:1000000']);
			const res = await own.post(target, longBody('big'), { headers: CSV });
			assertProblem(res, 507, 'EKV_0000', "The emulator's disk is full: nothing was changed. Free some space and try again.");
			assert.ok(own.alive, 'the server died of SIGXFSZ');
			await waitEmpty(join(own.dir, 'uploads')); // the spool file goes once the request is done, just after its reply
			const small = await own.post(target, 'after,limit,v\n', { headers: CSV });
			assert.equal(small.status, 202, small.body);
		} finally {
			await own.close();
		}
	});
});

describe('a job whose file cannot be read', () => {
	test('ends with what it did, and the jobs behind it run', async () => {
		const uploads = join(server.dir, 'uploads');
		assert.equal((await control(server, 'POST', '/_emulator/reset', {})).status, 200);
		const long = await upload('staging', 'default', longBody('first'));
		assert.equal(long.status, 202, long.body);
		const broken = await upload('staging', 'default', 'broken,k,v\n');
		assert.equal(broken.status, 202, broken.body);
		const next = await upload('staging', 'default', 'after,k,v\n');
		assert.equal(next.status, 202, next.body);
		// A link to itself: opening it fails with ELOOP, which no retry cures (root included).
		const file = join(uploads, `job-${broken.json.jobId}.csv`);
		unlinkSync(file);
		symlinkSync(`job-${broken.json.jobId}.csv`, file);
		const jobPath = (id) => `${nsPath('staging', 'default')}/jobs/${id}`;
		// Jobs run oldest first: the long one still running, the broken one was never opened.
		assert.equal(assertJson(await server.get(jobPath(long.json.jobId)), 200).jobStatus, 'STARTED');
		const done = await waitJob('staging', 'default', next.json.jobId, '', 120000);
		assert.deepEqual([done.successesCount, done.errorsCount], [1, 0]);
		assert.equal((await server.get(itemPath('staging', 'default', 'after', 'k'))).status, 200);
		const ended = await waitJob('staging', 'default', broken.json.jobId);
		assert.deepEqual([ended.successesCount, ended.errorsCount], [0, 0]);
		await waitEmpty(uploads);
	});
});

describe('GET …/upload and …/jobs/{jobId}', () => {
	test('lists the namespace\'s jobs newest first; an unknown job is 404 with the documented text', async () => {
		const ns = await newNamespace();
		assert.deepEqual(assertJson(await server.get(`${nsPath('staging', ns)}/upload`), 200), { jobs: [] });
		const first = await run('staging', ns, 'g,a,1\n');
		const second = await run('staging', ns, 'g,b,2\nbad group,c,3\n');
		const list = assertJson(await server.get(`${nsPath('staging', ns)}/upload`), 200);
		assert.deepEqual(list.jobs.map((j) => j.jobId), [second.jobId, first.jobId]);
		assert.deepEqual(list.jobs[0], { jobId: second.jobId, jobType: 'UPLOAD', jobStatus: 'COMPLETED', dryRun: false, successesCount: 1, errorsCount: 1 });
		assertProblem(await server.get(`${nsPath('staging', ns)}/jobs/00000000-0000-4000-8000-000000000000`), 404, 'EKV_9000', NOT_FOUND);
		const other = await newNamespace();
		assertProblem(await server.get(`${nsPath('staging', other)}/jobs/${first.jobId}`), 404, 'EKV_9000', NOT_FOUND);
		assertProblem(await server.get(`${nsPath('staging', ns)}/jobs/${first.jobId}?includeErrors=yes`), 400, 'EKV_2000', "The value of query parameter 'includeErrors' is not valid.");
	});
});

describe('GET …/download and …/groups/{g}/download', () => {
	test('the items as the CSV the upload takes, text/csv; charset=utf-8; maxItems and one group', async () => {
		const ns = await newNamespace();
		const body = 'a,k1,plain\na,k2,"with, comma"\nb,k3,"two\nlines"\nb,k4,"a ""quote"""\n';
		assert.equal((await run('staging', ns, body)).successesCount, 4);
		const all = await server.get(`${nsPath('staging', ns)}/download`, { headers: { Accept: 'text/csv' } });
		assert.equal(all.status, 200);
		assert.equal(all.headers['content-type'], 'text/csv; charset=utf-8');
		assert.equal(all.body, body);
		assert.equal((await server.get(`${groupPath('staging', ns, 'b')}/download`)).body, 'b,k3,"two\nlines"\nb,k4,"a ""quote"""\n');
		assert.equal((await server.get(`${nsPath('staging', ns)}/download?maxItems=1`)).body, 'a,k1,plain\n');
		// Downloaded CSV uploads again as it is.
		const copy = await newNamespace();
		assert.equal((await run('staging', copy, all.body)).successesCount, 4);
		assert.equal((await server.get(`${nsPath('staging', copy)}/download`)).body, body);
		assertProblem(await server.get(`${groupPath('staging', ns, 'none')}/download`), 404, 'EKV_9000', NOT_FOUND);
		assertProblem(await server.get(`${groupPath('staging', ns, 'bad.group')}/download`), 400, 'EKV_9000', MSG.group);
		assertProblem(await server.get(`${nsPath('staging', ns)}/download?maxItems=0`), 400, 'EKV_2000', "The value of query parameter 'maxItems' is not valid.");
		assertProblem(await server.get(`${nsPath('staging', ns)}/download?showExpires=1`), 400, 'EKV_2000', "The value of query parameter 'showExpires' is not valid.");
	});
});

describe('permissions', () => {
	let limited;
	let ns;

	function signed(method, path, body, headers = {}) {
		const req = { path, method, headers: { ...headers }, body: method === 'POST' ? body : undefined };
		auth.generateAuth(req, limited.client_token, limited.client_secret, limited.access_token, `${server.httpUrl}#https://x`);
		const url = new URL(req.url);
		url.hash = '';
		return plainRequest(url.toString(), { method, headers: req.headers, body });
	}

	before(async () => {
		ns = await newNamespace();
		assert.equal((await run('staging', ns, 'g,k,v\n')).successesCount, 1);
		const roles = [{ groupId: 0, capabilities: ['READ_STAGING_DATA'], permissions: ['cpcode-view'] }];
		assert.equal((await control(server, 'POST', '/_emulator/accounts/1-DEFAULT/users', { name: 'bulk_reader', roles })).status, 201);
		const c = await control(server, 'POST', '/_emulator/accounts/1-DEFAULT/clients', { user: 'bulk_reader', grant: 'READ-WRITE' });
		limited = { client_token: c.json.clientToken, client_secret: c.json.clientSecret, access_token: c.json.accessToken };
	});

	test('uploading and reading jobs need WRITE_DATA on the network; downloading needs READ_DATA', async () => {
		const missing = (cap) => `That resource does not exist or you are missing the '${cap}' permission for it.`;
		assertProblem(await signed('POST', `${nsPath('staging', ns)}/upload`, 'g,k,v\n', CSV), 400, 'EKV_1002', missing('WRITE_STAGING_DATA'));
		assertProblem(await signed('GET', `${nsPath('staging', ns)}/upload`), 400, 'EKV_1002', missing('WRITE_STAGING_DATA'));
		assert.equal((await signed('GET', `${nsPath('staging', ns)}/download`)).body, 'g,k,v\n');
	});
});

describe('jobs survive a restart', () => {
	test('a finished job is still listed, and an unfinished one resumes exactly where it stopped', async () => {
		const ns = await newNamespace();
		const done = await run('staging', ns, 'g,a,1\n');
		const lines = [];
		for (let i = 0; i < 200000; i++) lines.push(`g${i % 7},k${i},v${i}`);
		const res = await upload('staging', ns, lines.join('\n') + '\n');
		assert.equal(res.status, 202);
		await server.restart(); // SIGTERM right away: the job stops between two batches
		const job = await waitJob('staging', ns, res.json.jobId, '?includeErrors=true', 120000);
		assert.deepEqual([job.successesCount, job.errorsCount, job.errors], [200000, 0, []]);
		const list = assertJson(await server.get(`${nsPath('staging', ns)}/upload`), 200);
		assert.deepEqual(list.jobs.map((j) => j.jobId), [res.json.jobId, done.jobId]);
		assert.equal((await server.get(itemPath('staging', ns, 'g2', 'k199999'))).body, 'v199999');
		const csv = (await server.get(`${nsPath('staging', ns)}/download`)).body;
		assert.equal(csv.split('\n').length - 1, 200001);
	});
});

describe('a million-line upload', () => {
	test('streams to disk, runs in the background while other requests answer, in little memory', async () => {
		const ns = await newNamespace();
		const lines = [];
		for (let i = 0; i < 1000000; i++) lines.push(`g${i % 100},key${i},value-${i}-xxxxxxxxxxxxxxxxxxxx`);
		const body = gzipSync(Buffer.from(lines.join('\n') + '\n'), { level: 1 });
		const res = await upload('staging', ns, body, { query: '?dryRun=true', headers: { ...CSV, 'Content-Encoding': 'gzip' } });
		assert.equal(res.status, 202, res.body);
		let answered = 0;
		for (;;) {
			const init = await server.get('/edgekv/v1/initialize');
			assert.equal(init.status, 200);
			answered++;
			const job = assertJson(await server.get(`${nsPath('staging', ns)}/jobs/${res.json.jobId}`), 200);
			if (job.jobStatus === 'COMPLETED') {
				assert.deepEqual([job.successesCount, job.errorsCount], [1000000, 0]);
				break;
			}
			await new Promise((r) => setTimeout(r, 100));
		}
		assert.ok(answered >= 1);
		// The 49 MB body never sat in memory: the process stayed small throughout. The bound
		// is the release build's (make test): under ASan (make check) the process's memory is
		// mostly ASan's shadow and quarantine, which say nothing of the emulator's.
		const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.proc.pid}/status`, 'utf8'))[1]);
		if (!ASAN_BUILD) assert.ok(hwm < 48 * 1024, `peak RSS ${hwm} kB`);
	});
});

describe('reset', () => {
	test('POST /_emulator/reset removes the jobs with the data: a namespace made again lists none', async () => {
		const ns = await newNamespace();
		const job = await run('staging', ns, 'g1,k1,v1\n');
		assert.equal(job.successesCount, 1);
		const reset = await control(server, 'POST', '/_emulator/reset', {});
		assert.equal(reset.status, 200, reset.body);
		assert.equal((await server.post(nsPath('staging'), namespaceBody(ns))).status, 200);
		const list = await server.get(`${nsPath('staging', ns)}/upload`);
		assertJson(list, 200);
		assert.deepEqual(list.json, { jobs: [] });
	});

	// A job cut short by a reset (or a restore) stops: a job uploaded after it runs only once
	// the runner is past it, and then the namespace holds nothing of the old job.
	const clears = [
		['a full reset', () => control(server, 'POST', '/_emulator/reset', {})],
		["a reset of the account's data", () => control(server, 'POST', '/_emulator/reset', { account: '1-DEFAULT' })],
		['a snapshot restore', () => control(server, 'POST', '/_emulator/snapshots/no-jobs/restore')],
	];
	for (const [what, clear] of clears)
		test(`${what} while jobs run or wait leaves no file in the uploads folder`, async () => {
			const uploads = join(server.dir, 'uploads');
			assert.equal((await control(server, 'POST', '/_emulator/reset', {})).status, 200);
			assert.equal((await control(server, 'POST', '/_emulator/snapshots', { name: 'no-jobs' })).status, 201);
			assert.equal((await upload('staging', 'default', longBody('old'))).status, 202);
			assert.equal((await upload('staging', 'default', 'old,waiting,v\n')).status, 202);
			assert.ok(readdirSync(uploads).length > 0, 'the jobs finished before the reset');
			const res = await clear();
			assert.equal(res.status, 200, res.body);
			assert.deepEqual(readdirSync(uploads), []);
			assert.equal((await run('staging', 'default', 'new,k,v\n')).successesCount, 1);
			assert.equal((await server.get(`${nsPath('staging', 'default')}/download`)).body, 'new,k,v\n');
			// The runner saves COMPLETED before it removes the file: wait for the file too.
			await waitEmpty(uploads);
		});

	test('a snapshot keeps the files of the jobs it holds unfinished: restored, they complete; deleted, the files go', async () => {
		const uploads = join(server.dir, 'uploads');
		assert.equal((await control(server, 'POST', '/_emulator/reset', {})).status, 200);
		const long = await upload('staging', 'default', longBody('old'));
		assert.equal(long.status, 202, long.body);
		const kept = await upload('staging', 'default', 'kept,k,v\n');
		assert.equal(kept.status, 202, kept.body);
		assert.equal((await control(server, 'POST', '/_emulator/snapshots', { name: 'with-jobs' })).status, 201);
		assert.equal((await control(server, 'POST', '/_emulator/reset', {})).status, 200);
		assert.equal((await control(server, 'POST', '/_emulator/snapshots/with-jobs/restore')).status, 200);
		const jobPath = (id) => `${nsPath('staging', 'default')}/jobs/${id}`;
		// Still waiting behind the long job: the snapshot holds it unfinished.
		assert.equal(assertJson(await server.get(jobPath(kept.json.jobId)), 200).jobStatus, 'STARTED');
		const done = await waitJob('staging', 'default', kept.json.jobId, '', 120000);
		assert.deepEqual([done.successesCount, done.errorsCount], [1, 0]);
		assert.equal((await server.get(itemPath('staging', 'default', 'kept', 'k'))).status, 200);
		assert.equal((await waitJob('staging', 'default', long.json.jobId, '', 120000)).successesCount, LONG_RECORDS);
		// Finished here, unfinished in the snapshot: the files stay while the snapshot does.
		assert.deepEqual(readdirSync(uploads).sort(), [`job-${kept.json.jobId}.csv`, `job-${long.json.jobId}.csv`].sort());
		assert.equal((await control(server, 'DELETE', '/_emulator/snapshots/with-jobs')).status, 204);
		assert.deepEqual(readdirSync(uploads), []);
	});

	test('a reset or an import of another account leaves a running job and its file alone', async () => {
		const uploads = join(server.dir, 'uploads');
		assert.equal((await control(server, 'POST', '/_emulator/reset', {})).status, 200);
		assert.equal((await control(server, 'POST', '/_emulator/import', { accounts: [{ id: '1-OTHER' }] })).status, 200);
		const long = await upload('staging', 'default', longBody('mine'));
		assert.equal(long.status, 202, long.body);
		const file = `job-${long.json.jobId}.csv`;
		assert.equal((await control(server, 'POST', '/_emulator/reset', { account: '1-OTHER' })).status, 200);
		assert.equal((await control(server, 'POST', '/_emulator/import', { accounts: [{ id: '1-OTHER' }] })).status, 200);
		// The folder first, the job second: a job STARTED after the listing was STARTED during it.
		const listed = readdirSync(uploads);
		const job = assertJson(await server.get(`${nsPath('staging', 'default')}/jobs/${long.json.jobId}`), 200);
		if (job.jobStatus === 'STARTED') assert.ok(listed.includes(file), 'the running job lost its file');
		else assert.deepEqual([job.jobStatus, job.successesCount, job.errorsCount], ['COMPLETED', LONG_RECORDS, 0], 'the job was cut short');
		const done = await waitJob('staging', 'default', long.json.jobId, '', 120000);
		assert.deepEqual([done.successesCount, done.errorsCount], [LONG_RECORDS, 0]);
		await waitEmpty(uploads);
	});

	test("an import that replaces the job's account removes the job and its file", async () => {
		const uploads = join(server.dir, 'uploads');
		assert.equal((await control(server, 'POST', '/_emulator/reset', {})).status, 200);
		const exported = await control(server, 'GET', '/_emulator/export?account=1-DEFAULT');
		assert.equal(exported.status, 200, exported.body);
		assert.equal((await upload('staging', 'default', longBody('old'))).status, 202);
		assert.equal((await control(server, 'POST', '/_emulator/import', exported.json)).status, 200);
		assert.deepEqual(readdirSync(uploads), []);
		assert.deepEqual(assertJson(await server.get(`${nsPath('staging', 'default')}/upload`), 200), { jobs: [] });
	});
});
