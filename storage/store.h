#ifndef EKV_STORAGE_STORE_H
#define EKV_STORAGE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/*
 * The SQLite store. One struct store_db per process (the file, the write
 * mutex, the background sweeper and checkpointer); one struct store per
 * thread (its own connection and prepared statements). Nothing above this
 * layer sees SQLite. Every function takes "now" from the caller so that the
 * one clock (base/clock.h) decides what exists.
 */
struct store_db;
struct store;

enum store_status { STORE_OK, STORE_NOT_FOUND, STORE_CONFLICT, STORE_FULL, STORE_ERROR };

/*
 * What a STORE_ERROR ran into, when it was the storage itself: the disk is
 * full (SQLITE_FULL), or the system failed to read or write a file
 * (SQLITE_IOERR). SQLite undoes the failed write and nothing needs a
 * restart: the next write after space comes back succeeds. The first failure
 * is logged, then none until a write succeeds again.
 */
enum store_fault { STORE_FAULT_NONE, STORE_FAULT_NO_SPACE, STORE_FAULT_IO };

enum network { NETWORK_STAGING, NETWORK_PRODUCTION };

/* "staging" or "production". */
const char *network_name(enum network net);

/* "staging" or "production" in any case, as the API takes them; false for anything else. */
bool network_parse(const char *name, enum network *out);

enum init_status { INIT_UNINITIALIZED, INIT_PENDING, INIT_INITIALIZED };

/* "UNINITIALIZED", "PENDING" or "INITIALIZED". */
const char *init_status_name(enum init_status status);

#define STORE_ACCOUNT_MAX   64
#define STORE_CPCODE_MAX    16
#define STORE_NAMESPACE_MAX 32
#define STORE_GROUP_MAX     128
#define STORE_KEY_MAX       512
#define STORE_SANDBOX_MAX   128
#define STORE_GEO_MAX       8
#define STORE_CTYPE_MAX     256

struct account_rec {
	char id[STORE_ACCOUNT_MAX + 1];
	enum init_status status;
	char cpcode[STORE_CPCODE_MAX + 1]; /* "" before initialization */
	bool has_policy;                   /* false before initialization */
	bool restrict_data_access;
	bool allow_namespace_policy_override;
	bool standard_tls;    /* the EdgeDB::Standard_TLS_Support entitlement */
	int64_t cpcode_group; /* access group owning the EdgeKV CP code; 0: none set */
};

struct namespace_rec {
	char name[STORE_NAMESPACE_MAX + 1];
	int64_t retention_s; /* 0: indefinite */
	int64_t group_id;    /* 0: every access group */
	char geo[STORE_GEO_MAX + 1];
	bool restrict_data_access;
	bool policy_overridden;
	int64_t created_ms;
	int64_t delete_at_ms;      /* 0: no delete scheduled */
	int64_t old_retention_s;   /* in force for writes until retention_from_ms */
	int64_t retention_from_ms; /* 0: retention_s is in force */
};

/* The retention new writes get at now_ms (a change applies after a delay: docs/behaviour.md §5.3).
 */
int64_t namespace_retention_at(const struct namespace_rec *ns, int64_t now_ms);

/* Addresses one item, or with key NULL one group. Strings are borrowed. */
struct item_ref {
	const char *account;
	enum network network;
	const char *namespace;
	const char *sandbox; /* "" outside a sandbox */
	const char *group;
	const char *key;
};

/*
 * Opens (creating if needed) the database at path, or a private in-memory one for ":memory:",
 * migrates it and starts the background thread that removes expired rows and checkpoints the
 * WAL every sweep_ms. A new file is created readable by its owner only (0600), and so are its
 * WAL and shared-memory files; an existing one is narrowed to that. An existing file is checked
 * first (SQLite's quick_check; the items only in a file of at most 2 MiB): a damaged one is
 * refused (a file this start created is empty: not checked).
 * Returns NULL after logging the cause, with the system's reason (such as a permission) and
 * the path. Close with store_db_close() after every thread that used it has stopped.
 */
struct store_db *store_db_open(const char *path, int64_t sweep_ms);

/*
 * The clock whose time decides which rows the sweeper removes (borrowed; it
 * must outlive db; a NULL db is left alone). Until it is set, the sweeper
 * reads the wall clock.
 */
struct clock;
void store_db_set_clock(struct store_db *db, struct clock *clock);
void store_db_close(struct store_db *db);

/* The version of the SQLite library this process runs with (static text). */
const char *store_library_version(void);

/*
 * The calling thread's connection, opened on first use and closed when the
 * thread exits or at store_db_close(). NULL if it cannot be opened (logged).
 */
struct store *store_db_thread(struct store_db *db);

/*
 * Gives up the calling thread's connection, for a thread idle a while: closed, or the
 * sweeper's if it has none. store_db_thread_spare() keeps it warm for the next thread that
 * would open one (seeding's, for the first request); store_db_spare_close() gives it up.
 */
void store_db_thread_close(struct store_db *db);
void store_db_thread_spare(struct store_db *db);
void store_db_spare_close(struct store_db *db);

/*
 * Group commit: every write st makes between store_batch_begin() and
 * store_batch_end() is one transaction under the write mutex, held
 * throughout. Inside it, single-statement writes run as they are (a failed
 * statement undoes only itself) and the multi-statement ones nest as
 * savepoints. store_batch_end() commits, or rolls back when commit is false;
 * it returns STORE_OK only if the commit happened. No write of the batch is
 * durable, or visible to other connections, before it.
 */
enum store_status store_batch_begin(struct store *st);
enum store_status store_batch_end(struct store *st, bool commit);

/*
 * The storage fault behind st's latest STORE_ERROR since store_fault_clear()
 * (which the API calls as each request starts); STORE_FAULT_NONE for other
 * errors, none, or st NULL. Inside a group commit a fault stays until
 * store_batch_end() (SQLite ended the transaction: every later write of the
 * batch fails for that reason); store_batch_begin() clears it.
 */
enum store_fault store_fault(const struct store *st);
void store_fault_clear(struct store *st);

/*
 * Runs one sweep now (what the background thread does every sweep_ms):
 * expired rows and due namespace deletes go, then the WAL is checkpointed,
 * and truncated when nothing was written since the previous sweep.
 */
void store_db_sweep(struct store_db *db, int64_t now_ms);

/* Accounts (storage/accounts.c). */
enum store_status store_account_get(struct store *st, const char *id, struct account_rec *out);

/* Creates acc unless an account with its id exists (then STORE_CONFLICT). */
enum store_status store_account_create(struct store *st, const struct account_rec *acc,
                                       int64_t now_ms);

/*
 * Marks the account initialized with the given CP code and policy and creates
 * the default namespace on both networks (retention 6 months, group 0, US).
 * STORE_CONFLICT if it was initialized already.
 */
enum store_status store_account_initialize(struct store *st, const char *id, const char *cpcode,
                                           bool restrict_data_access, bool allow_override,
                                           int64_t now_ms);

enum store_status store_account_set_policy(struct store *st, const char *id,
                                           bool restrict_data_access, bool allow_override);

/* Namespaces (storage/namespaces.c). A namespace past its delete time does not exist. */
#define STORE_NAMESPACES_PER_NETWORK 20
#define STORE_DEFAULT_RETENTION_S    15724800

typedef void store_namespace_fn(void *ctx, const struct namespace_rec *ns);

enum store_status store_namespace_get(struct store *st, const char *account, enum network net,
                                      const char *name, int64_t now_ms, struct namespace_rec *out);

/* Calls fn for each namespace of the network, by name; the record is borrowed. */
enum store_status store_namespace_list(struct store *st, const char *account, enum network net,
                                       int64_t now_ms, store_namespace_fn *fn, void *ctx);

/*
 * Creates ns. STORE_OK also when the same namespace exists with the same
 * configuration (then *out holds it); STORE_CONFLICT when it exists with
 * another; STORE_FULL at STORE_NAMESPACES_PER_NETWORK.
 */
enum store_status store_namespace_create(struct store *st, const char *account, enum network net,
                                         const struct namespace_rec *ns, int64_t now_ms,
                                         struct namespace_rec *out);

/*
 * Sets the retention; writes from from_ms on get it (0: at once), earlier
 * writes keep the retention in force at now_ms.
 */
enum store_status store_namespace_set_retention(struct store *st, const char *account,
                                                enum network net, const char *name,
                                                int64_t retention_s, int64_t now_ms,
                                                int64_t from_ms);

/* Sets (delete_at_ms > 0) or cancels (0) a scheduled delete. */
enum store_status store_namespace_schedule_delete(struct store *st, const char *account,
                                                  enum network net, const char *name,
                                                  int64_t delete_at_ms);

/* Deletes the namespace and every item in it now. */
enum store_status store_namespace_delete(struct store *st, const char *account, enum network net,
                                         const char *name);

/* Items and groups (storage/items.c). An item past its expiry does not exist. */
typedef void store_name_fn(void *ctx, const char *name, size_t len);

/* Appends the value to *value and copies its content type into ctype (STORE_CTYPE_MAX + 1). */
enum store_status store_item_get(struct store *st, const struct item_ref *ref, int64_t now_ms,
                                 struct buf *value, char *ctype);

/*
 * Inserts or replaces; expires_at_ms 0 means never. The value stays invisible
 * to reads until visible_at_ms (0: at once), the consistency delay.
 */
enum store_status store_item_put(struct store *st, const struct item_ref *ref, const void *value,
                                 size_t len, const char *ctype, int64_t now_ms,
                                 int64_t expires_at_ms, int64_t visible_at_ms);

/*
 * Deletes now, or with effective_at_ms > now_ms keeps the old value readable
 * until then. STORE_NOT_FOUND when there was nothing live to delete.
 */
enum store_status store_item_delete(struct store *st, const struct item_ref *ref, int64_t now_ms,
                                    int64_t effective_at_ms);

/* Keys of ref->group by name, at most limit. */
enum store_status store_item_list(struct store *st, const struct item_ref *ref, int64_t now_ms,
                                  int64_t limit, store_name_fn *fn, void *ctx);

/* Names of the groups of ref->namespace holding live items, at most limit. */
enum store_status store_group_list(struct store *st, const struct item_ref *ref, int64_t now_ms,
                                   int64_t limit, store_name_fn *fn, void *ctx);

/*
 * Like store_group_list outside any sandbox, plus each sandbox group as
 * "<group>_<sandboxId>" (ref->sandbox is ignored).
 */
enum store_status store_group_list_sandboxes(struct store *st, const struct item_ref *ref,
                                             int64_t now_ms, int64_t limit, store_name_fn *fn,
                                             void *ctx);

/*
 * The web console's view of the items (storage/browse.c): what the API's
 * listings do not say. Its statements are prepared on each call, never at
 * start, so a console nobody opens costs nothing.
 */
typedef void store_group_sandbox_fn(void *ctx, const char *group, const char *sandbox);

/*
 * Each group of ref->namespace holding live items, once per sandbox it is in
 * (sandbox "" outside any), by group then sandbox, at most limit.
 */
enum store_status store_browse_groups(struct store *st, const struct item_ref *ref, int64_t now_ms,
                                      int64_t limit, store_group_sandbox_fn *fn, void *ctx);

struct item_meta {
	const char *key;
	const char *ctype;
	int64_t bytes;
	int64_t expires_at_ms; /* 0: never */
};
typedef void store_meta_fn(void *ctx, const struct item_meta *item);

struct browse_page {
	const char *contains; /* only keys holding this text; "" or NULL: every key */
	int64_t offset;
	int64_t limit;
	int64_t total; /* set: how many keys match, on every page */
};

/*
 * A page of the live items of ref->group by key (with ref->key, that item
 * alone): fn for each, the records borrowed for the call.
 */
enum store_status store_browse_items(struct store *st, const struct item_ref *ref, int64_t now_ms,
                                     struct browse_page *page, store_meta_fn *fn, void *ctx);

/* Makes every delayed write visible and every delayed delete done; account NULL: all. */
enum store_status store_settle(struct store *st, const char *account);

/*
 * Testing controls (storage/state.c). store_reset removes every row of the
 * account from every table that has an account column, and the account
 * itself; with keep_identity the account, its access groups, users and API
 * clients stay, and an initialized account gets its default namespaces back
 * (created at now_ms). With account NULL it empties every table.
 */
enum store_status store_reset(struct store *st, const char *account, bool keep_identity,
                              int64_t now_ms);

/*
 * Named snapshots of the whole database, kept in memory by the store_db
 * (SQLite's backup API, under the write mutex so no write is half in).
 * Saving an existing name replaces it. Restore replaces every table's
 * content atomically; STORE_NOT_FOUND for an unknown name.
 */
#define STORE_SNAPSHOT_NAME_MAX 64
enum store_status store_snapshot_save(struct store *st, const char *name);
enum store_status store_snapshot_restore(struct store *st, const char *name);
enum store_status store_snapshot_delete(struct store *st, const char *name);
/* Calls fn with each snapshot's name, in the order they were saved. */
enum store_status store_snapshot_list(struct store *st, store_name_fn *fn, void *ctx);

typedef void store_held_fn(void *ctx);
/*
 * fn with the file of each STARTED bulk job of the database and of every
 * snapshot (storage/jobs.h), in no order, maybe twice; then, if every read
 * succeeded, held(ctx) when not NULL. All under the write mutex, so no write,
 * restore or snapshot change comes between the list and held. Not inside
 * store_batch_begin(). STORE_ERROR after a failed read (logged).
 */
enum store_status store_snapshot_job_files(struct store *st, store_name_fn *fn, store_held_fn *held,
                                           void *ctx);

/*
 * Identities (storage/identity.c): access groups, users and API clients.
 * Roles are JSON text the API layer reads; storage keeps it verbatim.
 */
#define STORE_TOKEN_MAX      128
#define STORE_USER_MAX       64
#define STORE_GROUP_NAME_MAX 128
#define STORE_SWITCH_MAX     512

enum grant { GRANT_NONE, GRANT_READ_ONLY, GRANT_READ_WRITE };

/* "NONE", "READ-ONLY", "READ-WRITE". */
const char *grant_name(enum grant g);

struct access_group_rec {
	int64_t group_id;
	char name[STORE_GROUP_NAME_MAX + 1];
	int64_t parent_id; /* 0: a top-level group */
};

struct client_rec {
	char client_token[STORE_TOKEN_MAX + 1];
	char access_token[STORE_TOKEN_MAX + 1];
	char secret[STORE_TOKEN_MAX + 1];
	char account[STORE_ACCOUNT_MAX + 1];
	char user[STORE_USER_MAX + 1];
	enum grant grant;
	char switch_accounts[STORE_SWITCH_MAX + 1]; /* comma-separated account ids, "*" for any */
	bool active;
};

typedef void store_access_group_fn(void *ctx, const struct access_group_rec *g);

enum store_status store_access_group_put(struct store *st, const char *account,
                                         const struct access_group_rec *g);
enum store_status store_access_group_get(struct store *st, const char *account, int64_t group_id,
                                         struct access_group_rec *out);
enum store_status store_access_group_list(struct store *st, const char *account,
                                          store_access_group_fn *fn, void *ctx);

/* Creates or replaces a user; roles is JSON text. */
enum store_status store_user_put(struct store *st, const char *account, const char *name,
                                 const char *email, const char *roles);
/* Appends the user's roles JSON to *roles. */
enum store_status store_user_get(struct store *st, const char *account, const char *name,
                                 struct buf *roles);
enum store_status store_user_set_roles(struct store *st, const char *account, const char *name,
                                       const char *roles);

/* Creates a client with a copy of roles; STORE_CONFLICT if its client token is taken. */
enum store_status store_client_create(struct store *st, const struct client_rec *client,
                                      const char *roles, int64_t now_ms);
/* Fills *out and appends the client's roles JSON (as copied at creation) to *roles. */
enum store_status store_client_get(struct store *st, const char *client_token,
                                   struct client_rec *out, struct buf *roles);
enum store_status store_client_set_active(struct store *st, const char *client_token, bool active);

/* Moves the namespace, on both networks, to another access group (reauthorize). */
enum store_status store_namespace_set_group(struct store *st, const char *account, const char *name,
                                            int64_t group_id);

/* Export (storage/state.c): every account id, by id. */
enum store_status store_account_ids(struct store *st, store_name_fn *fn, void *ctx);

struct item_rec {
	enum network network;
	const char *namespace;
	const char *sandbox;
	const char *group;
	const char *key;
	const void *value;
	size_t len;
	const char *ctype;
	int64_t expires_at_ms; /* 0: never */
};
typedef void store_item_fn(void *ctx, const struct item_rec *item);

/* Every live, visible item of the account; the record is borrowed for the call. */
enum store_status store_item_all(struct store *st, const char *account, int64_t now_ms,
                                 store_item_fn *fn, void *ctx);

struct user_rec {
	const char *name;
	const char *email;
	const char *roles; /* JSON text */
};
typedef void store_user_fn(void *ctx, const struct user_rec *user);
enum store_status store_user_all(struct store *st, const char *account, store_user_fn *fn,
                                 void *ctx);

typedef void store_client_fn(void *ctx, const struct client_rec *client, const char *roles);
enum store_status store_client_all(struct store *st, const char *account, store_client_fn *fn,
                                   void *ctx);

/*
 * Access tokens (storage/tokens.c, docs/behaviour.md §5.6). A token is live until the
 * end of its expiry day (UTC) unless revoked; names are unique among the live
 * tokens of an account, so a name is free again once its token expired or was
 * revoked. Rows are never deleted: expiry notifications look back at them.
 */
#define STORE_TOKEN_NAME_MAX      32
#define STORE_UUID_LEN            36
#define STORE_TOKEN_NAMESPACES    20
#define STORE_TOKEN_EWIDS_MAX     512  /* comma-separated EdgeWorker ids; "" means all */
#define STORE_TOKEN_VALUE_MAX     6144 /* the JWT of a legacy token */
#define STORE_DAY_MS              86400000LL
#define STORE_ENHANCED_EXPIRY_DAY 2932896 /* 9999-12-31, days since 1970-01-01 */

struct token_perm {
	char namespace[STORE_NAMESPACE_MAX + 1];
	char letters[4]; /* some of "r", "w", "d" in the order given */
};

struct token_rec {
	char account[STORE_ACCOUNT_MAX + 1];
	char name[STORE_TOKEN_NAME_MAX + 1];
	char uuid[STORE_UUID_LEN + 1];
	bool legacy; /* a JWT token with an expiry; else the enhanced workflow */
	int64_t issued_ms;
	int64_t expiry_day; /* days since the epoch; the token ends when that day does */
	bool allow_production;
	bool allow_staging;
	char ewids[STORE_TOKEN_EWIDS_MAX + 1];
	char cpcode[STORE_CPCODE_MAX + 1];
	char value[STORE_TOKEN_VALUE_MAX + 1]; /* "" for enhanced tokens */
	int64_t active_ms;                     /* activation completes; data-plane use needs it */
	int64_t refreshed_ms;                  /* the latest manual refresh, 0 if none */
	int64_t busy_until_ms;                 /* tokenActivationStatus IN_PROGRESS until then */
	int64_t revoked_ms;                    /* 0 unless revoked */
	size_t perm_count;
	struct token_perm perms[STORE_TOKEN_NAMESPACES];
};

/* The first instant at which the token no longer works: midnight after its expiry day. */
int64_t store_token_end_ms(const struct token_rec *t);

/* How long an expired token stays listed, counts toward the limit and answers 410. */
#define STORE_TOKEN_AFTERLIFE_MS (30 * STORE_DAY_MS)

/*
 * Inserts t (every field but revoked_ms set by the caller) for t->account.
 * STORE_CONFLICT when a live token has the name; STORE_FULL when limit tokens
 * already count (live ones and those expired less than 30 days ago).
 */
enum store_status store_token_create(struct store *st, const struct token_rec *t, int64_t now_ms,
                                     int64_t limit);

/*
 * The newest unrevoked token of that name, live or expired (the caller tells
 * them apart with store_token_end_ms); STORE_NOT_FOUND when there is none.
 */
enum store_status store_token_get(struct store *st, const char *account, const char *name,
                                  struct token_rec *out);

/* Any token by its uuid, in whatever state (the data plane decides). */
enum store_status store_token_by_uuid(struct store *st, const char *uuid, struct token_rec *out);

typedef void store_token_fn(void *ctx, const struct token_rec *t);

/*
 * Calls fn for each live token of the account, oldest first, and with
 * include_expired also for those expired less than 30 days ago. The record
 * is borrowed for the call.
 */
enum store_status store_token_list(struct store *st, const char *account, int64_t now_ms,
                                   bool include_expired, store_token_fn *fn, void *ctx);

/*
 * Every token of the account in any state (revoked, expired), oldest first:
 * what export writes.
 */
enum store_status store_token_all(struct store *st, const char *account, store_token_fn *fn,
                                  void *ctx);

/*
 * Stores t exactly as given, with its refresh and revocation times and
 * without the name and limit checks of store_token_create (import of a
 * fixture); STORE_CONFLICT if its uuid is taken.
 */
enum store_status store_token_import(struct store *st, const struct token_rec *t);

/* Revokes the token with that uuid; STORE_NOT_FOUND if it was revoked already. */
enum store_status store_token_revoke(struct store *st, const char *uuid, int64_t now_ms);

/* Records a manual refresh: refreshed now, IN_PROGRESS until busy_until_ms. */
enum store_status store_token_refresh(struct store *st, const char *uuid, int64_t now_ms,
                                      int64_t busy_until_ms);

enum token_workflow { TOKEN_WORKFLOW_AUTO, TOKEN_WORKFLOW_LEGACY, TOKEN_WORKFLOW_ENHANCED };

/* "auto", "legacy", "enhanced". */
const char *token_workflow_name(enum token_workflow w);

#define STORE_EMAIL_MAX 254

/*
 * Per-account token settings set through the control API. A value of -1
 * (limit, activation delay) or has_workflow false means "the server default".
 */
struct token_settings {
	bool has_workflow;
	enum token_workflow workflow;
	int64_t limit;
	int64_t activation_delay_ms;
	/* The account's notification contact (docs/behaviour.md §5.6). */
	char contact_email[STORE_EMAIL_MAX + 1]; /* "" for none */
	bool contact_registered; /* created from within a registered Akamai account */
	bool contact_active;
};

/* Fills out with the account's settings, or the "server default" ones when it has none. */
enum store_status store_token_settings_get(struct store *st, const char *account,
                                           struct token_settings *out);
enum store_status store_token_settings_put(struct store *st, const char *account,
                                           const struct token_settings *s);

/* Emulator secrets such as the token signing key, by name; the text is appended to out. */
enum store_status store_secret_get(struct store *st, const char *name, struct buf *out);
/* Keeps an existing secret (STORE_CONFLICT) so that the first writer wins. */
enum store_status store_secret_put(struct store *st, const char *name, const char *text,
                                   int64_t now_ms);

/*
 * Token expiry notifications. The daily check that produced them is run by
 * the API layer; storage keeps its records and the time of the last check.
 */
struct notice_token {
	char account[STORE_ACCOUNT_MAX + 1];
	char name[STORE_TOKEN_NAME_MAX + 1];
	char uuid[STORE_UUID_LEN + 1];
	int64_t expiry_day;
};

/* The last daily check run, 0 when none ever ran. */
enum store_status store_notice_last_check(struct store *st, int64_t *check_ms);

typedef void store_notice_token_fn(void *ctx, const struct notice_token *t);

/*
 * Legacy tokens that the check at check_ms sees exactly days before their
 * expiry day: issued before the check and not revoked by then. Ordered by
 * account, then name.
 */
enum store_status store_notice_due(struct store *st, int64_t check_ms, int64_t days,
                                   store_notice_token_fn *fn, void *ctx);

struct notice_rec {
	int64_t id;
	char account[STORE_ACCOUNT_MAX + 1];
	int64_t created_ms;
	int64_t days;                        /* 30, 7 or 1 */
	char channel[24];                    /* "notification-center" or "email" */
	char recipient[STORE_EMAIL_MAX + 1]; /* "" for the notification center */
	const char *subject;                 /* borrowed for the callback */
	const char *body;
	const char *tokens_json; /* the tokens of the bundle, as JSON text */
};

/*
 * Stores the notices n[0..count) of one check and moves the last check to
 * check_ms, atomically.
 */
enum store_status store_notice_record(struct store *st, const struct notice_rec *n, size_t count,
                                      int64_t check_ms);

typedef void store_notice_fn(void *ctx, const struct notice_rec *n);

/* Every notice of the account, oldest first. */
enum store_status store_notice_list(struct store *st, const char *account, store_notice_fn *fn,
                                    void *ctx);

#endif
