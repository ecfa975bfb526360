// Requests: the request journal, live. New entries are fetched every second with ?since=
// (the last sequence number seen), so nothing is read twice.
import { control } from './http.js';
import { h, table, section, button, toast, failure, paint } from './dom.js';

const MAX = 1000;
const st = { entries: [], since: 0, selected: undefined, path: '', status: '', account: '', network: '', mine: false };
let timer;
let draw;

function network(e) {
	const m = /\/networks\/([^/?]+)/.exec(e.target);
	if (m) return m[1].toLowerCase();
	return e.target.startsWith('/api/v1/') ? (header(e, 'X-EdgeKV-Network') || 'data plane') : '';
}

function visible(e) {
	return (!st.path || e.target.includes(st.path)) && (!st.status || String(e.status).startsWith(st.status)) &&
		(!st.account || e.account.includes(st.account)) && (!st.network || network(e).includes(st.network)) &&
		(st.mine || !header(e, 'X-Emulator-Console'));
}

// The console's own calls are hidden unless asked for: they do not count as requests yet.
function ownOrShown(e) {
	return st.mine || !header(e, 'X-Emulator-Console');
}

// Header names as the client spelled them; looked up in any case.
function header(e, name) {
	const k = Object.keys(e.headers).find((n) => n.toLowerCase() === name.toLowerCase());
	return k ? e.headers[k] : undefined;
}

const quote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

export function curl(e) {
	const parts = ['curl', '-X', e.method, quote(`${location.origin}${e.target}`)];
	for (const [k, v] of Object.entries(e.headers)) {
		if (/^(host|content-length|connection|x-emulator-console)$/i.test(k)) continue;
		parts.push('-H', quote(`${k}: ${v}`));
	}
	if (e.requestBody) parts.push('--data-binary', quote(e.requestBody));
	return parts.join(' ');
}

function detail(e) {
	const text = curl(e);
	return section(`${e.method} ${e.target}`,
		h('dl', { class: 'facts' },
			h('dt', {}, 'Status'), h('dd', {}, String(e.status)),
			h('dt', {}, 'Time'), h('dd', {}, e.time),
			h('dt', {}, 'Account'), h('dd', {}, e.account || '—'),
			h('dt', {}, 'Request id'), h('dd', {}, e.requestId),
			h('dt', {}, 'Injected latency'), h('dd', {}, `${e.latencyMs} ms`)),
		h('h3', {}, 'Request headers (credentials redacted)'),
		h('pre', {}, Object.entries(e.headers).map(([k, v]) => `${k}: ${v}`).join('\n')),
		h('h3', {}, `Request body (${e.requestBodyBytes ?? 0} bytes)`),
		h('pre', {}, e.requestBody || '(none)'),
		h('h3', {}, `Answer: ${e.status} ${e.responseContentType || ''} (${e.responseBodyBytes ?? 0} bytes)`),
		h('pre', { class: 'answer' }, e.responseBody || '(no body)'),
		h('h3', {}, 'As a curl command'),
		h('pre', { class: 'curl' }, text),
		button('Copy as curl', async () => {
			try { await navigator.clipboard.writeText(text); toast('curl command copied'); } catch { toast('Copy refused by the browser: select the text above'); }
		}));
}

async function poll() {
	const { requests } = await control('GET', `/requests?since=${st.since}`);
	if (!requests.length) return false;
	st.since = requests[requests.length - 1].seq;
	st.entries = st.entries.concat(requests).slice(-MAX);
	return true;
}

function filters() {
	const input = (key, label, attrs = {}) => {
		const el = h('input', { value: st[key], 'aria-label': label, placeholder: label, size: 12, ...attrs });
		el.addEventListener('input', () => { st[key] = el.value.trim(); draw(); });
		return el;
	};
	const mine = h('input', { type: 'checkbox', checked: st.mine });
	mine.addEventListener('change', () => { st.mine = mine.checked; draw(); });
	return h('div', { class: 'row', role: 'search' }, input('path', 'Path contains'), input('status', 'Status', { size: 4 }),
		input('account', 'Account'), input('network', 'Network', { size: 8 }),
		h('label', {}, mine, ' the console\'s own'),
		button('Clear journal', async () => {
			await control('DELETE', '/requests');
			st.entries = [];
			st.selected = undefined;
			draw();
		}));
}

export async function render(root) {
	let redraw;
	const landed = await paint(root, async () => {
		await poll();
		const bar = filters();
		const list = h('div', { class: 'journal' });
		const side = h('div', { class: 'detail' });
		redraw = () => {
			const rows = st.entries.filter(visible).reverse();
			list.replaceChildren(table([
				{ title: '#', value: (e) => String(e.seq) },
				{ title: 'Time', value: (e) => e.time.slice(11, 23) },
				{ title: 'Method', value: (e) => e.method },
				{ title: 'Path', value: (e) => h('code', {}, e.target) },
				{ title: 'Status', value: (e) => h('span', { class: e.status >= 400 ? 'bad' : 'good' }, String(e.status)) },
				{ title: 'Account', value: (e) => e.account || '—' },
			], rows, st.entries.some(ownOrShown) ? 'No request matches the filters.' : 'No requests yet: they appear here as clients call the emulator.',
			(e) => { st.selected = e.seq; draw(); }));
			const sel = st.entries.find((e) => e.seq === st.selected);
			side.replaceChildren(sel ? detail(sel) : h('p', { class: 'empty' }, 'Pick a request to see it whole.'));
		};
		redraw();
		return section('Request journal (live)', bar, h('div', { class: 'split' }, list, side));
	});
	// Only a journal that is on screen is kept live: not one overtaken by another drawing, nor a
	// failure shown in its place (redraw unset).
	if (!landed || !redraw) return landed;
	draw = redraw;
	clearInterval(timer);
	timer = setInterval(async () => {
		try { if (await poll()) draw(); } catch (e) { if (e.status !== 0) root.append(failure(e)); }
	}, 1000);
	return true;
}

export function stop() {
	clearInterval(timer);
}
