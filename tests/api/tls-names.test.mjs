// The HTTPS certificate: --tls-names (and EDGEKV_TLS_NAMES) in the generated certificate, made
// again when the names change; a certificate supplied with --tls-cert/--tls-key is served as is.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { test } from 'node:test';
import { BIN, REPO_ROOT, V1, assertJson, plainRequest, signRaw, startServer } from './helpers.mjs';

const USER_CERT = join(REPO_ROOT, 'tests/api/data/user-cert.pem');
const USER_KEY = join(REPO_ROOT, 'tests/api/data/user-key.pem');

/** The certificate the HTTPS listener presents to a client asking for servername. */
function peerCertificate(server, servername, ca) {
	const port = Number(new URL(server.httpsUrl).port);
	return new Promise((res, rej) => {
		const sock = tls.connect({ host: '127.0.0.1', port, ca, servername }, () => {
			res(sock.getPeerX509Certificate());
			sock.end();
		});
		sock.on('error', rej);
		sock.setTimeout(5000, () => sock.destroy(new Error('TLS handshake timed out')));
	});
}

/** Waits (up to 5 s) for stderr to show re: it and stdout's `ready` come through separate pipes. */
async function stderrMatches(server, re) {
	for (let i = 0; i < 100 && !re.test(server.stderrTail); i++) await new Promise((res) => setTimeout(res, 50));
	assert.match(server.stderrTail, re);
}

function sans(pem) {
	return new X509Certificate(pem).subjectAltName;
}

test('--tls-names: the names are in the certificate and on the start-up line; clients calling them pass the hostname check', async () => {
	const server = await startServer({ args: ['--tls-names', 'edgekv.test, 10.9.8.7,EDGEKV.test'] });
	try {
		const names = 'localhost,127.0.0.1,::1,edgekv.test,10.9.8.7';
		assert.deepEqual(server.stdout.trim().split('\n'), [`listening ${server.httpUrl}`, `tls certificate ${server.certPath}`, `tls names ${names}`, `listening ${server.httpsUrl}`, 'ready']);
		const pem = readFileSync(server.certPath);
		assert.equal(sans(pem), 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:edgekv.test, IP Address:10.9.8.7');
		// Connected to 127.0.0.1 but checked against the name, as a client in another container calling https://edgekv.test:PORT.
		const health = await plainRequest(`${server.httpsUrl}/_emulator/health`, { ca: pem, servername: 'edgekv.test' });
		assert.equal(assertJson(health, 200).status, 'ok');
		await assert.rejects(plainRequest(`${server.httpsUrl}/_emulator/health`, { ca: pem, servername: 'other.test' }), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
	} finally {
		await server.close();
	}
});

test('EDGEKV_TLS_NAMES is the twin of --tls-names; @hostname is the host name', async () => {
	const server = await startServer({ env: { EDGEKV_TLS_NAMES: 'edgekv,@hostname' } });
	try {
		const host = hostname().toLowerCase();
		assert.match(server.stdout, new RegExp(`^tls names localhost,127\\.0\\.0\\.1,::1,edgekv,${host.replace(/\./g, '\\.')}$`, 'm'));
		assert.equal(sans(readFileSync(server.certPath)), `DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:edgekv, DNS:${host}`);
	} finally {
		await server.close();
	}
});

test('the certificate is kept while the names stay, and made again, the old pair aside, when they change', async () => {
	const server = await startServer({ args: ['--tls-names', 'edgekv.test'] });
	try {
		const first = readFileSync(server.certPath, 'utf8');
		const firstKey = readFileSync(join(server.dir, 'key.pem'), 'utf8');
		await server.restart(['--tls-names', 'EDGEKV.test,,']);
		assert.equal(readFileSync(server.certPath, 'utf8'), first, 'same names: same certificate');
		assert.equal(existsSync(`${server.certPath}.old`), false);

		await server.restart(['--tls-names', 'edgekv.test,second.test']);
		const second = readFileSync(server.certPath, 'utf8');
		assert.notEqual(second, first);
		assert.match(server.stdout, /^tls names localhost,127\.0\.0\.1,::1,edgekv\.test,second\.test$/m);
		await stderrMatches(server, /the certificate names changed; the previous one is now '.*cert\.pem\.old'/);
		assert.equal(readFileSync(`${server.certPath}.old`, 'utf8'), first);
		assert.equal(readFileSync(join(server.dir, 'key.pem.old'), 'utf8'), firstKey);
		assert.equal(statSync(join(server.dir, 'key.pem.old')).mode & 0o777, 0o600);
		assert.equal(statSync(join(server.dir, 'key.pem')).mode & 0o777, 0o600);
		const served = await peerCertificate(server, 'second.test', second);
		assert.equal(served.fingerprint256, new X509Certificate(second).fingerprint256);

		await server.restart([]);
		assert.equal(sans(readFileSync(server.certPath)), 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
		assert.equal(readFileSync(`${server.certPath}.old`, 'utf8'), second, 'only the last pair is kept aside');
	} finally {
		await server.close();
	}
});

test('a name that is neither a DNS name nor an address stops the start: exit 2 and one line', () => {
	for (const [args, env] of [[['--tls-names', 'edgekv,bad name'], {}], [[], { EDGEKV_TLS_NAMES: 'edgekv,bad name' }]]) {
		const run = spawnSync(BIN, ['--db', ':memory:', ...args], { env: { PATH: process.env.PATH, ...env }, timeout: 5000, encoding: 'utf8' });
		assert.equal(run.status, 2);
		assert.equal(run.stderr, "edgekv-emulator: --tls-names: 'bad name' is neither a DNS name nor an IP address\n");
		assert.equal(run.stdout, '');
	}
});

test('--tls-cert and --tls-key: the supplied certificate is served and none is generated', async () => {
	const server = await startServer({ args: ['--tls-cert', USER_CERT, '--tls-key', USER_KEY, '--tls-names', 'ignored.test'] });
	try {
		assert.deepEqual(server.stdout.trim().split('\n'), [`listening ${server.httpUrl}`, `tls certificate ${USER_CERT}`, `listening ${server.httpsUrl}`, 'ready']);
		await stderrMatches(server, /--tls-names applies to the generated certificate only: not to '.*user-cert\.pem'/);
		const ca = readFileSync(USER_CERT);
		const served = await peerCertificate(server, 'ekv-user-cert.test', ca);
		assert.equal(served.fingerprint256, new X509Certificate(ca).fingerprint256);
		assert.equal(served.subject, 'CN=ekv-user-cert.test');
		assert.equal(existsSync(join(server.dir, 'cert.pem')), false, 'no certificate generated');
		assert.equal(existsSync(join(server.dir, 'key.pem')), false);
		const url = server.httpsUrl.replace('127.0.0.1', 'ekv-user-cert.test');
		const res = await plainRequest(`${server.httpsUrl}${V1}/initialize`, {
			ca,
			servername: 'ekv-user-cert.test',
			headers: { Host: new URL(url).host, Authorization: signRaw('GET', 'https', new URL(url).host, `${V1}/initialize`) },
		});
		assertJson(res, 200, 'initialize-status');
	} finally {
		await server.close();
	}
});

test('--tls-cert naming a missing file stops the start with the reason', () => {
	const run = spawnSync(BIN, ['--db', ':memory:', '--http-port', '0', '--https-port', '0', '--tls-cert', '/nonexistent/cert.pem', '--tls-key', USER_KEY], { env: { PATH: process.env.PATH }, timeout: 5000, encoding: 'utf8' });
	assert.equal(run.status, 1);
	assert.match(run.stderr, /tls: cannot read '\/nonexistent\/cert\.pem': No such file or directory/);
});
