/*
 * The web console at /_emulator/ui/ (docs/console.md): its compiled-in files,
 * each with a strict Content-Security-Policy. The page only calls the APIs the
 * emulator already has, from the same origin, so it needs no handler of its own
 * beyond these.
 */
#include <stdio.h>
#include <string.h>

#include "api/core/call.h"
#include "api/control/console_assets.h"
#include "api/control/handlers.h"
#include "api/core/problem.h"
#include "api/core/reply.h"

/*
 * Scripts, styles and requests from the emulator only: no inline script or
 * style, no plug-ins, and no other site may frame the console (clickjacking).
 */
#define CONSOLE_CSP                                                                                \
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "          \
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "             \
	"frame-ancestors 'none'"

static const struct console_asset *asset_find(const char *name)
{
	for (size_t i = 0; i < console_asset_count; i++)
		if (strcmp(console_assets[i].name, name) == 0)
			return &console_assets[i];
	return NULL;
}

static void reply_asset(struct api_call *c, const char *name)
{
	const struct console_asset *a = asset_find(name);

	char path[128];

	if (!a) {
		snprintf(path, sizeof(path), "/_emulator/ui/%.80s", name);
		reply_problem(c, EKV_ROUTE_NOT_FOUND, path);
		return;
	}
	reply_bytes(c, 200, a->content_type, a->bytes, a->len);
	reply_header(c, "Content-Security-Policy", "%s", CONSOLE_CSP);
	reply_header(c, "X-Content-Type-Options", "nosniff");
	reply_header(c, "Referrer-Policy", "no-referrer");
	/* Always asked again: a rebuilt emulator serves its own console. */
	reply_header(c, "Cache-Control", "no-cache");
}

/* GET /_emulator/ui: the console's address ends with a slash, so relative links work. */
void control_ui_redirect(struct api_call *c)
{
	reply_header(c, "Location", "/_emulator/ui/");
	reply_header(c, "Content-Security-Policy", "%s", CONSOLE_CSP);
	reply_empty(c, 308);
}

/* GET /_emulator/ui/ */
void control_ui_index(struct api_call *c)
{
	reply_asset(c, "index.html");
}

/* GET /_emulator/ui/{asset} */
void control_ui_asset(struct api_call *c)
{
	reply_asset(c, route_param(&c->params, "asset"));
}
