// Bad input: malformed JSON, wrong types, oversized bodies, headers and URLs, unknown paths and
// methods, odd bytes in keys. Each gets an error, the server stays up, and stored data is unchanged.
import assert from 'node:assert/strict';
import { after, before, beforeEach, afterEach, describe, test } from 'node:test';
import { signRaw,
	assertJson,
	assertProblem,
	groupPath,
	itemPath,
	namespaceBody,
	nsPath,
	startServer,
	V1,
} from './helpers.mjs';

const SYNTAX = 'The JSON request body contained a syntax error or duplicate attributes.';
const KEY_INVALID = 'Key must only use a string that matches A-Z a-z 0-9 _ or -..';
const GROUP_INVALID = 'Group must only use a string that matches A-Z a-z 0-9 _ or -..';
const NAME_INVALID = 'Name contains invalid characters.';
const NS = 'bad_ns';

let server;
let baseline;

/** Everything the account holds, as the API shows it. */
async function snapshot() {
	const state = {};
	for (const network of ['staging', 'production']) {
		const list = assertJson(await server.get(`${nsPath(network)}?details=on`), 200, 'namespaces-details');
		state[network] = { namespaces: list.namespaces, data: {} };
		for (const { namespace } of list.namespaces) {
			const groups = await server.get(`${nsPath(network, namespace)}/groups`);
			if (groups.status === 404) continue;
			for (const group of assertJson(groups, 200, 'groups')) {
				const keys = assertJson(await server.get(`${groupPath(network, namespace, group)}?maxItems=10000`), 200, 'items');
				for (const key of keys) {
					const item = await server.get(itemPath(network, namespace, group, key));
					state[network].data[`${namespace}/${group}/${key}`] = [item.headers['content-type'], item.bytes.toString('base64')];
				}
			}
		}
	}
	state.init = assertJson(await server.get(`${V1}/initialize`), 200, 'initialize-status');
	return state;
}

before(async () => {
	server = await startServer();
	assertJson(await server.post(nsPath('staging'), namespaceBody(NS)), 200, 'namespace');
	assertJson(await server.post(nsPath('production'), namespaceBody(NS, { geoLocation: 'JP', retentionInSeconds: 0 })), 200, 'namespace');
	for (const [network, group, key, value, type] of [
		['staging', 'countries', 'US', 'United States', 'text/plain'],
		['staging', 'countries', 'DE', '{"name":"Germany"}', 'application/json'],
		['production', 'countries', 'JP', 'Japan', 'text/plain'],
		['staging', 'bin', 'b', Buffer.from([0, 255, 1, 254]), 'application/octet-stream'],
	]) {
		assert.equal((await server.put(itemPath(network, NS, group, key), value, { headers: { 'Content-Type': type } })).status, 200);
	}
	baseline = await snapshot();
});
after(() => server?.close());

// After every test: the process is alive, answers, and nothing stored changed.
afterEach(async () => {
	assert.ok(server.alive, `emulator died:\n${server.stderrTail}`);
	assert.deepEqual(await snapshot(), baseline);
});

describe('malformed JSON', () => {
	const bodies = [
		'{',
		'{"namespace":}',
		'{"namespace":"x","retentionInSeconds":86400,}',
		"{'namespace':'x'}",
		'{"namespace":"x"} trailing',
		'{"namespace":"x"}{"namespace":"y"}',
		'nul',
		'{"namespace":"x","retentionInSeconds":0x10}',
		'{"namespace":"x","retentionInSeconds":NaN}',
		'\u00ef\u00bb\u00bf{"namespace":"x"}',
		'{"a":' + '['.repeat(100000) + ']'.repeat(100000) + '}',
		'[' .repeat(3000) + ']'.repeat(3000),
	];

	test('answers 422 EKV_2001 on namespace create', async () => {
		for (const body of bodies) assertProblem(await server.post(nsPath('staging'), body), 422, 'EKV_2001', SYNTAX);
	});

	test('answers 422 EKV_2001 on namespace update, initialize, auth/database and scheduled-delete', async () => {
		for (const body of bodies.slice(0, 6)) {
			assertProblem(await server.put(nsPath('staging', NS), body), 422, 'EKV_2001', SYNTAX);
			assertProblem(await server.put(`${V1}/auth/database`, body), 422, 'EKV_2001', SYNTAX);
		}
		assertJson(await server.del(nsPath('staging', NS)), 202, 'scheduled-delete');
		try {
			assertProblem(await server.put(`${nsPath('staging', NS)}/status/scheduled-delete`, '{"scheduledDeleteTime":'), 422, 'EKV_2001', SYNTAX);
		} finally {
			assert.equal((await server.del(`${nsPath('staging', NS)}/status/scheduled-delete`)).status, 204);
		}
	});

	test('duplicate members answer 422 EKV_2001, nested ones too', async () => {
		for (const body of [
			'{"namespace":"dup1","namespace":"dup2","retentionInSeconds":86400}',
			'{"namespace":"dup1","retentionInSeconds":86400,"retentionInSeconds":0}',
			'{"namespace":"dup1","retentionInSeconds":86400,"dataAccessPolicy":{"restrictDataAccess":true,"restrictDataAccess":true}}',
		]) {
			assertProblem(await server.post(nsPath('staging'), body), 422, 'EKV_2001', SYNTAX);
		}
		assertProblem(await server.put(nsPath('production', NS), '{"namespace":"bad_ns","namespace":"bad_ns","retentionInSeconds":86400}'), 422, 'EKV_2001', SYNTAX);
	});

	test('a JSON value that is not an object answers 400', async () => {
		for (const body of ['[]', '1', 'null', 'true', '"x"']) {
			assertProblem(await server.post(nsPath('staging'), body), 400, 'EKV_2000', 'The request body must be a JSON object.');
		}
	});

	test('an item value is stored raw, so invalid JSON is a value like any other', async () => {
		const res = await server.put(itemPath('staging', 'default', 'raw', 'v'), '{not json', { headers: { 'Content-Type': 'application/json' } });
		assert.equal(res.status, 200);
		assert.equal((await server.get(itemPath('staging', 'default', 'raw', 'v'))).body, '{not json');
		assert.equal((await server.del(itemPath('staging', 'default', 'raw', 'v'))).status, 200);
	});
});

describe('strings holding NUL', () => {
	test('a name with an escaped NUL is not cut short at the NUL', async () => {
		for (const body of [
			'{"namespace":"nul\\u0000name","retentionInSeconds":86400}',
			'{"namespace":"nul\\u0000","retentionInSeconds":86400}',
			'{"namespace":"nul","geoLocation":"US\\u0000EU","retentionInSeconds":86400}',
			'{"namespace":"nul","retentionInSeconds":86400,"groupId\\u0000x":1}',
		]) {
			// cJSON would cut the string at the NUL, so any body holding one counts as malformed.
			assertProblem(await server.post(nsPath('staging'), body), 422, 'EKV_2001', SYNTAX);
		}
		assertProblem(await server.get(nsPath('staging', 'nul')), 400, 'EKV_9000', 'The requested namespace does not exist.');
	});

	test('a raw NUL byte in a JSON body is refused', async () => {
		const res = await server.post(nsPath('staging'), Buffer.from('{"namespace":"nul\0name","retentionInSeconds":86400}', 'latin1'));
		assertProblem(res, 422, 'EKV_2001', SYNTAX);
		assertProblem(await server.get(nsPath('staging', 'nul')), 400, 'EKV_9000', 'The requested namespace does not exist.');
	});

	test('bytes a detail echoes back are made printable ASCII, so the body stays UTF-8 JSON', async () => {
		const body = Buffer.from('{"namespace":"u8","retentionInSeconds":86400,"\xc3\xa9t\x01\xff":1}', 'latin1');
		const res = await server.raw({ method: 'POST', target: nsPath('staging'), body, headers: { 'Content-Type': 'application/json' } });
		assertProblem(res, 400, 'EKV_2000', "Unrecognized field '??t??'.");
		const text = Buffer.from('{"namespace":"u8","retentionInSeconds":86400,"\u00e9t\\u0001":1}', 'utf8');
		const unknown = await server.raw({ method: 'POST', target: nsPath('staging'), body: text, headers: { 'Content-Type': 'application/json' } });
		assertProblem(unknown, 400, 'EKV_2000', "Unrecognized field '??t?'.");
	});

	test('invalid UTF-8 in a member name is refused with a problem document', async () => {
		// Signed over the exact bytes (a JS signer would hash the UTF-8 decoding instead).
		const body = Buffer.from('{"\xff\xfe":1,"namespace":"utf","retentionInSeconds":86400}', 'latin1');
		const res = await server.raw({ method: 'POST', target: nsPath('staging'), body, headers: { 'Content-Type': 'application/json' } });
		assertProblem(res, 400, 'EKV_2000', "Unrecognized field '??'.");
	});
});

describe('wrong types', () => {
	test('each member of a namespace create with the wrong type answers its 400', async () => {
		const cases = [
			[{ namespace: 5, retentionInSeconds: 86400 }, NAME_INVALID],
			[{ namespace: { a: 1 }, retentionInSeconds: 86400 }, NAME_INVALID],
			[{ namespace: 'wt', retentionInSeconds: true }, 'Retention period must be 0 or between 86400 and 315360000 seconds.'],
			[{ namespace: 'wt', retentionInSeconds: [86400] }, 'Retention period must be 0 or between 86400 and 315360000 seconds.'],
			[{ namespace: 'wt', retentionInSeconds: '86400abc' }, 'Retention period must be 0 or between 86400 and 315360000 seconds.'],
			[{ namespace: 'wt', retentionInSeconds: 86400, groupId: {} }, 'groupId must be an integer of 0 or more.'],
			[{ namespace: 'wt', retentionInSeconds: 86400, groupId: 1e20 }, 'groupId must be an integer of 0 or more.'],
			[{ namespace: 'wt', retentionInSeconds: 86400, geoLocation: ['US'] }, 'Specified geoLocation not supported. Please specify one of US, EU, JP, GLOBAL'],
			[{ namespace: 'wt', retentionInSeconds: 86400, dataAccessPolicy: [] }, "The value of 'dataAccessPolicy' is not valid."],
			[{ namespace: 'wt', retentionInSeconds: 86400, dataAccessPolicy: { restrictDataAccess: 'maybe' } }, "The value of 'restrictDataAccess' is not valid."],
		];
		for (const [body, detail] of cases) assertProblem(await server.post(nsPath('staging'), body), 400, 'EKV_2000', detail);
	});

	test('wrong types in an update answer 400', async () => {
		assertProblem(await server.put(nsPath('staging', NS), { namespace: 7, retentionInSeconds: 86400 }), 400, 'EKV_2000', "The value of 'namespace' is not valid.");
		assertProblem(await server.put(nsPath('staging', NS), { namespace: NS, retentionInSeconds: 'x' }), 400, 'EKV_2000', 'Retention period must be 0 or between 86400 and 315360000 seconds.');
		assertProblem(await server.put(nsPath('staging', NS), { namespace: NS, retentionInSeconds: 86400, groupId: 'zero' }), 400, 'EKV_2000', 'groupId must be an integer of 0 or more.');
	});

	test('booleans sent as strings (Postman) are accepted in policies; other strings are not', async () => {
		const current = baseline.init.dataAccessPolicy;
		const same = { restrictDataAccess: String(current.restrictDataAccess), allowNamespacePolicyOverride: String(current.allowNamespacePolicyOverride) };
		assert.deepEqual(assertJson(await server.put(`${V1}/auth/database`, { dataAccessPolicy: same }), 200, 'initialize-status').dataAccessPolicy, current);
		assertProblem(
			await server.put(`${V1}/auth/database`, { dataAccessPolicy: { restrictDataAccess: 'TRUE', allowNamespacePolicyOverride: 'false' } }),
			400,
			'EKV_2000',
			'dataAccessPolicy must have the booleans restrictDataAccess and allowNamespacePolicyOverride.',
		);
	});
});

describe('unknown members', () => {
	test('answer 400 Unrecognized field on every JSON body', async () => {
		assertProblem(await server.post(nsPath('staging'), namespaceBody('unk', { Namespace: 'x' })), 400, 'EKV_2000', "Unrecognized field 'Namespace'.");
		assertProblem(await server.put(nsPath('staging', NS), { namespace: NS, retentionInSeconds: 86400, ttl: 1 }), 400, 'EKV_2000', "Unrecognized field 'ttl'.");
		assertProblem(await server.put(`${V1}/auth/database`, { dataAccessPolicy: { restrictDataAccess: true, allowNamespacePolicyOverride: false }, x: 1 }), 400, 'EKV_2000', "Unrecognized field 'x'.");
	});
});

describe('oversized requests', () => {
	test('a JSON body over 1 MiB answers 413 and closes the connection', async () => {
		const body = JSON.stringify(namespaceBody('big', { pad: 'x'.repeat(1024 * 1024) }));
		assertProblem(await server.post(nsPath('staging'), body), 413, 'EKV_9000', 'The request body cannot exceed 1048576 bytes.');
		const raw = await server.raw({ method: 'PUT', target: nsPath('staging', NS), headers: { 'Content-Type': 'application/json' }, body });
		assertProblem(raw, 413, 'EKV_9000', 'The request body cannot exceed 1048576 bytes.');
	});

	test('a chunked body over 1 MiB answers 413', async () => {
		const chunk = Buffer.alloc(256 * 1024, 0x20);
		const parts = [];
		for (let i = 0; i < 5; i++) parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
		parts.push(Buffer.from('0\r\n\r\n'));
		const res = await server.raw({ method: 'POST', target: nsPath('staging'), headers: { 'Transfer-Encoding': 'chunked' }, body: Buffer.concat(parts) });
		assertProblem(res, 413, 'EKV_9000', 'The request body cannot exceed 1048576 bytes.');
	});

	test('an item value over 1 MiB answers the value 413', async () => {
		const res = await server.raw({ method: 'PUT', target: itemPath('staging', NS, 'countries', 'US'), body: Buffer.alloc(2 * 1024 * 1024, 0x41) });
		assertProblem(res, 413, 'EKV_9000', 'Value cannot exceed 262144 characters.');
	});

	test('a path over 2048 bytes answers 414 problem+json', async () => {
		for (const len of [2048, 5000, 16000]) {
			const res = await server.raw({ target: itemPath('staging', NS, 'countries', 'K'.repeat(len)) });
			assertProblem(res, 414, 'EKV_9000', 'The request URI is too long.');
		}
	});

	test('a long query string on a short path is still served', async () => {
		const res = await server.raw({ target: `${groupPath('staging', NS, 'countries')}?pad=${'p'.repeat(8000)}` });
		assert.equal(res.status, 200);
		assert.deepEqual(JSON.parse(res.body).sort(), ['DE', 'US']);
	});

	// libmicrohttpd refuses these before the API sees them, with its own short HTML page.
	const assertTooBig = (res, status) => {
		assert.equal(res.status, status, res.body);
		assert.equal(res.headers.connection, 'close');
		assert.match(res.body, /<title>Request too big<\/title>/);
	};

	test('a request line beyond the connection memory answers 414', async () => {
		assertTooBig(await server.raw({ target: `${V1}/${'a'.repeat(64 * 1024)}` }), 414);
	});

	test('headers beyond the connection memory answer 431', async () => {
		assertTooBig(await server.raw({ target: `${V1}/initialize`, headers: { 'X-Big': 'h'.repeat(64 * 1024) } }), 431);
		const manyHeaders = {};
		for (let i = 0; i < 2000; i++) manyHeaders[`X-H${i}`] = 'v'.repeat(20);
		assertTooBig(await server.raw({ target: `${V1}/initialize`, headers: manyHeaders }), 431);
	});

	test('an item Content-Type longer than the store keeps is cut to its first 256 bytes', async () => {
		const type = `text/plain; x=${'y'.repeat(4000)}`;
		const target = itemPath('staging', 'default', 'hdr', 'k');
		const res = await server.raw({ method: 'PUT', target, headers: { 'Content-Type': type }, body: 'v' });
		assert.equal(res.status, 200, res.body);
		assert.equal(res.body, 'Item was upserted in database, namespace default, group hdr, and key k.');
		const got = await server.get(target);
		assert.equal(got.status, 200);
		assert.equal(got.headers['content-type'], type.slice(0, 256));
		assert.equal(got.body, 'v');
		assert.equal((await server.del(target)).status, 200);
	});
});

describe('unknown paths and methods', () => {
	test('unknown paths answer 404 problem+json naming the path', async () => {
		for (const path of [
			`${V1}/nope`,
			'/edgekv/v2/initialize',
			'/',
			'/edgekv',
			`${V1}`,
			`${V1}/`,
			`${V1}/initialize/`,
			`${V1}/networks/staging`,
			`${nsPath('staging', NS)}/`,
			`${itemPath('staging', NS, 'countries', 'US')}/extra`,
			`${groupPath('staging', NS, 'countries')}/items`,
			`${V1}/networks/staging/namespaces/${NS}/groups/countries/keys/US`,
			`${V1}/auth/nope`,
			`${V1}/auth/groups/4284/more`,
			`${V1}/tokens/t1/refresh/x`,
		]) {
			const res = await server.get(path);
			assertProblem(res, 404, 'EKV_9000', `The requested resource '${path}' was not found.`);
		}
	});

	test('empty segments do not match a route', async () => {
		for (const path of [`${V1}/networks//namespaces`, `${nsPath('staging')}//groups`, `${groupPath('staging', NS, '')}items/US`]) {
			assertProblem(await server.raw({ target: path }), 404, 'EKV_9000', `The requested resource '${path}' was not found.`);
		}
	});

	test('wrong methods answer 405 with Allow', async () => {
		const cases = [
			['POST', `${V1}/initialize`, 'GET, HEAD, PUT'],
			['DELETE', `${V1}/initialize`, 'GET, HEAD, PUT'],
			['PATCH', nsPath('staging'), 'GET, HEAD, POST'],
			['DELETE', nsPath('staging'), 'GET, HEAD, POST'],
			['POST', nsPath('staging', NS), 'GET, HEAD, PUT, DELETE'],
			['PATCH', nsPath('staging', NS), 'GET, HEAD, PUT, DELETE'],
			['POST', `${nsPath('staging', NS)}/status/scheduled-delete`, 'GET, HEAD, PUT, DELETE'],
			['OPTIONS', itemPath('staging', NS, 'countries', 'US'), 'GET, HEAD, PUT, DELETE'],
		];
		for (const [method, path, allow] of cases) {
			const res = await server.raw({ method, target: path, body: method === 'DELETE' || method === 'OPTIONS' ? undefined : '{}' });
			assertProblem(res, 405, 'EKV_9000', `The ${method} method is not allowed for this resource.`);
			assert.equal(res.headers.allow, allow, `${method} ${path}`);
		}
	});

	test('an unknown method answers 405', async () => {
		const res = await server.raw({ method: 'BREW', target: `${V1}/initialize` });
		assertProblem(res, 405, 'EKV_9000', 'The BREW method is not allowed for this resource.');
		assert.equal(res.headers.allow, 'GET, HEAD, PUT');
	});

	test('HEAD on a GET resource answers the GET headers without a body', async () => {
		const res = await server.raw({ method: 'HEAD', target: nsPath('staging') });
		assert.equal(res.status, 200);
		assert.match(res.headers['content-type'], /^application\/json/);
		assert.match(res.headers['x-trace-id'], /^[0-9a-f]{16}$/);
		assert.equal(res.bytes.length, 0);
	});
});

describe('odd bytes in keys, groups and namespaces', () => {
	const keys = [
		'a%00b', '%00', 'a%zzb', 'a%', 'a%4', '%FF', 'a%C3%A9', 'a\xe9b', 'a\xffb', 'a%2Fb', 'a%5Cb', 'a%3Fb', 'a%23b',
		'a%20b', 'a%0D%0Ab', 'a%09', '%2E%2E', '..', '.', 'a;b', 'a,b', "a'b", 'a"b', 'a<b', 'a%25', '%u0041',
	];

	test('keys with odd bytes answer 400 with the key message on GET, PUT and DELETE', async () => {
		for (const key of keys) {
			const target = itemPath('staging', NS, 'countries', key);
			for (const method of ['GET', 'PUT', 'DELETE']) {
				const res = await server.raw({ method, target, body: method === 'PUT' ? 'v' : undefined });
				assertProblem(res, 400, 'EKV_9000', KEY_INVALID);
			}
		}
	});

	test('groups with odd bytes answer 400 with the group message', async () => {
		for (const group of keys) {
			assertProblem(await server.raw({ target: groupPath('staging', NS, group) }), 400, 'EKV_9000', GROUP_INVALID);
			assertProblem(await server.raw({ method: 'PUT', target: itemPath('staging', NS, group, 'US'), body: 'v' }), 400, 'EKV_9000', GROUP_INVALID);
		}
	});

	test('namespaces with odd bytes do not exist', async () => {
		for (const ns of keys) {
			assertProblem(await server.raw({ target: nsPath('staging', ns) }), 400, 'EKV_9000', 'The requested namespace does not exist.');
			assertProblem(await server.raw({ method: 'PUT', target: itemPath('staging', ns, 'g', 'k'), body: 'v' }), 400, 'EKV_9000', 'The requested namespace does not exist.');
		}
	});

	test('percent-encoded valid characters name the same key', async () => {
		const res = await server.raw({ target: itemPath('staging', NS, 'countries', '%55%53') });
		assert.equal(res.status, 200);
		assert.equal(res.body, 'United States');
		const grp = await server.raw({ target: itemPath('staging', NS, 'c%6Funtries', 'U%53') });
		assert.equal(grp.body, 'United States');
	});

	test('odd bytes in a network name answer 400', async () => {
		const res = await server.raw({ target: `${V1}/networks/st%00aging/namespaces` });
		// The detail echoes the name up to its NUL.
		assertProblem(res, 400, 'EKV_2000', "Network 'st' is not valid. Please specify one of staging, production.");
	});

	test('an odd maxItems is refused with 400', async () => {
		// Overflowing digits are refused too, as items.test.mjs requires, rather than clamped.
		for (const q of ['maxItems=%00', 'maxItems=%', 'maxItems=99999999999999999999999']) {
			const res = await server.raw({ target: `${groupPath('staging', NS, 'countries')}?${q}` });
			assertProblem(res, 400, 'EKV_2000', "The value of query parameter 'maxItems' is not valid.");
		}
	});

	test('odd query strings that hold no maxItems are ignored, and the first maxItems counts', async () => {
		for (const [q, keys] of [['maxItems=1&maxItems=2', ['DE']], ['&&&', ['DE', 'US']], ['=', ['DE', 'US']], ['%zz=1', ['DE', 'US']]]) {
			const res = await server.raw({ target: `${groupPath('staging', NS, 'countries')}?${q}` });
			assert.deepEqual(assertJson(res, 200, 'items'), keys, q);
		}
	});
});

describe('malformed HTTP', () => {
	// libmicrohttpd answers these before the API sees them: a request it cannot read as HTTP at
	// all, or one cut short by the client, gets no reply (the connection is dropped, at the latest
	// by its idle timeout); a readable one that breaks the protocol gets its status and a short
	// HTML page (title given here).
	const item = itemPath('staging', NS, 'countries', 'US');
	const malformed = [
		['not HTTP', 'GARBAGE\r\n\r\n', 0],
		['blank lines only', '\r\n\r\n', 0],
		['a request line without a target', 'GET\r\n\r\n', 0],
		['an unknown HTTP version', `GET ${V1}/initialize HTTP/9.9\r\nHost: x\r\n\r\n`, 505, 'Requested HTTP version is not supported'],
		['a header line without a colon', `GET ${V1}/initialize HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n`, 400, 'Request malformed'],
		['a body shorter than its Content-Length', `PUT ${item} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nshort`, 0],
		['a Content-Length that is not a number', `PUT ${item} HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n`, 400, 'Request malformed'],
		['a chunk size that is not hex', `PUT ${item} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n`, 400, 'Request malformed'],
		['headers never ended', `GET ${V1}/initialize HTTP/1.1\r\nHost: x\r\n`, 0],
		['a TLS ClientHello on the HTTP port', Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00]), 0],
	];
	for (const [what, request, status, title] of malformed) {
		test(`${what}: ${status ? `answers ${status}` : 'gets no reply'}, and the server stays up`, async () => {
			const res = await server.raw(request, { timeoutMs: 1500 });
			assert.equal(res.status, status, res.raw?.toString('latin1') ?? res.body);
			if (status) {
				assert.equal(res.headers.connection, 'close');
				assert.ok(res.raw.toString('latin1').includes(`<title>${title}</title>`), res.raw.toString('latin1'));
			} else {
				assert.equal(res.bytes.length, 0);
			}
		});
	}

	test('two different Content-Length headers are refused with 400 and the connection closed', async () => {
		// RFC 9112 §6.3: conflicting lengths are an unrecoverable framing error.
		const target = itemPath('staging', 'default', 'scratch', 'cl');
		const auth = signRaw('PUT', 'http', 'x', target);
		const res = await server.raw(
			`PUT ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!`,
		);
		assertProblem(res, 400, 'EKV_2000', 'The request has conflicting Content-Length headers.');
		assert.equal(res.headers.connection, 'close');
		assert.equal((await server.get(target)).status, 404); // nothing was stored
	});

	test('plain HTTP sent to the HTTPS port leaves the server up', async () => {
		const { default: net } = await import('node:net');
		const port = Number(new URL(server.httpsUrl).port);
		await new Promise((res) => {
			const sock = net.connect({ host: '127.0.0.1', port }, () => sock.end(`GET ${V1}/initialize HTTP/1.1\r\nHost: x\r\n\r\n`));
			sock.on('data', () => {});
			sock.on('error', res);
			sock.on('close', res);
			sock.setTimeout(3000, () => sock.destroy());
		});
		assert.equal((await server.get(`${V1}/initialize`, { tls: true })).status, 200);
	});

	test('a request without Host (HTTP/1.0) is answered', async () => {
		// Signed for an empty Host, which is what the server sees.
		const auth = signRaw('GET', 'http', '', `${V1}/initialize`);
		const res = await server.raw(`GET ${V1}/initialize HTTP/1.0\r\nAuthorization: ${auth}\r\n\r\n`);
		assert.equal(res.status, 200);
		assert.equal(JSON.parse(res.body).accountStatus, 'INITIALIZED');
	});

	test('many requests on one keep-alive connection are answered in order', async () => {
		const get = (key, extra = '') => {
			const target = itemPath('staging', NS, 'countries', key);
			return `GET ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: ${signRaw('GET', 'http', 'x', target)}\r\n${extra}\r\n`;
		};
		const res = await server.raw(Array.from({ length: 20 }, () => get('US')).join('') + get('DE', 'Connection: close\r\n'));
		assert.equal(res.status, 200);
		const text = res.raw.toString('latin1');
		assert.equal(text.split('HTTP/1.1 200').length - 1, 21);
		assert.ok(text.endsWith('{"name":"Germany"}'));
	});
});
