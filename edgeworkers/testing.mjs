// Test helpers for node:test and Jest: startEmulator() runs a private emulator for a test
// file, makeRequest() builds the request object an EdgeWorker event handler receives, and
// readBody() reads what it responded.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ReadableStream } from 'node:stream/web';
import { control, readEdgerc } from './lib/client.mjs';
import { withEmulator } from './lib/routing.mjs';
import { findBinary, seedClient, seedDir, spawnEmulator, stopEmulator, tempDir } from './lib/spawn.mjs';
import { DEFAULT_EDGERC, writeTokens } from './lib/tokens.mjs';
import { createResponse } from './builtins/create-response.mjs';

export { withEmulator } from './lib/routing.mjs';
export { writeTokens } from './lib/tokens.mjs';

function edgercText(creds, emu) {
	if (!creds) return '';
	const section = (name, host) =>
		`[${name}]\nclient_secret = ${creds.client_secret}\nhost = ${host}\naccess_token = ${creds.access_token}\nclient_token = ${creds.client_token}\n`;
	const parts = [];
	if (emu.httpsUrl) parts.push(section('default', new URL(emu.httpsUrl).host));
	// The '#https://x' keeps akamai-edgegrid on plain http (it prefixes https:// otherwise).
	if (emu.httpUrl) parts.push(section('http', `${emu.httpUrl}#https://x`));
	return parts.join('\n');
}

/**
 * Starts a private emulator: free ports, a throw-away database. Options:
 *  - seed: a fixture folder (--seed) or a fixture document (written out for --seed);
 *  - authMode: 'strict' (default), 'soft' or 'off' (EdgeGrid checks of the management API);
 *  - clock: an RFC 3339 time to set and freeze the clock at, or {set, freeze} as the control API takes;
 *  - network ('staging'), edgeworkerId: what run() routes data-plane requests with;
 *  - tokenActivationDelay (default 0 s): how long new enhanced tokens stay IN_PROGRESS;
 *  - bin, args: the binary (default EDGEKV_EMULATOR_BIN, the repository's build, or PATH) and extra flags.
 * Resolves the handle described in README.md; call stop() when done.
 */
export async function startEmulator({ seed, authMode, clock, network = 'staging', edgeworkerId, tokenActivationDelay = 0, bin, args = [] } = {}) {
	const binary = findBinary(bin);
	const dir = tempDir();
	const seedFolder = seedDir(seed, dir);
	const argv = ['--db', join(dir, 'edgekv.db'), '--http-port', '0', '--https-port', '0', '--no-access-log'];
	if (seedFolder) argv.push('--seed', seedFolder);
	if (authMode) argv.push('--auth', authMode);
	argv.push('--token-activation-delay', String(tokenActivationDelay), ...args);
	const child = await spawnEmulator(binary, argv, dir);
	const url = child.httpUrl;
	// The default world's client is in the repository's fixtures; a kit used elsewhere has none.
	const credentials = seedClient(seedFolder) ?? (existsSync(DEFAULT_EDGERC) ? readEdgerc(DEFAULT_EDGERC, 'default') : null);
	const edgerc = edgercText(credentials, child);
	const edgercPath = join(dir, 'edgerc');
	writeFileSync(edgercPath, edgerc);
	const routing = { emulatorUrl: url, network, ...(edgeworkerId ? { edgeworkerId: String(edgeworkerId) } : {}) };
	const call = (method, path, body, expect) => control(url, method, path, body, expect);
	const copies = [];
	let stopped = false;
	const tokens = (opts) => writeTokens({ url, edgerc: edgercPath, section: 'http', network, ...(edgeworkerId ? { ewids: [String(edgeworkerId)] } : {}), ...opts });

	const emu = {
		url,
		httpsUrl: child.httpsUrl,
		certPath: child.certPath,
		credentials,
		edgerc,
		edgercPath,
		/** What a child process needs to route to this emulator. */
		env: { EDGEKV_EMULATOR_URL: url, EDGEKV_NETWORK: network, ...(edgeworkerId ? { EDGEKV_EDGEWORKER_ID: String(edgeworkerId) } : {}) },
		/** Runs fn with every EdgeKV sub-request it makes routed to this emulator. */
		run: (fn, overrides = {}) => withEmulator({ ...routing, ...overrides }, fn),
		...controlHelpers(call),
		/** Writes edgekv_tokens.js for namespaces (creating a token if none grants them); see lib/tokens.mjs. */
		tokens,
		/**
		 * Copies an EdgeWorker bundle folder (with its edgekv.js) to a temporary folder, writes
		 * this emulator's edgekv_tokens.js there (your own file is never touched), and imports
		 * its main.js (or opts.main). opts: namespaces (required) and the options of tokens().
		 */
		async bundle(folder, { main = 'main.js', ...opts } = {}) {
			const copy = copyBundle(folder);
			copies.push(copy);
			await tokens({ ...opts, out: copy });
			return import(pathToFileURL(join(copy, main)).href);
		},
		async stop() {
			if (stopped) return;
			stopped = true;
			for (const c of copies) rmSync(c, { recursive: true, force: true });
			await stopEmulator(child, dir);
		},
	};
	try {
		if (clock !== undefined) await call('POST', '/_emulator/clock', typeof clock === 'string' ? { set: clock, freeze: true } : clock);
	} catch (e) {
		await emu.stop().catch(() => {});
		throw e;
	}
	return emu;
}

// A copy of an EdgeWorker folder whose package.json says "type": "module", so that every
// runner (Node, Jest) loads its .js files as the ES modules EdgeWorkers code is.
function copyBundle(folder) {
	const src = resolve(folder);
	if (!existsSync(join(src, 'main.js')) && !existsSync(join(src, 'bundle.json')))
		throw new Error(`${src} is not an EdgeWorker bundle folder (no main.js or bundle.json)`);
	const copy = mkdtempSync(join(tmpdir(), `ekv-bundle-${basename(src)}-`));
	cpSync(src, copy, { recursive: true, filter: (p) => !/[/\\](node_modules|\.git)$/.test(p) });
	const pkgPath = join(copy, 'package.json');
	const pkg = existsSync(pkgPath) ? JSON.parse(readFileSync(pkgPath, 'utf8')) : {};
	writeFileSync(pkgPath, JSON.stringify({ ...pkg, type: 'module' }));
	return copy;
}

/** The control API calls a test needs most, over `call(method, path, body, expect)`. */
function controlHelpers(call) {
	return {
		/** A control API call: resolves the JSON answer; rejects unless the status is `expect` (200). */
		control: call,
		now: async () => (await call('GET', '/_emulator/clock')).now,
		setClock: (iso, { freeze = true } = {}) => call('POST', '/_emulator/clock', { set: iso, freeze }),
		advanceClock: (seconds) => call('POST', '/_emulator/clock', { advanceSeconds: seconds }),
		freezeClock: (freeze = true) => call('POST', '/_emulator/clock', { freeze }),
		settle: () => call('POST', '/_emulator/settle', {}),
		reset: (body = {}) => call('POST', '/_emulator/reset', body),
		/** Adds a fault rule (docs/control-api.md "Faults"); resolves it with its id. */
		addFault: (rule) => call('POST', '/_emulator/faults', rule, 201),
		clearFaults: () => call('DELETE', '/_emulator/faults', undefined, 204),
		settings: (settings) => call('PUT', '/_emulator/settings', settings),
	};
}

function headerMap(headers = {}) {
	const out = {};
	for (const [k, v] of Object.entries(headers)) (out[k.toLowerCase()] ??= []).push(...(Array.isArray(v) ? v : [v]));
	return out;
}

/**
 * The request object EdgeWorkers hands an event handler (EW.IngressClientRequest and
 * friends), for tests: url, method, headers, body (for responseProvider), sandboxId,
 * variables (PMUSER_*). respondWith() and route() record into `request.responded` and
 * `request.routed`.
 */
export function makeRequest({ url = 'https://www.example.com/', method = 'GET', headers = {}, body, sandboxId, variables = {}, clientIp = '192.0.2.1' } = {}) {
	const u = new URL(url);
	const h = headerMap(headers);
	const vars = { ...variables };
	const bytes = body === undefined ? new Uint8Array() : new TextEncoder().encode(body);
	let bodyUsed = false;
	const req = {
		scheme: u.protocol.slice(0, -1),
		host: u.host,
		path: u.pathname,
		query: u.search.slice(1),
		url: u.pathname + u.search,
		method: method.toUpperCase(),
		clientIp,
		cpCode: 0,
		sandboxId,
		responded: null,
		routed: null,
		getHeader: (name) => (h[name.toLowerCase()] ? [...h[name.toLowerCase()]] : null),
		getHeaders: () => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, [...v]])),
		setHeader: (name, value) => void (h[name.toLowerCase()] = Array.isArray(value) ? [...value] : [value]),
		addHeader: (name, value) => void (h[name.toLowerCase()] ??= []).push(...(Array.isArray(value) ? value : [value])),
		removeHeader: (name) => void delete h[name.toLowerCase()],
		getVariable: (name) => vars[name],
		setVariable: (name, value) => {
			if (!name.startsWith('PMUSER_')) throw new Error(`variable names must start with PMUSER_: ${name}`);
			vars[name] = value;
		},
		respondWith: (status, headers, body, denyReason) => void (req.responded = createResponse(status, headers, body, denyReason)),
		route: (destination) => void (req.routed = destination),
		get body() {
			bodyUsed = true;
			return new ReadableStream({ start: (c) => (bytes.length && c.enqueue(bytes), c.close()) });
		},
		async text() {
			if (bodyUsed) throw new TypeError('the request body has already been read');
			bodyUsed = true;
			return new TextDecoder().decode(bytes);
		},
		async json() {
			return JSON.parse(await req.text());
		},
	};
	return req;
}

/** The body of a createResponse() result or a respondWith() record, as text. */
export async function readBody(response) {
	const body = response?.body;
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	let out = '';
	const decoder = new TextDecoder();
	for await (const chunk of body) out += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
	return out + decoder.decode();
}
