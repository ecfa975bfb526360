// A restart on the same database keeps everything; SIGTERM and SIGINT stop cleanly with exit 0.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { assertJson, assertProblem, BIN, itemPath, namespaceBody, nsPath, startServer, V1 } from './helpers.mjs';

const ITEMS = [
	['staging', 'keep', 'countries', 'US', 'United States', 'text/plain'],
	['staging', 'keep', 'countries', 'DE', '{ "name": "Germany" }', 'application/json'],
	['production', 'keep', 'bytes', 'b', Buffer.from([0, 1, 2, 0xfe, 0xff]), 'application/octet-stream'],
	['production', 'default', 'utf8', 'u', 'Grüße 日本 😀', 'text/plain;charset=utf-8'],
];

let server;
let state;

async function capture() {
	const out = {};
	for (const network of ['staging', 'production']) {
		out[network] = assertJson(await server.get(`${nsPath(network)}?details=on`), 200, 'namespaces-details');
		out[`${network}-groups`] = assertJson(await server.get(`${nsPath(network, 'keep')}/groups`), 200, 'groups').sort();
	}
	out.init = assertJson(await server.get(`${V1}/initialize`), 200, 'initialize-status');
	out.schedule = assertJson(await server.get(`${nsPath('production', 'gone_later')}/status/scheduled-delete`), 200, 'scheduled-delete');
	return out;
}

async function assertItems() {
	for (const [network, ns, group, key, value, type] of ITEMS) {
		const res = await server.get(itemPath(network, ns, group, key));
		assert.equal(res.status, 200, `${network}/${ns}/${group}/${key}`);
		assert.equal(res.headers['content-type'], type);
		assert.ok(res.bytes.equals(Buffer.isBuffer(value) ? value : Buffer.from(value)), `${key}: ${res.body}`);
	}
}

before(async () => {
	server = await startServer({ args: ['--uninitialized'] });
	assert.equal((await server.put(`${V1}/initialize`, { dataAccessPolicy: { restrictDataAccess: false, allowNamespacePolicyOverride: true } })).status, 201);
	assertJson(await server.post(nsPath('staging'), namespaceBody('keep', { retentionInSeconds: 0, groupId: 42 })), 200, 'namespace');
	assertJson(await server.post(nsPath('production'), namespaceBody('keep', { geoLocation: 'GLOBAL', dataAccessPolicy: { restrictDataAccess: true } })), 200, 'namespace');
	assertJson(await server.put(nsPath('production', 'keep'), { namespace: 'keep', retentionInSeconds: 2592000 }), 200, 'namespace');
	assertJson(await server.post(nsPath('production'), namespaceBody('gone_later')), 200, 'namespace');
	assertJson(await server.del(nsPath('production', 'gone_later')), 202, 'scheduled-delete');
	assertJson(await server.post(nsPath('staging'), namespaceBody('gone_now')), 200, 'namespace');
	assertJson(await server.del(`${nsPath('staging', 'gone_now')}?sync=true`), 200, 'namespace-sync-delete');
	for (const [network, ns, group, key, value, type] of ITEMS) {
		assert.equal((await server.put(itemPath(network, ns, group, key), value, { headers: { 'Content-Type': type } })).status, 200);
	}
	assert.equal((await server.put(itemPath('staging', 'keep', 'countries', 'FR'), 'France', { headers: { 'Content-Type': 'text/plain' } })).status, 200);
	assert.equal((await server.del(itemPath('staging', 'keep', 'countries', 'FR'))).status, 200);
	state = await capture();
});
after(() => server?.close());

test('a restart on the same database keeps namespaces, policies, schedules and items', async () => {
	const certBefore = readFileSync(server.certPath, 'utf8');
	await server.restart();
	assert.deepEqual(await capture(), state);
	await assertItems();
	assertProblem(await server.get(nsPath('staging', 'gone_now')), 400, 'EKV_9000', 'The requested namespace does not exist.');
	assertProblem(await server.get(itemPath('staging', 'keep', 'countries', 'FR')), 404, 'EKV_9000', "Item 'FR' or group 'countries' was not found in the database.");
	// The self-signed certificate made on first start is reused.
	assert.equal(readFileSync(server.certPath, 'utf8'), certBefore);
});

test('--uninitialized on an existing database leaves the account initialized', async () => {
	await server.restart(['--uninitialized']);
	assert.deepEqual(await capture(), state);
});

test('writes after a restart persist through the next one', async () => {
	assert.equal((await server.put(itemPath('staging', 'keep', 'countries', 'JP'), 'Japan', { headers: { 'Content-Type': 'text/plain' } })).status, 200);
	await server.restart([]);
	assert.equal((await server.get(itemPath('staging', 'keep', 'countries', 'JP'))).body, 'Japan');
	await assertItems();
	assert.equal((await server.del(itemPath('staging', 'keep', 'countries', 'JP'))).status, 200);
});

test('SIGINT stops the server with exit 0 and nothing lost', async () => {
	assert.equal((await server.put(itemPath('staging', 'keep', 'countries', 'IT'), 'Italy', { headers: { 'Content-Type': 'text/plain' } })).status, 200);
	const proc = server.proc;
	server.agent.destroy();
	proc.kill('SIGINT');
	let timer;
	const { code, signal } = await Promise.race([
		server.exited,
		new Promise((_, rej) => {
			timer = setTimeout(() => rej(new Error('no exit 10 s after SIGINT')), 10_000);
		}),
	]).finally(() => clearTimeout(timer));
	assert.equal(signal, null);
	assert.equal(code, 0, server.stderrTail);
	server.proc = null;
	await server.start([]);
	assert.equal((await server.get(itemPath('staging', 'keep', 'countries', 'IT'))).body, 'Italy');
	await assertItems();
});

test('a second emulator on the same database is refused while the first runs, which keeps serving', () => {
	const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('EDGEKV_')));
	const second = spawnSync(BIN, ['--db', server.dbPath, '--http-port', '0', '--https-port', 'off'], { env, encoding: 'utf8', timeout: 20_000 });
	assert.equal(second.status, 1, second.stderr);
	assert.match(second.stderr, /store: the database '.*' is in use by another process \(another emulator on the same --db\?\)/);
	assert.doesNotMatch(second.stdout, /ready/);
});

test('the first emulator still serves after a second one was refused', async () => {
	await assertItems();
});

test('a :memory: database starts initialized and empty', async () => {
	const mem = await startServer({ args: ['--db', ':memory:'] });
	try {
		const list = assertJson(await mem.get(nsPath('staging')), 200, 'namespaces');
		assert.deepEqual(list, { namespaces: [{ namespace: 'default' }] });
	} finally {
		await mem.close();
	}
});
