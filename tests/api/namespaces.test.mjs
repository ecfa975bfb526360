// Namespaces per network (docs/behaviour.md §5.3): list, create, get, update, delete, scheduled delete.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { plainRequest,
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

const NAME_INVALID = 'Name contains invalid characters.';
const RETENTION_MISSING = 'Retention period must be specified.';
const RETENTION_INVALID = 'Retention period must be 0 or between 86400 and 315360000 seconds.';
const STAGING_GEO = 'The staging network only supports US location.';
const GEO_INVALID = 'Specified geoLocation not supported. Please specify one of US, EU, JP, GLOBAL';
const GROUP_ID_INVALID = 'groupId must be an integer of 0 or more.';
const NOT_EXIST = 'The requested namespace does not exist.';
const LIMIT = 'Each account is allowed 20 namespaces. This limit has already been reached.';
const deleteDenied = (network) =>
	`That resource does not exist or you are missing the '${network === 'staging' ? 'DELETE_STAGING_NAMESPACE' : 'DELETE_NAMESPACE'}' permission for it.`;

const DEFAULT_NS = {
	namespace: 'default',
	retentionInSeconds: 15724800,
	geoLocation: 'US',
	groupId: 0,
	dataAccessPolicy: { restrictDataAccess: true, policyType: 'inherited' },
};

/** The namespace object the emulator echoes for a create body (defaults filled in). */
function expected(body) {
	return {
		namespace: body.namespace,
		retentionInSeconds: Number(body.retentionInSeconds),
		geoLocation: body.geoLocation ?? 'US',
		groupId: Number(body.groupId ?? 0),
		dataAccessPolicy: { restrictDataAccess: true, policyType: 'inherited' },
	};
}

let server;
before(async () => {
	server = await startServer();
});
after(() => server?.close());

describe('list namespaces', () => {
	test('without details lists only names, default included, on both networks', async () => {
		for (const network of ['staging', 'production']) {
			const list = assertJson(await server.get(nsPath(network)), 200, 'namespaces');
			assert.deepEqual(list, { namespaces: [{ namespace: 'default' }] });
		}
	});

	test('details=on (Go) and details=true (CLI) list full namespace objects', async () => {
		for (const q of ['details=on', 'details=true']) {
			const list = assertJson(await server.get(`${nsPath('staging')}?${q}`), 200, 'namespaces-details');
			assert.deepEqual(list, { namespaces: [DEFAULT_NS] });
		}
	});

	test('details=off and unknown details values list names only', async () => {
		for (const q of ['details=off', 'details=false', 'details=', 'details']) {
			const list = assertJson(await server.get(`${nsPath('staging')}?${q}`), 200, 'namespaces');
			assert.deepEqual(list, { namespaces: [{ namespace: 'default' }] });
		}
	});

	test('network names are accepted in any case', async () => {
		for (const network of ['STAGING', 'Production', 'PRODUCTION']) {
			const list = assertJson(await server.get(`${nsPath(network)}?details=on`), 200, 'namespaces-details');
			assert.deepEqual(list.namespaces, [DEFAULT_NS]);
		}
	});

	test('the CLI request shape (GET with a "" JSON body and accountSwitchKey unencoded) works', async () => {
		// The development client may switch to any account of the emulator (fixtures/default).
		const made = await plainRequest(`${server.httpUrl}/_emulator/accounts`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ id: '1-ABCDE:1-FGHIJ' }),
		});
		assert.equal(made.status, 201, made.body);
		const res = await server.cli('GET', `${nsPath('staging')}?details=true&accountSwitchKey=1-ABCDE:1-FGHIJ`, { metric: 'List/ns' });
		assert.deepEqual(assertJson(res, 200, 'namespaces-details').namespaces, [DEFAULT_NS]);
	});

	test('an unknown network answers 400', async () => {
		for (const network of ['dev', 'stagingx']) {
			assertProblem(await server.get(nsPath(network)), 400, 'EKV_2000', `Network '${network}' is not valid. Please specify one of staging, production.`);
		}
	});
});

describe('create a namespace', () => {
	test('answers 200 (not 201) echoing the namespace, which GET and the list then show', async () => {
		const body = { namespace: 'marketing', retentionInSeconds: 15724800, groupId: 4284, geoLocation: 'US' };
		const res = await server.post(nsPath('staging'), body, { headers: { 'X-AK-EDGEKV-CLI': 'Create/ns' } });
		assert.deepEqual(assertJson(res, 200, 'namespace'), expected(body));
		assert.deepEqual(assertJson(await server.get(nsPath('staging', 'marketing')), 200, 'namespace'), expected(body));
		const list = assertJson(await server.get(nsPath('staging')), 200, 'namespaces');
		assert.ok(list.namespaces.some((n) => n.namespace === 'marketing'));
	});

	test('namespaces on staging and production are independent', async () => {
		assertProblem(await server.get(nsPath('production', 'marketing')), 400, 'EKV_9000', NOT_EXIST);
		const body = namespaceBody('marketing', { retentionInSeconds: 0, groupId: 7, geoLocation: 'EU' });
		assert.deepEqual(assertJson(await server.post(nsPath('production'), body), 200, 'namespace'), expected(body));
		assert.equal(assertJson(await server.get(nsPath('staging', 'marketing')), 200, 'namespace').groupId, 4284);
	});

	test('an identical re-create answers 200, a different configuration 409', async () => {
		const body = { namespace: 'marketing', retentionInSeconds: 15724800, groupId: 4284, geoLocation: 'US' };
		assert.deepEqual(assertJson(await server.post(nsPath('staging'), body), 200, 'namespace'), expected(body));
		for (const change of [{ retentionInSeconds: 86400 }, { groupId: 1 }]) {
			const res = await server.post(nsPath('staging'), { ...body, ...change });
			assertProblem(res, 409, 'EKV_3000', 'A namespace with the name marketing already exists with a different configuration');
		}
		assert.deepEqual(assertJson(await server.get(nsPath('staging', 'marketing')), 200, 'namespace'), expected(body));
	});

	test('groupId sent as a string (the CLI) is stored as an integer', async () => {
		const res = await server.cli('POST', nsPath('staging'), {
			body: JSON.stringify({ namespace: 'cli_ns', retentionInSeconds: 2592000, groupId: '4284' }),
			metric: 'Create/ns',
		});
		const ns = assertJson(res, 200, 'namespace');
		assert.equal(ns.groupId, 4284);
		assert.equal(ns.retentionInSeconds, 2592000);
	});

	test('a body without groupId (Postman) gets groupId 0; retention 0 keeps data indefinitely', async () => {
		const ns = assertJson(await server.post(nsPath('staging'), { namespace: 'no_group', retentionInSeconds: 0 }), 200, 'namespace');
		assert.equal(ns.groupId, 0);
		assert.equal(ns.retentionInSeconds, 0);
	});

	test('PowerShell\'s "name" member names the namespace', async () => {
		const ns = assertJson(await server.post(nsPath('production'), { name: 'ps_ns', retentionInSeconds: 86400, groupId: 0 }), 200, 'namespace');
		assert.equal(ns.namespace, 'ps_ns');
	});

	test('the network path segment is accepted in upper case', async () => {
		const ns = assertJson(await server.post(nsPath('STAGING'), namespaceBody('upper_net')), 200, 'namespace');
		assert.equal(ns.namespace, 'upper_net');
		assertJson(await server.get(nsPath('staging', 'upper_net')), 200, 'namespace');
	});

	test('names of 1 and 32 characters with letters, digits, _ and - are accepted', async () => {
		for (const name of ['x', 'A'.repeat(32), '_lead', '9nine', 'mid-dash-', 'Mixed_Case-1']) {
			const ns = assertJson(await server.post(nsPath('production'), namespaceBody(name)), 200, 'namespace');
			assert.equal(ns.namespace, name);
		}
		const list = assertJson(await server.get(nsPath('production')), 200, 'namespaces');
		for (const name of ['x', 'A'.repeat(32), '_lead', '9nine', 'mid-dash-', 'Mixed_Case-1'])
			assert.ok(list.namespaces.some((n) => n.namespace === name), name);
	});

	test('a missing or invalid name answers 400 Name contains invalid characters.', async () => {
		const bodies = [
			{ retentionInSeconds: 86400 },
			{ namespace: '', retentionInSeconds: 86400 },
			{ namespace: null, retentionInSeconds: 86400 },
			{ namespace: '-dash', retentionInSeconds: 86400 },
			{ namespace: 'a'.repeat(33), retentionInSeconds: 86400 },
			{ namespace: 'has space', retentionInSeconds: 86400 },
			{ namespace: 'dot.name', retentionInSeconds: 86400 },
			{ namespace: 'slash/name', retentionInSeconds: 86400 },
			{ namespace: 'ümlaut', retentionInSeconds: 86400 },
			{ namespace: 42, retentionInSeconds: 86400 },
			{ namespace: ['a'], retentionInSeconds: 86400 },
		];
		for (const body of bodies) assertProblem(await server.post(nsPath('staging'), body), 400, 'EKV_2000', NAME_INVALID);
	});

	test('a missing retention answers 400 Retention period must be specified.', async () => {
		for (const body of [{ namespace: 'r1' }, { namespace: 'r1', retentionInSeconds: null }]) {
			assertProblem(await server.post(nsPath('staging'), body), 400, 'EKV_2000', RETENTION_MISSING);
		}
	});

	test('a retention outside 0 or 86400..315360000 answers 400', async () => {
		for (const retentionInSeconds of [1, 86399, 315360001, -1, -86400, 86400.5, 'abc', true, {}, 1e300]) {
			const res = await server.post(nsPath('staging'), { namespace: 'r2', retentionInSeconds });
			assertProblem(res, 400, 'EKV_2000', RETENTION_INVALID);
		}
		for (const retentionInSeconds of [86400, 315360000]) {
			const ns = assertJson(await server.post(nsPath('staging'), { namespace: `r_${retentionInSeconds}`, retentionInSeconds }), 200, 'namespace');
			assert.equal(ns.retentionInSeconds, retentionInSeconds);
		}
	});

	test('staging supports only the US location', async () => {
		for (const geoLocation of ['EU', 'JP', 'GLOBAL']) {
			assertProblem(await server.post(nsPath('staging'), namespaceBody('geo_s', { geoLocation })), 400, 'EKV_2000', STAGING_GEO);
		}
		assertProblem(await server.get(nsPath('staging', 'geo_s')), 400, 'EKV_9000', NOT_EXIST);
		assert.equal(assertJson(await server.post(nsPath('staging'), namespaceBody('geo_s', { geoLocation: 'US' })), 200, 'namespace').geoLocation, 'US');
	});

	test('production accepts US, EU, JP and GLOBAL', async () => {
		for (const geoLocation of ['US', 'EU', 'JP', 'GLOBAL']) {
			const body = namespaceBody(`geo_${geoLocation}`, { geoLocation });
			assert.deepEqual(assertJson(await server.post(nsPath('production'), body), 200, 'namespace'), expected(body));
			assert.equal(assertJson(await server.get(nsPath('production', `geo_${geoLocation}`)), 200, 'namespace').geoLocation, geoLocation);
		}
	});

	test('an unknown location answers 400 with the list of locations', async () => {
		for (const geoLocation of ['XX', 'eu', '', 'ASIA', 5]) {
			for (const network of ['staging', 'production']) {
				assertProblem(await server.post(nsPath(network), namespaceBody('geo_x', { geoLocation })), 400, 'EKV_2000', GEO_INVALID);
			}
		}
	});

	test('an invalid groupId answers 400', async () => {
		for (const groupId of [-1, '-1', 'abc', '', 1.5, true, [1], {}]) {
			assertProblem(await server.post(nsPath('staging'), namespaceBody('gid', { groupId })), 400, 'EKV_2000', GROUP_ID_INVALID);
		}
	});

	test('an unknown member answers 400 Unrecognized field', async () => {
		assertProblem(await server.post(nsPath('staging'), namespaceBody('unk', { colour: 'red' })), 400, 'EKV_2000', "Unrecognized field 'colour'.");
		assertProblem(await server.post(nsPath('staging'), namespaceBody('unk', { dataAccessPolicy: { restrictDataAccess: true, other: 1 } })), 400, 'EKV_2000', "Unrecognized field 'other'.");
		assertProblem(await server.post(nsPath('staging'), namespaceBody('unk', { dataAccessPolicy: 'x' })), 400, 'EKV_2000', "The value of 'dataAccessPolicy' is not valid.");
	});

	test('a dataAccessPolicy equal to the database policy is accepted without override', async () => {
		const ns = assertJson(await server.post(nsPath('staging'), namespaceBody('same_policy', { dataAccessPolicy: { restrictDataAccess: true } })), 200, 'namespace');
		assert.deepEqual(ns.dataAccessPolicy, { restrictDataAccess: true, policyType: 'inherited' });
	});

	test('a body that is not a JSON object answers 400 or 422', async () => {
		assertProblem(await server.post(nsPath('staging'), '[]'), 400, 'EKV_2000', 'The request body must be a JSON object.');
		assertProblem(await server.post(nsPath('staging'), '"marketing"'), 400, 'EKV_2000', 'The request body must be a JSON object.');
		assertProblem(await server.post(nsPath('staging'), '{"namespace":'), 422, 'EKV_2001', 'The JSON request body contained a syntax error or duplicate attributes.');
		assertProblem(await server.cli('POST', nsPath('staging')), 422, 'EKV_2001', 'The JSON request body contained a syntax error or duplicate attributes.');
	});
});

describe('get a namespace', () => {
	test('a missing namespace answers 400 (not 404) EKV_9000', async () => {
		for (const network of ['staging', 'production']) {
			assertProblem(await server.get(nsPath(network, 'nosuchns')), 400, 'EKV_9000', NOT_EXIST);
		}
	});

	test('a name that cannot exist answers the same 400', async () => {
		for (const name of ['a'.repeat(33), '-x', 'a%20b', 'a.b', '%00']) {
			assertProblem(await server.get(nsPath('staging', name)), 400, 'EKV_9000', NOT_EXIST);
		}
	});
});

describe('update a namespace', () => {
	before(async () => {
		assertJson(await server.post(nsPath('production'), namespaceBody('upd', { retentionInSeconds: 86400, groupId: 12, geoLocation: 'JP' })), 200, 'namespace');
	});

	test('changes the retention only and answers 200 with the namespace', async () => {
		const res = await server.put(nsPath('production', 'upd'), { namespace: 'upd', retentionInSeconds: 172800 });
		const ns = assertJson(res, 200, 'namespace');
		assert.deepEqual(ns, { namespace: 'upd', retentionInSeconds: 172800, geoLocation: 'JP', groupId: 12, dataAccessPolicy: { restrictDataAccess: true, policyType: 'inherited' } });
		assert.deepEqual(assertJson(await server.get(nsPath('production', 'upd')), 200, 'namespace'), ns);
	});

	test('accepts the CLI body (groupId as a string and geoLocation repeated from GET)', async () => {
		const res = await server.cli('PUT', nsPath('production', 'upd'), {
			body: JSON.stringify({ namespace: 'upd', retentionInSeconds: 0, groupId: '12', geoLocation: 'JP' }),
			metric: 'Update/ns',
		});
		assert.equal(assertJson(res, 200, 'namespace').retentionInSeconds, 0);
	});

	test('accepts the Go body with a null groupId', async () => {
		const res = await server.put(nsPath('production', 'upd'), { namespace: 'upd', retentionInSeconds: 259200, groupId: null });
		assert.equal(assertJson(res, 200, 'namespace').retentionInSeconds, 259200);
	});

	test('a groupId change answers 400 EKV_3000', async () => {
		const res = await server.put(nsPath('production', 'upd'), { namespace: 'upd', retentionInSeconds: 86400, groupId: 13 });
		assertProblem(res, 400, 'EKV_3000', 'groupId changes must be made through the reauthorize endpoint.');
		assert.equal(assertJson(await server.get(nsPath('production', 'upd')), 200, 'namespace').retentionInSeconds, 259200);
	});

	test('a geoLocation change answers 400', async () => {
		const res = await server.put(nsPath('production', 'upd'), { namespace: 'upd', retentionInSeconds: 86400, geoLocation: 'EU' });
		assertProblem(res, 400, 'EKV_2000', 'geoLocation cannot be changed after the namespace is created.');
	});

	test('a namespace in the body other than the path answers 400', async () => {
		for (const body of [{ namespace: 'other', retentionInSeconds: 86400 }, { retentionInSeconds: 86400 }]) {
			assertProblem(await server.put(nsPath('production', 'upd'), body), 400, 'EKV_2000', 'The namespace in the request body must match the namespace in the path.');
		}
	});

	test('a missing or invalid retention answers 400', async () => {
		assertProblem(await server.put(nsPath('production', 'upd'), { namespace: 'upd' }), 400, 'EKV_2000', RETENTION_MISSING);
		assertProblem(await server.put(nsPath('production', 'upd'), { namespace: 'upd', retentionInSeconds: 5 }), 400, 'EKV_2000', RETENTION_INVALID);
		assertProblem(await server.put(nsPath('production', 'upd'), { namespace: 'upd', retentionInSeconds: 86400, extra: true }), 400, 'EKV_2000', "Unrecognized field 'extra'.");
		assert.equal(assertJson(await server.get(nsPath('production', 'upd')), 200, 'namespace').retentionInSeconds, 259200);
	});

	test('the default namespace cannot be updated', async () => {
		for (const network of ['staging', 'production']) {
			const res = await server.put(nsPath(network, 'default'), { namespace: 'default', retentionInSeconds: 86400, groupId: 0 });
			assertProblem(res, 400, 'EKV_2000', 'You cannot modify the retention period for the "default" namespace.');
			assert.deepEqual(assertJson(await server.get(nsPath(network, 'default')), 200, 'namespace'), DEFAULT_NS);
		}
	});

	test('a missing namespace answers 400 EKV_9000', async () => {
		assertProblem(await server.put(nsPath('staging', 'upd'), { namespace: 'upd', retentionInSeconds: 86400 }), 400, 'EKV_9000', NOT_EXIST);
	});
});

describe('delete a namespace', () => {
	test('answers 202 with scheduledDeleteTime, Location and Retry-After, and the namespace stays until then', async () => {
		assertJson(await server.post(nsPath('production'), namespaceBody('del_async')), 200, 'namespace');
		const t0 = Date.now();
		const res = await server.del(nsPath('production', 'del_async'));
		const body = assertJson(res, 202, 'scheduled-delete');
		assert.equal(res.headers.location, '/edgekv/v1/networks/production/namespaces/del_async/status/scheduled-delete');
		const when = Date.parse(body.scheduledDeleteTime);
		assert.ok(when > t0 + 10 * 60 * 1000, `scheduled well ahead: ${body.scheduledDeleteTime}`);
		const retryAfter = Number(res.headers['retry-after']);
		assert.ok(Number.isInteger(retryAfter) && Math.abs(retryAfter - (when - t0) / 1000) < 5, `Retry-After ${res.headers['retry-after']}`);
		assertJson(await server.get(nsPath('production', 'del_async')), 200, 'namespace');

		const status = await server.get(`${nsPath('production', 'del_async')}/status/scheduled-delete`);
		assert.deepEqual(assertJson(status, 200, 'scheduled-delete'), body);
		assert.ok(Math.abs(Number(status.headers['retry-after']) - retryAfter) <= 2);

		// Deleting again keeps the first schedule.
		const again = await server.cli('DELETE', nsPath('production', 'del_async'));
		assert.deepEqual(assertJson(again, 202, 'scheduled-delete'), body);
	});

	test('PUT scheduled-delete moves the time and answers 200 with Retry-After', async () => {
		const path = `${nsPath('production', 'del_async')}/status/scheduled-delete`;
		const target = new Date(Date.now() + 10 * 60 * 1000);
		target.setUTCMilliseconds(0);
		const iso = target.toISOString().replace('.000Z', 'Z'); // PowerShell's yyyy-MM-ddTHH:mm:ssZ
		const res = await server.put(path, { scheduledDeleteTime: iso });
		const body = assertJson(res, 200, 'scheduled-delete');
		assert.equal(Date.parse(body.scheduledDeleteTime), target.getTime());
		const retryAfter = Number(res.headers['retry-after']);
		assert.ok(retryAfter > 590 && retryAfter <= 600, `Retry-After ${retryAfter}`);
		assert.equal(Date.parse(assertJson(await server.get(path), 200, 'scheduled-delete').scheduledDeleteTime), target.getTime());
		// Millisecond precision (the Go fixture's shape) is accepted too.
		const ms = new Date(Date.now() + 3 * 3600 * 1000 + 350).toISOString();
		const res2 = await server.put(path, { scheduledDeleteTime: ms });
		// ... and echoed with its milliseconds, as the Go fixture shows them.
		assert.equal(assertJson(res2, 200, 'scheduled-delete').scheduledDeleteTime, ms);
	});

	test('PUT scheduled-delete refuses times within five minutes, past times and invalid bodies', async () => {
		const path = `${nsPath('production', 'del_async')}/status/scheduled-delete`;
		const before_ = assertJson(await server.get(path), 200, 'scheduled-delete');
		const bad = 'scheduledDeleteTime must be a date-time more than five minutes in the future.';
		for (const scheduledDeleteTime of [
			new Date(Date.now() + 4 * 60 * 1000).toISOString(),
			new Date(Date.now() - 60 * 1000).toISOString(),
			'2020-01-01T00:00:00Z',
			'tomorrow',
			'2099-13-01T00:00:00Z',
			'',
			1893456000000,
		]) {
			assertProblem(await server.put(path, { scheduledDeleteTime }), 400, 'EKV_2000', bad);
		}
		assertProblem(await server.put(path, {}), 400, 'EKV_2000', bad);
		assertProblem(await server.put(path, { scheduledDeleteTime: '2099-01-01T00:00:00Z', when: 1 }), 400, 'EKV_2000', "Unrecognized field 'when'.");
		assertProblem(await server.put(path, '{'), 422, 'EKV_2001', 'The JSON request body contained a syntax error or duplicate attributes.');
		assert.deepEqual(assertJson(await server.get(path), 200, 'scheduled-delete'), before_);
	});

	test('DELETE scheduled-delete cancels a delete more than five minutes away with 204', async () => {
		const path = `${nsPath('production', 'del_async')}/status/scheduled-delete`;
		const res = await server.del(path);
		assert.equal(res.status, 204);
		assert.equal(res.bytes.length, 0);
		assertTraceId(res);
		assertProblem(await server.get(path), 400, 'EKV_1002', deleteDenied('production'));
		assertProblem(await server.del(path), 400, 'EKV_1002', deleteDenied('production'));
		assertProblem(await server.put(path, { scheduledDeleteTime: '2099-01-01T00:00:00Z' }), 400, 'EKV_1002', deleteDenied('production'));
		assertJson(await server.get(nsPath('production', 'del_async')), 200, 'namespace');
	});

	test('scheduled-delete on a namespace without a pending delete or a missing one answers 400 EKV_1002', async () => {
		for (const network of ['staging', 'production']) {
			for (const ns of ['default', 'nosuchns']) {
				const path = `${nsPath(network, ns)}/status/scheduled-delete`;
				assertProblem(await server.get(path), 400, 'EKV_1002', deleteDenied(network));
				assertProblem(await server.del(path), 400, 'EKV_1002', deleteDenied(network));
			}
		}
	});

	test('deleting a missing namespace answers 400 EKV_1002 naming the network\'s permission', async () => {
		for (const network of ['staging', 'production']) {
			assertProblem(await server.del(nsPath(network, 'nosuchns')), 400, 'EKV_1002', deleteDenied(network));
			assertProblem(await server.del(`${nsPath(network, 'nosuchns')}?sync=true`), 400, 'EKV_1002', deleteDenied(network));
		}
	});

	test('sync=true deletes at once with 200 {operationPerformed, description, id} and the items go too', async () => {
		assertJson(await server.post(nsPath('staging'), namespaceBody('del_sync')), 200, 'namespace');
		for (const key of ['a', 'b']) assert.equal((await server.put(itemPath('staging', 'del_sync', 'g1', key), `v-${key}`)).status, 200);
		const cpcode = assertJson(await server.get(`${V1}/initialize`), 200, 'initialize-status').cpcode;
		const res = await server.del(`${nsPath('staging', 'del_sync')}?sync=true`);
		assert.deepEqual(assertJson(res, 200, 'namespace-sync-delete'), {
			operationPerformed: 'DELETED',
			description: "Namespace 'del_sync' was successfully deleted.",
			id: cpcode,
		});
		assertProblem(await server.get(nsPath('staging', 'del_sync')), 400, 'EKV_9000', NOT_EXIST);
		assertProblem(await server.get(itemPath('staging', 'del_sync', 'g1', 'a')), 400, 'EKV_9000', NOT_EXIST);
		const list = assertJson(await server.get(nsPath('staging')), 200, 'namespaces');
		assert.ok(!list.namespaces.some((n) => n.namespace === 'del_sync'));
		// Created again, the namespace starts empty.
		assertJson(await server.post(nsPath('staging'), namespaceBody('del_sync')), 200, 'namespace');
		assertProblem(await server.get(`${nsPath('staging', 'del_sync')}/groups`), 404, 'EKV_9000', 'There are no groups.');
		assertProblem(await server.get(groupPath('staging', 'del_sync', 'g1')), 404, 'EKV_9000', 'The requested group is empty or not found.');
		assertProblem(await server.get(itemPath('staging', 'del_sync', 'g1', 'a')), 404, 'EKV_9000', "Item 'a' or group 'g1' was not found in the database.");
	});

	test('sync=true also deletes a namespace whose delete is scheduled, and only on its network', async () => {
		assertJson(await server.post(nsPath('staging'), namespaceBody('both_nets')), 200, 'namespace');
		assertJson(await server.post(nsPath('production'), namespaceBody('both_nets')), 200, 'namespace');
		assertJson(await server.del(nsPath('staging', 'both_nets')), 202, 'scheduled-delete');
		assertJson(await server.del(`${nsPath('staging', 'both_nets')}?sync=true`), 200, 'namespace-sync-delete');
		assertProblem(await server.get(nsPath('staging', 'both_nets')), 400, 'EKV_9000', NOT_EXIST);
		assertProblem(await server.get(`${nsPath('staging', 'both_nets')}/status/scheduled-delete`), 400, 'EKV_1002', deleteDenied('staging'));
		assertJson(await server.get(nsPath('production', 'both_nets')), 200, 'namespace');
	});
});

describe('the limit of 20 namespaces per network', () => {
	let fresh;
	before(async () => {
		fresh = await startServer();
	});
	after(() => fresh?.close());

	test('the 21st namespace on a network (default counts) answers 413 EKV_9000', async () => {
		for (let i = 1; i < 20; i++) assertJson(await fresh.post(nsPath('production'), namespaceBody(`lim_${i}`)), 200, 'namespace');
		assert.equal(assertJson(await fresh.get(nsPath('production')), 200, 'namespaces').namespaces.length, 20);
		assertProblem(await fresh.post(nsPath('production'), namespaceBody('lim_20')), 413, 'EKV_9000', LIMIT);
		assertProblem(await fresh.get(nsPath('production', 'lim_20')), 400, 'EKV_9000', NOT_EXIST);
		// An identical re-create of an existing namespace is not a new namespace.
		assertJson(await fresh.post(nsPath('production'), namespaceBody('lim_1')), 200, 'namespace');
	});

	test('the limit is per network: staging still accepts namespaces', async () => {
		assertJson(await fresh.post(nsPath('staging'), namespaceBody('lim_20')), 200, 'namespace');
	});

	test('a sync delete frees a place', async () => {
		assertJson(await fresh.del(`${nsPath('production', 'lim_1')}?sync=true`), 200, 'namespace-sync-delete');
		assertJson(await fresh.post(nsPath('production'), namespaceBody('lim_20')), 200, 'namespace');
		assertProblem(await fresh.post(nsPath('production'), namespaceBody('lim_21')), 413, 'EKV_9000', LIMIT);
	});
});
