// Controls: the clock, consistency and settle, fault rules, the known-issues profile,
// snapshots and the reset of one account, all through the control API.
import { control, seg } from './http.js';
import { h, table, section, form, field, select, failure, button, toast, drawer } from './dom.js';

async function clock(rerender) {
	const c = await control('GET', '/clock');
	const move = async (body, what) => {
		try { await control('POST', '/clock', body); toast(what); rerender(); } catch (e) { toast(e.message); }
	};
	return section('Clock', h('p', { class: 'big', id: 'clock-now' }, c.now, c.frozen ? ' (frozen)' : ' (running)'),
		h('div', { class: 'row' },
			button('+1 minute', () => move({ advanceSeconds: 60 }, 'Clock advanced a minute')),
			button('+1 hour', () => move({ advanceSeconds: 3600 }, 'Clock advanced an hour')),
			button('+1 day', () => move({ advanceSeconds: 86400 }, 'Clock advanced a day')),
			button(c.frozen ? 'Unfreeze' : 'Freeze', () => move({ freeze: !c.frozen }, c.frozen ? 'Clock running' : 'Clock frozen')),
			button('Back to wall clock', () => move({ reset: true }, 'Clock reset'))),
		form('Move the clock', [
			field('Advance by (s)', 'advance', { type: 'number', size: 8 }),
			field('or set to (RFC 3339)', 'set', { size: 24, placeholder: '2030-01-01T00:00:00Z' }),
		], 'Apply', async (d) => {
			const body = {};
			if (d.set) body.set = d.set;
			if (d.advance) body.advanceSeconds = Number(d.advance);
			await control('POST', '/clock', body);
			toast('Clock moved');
			rerender();
		}));
}

async function consistency(ctx, rerender) {
	const q = `?account=${seg(ctx.account)}`;
	const s = await control('GET', `/settings${q}`);
	return section('Consistency', h('p', {}, `Mode: ${s.consistency}`,
		s.consistency === 'eventual' ? ` (${s.consistencyDelaySeconds} s)` : ''),
	form('Consistency', [
		select('Mode', 'consistency', ['immediate', 'eventual'], s.consistency),
		field('Delay (s)', 'delay', { type: 'number', min: 0, value: s.consistencyDelaySeconds, size: 5 }),
	], 'Apply', async (d) => {
		const body = { consistency: d.consistency };
		if (d.consistency === 'eventual' && d.delay !== '') body.consistencyDelaySeconds = Number(d.delay);
		await control('PUT', `/settings${q}`, body);
		toast(`Consistency ${d.consistency}`);
		rerender();
	}),
	button('Settle now', async () => {
		try { await control('POST', `/settle${q}`); toast('Every delayed write and delete is done'); } catch (e) { toast(e.message); }
	}));
}

async function faults(ctx, rerender) {
	const { faults: list = [] } = await control('GET', '/faults');
	const mine = list.filter((f) => f.account === ctx.account || f.account === '*');
	return section('Fault rules', table([
		{ title: 'Id', value: (f) => String(f.id) },
		{ title: 'Matches', value: (f) => [f.method, f.pathPrefix, f.route, f.network, f.namespace].filter(Boolean).join(' ') || 'every request' },
		{ title: 'Action', value: (f) => [f.status && `status ${f.status}`, f.latencyMs && `latency ${JSON.stringify(f.latencyMs)} ms`].filter(Boolean).join(', ') },
		{ title: 'Fired / matched', value: (f) => `${f.fired ?? 0} / ${f.matched ?? 0}` },
		{ title: '', value: (f) => button('Remove', async () => {
			try { await control('DELETE', `/faults/${f.id}`); toast(`Fault ${f.id} removed`); rerender(); } catch (e) { toast(e.message); }
		}, { 'aria-label': `Remove fault ${f.id}` }) },
	], mine, 'No fault rules: requests are answered normally.'),
	form('Add fault', [
		select('Method', 'method', ['any', 'GET', 'PUT', 'POST', 'DELETE'], 'any'),
		field('Path prefix', 'pathPrefix', { size: 22, placeholder: '/edgekv/v1/networks/staging/' }),
		select('Status', 'status', ['none', '429', '500', '503', '504'], '500'),
		field('Latency (ms)', 'latencyMs', { type: 'number', min: 0, size: 6 }),
		field('First N only', 'failFirst', { type: 'number', min: 1, size: 4 }),
	], 'Add', async (d) => {
		const body = { account: ctx.account };
		if (d.method !== 'any') body.method = d.method;
		if (d.pathPrefix) body.pathPrefix = d.pathPrefix;
		if (d.status !== 'none') body.status = Number(d.status);
		if (d.latencyMs) body.latencyMs = Number(d.latencyMs);
		if (d.failFirst) body.failFirst = Number(d.failFirst);
		await control('POST', `/faults?account=${seg(ctx.account)}`, body);
		toast('Fault added');
		rerender();
	}));
}

async function knownIssues(ctx, rerender) {
	const q = `?account=${seg(ctx.account)}`;
	const { issues = [] } = await control('GET', `/known-issues${q}`);
	return section('Known issues', h('ul', { class: 'switches' }, issues.map((i) => {
		const box = h('input', { type: 'checkbox', checked: i.enabled, id: `issue-${i.name}` });
		box.addEventListener('change', async () => {
			try { await control('PUT', `/known-issues${q}`, { [i.name]: box.checked }); toast(`${i.name} ${box.checked ? 'on' : 'off'}`); } catch (e) { toast(e.message); rerender(); }
		});
		return h('li', {}, box, h('label', { for: `issue-${i.name}` }, ` ${i.name} `), h('span', { class: 'muted' }, i.seedSection || ''));
	})), h('div', { class: 'row' }, ['default', 'all', 'none'].map((p) => button(`Profile: ${p}`, async () => {
		try { await control('PUT', `/known-issues${q}`, { profile: p }); toast(`Profile ${p}`); rerender(); } catch (e) { toast(e.message); }
	}))));
}

async function snapshots(rerender) {
	const { snapshots: names = [] } = await control('GET', '/snapshots');
	const act = async (method, path, what, body) => {
		try { await control(method, path, body); toast(what); rerender(); } catch (e) { toast(e.message); }
	};
	return section('Snapshots', table([
		{ title: 'Name', value: (n) => n },
		{ title: '', value: (n) => h('span', { class: 'row' },
			button('Restore', () => act('POST', `/snapshots/${seg(n)}/restore`, `Snapshot ${n} restored`), { 'aria-label': `Restore ${n}` }),
			button('Delete', () => act('DELETE', `/snapshots/${seg(n)}`, `Snapshot ${n} deleted`), { 'aria-label': `Delete ${n}` })) },
	], names, 'No snapshots yet.'),
	form('Take snapshot', [field('Name', 'name', { required: true, size: 16 })], 'Take snapshot', async (d) => {
		await control('POST', '/snapshots', { name: d.name });
		toast(`Snapshot ${d.name} taken`);
		rerender();
	}));
}

function reset(ctx) {
	return section('Reset', h('p', {}, `Back to the start for ${ctx.account}: its namespaces, items and tokens go, its identities stay, its settings and faults return to the defaults. Other accounts are not touched.`),
		button(`Reset ${ctx.account}`, async () => {
			if (!window.confirm(`Reset account ${ctx.account}?`)) return;
			try { await control('POST', '/reset', { account: ctx.account }); toast(`Account ${ctx.account} reset`); await ctx.reload(); } catch (e) { toast(e.message); }
		}, { class: 'danger' }));
}

export function render(root, ctx) {
	return drawer(root, ctx, async (rerender) => {
		const parts = [];
		for (const part of [() => clock(rerender), () => consistency(ctx, rerender), () => faults(ctx, rerender),
			() => knownIssues(ctx, rerender), () => snapshots(rerender), () => reset(ctx)]) {
			try { parts.push(await part()); } catch (e) { parts.push(failure(e)); }
		}
		return h('div', { class: 'grid' }, parts);
	})();
}
