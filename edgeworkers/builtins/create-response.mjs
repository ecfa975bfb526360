// Stand-in for the EdgeWorkers built-in module `create-response`: createResponse(status,
// headers, body, denyReason) or createResponse(body, {status, headers, denyReason}). The
// runtime's result is opaque; this one is a frozen {status, headers, body, denyReason} with
// lower-case header names and arrays of values, so that tests can look at it.
import { ReadableStream } from 'node:stream/web';

function normalizeHeaders(headers = {}) {
	if (headers === null || typeof headers !== 'object') throw new TypeError('createResponse: headers must be an object');
	const out = {};
	for (const [name, value] of Object.entries(headers)) {
		const values = Array.isArray(value) ? value : [value];
		for (const v of values)
			if (typeof v !== 'string') throw new TypeError(`createResponse: header '${name}' must be a string or an array of strings`);
		(out[name.toLowerCase()] ??= []).push(...values);
	}
	return Object.freeze(out);
}

function build(status, headers, body, denyReason) {
	if (!Number.isInteger(status) || status < 100 || status > 599)
		throw new TypeError(`createResponse: status must be an integer from 100 to 599, not ${status}`);
	if (body !== undefined && typeof body !== 'string' && !(body instanceof ReadableStream))
		throw new TypeError('createResponse: body must be a string or a ReadableStream');
	if (denyReason !== undefined && typeof denyReason !== 'string') throw new TypeError('createResponse: denyReason must be a string');
	return Object.freeze({ status, headers: normalizeHeaders(headers), body: body ?? '', denyReason });
}

export function createResponse(first, second, third, fourth) {
	if (typeof first === 'number') return build(first, second, third, fourth);
	const opts = second ?? {};
	return build(opts.status ?? 200, opts.headers, first, opts.denyReason);
}
