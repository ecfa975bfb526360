// make soak: 10,000 slow or half-open connections held against the plain HTTP listener, then
// dropped, while a normal client measures its latency before, during and after. It passes when that
// client's p99 stays under 50 ms in every phase and none of its requests fails.
//
// Everything stays on loopback: the attackers connect from 127.0.1.x (the per-address limit applies
// to each), the normal client from 127.0.0.1. Every count and wait is bounded, and the run ends by
// itself (a hard stop at SOAK_MAX_SECONDS).
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const env = (name, dflt) => Number(process.env[name] ?? dflt);
const CONNS = env('SOAK_CONNECTIONS', 10000);
const SOURCES = env('SOAK_SOURCES', 50); // 127.0.1.1 .. 127.0.1.SOURCES
const HOLD_S = env('SOAK_HOLD_SECONDS', 30);
const AFTER_S = env('SOAK_AFTER_SECONDS', 15);
const BEFORE_S = env('SOAK_BEFORE_SECONDS', 5);
const MAX_S = env('SOAK_MAX_SECONDS', 240);
const RECONNECT_MAX = env('SOAK_RECONNECT_MAX', 4 * CONNS);
const RAMP_PER_50MS = env('SOAK_RAMP_PER_50MS', 100); // 2,000 new connections a second
const P99_MAX_MS = 50;
const PATH = '/edgekv/v1/networks/staging/namespaces/default/groups/soak/items/probe';

if (process.argv[2] === '--probe') probe(process.argv[3]);
else main().catch((e) => {
	console.error(`soak: ${e.stack ?? e}`);
	process.exit(1);
});

// ---------------------------------------------------------------------------------------------
// The normal client (its own process, so the attackers' event loop does not skew its clock): one
// request every 20 ms, alternately on a kept-alive connection and on a new one.

function probe(base) {
	const keep = new http.Agent({ keepAlive: true, maxSockets: 1 });
	let phase = 'before';
	const samples = {};
	const errors = {};
	let stopping = false;
	let n = 0;
	process.on('message', (m) => {
		if (m.phase) phase = m.phase;
		if (m.stop) stopping = true;
	});
	const once = () =>
		new Promise((res) => {
			const started = process.hrtime.bigint();
			const agent = n % 2 ? keep : false;
			const req = http.get(`${base}${PATH}`, { agent, localAddress: '127.0.0.1', timeout: 5000 }, (r) => {
				r.resume();
				r.on('end', () => res({ ok: r.statusCode === 200, ms: Number(process.hrtime.bigint() - started) / 1e6, why: `status ${r.statusCode}` }));
			});
			req.on('timeout', () => req.destroy(new Error('timeout after 5 s')));
			req.on('error', (e) => res({ ok: false, ms: Number(process.hrtime.bigint() - started) / 1e6, why: e.code ?? e.message }));
		});
	(async () => {
		while (!stopping) {
			const p = phase;
			const mode = n++ % 2 ? 'kept-alive' : 'new';
			const r = await once();
			(samples[p] ??= []).push(r.ms);
			(samples[`${p} ${mode}`] ??= []).push(r.ms);
			if (!r.ok) (errors[p] ??= []).push(r.why);
			await new Promise((res) => setTimeout(res, 20));
		}
		keep.destroy();
		process.send({ samples, errors }, () => process.exit(0));
	})();
}

// ---------------------------------------------------------------------------------------------
// The attackers.

// CONNS of the first three kinds are held; CONNS / 4 half-closed ones come on top (the server
// closes those at once: their clients have said all they will).
const HELD_KINDS = ['half-open', 'slow-headers', 'slow-body'];
const KINDS = [...HELD_KINDS, 'half-closed'];

function startServer(bin, dir) {
	return new Promise((res, rej) => {
		// The header deadline is raised past the hold so that all 10,000 stay open at once (the
		// deadlines themselves are tested in tests/api/slow-clients.test.mjs); SOAK_SERVER_ARGS
		// replaces it, e.g. with '' to see the default deadlines reap them meanwhile.
		const extra = (process.env.SOAK_SERVER_ARGS ?? `--header-timeout ${HOLD_S + 60} --min-body-rate 0`).split(' ').filter(Boolean);
		const args = ['--db', join(dir, 'edgekv.db'), '--http-port', '0', '--https-port', 'off', '--auth', 'off', '--no-access-log', ...extra];
		const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		const timer = setTimeout(() => rej(new Error('server did not print ready in 10 s')), 10000);
		proc.stderr.on('data', (d) => (err = (err + d).slice(-4096)));
		proc.stdout.on('data', (d) => {
			out += d;
			const m = /^listening (http:\/\/\S+)$/m.exec(out);
			if (m && /^ready$/m.test(out)) {
				clearTimeout(timer);
				res({ proc, url: m[1], stderr: () => err });
			}
		});
		proc.on('exit', (code) => rej(new Error(`server exited (${code}): ${err}`)));
	});
}

function request(url, method, body) {
	return new Promise((res, rej) => {
		const req = http.request(url, { method, agent: false, headers: body ? { 'Content-Length': Buffer.byteLength(body) } : {} }, (r) => {
			r.resume();
			r.on('end', () => res(r.statusCode));
		});
		req.on('error', rej);
		req.end(body);
	});
}

class Attack {
	constructor(port) {
		this.port = port;
		this.open = new Set();
		this.opened = 0;
		this.refused = 0; // closed by the server before or without a reply
		this.peak = 0;
		this.holding = true;
		this.next = 0;
	}

	connect() {
		const i = this.next++;
		const kind = i < CONNS ? HELD_KINDS[i % HELD_KINDS.length] : 'half-closed';
		const from = `127.0.1.${1 + (i % SOURCES)}`;
		const sock = net.connect({ host: '127.0.0.1', port: this.port, localAddress: from });
		sock.kind = kind;
		this.opened++;
		sock.on('connect', () => {
			this.open.add(sock);
			this.peak = Math.max(this.peak, this.open.size);
			if (kind === 'slow-headers') sock.write(`GET ${PATH} HTTP/1.1\r\nHost: x\r\n`);
			if (kind === 'slow-body') sock.write(`PUT ${PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n`);
			if (kind === 'half-closed') sock.end(`GET ${PATH} HTTP/1.1\r\nHost: x\r\nX-Slow: `);
		});
		sock.on('data', () => {});
		sock.on('error', () => {});
		sock.on('close', () => {
			if (this.open.delete(sock) && this.holding) {
				this.refused++;
				// Keep the pressure up: come back a second later (a half-closed one has said all it had).
				if (kind !== 'half-closed' && this.opened < CONNS + CONNS / 4 + RECONNECT_MAX)
					setTimeout(() => this.holding && this.connect(), 1000);
			}
		});
	}

	/** Opens count connections, RAMP_PER_50MS at a time: a slow-client attack, not a SYN flood. */
	async ramp(count) {
		while (this.next < count) {
			const target = Math.min(count, this.next + RAMP_PER_50MS);
			while (this.next < target) this.connect();
			await new Promise((r) => setTimeout(r, 50));
		}
	}

	/** One byte every ~3 s on each slow connection. */
	trickle() {
		let turn = 0;
		this.timer = setInterval(() => {
			turn = (turn + 1) % 30;
			let k = 0;
			for (const s of this.open) if (k++ % 30 === turn && (s.kind === 'slow-headers' || s.kind === 'slow-body')) s.write('x');
		}, 100);
	}

	drop() {
		this.holding = false;
		clearInterval(this.timer);
		let k = 0;
		for (const s of this.open) {
			if (k++ % 2) s.resetAndDestroy();
			else s.destroy();
		}
		this.open.clear();
	}
}

function stats(list = []) {
	const s = [...list].sort((a, b) => a - b);
	const q = (p) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN);
	return { n: s.length, p50: q(0.5), p99: q(0.99), max: s.length ? s[s.length - 1] : NaN };
}

const sleep = (s) => new Promise((r) => setTimeout(r, s * 1000));

async function main() {
	const bin = process.argv[2];
	if (!bin) throw new Error('usage: node tests/soak/slow-clients.mjs PATH-TO-edgekv-emulator');
	const hardStop = setTimeout(() => {
		console.error(`soak: still running after ${MAX_S} s: stopping`);
		process.exit(1);
	}, MAX_S * 1000);
	const dir = mkdtempSync(join(tmpdir(), 'ekv-soak-'));
	const server = await startServer(bin, dir);
	let failed = false;
	try {
		const port = Number(new URL(server.url).port);
		if ((await request(`${server.url}${PATH}`, 'PUT', 'v')) !== 200) throw new Error('cannot write the probe item');
		const prober = fork(SELF, ['--probe', server.url], { stdio: 'inherit' });
		const result = new Promise((res) => prober.on('message', res));
		// The attackers yield the CPU to the server and the normal client (two cores, shared).
		setPriority(10);
		console.log(`soak: ${CONNS} connections (${HELD_KINDS.join(', ')}) and ${CONNS / 4} half-closed ones from ${SOURCES} loopback addresses, held ${HOLD_S} s, then dropped`);
		await sleep(BEFORE_S);
		prober.send({ phase: 'during' });
		const attack = new Attack(port);
		const t0 = Date.now();
		await attack.ramp(CONNS + CONNS / 4);
		attack.trickle();
		console.log(`soak: ${attack.opened} opened in ${Date.now() - t0} ms, ${attack.open.size} open`);
		for (let t = 0; t < HOLD_S; t += 5) {
			await sleep(5);
			console.log(`soak:   +${t + 5}s ${attack.open.size} open, ${attack.refused} closed by the server so far`);
		}
		attack.drop();
		prober.send({ phase: 'after' });
		await sleep(AFTER_S);
		prober.send({ stop: true });
		const { samples, errors } = await result;
		console.log(`soak: attacker connections opened ${attack.opened}, peak open ${attack.peak}, closed by the server ${attack.refused}`);
		for (const phase of ['before', 'during', 'after']) {
			const s = stats(samples[phase]);
			const errs = errors[phase] ?? [];
			const ok = s.n > 0 && s.p99 < P99_MAX_MS && errs.length === 0;
			failed ||= !ok;
			console.log(
				`soak: normal client ${phase.padEnd(6)} ${String(s.n).padStart(5)} requests  p50 ${s.p50.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms  max ${s.max.toFixed(2)} ms  errors ${errs.length}${errs.length ? ` (${[...new Set(errs)].join(', ')})` : ''}  ${ok ? 'ok' : 'FAIL'}`,
			);
			for (const mode of ['kept-alive', 'new']) {
				const m = stats(samples[`${phase} ${mode}`]);
				console.log(`soak:   ${mode.padEnd(10)} connection ${String(m.n).padStart(5)} requests  p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms  max ${m.max.toFixed(2)} ms`);
			}
		}
	} finally {
		server.proc.kill('SIGTERM');
		await new Promise((r) => server.proc.once('exit', r));
		const line = /(\d+) slow connections dropped/.exec(server.stderr());
		console.log(`soak: the server dropped ${line ? line[1] : 0} slow connections (its log)`);
		rmSync(dir, { recursive: true, force: true });
		clearTimeout(hardStop);
	}
	console.log(failed ? `soak: FAIL (p99 must stay under ${P99_MAX_MS} ms, with no error)` : 'soak: ok');
	process.exit(failed ? 1 : 0);
}
