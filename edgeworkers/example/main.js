// Example EdgeWorker that reads and writes EdgeKV through Akamai's edgekv.js helper (put your
// downloaded edgekv.js and the edgekv_tokens.js that bin/tokens.mjs writes next to this file).
//   onClientRequest:  GET /?country=FR answers the greeting stored for FR in EdgeKV
//                     (namespace "default", group "greetings"), or "Hello" when there is none.
//   responseProvider: PUT /?country=FR stores the request body as FR's greeting;
//                     any other method counts a visit in group "stats" and answers the count.
// An EdgeKV failure answers 500 with {failed, status, detail} as JSON.
import { createResponse } from 'create-response';
import { logger } from 'log';
import URLSearchParams from 'url-search-params';
import { EdgeKV } from './edgekv.js';

const JSON_TYPE = { 'Content-Type': ['application/json'] };

function edgeKv(request, group) {
	return new EdgeKV({ namespace: 'default', group, num_retries_on_timeout: 1, ew_request: request });
}

function country(request) {
	return (new URLSearchParams(request.query).get('country') || 'default').toUpperCase();
}

function failure(err) {
	logger.error('EdgeKV call failed: %s', JSON.stringify(err));
	const detail = typeof err?.body === 'object' && err.body !== null ? err.body.detail : err?.body;
	return JSON.stringify({ failed: err?.failed ?? 'ERROR', status: err?.status ?? 0, detail: detail ?? String(err) });
}

export async function onClientRequest(request) {
	try {
		const greeting = await edgeKv(request, 'greetings').getText({ item: country(request), default_value: 'Hello', timeout: 1000 });
		request.respondWith(200, { 'Content-Type': ['text/plain;charset=utf-8'] }, greeting);
	} catch (err) {
		request.respondWith(500, JSON_TYPE, failure(err));
	}
}

export async function responseProvider(request) {
	try {
		if (request.method === 'PUT') {
			const item = country(request);
			await edgeKv(request, 'greetings').putText({ item, value: await request.text() });
			return createResponse(200, JSON_TYPE, JSON.stringify({ saved: item }));
		}
		const stats = edgeKv(request, 'stats');
		const { count } = await stats.getJson({ item: 'visits', default_value: { count: 0 } });
		await stats.putJson({ item: 'visits', value: { count: count + 1 } });
		return createResponse(200, JSON_TYPE, JSON.stringify({ visits: count + 1 }));
	} catch (err) {
		return createResponse(500, JSON_TYPE, failure(err));
	}
}
