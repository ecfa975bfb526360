// A small HTTP client for the emulator's control and management APIs (the kit's own calls,
// not the EdgeWorker's): JSON in and out, bounded waits, and a clear message when nothing
// answers at the URL.
import http from 'node:http';
import https from 'node:https';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

const TIMEOUT_MS = 10_000;

/** The error for an emulator that does not answer. */
export function notRunning(baseUrl, cause) {
	return new Error(
		`no EdgeKV emulator answers at ${baseUrl} (${cause}): start one (make run, or edgekv-emulator ` +
			`--http-port 8080) or point EDGEKV_EMULATOR_URL (or --url) at it`,
	);
}

/**
 * Sends one request; resolves {status, headers, body, json}. `body` (string or object → JSON),
 * `headers`, `ca` (a PEM path for https).
 */
export function send(baseUrl, method, path, { body, headers = {}, ca } = {}) {
	const url = new URL(path, baseUrl);
	const mod = url.protocol === 'https:' ? https : http;
	const bytes = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
	const h = { ...headers };
	if (bytes) {
		h['Content-Length'] = String(bytes.length);
		if (typeof body !== 'string' && !h['Content-Type']) h['Content-Type'] = 'application/json';
	}
	return new Promise((resolve, reject) => {
		const req = mod.request(url, { method, headers: h, ...(ca ? { ca: readFileSync(ca) } : {}) }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('error', reject);
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json;
				try {
					json = JSON.parse(text);
				} catch {}
				resolve({ status: res.statusCode, headers: res.headers, body: text, json });
			});
		});
		req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
		req.on('error', (err) =>
			reject(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH'].includes(err.code) || /no answer/.test(err.message) ? notRunning(url.origin, err.code ?? err.message) : err),
		);
		req.end(bytes);
	});
}

/** A control API call that must answer `expect`; resolves the parsed JSON (or the text). */
export async function control(baseUrl, method, path, body, expect = 200) {
	const res = await send(baseUrl, method, path, { body });
	if (res.status !== expect)
		throw new Error(`${method} ${path} on the emulator at ${baseUrl} answered ${res.status}: ${res.json?.detail ?? res.body}`);
	return res.json ?? res.body;
}

/** Reads one section of an .edgerc file (the keys the EdgeGrid libraries read). */
export function readEdgerc(path, section = 'default') {
	const text = readFileSync(path, 'utf8');
	let current = null;
	const out = {};
	for (const raw of text.split('\n')) {
		const line = raw.trim();
		if (!line || line.startsWith(';') || line.startsWith('#')) continue;
		const m = /^\[(.*)\]$/.exec(line);
		if (m) {
			current = m[1].trim();
			continue;
		}
		const eq = line.indexOf('=');
		if (current === section && eq > 0) out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
	}
	for (const k of ['client_token', 'client_secret', 'access_token'])
		if (!out[k]) throw new Error(`${path}: section [${section}] has no ${k}`);
	return out;
}

function timestamp(d = new Date()) {
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}+0000`;
}

/** The EG1-HMAC-SHA256 Authorization header for a request to `url` (EdgeKV signs no headers). */
export function edgegridAuth(creds, method, url, body) {
	const u = new URL(url);
	const ts = timestamp();
	const unsigned = `EG1-HMAC-SHA256 client_token=${creds.client_token};access_token=${creds.access_token};timestamp=${ts};nonce=${randomUUID()};`;
	const hash = method === 'POST' && body ? createHash('sha256').update(Buffer.from(body).subarray(0, 131072)).digest('base64') : '';
	const data = [method, u.protocol.slice(0, -1), u.host, u.pathname + u.search, '', hash, unsigned].join('\t');
	const key = createHmac('sha256', creds.client_secret).update(ts).digest('base64');
	return unsigned + 'signature=' + createHmac('sha256', key).update(data).digest('base64');
}

/** A management API call signed with `creds`; resolves {status, headers, body, json}. */
export function management(baseUrl, creds, method, path, body) {
	const text = body === undefined ? undefined : JSON.stringify(body);
	const url = new URL(path, baseUrl).href;
	const headers = { Authorization: edgegridAuth(creds, method, url, text), Accept: 'application/json' };
	if (text !== undefined) headers['Content-Type'] = 'application/json';
	return send(baseUrl, method, path, { body: text, headers });
}
