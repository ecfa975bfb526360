// Stand-in for the EdgeWorkers built-in module `encoding`: TextEncoder, TextDecoder, atob,
// btoa, and base64 / base64url / base16 codecs whose encode() takes bytes and whose decode()
// answers a string (one character per byte, as atob does) or, with "Uint8Array", the bytes.
import { Buffer } from 'node:buffer';
import { TextDecoder, TextEncoder } from 'node:util';

function bytesOf(data, fn) {
	if (!(data instanceof Uint8Array)) throw new TypeError(`${fn}: the data to encode must be a Uint8Array`);
	return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function codec(name, nodeEncoding, valid) {
	return Object.freeze({
		encode(data) {
			const text = bytesOf(data, `${name}.encode`).toString(nodeEncoding);
			return nodeEncoding === 'hex' ? text.toUpperCase() : text;
		},
		decode(encoded, outputFormat = 'String') {
			if (typeof encoded !== 'string' || !valid.test(encoded)) throw new TypeError(`${name}.decode: invalid ${name} input`);
			if (outputFormat !== 'String' && outputFormat !== 'Uint8Array')
				throw new TypeError(`${name}.decode: outputFormat must be "String" or "Uint8Array"`);
			const bytes = Buffer.from(encoded, nodeEncoding);
			return outputFormat === 'Uint8Array' ? new Uint8Array(bytes) : bytes.toString('latin1');
		},
	});
}

export const base64 = codec('base64', 'base64', /^[A-Za-z0-9+/]*={0,2}$/);
export const base64url = codec('base64url', 'base64url', /^[A-Za-z0-9_-]*={0,2}$/);
export const base16 = codec('base16', 'hex', /^(?:[0-9A-Fa-f]{2})*$/);

export function atob(encodedData) {
	return globalThis.atob(encodedData);
}

export function btoa(stringToEncode) {
	return globalThis.btoa(stringToEncode);
}

export { TextDecoder, TextEncoder };
