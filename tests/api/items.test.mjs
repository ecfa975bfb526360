// Items of a group (docs/behaviour.md §5.5): list, read, write, delete; values byte for byte.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
	assertJson,
	assertProblem,
	assertTraceId,
	groupPath,
	itemPath,
	namespaceBody,
	nsPath,
	startServer,
	V1,
} from './helpers.mjs';

const KEY_INVALID = 'Key must only use a string that matches A-Z a-z 0-9 _ or -..';
const GROUP_INVALID = 'Group must only use a string that matches A-Z a-z 0-9 _ or -..';
const GROUP_EMPTY = 'The requested group is empty or not found.';
const NOT_EXIST = 'The requested namespace does not exist.';
const TOO_LARGE = 'Value cannot exceed 262144 characters.';
const notFound = (key, group) => `Item '${key}' or group '${group}' was not found in the database.`;
const upserted = (ns, group, key) => `Item was upserted in database, namespace ${ns}, group ${group}, and key ${key}.`;

const NS = 'items_ns';
const TEXT = { 'Content-Type': 'text/plain' };
const JSON_CT = { 'Content-Type': 'application/json' };

let server;
let cpcode;
before(async () => {
	server = await startServer();
	assertJson(await server.post(nsPath('staging'), namespaceBody(NS)), 200, 'namespace');
	assertJson(await server.post(nsPath('production'), namespaceBody(NS, { geoLocation: 'EU' })), 200, 'namespace');
	cpcode = assertJson(await server.get(`${V1}/initialize`), 200, 'initialize-status').cpcode;
});
after(() => server?.close());

/** PUT then GET: the value must come back byte for byte with the content type it was written with. */
async function roundTrip(key, bytes, contentType, { network = 'staging', group = 'rt' } = {}) {
	const put = await server.put(itemPath(network, NS, group, key), bytes, { headers: { 'Content-Type': contentType } });
	assert.equal(put.status, 200, put.body);
	const got = await server.get(itemPath(network, NS, group, key));
	assert.equal(got.status, 200);
	assertTraceId(got);
	assert.equal(got.headers['content-type'], contentType);
	assert.ok(got.bytes.equals(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8')), `value of ${key}: ${got.body}`);
	return got;
}

describe('write an item', () => {
	test('answers 200 text/plain with the upsert message', async () => {
		const res = await server.put(itemPath('staging', NS, 'countries', 'US'), 'United States', { headers: TEXT });
		assert.equal(res.status, 200);
		assert.match(res.headers['content-type'], /^text\/plain\b/);
		assertTraceId(res);
		assert.equal(res.body, upserted(NS, 'countries', 'US'));
	});

	test('the CLI\'s text and JSON writes are stored as sent', async () => {
		const text = await server.cli('PUT', itemPath('staging', NS, 'countries', 'DE'), { body: 'Germany', headers: TEXT, metric: 'Write/item' });
		assert.equal(text.status, 200);
		assert.equal(text.body, upserted(NS, 'countries', 'DE'));
		const json = await server.cli('PUT', itemPath('staging', NS, 'countries', 'FR'), { body: '{"name":"France","eu":true}', metric: 'Write/item' });
		assert.equal(json.status, 200);
		const got = await server.cli('GET', itemPath('staging', NS, 'countries', 'FR'), { metric: 'Read/item' });
		assert.equal(got.status, 200);
		assert.equal(got.headers['content-type'], 'application/json');
		assert.equal(got.body, '{"name":"France","eu":true}');
	});

	test('an existing key is overwritten', async () => {
		await roundTrip('over', 'first', 'text/plain');
		await roundTrip('over', '{"second":2}', 'application/json');
	});

	test('the upsert message names the upper-cased network\'s namespace, group and key', async () => {
		const res = await server.put(itemPath('PRODUCTION', NS, 'g-1', 'key_1'), 'x', { headers: TEXT });
		assert.equal(res.body, upserted(NS, 'g-1', 'key_1'));
		assert.equal((await server.get(itemPath('production', NS, 'g-1', 'key_1'))).body, 'x');
	});
});

describe('read an item', () => {
	test('returns a JSON value verbatim, white space included, as application/json', async () => {
		await roundTrip('json1', '{ "currency": "€",\n  "flag": "/belgium.png", "name":"Belgium" }', 'application/json');
		await roundTrip('json2', '[1, 2, 3]', 'application/json');
		await roundTrip('json3', '"quoted"', 'application/json');
		await roundTrip('json4', '42', 'application/json');
	});

	test('returns text verbatim as text/plain, including JSON-looking text', async () => {
		await roundTrip('text1', 'English', 'text/plain');
		await roundTrip('text2', '"quoted"', 'text/plain');
		await roundTrip('text3', '  leading and trailing white space \r\n', 'text/plain');
	});

	test('returns UTF-8 text unchanged', async () => {
		await roundTrip('utf8', 'Grüße, 日本, emoji 😀, € — done', 'text/plain;charset=utf-8');
	});

	test('returns every byte value unchanged', async () => {
		const all = Buffer.alloc(256);
		for (let i = 0; i < 256; i++) all[i] = i;
		await roundTrip('bytes', all, 'application/octet-stream');
		await roundTrip('nul', Buffer.from([0, 0, 0x41, 0]), 'text/plain');
		await roundTrip('badutf8', Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x80]), 'text/plain');
	});

	test('keeps the content type exactly as written, parameters included', async () => {
		await roundTrip('ctype1', '{"a":1}', 'application/json; charset=utf-8');
		await roundTrip('ctype2', 'x', 'application/text');
	});

	test('a write without a Content-Type reads back as text/plain', async () => {
		const target = itemPath('staging', NS, 'rt', 'no_ctype');
		const put = await server.raw({ method: 'PUT', target, body: 'plain' });
		assert.equal(put.status, 200, put.body);
		const got = await server.get(target);
		assert.equal(got.headers['content-type'], 'text/plain');
		assert.equal(got.body, 'plain');
	});

	test('an empty value is stored and read back empty', async () => {
		await roundTrip('empty', '', 'text/plain');
	});

	test('values are per network', async () => {
		await roundTrip('net', 'staging value', 'text/plain', { network: 'staging' });
		await roundTrip('net', 'production value', 'text/plain', { network: 'production' });
		assert.equal((await server.get(itemPath('staging', NS, 'rt', 'net'))).body, 'staging value');
	});

	test('a missing item or group answers 404 naming both', async () => {
		assertProblem(await server.get(itemPath('staging', NS, 'countries', 'XX')), 404, 'EKV_9000', notFound('XX', 'countries'));
		assertProblem(await server.get(itemPath('staging', NS, 'nogroup', 'US')), 404, 'EKV_9000', notFound('US', 'nogroup'));
		assertProblem(await server.get(itemPath('production', NS, 'countries', 'US')), 404, 'EKV_9000', notFound('US', 'countries'));
	});
});

describe('value size', () => {
	test('exactly 262144 characters are accepted', async () => {
		await roundTrip('max_ascii', 'a'.repeat(262144), 'text/plain');
	});

	test('262145 characters answer 413 and leave the stored value alone', async () => {
		await roundTrip('too_big', 'small', 'text/plain');
		const res = await server.put(itemPath('staging', NS, 'rt', 'too_big'), 'a'.repeat(262145), { headers: TEXT });
		assertProblem(res, 413, 'EKV_9000', TOO_LARGE);
		assert.equal((await server.get(itemPath('staging', NS, 'rt', 'too_big'))).body, 'small');
	});

	test('the limit counts UTF-8 characters, not bytes', async () => {
		await roundTrip('max_utf8', 'é'.repeat(262144), 'text/plain;charset=utf-8'); // 524288 bytes
		const res = await server.put(itemPath('staging', NS, 'rt', 'over_utf8'), 'é'.repeat(262145), { headers: TEXT });
		assertProblem(res, 413, 'EKV_9000', TOO_LARGE);
		assertProblem(await server.get(itemPath('staging', NS, 'rt', 'over_utf8')), 404, 'EKV_9000', notFound('over_utf8', 'rt'));
	});

	test('a value over the 1 MiB body limit answers the same 413', async () => {
		const res = await server.put(itemPath('staging', NS, 'rt', 'huge'), Buffer.alloc(1024 * 1024 + 1, 0x61), { headers: TEXT });
		assertProblem(res, 413, 'EKV_9000', TOO_LARGE);
		assertProblem(await server.get(itemPath('staging', NS, 'rt', 'huge')), 404, 'EKV_9000', notFound('huge', 'rt'));
	});
});

describe('list items', () => {
	const keys = Array.from({ length: 120 }, (_, i) => `key_${String(i).padStart(3, '0')}`);
	before(async () => {
		for (const key of keys) assert.equal((await server.put(itemPath('staging', NS, 'many', key), key, { headers: TEXT })).status, 200);
	});

	test('returns 100 keys by default', async () => {
		const list = assertJson(await server.get(groupPath('staging', NS, 'many')), 200, 'items');
		assert.equal(list.length, 100);
		for (const k of list) assert.ok(keys.includes(k), k);
	});

	test('maxItems limits or widens the list', async () => {
		const five = assertJson(await server.get(`${groupPath('staging', NS, 'many')}?maxItems=5`), 200, 'items');
		assert.equal(five.length, 5);
		const all = assertJson(await server.get(`${groupPath('staging', NS, 'many')}?maxItems=500`), 200, 'items');
		assert.deepEqual([...all].sort(), keys);
	});

	test('the CLI request shape (maxItems then accountSwitchKey, "" body) works', async () => {
		const res = await server.cli('GET', `${groupPath('staging', NS, 'many')}?maxItems=2&accountSwitchKey=1-DEFAULT`, { metric: 'List/items' });
		assert.equal(assertJson(res, 200, 'items').length, 2);
	});

	test('an invalid maxItems answers 400', async () => {
		for (const v of ['0', '-1', 'abc', '', '1.5', '10x', '%205', '+5', '99999999999999999999']) {
			assertProblem(await server.get(`${groupPath('staging', NS, 'many')}?maxItems=${v}`), 400, 'EKV_2000', "The value of query parameter 'maxItems' is not valid.");
		}
	});

	test('lists exactly the keys of the group', async () => {
		const list = assertJson(await server.get(groupPath('staging', NS, 'countries')), 200, 'items');
		assert.deepEqual([...list].sort(), ['DE', 'FR', 'US']);
	});

	test('a missing or empty group answers 404', async () => {
		assertProblem(await server.get(groupPath('staging', NS, 'nogroup')), 404, 'EKV_9000', GROUP_EMPTY);
		assert.equal((await server.put(itemPath('staging', NS, 'gone', 'only'), 'x', { headers: TEXT })).status, 200);
		assert.equal((await server.del(itemPath('staging', NS, 'gone', 'only'))).status, 200);
		assertProblem(await server.get(groupPath('staging', NS, 'gone')), 404, 'EKV_9000', GROUP_EMPTY);
	});
});

describe('delete an item', () => {
	test('answers 200 text/plain with the delete message, and the item is gone', async () => {
		await roundTrip('doomed', 'bye', 'text/plain', { group: 'del' });
		const res = await server.del(itemPath('staging', NS, 'del', 'doomed'));
		assert.equal(res.status, 200);
		assert.match(res.headers['content-type'], /^text\/plain\b/);
		assertTraceId(res);
		assert.equal(res.body, `Item was deleted in the KV store with database ${cpcode} namespace ${NS} group del key doomed.`);
		assertProblem(await server.get(itemPath('staging', NS, 'del', 'doomed')), 404, 'EKV_9000', notFound('doomed', 'del'));
	});

	test('the CLI request shape (DELETE with a "" JSON body) works', async () => {
		await roundTrip('doomed2', 'bye', 'text/plain', { group: 'del' });
		const res = await server.cli('DELETE', itemPath('staging', NS, 'del', 'doomed2'), { metric: 'Delete/item' });
		assert.equal(res.status, 200);
		assertProblem(await server.get(itemPath('staging', NS, 'del', 'doomed2')), 404, 'EKV_9000', notFound('doomed2', 'del'));
	});

	test('deleting an absent item answers 200 too', async () => {
		const res = await server.del(itemPath('staging', NS, 'del', 'never'));
		assert.equal(res.status, 200);
		assert.equal(res.body, `Item was deleted in the KV store with database ${cpcode} namespace ${NS} group del key never.`);
	});

	test('deleting on one network leaves the other alone', async () => {
		await roundTrip('both', 's', 'text/plain', { network: 'staging', group: 'del' });
		await roundTrip('both', 'p', 'text/plain', { network: 'production', group: 'del' });
		assert.equal((await server.del(itemPath('production', NS, 'del', 'both'))).status, 200);
		assert.equal((await server.get(itemPath('staging', NS, 'del', 'both'))).body, 's');
	});
});

describe('key, group and namespace rules', () => {
	test('keys of 1 and 512 characters and groups of 128 are accepted', async () => {
		await roundTrip('k', 'one', 'text/plain');
		await roundTrip('K'.repeat(512), 'long key', 'text/plain');
		await roundTrip('Az09_-', 'charset', 'text/plain', { group: 'G'.repeat(128) });
	});

	test('invalid keys answer 400 with the double-period message on every item method', async () => {
		for (const key of ['K'.repeat(513), 'a.b', 'a%20b', 'a%2Fb', '%C3%A9', 'a%00b', 'a+b', 'a~b', 'a:b', 'a%2E']) {
			const path = itemPath('staging', NS, 'countries', key);
			assertProblem(await server.get(path), 400, 'EKV_9000', KEY_INVALID);
			assertProblem(await server.put(path, 'v', { headers: TEXT }), 400, 'EKV_9000', KEY_INVALID);
			assertProblem(await server.del(path), 400, 'EKV_9000', KEY_INVALID);
		}
	});

	test('invalid groups answer 400 with the double-period message, on lists too', async () => {
		for (const group of ['G'.repeat(129), 'a.b', 'a%20b', '%E2%82%AC', 'a%25b']) {
			assertProblem(await server.get(groupPath('staging', NS, group)), 400, 'EKV_9000', GROUP_INVALID);
			assertProblem(await server.get(itemPath('staging', NS, group, 'US')), 400, 'EKV_9000', GROUP_INVALID);
			assertProblem(await server.put(itemPath('staging', NS, group, 'US'), 'v', { headers: TEXT }), 400, 'EKV_9000', GROUP_INVALID);
			assertProblem(await server.del(itemPath('staging', NS, group, 'US')), 400, 'EKV_9000', GROUP_INVALID);
		}
	});

	test('a missing namespace answers 400 EKV_9000 on every item endpoint', async () => {
		for (const ns of ['nosuchns', 'bad.ns']) {
			assertProblem(await server.get(groupPath('staging', ns, 'g')), 400, 'EKV_9000', NOT_EXIST);
			assertProblem(await server.get(itemPath('staging', ns, 'g', 'k')), 400, 'EKV_9000', NOT_EXIST);
			assertProblem(await server.put(itemPath('staging', ns, 'g', 'k'), 'v', { headers: TEXT }), 400, 'EKV_9000', NOT_EXIST);
			assertProblem(await server.del(itemPath('staging', ns, 'g', 'k')), 400, 'EKV_9000', NOT_EXIST);
		}
		// A namespace that exists on the other network only.
		assertJson(await server.post(nsPath('production'), namespaceBody('prod_only')), 200, 'namespace');
		assertProblem(await server.put(itemPath('staging', 'prod_only', 'g', 'k'), 'v', { headers: TEXT }), 400, 'EKV_9000', NOT_EXIST);
	});

	test('an unknown network answers 400', async () => {
		assertProblem(await server.get(itemPath('live', NS, 'g', 'k')), 400, 'EKV_2000', "Network 'live' is not valid. Please specify one of staging, production.");
	});

	test('items only allow GET, PUT and DELETE; group lists only GET', async () => {
		const item = await server.post(itemPath('staging', NS, 'countries', 'US'), '{}');
		assertProblem(item, 405, 'EKV_9000', 'The POST method is not allowed for this resource.');
		assert.equal(item.headers.allow, 'GET, HEAD, PUT, DELETE');
		const group = await server.put(groupPath('staging', NS, 'countries'), '[]');
		assertProblem(group, 405, 'EKV_9000', 'The PUT method is not allowed for this resource.');
		assert.equal(group.headers.allow, 'GET, HEAD');
		assert.equal((await server.get(itemPath('staging', NS, 'countries', 'US'))).body, 'United States');
	});
});

describe('sandboxId', () => {
	test('is refused on production', async () => {
		const res = await server.get(`${itemPath('production', NS, 'countries', 'US')}?sandboxId=sb-123`);
		assertProblem(res, 400, 'EKV_2000', 'Sandbox is only supported on the staging network.');
	});

	test('keeps sandbox data apart from staging data', async () => {
		const path = itemPath('staging', NS, 'countries', 'US');
		assert.equal((await server.put(`${path}?sandboxId=sb-123`, 'sandbox value', { headers: TEXT })).status, 200);
		assert.equal((await server.get(`${path}?sandboxId=sb-123`)).body, 'sandbox value');
		assert.equal((await server.get(path)).body, 'United States');
	});
});
