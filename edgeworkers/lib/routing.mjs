// Where a sub-request goes. Requests to the real EdgeKV data-plane host go to the emulator,
// with the network and EdgeWorker id the runtime would have supplied; other hosts go out
// unchanged, or are refused offline. Settings come from the innermost withEmulator() scope,
// else from the environment, read on every request so a test can change them.
import { AsyncLocalStorage } from 'node:async_hooks';

/** The host edgekv.js talks to by default (its `edgekv_uri`). */
export const EDGEKV_HOST = 'edgekv.akamai-edge-svcs.net';
export const DEFAULT_EMULATOR_URL = 'http://127.0.0.1:8080';
const NETWORKS = ['staging', 'production'];

// One store per process even when a test runner loads this file twice (Jest gives each test
// file its own module registry, and the stand-ins and the test may load it separately).
const KEY = Symbol.for('edgekv-emulator.edgeworkers.routing');
globalThis[KEY] ??= new AsyncLocalStorage();
const scope = globalThis[KEY];

/** The routing settings in force: {emulatorUrl, network, edgeworkerId, offline, ca}. */
export function currentSettings() {
	const s = scope.getStore() ?? {};
	const env = process.env;
	const settings = {
		emulatorUrl: s.emulatorUrl ?? env.EDGEKV_EMULATOR_URL ?? DEFAULT_EMULATOR_URL,
		network: s.network ?? env.EDGEKV_NETWORK ?? 'staging',
		edgeworkerId: s.edgeworkerId ?? env.EDGEKV_EDGEWORKER_ID ?? '',
		offline: s.offline ?? env.EDGEKV_OFFLINE === '1',
		ca: s.ca ?? env.EDGEKV_EMULATOR_CA,
	};
	if (!NETWORKS.includes(settings.network))
		throw new Error(`EDGEKV_NETWORK must be staging or production, not '${settings.network}'`);
	return settings;
}

/**
 * Runs fn with these settings (any of emulatorUrl, network, edgeworkerId, offline, ca) for
 * every sub-request it makes, however deep; scopes nest, the innermost wins.
 */
export function withEmulator(settings, fn) {
	return scope.run({ ...(scope.getStore() ?? {}), ...settings }, fn);
}

function sameOrigin(a, b) {
	return a.protocol === b.protocol && a.host === b.host;
}

function hasHeader(headers, name) {
	return Object.keys(headers).some((k) => k.toLowerCase() === name.toLowerCase());
}

/**
 * The sub-request as it goes out: {url, headers, toEmulator}. `url` is a URL, `headers` a new
 * object of the caller's headers plus what the emulator needs. Throws when offline forbids it.
 */
export function route(url, headers) {
	const s = currentSettings();
	const emulator = new URL(s.emulatorUrl);
	const out = { ...headers };
	let target = url;
	let toEmulator = sameOrigin(url, emulator);

	if (url.hostname === EDGEKV_HOST) {
		target = new URL(url.pathname + url.search, emulator);
		toEmulator = true;
	}
	if (!toEmulator) {
		if (s.offline)
			throw new Error(
				`httpRequest to ${url.href} refused: EDGEKV_OFFLINE=1 lets only EdgeKV requests out ` +
					`(to the emulator at ${emulator.origin})`,
			);
		return { url: target, headers: out, toEmulator, settings: s };
	}
	// The real runtime knows which network and EdgeWorker a request runs for; the emulator
	// reads them from these headers. A caller that sets them itself (token_override) wins.
	if (!hasHeader(out, 'X-EdgeKV-Network')) out['X-EdgeKV-Network'] = s.network;
	if (s.edgeworkerId && !hasHeader(out, 'X-EdgeKV-EdgeWorker-Id')) out['X-EdgeKV-EdgeWorker-Id'] = s.edgeworkerId;
	return { url: target, headers: out, toEmulator, settings: s };
}
