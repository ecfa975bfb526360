// Slow and idle connections (docs/security.md "Slow clients"): the header deadline, the idle
// deadline of kept-alive connections, the minimum body rate, the per-address and the listener's
// connection limits. A few dozen connections and a few seconds: `make soak` holds 10,000.
// Attackers connect from 127.0.2.x, the normal client from 127.0.0.1 (all loopback).
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { itemPath, plainRequest, rawHeld, startServer } from './helpers.mjs';

const ITEM = itemPath('staging', 'default', 'slow', 'k');
const LIMITS = ['--auth', 'off', '--header-timeout', '1', '--idle-timeout', '2', '--min-body-rate', '2000'];

/** Connects from `from` and returns {sock, closed: Promise<ms until the server closed it>}. */
function hold(server, from, onConnect = () => {}) {
	const port = Number(new URL(server.httpUrl).port);
	const started = Date.now();
	const sock = net.connect({ host: '127.0.0.1', port, localAddress: from });
	sock.on('connect', () => onConnect(sock));
	sock.on('data', () => {});
	sock.on('error', () => {});
	const closed = new Promise((res) => sock.on('close', () => res(Date.now() - started)));
	return { sock, closed };
}

/** A normal request on a new connection: its status and how long it took. */
async function normal(server) {
	const started = Date.now();
	const res = await plainRequest(`${server.httpUrl}${ITEM}`);
	return { status: res.status, ms: Date.now() - started };
}

describe('slow clients', () => {
	let server;
	before(async () => {
		server = await startServer({ args: LIMITS });
		assert.equal((await plainRequest(`${server.httpUrl}${ITEM}`, { method: 'PUT', body: 'v' })).status, 200);
	});
	after(() => server?.close());

	test('40 connections trickling their headers, or sending nothing, are dropped at the header deadline while others are served', async () => {
		const held = [];
		for (let i = 0; i < 40; i++) {
			const trickle = i % 2 === 0;
			held.push(
				hold(server, `127.0.2.${1 + (i % 8)}`, (sock) => {
					if (!trickle) return;
					sock.write('GET / HTTP/1.1\r\nHost: x\r\n');
					sock.timer = setInterval(() => sock.write('x'), 200); // a byte every 200 ms is not enough
					sock.on('close', () => clearInterval(sock.timer));
				}),
			);
		}
		for (let i = 0; i < 5; i++) assert.equal((await normal(server)).status, 200);
		const times = await Promise.all(held.map((h) => h.closed));
		for (const ms of times) assert.ok(ms >= 900 && ms < 2500, `dropped after ${ms} ms (deadline 1 s)`);
	});

	test('a body slower than --min-body-rate is dropped; one at the rate is served', async () => {
		const head = `PUT ${ITEM} HTTP/1.1\r\nHost: x\r\nContent-Length: 20000\r\n\r\n`;
		const slow = hold(server, '127.0.2.20', (sock) => {
			sock.write(head);
			sock.timer = setInterval(() => sock.write('x'.repeat(100)), 100); // 1,000 B/s
			sock.on('close', () => clearInterval(sock.timer));
		});
		const ms = await slow.closed;
		assert.ok(ms >= 1500 && ms < 4000, `dropped after ${ms} ms`);
		// 5,000 B/s over 4 s: above the rate, beyond the header deadline, and answered
		const body = Buffer.alloc(20000, 0x61);
		const res = await new Promise((resolve) => {
			const port = Number(new URL(server.httpUrl).port);
			const sock = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.2.21' });
			const chunks = [];
			let off = 0;
			sock.on('connect', () => {
				sock.write(`PUT ${ITEM} HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
				const timer = setInterval(() => {
					sock.write(body.subarray(off, off + 500));
					off += 500;
					if (off >= body.length) clearInterval(timer);
				}, 100);
			});
			sock.on('data', (d) => chunks.push(d));
			sock.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
		});
		assert.match(res, /^HTTP\/1\.1 200 /);
	});

	test('a kept-alive connection is closed after --idle-timeout without a request', async () => {
		const { res, ms, closedByServer } = await rawHeld(server, `GET ${ITEM} HTTP/1.1\r\nHost: x\r\n\r\n`, { from: '127.0.2.30' });
		assert.equal(res.status, 200);
		assert.ok(closedByServer && ms >= 1900 && ms < 3500, `closed after ${ms} ms (idle deadline 2 s)`);
	});

	test('a reply held by injected latency past the deadlines is still delivered', async () => {
		const fault = await plainRequest(`${server.httpUrl}/_emulator/faults`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: { route: '/edgekv/v1/networks/{network}/namespaces/{namespace}/groups/{group}/items/{item}', method: 'GET', latencyMs: 2500 },
		});
		assert.equal(fault.status, 201, fault.body);
		try {
			const r = await normal(server);
			assert.equal(r.status, 200);
			assert.ok(r.ms >= 2400, `answered after ${r.ms} ms`);
		} finally {
			await plainRequest(`${server.httpUrl}/_emulator/faults`, { method: 'DELETE' });
		}
	});
});

describe('connection limits', () => {
	let server;
	before(async () => {
		server = await startServer({ args: [...LIMITS, '--header-timeout', '30', '--max-connections-per-ip', '5', '--max-connections', '20'] });
		assert.equal((await plainRequest(`${server.httpUrl}${ITEM}`, { method: 'PUT', body: 'v' })).status, 200);
	});
	after(() => server?.close());

	test('past --max-connections-per-ip an address is refused at once; others are not', async () => {
		const held = [];
		for (let i = 0; i < 5; i++) held.push(hold(server, '127.0.3.1'));
		await new Promise((r) => setTimeout(r, 300));
		const sixth = hold(server, '127.0.3.1');
		assert.ok((await sixth.closed) < 1000, 'the sixth connection from one address is closed');
		const r = await normal(server);
		assert.equal(r.status, 200);
		for (const h of held) h.sock.destroy();
		await Promise.all(held.map((h) => h.closed));
	});

	test('near --max-connections the oldest idle connections make room for new clients', async () => {
		const held = [];
		for (let i = 0; i < 20; i++) held.push(hold(server, `127.0.4.${1 + (i % 10)}`));
		let dropped = 0;
		for (const h of held) h.closed.then(() => dropped++);
		await new Promise((r) => setTimeout(r, 1000));
		assert.ok(dropped >= 3, `${dropped} of 20 idle connections dropped`);
		const r = await normal(server);
		assert.equal(r.status, 200);
		for (const h of held) h.sock.destroy();
		await Promise.all(held.map((h) => h.closed));
	});
});
