// Responses checked against the official OpenAPI descriptions in ../shared/reference/edgekv-openapi
// (akamai-apis = SPEC23, apis-test-develop = SPEC24). The checks skip only when that folder is absent.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { groupPath, itemPath, namespaceBody, nsPath, OPENAPI_DIR, startServer, V1 } from './helpers.mjs';

const SPECS = ['akamai-apis', 'apis-test-develop'];
const present = SPECS.every((d) => existsSync(join(OPENAPI_DIR, d, 'openapi.json')));
const skip = present ? false : `no OpenAPI reference at ${OPENAPI_DIR}`;

/**
 * OpenAPI 3.0 schema → JSON Schema: `nullable` becomes a null alternative, and `allOf` parts are
 * merged into their parent (Akamai puts `additionalProperties: false` beside an `allOf`, which
 * JSON Schema would read as "no properties at all").
 */
function toJsonSchema(s) {
	if (Array.isArray(s)) return s.map(toJsonSchema);
	if (!s || typeof s !== 'object') return s;
	let out = {};
	for (const [k, v] of Object.entries(s)) {
		if (k === 'example' || k === 'examples' || k.startsWith('x-') || k === 'nullable') continue;
		out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v).map(([p, ps]) => [p, toJsonSchema(ps)])) : toJsonSchema(v);
	}
	if (out.allOf) {
		const parts = out.allOf;
		delete out.allOf;
		for (const part of parts) {
			if (part.properties) out.properties = { ...(out.properties ?? {}), ...part.properties };
			if (part.required) out.required = [...new Set([...(out.required ?? []), ...part.required])];
			for (const [k, v] of Object.entries(part)) if (!['properties', 'required'].includes(k) && !(k in out)) out[k] = v;
		}
	}
	if (s.nullable) out = { anyOf: [out, { type: 'null' }] };
	return out;
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const specs = present ? SPECS.map((d) => ({ name: d, doc: JSON.parse(readFileSync(join(OPENAPI_DIR, d, 'openapi.json'), 'utf8')) })) : [];

/** The spec operation for a request target, or undefined. */
function operation(doc, method, target) {
	const path = target.split('?')[0].slice(V1.length);
	for (const [template, item] of Object.entries(doc.paths)) {
		const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
		if (re.test(path) && item[method.toLowerCase()]) return item[method.toLowerCase()];
	}
	return undefined;
}

const tally = { validated: 0, undocumented: [] };

/**
 * Validates res against every spec that documents its operation and status with a schema for its
 * media type. `undocumentedOk` names the specs that are known not to document this response;
 * `only` limits the check to the specs of one token workflow (legacy: SPEC23, enhanced: SPEC24).
 */
function conform(method, target, res, { undocumentedOk = [], only = SPECS } = {}) {
	let documented = 0;
	for (const { name, doc } of specs.filter((s) => only.includes(s.name))) {
		const op = operation(doc, method, target);
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
		const media = content[mediaType];
		assert.ok(media || undocumentedOk.includes(name), `${name}: ${method} ${target} → ${res.status} declares ${Object.keys(content)}, got ${mediaType}`);
		if (!media?.schema) continue;
		const validate = ajv.compile(toJsonSchema(media.schema));
		const data = mediaType.endsWith('json') ? res.json : res.body;
		assert.ok(validate(data), `${name}: ${method} ${target} → ${res.status}: ${ajv.errorsText(validate.errors)}\n${res.body}`);
		tally.validated++;
	}
	if (!documented) tally.undocumented.push(`${method} ${target} → ${res.status}`);
}

let server;
let uninit;
before(async () => {
	if (skip) return;
	server = await startServer();
	uninit = await startServer({ args: ['--uninitialized'] });
});
after(async () => {
	await server?.close();
	await uninit?.close();
});

test('initialize responses match both specs', { skip }, async () => {
	conform('GET', `${V1}/initialize`, await uninit.get(`${V1}/initialize`));
	conform('PUT', `${V1}/initialize`, await uninit.put(`${V1}/initialize`, { dataAccessPolicy: { restrictDataAccess: true, allowNamespacePolicyOverride: false } }));
	conform('GET', `${V1}/initialize`, await uninit.get(`${V1}/initialize`));
	// A repeated PUT answers 201 too (Akamai's Go client and Postman collection expect it).
	const again = await uninit.put(`${V1}/initialize`);
	assert.equal(again.status, 201);
	conform('PUT', `${V1}/initialize`, again);
	conform('PUT', `${V1}/auth/database`, await server.put(`${V1}/auth/database`, { dataAccessPolicy: { restrictDataAccess: true, allowNamespacePolicyOverride: true } }));
});

test('namespace responses match both specs', { skip }, async () => {
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

test('namespace delete and scheduled-delete responses match the 2024 spec', { skip }, async () => {
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
	// The sync body is documented by the Go client only (behaviour §5.3).
	const sync = await server.del(`${nsPath('staging', 'conf')}?sync=true`);
	assert.equal(sync.status, 200);
	conform('DELETE', nsPath('staging', 'conf'), sync, { undocumentedOk: SPECS });
});

test('group and item responses match both specs', { skip }, async () => {
	const ns = 'default';
	conform('GET', `${nsPath('staging', ns)}/groups`, await server.get(`${nsPath('staging', ns)}/groups`));
	conform('GET', groupPath('staging', ns, 'countries'), await server.get(groupPath('staging', ns, 'countries')));
	const json = '{"currency":"€","flag":"/belgium.png","name":"Belgium"}';
	const put = await server.put(itemPath('staging', ns, 'countries', 'BE'), json);
	conform('PUT', itemPath('staging', ns, 'countries', 'BE'), put);
	const putText = await server.put(itemPath('staging', ns, 'languages', 'BE'), 'Dutch', { headers: { 'Content-Type': 'text/plain' } });
	conform('PUT', itemPath('staging', ns, 'languages', 'BE'), putText);
	// SPEC23 declares the value as application/json, SPEC24 as text/plain: each matches the value written that way.
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

test('request examples from the specs are accepted', { skip }, async () => {
	let sent = 0;
	for (const { doc } of specs) {
		const example = (op) => {
			const media = op?.requestBody?.content?.['application/json'];
			return media?.example ?? Object.values(media?.examples ?? {})[0]?.value;
		};
		const create = example(doc.paths['/networks/{network}/namespaces'].post);
		if (create) {
			const body = { ...create, namespace: `ex_${sent}` };
			const res = await server.post(nsPath('production'), body);
			assert.equal(res.status, 200, `${JSON.stringify(body)} → ${res.body}`);
			sent++;
			const update = example(doc.paths['/networks/{network}/namespaces/{namespaceId}'].put);
			if (update) {
				const upd = { ...update, namespace: body.namespace, groupId: update.groupId === undefined ? undefined : res.json.groupId };
				const res2 = await server.put(nsPath('production', body.namespace), upd);
				assert.equal(res2.status, 200, `${JSON.stringify(upd)} → ${res2.body}`);
				sent++;
			}
		}
		const db = example(doc.paths['/auth/database'].put);
		if (db) {
			assert.equal((await server.put(`${V1}/auth/database`, db)).status, 200, JSON.stringify(db));
			sent++;
		}
	}
	assert.ok(sent >= 3, `${sent} request examples sent`);
});

test('access token responses match the spec of their workflow', { skip }, async () => {
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

test('every checked response was documented by a spec and most were schema-validated', { skip }, () => {
	assert.ok(tally.validated >= 40, `validated ${tally.validated}`);
	assert.deepEqual(tally.undocumented, [`DELETE ${nsPath('staging', 'conf')} → 200`]);
});
