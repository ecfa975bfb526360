// Storage faults and data at rest, seen from outside: the files' modes, the WAL truncated once idle
// and no writes from an idle server, a damaged database refused at start, a data folder the
// emulator may not write refused with the reason and the path.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, fstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertProblem, BIN, itemPath, namespaceBody, nsPath, plainRequest, startServer } from './helpers.mjs';

const EXIT_TIMEOUT_MS = 10_000;

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

/** Runs the emulator expecting it to refuse to start: resolves {code, stderr}. */
function runUntilExit(args, { dropFileCapabilities = false } = {}) {
	// As root, permission bits bind only a process without the DAC capabilities: drop them.
	const asRoot = dropFileCapabilities && process.getuid?.() === 0;
	const caps = '-dac_override,-dac_read_search';
	const [cmd, argv] = asRoot
		? ['setpriv', [`--bounding-set=${caps}`, `--inh-caps=${caps}`, '--', BIN, ...args]]
		: [BIN, args];
	const proc = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
	let stderr = '';
	let stdout = '';
	proc.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
	proc.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
	return new Promise((res, rej) => {
		const timer = setTimeout(() => {
			proc.kill('SIGKILL');
			rej(new Error(`still running after ${EXIT_TIMEOUT_MS} ms:\n${stdout}\n${stderr}`));
		}, EXIT_TIMEOUT_MS);
		proc.on('exit', (code) => {
			clearTimeout(timer);
			res({ code, stderr, stdout });
		});
	});
}

const ports = ['--http-port', '0', '--https-port', 'off'];

async function fill(server, count) {
	assert.equal((await server.post(nsPath('staging'), namespaceBody('bulk'))).status, 200);
	const value = 'v'.repeat(1024);
	for (let i = 0; i < count; i++) {
		const res = await server.put(itemPath('staging', 'bulk', 'g', `k${i}`), value, { headers: { 'Content-Type': 'text/plain' } });
		assert.equal(res.status, 200);
	}
}

function size(path) {
	try {
		return statSync(path).size;
	} catch {
		return -1; // removed: SQLite deletes the WAL when the last connection closes
	}
}

/** write syscalls of the whole process (every thread), from /proc. */
function writeCalls(pid) {
	return Number(/^syscw: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))[1]);
}

test('the data folder is created 0700, the database and WAL files 0600, and there is no shared-memory file', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'ekv-storage-'));
	const server = await startServer({ db: join(dir, 'data', 'edgekv.db'), dir, args: ['--https-port', 'off'] });
	try {
		await fill(server, 1);
		assert.equal(statSync(join(dir, 'data')).mode & 0o777, 0o700);
		for (const suffix of ['', '-wal'])
			assert.equal(statSync(join(dir, 'data', `edgekv.db${suffix}`)).mode & 0o777, 0o600, `edgekv.db${suffix}`);
		assert.equal(existsSync(join(dir, 'data', 'edgekv.db-shm')), false);
	} finally {
		await server.close();
	}
});

test('a -shm file an older version left is removed at start', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'ekv-storage-'));
	const shm = join(dir, 'edgekv.db-shm');
	writeFileSync(shm, 'left by an older version', { mode: 0o600 });
	const server = await startServer({ db: join(dir, 'edgekv.db'), dir, args: ['--https-port', 'off'] });
	try {
		assert.equal(existsSync(shm), false);
		await fill(server, 1);
		assert.equal(existsSync(shm), false);
	} finally {
		await server.close();
	}
});

test('after writes the WAL is truncated to zero within seconds, and an idle server writes nothing', async () => {
	const server = await startServer({ args: ['--https-port', 'off'] });
	try {
		await fill(server, 300);
		const wal = `${server.dbPath}-wal`;
		assert.ok(size(wal) > 256 * 1024, `WAL of ${size(wal)} bytes after the writes`);
		const deadline = Date.now() + 6000; // a sweep copies, the next one (1 s later) truncates
		while (size(wal) !== 0 && Date.now() < deadline) await sleep(100);
		assert.equal(size(wal), 0);
		const pid = server.proc.pid;
		const before = writeCalls(pid);
		await sleep(3000); // three sweeps
		assert.equal(writeCalls(pid), before);
		assert.equal(size(wal), 0);
	} finally {
		await server.close();
	}
});

test('a database with damaged pages is refused at start: exit 1 and a message saying what to do', async () => {
	const server = await startServer({ args: ['--https-port', 'off'] });
	const db = server.dbPath;
	try {
		await fill(server, 50);
		await server.stop(); // checkpoints everything into the database file
		const fd = openSync(db, 'r+');
		const junk = Buffer.alloc(4096, 0xa5);
		const pages = fstatSync(fd).size / 4096;
		writeSync(fd, junk, 0, junk.length, (pages - 1) * 4096); // the last page: item data
		closeSync(fd);
		const { code, stderr, stdout } = await runUntilExit(['--db', db, ...ports]);
		assert.equal(code, 1);
		assert.doesNotMatch(stdout, /^ready$/m);
		assert.match(stderr, new RegExp(`the database '${db}' is corrupt \\(.+\\); restore it from a backup or move it away to start empty`));
	} finally {
		await server.close();
	}
});

test('a data folder the emulator may not write is refused at start, naming the permission and the path', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'ekv-storage-'));
	const data = join(dir, 'data');
	mkdirSync(data);
	chmodSync(data, 0o500);
	try {
		const db = join(data, 'edgekv.db');
		const { code, stderr } = await runUntilExit(['--db', db, ...ports], { dropFileCapabilities: true });
		assert.equal(code, 1);
		assert.match(stderr, new RegExp(`cannot create the database '${db}': Permission denied`));
	} finally {
		chmodSync(data, 0o700);
		rmSync(dir, { recursive: true, force: true });
	}
});

test('an existing database in a folder the emulator may not write is refused, naming the permission and the path', async () => {
	const server = await startServer({ args: ['--https-port', 'off'] });
	const db = server.dbPath;
	try {
		await server.stop();
		chmodSync(server.dir, 0o500);
		const { code, stderr } = await runUntilExit(['--db', db, ...ports], { dropFileCapabilities: true });
		assert.equal(code, 1);
		assert.match(stderr, new RegExp(`cannot open the database '${db}': Permission denied`));
	} finally {
		chmodSync(server.dir, 0o700);
		await server.close();
	}
});

/**
 * The emulator on a 3 MiB tmpfs of its own (a private mount namespace, so nothing outside
 * changes), a 1 MiB ballast file beside the database: deleting it gives space back.
 * Resolves {proc, url, dir, stderr()}.
 */
async function startOnSmallDisk() {
	const dir = mkdtempSync(join(tmpdir(), 'ekv-full-'));
	const script = 'mount -t tmpfs -o size=3m tmpfs "$0" && head -c 1048576 /dev/zero >"$0/ballast" && ' +
		'exec "$1" --db "$0/edgekv.db" --http-port 0 --https-port off --auth off';
	const unshare = process.getuid?.() === 0 ? ['-m'] : ['-r', '-m'];
	const proc = spawn('unshare', [...unshare, 'sh', '-c', script, dir, BIN], { stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	let err = '';
	proc.stderr.setEncoding('utf8').on('data', (d) => (err += d));
	const exited = new Promise((res) => proc.on('exit', (code) => res(code)));
	const url = await new Promise((res, rej) => {
		const timer = setTimeout(() => rej(new Error(`not ready after ${EXIT_TIMEOUT_MS} ms:\n${err}`)), EXIT_TIMEOUT_MS);
		proc.stdout.setEncoding('utf8').on('data', (d) => {
			out += d;
			const m = /^listening (http:\/\/\S+)$/m.exec(out);
			if (m && /^ready$/m.test(out)) {
				clearTimeout(timer);
				res(m[1]);
			}
		});
		exited.then((code) => rej(new Error(`exited with ${code} before ready:\n${err}`)));
	});
	return { proc, url, dir, exited, stderr: () => err };
}

test('a full disk answers 507 with its own problem, logs it once, and writes succeed again once space is back', async () => {
	const srv = await startOnSmallDisk();
	const item = (key) => `${srv.url}${itemPath('staging', 'default', 'g', key)}`;
	const value = 'x'.repeat(200_000);
	const put = (key) => plainRequest(item(key), { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: value });
	try {
		assert.equal((await put('first')).status, 200);
		let res;
		let n = 0;
		for (; n < 40; n++) {
			res = await put(`k${n}`);
			if (res.status !== 200) break;
		}
		assertProblem(res, 507, 'EKV_0000', "The emulator's disk is full: nothing was changed. Free some space and try again.");
		assert.equal(res.json.title, 'Insufficient Storage');
		assert.equal(res.json.type, '/edgekv/error-types/edgekv-insufficient-storage');
		assertProblem(await put('again'), 507, 'EKV_0000');
		assert.equal((await plainRequest(item('again'))).status, 404, 'the refused write left nothing');
		assert.equal((await plainRequest(item('first'))).status, 200, 'reads go on');
		// Logged once: the write's failure, and the checkpointer's when a sweep ran into it too.
		assert.equal(srv.stderr().match(/item put failed: database or disk is full/g)?.length, 1, srv.stderr());
		assert.ok((srv.stderr().match(/checkpoint failed: database or disk is full/g)?.length ?? 0) <= 1, srv.stderr());

		// Space comes back (seen through the emulator's own mount namespace): no restart needed.
		rmSync(`/proc/${srv.proc.pid}/root${srv.dir}/ballast`);
		res = await put('again');
		assert.equal(res.status, 200, res.body);
		assert.equal((await plainRequest(item('again'))).body, value);
		assert.match(srv.stderr(), /writes succeed again/);
	} finally {
		srv.proc.kill('SIGTERM');
		const code = await Promise.race([srv.exited, sleep(EXIT_TIMEOUT_MS).then(() => 'timeout')]);
		if (code === 'timeout') srv.proc.kill('SIGKILL');
		rmSync(srv.dir, { recursive: true, force: true });
		assert.equal(code, 0, srv.stderr());
	}
});
