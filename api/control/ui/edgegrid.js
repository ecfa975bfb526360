// EdgeGrid (EG1-HMAC-SHA256) request signing with WebCrypto, so that the console calls the
// management API exactly as the EdgeKV CLI or an EdgeGrid library does, as one API client of
// the account: permissions, grants and limits apply to it as to any client.
const enc = new TextEncoder();

function b64(bytes) {
	let s = '';
	for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
	return btoa(s);
}

async function hmac(key, text) {
	const k = await crypto.subtle.importKey('raw', enc.encode(key), { name: 'HMAC', hash: 'SHA-256' },
		false, ['sign']);
	return b64(await crypto.subtle.sign('HMAC', k, enc.encode(text)));
}

function timestamp(date) {
	const p = (n) => String(n).padStart(2, '0');
	return `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}T` +
		`${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}+0000`;
}

// The Authorization header for method and target (path and query, as sent) with body (a
// string or undefined) on this page's scheme and host.
export async function authorization(client, method, target, body) {
	const ts = timestamp(new Date());
	const head = `EG1-HMAC-SHA256 client_token=${client.clientToken};` +
		`access_token=${client.accessToken};timestamp=${ts};nonce=${crypto.randomUUID()};`;
	// Only a POST's body is hashed.
	const hash = method === 'POST' && body
		? b64(await crypto.subtle.digest('SHA-256', enc.encode(body))) : '';
	const scheme = location.protocol.replace(':', '');
	const data = [method, scheme, location.host, target, '', hash, head].join('\t');
	const signingKey = await hmac(client.clientSecret, ts);
	return `${head}signature=${await hmac(signingKey, data)}`;
}
