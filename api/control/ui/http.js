// Every request the console makes. Control calls are same-origin JSON; state-changing ones
// always carry Content-Type: application/json, which no cross-site form can send.
import { authorization } from './edgegrid.js';

export class ApiError extends Error {
	constructor(status, body, text) {
		const code = body && typeof body === 'object' ? body.errorCode || body.code : undefined;
		const detail = body && typeof body === 'object'
			? body.detail || body.title || JSON.stringify(body) : text;
		super(`${status}${code ? ` ${code}` : ''}: ${detail || 'no body'}`);
		this.status = status;
		this.code = code;
		this.body = body;
	}
}

const listeners = new Set();
export function onReachable(fn) { listeners.add(fn); }
function reachable(ok) { for (const fn of listeners) fn(ok); }

async function send(method, target, { body, headers = {} } = {}) {
	let res;
	try {
		res = await fetch(target, { method, headers, body, cache: 'no-store', credentials: 'same-origin' });
	} catch (e) {
		reachable(false);
		throw new ApiError(0, undefined, 'the emulator does not answer');
	}
	reachable(true);
	const bytes = new Uint8Array(await res.arrayBuffer());
	const text = new TextDecoder().decode(bytes);
	let json;
	try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
	if (!res.ok) throw new ApiError(res.status, json, text);
	return { status: res.status, headers: res.headers, bytes, text, json };
}

function jsonInit(method, body) {
	const headers = { 'X-Emulator-Console': '1' };
	if (method !== 'GET') headers['Content-Type'] = 'application/json';
	return { headers, body: method === 'GET' ? undefined : JSON.stringify(body ?? {}) };
}

// A control call (/_emulator/...): resolves to the parsed JSON (or undefined for 204).
export async function control(method, path, body) {
	return (await send(method, `/_emulator${path}`, jsonInit(method, body))).json;
}

// A management call (/edgekv/v1/...) signed as client. body: an object (sent as JSON), or
// { raw, type } for an item value. Resolves to the whole response.
export async function manage(client, method, path, body) {
	if (!client) throw new ApiError(0, undefined, 'this account has no active API client to act as');
	const target = `/edgekv/v1${path}`;
	const headers = { 'X-Emulator-Console': '1' };
	let payload;
	if (body && body.raw !== undefined) {
		payload = body.raw;
		headers['Content-Type'] = body.type || 'text/plain';
	} else if (body !== undefined) {
		payload = JSON.stringify(body);
		headers['Content-Type'] = 'application/json';
	}
	headers.Authorization = await authorization(client, method, target, payload);
	return send(method, target, { headers, body: payload });
}

export const seg = encodeURIComponent;
