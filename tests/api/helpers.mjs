// Black-box harness: starts the emulator binary on free loopback ports with a temporary
// database, and talks to it the way real clients do (requests signed by npm akamai-edgegrid).
// Every wait is bounded.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID, createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
const EdgeGrid = require('akamai-edgegrid');
// The package exports only its entry point; its edgerc parser and signing primitives are loaded by path.
const EG_SRC = dirname(require.resolve('akamai-edgegrid'));
const edgerc = require(join(EG_SRC, 'src/edgerc.js'));
const eghelpers = require(join(EG_SRC, 'src/helpers.js'));

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '../..');
export const BIN = process.env.EKV_BIN
	? resolve(process.env.EKV_BIN)
	: join(REPO_ROOT, 'build/release/edgekv-emulator');
export const EDGERC = join(REPO_ROOT, 'fixtures/default/edgerc');

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 10_000;

/** Credentials of the default fixture ([http] section: the '#https://x' trick of docs/clients.md §1.2). */
export const CREDS = edgerc(EDGERC, 'http');

/** The base URL the library signs for: keeps http:// for plain HTTP (docs/clients.md §1.2). */
function edgegridHost(baseUrl) {
	return baseUrl.startsWith('https://') ? baseUrl : `${baseUrl}#https://x`;
}

function withTimeout(promise, ms, what) {
	let timer;
	const timeout = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function childEnv() {
	const env = {};
	for (const [k, v] of Object.entries(process.env))
		if (!k.startsWith('EDGEKV_')) env[k] = v;
	return env;
}

function tryJson(text) {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

function toBuffer(body) {
	if (body === undefined || body === null) return undefined;
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof Uint8Array) return Buffer.from(body);
	if (typeof body === 'string') return Buffer.from(body, 'utf8');
	return Buffer.from(JSON.stringify(body), 'utf8');
}

function lowerHeaders(headers) {
	const out = {};
	for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
	return out;
}

/** A response as the tests see it. */
function makeResponse(status, headers, bytes) {
	const body = bytes.toString('utf8');
	return { status, headers, bytes, body, json: tryJson(body) };
}

/**
 * Starts the emulator. `args` are extra flags; `db` reuses a database path (default: a new
 * temporary directory). Resolves once stdout printed `ready`.
 */
export async function startServer({ args = [], db, dir } = {}) {
	const workDir = dir ?? (db ? dirname(db) : mkdtempSync(join(tmpdir(), 'ekv-api-')));
	const dbPath = db ?? join(workDir, 'edgekv.db');
	const server = new Server(workDir, dbPath, args);
	await server.start();
	return server;
}

export class Server {
	constructor(dir, dbPath, args) {
		this.dir = dir;
		this.dbPath = dbPath;
		this.args = args;
		this.proc = null;
		this.stderrTail = '';
		this.stdout = '';
	}

	async start(args = this.args) {
		this.args = args;
		this.stdout = '';
		this.httpUrl = this.httpsUrl = this.certPath = undefined;
		const argv = ['--db', this.dbPath, '--http-port', '0', '--https-port', '0', ...args];
		const proc = spawn(BIN, argv, { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
		this.proc = proc;
		this.exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal })));
		proc.stderr.setEncoding('utf8');
		proc.stderr.on('data', (d) => {
			this.stderrTail = (this.stderrTail + d).slice(-16384);
		});
		proc.stdout.setEncoding('utf8');
		const ready = new Promise((res, rej) => {
			proc.stdout.on('data', (d) => {
				this.stdout += d;
				if (/^ready$/m.test(this.stdout)) res();
			});
			proc.on('error', rej);
			this.exited.then(({ code, signal }) =>
				rej(new Error(`emulator exited before ready (code ${code}, signal ${signal}):\n${this.stderrTail}`)),
			);
		});
		try {
			await withTimeout(ready, START_TIMEOUT_MS, `${BIN} printing ready`);
		} catch (e) {
			proc.kill('SIGKILL');
			throw e;
		}
		for (const line of this.stdout.split('\n')) {
			let m;
			if ((m = /^listening (http:\/\/\S+)$/.exec(line))) this.httpUrl = m[1];
			else if ((m = /^listening (https:\/\/\S+)$/.exec(line))) this.httpsUrl = m[1];
			else if ((m = /^tls certificate (.+)$/.exec(line)) && existsSync(m[1])) this.certPath = m[1];
		}
		this.agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
		this.tlsAgent = this.certPath
			? new https.Agent({ keepAlive: true, maxSockets: 4, ca: readFileSync(this.certPath) })
			: undefined;
		this.eg = this.httpUrl ? new EdgeGrid(CREDS.client_token, CREDS.client_secret, CREDS.access_token, edgegridHost(this.httpUrl)) : undefined;
		this.egTls = this.httpsUrl ? new EdgeGrid(CREDS.client_token, CREDS.client_secret, CREDS.access_token, this.httpsUrl) : undefined;
		return this;
	}

	get alive() {
		return this.proc !== null && this.proc.exitCode === null && this.proc.signalCode === null;
	}

	/** SIGTERM, then requires exit code 0 (a LeakSanitizer report under `make check` fails it). */
	async stop() {
		if (!this.proc) return;
		this.agent?.destroy();
		this.tlsAgent?.destroy();
		const proc = this.proc;
		this.proc = null;
		if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
		let result;
		try {
			result = await withTimeout(this.exited, STOP_TIMEOUT_MS, 'emulator exit after SIGTERM');
		} catch (e) {
			proc.kill('SIGKILL');
			throw new Error(`${e.message}\n${this.stderrTail}`);
		}
		assert.equal(result.signal, null, `emulator died of ${result.signal}:\n${this.stderrTail}`);
		assert.equal(result.code, 0, `emulator exit code ${result.code} after SIGTERM:\n${this.stderrTail}`);
	}

	/** Stops (exit 0 required) and starts again on the same database. */
	async restart(args = this.args) {
		await this.stop();
		return this.start(args);
	}

	/** Stops the server and removes its temporary directory. */
	async close() {
		try {
			await this.stop();
		} finally {
			rmSync(this.dir, { recursive: true, force: true });
		}
	}

	/**
	 * A request signed by akamai-edgegrid, like the EdgeKV CLI's. `path` is the request target
	 * (path and query). Options: body (string, Buffer or object → JSON), headers, tls (use HTTPS).
	 * Resolves {status, headers, bytes, body, json}.
	 */
	async request(method, path, { body, headers = {}, tls: useTls = false } = {}) {
		const eg = useTls ? this.egTls : this.eg;
		assert.ok(eg, `no ${useTls ? 'https' : 'http'} listener`);
		const bytes = toBuffer(body);
		const req = { path, method, headers: { ...headers } };
		// The library JSON-encodes objects and only hashes POST bodies: give it text to hash.
		if (bytes && method === 'POST') req.body = bytes.toString('utf8');
		eg.auth(req);
		const signed = eg.request;
		const outHeaders = { ...signed.headers };
		if (bytes) outHeaders['Content-Length'] = String(bytes.length);
		return sendNode(signed.url, method, outHeaders, bytes, useTls ? this.tlsAgent : this.agent);
	}

	get(path, opts) {
		return this.request('GET', path, opts);
	}
	put(path, body, opts = {}) {
		return this.request('PUT', path, { ...opts, body });
	}
	post(path, body, opts = {}) {
		return this.request('POST', path, { ...opts, body });
	}
	del(path, opts) {
		return this.request('DELETE', path, opts);
	}

	/**
	 * A request shaped like the EdgeKV CLI's (docs/clients.md §2): GET and DELETE carry the body `""`
	 * with Content-Type application/json; PUT/POST without a body send Content-Length 0.
	 */
	cli(method, path, { body, headers = {}, metric = 'Show/ns' } = {}) {
		let sendBody = body;
		if (sendBody === undefined) sendBody = method === 'GET' || method === 'DELETE' ? '""' : '';
		return this.request(method, path, {
			body: sendBody,
			headers: {
				'Content-Type': 'application/json',
				'X-AK-EDGEKV-CLI-VER': '1.16.0',
				'X-AK-EDGEKV-CLI': metric,
				'User-Agent': 'axios/1.18.1',
				...headers,
			},
		});
	}

	/**
	 * Sends exact bytes on a new connection and parses the first response. `request` is a Buffer
	 * or string (sent as is), or {method, target, headers, body, sign} to build one; built requests
	 * are signed over the raw target (EG1 via akamai-edgegrid's primitives) unless sign is false,
	 * and carry Host, Content-Length (when a body is given) and Connection: close.
	 */
	raw(request, { tls: useTls = false, timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
		const base = new URL(useTls ? this.httpsUrl : this.httpUrl);
		let bytes;
		if (Buffer.isBuffer(request) || typeof request === 'string') {
			bytes = Buffer.isBuffer(request) ? request : Buffer.from(request, 'latin1');
		} else {
			const { method = 'GET', target, headers = {}, sign = true } = request;
			const body = toBuffer(request.body);
			const lines = [`${method} ${target} HTTP/1.1`, `Host: ${base.host}`];
			const names = Object.keys(headers).map((h) => h.toLowerCase());
			if (sign && !names.includes('authorization'))
				lines.push(`Authorization: ${signRaw(method, base.protocol.slice(0, -1), base.host, target, body)}`);
			for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
			if (body && !names.includes('content-length') && !names.includes('transfer-encoding'))
				lines.push(`Content-Length: ${body.length}`);
			if (!names.includes('connection')) lines.push('Connection: close');
			bytes = Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), body ?? Buffer.alloc(0)]);
		}
		const port = Number(base.port);
		return withTimeout(
			new Promise((res, rej) => {
				const sock = useTls
					? tls.connect({ host: '127.0.0.1', port, ca: readFileSync(this.certPath), servername: 'localhost' })
					: net.connect({ host: '127.0.0.1', port });
				const chunks = [];
				sock.on(useTls ? 'secureConnect' : 'connect', () => sock.end(bytes));
				sock.on('data', (d) => chunks.push(d));
				sock.on('error', (e) => (chunks.length ? res(parseRawResponse(Buffer.concat(chunks))) : rej(e)));
				sock.on('close', () => res(parseRawResponse(Buffer.concat(chunks))));
				sock.setTimeout(timeoutMs, () => sock.destroy());
			}),
			timeoutMs + 1000,
			'raw request',
		);
	}
}

/** EG1-HMAC-SHA256 over an exact request target, with the library's own signing primitives. */
export function signRaw(method, scheme, host, target, body) {
	const timestamp = eghelpers.createTimestamp();
	const authHeader =
		`EG1-HMAC-SHA256 client_token=${CREDS.client_token};access_token=${CREDS.access_token};` +
		`timestamp=${timestamp};nonce=${randomUUID()};`;
	let hash = '';
	if (method === 'POST' && body && body.length)
		hash = createHash('sha256').update(body.subarray(0, eghelpers.MAX_BODY)).digest('base64');
	// The bytes raw() puts on the wire: the request line goes out as latin1.
	const data = Buffer.from([method, scheme, host, target, '', hash, authHeader].join('\t'), 'latin1');
	return authHeader + 'signature=' + eghelpers.base64HmacSha256(data, eghelpers.signingKey(timestamp, CREDS.client_secret));
}

/** Parses the first HTTP/1.1 response in buf (Content-Length, chunked, or read-to-close). */
export function parseRawResponse(buf) {
	const end = buf.indexOf('\r\n\r\n');
	if (end < 0) return { status: 0, headers: {}, bytes: buf, body: buf.toString('latin1'), json: undefined, closedEarly: true };
	const head = buf.subarray(0, end).toString('latin1').split('\r\n');
	const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0]);
	const headers = {};
	for (const line of head.slice(1)) {
		const i = line.indexOf(':');
		const k = line.slice(0, i).trim().toLowerCase();
		const v = line.slice(i + 1).trim();
		headers[k] = k in headers ? `${headers[k]}, ${v}` : v;
	}
	let rest = buf.subarray(end + 4);
	let bytes;
	if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
		const parts = [];
		for (;;) {
			const le = rest.indexOf('\r\n');
			const size = parseInt(rest.subarray(0, le).toString('latin1'), 16);
			if (!size) break;
			parts.push(rest.subarray(le + 2, le + 2 + size));
			rest = rest.subarray(le + 2 + size + 2);
		}
		bytes = Buffer.concat(parts);
	} else if (headers['content-length'] !== undefined) {
		bytes = rest.subarray(0, Number(headers['content-length']));
	} else {
		bytes = rest;
	}
	return { ...makeResponse(m ? Number(m[1]) : 0, headers, bytes), raw: buf };
}

function sendNode(url, method, headers, body, agent) {
	const u = new URL(url);
	const mod = u.protocol === 'https:' ? https : http;
	return withTimeout(
		new Promise((res, rej) => {
			const req = mod.request(u, { method, headers, agent }, (resp) => {
				const chunks = [];
				resp.on('data', (d) => chunks.push(d));
				resp.on('end', () => res(makeResponse(resp.statusCode, lowerHeaders(resp.headers), Buffer.concat(chunks))));
				resp.on('error', rej);
			});
			req.on('error', rej);
			req.end(body);
		}),
		REQUEST_TIMEOUT_MS,
		`${method} ${url}`,
	);
}

/** A plain unsigned node:http(s) request (for HTTPS checks with the printed certificate). */
export function plainRequest(url, { method = 'GET', headers = {}, body, ca } = {}) {
	const u = new URL(url);
	const mod = u.protocol === 'https:' ? https : http;
	const bytes = toBuffer(body);
	return withTimeout(
		new Promise((res, rej) => {
			const req = mod.request(u, { method, headers, ca, agent: false }, (resp) => {
				const chunks = [];
				resp.on('data', (d) => chunks.push(d));
				resp.on('end', () => res(makeResponse(resp.statusCode, lowerHeaders(resp.headers), Buffer.concat(chunks))));
			});
			req.on('error', rej);
			req.end(bytes);
		}),
		REQUEST_TIMEOUT_MS,
		`${method} ${url}`,
	);
}

// ---------------------------------------------------------------------------------------------
// Schemas

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
for (const f of readdirSync(join(HERE, 'schemas')).filter((n) => n.endsWith('.json')))
	ajv.addSchema(JSON.parse(readFileSync(join(HERE, 'schemas', f), 'utf8')), f.replace(/\.json$/, ''));

/** Asserts that data matches tests/api/schemas/<name>.json. */
export function assertSchema(name, data) {
	const validate = ajv.getSchema(name);
	assert.ok(validate, `no schema ${name}`);
	assert.ok(validate(data), `${name}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(data)}`);
}

// ---------------------------------------------------------------------------------------------
// Common assertions

export const TITLES = {
	400: 'Bad Request',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	409: 'Conflict',
	413: 'Payload Too Large',
	414: 'URI Too Long',
	422: 'Unprocessable Entity',
	500: 'Internal Server Error',
};

export const TYPES = {
	400: 'bad-request',
	403: 'forbidden',
	404: 'not-found',
	409: 'conflict',
	413: 'payload-too-large',
	422: 'unprocessable-entity',
	500: 'internal-server-error',
};

/** Asserts X-Trace-Id is present (16 lowercase hex) and returns it. */
export function assertTraceId(res) {
	const id = res.headers['x-trace-id'];
	assert.match(id ?? '', /^[0-9a-f]{16}$/, `X-Trace-Id header: ${id}`);
	return id;
}

/**
 * Asserts res is an EdgeKV problem document: status, Content-Type application/problem+json, the
 * error schema, title and type for the status, the errorCode and the exact detail, and
 * additionalDetail.requestId equal to the X-Trace-Id header.
 */
export function assertProblem(res, status, errorCode, detail) {
	assert.equal(res.status, status, `status (body ${res.body})`);
	assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json\b/, 'Content-Type');
	assert.ok(res.json, `problem body is JSON: ${res.body}`);
	assertSchema('error', res.json);
	assert.equal(res.json.status, status, 'body status');
	if (TITLES[status]) assert.equal(res.json.title, TITLES[status], 'title');
	if (TYPES[status]) assert.equal(res.json.type, `/edgekv/error-types/edgekv-${TYPES[status]}`, 'type');
	assert.match(res.json.instance, /^\/edgekv\/error-instances\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	assert.equal(res.json.errorCode, errorCode, `errorCode (detail ${res.json.detail})`);
	if (detail instanceof RegExp) assert.match(res.json.detail, detail);
	else if (detail !== undefined) assert.equal(res.json.detail, detail);
	const trace = assertTraceId(res);
	assert.equal(res.json.additionalDetail.requestId, trace, 'requestId equals X-Trace-Id');
	if (res.headers['content-length'] !== undefined) assert.equal(Number(res.headers['content-length']), res.bytes.length);
}

export const GATEWAY_TITLES = { 400: 'Bad request', 401: 'Not authorized', 403: 'Forbidden', 504: 'Gateway Timeout' };

/**
 * Asserts res is the API gateway's problem document (written before EdgeKV runs): status,
 * Content-Type application/problem+json, the gateway-error schema, title for the status, the
 * exact detail, type https://problems.luna.akamaiapis.net/-/<kind>, and requestId equal to the
 * X-Trace-Id header.
 */
export function assertGateway(res, status, detail, kind) {
	assert.equal(res.status, status, res.body);
	assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/);
	assertSchema('gateway-error', res.json);
	assert.equal(res.json.status, status);
	assert.equal(res.json.title, GATEWAY_TITLES[status], 'title');
	assert.equal(res.json.detail, detail);
	assert.equal(res.json.type, `https://problems.luna.akamaiapis.net/-/${kind}`);
	assert.equal(res.json.requestId, assertTraceId(res));
}

/** Asserts a JSON success: status, Content-Type application/json, X-Trace-Id, and schema. */
export function assertJson(res, status, schema) {
	assert.equal(res.status, status, `status (body ${res.body})`);
	assert.match(res.headers['content-type'] ?? '', /^application\/json\b/, 'Content-Type');
	assertTraceId(res);
	assert.ok(res.json !== undefined, `JSON body: ${res.body}`);
	if (schema) assertSchema(schema, res.json);
	return res.json;
}

// ---------------------------------------------------------------------------------------------
// Paths

export const V1 = '/edgekv/v1';
export const nsPath = (network, ns = '') => `${V1}/networks/${network}/namespaces${ns ? `/${ns}` : ''}`;
export const groupPath = (network, ns, group) => `${nsPath(network, ns)}/groups/${group}`;
export const itemPath = (network, ns, group, key) => `${groupPath(network, ns, group)}/items/${key}`;

/** A namespace name unique within the run (≤ 32 chars, [A-Za-z0-9_]). */
let nameCounter = 0;
export function uniqueName(prefix = 'ns') {
	nameCounter += 1;
	return `${prefix}_${process.pid.toString(36)}_${nameCounter}`.slice(0, 32);
}

/** A namespace body as the Go client sends it. */
export function namespaceBody(name, extra = {}) {
	return { namespace: name, retentionInSeconds: 86400, groupId: 0, ...extra };
}
