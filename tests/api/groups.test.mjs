// Groups of a namespace (docs/behaviour.md §5.4): they exist while they hold items.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertJson, assertProblem, itemPath, namespaceBody, nsPath, startServer } from './helpers.mjs';

const NO_GROUPS = 'There are no groups.';
const NOT_EXIST = 'The requested namespace does not exist.';
const groupsPath = (network, ns) => `${nsPath(network, ns)}/groups`;

let server;
before(async () => {
	server = await startServer();
	assertJson(await server.post(nsPath('staging'), namespaceBody('grp')), 200, 'namespace');
	assertJson(await server.post(nsPath('production'), namespaceBody('grp')), 200, 'namespace');
});
after(() => server?.close());

test('a namespace without items answers 404 There are no groups.', async () => {
	for (const network of ['staging', 'production']) {
		assertProblem(await server.get(groupsPath(network, 'grp')), 404, 'EKV_9000', NO_GROUPS);
		assertProblem(await server.get(groupsPath(network, 'default')), 404, 'EKV_9000', NO_GROUPS);
	}
});

test('a group comes into being with its first item and is listed', async () => {
	for (const group of ['countries', 'verticals', 'industries']) {
		assert.equal((await server.put(itemPath('staging', 'grp', group, 'k1'), 'v')).status, 200);
		assert.equal((await server.put(itemPath('staging', 'grp', group, 'k2'), 'v')).status, 200);
	}
	const groups = assertJson(await server.get(groupsPath('staging', 'grp')), 200, 'groups');
	assert.deepEqual([...groups].sort(), ['countries', 'industries', 'verticals']);
});

test('the CLI request shape (GET with a "" JSON body) lists the groups', async () => {
	const groups = assertJson(await server.cli('GET', groupsPath('staging', 'grp'), { metric: 'List/groups' }), 200, 'groups');
	assert.equal(groups.length, 3);
});

test('groups are per network and per namespace', async () => {
	assertProblem(await server.get(groupsPath('production', 'grp')), 404, 'EKV_9000', NO_GROUPS);
	assertProblem(await server.get(groupsPath('staging', 'default')), 404, 'EKV_9000', NO_GROUPS);
	assert.equal((await server.put(itemPath('production', 'grp', 'prod_only', 'k'), 'v')).status, 200);
	assert.deepEqual(assertJson(await server.get(groupsPath('PRODUCTION', 'grp')), 200, 'groups'), ['prod_only']);
	assert.equal(assertJson(await server.get(groupsPath('staging', 'grp')), 200, 'groups').length, 3);
});

test('a group disappears when its last item is deleted', async () => {
	assert.equal((await server.del(itemPath('staging', 'grp', 'verticals', 'k1'))).status, 200);
	assert.ok(assertJson(await server.get(groupsPath('staging', 'grp')), 200, 'groups').includes('verticals'));
	assert.equal((await server.del(itemPath('staging', 'grp', 'verticals', 'k2'))).status, 200);
	assert.deepEqual([...assertJson(await server.get(groupsPath('staging', 'grp')), 200, 'groups')].sort(), ['countries', 'industries']);
	assert.equal((await server.del(itemPath('production', 'grp', 'prod_only', 'k'))).status, 200);
	assertProblem(await server.get(groupsPath('production', 'grp')), 404, 'EKV_9000', NO_GROUPS);
});

test('a missing namespace answers 400 EKV_9000', async () => {
	for (const ns of ['nosuchns', 'bad.name']) assertProblem(await server.get(groupsPath('staging', ns)), 400, 'EKV_9000', NOT_EXIST);
});

test('an unknown network answers 400', async () => {
	assertProblem(await server.get(groupsPath('qa', 'grp')), 400, 'EKV_2000', "Network 'qa' is not valid. Please specify one of staging, production.");
});

test('group names of 128 characters are listed whole', async () => {
	const long = 'G'.repeat(128);
	assert.equal((await server.put(itemPath('staging', 'grp', long, 'k'), 'v')).status, 200);
	assert.ok(assertJson(await server.get(groupsPath('staging', 'grp')), 200, 'groups').includes(long));
});

test('only GET is allowed on the groups list', async () => {
	for (const method of ['POST', 'PUT', 'DELETE']) {
		const res = await server.request(method, groupsPath('staging', 'grp'), { body: method === 'DELETE' ? undefined : '{}' });
		assertProblem(res, 405, 'EKV_9000', `The ${method} method is not allowed for this resource.`);
		assert.equal(res.headers.allow, 'GET, HEAD');
	}
});
