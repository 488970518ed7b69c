/* A minimal HTTP/1.1 client for the guest's trace server: GET with keep-alive, bodies of
 * known length or chunked, handed to a callback as they arrive (never held whole). */
#ifndef TOOLS_GLASS_HTTP_H
#define TOOLS_GLASS_HTTP_H

#include <stddef.h>

struct http_conn {
	int fd;			/* -1: not connected */
	const char *host, *port;
	int status;		/* of the answer being read: the body callback may look */
	volatile int *cancel;	/* if set and non-zero after a signal: stop waiting */
	char buf[1 << 16];	/* received, not yet consumed: [pos, len) */
	size_t pos, len;
};

/* Called with each piece of the body; returns 0 to go on, non-zero to stop reading. */
typedef int (*http_body_fn)(void *ctx, const unsigned char *p, size_t n);

void http_init(struct http_conn *c, const char *host, const char *port);
/* GET path; the body goes to fn. Connects if needed (and reconnects once if a kept-alive
 * connection turns out closed before any byte of the answer). Returns the HTTP status,
 * or -1 with the reason in err when the connection failed or broke (the connection is
 * then closed; the next call reconnects). */
int http_get(struct http_conn *c, const char *path, http_body_fn fn, void *ctx, char *err,
	     size_t errlen);
/* The same with PUT and body (a short text, as `echo body > file`). */
int http_put(struct http_conn *c, const char *path, const char *body, http_body_fn fn,
	     void *ctx, char *err, size_t errlen);
void http_close(struct http_conn *c);

/* An answer's body kept as text, cut to fit (an error's reason, a control file). Start it
 * zeroed; http_text_body keeps it NUL-terminated. */
struct http_text {
	char s[4096];
	size_t len;
};
int http_text_body(void *ctx, const unsigned char *p, size_t n);

#endif
