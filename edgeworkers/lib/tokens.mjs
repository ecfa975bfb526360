// The edgekv_tokens.js bundle that edgekv.js imports, for some namespaces: taken from the
// emulator (the newest live token granting each), after creating one token for the
// namespaces no token grants yet. Creation goes through the management API, signed with
// EdgeGrid like the EdgeKV CLI's `create token`.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { management, readEdgerc, send } from './client.mjs';

const KIT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The emulator's default world's credentials, when the kit sits in the emulator's repository. */
export const DEFAULT_EDGERC = resolve(KIT, '../fixtures/default/edgerc');
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,31}$/;
const POLL_MS = 100;

/** Where the bundle goes: a folder gets edgekv_tokens.js, anything else is the file itself. */
export function bundlePath(out) {
	if (out.endsWith('/') || (existsSync(out) && statSync(out).isDirectory())) return join(out, 'edgekv_tokens.js');
	return out;
}

async function missingNamespaces(url, namespaces) {
	const missing = [];
	for (const ns of namespaces) {
		const res = await send(url, 'GET', `/_emulator/tokens/edgekv_tokens.js?namespace=${ns}`);
		if (res.status === 404) missing.push(ns);
		else if (res.status !== 200) throw new Error(`the emulator at ${url} answered ${res.status} for the token bundle: ${res.json?.detail ?? res.body}`);
	}
	return missing;
}

// With a token name: all the namespaces when that token does not exist yet, else none.
async function missingToken(url, opts, name, namespaces) {
	const creds = readEdgerc(opts.edgerc ?? process.env.EDGEKV_EDGERC ?? DEFAULT_EDGERC, opts.section ?? 'default');
	const res = await management(url, creds, 'GET', `/edgekv/v1/tokens/${name}`);
	if (res.status === 404) return namespaces;
	if (res.status !== 200) throw new Error(`reading token '${name}' on the emulator at ${url} failed with ${res.status}: ${res.json?.detail ?? res.body}`);
	return [];
}

function howToCreate(namespaces) {
	return `node <kit>/bin/tokens.mjs --namespace ${namespaces.join(',')} --out <folder of edgekv.js>`;
}

// Enhanced tokens are IN_PROGRESS for the emulator's activation delay (on its clock).
async function waitActive(url, creds, name, waitMs) {
	const deadline = Date.now() + waitMs;
	for (;;) {
		const res = await management(url, creds, 'GET', `/edgekv/v1/tokens/${name}`);
		const status = res.json?.tokenActivationStatus;
		if (res.status === 200 && (status === undefined || status === 'COMPLETE')) return null;
		if (Date.now() >= deadline)
			return (
				`token '${name}' is still ${status ?? `answering ${res.status}`} on the emulator clock, so the data plane ` +
				`answers 401 until it activates: advance the clock (POST /_emulator/clock {"advanceSeconds": N}) ` +
				`or start the emulator with --token-activation-delay 0`
			);
		await new Promise((r) => setTimeout(r, POLL_MS));
	}
}

async function createToken(url, opts, namespaces) {
	const creds = readEdgerc(opts.edgerc ?? process.env.EDGEKV_EDGERC ?? DEFAULT_EDGERC, opts.section ?? 'default');
	const name = opts.tokenName ?? `ewkit_${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
	const network = opts.network ?? process.env.EDGEKV_NETWORK ?? 'staging';
	const body = {
		name,
		allowOnProduction: network === 'production',
		allowOnStaging: network === 'staging',
		restrictToEwids: opts.ewids ?? [process.env.EDGEKV_EDGEWORKER_ID || 'all'],
		expiry: opts.expiry ?? '',
		namespacePermissions: Object.fromEntries(namespaces.map((ns) => [ns, [...(opts.permissions ?? 'rwd')]])),
	};
	const res = await management(url, creds, 'POST', '/edgekv/v1/tokens', body);
	if (res.status !== 200)
		throw new Error(`creating token '${name}' on the emulator at ${url} failed with ${res.status}: ${res.json?.detail ?? res.body}`);
	return { name, warning: await waitActive(url, creds, name, opts.waitMs ?? 15_000) };
}

/**
 * Writes the bundle for `namespaces` to `out` (a folder or a file) and resolves {path, text,
 * created: token name or null, warning}. Options: url (default EDGEKV_EMULATOR_URL or
 * http://127.0.0.1:8080), create (default true), edgerc, section, network, ewids,
 * permissions ("rwd"), expiry (a date makes a legacy JWT token), token (use, or create, the token
 * of that name), waitMs.
 */
export async function writeTokens({ namespaces, out, url = process.env.EDGEKV_EMULATOR_URL ?? 'http://127.0.0.1:8080', create = true, token, ...opts }) {
	if (!namespaces?.length) throw new Error('name at least one namespace (--namespace a,b)');
	for (const ns of namespaces) if (!NAME.test(ns)) throw new Error(`'${ns}' is not a namespace name (1-32 of A-Z a-z 0-9 _ -)`);
	if (token !== undefined && !NAME.test(token)) throw new Error(`'${token}' is not a token name (1-32 of A-Z a-z 0-9 _ -)`);
	const missing = token ? await missingToken(url, opts, token, namespaces) : await missingNamespaces(url, namespaces);
	let created = null;
	let warning = null;
	if (missing.length) {
		if (!create)
			throw new Error(`no live EdgeKV access token ${token ? `named '${token}' ` : ''}grants namespace ${missing.join(', ')} on the emulator at ${url}; make one with: ${howToCreate(missing)}`);
		({ name: created, warning } = await createToken(url, { ...opts, tokenName: token }, missing));
	}
	const only = token ? `&token=${token}` : '';
	const res = await send(url, 'GET', `/_emulator/tokens/edgekv_tokens.js?namespace=${namespaces.join(',')}${only}`);
	if (res.status !== 200)
		throw new Error(`no live EdgeKV access token ${token ? `named '${token}' ` : ''}grants every namespace of ${namespaces.join(',')} on the emulator at ${url}: ${res.json?.detail ?? res.body}`);
	const text = res.body;
	let path = null;
	if (out) {
		path = bundlePath(out);
		mkdirSync(dirname(path), { recursive: true });
		writeFileSync(path, text);
	}
	return { path, text, created, warning };
}
