#ifndef EKV_API_DISPATCH_DISPATCH_H
#define EKV_API_DISPATCH_DISPATCH_H

/*
 * The dispatcher: finds c->req's route, decides who is calling (the control
 * API's access rule, the data plane's token, or EdgeGrid), applies the
 * account's rate limit, known issues and faults, and runs the handler.
 */
struct api_call;
struct token_rec;

/*
 * Fills c->res for c->req (c->api, c->req and c->res set). token is room
 * for the data plane's token, owned by the caller: it outlives the handler.
 */
void dispatch_request(struct api_call *c, struct token_rec *token);

#endif
