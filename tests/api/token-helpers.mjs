// Helpers for the access-token, data-plane and notification tests: the control API, the
// emulator clock, token creation as the CLI sends it, JWT checks with the published key, and a
// data-plane client that sends exactly what edgekv.js 0.6.3 sends (docs/clients.md §5).
import assert from 'node:assert/strict';
import { createPublicKey, createVerify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { plainRequest, V1, assertJson } from './helpers.mjs';

export const TOKENS = `${V1}/tokens`;
export const DAY_MS = 86_400_000;

/** An unsigned request to the control API (/_emulator, loopback only). */
export async function control(server, method, path, body) {
	return plainRequest(server.httpUrl + path, {
		method,
		body,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
	});
}

/** Sets (and by default freezes) the emulator clock; returns the new time in ms. */
export async function setClock(server, iso, { freeze = true } = {}) {
	const res = await control(server, 'POST', '/_emulator/clock', { set: iso, freeze });
	assert.equal(res.status, 200, res.body);
	return res.json.nowMs;
}

export async function advanceClock(server, seconds) {
	const res = await control(server, 'POST', '/_emulator/clock', { advanceSeconds: seconds });
	assert.equal(res.status, 200, res.body);
	return res.json.nowMs;
}

export async function tokenSettings(server, settings) {
	const res = await control(server, 'PUT', '/_emulator/tokens/settings', settings);
	assert.equal(res.status, 200, res.body);
	return res.json;
}

/** The body the EdgeKV CLI sends for `create token` (docs/clients.md §3). */
export function cliTokenBody(name, { namespaces = { default: ['r', 'w', 'd'] }, staging = true, production = false, ewids = ['all'], expiry = '' } = {}) {
	return {
		name,
		allowOnProduction: production,
		allowOnStaging: staging,
		restrictToEwids: ewids,
		expiry,
		namespacePermissions: namespaces,
	};
}

/** Creates a token (CLI-shaped request); asserts 200 and returns the token object. */
export async function createToken(server, name, opts = {}) {
	const res = await server.cli('POST', TOKENS, { body: JSON.stringify(cliTokenBody(name, opts)), metric: 'Create/token' });
	assert.equal(res.status, 200, res.body);
	return res.json;
}

/** "2030-01-10" for an epoch-ms instant (UTC). */
export function day(ms) {
	return new Date(ms).toISOString().slice(0, 10);
}

/** The UTC date months calendar months after date (clamped to the month's end). */
export function addMonths(date, months) {
	const [y, m, d] = date.split('-').map(Number);
	const total = y * 12 + (m - 1) + months;
	const ny = Math.floor(total / 12);
	const nm = (total % 12) + 1;
	const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
	return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function b64url(buf) {
	return Buffer.from(buf).toString('base64url');
}

/** Decodes a compact JWT without verifying it. */
export function decodeJwt(jwt) {
	const [h, p, s] = jwt.split('.');
	return {
		header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')),
		claims: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')),
		headerText: Buffer.from(h, 'base64url').toString('utf8'),
		signature: s,
	};
}

/** The emulator's published signing key, from the JWKS, as a node KeyObject. */
export async function publishedKey(server) {
	const res = await control(server, 'GET', '/_emulator/tokens/jwks');
	const jwks = assertJson(res, 200);
	assert.equal(jwks.keys.length, 1);
	const jwk = jwks.keys[0];
	assert.equal(jwk.kty, 'RSA');
	assert.equal(jwk.alg, 'RS256');
	return createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' });
}

/** True when jwt carries a valid RS256 signature by key. */
export function rs256Valid(jwt, key) {
	const [h, p, s] = jwt.split('.');
	return createVerify('RSA-SHA256').update(`${h}.${p}`).verify(key, Buffer.from(s, 'base64url'));
}

/** Imports an edgekv_tokens.js text as edgekv.js would (an ES module); returns its dictionary. */
export async function importTokenFile(text) {
	const dir = mkdtempSync(join(tmpdir(), 'ekv-tokens-'));
	try {
		const file = join(dir, 'edgekv_tokens.mjs'); // edgekv.js imports it as an ES module
		writeFileSync(file, text);
		const mod = await import(pathToFileURL(file).href + `?t=${Date.now()}${Math.random()}`);
		return mod.edgekv_access_tokens;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * The requests of edgekv.js 0.6.3 (edgeworkers-examples edgekv/lib/edgekv.js), run in Node:
 * same URL, query and token headers, PUT body as a string with no Content-Type of its own
 * (fetch adds text/plain;charset=UTF-8), 200 as the only success, 404 as the default value,
 * anything else thrown as {failed, status, body}. `headers` plays the part of token_override
 * plus the emulator's X-EdgeKV-Network / X-EdgeKV-EdgeWorker-Id.
 */
export class EdgeKV {
	constructor({ edgekv_uri, tokens, namespace = 'default', group = 'default', sandboxId, sandbox_fallback = false, headers = {} }) {
		this.uri = edgekv_uri;
		this.tokens = tokens;
		this.namespace = namespace;
		this.group = group;
		this.sandboxId = sandboxId;
		this.sandboxFallback = sandbox_fallback;
		this.extra = headers;
	}

	validate(ns, group, item) {
		if (!/^[A-Za-z0-9_-]{1,32}$/.test(ns)) throw 'Namespace is not valid. Must be 32 characters or less, consisting of A-Z a-z 0-9 _ or -';
		if (!/^[A-Za-z0-9_-]{1,128}$/.test(group)) throw 'Group is not valid. Must be 128 characters or less, consisting of A-Z a-z 0-9 _ or -';
		if (!/^[A-Za-z0-9_-]{1,512}$/.test(item)) throw 'Item is not valid. Must be 512 characters or less, consisting of A-Z a-z 0-9 _ or -';
	}

	tokenHeader(ns) {
		const entry = this.tokens[`namespace-${ns}`];
		if (!entry) throw `MISSING ACCESS TOKEN. No EdgeKV Access Token defined for namespace '${ns}'.`;
		if (entry.reference) return { 'X-Akamai-EdgeDB-Auth-Ref': [entry.reference] };
		if (entry.value) return { 'X-Akamai-EdgeDB-Auth': [entry.value] };
		throw `MISSING ACCESS TOKEN. No EdgeKV Access Token value or reference defined for namespace '${ns}'.`;
	}

	url(ns, group, item) {
		let uri = `${this.uri}/api/v1/namespaces/${ns}/groups/${group}/items/${item}`;
		if (this.sandboxId) {
			uri += `?sandboxId=${this.sandboxId}`;
			if (this.sandboxFallback) uri += '&sandboxFallback=true';
		}
		return uri;
	}

	async send(method, { namespace = this.namespace, group = this.group, item, value, default_value = null }, failed) {
		this.validate(namespace, group, item);
		const headers = {};
		// EdgeWorkers headers are arrays of values; fetch joins them.
		for (const [k, v] of Object.entries({ ...this.tokenHeader(namespace), ...this.extra })) headers[k] = Array.isArray(v) ? v.join(',') : v;
		const res = await fetch(this.url(namespace, group, item), { method, headers, body: value, signal: AbortSignal.timeout(4000) });
		const text = await res.text();
		if (res.status === 200) return text;
		if (res.status === 404) return default_value;
		let body = text;
		try {
			body = JSON.parse(text);
		} catch {}
		throw { failed, status: res.status, body };
	}

	getText(args) {
		return this.send('GET', args, 'GET TEXT FAILED');
	}
	async getJson(args) {
		const text = await this.send('GET', args, 'GET JSON FAILED');
		return typeof text === 'string' ? JSON.parse(text) : text;
	}
	putText(args) {
		return this.send('PUT', args, 'PUT FAILED');
	}
	putJson(args) {
		return this.send('PUT', { ...args, value: JSON.stringify(args.value) }, 'PUT FAILED');
	}
	delete(args) {
		return this.send('DELETE', args, 'DELETE FAILED');
	}
}

/** Runs fn and returns what it threw (fails if it did not throw). */
export async function thrown(fn) {
	try {
		await fn();
	} catch (e) {
		return e;
	}
	assert.fail('expected the call to throw');
}
