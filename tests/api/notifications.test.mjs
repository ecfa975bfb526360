// Token expiration notifications: "Expiration notification" rules of docs/behaviour.md §5.6, case by case
// (docs/behaviour.md §5.6). The check runs daily at 00:00 UTC on the emulator clock.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertJson, startServer } from './helpers.mjs';
import { TOKENS, cliTokenBody, control, setClock, tokenSettings } from './token-helpers.mjs';

/** A fresh emulator (its own database, so its own check history) for one scenario. */
async function scenario(start, fn) {
	const server = await startServer({ args: ['--token-activation-delay', '0'] });
	try {
		await setClock(server, start);
		await fn(server);
	} finally {
		await server.close();
	}
}

async function legacy(server, name, expiry) {
	const res = await server.post(TOKENS, JSON.stringify(cliTokenBody(name, { expiry })));
	assert.equal(res.status, 200, res.body);
	return res.json;
}

async function notices(server, channel) {
	const res = await control(server, 'GET', '/_emulator/notifications');
	const list = assertJson(res, 200).notifications;
	return channel ? list.filter((n) => n.channel === channel) : list;
}

/** [createdAt, daysBeforeExpiry, token names] of the notification-center records. */
async function summary(server) {
	return (await notices(server, 'notification-center')).map((n) => [n.createdAt, n.daysBeforeExpiry, n.tokens.map((t) => t.name)]);
}

describe('expiration notifications', () => {
	test('a token that expires in more than 30 days gets all three notices, each on its day', async () => {
		await scenario('2030-01-01T10:00:00Z', async (s) => {
			const tok = await legacy(s, 'long', '2030-03-15');
			await setClock(s, '2030-02-12T23:59:59Z');
			assert.deepEqual(await summary(s), [], 'nothing before the 30-day check');
			await setClock(s, '2030-02-13T00:00:00Z');
			assert.deepEqual(await summary(s), [['2030-02-13T00:00:00Z', 30, ['long']]]);
			await setClock(s, '2030-03-20T00:00:00Z');
			assert.deepEqual(await summary(s), [
				['2030-02-13T00:00:00Z', 30, ['long']],
				['2030-03-08T00:00:00Z', 7, ['long']],
				['2030-03-14T00:00:00Z', 1, ['long']],
			]);
			const [first] = await notices(s);
			assert.equal(first.type, 'token-expiration');
			assert.deepEqual(first.tokens, [{ name: 'long', uuid: tok.uuid, expiry: '2030-03-15' }]);
			assert.match(first.subject, /long expires in 30 days/);
			assert.match(first.message, /expires on 2030-03-15/);
		});
	});

	test('a token created inside the 30-day period skips that notice and gets the 7- and 1-day ones', async () => {
		await scenario('2030-01-10T10:00:00Z', async (s) => {
			await legacy(s, 'twenty', '2030-01-30');
			await setClock(s, '2030-02-05T00:00:00Z');
			assert.deepEqual(await summary(s), [
				['2030-01-23T00:00:00Z', 7, ['twenty']],
				['2030-01-29T00:00:00Z', 1, ['twenty']],
			]);
		});
	});

	test('"create a token that expires in 7 days": after the day\'s check, no notice until the 1-day one', async () => {
		await scenario('2030-01-10T10:00:00Z', async (s) => {
			await legacy(s, 'seven', '2030-01-17');
			await setClock(s, '2030-01-20T00:00:00Z');
			assert.deepEqual(await summary(s), [['2030-01-16T00:00:00Z', 1, ['seven']]]);
		});
	});

	test('a token reaching the 7-day mark at the next check, created before it, gets the 7-day notice', async () => {
		await scenario('2030-01-09T22:00:00Z', async (s) => {
			await legacy(s, 'seven', '2030-01-17');
			await setClock(s, '2030-01-20T00:00:00Z');
			assert.deepEqual(await summary(s), [
				['2030-01-10T00:00:00Z', 7, ['seven']],
				['2030-01-16T00:00:00Z', 1, ['seven']],
			]);
		});
	});

	test('"a token that expires in one day" created after the daily check gets no notice', async () => {
		await scenario('2030-01-10T10:00:00Z', async (s) => {
			await legacy(s, 'tomorrow', '2030-01-11');
			await setClock(s, '2030-01-15T00:00:00Z');
			assert.deepEqual(await summary(s), []);
		});
	});

	test('"If you create it before the daily check you will get a notification"', async () => {
		await scenario('2030-01-09T23:30:00Z', async (s) => {
			await legacy(s, 'tomorrow', '2030-01-11');
			await setClock(s, '2030-01-09T23:59:59Z');
			assert.deepEqual(await summary(s), []);
			await setClock(s, '2030-01-10T00:00:00Z');
			assert.deepEqual(await summary(s), [['2030-01-10T00:00:00Z', 1, ['tomorrow']]]);
		});
	});

	test('tokens reaching a period at the same check are bundled into one message', async () => {
		await scenario('2030-01-01T10:00:00Z', async (s) => {
			await legacy(s, 'b_one', '2030-03-01');
			await legacy(s, 'a_two', '2030-03-01');
			await legacy(s, 'other', '2030-03-02');
			await setClock(s, '2030-03-05T00:00:00Z');
			assert.deepEqual(await summary(s), [
				['2030-01-30T00:00:00Z', 30, ['a_two', 'b_one']],
				['2030-01-31T00:00:00Z', 30, ['other']],
				['2030-02-22T00:00:00Z', 7, ['a_two', 'b_one']],
				['2030-02-23T00:00:00Z', 7, ['other']],
				['2030-02-28T00:00:00Z', 1, ['a_two', 'b_one']],
				['2030-03-01T00:00:00Z', 1, ['other']],
			]);
			const bundled = (await notices(s))[0];
			assert.match(bundled.subject, /^2 of your EdgeKV access tokens expire in 30 days$/);
			assert.match(bundled.message, /a_two, b_one/);
		});
	});

	test('the 1-day notice is also an email when the contact is registered by email, from a registered account and active', async () => {
		await scenario('2030-01-01T10:00:00Z', async (s) => {
			await tokenSettings(s, { contact: { email: 'dev@example.com', registeredAccount: true, active: true } });
			await legacy(s, 'mailed', '2030-02-15');
			await setClock(s, '2030-02-20T00:00:00Z');
			const mails = await notices(s, 'email');
			assert.equal(mails.length, 1, JSON.stringify(mails));
			assert.equal(mails[0].daysBeforeExpiry, 1);
			assert.equal(mails[0].recipient, 'dev@example.com');
			assert.equal(mails[0].createdAt, '2030-02-14T00:00:00Z');
			assert.deepEqual(mails[0].tokens.map((t) => t.name), ['mailed']);
			assert.equal((await notices(s, 'notification-center')).length, 3, 'the notification center has all three');
		});
	});

	for (const [why, contact] of [
		['without an email address', { email: '', registeredAccount: true, active: true }],
		['not created from a registered account', { email: 'dev@example.com', registeredAccount: false, active: true }],
		['inactive', { email: 'dev@example.com', registeredAccount: true, active: false }],
	]) {
		test(`no email for a contact ${why}`, async () => {
			await scenario('2030-01-01T10:00:00Z', async (s) => {
				await tokenSettings(s, { contact });
				await legacy(s, 'unmailed', '2030-01-20');
				await setClock(s, '2030-01-25T00:00:00Z');
				assert.deepEqual(await notices(s, 'email'), []);
				assert.deepEqual((await summary(s)).map((n) => n[1]), [7, 1]);
			});
		});
	}

	test('revoked tokens get no further notices and enhanced tokens never expire', async () => {
		await scenario('2030-01-01T10:00:00Z', async (s) => {
			await legacy(s, 'revoked', '2030-02-20');
			const res = await s.post(TOKENS, JSON.stringify(cliTokenBody('enhanced')));
			assert.equal(res.json.expiry, '9999-12-31');
			await setClock(s, '2030-02-01T00:00:00Z');
			assert.deepEqual(await summary(s), [['2030-01-21T00:00:00Z', 30, ['revoked']]]);
			assert.equal((await s.del(`${TOKENS}/revoked`)).status, 200);
			await setClock(s, '2030-06-01T00:00:00Z');
			assert.deepEqual(await summary(s), [['2030-01-21T00:00:00Z', 30, ['revoked']]]);
		});
	});

	test('waiting day by day gives the same records as jumping the clock', async () => {
		const run = async (stepDays) => {
			let out;
			await scenario('2030-01-01T10:00:00Z', async (s) => {
				await legacy(s, 'x', '2030-02-05');
				await legacy(s, 'y', '2030-01-12');
				for (let d = 1; d <= 40; d += stepDays) {
					await setClock(s, new Date(Date.UTC(2030, 0, 1 + d, 6)).toISOString());
					await notices(s); // listing runs the checks due so far
				}
				await setClock(s, '2030-02-15T06:00:00Z');
				out = await summary(s);
			});
			return out;
		};
		const daily = await run(1);
		assert.deepEqual(daily, await run(40));
		assert.deepEqual(daily.map((n) => n[1]), [7, 30, 1, 7, 1]);
	});
});
