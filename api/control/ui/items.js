// Data, inside a group: its items a page at a time, filtered over all its keys, and one value
// with its expiry. The pages and the expiry come from the control API's view of the items
// (GET /_emulator/accounts/{account}/networks/…/groups/{group}/items), which the management
// API lacks; values are read, written and deleted through the management API as the chosen client.
import { control, manage, seg } from './http.js';
import { h, table, section, form, field, select, button, toast } from './dom.js';

export const SIZES = [10, 25, 50, 100];

// The control API's path of the chosen namespace.
export function browsePath(ctx, st) {
	return `/accounts/${seg(ctx.account)}/networks/${st.network}/namespaces/${seg(st.ns)}`;
}

// ?sandboxId= of the chosen sandbox, or nothing outside one.
function inSandbox(sandbox, sep = '?') {
	return sandbox ? `${sep}sandboxId=${seg(sandbox)}` : '';
}

function itemPath(st, group, key, sandbox) {
	return `/networks/${st.network}/namespaces/${seg(st.ns)}/groups/${seg(group)}/items/${seg(key)}${inSandbox(sandbox)}`;
}

// An RFC 3339 time as "2030-01-02 00:00:00 UTC"; null is "never".
export function expiry(when) {
	return when ? when.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC') : 'never';
}

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

export function itemForm(ctx, st, rerender, value) {
	return form('Write item', [
		field('Group', 'group', { required: true, value: st.group ?? '', size: 12 }),
		field('Key', 'key', { required: true, value: st.key ?? '', size: 16 }),
		st.network === 'staging' ? field('Sandbox id (optional)', 'sandboxId', { value: st.sandbox || '', size: 12 }) : null,
		select('Content type', 'type', ['text/plain', 'application/json', 'application/octet-stream'], value?.type || 'text/plain'),
		h('label', { class: 'wide' }, 'Value ', h('textarea', { name: 'value', rows: 4 }, value?.text ?? '')),
	], 'Save item', async (d) => {
		const sandbox = d.sandboxId || '';
		await manage(ctx.client, 'PUT', itemPath(st, d.group, d.key, sandbox), { raw: d.value, type: d.type });
		if (d.group !== st.group || sandbox !== st.sandbox) st.offset = 0;
		Object.assign(st, { group: d.group, key: d.key, sandbox });
		toast(`Item ${d.key} saved`);
		rerender();
	});
}

// One page of the group's items whose key contains st.filter; a page past the end (items were
// deleted) moves back to the last one.
async function fetchPage(ctx, st) {
	const ask = () => control('GET', `${browsePath(ctx, st)}/groups/${seg(st.group)}/items?offset=${st.offset}` +
		`&limit=${st.size}&contains=${seg(st.filter)}${inSandbox(st.sandbox, '&')}`);
	let page = await ask();
	if (!page.items.length && st.offset > 0 && page.total > 0) {
		st.offset = Math.floor((page.total - 1) / st.size) * st.size;
		page = await ask();
	}
	return page;
}

function pager(st, page, rerender) {
	const go = (offset) => { st.offset = offset; st.key = undefined; rerender(); };
	const filter = h('input', { id: 'items-filter', type: 'search', value: st.filter, placeholder: 'filter keys', maxlength: 512, 'aria-label': 'Filter keys' });
	filter.addEventListener('change', () => { st.filter = filter.value; st.offset = 0; rerender(); });
	const size = h('select', { id: 'items-size', 'aria-label': 'Page size' },
		SIZES.map((n) => h('option', { value: n, selected: n === st.size }, `${n} a page`)));
	size.addEventListener('change', () => { st.size = Number(size.value); st.offset = 0; rerender(); });
	const last = page.offset + page.items.length;
	return h('div', { class: 'row' }, filter, size,
		button('Previous', () => go(Math.max(0, st.offset - st.size)), { id: 'items-prev', 'data-alt': 'items-next', disabled: st.offset === 0 }),
		button('Next', () => go(st.offset + st.size), { id: 'items-next', 'data-alt': 'items-prev', disabled: last >= page.total }),
		h('span', { class: 'muted', role: 'status' }, page.total ? `${page.offset + 1}–${last} of ${page.total}` : '0 of 0'));
}

export async function items(ctx, st, rerender) {
	const page = await fetchPage(ctx, st);
	const empty = st.filter ? `No key of this group contains “${st.filter}”.` : 'No items in this group.';
	const list = table([
		{ title: 'Key', value: (i) => h('code', {}, i.key) },
		{ title: 'Content type', value: (i) => i.contentType },
		{ title: 'Bytes', value: (i) => String(i.bytes) },
		{ title: 'Expires', value: (i) => expiry(i.expiresAt) },
	], page.items, empty, (i) => { st.key = i.key; rerender(); });
	for (const tr of list.querySelectorAll('tbody tr'))
		if (tr.firstChild.textContent === st.key) tr.classList.add('active');
	return section(`Items of ${st.group}${st.sandbox ? ` in sandbox ${st.sandbox}` : ''}`, pager(st, page, rerender), list);
}

export async function value(ctx, st, rerender) {
	const path = itemPath(st, st.group, st.key, st.sandbox);
	const res = await manage(ctx.client, 'GET', path);
	const type = res.headers.get('Content-Type') || '';
	const meta = await control('GET', `${browsePath(ctx, st)}/groups/${seg(st.group)}/items/${seg(st.key)}${inSandbox(st.sandbox)}`);
	const views = { text: res.text, json: pretty(res.text), hex: hex(res.bytes) };
	const tabs = Object.keys(views).map((v) => button(v === 'json' ? 'pretty JSON' : v,
		() => { st.view = v; rerender(); }, { class: v === st.view ? 'chip active' : 'chip', 'aria-pressed': String(v === st.view) }));
	return section(`Value of ${st.key}`, h('p', { class: 'meta' },
		`Content type: ${type} · ${res.bytes.length} bytes · expires: ${expiry(meta.expiresAt)}`),
	h('div', { class: 'row' }, tabs,
		button('Delete item', async () => {
			try { await manage(ctx.client, 'DELETE', path); st.key = undefined; toast('Item deleted'); rerender(); } catch (e) { toast(e.message); }
		}, { class: 'danger' })),
	h('pre', { class: 'value' }, views[st.view]),
	h('h3', {}, 'Edit'), itemForm(ctx, st, rerender, { text: res.text, type: type.split(';')[0] }));
}
