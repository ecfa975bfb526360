// HTTPS with the self-signed certificate the emulator prints; listeners that can be turned off.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { after, before, test } from 'node:test';
import { signRaw, assertJson, assertProblem, itemPath, plainRequest, startServer, V1 } from './helpers.mjs';

let server;
before(async () => {
	server = await startServer();
});
after(() => server?.close());

test('stdout names both listeners, the certificate path and names, then ready', () => {
	const lines = server.stdout.trim().split('\n');
	assert.deepEqual(lines, [`listening ${server.httpUrl}`, `tls certificate ${server.certPath}`, 'tls names localhost,127.0.0.1,::1', `listening ${server.httpsUrl}`, 'ready']);
	assert.ok(server.certPath.startsWith(server.dir), `certificate next to the database: ${server.certPath}`);
});

test('the certificate is self-signed for IP:127.0.0.1 and DNS:localhost', () => {
	const cert = new X509Certificate(readFileSync(server.certPath));
	assert.match(cert.subjectAltName, /IP Address:127\.0\.0\.1/);
	assert.match(cert.subjectAltName, /DNS:localhost/);
	assert.ok(cert.checkIssued(cert), 'self-signed');
	assert.ok(new Date(cert.validTo) > new Date(Date.now() + 30 * 86400 * 1000), `valid for a while: ${cert.validTo}`);
});

test('a raw node:https request with the printed certificate as ca is answered', async () => {
	const ca = readFileSync(server.certPath);
	const signedFor = (url) => ({ ca, headers: { Authorization: signRaw('GET', 'https', new URL(url).host, `${V1}/initialize`) } });
	const res = await plainRequest(`${server.httpsUrl}${V1}/initialize`, signedFor(server.httpsUrl));
	assertJson(res, 200, 'initialize-status');
	const byName = server.httpsUrl.replace('127.0.0.1', 'localhost');
	const viaName = await plainRequest(`${byName}${V1}/initialize`, signedFor(byName));
	assert.equal(viaName.status, 200);
});

test('without the certificate a client refuses the connection', async () => {
	await assert.rejects(plainRequest(`${server.httpsUrl}${V1}/initialize`), (e) => /self[- ]signed|unable to verify|certificate/i.test(`${e.code} ${e.message}`));
});

test('signed requests over HTTPS write and read items like over HTTP', async () => {
	const path = itemPath('staging', 'default', 'tls', 'k');
	const put = await server.put(path, '{"over":"tls"}', { tls: true });
	assert.equal(put.status, 200);
	assert.equal(put.body, 'Item was upserted in database, namespace default, group tls, and key k.');
	const got = await server.get(path, { tls: true });
	assert.equal(got.body, '{"over":"tls"}');
	assert.equal((await server.get(path)).body, '{"over":"tls"}');
	assertProblem(await server.get(itemPath('staging', 'default', 'tls', 'bad.key'), { tls: true }), 400, 'EKV_9000', 'Key must only use a string that matches A-Z a-z 0-9 _ or -..');
});

test('the TLS listener negotiates TLS 1.2 or newer', async () => {
	const port = Number(new URL(server.httpsUrl).port);
	const version = await new Promise((res, rej) => {
		const sock = tls.connect({ host: '127.0.0.1', port, ca: readFileSync(server.certPath), servername: 'localhost' }, () => {
			res(sock.getProtocol());
			sock.end();
		});
		sock.on('error', rej);
		sock.setTimeout(5000, () => sock.destroy(new Error('TLS handshake timed out')));
	});
	assert.ok(['TLSv1.2', 'TLSv1.3'].includes(version), version);
});

test('--https-port off and --http-port off turn a listener off', async () => {
	const httpOnly = await startServer({ args: ['--https-port', 'off'] });
	try {
		assert.ok(httpOnly.httpUrl);
		assert.equal(httpOnly.httpsUrl, undefined);
		assert.doesNotMatch(httpOnly.stdout, /https:/);
		assert.equal((await httpOnly.get(`${V1}/initialize`)).status, 200);
	} finally {
		await httpOnly.close();
	}
	const httpsOnly = await startServer({ args: ['--http-port', 'off'] });
	try {
		assert.equal(httpsOnly.httpUrl, undefined);
		assert.ok(httpsOnly.httpsUrl);
		assert.equal((await httpsOnly.get(`${V1}/initialize`, { tls: true })).status, 200);
	} finally {
		await httpsOnly.close();
	}
});

/** What a client offering only `opts` gets: {protocol, cipher} or {error}. */
function handshake(srv, opts) {
	const port = Number(new URL(srv.httpsUrl).port);
	return new Promise((res) => {
		const sock = tls.connect({ host: '127.0.0.1', port, ca: readFileSync(srv.certPath), servername: 'localhost', ...opts }, () => {
			res({ protocol: sock.getProtocol(), cipher: sock.getCipher().name });
			sock.end();
		});
		sock.on('error', (e) => res({ error: e.code ?? e.message }));
		sock.setTimeout(5000, () => sock.destroy(new Error('TLS handshake timed out')));
	});
}

// OpenSSL 3 allows TLS 1.0/1.1 and SHA-1 only at security level 0.
const OLD = { ciphers: 'DEFAULT@SECLEVEL=0' };
const TLS10 = { ...OLD, minVersion: 'TLSv1', maxVersion: 'TLSv1' };
const TLS11 = { ...OLD, minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1' };
const CBC12 = { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384@SECLEVEL=0' };

test('TLS 1.0, 1.1 and non-AEAD TLS 1.2 suites are refused; TLS 1.2 ECDHE+GCM and TLS 1.3 are accepted', async () => {
	for (const [what, opts] of [['TLS 1.0', TLS10], ['TLS 1.1', TLS11], ['TLS 1.2 CBC', CBC12]]) {
		const r = await handshake(server, opts);
		assert.ok(r.error, `${what} negotiated ${r.protocol} ${r.cipher}`);
	}
	assert.deepEqual(await handshake(server, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' }), { protocol: 'TLSv1.2', cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256' });
	assert.deepEqual(await handshake(server, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-CHACHA20-POLY1305' }), { protocol: 'TLSv1.2', cipher: 'ECDHE-ECDSA-CHACHA20-POLY1305' });
	assert.equal((await handshake(server, { minVersion: 'TLSv1.3' })).protocol, 'TLSv1.3');
});

test('--tls-priorities NORMAL lets old clients in again', async () => {
	const relaxed = await startServer({ args: ['--tls-priorities', 'NORMAL'] });
	try {
		assert.equal((await handshake(relaxed, TLS11)).protocol, 'TLSv1.1');
		assert.equal((await handshake(relaxed, CBC12)).cipher, 'ECDHE-ECDSA-AES128-SHA');
	} finally {
		await relaxed.close();
	}
});

test('an invalid --tls-priorities stops the start with a message', async () => {
	await assert.rejects(startServer({ args: ['--tls-priorities', 'NOT-A-PRIORITY'] }), /--tls-priorities: The request is invalid\. at 'NOT-A-PRIORITY'/);
});
