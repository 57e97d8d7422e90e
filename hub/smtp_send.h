/*
 * One e-mail through an SMTP server, with libcurl: the alerts' sender
 * (alerts.h).  smtp:// with STARTTLS required unless the configuration
 * says "starttls": false (then tried, and clear text accepted); smtps://
 * with TLS from the start; a login when a user and password file are
 * configured, the password read from a file only its owner can read.
 */
#ifndef NRM_SMTP_SEND_H
#define NRM_SMTP_SEND_H

#include <stdint.h>

struct nrm_alerts_config;
struct nrm_error;

/* The whole message (RFC 5322 headers, a blank line, the body), lines
 * ending in CRLF; `body`'s lines end in "\n".  Allocated. */
char *nrm_smtp_message(const struct nrm_alerts_config *c, const char *subject,
                       const char *body, int64_t now);

/* Sends `message` from c->from to every c->to.  0, or -1 with err: the
 * server's answer or libcurl's reason (EX_UNAVAILABLE), or the password
 * file refused (EX_NOPERM when others can read it). */
int nrm_smtp_send(const struct nrm_alerts_config *c, const char *message,
                  struct nrm_error *err);

#endif
