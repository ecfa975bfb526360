// Stand-in for the EdgeWorkers built-in module `http-request`: httpRequest(url, options)
// sends a real HTTP request with node:http(s) and answers the runtime's HttpResponse shape.
// EdgeKV data-plane requests go to the emulator (lib/routing.mjs). The runtime's limits on
// sub-requests (wall time, response size) apply, and their errors use the runtime's words
// where edgekv.js keys on them ("subrequest to URL ... timed out" makes it retry a GET).
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { ReadableStream } from 'node:stream/web';
import { route } from '../lib/routing.mjs';
import { limits } from '../lib/limits.mjs';

const DATA_PLANE = /^\/api\/v1\/namespaces\/([^/]*)\//;

function optionError(what) {
	return new TypeError(`httpRequest: ${what}`);
}

/** Header values as the runtime takes them: a string or an array of strings. */
function normalizeHeaders(headers) {
	const out = {};
	if (headers === undefined || headers === null) return out;
	if (typeof headers !== 'object') throw optionError('options.headers must be an object');
	for (const [name, value] of Object.entries(headers)) {
		const values = Array.isArray(value) ? value : [value];
		for (const v of values)
			if (typeof v !== 'string') throw optionError(`header '${name}' must be a string or an array of strings`);
		out[name] = values.length === 1 ? values[0] : values;
	}
	return out;
}

function headerValue(headers, name) {
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
	if (key === undefined) return undefined;
	const v = headers[key];
	return Array.isArray(v) ? v.join(',') : v;
}

// A data-plane request without a usable token would only get the emulator's 401: say what to do.
function checkToken(url, headers) {
	const m = DATA_PLANE.exec(url.pathname);
	if (!m) return;
	const jwt = headerValue(headers, 'X-Akamai-EdgeDB-Auth');
	const ref = headerValue(headers, 'X-Akamai-EdgeDB-Auth-Ref');
	const usable = (v) => v !== undefined && v !== '' && v !== 'undefined' && v !== 'null';
	if (usable(jwt) || usable(ref)) return;
	const ns = decodeURIComponent(m[1]);
	throw new Error(
		`no EdgeKV access token for namespace '${ns}' in this request (X-Akamai-EdgeDB-Auth or ` +
			`X-Akamai-EdgeDB-Auth-Ref is missing or empty). Write edgekv_tokens.js next to edgekv.js with: ` +
			`node <kit>/bin/tokens.mjs --namespace ${ns} --out <folder of edgekv.js>`,
	);
}

function validate(url, options) {
	if (typeof url !== 'string') throw optionError('url must be a string');
	let parsed;
	try {
		parsed = new URL(url);
	} catch {
		throw optionError(`'${url}' is not an absolute URL (the kit has no incoming request to resolve a relative one against)`);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw optionError(`unsupported scheme in '${url}'`);
	if (options === null || typeof options !== 'object') throw optionError('options must be an object');
	const { method = 'GET', body, timeout } = options;
	if (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method)) throw optionError('options.method must be an HTTP method name');
	if (body !== undefined && typeof body !== 'string' && !(body instanceof ReadableStream))
		throw optionError('options.body must be a string or a ReadableStream');
	if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0))
		throw optionError('options.timeout must be a positive number of milliseconds');
	return parsed;
}

function connectError(err, target, toEmulator, original) {
	if (toEmulator && ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND'].includes(err.code))
		return new Error(
			`EdgeKV emulator not reachable at ${target.origin} (${err.code}) for ${original}: start it ` +
				`(make run, or startEmulator() in tests) or point EDGEKV_EMULATOR_URL at it`,
		);
	return new Error(`subrequest to URL ${original} failed: ${err.message}`);
}

async function writeBody(req, body) {
	if (body === undefined) return req.end();
	if (typeof body === 'string') return req.end(body);
	const reader = body.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		if (!req.write(typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)))
			await new Promise((res) => req.once('drain', res));
	}
	req.end();
}

/**
 * httpRequest(url, {method, headers, body, timeout}) → Promise<HttpResponse>. The timeout is
 * the smaller of options.timeout and the runtime's sub-request limit; it covers the whole
 * exchange, body included.
 */
export function httpRequest(url, options = {}) {
	let parsed, routed;
	try {
		parsed = validate(url, options);
		routed = route(parsed, normalizeHeaders(options.headers));
		if (routed.toEmulator) checkToken(routed.url, routed.headers);
	} catch (e) {
		return Promise.reject(e);
	}
	const { timeoutMs, maxBytes } = limits();
	const wallMs = Math.min(options.timeout ?? timeoutMs, timeoutMs);
	const target = routed.url;
	const mod = target.protocol === 'https:' ? https : http;
	const tlsOpts = target.protocol === 'https:' && routed.toEmulator && routed.settings.ca ? { ca: readFileSync(routed.settings.ca) } : {};
	const method = (options.method ?? 'GET').toUpperCase();

	return new Promise((resolve, reject) => {
		const req = mod.request(target, { method, headers: routed.headers, ...tlsOpts });
		let settled = false;
		const fail = (err) => {
			if (!settled) {
				settled = true;
				reject(err);
			}
		};
		const timer = setTimeout(() => {
			const err = new Error(`subrequest to URL ${url} timed out after ${wallMs} ms`);
			fail(err);
			req.destroy(err);
		}, wallMs);
		timer.unref();
		req.on('error', (err) => {
			clearTimeout(timer);
			fail(err.message.startsWith('subrequest to URL') ? err : connectError(err, target, routed.toEmulator, url));
		});
		req.on('response', (res) => {
			const declared = Number(res.headers['content-length']);
			if (declared > maxBytes) {
				clearTimeout(timer);
				const err = new Error(`subrequest to URL ${url} failed: response size ${declared} bytes exceeds the limit of ${maxBytes} bytes`);
				fail(err);
				req.destroy(err);
				return;
			}
			settled = true;
			resolve(new HttpResponse(url, res, { timer, maxBytes, req }));
		});
		writeBody(req, options.body).catch((err) => {
			clearTimeout(timer);
			fail(err);
			req.destroy(err);
		});
	});
}

/** The runtime's HttpResponse: status, ok, getHeader, getHeaders, body, text(), json(), arrayBuffer(). */
class HttpResponse {
	#headers;
	#body;
	#used = false;

	constructor(url, res, { timer, maxBytes, req }) {
		this.status = res.statusCode;
		this.ok = res.statusCode >= 200 && res.statusCode <= 299;
		this.#headers = {};
		const raw = res.rawHeaders;
		for (let i = 0; i < raw.length; i += 2) (this.#headers[raw[i].toLowerCase()] ??= []).push(raw[i + 1]);
		this.#body = bodyStream(url, res, { timer, maxBytes, req });
		Object.freeze(this.#headers);
	}

	/** The header's values (an array), or null; the name is case-insensitive. */
	getHeader(name) {
		const v = this.#headers[String(name).toLowerCase()];
		return v ? [...v] : null;
	}

	/** Every header, lower-case names to arrays of values. */
	getHeaders() {
		const out = {};
		for (const [k, v] of Object.entries(this.#headers)) out[k] = [...v];
		return out;
	}

	get body() {
		this.#used = true;
		return this.#body;
	}

	async arrayBuffer() {
		if (this.#used) throw new TypeError('httpRequest: the response body has already been read');
		this.#used = true;
		const chunks = [];
		for await (const c of this.#body) chunks.push(c);
		const all = Buffer.concat(chunks);
		return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
	}

	async text() {
		return new TextDecoder().decode(await this.arrayBuffer());
	}

	async json() {
		return JSON.parse(await this.text());
	}
}

// The body as a web ReadableStream of Uint8Array, erroring past the size limit or the wall time.
function bodyStream(url, res, { timer, maxBytes, req }) {
	let seen = 0;
	return new ReadableStream({
		start(controller) {
			const stop = (err) => {
				clearTimeout(timer);
				controller.error(err);
				req.destroy();
			};
			res.on('data', (chunk) => {
				seen += chunk.length;
				if (seen > maxBytes) return stop(new Error(`subrequest to URL ${url} failed: response size exceeds the limit of ${maxBytes} bytes`));
				controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
				if (controller.desiredSize <= 0) res.pause();
			});
			res.on('end', () => {
				clearTimeout(timer);
				try {
					controller.close();
				} catch {}
			});
			res.on('error', (err) => stop(err));
			req.on('error', (err) => stop(err));
		},
		pull() {
			res.resume();
		},
		cancel() {
			clearTimeout(timer);
			req.destroy();
		},
	},
	// Up to 1 MiB waits in the queue unread, so a body nobody reads (edgekv.js skips a 404's)
	// still ends and frees its timer; beyond that the socket pauses until read.
	{ highWaterMark: 1 << 20, size: (chunk) => chunk.byteLength },
	);
}
