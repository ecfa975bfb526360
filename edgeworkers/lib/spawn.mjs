// Starting and stopping one emulator process for tests: free ports (the binary picks them
// with port 0 and prints them), a throw-away database, bounded waits.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const KIT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const START_TIMEOUT_MS = 20_000; // an ASan build starts slower
const STOP_TIMEOUT_MS = 10_000;
const running = new Set();

process.on('exit', () => {
	for (const proc of running) proc.kill('SIGKILL');
});

/** The binary: the option alone when given, else EDGEKV_EMULATOR_BIN, the repository's release build, or PATH. */
export function findBinary(bin) {
	const tried = [];
	const candidates = bin ? [bin] : [process.env.EDGEKV_EMULATOR_BIN, resolve(KIT, '../build/release/edgekv-emulator')];
	if (!bin) for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir) candidates.push(join(dir, 'edgekv-emulator'));
	for (const c of candidates) {
		if (!c) continue;
		tried.push(c);
		if (existsSync(c)) return c;
	}
	throw new Error(`edgekv-emulator binary not found (tried ${tried.join(', ')}): build it with make, or set EDGEKV_EMULATOR_BIN`);
}

/** A seed option as a --seed folder: a folder path is used as is, a fixture document is written out. */
export function seedDir(seed, dir) {
	if (seed === undefined || seed === null) return null;
	if (typeof seed === 'string') return resolve(seed);
	const out = join(dir, 'seed');
	mkdirSync(out, { recursive: true });
	writeFileSync(join(out, 'world.json'), JSON.stringify(seed));
	return out;
}

/** The first API client a seed folder defines, or null. */
export function seedClient(folder) {
	if (!folder) return null;
	for (const f of readdirSync(folder).filter((n) => n.endsWith('.json')).sort()) {
		const doc = JSON.parse(readFileSync(join(folder, f), 'utf8'));
		for (const account of doc.accounts ?? [])
			for (const c of account.clients ?? [])
				if (c.clientToken && c.accessToken && c.clientSecret)
					return { client_token: c.clientToken, access_token: c.accessToken, client_secret: c.clientSecret };
	}
	return null;
}

function childEnv() {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('EDGEKV_')) env[k] = v;
	return env;
}

/** Spawns the binary with argv; resolves {proc, dir, httpUrl, httpsUrl, certPath, stderr()}. */
export async function spawnEmulator(bin, argv, dir) {
	const proc = spawn(bin, argv, { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
	running.add(proc);
	let stdout = '';
	let stderr = '';
	proc.stderr.setEncoding('utf8');
	proc.stderr.on('data', (d) => (stderr = (stderr + d).slice(-16384)));
	proc.stdout.setEncoding('utf8');
	const exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal })));
	exited.then(() => running.delete(proc));
	let timer;
	try {
		await new Promise((res, rej) => {
			proc.stdout.on('data', (d) => {
				stdout += d;
				if (/^ready$/m.test(stdout)) res();
			});
			proc.on('error', (e) => rej(new Error(`cannot start ${bin}: ${e.message}`)));
			exited.then(({ code, signal }) => rej(new Error(`${bin} exited before it was ready (code ${code}, signal ${signal}):\n${stderr}`)));
			timer = setTimeout(() => rej(new Error(`${bin} was not ready within ${START_TIMEOUT_MS} ms:\n${stderr}`)), START_TIMEOUT_MS);
		});
	} catch (e) {
		proc.kill('SIGKILL');
		rmSync(dir, { recursive: true, force: true });
		throw e;
	} finally {
		clearTimeout(timer);
	}
	const line = (re) => stdout.split('\n').map((l) => re.exec(l)).find(Boolean)?.[1];
	return {
		proc,
		exited,
		httpUrl: line(/^listening (http:\/\/\S+)$/),
		httpsUrl: line(/^listening (https:\/\/\S+)$/),
		certPath: line(/^tls certificate (.+)$/),
		stderr: () => stderr,
	};
}

/** SIGTERM, wait, then remove the folder; rejects when the process did not exit cleanly. */
export async function stopEmulator(child, dir) {
	let result;
	try {
		if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGTERM');
		let timer;
		result = await Promise.race([
			child.exited,
			new Promise((res) => (timer = setTimeout(() => res(null), STOP_TIMEOUT_MS))),
		]);
		clearTimeout(timer);
		if (!result) {
			child.proc.kill('SIGKILL');
			throw new Error(`the emulator did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM:\n${child.stderr()}`);
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	if (result.code !== 0) throw new Error(`the emulator exited with code ${result.code} (signal ${result.signal}):\n${child.stderr()}`);
}

export function tempDir() {
	return mkdtempSync(join(tmpdir(), 'ekv-kit-'));
}
