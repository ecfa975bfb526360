// GET|PUT /initialize and PUT /auth/database (docs/behaviour.md §4), on accounts started uninitialized,
// initialized, and without the Standard TLS entitlement.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
	assertJson,
	assertProblem,
	assertSchema,
	assertTraceId,
	groupPath,
	itemPath,
	namespaceBody,
	nsPath,
	startServer,
	V1,
} from './helpers.mjs';

const NOT_INITIALIZED = 'The EdgeKV database is not initialized.';
const UNINITIALIZED_STATUS = {
	accountStatus: 'UNINITIALIZED',
	cpcode: null,
	productionStatus: 'UNINITIALIZED',
	stagingStatus: 'UNINITIALIZED',
	dataAccessPolicy: null,
};
const STANDARD_TLS_INIT =
	"You cannot set `restrictDataAccess` to false. Your account entitlement doesn't allow EdgeKV data access to Akamai's Standard TLS network.";
const STANDARD_TLS_REQUIRED = 'This feature requires the Standard TLS Support product.';
const POLICY_INVALID = 'dataAccessPolicy must have the booleans restrictDataAccess and allowNamespacePolicyOverride.';

function assertInitialized(body, policy = { restrictDataAccess: true, allowNamespacePolicyOverride: false }) {
	assertSchema('initialize-status', body);
	assert.equal(body.accountStatus, 'INITIALIZED');
	assert.equal(body.productionStatus, 'INITIALIZED');
	assert.equal(body.stagingStatus, 'INITIALIZED');
	assert.match(body.cpcode, /^\d+$/);
	assert.deepEqual(body.dataAccessPolicy, policy);
}

async function assertUninitialized(server) {
	const res = await server.get(`${V1}/initialize`);
	assert.equal(res.status, 404);
	assert.match(res.headers['content-type'], /^application\/problem\+json/);
	assertTraceId(res);
	assertSchema('initialize-status', res.json);
	assert.deepEqual(res.json, UNINITIALIZED_STATUS);
}

describe('an account started with --uninitialized', () => {
	let server;
	before(async () => {
		server = await startServer({ args: ['--uninitialized'] });
	});
	after(() => server?.close());

	test('GET /initialize answers 404 whose body is the UNINITIALIZED status object', async () => {
		await assertUninitialized(server);
	});

	test('every other endpoint answers 404 The EdgeKV database is not initialized.', async () => {
		const ns = nsPath('staging', 'default');
		const calls = [
			['PUT', `${V1}/auth/database`, { dataAccessPolicy: { restrictDataAccess: true, allowNamespacePolicyOverride: false } }],
			['GET', nsPath('staging')],
			['GET', `${nsPath('production')}?details=on`],
			['POST', nsPath('staging'), namespaceBody('marketing')],
			['GET', ns],
			['PUT', ns, { namespace: 'default', retentionInSeconds: 86400 }],
			['DELETE', ns],
			['DELETE', `${ns}?sync=true`],
			['GET', `${ns}/status/scheduled-delete`],
			['PUT', `${ns}/status/scheduled-delete`, { scheduledDeleteTime: '2099-01-01T00:00:00Z' }],
			['DELETE', `${ns}/status/scheduled-delete`],
			['GET', `${ns}/groups`],
			['GET', groupPath('staging', 'default', 'countries')],
			['GET', itemPath('staging', 'default', 'countries', 'US')],
			['PUT', itemPath('staging', 'default', 'countries', 'US'), 'United States'],
			['DELETE', itemPath('staging', 'default', 'countries', 'US')],
		];
		for (const [method, path, body] of calls) {
			const res = await server.request(method, path, { body });
			assertProblem(res, 404, 'EKV_9000', NOT_INITIALIZED);
		}
	});

	test('PUT /initialize with invalid policies is refused and leaves the account uninitialized', async () => {
		assertProblem(await server.put(`${V1}/initialize`, '{"dataAccessPolicy":'), 422, 'EKV_2001', 'The JSON request body contained a syntax error or duplicate attributes.');
		assertProblem(await server.put(`${V1}/initialize`, { dataAccessPolicy: { restrictDataAccess: true } }), 400, 'EKV_2000', POLICY_INVALID);
		assertProblem(await server.put(`${V1}/initialize`, { dataAccessPolicy: { restrictDataAccess: 'yes', allowNamespacePolicyOverride: false } }), 400, 'EKV_2000', POLICY_INVALID);
		assertProblem(await server.put(`${V1}/initialize`, { dataAccessPolicy: 7 }), 400, 'EKV_2000', POLICY_INVALID);
		assertProblem(await server.put(`${V1}/initialize`, { dataAccessPolicy: { restrictDataAccess: true, allowNamespacePolicyOverride: false, extra: 1 } }), 400, 'EKV_2000', "Unrecognized field 'extra'.");
		assertProblem(await server.put(`${V1}/initialize`, { policy: {} }), 400, 'EKV_2000', "Unrecognized field 'policy'.");
		assertProblem(await server.put(`${V1}/initialize`, '[]'), 400, 'EKV_2000', 'The request body must be a JSON object.');
		await assertUninitialized(server);
	});

	test('PUT /initialize as the CLI sends it (empty JSON body) answers 201 INITIALIZED with the default policy', async () => {
		const res = await server.cli('PUT', `${V1}/initialize`, { metric: 'Init/ekv' });
		assertInitialized(assertJson(res, 201, 'initialize-status'));
		assertInitialized(assertJson(await server.get(`${V1}/initialize`), 200, 'initialize-status'));
	});

	test('initialize creates the default namespace on both networks with a retention of 15724800 seconds', async () => {
		for (const network of ['staging', 'production']) {
			const ns = assertJson(await server.get(nsPath(network, 'default')), 200, 'namespace');
			assert.deepEqual(ns, {
				namespace: 'default',
				retentionInSeconds: 15724800,
				geoLocation: 'US',
				groupId: 0,
				dataAccessPolicy: { restrictDataAccess: true, policyType: 'inherited' },
			});
			const list = assertJson(await server.get(nsPath(network)), 200, 'namespaces');
			assert.deepEqual(list, { namespaces: [{ namespace: 'default' }] });
		}
	});

	test('PUT /initialize again answers 200 with the same status and changes nothing', async () => {
		const first = assertJson(await server.get(`${V1}/initialize`), 200, 'initialize-status');
		const again = assertJson(await server.put(`${V1}/initialize`), 200, 'initialize-status');
		assert.deepEqual(again, first);
		// A policy in a repeated PUT does not change the database policy.
		const withPolicy = await server.put(`${V1}/initialize`, { dataAccessPolicy: { restrictDataAccess: false, allowNamespacePolicyOverride: true } });
		assert.deepEqual(assertJson(withPolicy, 200, 'initialize-status'), first);
	});

	test('after initialize the other endpoints answer normally', async () => {
		const res = await server.put(itemPath('staging', 'default', 'countries', 'US'), 'United States', { headers: { 'Content-Type': 'text/plain' } });
		assert.equal(res.status, 200);
		assert.equal((await server.get(itemPath('staging', 'default', 'countries', 'US'))).body, 'United States');
	});
});

describe('PUT /initialize with a data access policy', () => {
	let server;
	before(async () => {
		server = await startServer({ args: ['--uninitialized'] });
	});
	after(() => server?.close());

	test('answers 201 and keeps the given policy, which new namespaces inherit', async () => {
		const policy = { restrictDataAccess: false, allowNamespacePolicyOverride: true };
		const res = await server.put(`${V1}/initialize`, { dataAccessPolicy: policy });
		assertInitialized(assertJson(res, 201, 'initialize-status'), policy);
		const ns = assertJson(await server.post(nsPath('production'), namespaceBody('open_ns')), 200, 'namespace');
		assert.deepEqual(ns.dataAccessPolicy, { restrictDataAccess: false, policyType: 'inherited' });
		const dflt = assertJson(await server.get(nsPath('staging', 'default')), 200, 'namespace');
		assert.deepEqual(dflt.dataAccessPolicy, { restrictDataAccess: false, policyType: 'inherited' });
	});

	test('a namespace may override the policy when allowNamespacePolicyOverride is true', async () => {
		const body = namespaceBody('strict_ns', { dataAccessPolicy: { restrictDataAccess: true } });
		const ns = assertJson(await server.post(nsPath('production'), body), 200, 'namespace');
		assert.deepEqual(ns.dataAccessPolicy, { restrictDataAccess: true, policyType: 'overridden' });
	});

	test('a null dataAccessPolicy is accepted as no policy', async () => {
		const other = await startServer({ args: ['--uninitialized'] });
		try {
			const res = await other.put(`${V1}/initialize`, { dataAccessPolicy: null });
			assertInitialized(assertJson(res, 201, 'initialize-status'));
		} finally {
			await other.close();
		}
	});
});

describe('PUT /auth/database on an account with the Standard TLS entitlement', () => {
	let server;
	before(async () => {
		server = await startServer();
	});
	after(() => server?.close());

	test('answers 200 with the status object carrying the new policy', async () => {
		const policy = { restrictDataAccess: false, allowNamespacePolicyOverride: true };
		const res = await server.cli('PUT', `${V1}/auth/database`, { body: JSON.stringify({ dataAccessPolicy: policy }), metric: 'Update/db' });
		assertInitialized(assertJson(res, 200, 'initialize-status'), policy);
		assertInitialized(assertJson(await server.get(`${V1}/initialize`), 200, 'initialize-status'), policy);
	});

	test('the new policy applies to namespaces created afterwards only', async () => {
		const created = assertJson(await server.post(nsPath('staging'), namespaceBody('after_policy')), 200, 'namespace');
		assert.deepEqual(created.dataAccessPolicy, { restrictDataAccess: false, policyType: 'inherited' });
		const dflt = assertJson(await server.get(nsPath('staging', 'default')), 200, 'namespace');
		assert.deepEqual(dflt.dataAccessPolicy, { restrictDataAccess: true, policyType: 'inherited' });
	});

	test('a namespace override is refused when allowNamespacePolicyOverride is false', async () => {
		const policy = { restrictDataAccess: true, allowNamespacePolicyOverride: false };
		assertJson(await server.put(`${V1}/auth/database`, { dataAccessPolicy: policy }), 200, 'initialize-status');
		const body = namespaceBody('override_ns', { dataAccessPolicy: { restrictDataAccess: false } });
		assertProblem(await server.post(nsPath('staging'), body), 400, 'EKV_2000', 'The database data access policy does not allow namespaces to override it.');
		assertProblem(await server.get(nsPath('staging', 'override_ns')), 400, 'EKV_9000', 'The requested namespace does not exist.');
	});

	test('invalid policies are refused and the policy stays as it was', async () => {
		const before_ = assertJson(await server.get(`${V1}/initialize`), 200, 'initialize-status');
		assertProblem(await server.put(`${V1}/auth/database`, {}), 400, 'EKV_2000', POLICY_INVALID);
		assertProblem(await server.put(`${V1}/auth/database`, { dataAccessPolicy: null }), 400, 'EKV_2000', POLICY_INVALID);
		assertProblem(await server.put(`${V1}/auth/database`, { dataAccessPolicy: { allowNamespacePolicyOverride: true } }), 400, 'EKV_2000', POLICY_INVALID);
		assertProblem(await server.put(`${V1}/auth/database`, { dataAccessPolicy: { restrictDataAccess: 1, allowNamespacePolicyOverride: true } }), 400, 'EKV_2000', POLICY_INVALID);
		assertProblem(await server.put(`${V1}/auth/database`, '{"dataAccessPolicy":{"restrictDataAccess":true,"restrictDataAccess":false,"allowNamespacePolicyOverride":true}}'), 422, 'EKV_2001', 'The JSON request body contained a syntax error or duplicate attributes.');
		// An empty body is no JSON at all: the policy is required here.
		assertProblem(await server.cli('PUT', `${V1}/auth/database`), 422, 'EKV_2001', 'The JSON request body contained a syntax error or duplicate attributes.');
		assert.deepEqual(assertJson(await server.get(`${V1}/initialize`), 200, 'initialize-status'), before_);
	});

	test('GET /auth/database is not a method of that resource', async () => {
		const res = await server.get(`${V1}/auth/database`);
		assertProblem(res, 405, 'EKV_9000', 'The GET method is not allowed for this resource.');
		assert.equal(res.headers.allow, 'PUT');
	});
});

describe('an account without the Standard TLS entitlement (--no-standard-tls)', () => {
	let server;
	before(async () => {
		server = await startServer({ args: ['--uninitialized', '--no-standard-tls'] });
	});
	after(() => server?.close());

	test('PUT /initialize with restrictDataAccess false answers 400 EKV_1005 and initializes nothing', async () => {
		const res = await server.put(`${V1}/initialize`, { dataAccessPolicy: { restrictDataAccess: false, allowNamespacePolicyOverride: false } });
		assertProblem(res, 400, 'EKV_1005', STANDARD_TLS_INIT);
		await assertUninitialized(server);
	});

	test('PUT /initialize with restrictDataAccess true answers 201', async () => {
		const policy = { restrictDataAccess: true, allowNamespacePolicyOverride: true };
		assertInitialized(assertJson(await server.put(`${V1}/initialize`, { dataAccessPolicy: policy }), 201, 'initialize-status'), policy);
	});

	test('PUT /auth/database answers 403 EKV_1005 whatever the body', async () => {
		for (const body of [
			{ dataAccessPolicy: { restrictDataAccess: false, allowNamespacePolicyOverride: false } },
			{ dataAccessPolicy: { restrictDataAccess: true, allowNamespacePolicyOverride: false } },
		]) {
			assertProblem(await server.put(`${V1}/auth/database`, body), 403, 'EKV_1005', STANDARD_TLS_REQUIRED);
		}
		const status = assertJson(await server.get(`${V1}/initialize`), 200, 'initialize-status');
		assert.deepEqual(status.dataAccessPolicy, { restrictDataAccess: true, allowNamespacePolicyOverride: true });
	});

	test('a namespace cannot override the policy to Standard TLS', async () => {
		const body = namespaceBody('std_tls', { dataAccessPolicy: { restrictDataAccess: false } });
		assertProblem(await server.post(nsPath('production'), body), 400, 'EKV_1005', STANDARD_TLS_INIT);
	});
});
