// Data: per network, the namespaces and their groups (sandbox groups marked), through the
// management API as the chosen API client; inside a group, items.js.
import { control, manage, seg, ApiError } from './http.js';
import { h, table, section, form, field, select, failure, button, toast, drawer } from './dom.js';
import { browsePath, itemForm, items, value } from './items.js';

const st = { network: 'staging', ns: undefined, group: undefined, sandbox: '', key: undefined, view: 'text', offset: 0, size: 50, filter: '' };

// A namespace (or none) is chosen: nothing inside the old one stays chosen.
function pickNamespace(ns) { Object.assign(st, { ns, group: undefined, sandbox: '', key: undefined, offset: 0, filter: '' }); }

function nsPath(ns) { return `/networks/${st.network}/namespaces/${seg(ns ?? st.ns)}`; }

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
		pickNamespace(d.namespace);
		toast(`Namespace ${d.namespace} created`);
		rerender();
	});
	return section(`Namespaces on ${st.network}`, table([
		{ title: 'Namespace', value: (n) => n.namespace },
		{ title: 'Retention (s)', value: (n) => (n.retentionInSeconds ? String(n.retentionInSeconds) : 'indefinite') },
		{ title: 'Geo', value: (n) => n.geoLocation },
		{ title: 'Group', value: (n) => String(n.groupId) },
		{ title: 'Policy', value: (n) => `${n.dataAccessPolicy?.restrictDataAccess ? 'restricted' : 'open'} (${n.dataAccessPolicy?.policyType})` },
	], list, 'No namespaces on this network.', (n) => { pickNamespace(n.namespace); rerender(); }), create);
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
			if (gone) pickNamespace(undefined);
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

// The groups as the API lists them, each sandbox group marked: the control API tells which
// are (the API lists one as <group>_<sandboxId> under the sandbox-groups-in-staging known issue,
// or not at all without it; those come last, marked "not listed by the API").
async function groupEntries(ctx, list) {
	if (st.network !== 'staging') return list.map((name) => ({ name, group: name, sandbox: '' }));
	const all = (await control('GET', `${browsePath(ctx, st)}/groups`)).groups;
	const own = new Set(all.filter((g) => !g.sandboxId).map((g) => g.group));
	const sandboxed = all.filter((g) => g.sandboxId).map((g) => ({ name: `${g.group}_${g.sandboxId}`, group: g.group, sandbox: g.sandboxId }));
	const entries = list.map((name) => (!own.has(name) && sandboxed.find((g) => g.name === name)) || { name, group: name, sandbox: '' });
	const unlisted = sandboxed.filter((g) => !entries.includes(g)).map((g) => ({ ...g, unlisted: true }));
	return entries.concat(unlisted);
}

function groupChip(g, rerender) {
	const active = g.group === st.group && g.sandbox === st.sandbox;
	const badge = g.sandbox ? h('span', { class: 'badge' }, g.unlisted ? 'sandbox, not listed by the API' : 'sandbox') : null;
	return h('li', {}, button([g.name, badge], () => {
		Object.assign(st, { group: g.group, sandbox: g.sandbox, key: undefined, offset: 0, filter: '' });
		rerender();
	}, { class: active ? 'chip active' : 'chip', 'aria-pressed': String(active),
		title: g.sandbox ? `Group ${g.group} of sandbox ${g.sandbox}` : undefined }));
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
	const entries = await groupEntries(ctx, list);
	return section(`Groups of ${st.ns}`, await scheduled(ctx, rerender),
		entries.length ? h('ul', { class: 'chips' }, entries.map((g) => groupChip(g, rerender)))
			: h('p', { class: 'empty' }, note));
}

export function render(root, ctx) {
	const draw = drawer(root, ctx, () => areaParts(ctx, rerender));
	function rerender() {
		// The pager's controls keep the focus; a button that turned disabled hands it to its data-alt.
		const focused = document.activeElement?.id;
		return draw().then((landed) => {
			const el = landed && focused && document.getElementById(focused);
			if (el) (el.disabled ? document.getElementById(el.dataset.alt) : el)?.focus();
		});
	}
	return draw();
}

// The area's parts: the networks, their namespaces, and inside one its groups, items and value.
async function areaParts(ctx, rerender) {
	const net = h('div', { class: 'row', role: 'group', 'aria-label': 'Network' }, ['staging', 'production'].map((n) =>
		button(n, () => { st.network = n; pickNamespace(undefined); rerender(); },
			{ class: n === st.network ? 'chip active' : 'chip', 'aria-pressed': String(n === st.network) })));
	const parts = [net, await namespaces(ctx, rerender)];
	if (st.ns) {
		try {
			parts.push(await groups(ctx, rerender));
			if (st.group) parts.push(await items(ctx, st, rerender));
			if (st.group && st.key) parts.push(await value(ctx, st, rerender));
			else parts.push(section('Write an item', itemForm(ctx, st, rerender)));
		} catch (e) {
			parts.push(failure(e));
		}
	}
	return parts;
}
