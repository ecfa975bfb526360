// The console's shell: the account and API client pickers, the areas (one module each,
// chosen by the URL's #fragment), and the "server stopped" banner.
import { control, onReachable, seg } from './http.js';
import { h, failure, paint } from './dom.js';
import * as accounts from './accounts.js';
import * as data from './data.js';
import * as tokens from './tokens.js';
import * as requests from './requests.js';
import * as controls from './controls.js';

const AREAS = { accounts, data, tokens, requests, controls };
// view counts the showings of an area (dom.js drawer()).
const ctx = { account: undefined, detail: undefined, client: undefined, accounts: [], view: 0 };
let current;

const $ = (id) => document.getElementById(id);

onReachable((ok) => {
	$('down').hidden = ok;
	$('server').textContent = ok ? 'connected' : 'not answering';
	$('server').className = ok ? 'server ok' : 'server down';
});

// The client the console acts as: the first active one, READ-WRITE first.
function pickClient(clients, wanted) {
	const active = clients.filter((c) => c.active);
	return active.find((c) => c.clientToken === wanted) ||
		active.find((c) => c.grant === 'READ-WRITE') || active[0];
}

async function loadAccount(id, clientToken) {
	ctx.account = id;
	ctx.detail = await control('GET', `/accounts/${seg(id)}`);
	ctx.client = pickClient(ctx.detail.clients || [], clientToken);
	const sel = $('client');
	sel.replaceChildren(...(ctx.detail.clients || []).filter((c) => c.active).map((c) =>
		h('option', { value: c.clientToken, selected: c === ctx.client },
			`${c.user} (${c.grant}) ${c.clientToken.slice(0, 14)}…`)));
	if (!sel.options.length) sel.append(h('option', { value: '' }, 'no active API client'));
}

async function loadAccounts() {
	const { accounts: list } = await control('GET', '/accounts');
	ctx.accounts = list;
	const keep = list.some((a) => a.id === ctx.account) ? ctx.account : list[0]?.id;
	$('account').replaceChildren(...list.map((a) => h('option', { value: a.id, selected: a.id === keep }, a.id)));
	if (keep) await loadAccount(keep, ctx.client?.clientToken);
	else { ctx.account = ctx.detail = ctx.client = undefined; }
}

function leave() {
	if (current?.stop) current.stop();
	ctx.view++;
}

async function show() {
	const name = (location.hash || '#accounts').slice(1);
	const area = AREAS[name] || accounts;
	leave();
	current = area;
	const view = ctx.view;
	for (const key of Object.keys(AREAS)) {
		const tab = $(`tab-${key}`);
		tab.setAttribute('aria-selected', String(AREAS[key] === area));
		tab.classList.toggle('active', AREAS[key] === area);
	}
	const root = $('area');
	root.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
	if (await area.render(root, ctx) && ctx.view === view) root.dataset.ready = name;
}

// Re-reads the accounts (after a reset or an import) and shows the area again.
ctx.reload = async () => {
	await loadAccounts();
	await show();
};

$('account').addEventListener('change', async (e) => {
	try { await loadAccount(e.target.value); } catch (err) { leave(); paint($('area'), () => failure(err)); return; }
	show();
});
$('client').addEventListener('change', (e) => {
	ctx.client = pickClient(ctx.detail.clients, e.target.value);
	show();
});
window.addEventListener('hashchange', show);

// The banner clears itself once the emulator answers again.
setInterval(() => { control('GET', '/health').catch(() => {}); }, 3000);

(async () => {
	try {
		await loadAccounts();
	} catch (err) {
		paint($('area'), () => failure(err));
		return;
	}
	await show();
})();
