#!/usr/bin/env node
// node <kit>/bin/tokens.mjs --namespace a,b --out src/ : writes the edgekv_tokens.js that
// edgekv.js imports, creating a token on the emulator for namespaces no token grants yet.
import { parseArgs } from 'node:util';
import { DEFAULT_EDGERC, writeTokens } from '../lib/tokens.mjs';

const HELP = `usage: node bin/tokens.mjs --namespace a,b --out DIR|FILE [options]

Writes edgekv_tokens.js (the file edgekv.js imports) for the namespaces named, from the
emulator's newest live token granting each; creates one token (permissions rwd) for the
namespaces no token grants yet.

  --namespace a,b     namespaces (required)
  --out DIR|FILE      where to write; a folder gets edgekv_tokens.js (default: print it)
  --url URL           the emulator (default: EDGEKV_EMULATOR_URL or http://127.0.0.1:8080)
  --network NET       network the new token allows: staging or production (default: EDGEKV_NETWORK or staging)
  --ewids IDS         EdgeWorker ids the new token is restricted to (default: EDGEKV_EDGEWORKER_ID or all)
  --permissions rwd   letters the new token grants (default rwd)
  --expiry YYYY-MM-DD make a legacy JWT token expiring then (default: an enhanced token)
  --token NAME        use the token NAME; create it (for all the namespaces) if it does not exist
  --no-create         fail instead of creating a token
  --edgerc PATH       credentials for the management API (default: EDGEKV_EDGERC or
                      ${DEFAULT_EDGERC})
  --section NAME      .edgerc section (default: default)
`;

let args;
try {
	args = parseArgs({
		options: {
			namespace: { type: 'string' },
			out: { type: 'string' },
			url: { type: 'string' },
			network: { type: 'string' },
			ewids: { type: 'string' },
			permissions: { type: 'string' },
			expiry: { type: 'string' },
			token: { type: 'string' },
			'no-create': { type: 'boolean' },
			edgerc: { type: 'string' },
			section: { type: 'string' },
			help: { type: 'boolean', short: 'h' },
		},
	}).values;
} catch (e) {
	process.stderr.write(`${e.message}\n\n${HELP}`);
	process.exit(2);
}
if (args.help) {
	process.stdout.write(HELP);
	process.exit(0);
}
if (!args.namespace) {
	process.stderr.write(`--namespace is required\n\n${HELP}`);
	process.exit(2);
}
if (args.network && !['staging', 'production'].includes(args.network)) {
	process.stderr.write(`--network must be staging or production\n`);
	process.exit(2);
}
if (args.permissions && !/^[rwd]{1,3}$/.test(args.permissions)) {
	process.stderr.write(`--permissions takes the letters r, w and d\n`);
	process.exit(2);
}
try {
	const res = await writeTokens({
		namespaces: args.namespace.split(',').filter(Boolean),
		out: args.out,
		url: args.url,
		create: !args['no-create'],
		network: args.network,
		ewids: args.ewids?.split(','),
		permissions: args.permissions,
		expiry: args.expiry,
		token: args.token,
		edgerc: args.edgerc,
		section: args.section,
	});
	if (res.created) process.stderr.write(`created token '${res.created}'\n`);
	if (res.warning) process.stderr.write(`warning: ${res.warning}\n`);
	if (res.path) process.stderr.write(`wrote ${res.path}\n`);
	else process.stdout.write(res.text);
} catch (e) {
	process.stderr.write(`error: ${e.message}\n`);
	process.exit(1);
}
