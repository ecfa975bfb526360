// Accounts: every account, and the chosen one's access groups, users and API clients
// (read-only; the control API creates them).
import { h, table, section, json, paint } from './dom.js';

function roles(r) {
	return h('code', { class: 'roles' }, JSON.stringify(r ?? []));
}

export function render(root, ctx) {
	return paint(root, () => sections(ctx));
}

function sections(ctx) {
	const d = ctx.detail;
	const parts = [section('Accounts', table([
		{ title: 'Account', value: (a) => a.id },
		{ title: 'Status', value: (a) => a.status },
		{ title: 'CP code', value: (a) => a.cpcode || '—' },
		{ title: 'Standard TLS', value: (a) => (a.standardTls ? 'yes' : 'no') },
	], ctx.accounts, 'No accounts: create one with POST /_emulator/accounts.', async (a) => {
		const sel = document.getElementById('account');
		sel.value = a.id;
		sel.dispatchEvent(new Event('change'));
	}))];
	if (d) {
		parts.push(section(`Access groups of ${d.id}`, table([
			{ title: 'Group', value: (g) => String(g.groupId) },
			{ title: 'Name', value: (g) => g.groupName },
			{ title: 'Parent', value: (g) => (g.parentGroupId ? String(g.parentGroupId) : '—') },
			{ title: 'Owns the CP code', value: (g) => (g.groupId === d.cpcodeGroupId ? 'yes' : '') },
		], d.groups || [], 'No access groups.')));
		parts.push(section('Users', table([
			{ title: 'User', value: (u) => u.name },
			{ title: 'Email', value: (u) => u.email || '—' },
			{ title: 'Roles', value: (u) => roles(u.roles) },
		], d.users || [], 'No users.')));
		parts.push(section('API clients', table([
			{ title: 'Client token', value: (c) => h('code', {}, c.clientToken) },
			{ title: 'User', value: (c) => c.user },
			{ title: 'Grant', value: (c) => c.grant },
			{ title: 'Active', value: (c) => (c.active ? 'yes' : 'no') },
			{ title: 'Account switch', value: (c) => [].concat(c.accountSwitch ?? []).join(', ') || '—' },
			{ title: 'Roles', value: (c) => roles(c.roles) },
		], d.clients || [], 'No API clients: the console needs one to call the management API.')));
		parts.push(h('details', {}, h('summary', {}, 'Account as JSON'),
			h('pre', {}, json({ ...d, clients: undefined, users: undefined, groups: undefined }))));
	}
	return parts;
}
