// Small DOM helpers: every element is built with h(), never from HTML strings, so no value
// from the emulator is ever parsed as markup.
export function h(tag, attrs = {}, ...children) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === undefined || v === null || v === false) continue;
		if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
		else if (k === 'class') el.className = v;
		else if (v === true) el.setAttribute(k, '');
		else el.setAttribute(k, String(v));
	}
	for (const c of children.flat()) {
		if (c === undefined || c === null || c === false) continue;
		el.append(c instanceof Node ? c : String(c));
	}
	return el;
}

// A table of rows; columns: [{ title, value(row) -> string | Node }]. empty: text for no rows.
export function table(columns, rows, empty, onSelect) {
	if (!rows.length) return h('p', { class: 'empty' }, empty);
	const body = rows.map((row) => {
		const tr = h('tr', {}, columns.map((c) => h('td', { 'data-label': c.title }, c.value(row))));
		if (onSelect) {
			tr.tabIndex = 0;
			tr.classList.add('pick');
			tr.addEventListener('click', () => onSelect(row, tr));
			tr.addEventListener('keydown', (e) => {
				if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(row, tr); }
			});
		}
		return tr;
	});
	return h('div', { class: 'scroll' }, h('table', {},
		h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c.title)))),
		h('tbody', {}, body)));
}

// A form whose submit runs fn(data) and shows its error in place; fields: inputs and labels.
export function form(name, fields, submitText, fn) {
	const out = h('p', { class: 'form-error', role: 'alert', hidden: true });
	const el = h('form', { class: 'inline', 'aria-label': name }, fields,
		h('button', { type: 'submit' }, submitText), out);
	el.addEventListener('submit', async (e) => {
		e.preventDefault();
		out.hidden = true;
		try {
			await fn(Object.fromEntries(new FormData(el)), el);
		} catch (err) {
			out.textContent = err.message;
			out.hidden = false;
		}
	});
	return el;
}

export function field(label, name, attrs = {}) {
	return h('label', {}, `${label} `, h('input', { name, ...attrs }));
}

export function select(label, name, options, value) {
	return h('label', {}, `${label} `, h('select', { name },
		options.map((o) => h('option', { value: o, selected: o === value }, o))));
}

export function section(title, ...children) {
	return h('section', { class: 'card', 'aria-label': title }, h('h2', {}, title), children);
}

// An error in the area, with its EKV_ code and text.
export function failure(err) {
	return h('p', { class: 'error', role: 'alert' }, err.message);
}

// Draws root from build(), which may call the APIs and returns the parts (or throws, shown as
// a failure). Only the newest drawing of a root lands: an older one that ends later would paint
// what was true before the click that started the newer one, and would replace fields someone
// is already typing in. aria-busy marks a drawing on its way (screen readers, and the browser
// tests, wait for it). Resolves true when this drawing landed.
const drawings = new WeakMap();
export async function paint(root, build) {
	const ticket = (drawings.get(root) ?? 0) + 1;
	drawings.set(root, ticket);
	root.setAttribute('aria-busy', 'true');
	let parts;
	try { parts = await build(); } catch (e) { parts = failure(e); }
	if (drawings.get(root) !== ticket) return false;
	root.replaceChildren(...[].concat(parts));
	root.removeAttribute('aria-busy');
	return true;
}

// An area's draw(): build(draw) returns its parts and hands draw to its buttons as their
// rerender. A rerender asked for once the console shows another area (or this one anew:
// ctx.view counts the showings) draws nothing, so a late answer cannot take the screen back.
export function drawer(root, ctx, build) {
	const view = ctx.view;
	const draw = () => (ctx.view === view ? paint(root, () => build(draw)) : Promise.resolve(false));
	return draw;
}

export function button(text, fn, attrs = {}) {
	return h('button', { type: 'button', ...attrs, onclick: fn }, text);
}

let toastTimer;
export function toast(text) {
	const el = document.getElementById('toast');
	el.textContent = text;
	el.hidden = false;
	clearTimeout(toastTimer);
	toastTimer = setTimeout(() => { el.hidden = true; }, 4000);
}

export function json(v) {
	return JSON.stringify(v, null, 2);
}
