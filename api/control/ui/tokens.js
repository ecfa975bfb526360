// Tokens: the account's EdgeKV access tokens through the management API (list, create,
// refresh, revoke), the edgekv_tokens.js bundle and the expiry notices of the control API.
import { manage, control, seg, ApiError } from './http.js';
import { h, table, section, form, field, failure, button, toast, drawer } from './dom.js';

// A legacy token's JWT carries its networks and namespaces as claims.
function claims(jwt) {
	try {
		const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
		return JSON.parse(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), '=')));
	} catch { return {}; }
}

function describe(t) {
	if (t.value) {
		const c = claims(t.value);
		const perms = {};
		for (const [k, v] of Object.entries(c)) if (k.startsWith('namespace-')) perms[k.slice(10)] = v;
		const names = { p: 'production', s: 'staging' };
		return { kind: 'legacy', networks: (c.env || []).map((e) => names[e] || e).join(', '), perms, state: 'COMPLETE' };
	}
	const networks = [t.allowOnStaging && 'staging', t.allowOnProduction && 'production'].filter(Boolean).join(', ');
	return { kind: 'enhanced', networks, perms: t.namespacePermissions || {}, state: t.tokenActivationStatus };
}

async function list(ctx, rerender) {
	let tokens = [];
	let note = 'No tokens: create one below.';
	try {
		tokens = (await manage(ctx.client, 'GET', '/tokens?includeExpired=true')).json?.tokens || [];
	} catch (e) {
		if (!(e instanceof ApiError) || e.status === 0 || e.status >= 500) throw e;
		note = e.status === 404 ? note : e.message;
	}
	const full = await Promise.all(tokens.map(async (t) => {
		try { return { ...t, ...(await manage(ctx.client, 'GET', `/tokens/${seg(t.name)}`)).json }; } catch { return t; }
	}));
	const act = async (method, path, what) => {
		try { await manage(ctx.client, method, path); toast(what); rerender(); } catch (e) { toast(e.message); }
	};
	return section('Access tokens', table([
		{ title: 'Name', value: (t) => t.name },
		{ title: 'Kind', value: (t) => describe(t).kind },
		{ title: 'Networks', value: (t) => describe(t).networks || '—' },
		{ title: 'Namespaces', value: (t) => Object.entries(describe(t).perms).map(([n, p]) => `${n}: ${[].concat(p).join('')}`).join('; ') || '—' },
		{ title: 'Activation', value: (t) => describe(t).state || '—' },
		{ title: 'Expiry', value: (t) => t.expiry || '—' },
		{ title: 'Actions', value: (t) => h('span', { class: 'row' },
			describe(t).kind === 'enhanced' ? button('Refresh', () => act('POST', `/tokens/${seg(t.name)}/refresh`, `Token ${t.name} refreshed`)) : null,
			button('Revoke', () => act('DELETE', `/tokens/${seg(t.name)}`, `Token ${t.name} revoked`), { class: 'danger' })) },
	], full, note));
}

function perms(text) {
	const out = {};
	for (const part of text.split(/[\s,]+/).filter(Boolean)) {
		const [ns, letters = 'r'] = part.split(':');
		out[ns] = letters.split('');
	}
	return out;
}

function creator(ctx, rerender) {
	return section('Create a token', form('Create token', [
		field('Name', 'name', { required: true, size: 14 }),
		field('Namespaces (ns:rwd, …)', 'perms', { required: true, value: 'default:rwd', size: 16 }),
		field('Expiry (legacy, YYYY-MM-DD)', 'expiry', { type: 'date' }),
		h('label', {}, h('input', { type: 'checkbox', name: 'staging', checked: true }), ' staging'),
		h('label', {}, h('input', { type: 'checkbox', name: 'production' }), ' production'),
		field('EdgeWorker ids', 'ewids', { value: 'all', size: 8 }),
	], 'Create', async (d) => {
		const body = {
			name: d.name, allowOnStaging: d.staging === 'on', allowOnProduction: d.production === 'on',
			namespacePermissions: perms(d.perms), restrictToEdgeWorkerIds: d.ewids.split(/[\s,]+/).filter(Boolean),
		};
		if (d.expiry) body.expiry = d.expiry;
		await manage(ctx.client, 'POST', '/tokens', body);
		toast(`Token ${d.name} created`);
		rerender();
	}));
}

function bundle(ctx) {
	const link = h('a', { class: 'button', download: 'edgekv_tokens.js' }, 'Download edgekv_tokens.js');
	const input = h('input', { value: 'default', 'aria-label': 'Bundle namespaces', size: 20 });
	const update = () => {
		link.href = `/_emulator/tokens/edgekv_tokens.js?namespace=${seg(input.value.replace(/\s+/g, ''))}&account=${seg(ctx.account)}`;
	};
	input.addEventListener('input', update);
	update();
	return section('The edgekv_tokens.js bundle', h('div', { class: 'row' }, h('label', {}, 'Namespaces ', input), link));
}

async function notices(ctx) {
	const { notifications = [] } = await control('GET', `/notifications?account=${seg(ctx.account)}`);
	return section('Expiry notices', table([
		{ title: 'When', value: (n) => n.createdAt },
		{ title: 'Days before', value: (n) => String(n.daysBeforeExpiry) },
		{ title: 'Channel', value: (n) => `${n.channel}${n.recipient ? ` to ${n.recipient}` : ''}` },
		{ title: 'Subject', value: (n) => n.subject },
		{ title: 'Tokens', value: (n) => (n.tokens || []).map((t) => t.name).join(', ') },
	], notifications, 'No expiry notices: they come 30, 7 and 1 days before a legacy token expires.'));
}

export function render(root, ctx) {
	return drawer(root, ctx, async (rerender) => {
		const parts = [];
		for (const part of [() => list(ctx, rerender), () => creator(ctx, rerender), () => bundle(ctx), () => notices(ctx)]) {
			try { parts.push(await part()); } catch (e) { parts.push(failure(e)); }
		}
		return parts;
	})();
}
