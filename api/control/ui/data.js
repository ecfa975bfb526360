// Data: per network, the namespaces, their groups, the items of a group, and one value, all
// through the management API as the chosen API client.
import { manage, seg, ApiError } from './http.js';
import { h, table, section, form, field, select, failure, button, toast } from './dom.js';

const PAGE = 50;
const st = { network: 'staging', ns: undefined, group: undefined, key: undefined, view: 'text', shown: PAGE, filter: '' };

function nsPath(ns) { return `/networks/${st.network}/namespaces/${seg(ns ?? st.ns)}`; }

function hex(bytes) {
	const lines = [];
	for (let i = 0; i < bytes.length; i += 16) {
		const row = Array.from(bytes.slice(i, i + 16));
		lines.push(`${i.toString(16).padStart(8, '0')}  ${row.map((b) => b.toString(16).padStart(2, '0')).join(' ').padEnd(48)}  ` +
			row.map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join(''));
	}
	return lines.join('\n');
}

function pretty(text) {
	try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return 'Not JSON: shown as text.\n\n' + text; }
}

async function namespaces(ctx, rerender) {
	const res = await manage(ctx.client, 'GET', `/networks/${st.network}/namespaces?details=on`);
	const list = res.json.namespaces || [];
	const create = form('Create namespace', [
		field('Name', 'namespace', { required: true, pattern: '[A-Za-z0-9_]+', size: 14 }),
		field('Retention (s)', 'retentionInSeconds', { type: 'number', value: 0, min: 0 }),
		field('Group', 'groupId', { type: 'number', value: 0, min: 0 }),
		select('Geo', 'geoLocation', st.network === 'staging' ? ['US'] : ['US', 'EU', 'JP', 'GLOBAL'], 'US'),
	], 'Create', async (d) => {
		await manage(ctx.client, 'POST', `/networks/${st.network}/namespaces`, {
			namespace: d.namespace, retentionInSeconds: Number(d.retentionInSeconds),
			groupId: Number(d.groupId), geoLocation: d.geoLocation,
		});
		st.ns = d.namespace;
		toast(`Namespace ${d.namespace} created`);
		rerender();
	});
	return section(`Namespaces on ${st.network}`, table([
		{ title: 'Namespace', value: (n) => n.namespace },
		{ title: 'Retention (s)', value: (n) => (n.retentionInSeconds ? String(n.retentionInSeconds) : 'indefinite') },
		{ title: 'Geo', value: (n) => n.geoLocation },
		{ title: 'Group', value: (n) => String(n.groupId) },
		{ title: 'Policy', value: (n) => `${n.dataAccessPolicy?.restrictDataAccess ? 'restricted' : 'open'} (${n.dataAccessPolicy?.policyType})` },
	], list, 'No namespaces on this network.', (n) => { st.ns = n.namespace; st.group = st.key = undefined; rerender(); }), create);
}

async function scheduled(ctx, rerender) {
	let when;
	try {
		when = (await manage(ctx.client, 'GET', `${nsPath()}/status/scheduled-delete`)).json?.scheduledDeleteTime;
	} catch (e) {
		if (!(e instanceof ApiError) || e.status === 0) throw e;
	}
	const act = async (method, path, what, gone) => {
		try {
			await manage(ctx.client, method, path);
			if (gone) st.ns = st.group = st.key = undefined;
			toast(what);
			rerender();
		} catch (e) { toast(e.message); }
	};
	return h('div', { class: 'row' },
		when ? h('span', { class: 'warn' }, `Delete scheduled for ${when}`) : h('span', {}, 'No delete scheduled.'),
		when ? button('Cancel the delete', () => act('DELETE', `${nsPath()}/status/scheduled-delete`, 'Delete cancelled'))
			: button('Schedule delete', () => act('DELETE', nsPath(), `Delete of ${st.ns} scheduled`)),
		button('Delete now', () => act('DELETE', `${nsPath()}?sync=true`, `Namespace ${st.ns} deleted`, true), { class: 'danger' }));
}

async function groups(ctx, rerender) {
	let list = [];
	let note = 'No groups: write an item to make one.';
	try {
		list = (await manage(ctx.client, 'GET', `${nsPath()}/groups`)).json || [];
	} catch (e) {
		if (!(e instanceof ApiError) || e.status === 0 || e.status >= 500) throw e;
		note = e.message;
	}
	return section(`Groups of ${st.ns}`, await scheduled(ctx, rerender),
		list.length ? h('ul', { class: 'chips' }, list.map((g) => h('li', {},
			button(g, () => { st.group = g; st.key = undefined; st.shown = PAGE; rerender(); },
				{ class: g === st.group ? 'chip active' : 'chip', 'aria-pressed': String(g === st.group) }))))
			: h('p', { class: 'empty' }, note));
}

function itemForm(ctx, rerender, value) {
	return form('Write item', [
		field('Group', 'group', { required: true, value: st.group ?? '', size: 12 }),
		field('Key', 'key', { required: true, value: st.key ?? '', size: 16 }),
		select('Content type', 'type', ['text/plain', 'application/json', 'application/octet-stream'], value?.type || 'text/plain'),
		h('label', { class: 'wide' }, 'Value ', h('textarea', { name: 'value', rows: 4 }, value?.text ?? '')),
	], 'Save item', async (d) => {
		await manage(ctx.client, 'PUT', `${nsPath()}/groups/${seg(d.group)}/items/${seg(d.key)}`, { raw: d.value, type: d.type });
		st.group = d.group;
		st.key = d.key;
		toast(`Item ${d.key} saved`);
		rerender();
	});
}

async function items(ctx, rerender) {
	let keys = [];
	let note = 'No items in this group.';
	try {
		keys = (await manage(ctx.client, 'GET', `${nsPath()}/groups/${seg(st.group)}?maxItems=${st.shown + 1}`)).json || [];
	} catch (e) {
		if (!(e instanceof ApiError) || e.status === 0 || e.status >= 500) throw e;
		// An empty group is a 404 in the API: a group exists only while it holds items.
		if (e.status !== 404) note = e.message;
	}
	const more = keys.length > st.shown;
	keys = keys.slice(0, st.shown);
	const shown = keys.filter((k) => k.includes(st.filter));
	const filter = h('input', { type: 'search', value: st.filter, placeholder: 'filter keys', 'aria-label': 'Filter keys' });
	filter.addEventListener('change', () => { st.filter = filter.value; rerender(); });
	return section(`Items of ${st.group}`, h('div', { class: 'row' }, filter,
		more ? button(`Show ${PAGE} more`, () => { st.shown += PAGE; rerender(); }) : null,
		h('span', { class: 'muted' }, `${shown.length} shown`)),
	shown.length ? h('ul', { class: 'chips' }, shown.map((k) => h('li', {},
		button(k, () => { st.key = k; rerender(); }, { class: k === st.key ? 'chip active' : 'chip', 'aria-pressed': String(k === st.key) }))))
		: h('p', { class: 'empty' }, note));
}

async function value(ctx, rerender) {
	const path = `${nsPath()}/groups/${seg(st.group)}/items/${seg(st.key)}`;
	const res = await manage(ctx.client, 'GET', path);
	const type = res.headers.get('Content-Type') || '';
	const views = { text: res.text, json: pretty(res.text), hex: hex(res.bytes) };
	const tabs = Object.keys(views).map((v) => button(v === 'json' ? 'pretty JSON' : v,
		() => { st.view = v; rerender(); }, { class: v === st.view ? 'chip active' : 'chip', 'aria-pressed': String(v === st.view) }));
	const retention = (await manage(ctx.client, 'GET', nsPath())).json?.retentionInSeconds;
	return section(`Value of ${st.key}`, h('p', { class: 'meta' },
		`Content type: ${type} · ${res.bytes.length} bytes · expiry: `,
		retention ? `${retention} s after it was written (the namespace's retention)` : 'never (indefinite retention)'),
	h('div', { class: 'row' }, tabs,
		button('Delete item', async () => {
			try { await manage(ctx.client, 'DELETE', path); st.key = undefined; toast('Item deleted'); rerender(); } catch (e) { toast(e.message); }
		}, { class: 'danger' })),
	h('pre', { class: 'value' }, views[st.view]),
	h('h3', {}, 'Edit'), itemForm(ctx, rerender, { text: res.text, type: type.split(';')[0] }));
}

export async function render(root, ctx) {
	const rerender = () => render(root, ctx).catch((e) => root.replaceChildren(failure(e)));
	const net = h('div', { class: 'row', role: 'group', 'aria-label': 'Network' }, ['staging', 'production'].map((n) =>
		button(n, () => { st.network = n; st.ns = st.group = st.key = undefined; rerender(); },
			{ class: n === st.network ? 'chip active' : 'chip', 'aria-pressed': String(n === st.network) })));
	const parts = [net, await namespaces(ctx, rerender)];
	if (st.ns) {
		try {
			parts.push(await groups(ctx, rerender));
			if (st.group) parts.push(await items(ctx, rerender));
			if (st.group && st.key) parts.push(await value(ctx, rerender));
			else parts.push(section('Write an item', itemForm(ctx, rerender)));
		} catch (e) {
			parts.push(failure(e));
		}
	}
	root.replaceChildren(...parts);
	root.dataset.ready = 'data';
}
