// Responses checked against Akamai's OpenAPI descriptions of the EdgeKV API, as extracted into
// openapi/ by openapi/extract.mjs (akamai-apis: the official 2023 spec; apis-test-develop: the
// newer 2024 draft). The extracts are committed, so every check here always runs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { groupPath, itemPath, namespaceBody, nsPath, startServer, V1 } from './helpers.mjs';

const SPECS = ['akamai-apis', 'apis-test-develop'];
const OPENAPI = join(dirname(fileURLToPath(import.meta.url)), 'openapi');

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const specs = SPECS.map((name) => ({ name, ops: JSON.parse(readFileSync(join(OPENAPI, `${name}.json`), 'utf8')).operations }));

/** The extracted operation for a request target, or undefined. */
function operation(ops, method, target) {
	const path = target.split('?')[0].slice(V1.length);
	for (const [key, op] of Object.entries(ops)) {
		const [m, template] = key.split(' ');
		if (m === method && new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path)) return op;
	}
	return undefined;
}

const tally = { validated: 0, undocumented: [] };

/**
 * Validates res against every spec that documents its operation and status with a schema for its
 * media type. `undocumentedOk` names the specs that are known not to document this response;
 * `only` limits the check to the specs of one token workflow (legacy: the 2023 spec, enhanced: the 2024 draft of the spec).
 */
function conform(method, target, res, { undocumentedOk = [], only = SPECS } = {}) {
	let documented = 0;
	for (const { name, ops } of specs.filter((s) => only.includes(s.name))) {
		const op = operation(ops, method, target);
		const resp = op?.responses?.[String(res.status)];
		if (!resp) {
			assert.ok(undocumentedOk.includes(name), `${name} does not document ${method} ${target} → ${res.status}`);
			continue;
		}
		documented++;
		const content = resp.content ?? {};
		if (res.status === 204) {
			assert.equal(Object.keys(content).length, 0);
			assert.equal(res.bytes.length, 0);
			continue;
		}
		const mediaType = (res.headers['content-type'] ?? '').split(';')[0].trim();
		const schema = content[mediaType];
		assert.ok(mediaType in content || undocumentedOk.includes(name), `${name}: ${method} ${target} → ${res.status} declares ${Object.keys(content)}, got ${mediaType}`);
		if (!schema) continue;
		const validate = ajv.compile(schema);
		const data = mediaType.endsWith('json') ? res.json : res.body;
		assert.ok(validate(data), `${name}: ${method} ${target} → ${res.status}: ${ajv.errorsText(validate.errors)}\n${res.body}`);
		tally.validated++;
	}
	if (!documented) tally.undocumented.push(`${method} ${target} → ${res.status}`);
}

let server;
let uninit;
before(async () => {
	server = await startServer();
	uninit = await startServer({ args: ['--uninitialized'] });
});
after(async () => {
	await server?.close();
	await uninit?.close();
});

test('initialize responses match both specs', async () => {
	conform('GET', `${V1}/initialize`, await uninit.get(`${V1}/initialize`));
	conform('PUT', `${V1}/initialize`, await uninit.put(`${V1}/initialize`, { dataAccessPolicy: { restrictDataAccess: true, allowNamespacePolicyOverride: false } }));
	conform('GET', `${V1}/initialize`, await uninit.get(`${V1}/initialize`));
	// A repeated PUT answers 200 (the CLI's "already INITIALIZED" branch); no spec lists it.
	const again = await uninit.put(`${V1}/initialize`);
	assert.equal(again.status, 200);
	conform('PUT', `${V1}/initialize`, again, { undocumentedOk: SPECS });
	conform('PUT', `${V1}/auth/database`, await server.put(`${V1}/auth/database`, { dataAccessPolicy: { restrictDataAccess: true, allowNamespacePolicyOverride: true } }));
});

test('namespace responses match both specs', async () => {
	for (const network of ['staging', 'production']) {
		conform('POST', nsPath(network), await server.post(nsPath(network), namespaceBody('conf', { retentionInSeconds: 15724800, groupId: 4284 })));
		conform('GET', nsPath(network, 'conf'), await server.get(nsPath(network, 'conf')));
		conform('GET', nsPath(network), await server.get(`${nsPath(network)}?details=on`));
		conform('PUT', nsPath(network, 'conf'), await server.put(nsPath(network, 'conf'), { namespace: 'conf', retentionInSeconds: 86400 }));
		conform('GET', nsPath(network, 'nope'), await server.get(nsPath(network, 'nope')));
		conform('PUT', nsPath(network, 'nope'), await server.put(nsPath(network, 'nope'), { namespace: 'nope', retentionInSeconds: 86400 }));
		conform('POST', nsPath(network), await server.post(nsPath(network), { namespace: 'bad name', retentionInSeconds: 0 }));
		conform('POST', nsPath(network), await server.post(nsPath(network), namespaceBody('conf', { retentionInSeconds: 0, groupId: 4284 })));
		conform('PUT', nsPath(network, 'conf'), await server.put(nsPath(network, 'conf'), { namespace: 'conf', retentionInSeconds: 86400, groupId: 1 }));
	}
	conform('POST', nsPath('production'), await server.post(nsPath('production'), namespaceBody('conf_eu', { geoLocation: 'EU' })));
});

test('namespace delete and scheduled-delete responses match the 2024 spec', async () => {
	const only24 = { undocumentedOk: ['akamai-apis'] };
	const ns = nsPath('production', 'conf');
	const sd = `${ns}/status/scheduled-delete`;
	conform('DELETE', ns, await server.del(ns), only24);
	conform('GET', sd, await server.get(sd), only24);
	conform('PUT', sd, await server.put(sd, { scheduledDeleteTime: new Date(Date.now() + 3600e3).toISOString() }), only24);
	conform('PUT', sd, await server.put(sd, { scheduledDeleteTime: 'soon' }), only24);
	conform('DELETE', sd, await server.del(sd), only24);
	conform('GET', sd, await server.get(sd), only24);
	conform('DELETE', nsPath('production', 'nope'), await server.del(nsPath('production', 'nope')), only24);
	// The sync body is documented by Akamai's Go client only, in no spec.
	const sync = await server.del(`${nsPath('staging', 'conf')}?sync=true`);
	assert.equal(sync.status, 200);
	conform('DELETE', nsPath('staging', 'conf'), sync, { undocumentedOk: SPECS });
});

test('group and item responses match both specs', async () => {
	const ns = 'default';
	conform('GET', `${nsPath('staging', ns)}/groups`, await server.get(`${nsPath('staging', ns)}/groups`));
	conform('GET', groupPath('staging', ns, 'countries'), await server.get(groupPath('staging', ns, 'countries')));
	const json = '{"currency":"€","flag":"/belgium.png","name":"Belgium"}';
	const put = await server.put(itemPath('staging', ns, 'countries', 'BE'), json);
	conform('PUT', itemPath('staging', ns, 'countries', 'BE'), put);
	const putText = await server.put(itemPath('staging', ns, 'languages', 'BE'), 'Dutch', { headers: { 'Content-Type': 'text/plain' } });
	conform('PUT', itemPath('staging', ns, 'languages', 'BE'), putText);
	// The 2023 spec declares the value as application/json, the 2024 draft of the spec as text/plain: each matches the value written that way.
	conform('GET', itemPath('staging', ns, 'countries', 'BE'), await server.get(itemPath('staging', ns, 'countries', 'BE')), { undocumentedOk: ['apis-test-develop'] });
	conform('GET', itemPath('staging', ns, 'languages', 'BE'), await server.get(itemPath('staging', ns, 'languages', 'BE')), { undocumentedOk: ['akamai-apis'] });
	conform('GET', `${nsPath('staging', ns)}/groups`, await server.get(`${nsPath('staging', ns)}/groups`));
	conform('GET', groupPath('staging', ns, 'countries'), await server.get(groupPath('staging', ns, 'countries')));
	conform('GET', itemPath('staging', ns, 'countries', 'XX'), await server.get(itemPath('staging', ns, 'countries', 'XX')));
	conform('GET', itemPath('staging', ns, 'countries', 'X.X'), await server.get(itemPath('staging', ns, 'countries', 'X.X')));
	conform('PUT', itemPath('staging', ns, 'countries', 'XX'), await server.put(itemPath('staging', ns, 'countries', 'XX'), 'x'.repeat(262145), { headers: { 'Content-Type': 'text/plain' } }));
	conform('GET', groupPath('staging', ns, 'g.g'), await server.get(groupPath('staging', ns, 'g.g')));
	conform('DELETE', itemPath('staging', ns, 'countries', 'BE'), await server.del(itemPath('staging', ns, 'countries', 'BE')));
	conform('DELETE', itemPath('staging', ns, 'countries', 'B.E'), await server.del(itemPath('staging', ns, 'countries', 'B.E')));
});

test('request examples from the specs are accepted', async () => {
	let sent = 0;
	for (const { ops } of specs) {
		const example = (key) => ops[key].requestExample;
		const create = example('POST /networks/{network}/namespaces');
		if (create) {
			const body = { ...create, namespace: `ex_${sent}` };
			const res = await server.post(nsPath('production'), body);
			assert.equal(res.status, 200, `${JSON.stringify(body)} → ${res.body}`);
			sent++;
			const update = example('PUT /networks/{network}/namespaces/{namespaceId}');
			if (update) {
				const upd = { ...update, namespace: body.namespace, groupId: update.groupId === undefined ? undefined : res.json.groupId };
				const res2 = await server.put(nsPath('production', body.namespace), upd);
				assert.equal(res2.status, 200, `${JSON.stringify(upd)} → ${res2.body}`);
				sent++;
			}
		}
		const db = example('PUT /auth/database');
		if (db) {
			assert.equal((await server.put(`${V1}/auth/database`, db)).status, 200, JSON.stringify(db));
			sent++;
		}
	}
	assert.ok(sent >= 3, `${sent} request examples sent`);
});

test('access token responses match the spec of their workflow', async () => {
	const T = `${V1}/tokens`;
	const legacy = { only: ['akamai-apis'] };
	const enhanced = { only: ['apis-test-develop'] };
	const expiry = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);
	const body = (name, extra = {}) => ({ name, allowOnProduction: false, allowOnStaging: true, namespacePermissions: { default: ['r', 'w'] }, ...extra });
	conform('GET', T, await server.get(T));
	conform('POST', T, await server.post(T, body('conf_legacy', { expiry })), legacy);
	conform('GET', T, await server.get(T));
	conform('GET', `${T}/conf_legacy`, await server.get(`${T}/conf_legacy`), legacy);
	conform('POST', T, await server.post(T, body('conf_enh', { restrictToEdgeWorkerIds: ['1234'] })), enhanced);
	conform('GET', T, await server.get(T), enhanced);
	conform('GET', `${T}/conf_enh`, await server.get(`${T}/conf_enh`), enhanced);
	conform('POST', `${T}/conf_enh/refresh`, await server.post(`${T}/conf_enh/refresh`, ''), enhanced);
	conform('POST', T, await server.post(T, body('conf_enh')));
	conform('POST', T, await server.post(T, '{"name":'));
	for (const [method, suffix] of [['GET', ''], ['DELETE', '']]) {
		conform(method, `${T}/nope${suffix}`, await server.request(method, `${T}/nope${suffix}`));
		conform(method, `${T}/-bad${suffix}`, await server.request(method, `${T}/-bad${suffix}`));
	}
	conform('POST', `${T}/nope/refresh`, await server.post(`${T}/nope/refresh`, ''), enhanced);
	conform('DELETE', `${T}/conf_legacy`, await server.del(`${T}/conf_legacy`));
	conform('DELETE', `${T}/conf_enh`, await server.del(`${T}/conf_enh`));
});

test('every checked response was documented by a spec and most were schema-validated', () => {
	assert.ok(tally.validated >= 40, `validated ${tally.validated}`);
	assert.deepEqual(tally.undocumented, [`PUT ${V1}/initialize → 200`, `DELETE ${nsPath('staging', 'conf')} → 200`]);
});
