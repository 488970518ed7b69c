/* Shared between the files of httpd/ only. */
#ifndef HTTPD_INTERNAL_H
#define HTTPD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "httpd/parse.h"

struct net_sock;

#define HTTPD_PORT       9090
/* Connections served at once. Each is a thread. 24 workers and the acceptor were measured
 * to pass the tests under load; 64 did not (a slot-full probe was not refused after a
 * 32 MiB transfer: some lwIP limit, not investigated). */
#define HTTPD_SLOTS      24
#define HTTPD_SLOT_WAIT_NS (2ull * 1000000000)  /* a new connection waits this long for a
						   slot, then gets 503 */
#define HTTPD_IDLE_NS    (15ull * 1000000000)   /* keep-alive wait for the next request */
#define HTTPD_READ_NS    (10ull * 1000000000)   /* whole head, and whole body: else 408 */
#define HTTPD_SEND_NS    (30ull * 1000000000)   /* sending without progress */
#define HTTPD_RESP_DATA  (64 * 1024)            /* response buffer: one chunk */
#define HTTPD_RESP_HEAD  512                    /* room for headers and a chunk-size line */

/* A response being written. Its length is known if it fits in one buffer by the time it
 * ends (Content-Length); otherwise it goes out in chunks (HTTP/1.1) or is delimited by
 * closing the connection (HTTP/1.0). HEAD requests get the headers only. */
struct http_resp {
	struct net_sock *sock;
	unsigned version;
	bool head_only;
	bool keep_alive;        /* in: the request's wish; out: whether to go on */
	bool started;           /* headers sent */
	bool chunked;
	int err;                /* first send error; later writes are dropped */
	int status;
	int64_t slot_wait_ns;   /* >= 0: sent as Server-Timing (the first response only) */
	const char *ctype;
	const char *extra;      /* more header lines, each ending in CRLF, or "" */
	size_t len;             /* bytes in data */
	char *buf;              /* HTTPD_RESP_HEAD + HTTPD_RESP_DATA + 2 bytes */
};

/* One connection (one per slot, reused). */
struct http_conn {
	struct net_sock *sock;
	int64_t slot_wait_ns;   /* how long it waited for a slot after it was accepted (set by
				 * the slot before conn_serve), -1 once reported or unknown */
	size_t in_len;
	struct http_request req;
	size_t body_len;
	bool linger;            /* an error answered early: drain before closing */
	struct http_resp resp;
	char in[HTTP_MAX_HEAD];
	char body[HTTP_MAX_BODY];
	char out[HTTPD_RESP_HEAD + HTTPD_RESP_DATA + 2];
};

/* response.c */
/* req NULL: answering a request that could not be parsed (closes afterwards). */
void resp_init(struct http_resp *r, struct net_sock *sock, const struct http_request *req,
	       char *buf);
void resp_start(struct http_resp *r, int status, const char *ctype, const char *extra);
int resp_write(struct http_resp *r, const void *p, size_t n);
int resp_printf(struct http_resp *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Free room in the buffer (flushing first if it is full), to fill and resp_commit. */
char *resp_space(struct http_resp *r, size_t *room);
int resp_commit(struct http_resp *r, size_t n);
/* Sends what is buffered now (the response becomes chunked if not yet started). */
int resp_flush(struct http_resp *r);
int resp_end(struct http_resp *r);
/* The Server-Timing header line for a slot wait (empty if wait_ns < 0). */
void http_server_timing(char *out, size_t cap, int64_t wait_ns);
/* A complete error response: "<status> <text>: <reason>\n". */
void resp_error(struct http_resp *r, int status, const char *reason, const char *extra);

/* conn.c: serves requests on c->sock until it should close, then closes it. */
void conn_serve(struct http_conn *c);

/* server.c: slots busy now, and connections refused with 503 since boot. */
void httpd_slot_stats(unsigned *busy, uint64_t *refused);

/* routes.c / ftrace_routes.c */
void route_request(struct http_conn *c);
void ftrace_serve(struct http_conn *c, const char *file);
/* Answers a failed tracefs_open() of a file opened for reading or writing. */
void ftrace_open_failed(struct http_conn *c, int err, bool writing);
/* Streams an open tracefs file into the response (follow=1: waits while it has nothing). */
struct tracefs_file;
void ftrace_copy_out(struct http_conn *c, struct tracefs_file *f);

/* raw_routes.c: trace_pipe_raw and trace_raw (all CPUs or per_cpu/cpuN/) */
bool raw_is_binary(const char *file);
void raw_serve(struct http_conn *c, const char *file);

#endif
