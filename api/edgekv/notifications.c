/*
 * Token expiration notifications (docs/behaviour.md §5.6,
 * "Expiration notification"), on the emulator's clock:
 * - tokens are checked once a day, at 00:00 UTC;
 * - a check notifies each legacy token that is exactly 30, 7 or 1 days
 *   before its expiry day, so a token created inside a period gets nothing
 *   for it unless the day's check has not run yet ("If you create it before
 *   the daily check you will get a notification"), and one that expires in
 *   more than 30 days gets all three;
 * - the tokens of one account that reach the same period at the same check
 *   are bundled into one message;
 * - the 1-day notice is also sent as an email when the account's contact
 *   has an email address, comes from a registered account and is active.
 * Checks are run lazily, in order, for every day the clock has passed
 * (creating a token and listing notices both catch up first), so jumping
 * the clock ahead gives the same records as waiting.
 */
#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth/access_token.h"
#include "api/core/call.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/edgekv/notifications.h"
#include "base/array.h"
#include "base/buf.h"
#include "base/clock.h"

#define CHECK_OFFSET_MS 0    /* the daily check runs at 00:00 UTC */
#define CATCH_UP_DAYS   4000 /* more than any legacy token's life; older checks find nothing */

static const int64_t thresholds[] = {30, 7, 1};

struct due {
	struct notice_token *tokens;
	size_t count, cap;
};

static void collect(void *ctx, const struct notice_token *t)
{
	struct due *d = ctx;

	ARRAY_GROW(d->tokens, d->count, d->cap);
	d->tokens[d->count++] = *t;
}

/* The texts of one notice: offsets into batch.text, valid once the batch stops growing. */
struct notice_text {
	size_t subject, body, tokens;
};

struct batch {
	struct notice_rec *notices;
	struct notice_text *texts;
	size_t count, notices_cap, texts_cap;
	struct buf text; /* subjects, bodies and token lists, NUL-separated */
};

/* The subject, body and token list (JSON; caller frees) of one account's notice for one period. */
static char *notice_texts(int64_t days, const struct notice_token *tokens, size_t n,
                          struct buf *subject, struct buf *body)
{
	cJSON *list = cJSON_CreateArray();
	char day[CLOCK_RFC3339_MAX], *json;

	clock_format_date(tokens[0].expiry_day * STORE_DAY_MS, day);
	if (n == 1) {
		buf_addf(subject, "Your EdgeKV access token %s expires in %lld day%s",
		         tokens[0].name, (long long)days, days == 1 ? "" : "s");
		buf_addf(body,
		         "The EdgeKV access token %s expires on %s. Create a new token and update "
		         "your edgekv_tokens.js file before then, or your EdgeKV calls will fail.",
		         tokens[0].name, day);
	} else {
		buf_addf(subject, "%zu of your EdgeKV access tokens expire in %lld day%s", n,
		         (long long)days, days == 1 ? "" : "s");
		buf_addf(body, "These EdgeKV access tokens expire on %s:", day);
		for (size_t i = 0; i < n; i++)
			buf_addf(body, "%s %s", i ? "," : "", tokens[i].name);
		buf_addstr(body, ". Create new tokens and update your edgekv_tokens.js file before "
		                 "then, or your EdgeKV calls will fail.");
	}
	for (size_t i = 0; i < n; i++) {
		cJSON *entry = cJSON_CreateObject();

		clock_format_date(tokens[i].expiry_day * STORE_DAY_MS, day);
		cJSON_AddStringToObject(entry, "name", tokens[i].name);
		cJSON_AddStringToObject(entry, "uuid", tokens[i].uuid);
		cJSON_AddStringToObject(entry, "expiry", day);
		cJSON_AddItemToArray(list, entry);
	}
	json = cJSON_PrintUnformatted(list);
	cJSON_Delete(list);
	return json;
}

/* The notices of one account and one period: tokens[0..n), and its email when one is due. */
static void add_notices(struct api_call *c, struct batch *b, int64_t check_ms, int64_t days,
                        const struct notice_token *tokens, size_t n)
{
	struct token_settings contact;
	struct buf subject = BUF_INIT, body = BUF_INIT;
	char *tokens_json = notice_texts(days, tokens, n, &subject, &body);
	bool email = days == 1 && access_token_settings(c, tokens[0].account, &contact) &&
	             strchr(contact.contact_email, '@') && contact.contact_registered &&
	             contact.contact_active;

	for (int copy = 0; copy < (email ? 2 : 1); copy++) {
		struct notice_rec *r;
		struct notice_text *x;

		ARRAY_GROW(b->notices, b->count, b->notices_cap);
		ARRAY_GROW(b->texts, b->count, b->texts_cap);
		x = &b->texts[b->count];
		r = &b->notices[b->count++];
		memset(r, 0, sizeof(*r));
		snprintf(r->account, sizeof(r->account), "%s", tokens[0].account);
		r->created_ms = check_ms;
		r->days = days;
		snprintf(r->channel, sizeof(r->channel), "%s",
		         copy ? "email" : "notification-center");
		if (copy)
			snprintf(r->recipient, sizeof(r->recipient), "%s", contact.contact_email);
		x->subject = b->text.len;
		buf_add(&b->text, subject.ptr, subject.len + 1);
		x->body = b->text.len;
		buf_add(&b->text, body.ptr, body.len + 1);
		x->tokens = b->text.len;
		buf_add(&b->text, tokens_json ? tokens_json : "[]",
		        strlen(tokens_json ? tokens_json : "[]") + 1);
	}
	free(tokens_json);
	buf_release(&subject);
	buf_release(&body);
}

/*
 * Runs the check at check_ms and records its notices, and the check itself
 * when it found some or when last is set; false on a storage failure.
 */
static bool run_check(struct api_call *c, int64_t check_ms, bool last)
{
	struct batch b = {NULL, NULL, 0, 0, 0, BUF_INIT};
	bool ok = true;

	for (size_t k = 0; ok && k < sizeof(thresholds) / sizeof(thresholds[0]); k++) {
		struct due d = {NULL, 0, 0};

		ok = store_notice_due(c->st, check_ms, thresholds[k], collect, &d) == STORE_OK;
		for (size_t i = 0, j; ok && i < d.count; i = j) {
			for (j = i + 1;
			     j < d.count && strcmp(d.tokens[j].account, d.tokens[i].account) == 0;
			     j++)
				;
			add_notices(c, &b, check_ms, thresholds[k], d.tokens + i, j - i);
		}
		free(d.tokens);
	}
	for (size_t i = 0; i < b.count; i++) {
		b.notices[i].subject = b.text.ptr + b.texts[i].subject;
		b.notices[i].body = b.text.ptr + b.texts[i].body;
		b.notices[i].tokens_json = b.text.ptr + b.texts[i].tokens;
	}
	if (ok && (b.count || last))
		ok = store_notice_record(c->st, b.notices, b.count, check_ms) == STORE_OK;
	free(b.notices);
	free(b.texts);
	buf_release(&b.text);
	return ok;
}

bool tokens_daily_checks(struct api_call *c)
{
	int64_t last, latest, t;
	bool ok = true;

	/* The most recent check time at or before now. */
	latest = (c->now_ms - CHECK_OFFSET_MS) / STORE_DAY_MS * STORE_DAY_MS + CHECK_OFFSET_MS;
	/* One check at a time (api->notice_lock): two would record the same notices twice. */
	pthread_mutex_lock(&c->api->notice_lock);
	if (store_notice_last_check(c->st, &last) != STORE_OK) {
		pthread_mutex_unlock(&c->api->notice_lock);
		return false;
	}
	/*
	 * The first catch-up starts with today's check: every token is created
	 * after a catch-up, so no earlier check could have seen one.
	 */
	t = last ? last + STORE_DAY_MS : latest;
	if (t < latest - CATCH_UP_DAYS * STORE_DAY_MS)
		t = latest - CATCH_UP_DAYS * STORE_DAY_MS;
	for (; ok && t <= latest; t += STORE_DAY_MS)
		ok = run_check(c, t, t + STORE_DAY_MS > latest);
	pthread_mutex_unlock(&c->api->notice_lock);
	return ok;
}
