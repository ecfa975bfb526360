// The web console (/_emulator/ui/) in a real headless Chromium: Debian's chromium, driven by
// puppeteer-core. Each area is used as a person would (forms, buttons, the keyboard) against a
// running emulator, and what it did is checked through the APIs. A screenshot of each area goes
// to $EKV_SHOTS (make sets build/<BUILD>/console/). Every wait is bounded.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import puppeteer from 'puppeteer-core';
import { REPO_ROOT, itemPath, nsPath, plainRequest, startServer } from '../api/helpers.mjs';

const CHROMIUM = process.env.EKV_CHROMIUM || '/usr/bin/chromium';
const SHOTS = process.env.EKV_SHOTS || join(REPO_ROOT, 'build/release/console');
// Generous for a loaded 2-core machine; a normal run takes a fraction of it.
const WAIT_MS = 15_000;
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

let srv;
let browser;
let page;
const pageErrors = [];

async function ctl(method, path, body) {
	const res = await plainRequest(`${srv.httpUrl}/_emulator${path}`, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.body}`);
	return res.json;
}

// A fresh load of the console on an area (a goto that only repeats the #fragment would not load).
async function open(hash) {
	await page.goto('about:blank');
	await page.goto(`${srv.httpUrl}/_emulator/ui/${hash}`, { waitUntil: 'load', timeout: WAIT_MS });
	await page.waitForSelector(`#area[data-ready="${hash.slice(1)}"]`, { timeout: WAIT_MS });
}

// Waits until the area (or selector) shows text and no drawing of the area is on its way: a
// drawing that lands later replaces the forms, so typing into them before it would be lost.
async function waitText(text, selector = '#area') {
	await page.waitForFunction((s, t) => !document.getElementById('area').hasAttribute('aria-busy') &&
		document.querySelector(s)?.innerText.includes(t), { timeout: WAIT_MS }, selector, text);
}

async function waitGone(text, selector = '#area') {
	await page.waitForFunction((s, t) => !document.getElementById('area').hasAttribute('aria-busy') &&
		!document.querySelector(s)?.innerText.includes(t), { timeout: WAIT_MS }, selector, text);
}

// Clicks the button (or link) whose text is exactly text, inside scope.
async function click(text, scope = 'body') {
	const done = await page.evaluate((s, t) => {
		const el = [...document.querySelector(s).querySelectorAll('button, a')].find((b) => b.textContent.trim() === t);
		if (el) el.click();
		return Boolean(el);
	}, scope, text);
	assert.ok(done, `no button '${text}' in ${scope}`);
}

// The table row of the section titled section that contains text.
async function rowText(section, text) {
	return page.evaluate((s, t) => {
		const card = [...document.querySelectorAll('section.card')].find((c) => c.querySelector('h2')?.textContent === s);
		return [...(card?.querySelectorAll('tbody tr') ?? [])].map((r) => r.innerText).find((r) => r.includes(t));
	}, section, text);
}

async function fill(formName, values) {
	for (const [name, value] of Object.entries(values)) {
		const sel = `form[aria-label="${formName}"] [name="${name}"]`;
		const kind = await page.$eval(sel, (el) => `${el.tagName}:${el.type}`);
		if (kind.startsWith('SELECT')) await page.select(sel, value);
		else if (kind === 'INPUT:date') await page.$eval(sel, (el, v) => { el.value = v; }, value);
		else if (kind === 'INPUT:checkbox') {
			if (await page.$eval(sel, (el) => el.checked) !== value) await page.click(sel);
		} else {
			await page.$eval(sel, (el) => { el.value = ''; });
			await page.type(sel, value);
		}
	}
}

async function submit(formName) {
	await page.click(`form[aria-label="${formName}"] button[type=submit]`);
}

async function formError(formName) {
	const sel = `form[aria-label="${formName}"] .form-error`;
	await page.waitForSelector(`${sel}:not([hidden])`, { timeout: WAIT_MS });
	return page.$eval(sel, (el) => el.textContent);
}

async function shot(name) {
	await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

describe('web console', { timeout: 110_000 }, () => {
	before(async () => {
		mkdirSync(SHOTS, { recursive: true });
		srv = await startServer({ args: ['--no-access-log'] });
		browser = await puppeteer.launch({
			executablePath: CHROMIUM,
			headless: true,
			args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
			timeout: 20_000,
		});
		page = await browser.newPage();
		await page.setViewport({ width: 1280, height: 860 });
		page.on('pageerror', (e) => pageErrors.push(e.message));
		page.on('dialog', (d) => d.accept());
	});

	after(async () => {
		await browser?.close();
		await srv?.close();
	});

	test('Accounts: every account, its groups, users and API clients; narrow window', async () => {
		await ctl('POST', '/accounts', { id: '1-SECOND', initialized: false });
		await open('#accounts');
		await waitText('akab-emulator-client-token-000000');
		assert.match(await rowText('Accounts', '1-SECOND'), /1-SECOND\s+UNINITIALIZED/);
		assert.match(await rowText('API clients', 'akab-emulator-client-token-000000'), /admin\s+READ-WRITE\s+yes/);
		assert.match(await rowText('Access groups of 1-DEFAULT', '10000'), /10000\s+Default Group\s+—\s+yes/);
		assert.equal(await page.$eval('#client', (s) => s.value), 'akab-emulator-client-token-000000');
		await shot('accounts');
		// The keyboard picks an account: the second one has no API client.
		await page.focus('section.card tbody tr:nth-child(2)');
		await page.keyboard.press('Enter');
		await waitText('No API clients: the console needs one to call the management API.');
		assert.equal(await page.$eval('#account', (s) => s.value), '1-SECOND');
		await page.select('#account', '1-DEFAULT');
		await waitText('akab-emulator-client-token-000000');
		// A narrow window: nothing wider than the window.
		await page.setViewport({ width: 420, height: 860 });
		await waitText('Default Group');
		assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
			'the page scrolls sideways at 420 px');
		await shot('accounts-narrow');
		await page.setViewport({ width: 1280, height: 860 });
	});

	test('Data: namespaces, groups, items and values, with the API\'s own errors', async () => {
		// A READ-ONLY client for later; the console acts as the READ-WRITE one unless told.
		const ro = await ctl('POST', '/accounts/1-DEFAULT/clients', { user: 'admin', grant: 'READ-ONLY' });
		await open('#data');
		await waitText('Namespaces on staging');
		assert.equal(await page.$eval('#client', (s) => s.value), 'akab-emulator-client-token-000000');
		await fill('Create namespace', { namespace: 'console_ns', retentionInSeconds: '86400' });
		await submit('Create namespace');
		await waitText('console_ns');
		assert.equal((await srv.get(nsPath('staging', 'console_ns'))).json.retentionInSeconds, 86400);
		// A namespace that exists: the API's 409 with its code and text.
		await fill('Create namespace', { namespace: 'console_ns' });
		await submit('Create namespace');
		// The same body as the console's (the form is back to retention 0): another configuration.
		const dup = await srv.post(nsPath('staging'), { namespace: 'console_ns', retentionInSeconds: 0, groupId: 0, geoLocation: 'US' });
		assert.equal(dup.status, 409);
		assert.equal(await formError('Create namespace'), `${dup.status} ${dup.json.errorCode}: ${dup.json.detail}`);

		const row = await page.evaluateHandle(() => [...document.querySelectorAll('tbody tr')].find((r) => r.innerText.startsWith('console_ns')));
		await row.focus();
		await page.keyboard.press('Enter');
		await waitText('Groups of console_ns');
		await waitText('No delete scheduled.');
		await fill('Write item', { group: 'g1', key: 'k1', type: 'application/json', value: '{"a":[1,2]}' });
		await submit('Write item');
		await waitText('Value of k1');
		assert.equal((await srv.get(itemPath('staging', 'console_ns', 'g1', 'k1'))).body, '{"a":[1,2]}');
		assert.equal(await page.$eval('pre.value', (p) => p.textContent), '{"a":[1,2]}');
		// The item's own expiry, from the control API (the management API does not return it).
		const { expiresAt } = await ctl('GET', '/accounts/1-DEFAULT/networks/staging/namespaces/console_ns/groups/g1/items/k1');
		assert.ok(Math.abs(Date.parse(expiresAt) - Date.now() - 86400_000) < 60_000, expiresAt);
		await waitText(`Content type: application/json · 11 bytes · expires: ${expiresAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`);
		await click('pretty JSON');
		await waitText('"a": [', 'pre.value');
		await click('hex');
		await waitText('00000000  7b 22 61 22 3a 5b 31 2c 32 5d 7d', 'pre.value');
		await shot('data');

		// Edit the value in place.
		await fill('Write item', { type: 'text/plain', value: 'second' });
		await submit('Write item');
		await waitText('Content type: text/plain');
		assert.equal((await srv.get(itemPath('staging', 'console_ns', 'g1', 'k1'))).body, 'second');

		// As a READ-ONLY client, a write gets the API's refusal, shown as the API gives it.
		await page.select('#client', ro.clientToken);
		await waitText('Value of k1');
		await fill('Write item', { value: 'third' });
		await submit('Write item');
		// The API gateway's refusal (no EKV_ code: EdgeKV never sees the request).
		assert.equal(await formError('Write item'), '403: The client does not have the grant needed for the request');
		assert.equal((await srv.get(itemPath('staging', 'console_ns', 'g1', 'k1'))).body, 'second');
		await page.select('#client', 'akab-emulator-client-token-000000');
		await waitText('Value of k1');

		await click('Delete item');
		await waitText('No items in this group.');
		assert.equal((await srv.get(itemPath('staging', 'console_ns', 'g1', 'k1'))).status, 404);
		await click('Delete now');
		await waitGone('console_ns');
		assert.equal((await srv.get(nsPath('staging', 'console_ns'))).status, 400);

		// A drawing overtaken by a newer one does not land: staging's namespace list is held a
		// second, production is picked meanwhile, and production's list stays once both have
		// answered, not staging's under production's title.
		assert.equal((await srv.post(nsPath('staging'), { namespace: 'staging_only', retentionInSeconds: 0, groupId: 0 })).status, 200);
		const slow = await ctl('POST', '/faults', { route: '/edgekv/v1/networks/{network}/namespaces', network: 'staging', latencyMs: 1000 });
		await click('staging');
		await click('production');
		await waitText('Namespaces on production');
		await page.waitForNetworkIdle({ idleTime: 300, timeout: WAIT_MS });
		assert.equal((await ctl('GET', '/faults')).faults[0].fired, 1);
		const shown = await page.$eval('#area', (a) => a.innerText);
		assert.match(shown, /Namespaces on production/);
		assert.doesNotMatch(shown, /staging_only/);
		await ctl('DELETE', `/faults/${slow.id}`);
		assert.equal((await srv.del(`${nsPath('staging', 'staging_only')}?sync=true`)).status, 200);

		// Nor does the redrawing a form asks for once its answer comes, when the console has
		// moved to another area meanwhile: the create is held a second, Controls is opened.
		const held = await ctl('POST', '/faults', { route: '/edgekv/v1/networks/{network}/namespaces', method: 'POST', latencyMs: 1000 });
		await fill('Create namespace', { namespace: 'late_ns' });
		await submit('Create namespace');
		await page.evaluate(() => { location.hash = '#controls'; });
		await page.waitForSelector('#area[data-ready="controls"]', { timeout: WAIT_MS });
		await page.waitForNetworkIdle({ idleTime: 300, timeout: WAIT_MS });
		assert.equal((await ctl('GET', '/faults')).faults[0].fired, 1);
		const after = await page.$eval('#area', (a) => a.innerText);
		assert.match(after, /Snapshots/);
		assert.doesNotMatch(after, /Namespaces on/);
		await ctl('DELETE', `/faults/${held.id}`);
		assert.equal((await srv.del(`${nsPath('production', 'late_ns')}?sync=true`)).status, 200);
	});

	test('Data: sandbox groups marked; items paged, filtered over every key; expiry', async () => {
		const T = Date.parse('2030-01-01T00:00:00.000Z');
		const utc = (days) => new Date(T + days * 86400_000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
		await ctl('POST', '/clock', { set: new Date(T).toISOString(), freeze: true });
		assert.equal((await srv.post(nsPath('staging'), { namespace: 'paged_ns', retentionInSeconds: 86400, groupId: 0 })).status, 200);
		const keys = Array.from({ length: 60 }, (_, i) => `k${String(i).padStart(2, '0')}`);
		for (const k of keys)
			assert.equal((await srv.put(itemPath('staging', 'paged_ns', 'pg', k), `v-${k}`, { headers: { 'Content-Type': 'text/plain' } })).status, 200);
		assert.equal((await srv.put(`${itemPath('staging', 'paged_ns', 'pg', 'sbkey')}?sandboxId=sb-1`, 'in sandbox', { headers: { 'Content-Type': 'text/plain' } })).status, 200);
		const chips = () => page.$$eval('section[aria-label="Groups of paged_ns"] .chips button',
			(bs) => bs.map((b) => [b.firstChild.textContent, b.querySelector('.badge')?.textContent ?? '']));
		const status = () => page.$eval('#area [role=status]', (el) => el.textContent);
		const keysShown = () => page.$$eval('section[aria-label^="Items of"] tbody tr', (rs) => rs.map((r) => r.firstChild.textContent));

		await open('#data');
		const row = await page.evaluateHandle(() => [...document.querySelectorAll('tbody tr')].find((r) => r.innerText.startsWith('paged_ns')));
		await row.focus();
		await page.keyboard.press('Enter');
		await waitText('Groups of paged_ns');
		// The API lists the sandbox copy as pg_sb-1 (known issue sandbox-groups-in-staging): marked.
		assert.deepEqual(await chips(), [['pg', ''], ['pg_sb-1', 'sandbox']]);
		await click('pg', 'section[aria-label="Groups of paged_ns"]');
		await waitText('Items of pg');
		assert.equal(await status(), '1–50 of 60');
		assert.deepEqual(await keysShown(), keys.slice(0, 50));
		assert.match(await rowText('Items of pg', 'k07'), /k07\s+text\/plain\s+5\s+2030-01-02 00:00:00 UTC/);
		// Next and Previous by keyboard; the focus stays on the pager.
		await page.focus('#items-next');
		await page.keyboard.press('Enter');
		await waitText('51–60 of 60');
		assert.deepEqual(await keysShown(), keys.slice(50));
		// The last page: Next is disabled and hands the focus to Previous, and back on the first.
		assert.equal(await page.$eval('#items-next', (b) => b.disabled), true);
		assert.equal(await page.evaluate(() => document.activeElement.id), 'items-prev');
		await page.keyboard.press('Enter');
		await waitText('1–50 of 60');
		assert.equal(await page.evaluate(() => document.activeElement.id), 'items-next');
		await page.select('#items-size', '10');
		await waitText('1–10 of 60');
		// The filter applies to every key of the group, not to the page fetched.
		await page.type('#items-filter', '5');
		await page.keyboard.press('Enter');
		const fives = keys.filter((k) => k.includes('5'));
		await waitText(`1–10 of ${fives.length}`);
		assert.deepEqual(await keysShown(), fives.slice(0, 10));
		await click('Next');
		await waitText(`11–${fives.length} of ${fives.length}`);
		assert.deepEqual(await keysShown(), fives.slice(10));
		await shot('data-items');
		const k59 = await page.evaluateHandle(() => [...document.querySelectorAll('tbody tr')].find((r) => r.innerText.startsWith('k59')));
		await k59.focus();
		await page.keyboard.press('Enter');
		await waitText('Value of k59');
		await waitText(`5 bytes · expires: ${utc(1)}`);

		// A sandbox group: its items and values through sandboxId; they live two days.
		await page.click('section[aria-label="Groups of paged_ns"] .chips li:nth-child(2) button');
		await waitText('Items of pg in sandbox sb-1');
		assert.deepEqual(await keysShown(), ['sbkey']);
		const sb = await page.evaluateHandle(() => [...document.querySelectorAll('tbody tr')].find((r) => r.innerText.startsWith('sbkey')));
		await sb.focus();
		await page.keyboard.press('Enter');
		await waitText('Value of sbkey');
		assert.equal(await page.$eval('pre.value', (p) => p.textContent), 'in sandbox');
		await waitText(`10 bytes · expires: ${utc(2)}`);
		await fill('Write item', { key: 'typed', value: 'typed in' });
		await submit('Write item');
		await waitText('Value of typed');
		assert.equal((await srv.get(`${itemPath('staging', 'paged_ns', 'pg', 'typed')}?sandboxId=sb-1`)).body, 'typed in');
		assert.equal((await srv.get(itemPath('staging', 'paged_ns', 'pg', 'typed'))).status, 404);

		// Without the known issue the API does not list it: the console still shows it, marked.
		await ctl('PUT', '/known-issues', { 'sandbox-groups-in-staging': false });
		await open('#data');
		const again = await page.evaluateHandle(() => [...document.querySelectorAll('tbody tr')].find((r) => r.innerText.startsWith('paged_ns')));
		await again.focus();
		await page.keyboard.press('Enter');
		await waitText('Groups of paged_ns');
		assert.deepEqual(await chips(), [['pg', ''], ['pg_sb-1', 'sandbox, not listed by the API']]);
		await page.setViewport({ width: 420, height: 860 });
		await click('pg', 'section[aria-label="Groups of paged_ns"]');
		await waitText('1–50 of 60');
		assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
			'the items fit a narrow window');
		await shot('data-items-narrow');
		await page.setViewport({ width: 1280, height: 860 });
		await ctl('PUT', '/known-issues', { profile: 'default' });
		await ctl('POST', '/clock', { reset: true });
		assert.equal((await srv.del(`${nsPath('staging', 'paged_ns')}?sync=true`)).status, 200);
	});

	test('Tokens: create, list, refresh, revoke, the bundle and the expiry notices', async () => {
		await ctl('POST', '/clock', { set: '2030-01-01T00:00:00Z', freeze: true });
		await open('#tokens');
		await waitText('No tokens: create one below.');
		await fill('Create token', { name: 'console_tok', perms: 'default:rw' });
		await submit('Create token');
		await waitText('console_tok');
		assert.match(await rowText('Access tokens', 'console_tok'), /console_tok\s+enhanced\s+staging\s+default: rw\s+IN_PROGRESS\s+9999-12-31/);
		await fill('Create token', { name: 'legacy_tok', perms: 'default:r', expiry: '2030-01-20', production: true });
		await submit('Create token');
		await waitText('legacy_tok');
		assert.match(await rowText('Access tokens', 'legacy_tok'), /legacy_tok\s+legacy\s+production, staging\s+default: r\s+COMPLETE\s+2030-01-20/);
		assert.equal((await srv.get('/edgekv/v1/tokens/legacy_tok')).status, 200);
		// The bundle link names the namespaces and the account.
		const href = await page.$eval('a[download="edgekv_tokens.js"]', (a) => a.getAttribute('href'));
		assert.equal(href, '/_emulator/tokens/edgekv_tokens.js?namespace=default&account=1-DEFAULT');
		const bundle = await page.evaluate(async (u) => (await fetch(u)).text(), href);
		assert.match(bundle, /"namespace-default"/);
		// Thirteen days on, the legacy token is a week from expiry: the daily check's notice.
		await ctl('POST', '/clock', { advanceSeconds: 13 * 86400 });
		await open('#tokens');
		await waitText('legacy_tok');
		assert.match(await rowText('Expiry notices', 'legacy_tok'), /2030-01-1\d\S*\s+7\s+/);
		await shot('tokens');
		await click('Refresh');
		await waitText('Token console_tok refreshed', '#toast');
		await page.evaluate(() => {
			const row = [...document.querySelectorAll('tbody tr')].find((r) => r.innerText.startsWith('legacy_tok'));
			[...row.querySelectorAll('button')].find((b) => b.textContent === 'Revoke').click();
		});
		await waitText('Token legacy_tok revoked', '#toast');
		assert.equal((await srv.get('/edgekv/v1/tokens/legacy_tok')).status, 404);
		await ctl('POST', '/clock', { reset: true });
	});

	test('Requests: the journal live, filters, one request whole, as curl', async () => {
		await ctl('DELETE', '/requests');
		// A journal whose first read failed shows the failure once and is not kept live.
		await page.setRequestInterception(true);
		let failed = 0;
		const failFirst = (r) => {
			if (!failed && r.url().includes('/_emulator/requests?since=')) {
				failed++;
				r.respond({ status: 500, contentType: 'application/problem+json', body: '{"errorCode":"EKV_0000","detail":"An internal error occurred."}' });
			} else {
				r.continue();
			}
		};
		page.on('request', failFirst);
		await open('#requests');
		await waitText('500 EKV_0000: An internal error occurred.');
		page.off('request', failFirst);
		await page.setRequestInterception(false);
		await srv.get(nsPath('staging'));
		await new Promise((resolve) => { setTimeout(resolve, 2500); });
		assert.equal(await page.$$eval('#area .error', (els) => els.length), 1);
		assert.equal(failed, 1);

		await ctl('DELETE', '/requests');
		await open('#requests');
		await waitText('No requests yet');
		await srv.get(nsPath('staging'));
		await srv.get(itemPath('staging', 'default', 'g', 'missing'));
		await srv.put(itemPath('staging', 'default', 'g', 'hello'), 'hello world', { headers: { 'Content-Type': 'text/plain' } });
		// They appear without a reload.
		await page.waitForFunction(() => document.querySelectorAll('.journal tbody tr').length === 3, { timeout: WAIT_MS });
		await page.type('input[aria-label="Status"]', '4');
		await page.waitForFunction(() => document.querySelectorAll('.journal tbody tr').length === 1, { timeout: WAIT_MS });
		assert.match(await page.$eval('.journal tbody', (t) => t.innerText), /GET\s+\/edgekv\/v1\/networks\/staging\/namespaces\/default\/groups\/g\/items\/missing\s+404/);
		await page.$eval('input[aria-label="Status"]', (el) => { el.value = ''; el.dispatchEvent(new Event('input')); });
		await page.type('input[aria-label="Path contains"]', '/items/hello');
		await page.waitForFunction(() => document.querySelectorAll('.journal tbody tr').length === 1, { timeout: WAIT_MS });
		await page.click('.journal tbody tr');
		await waitText('Request body (11 bytes)', '.detail');
		const detail = await page.$eval('.detail', (d) => d.innerText);
		assert.match(detail, /Authorization: \[redacted\]/);
		assert.match(detail, /hello world/);
		assert.match(detail, /Answer: 200/);
		const curl = await page.$eval('pre.curl', (p) => p.textContent);
		assert.equal(curl.split(' -H ')[0], `curl -X PUT '${srv.httpUrl}/edgekv/v1/networks/staging/namespaces/default/groups/g/items/hello'`);
		assert.match(curl, /-H 'Authorization: \[redacted\]'/);
		assert.match(curl, /--data-binary 'hello world'$/);
		await page.browserContext().overridePermissions(srv.httpUrl, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
		await click('Copy as curl');
		await waitText('curl command copied', '#toast');
		assert.equal(await page.evaluate(() => navigator.clipboard.readText()), curl);
		await page.$eval('input[aria-label="Path contains"]', (el) => { el.value = ''; el.dispatchEvent(new Event('input')); });
		await page.waitForFunction(() => document.querySelectorAll('.journal tbody tr').length === 3, { timeout: WAIT_MS });
		await shot('requests');
		// And the next one, live.
		await srv.del(itemPath('staging', 'default', 'g', 'hello'));
		await page.waitForFunction(() => document.querySelectorAll('.journal tbody tr').length === 4, { timeout: WAIT_MS });
	});

	test('Controls: clock, consistency, faults, known issues, snapshots, reset', async () => {
		await ctl('POST', '/clock', { set: '2030-01-01T00:00:00Z', freeze: true });
		await open('#controls');
		await waitText('2030-01-01T00:00:00.000Z (frozen)', '#clock-now');
		await click('+1 day');
		await waitText('2030-01-02T00:00:00.000Z (frozen)', '#clock-now');
		assert.equal((await ctl('GET', '/clock')).now, '2030-01-02T00:00:00.000Z');

		await fill('Consistency', { consistency: 'eventual', delay: '5' });
		await submit('Consistency');
		await waitText('Mode: eventual (5 s)');
		const set = await ctl('GET', '/settings');
		assert.deepEqual([set.consistency, set.consistencyDelaySeconds], ['eventual', 5]);

		await fill('Add fault', { method: 'GET', pathPrefix: '/edgekv/v1/networks/production/', status: '503' });
		await submit('Add fault');
		await waitText('GET /edgekv/v1/networks/production/');
		assert.equal((await srv.get(nsPath('production'))).status, 503);
		await waitText('status 503');

		await page.click('#issue-namespace-create-timeout');
		await waitText('namespace-create-timeout on', '#toast');
		const issues = (await ctl('GET', '/known-issues')).issues;
		assert.equal(issues.find((i) => i.name === 'namespace-create-timeout').enabled, true);

		await fill('Take snapshot', { name: 'snap1' });
		await submit('Take snapshot');
		await waitText('snap1');
		assert.deepEqual((await ctl('GET', '/snapshots')).snapshots, ['snap1']);
		await shot('controls');

		const id = (await ctl('GET', '/faults')).faults[0].id;
		await page.click(`button[aria-label="Remove fault ${id}"]`);
		await waitText('No fault rules');
		assert.equal((await srv.get(nsPath('production'))).status, 200);
		await page.click('button[aria-label="Restore snap1"]');
		await waitText('Snapshot snap1 restored', '#toast');
		await click('Reset 1-DEFAULT');
		await waitText('Account 1-DEFAULT reset', '#toast');
		assert.equal((await ctl('GET', '/settings')).consistency, 'immediate');
		await ctl('POST', '/clock', { reset: true });
	});

	test('Safety: a strict CSP, and no change from another site\'s page', async () => {
		for (const path of ['/_emulator/ui/', '/_emulator/ui/console.js', '/_emulator/ui/console.css']) {
			const res = await plainRequest(`${srv.httpUrl}${path}`);
			assert.equal(res.status, 200, path);
			assert.equal(res.headers['content-security-policy'], CSP, path);
			assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
		}
		const missing = await plainRequest(`${srv.httpUrl}/_emulator/ui/nope.js`);
		assert.equal(missing.status, 404);
		assert.equal(missing.json.detail, "The requested resource '/_emulator/ui/nope.js' was not found.");

		// Inline script does not run in the console.
		await open('#accounts');
		assert.equal(await page.evaluate(() => {
			const s = document.createElement('script');
			s.textContent = 'window.injected = true';
			document.head.append(s);
			return window.injected;
		}), undefined);

		// A page on another origin sends what a form and a no-cors fetch can: nothing changes.
		await ctl('POST', '/snapshots', { name: 'base' });
		await srv.post(nsPath('staging'), { namespace: 'after_base', retentionInSeconds: 0, groupId: 0, geoLocation: 'US' });
		const emu = srv.httpUrl;
		const evil = http.createServer((req, res) => {
			res.setHeader('Content-Type', 'text/html');
			res.end(`<!doctype html><iframe name="sink"></iframe>
<form id="f" method="POST" action="${emu}/_emulator/snapshots/base/restore" target="sink" enctype="text/plain">
<input name='{"x":"' value='"}'></form>
<script>
fetch('${emu}/_emulator/snapshots', {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'}, body: '{"name":"evil"}'})
  .then(() => { document.querySelector('iframe').onload = () => { document.title = 'sent'; }; document.getElementById('f').submit(); });
</script>`);
		});
		await new Promise((res) => evil.listen(0, '127.0.0.1', res));
		try {
			const foreign = await browser.newPage();
			// localhost and 127.0.0.1 are different origins (sites), as another site's page is.
			await foreign.goto(`http://localhost:${evil.address().port}/`, { waitUntil: 'load', timeout: WAIT_MS });
			await foreign.waitForFunction(() => document.title === 'sent', { timeout: WAIT_MS });
			await foreign.close();
		} finally {
			evil.close();
		}
		assert.deepEqual((await ctl('GET', '/snapshots')).snapshots.sort(), ['base', 'snap1']);
		assert.equal((await srv.get(nsPath('staging', 'after_base'))).status, 200);
		// The same request from a client that is not a browser page is a change like any other.
		const direct = await plainRequest(`${emu}/_emulator/snapshots`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"direct"}' });
		assert.equal(direct.status, 201);
		assert.deepEqual(pageErrors, []);
	});

	test('A stopped server: the console says so, and recovers', async () => {
		await open('#controls');
		await srv.stop();
		await page.waitForSelector('#down:not([hidden])', { timeout: WAIT_MS });
		assert.equal(await page.$eval('#server', (s) => s.textContent), 'not answering');
		await shot('stopped');
		await srv.start();
		// The same port is not promised after a restart: the page is opened again on the new one.
		await open('#controls');
		await page.waitForSelector('#down[hidden]', { timeout: WAIT_MS });
	});
});
