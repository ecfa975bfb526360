// Writes or checks docs/parity.md: every route of the route table (api/dispatch/routes.c), the
// statuses the official specs document for it, the statuses and test files the black-box suite
// exercises (from the access log lines `make api-test` collects), and known differences.
//
//   node tests/parity/parity.mjs --logs DIR --check   fail if a route has no test or the page is stale
//   node tests/parity/parity.mjs --logs DIR --write   rewrite docs/parity.md
//   node tests/parity/parity.mjs --spec SPEC_DIR      refresh spec-operations.json from
//                                                     SPEC_DIR/{akamai-apis,apis-test-develop}/openapi.json
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const PAGE = join(ROOT, 'docs/parity.md');
const SPEC_FILE = join(HERE, 'spec-operations.json');
const SPECS = { 'akamai-apis': '2023 spec', 'apis-test-develop': '2024 draft' };

const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

/** "METHOD /edgekv/v1/path" → documented statuses, per spec, from the openapi.json files. */
function refreshSpec(dir) {
	const out = {};
	for (const name of Object.keys(SPECS)) {
		const doc = JSON.parse(readFileSync(join(dir, name, 'openapi.json'), 'utf8'));
		const base = new URL(doc.servers[0].url.replace('{hostname}', 'x')).pathname;
		out[name] = {};
		for (const [path, item] of Object.entries(doc.paths))
			for (const [method, op] of Object.entries(item))
				if (['get', 'put', 'post', 'delete', 'patch'].includes(method))
					out[name][`${method.toUpperCase()} ${base}${path}`] = Object.keys(op.responses ?? {}).sort();
	}
	writeFileSync(SPEC_FILE, JSON.stringify(out, null, '\t') + '\n');
}

/** The route table: [{method, pattern, flags}], in table order, macros expanded. */
function readRoutes() {
	const text = readFileSync(join(ROOT, 'api/dispatch/routes.c'), 'utf8');
	const macros = {};
	for (const m of text.matchAll(/^#define\s+(\w+)\s+(.+)$/gm)) macros[m[1]] = m[2].trim();
	const expand = (expr) =>
		expr.trim().split(/\s+(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((tok) => (tok.startsWith('"') ? tok.slice(1, -1) : expand(macros[tok] ?? ''))).join('');
	const table = text.slice(text.indexOf('api_routes[] = {'), text.indexOf('};', text.indexOf('api_routes[] = {')));
	const routes = [];
	for (const m of table.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/\{HTTP_(\w+),\s*([^,]+),\s*(\w+),\s*([^}]*)\}/g))
		routes.push({ method: m[1], pattern: expand(m[2]), handler: m[3], flags: m[4].replace(/\s+/g, ' ').trim() });
	return routes;
}

function matches(pattern, path) {
	const p = pattern.split('/');
	const s = path.split('/');
	return p.length === s.length && p.every((seg, i) => (seg.startsWith('{') ? s[i].length > 0 : seg === s[i]));
}

/** Per route index: {files: Set, statuses: Set} from the collected access log lines. */
function readLogs(dir, routes) {
	const hits = routes.map(() => ({ files: new Set(), statuses: new Set() }));
	for (const file of readdirSync(dir).filter((f) => f.endsWith('.log'))) {
		const test = file.replace(/\.log$/, '');
		for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
			const m = /"([A-Z]+) (\S+)" (\d{3}) /.exec(line);
			if (!m) continue;
			const method = m[1] === 'HEAD' ? 'GET' : m[1];
			const path = m[2].split('?')[0];
			const i = routes.findIndex((r) => r.method === method && matches(r.pattern, path));
			if (i < 0) continue;
			hits[i].files.add(test);
			hits[i].statuses.add(m[3]);
		}
	}
	return hits;
}

// Differences from the real service and choices where its public record stops, by route.
const NOTES = {
	'PUT /edgekv/v1/initialize': '201 on every call that leaves the account initialized (Go client, Terraform and Postman expect it); 102 while PENDING',
	'GET /edgekv/v1/initialize': '404 with the status object as body when uninitialized (spec quirk)',
	'POST /edgekv/v1/networks/{network}/namespaces': '200, not 201 (spec); known issue namespace-create-timeout',
	'GET /edgekv/v1/networks/{network}/namespaces/{namespace}': '400 for a missing namespace (spec quirk)',
	'GET /edgekv/v1/networks/{network}/namespaces/{namespace}/groups': 'sandbox known issues (docs/known-issues.md)',
	'POST /edgekv/v1/networks/{network}/namespaces/{namespace}/upload': '202 and job fields: choices (docs/known-issues.md "Bulk data")',
	'GET /edgekv/v1/networks/{network}/namespaces/{namespace}/upload': 'newest first; choices (docs/known-issues.md "Bulk data")',
	'GET /edgekv/v1/networks/{network}/namespaces/{namespace}/jobs/{jobId}': '200 (a partial success may be 207 on the real service); choices (docs/known-issues.md "Bulk data")',
	'GET /edgekv/v1/networks/{network}/namespaces/{namespace}/download': 'text/csv; charset=utf-8; showExpires in epoch seconds (choice)',
	'GET /edgekv/v1/networks/{network}/namespaces/{namespace}/groups/{group}/download': 'text/csv; charset=utf-8; showExpires in epoch seconds (choice)',
	'GET /edgeworkers/v1/groups': 'EdgeWorkers API; {"groups": []} for a caller without EdgeWorkers capabilities (choice)',
	'GET /edgeworkers/v1/groups/{groupId}': 'EdgeWorkers API; 123 or grp_123; the gateway 403 for a group out of reach (choice)',
};

const norm = (key) => key.replace(/\{[^}]*\}/g, '{}');

function specStatuses(spec, route) {
	const key = norm(`${route.method} ${route.pattern}`);
	const found = Object.entries(spec).find(([k]) => norm(k) === key);
	return found ? found[1].join(', ') : '—';
}

function section(title, routes, hits, spec, withSpec) {
	const head = withSpec
		? '| method | path | 2023 spec | 2024 draft | statuses tested | tests | notes |\n|---|---|---|---|---|---|---|'
		: '| method | path | statuses tested | tests | notes |\n|---|---|---|---|---|';
	const rows = routes.map(({ r, i }) => {
		const tested = [...hits[i].statuses].sort().join(', ') || '**none**';
		const files = [...hits[i].files].sort().map((f) => `\`${f}\``).join(' ') || '**none**';
		const note = NOTES[`${r.method} ${r.pattern}`] ?? '';
		const cells = withSpec
			? [r.method, `\`${r.pattern}\``, specStatuses(spec['akamai-apis'], r), specStatuses(spec['apis-test-develop'], r), tested, files, note]
			: [r.method, `\`${r.pattern}\``, tested, files, note];
		return `| ${cells.join(' | ')} |`;
	});
	return `## ${title}\n\n${head}\n${rows.join('\n')}\n`;
}

function render(routes, hits, spec) {
	const all = routes.map((r, i) => ({ r, i }));
	const mgmt = all.filter(({ r }) => r.pattern.startsWith('/edgekv/') || r.pattern.startsWith('/edgeworkers/'));
	const dp = all.filter(({ r }) => r.pattern.startsWith('/api/'));
	const ctl = all.filter(({ r }) => r.pattern.startsWith('/_emulator/'));
	const served = new Set(mgmt.map(({ r }) => norm(`${r.method} ${r.pattern}`)));
	const missing = [];
	for (const [name, ops] of Object.entries(spec))
		for (const key of Object.keys(ops)) if (!served.has(norm(key))) missing.push(`- \`${key}\` (${SPECS[name]})`);
	return `# Parity with the real service

Generated by \`tests/parity/parity.mjs\` from the route table (\`api/dispatch/routes.c\`), the
operations of Akamai's official EdgeKV OpenAPI description (the 2023 spec and the newer 2024
draft, listed in \`tests/parity/spec-operations.json\`) and the black-box suite: the statuses and
test files come from the access log of every server \`make api-test\` starts. Do not edit: run
\`make parity\`. \`make test\` fails when a route has no test or this page is stale.

Statuses a spec documents are listed as it lists them; "—" marks a route no spec has (the bulk
endpoints, which only the API summary and Akamai's PowerShell module show, the EdgeWorkers group
list, the data plane and the emulator's own control API).

${section('Management API (EdgeGrid)', mgmt, hits, spec, true)}
Spec operations the route table does not serve: ${missing.length ? `\n\n${missing.join('\n')}\n` : 'none.\n'}
${section('Data plane (edgekv.js)', dp, hits, spec, false)}
${section('Control API (/_emulator)', ctl, hits, spec, false)}
## Response headers

Every management answer carries \`Cache-Control: no-cache, no-store, max-age=0, must-revalidate\`
and, when the request's \`Accept-Encoding\` allows gzip, \`Content-Encoding: gzip\` (and \`Vary:
Accept-Encoding\`), as the real list-groups answer on Akamai's "Known issues" page shows.
Content-Type per kind of answer, where the sources disagree following that page first and then the
newest source: JSON \`application/json;charset=utf-8\` (the page); errors
\`application/problem+json\` (every spec); item write \`text/plain;charset=utf-8\` and item delete
\`text/plain\` (Akamai's Postman collection; the 2023 spec says \`text/plain\`); item read: the type
the value was written with (the sources disagree: the oldest guide \`text/plain;charset=utf-8\`,
Postman and the 2023 spec \`application/json\` for JSON, the 2024 draft \`text/plain\`); bulk
download \`text/csv; charset=utf-8\`. The data plane and the control API send \`application/json\`
and are never compressed. See \`docs/architecture.md\` "Response headers".
`;
}

if (opt('--spec')) {
	refreshSpec(opt('--spec'));
	process.exit(0);
}
const logs = opt('--logs');
if (!logs || !existsSync(logs)) {
	console.error('parity: --logs DIR (the access logs of a `make api-test` run) is required');
	process.exit(2);
}
const routes = readRoutes();
const hits = readLogs(logs, routes);
const page = render(routes, hits, JSON.parse(readFileSync(SPEC_FILE, 'utf8')));
const untested = routes.filter((r, i) => hits[i].files.size === 0).map((r) => `${r.method} ${r.pattern}`);
if (args.includes('--write')) writeFileSync(PAGE, page);
let failed = false;
if (untested.length) {
	console.error(`parity: routes without a test:\n  ${untested.join('\n  ')}`);
	failed = true;
}
if (args.includes('--check') && (!existsSync(PAGE) || readFileSync(PAGE, 'utf8') !== page)) {
	console.error('parity: docs/parity.md is stale: run `make parity` and commit it');
	failed = true;
}
if (!failed) console.log(`parity: ${routes.length} routes, each tested; docs/parity.md is current`);
process.exit(failed ? 1 : 0);
