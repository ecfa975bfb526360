/// <reference types="akamai-edgeworkers"/>
// Every provided built-in used as @types/akamai-edgeworkers declares it. `tsc --noEmit`
// checks this against the declarations; the same file, compiled, then runs on the kit's
// stand-ins (test/types.test.mjs), so declaration and behaviour are checked together.
import { createResponse } from 'create-response';
import { atob, base16, base64, base64url, btoa, TextDecoder, TextEncoder } from 'encoding';
import { httpRequest } from 'http-request';
import { logger } from 'log';
import { ReadableStream, TransformStream, WritableStream } from 'streams';
import { TextDecoderStream, TextEncoderStream } from 'text-encode-transform';
import URLSearchParams from 'url-search-params';

// The one Node global this file needs; the EdgeWorkers declarations bring no @types/node.
declare const process: { env: { [name: string]: string | undefined } };

export async function run(): Promise<{ [name: string]: unknown }> {
	const target = process.env.TARGET_URL ?? '';
	const res = await httpRequest(target, { method: 'POST', headers: { 'X-One': 'a', 'X-Two': ['b', 'c'] }, body: 'typed body', timeout: 1000 });
	const status: number = res.status;
	const ok: boolean = res.ok;
	const contentType: string[] | null = res.getHeader('Content-Type');
	const headers: EW.Headers = res.getHeaders();
	const text: string = await res.text();

	const streamed = await httpRequest(target, {
		method: 'PUT',
		body: new ReadableStream<string>({
			start(controller) {
				controller.enqueue('from ');
				controller.enqueue('a stream');
				controller.close();
			},
		}),
	});
	let piped = '';
	await streamed.body
		.pipeThrough(new TextDecoderStream())
		.pipeThrough(new TransformStream<string, string>({ transform: (chunk, c) => c.enqueue(chunk.toUpperCase()) }))
		.pipeTo(new WritableStream<string>({ write: (chunk) => void (piped += chunk) }));
	const json: unknown = await (await httpRequest(`${target}json`)).json();

	const encoded: Uint8Array = new TextEncoder().encode('hé');
	const decoded: string = new TextDecoder('utf-8', { fatal: true }).decode(encoded);
	const viaStream = new TextEncoderStream();
	const b64: string = base64.encode(encoded);
	const back = base64.decode(b64, 'Uint8Array');
	const params = new URLSearchParams('a=1&a=2');
	params.append('b', '3');
	logger.info('typed %s', 'log line');
	const response = createResponse(201, { 'Content-Type': ['text/plain'] }, 'created', 'a reason');
	const other = createResponse('body', { status: 404, headers: { 'X-A': 'b' } });

	return {
		status,
		ok,
		contentType,
		echoedHeaders: headers['x-echo-headers'],
		text,
		piped,
		json,
		decoded,
		encoderEncoding: viaStream.encoding,
		b64,
		back: Array.from(back as Uint8Array),
		b64url: base64url.encode(encoded),
		b16: base16.encode(encoded),
		atob: atob(btoa('xy')),
		params: params.toString(),
		all: params.getAll('a'),
		response,
		other,
	};
}
