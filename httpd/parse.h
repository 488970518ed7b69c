/* HTTP/1.1 request head parser (RFC 9112), pure: no allocation, no I/O, no kernel calls,
 * so the same file builds into the kernel, the host unit test and the fuzz target.
 *
 * The parser is stateless: call it again on the whole buffer whenever more bytes have
 * arrived (the server does so only when a new line ended). Each complete line is checked
 * as soon as it is there, so a bad request line is rejected before its headers arrive,
 * and the limits are enforced on incomplete input, so no client can make us buffer more
 * than HTTP_MAX_HEAD bytes. */
#ifndef HTTPD_PARSE_H
#define HTTPD_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_REQUEST_LINE 2048        /* longer request line: 414 */
#define HTTP_MAX_FROM 512                 /* longest from= value, decoded (else 400) */
#define HTTP_MAX_HEAD         8192        /* longer head (request line + headers): 431 */
#define HTTP_MAX_HEADERS      64          /* more header fields: 431 */
#define HTTP_MAX_BODY         (64 * 1024) /* larger Content-Length: 413 */

/* Result of http_parse_request() besides a head length (> 0) or -status (< 0). */
#define HTTP_INCOMPLETE 0

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_PUT,
	HTTP_POST,
	HTTP_DELETE,
};

struct http_request {
	enum http_method method;
	unsigned version;       /* 10 for HTTP/1.0, 11 for HTTP/1.1 */
	bool keep_alive;        /* HTTP/1.1 unless "Connection: close", or 1.0 + keep-alive */
	bool expect_continue;   /* "Expect: 100-continue": answer 100 before reading the body */
	bool follow;            /* query "follow=1" */
	bool until_off;         /* query "until_off=1": follow until tracing is switched off */
	bool append;            /* query "append=1": a write appends, as `echo X >> file` */
	char from[HTTP_MAX_FROM]; /* query "from=...", percent-decoded ("" if absent): the
				   * acknowledgements of trace_pipe_raw (docs/raw-transport.md) */
	size_t body_len;        /* Content-Length; 0 when absent */
	char path[HTTP_MAX_REQUEST_LINE]; /* percent-decoded path, no query; starts with '/' */
};

/* Parses the request head at the start of buf[0..len).
 * Returns the length of the head including its final empty line (> 0) when it is complete
 * and valid; HTTP_INCOMPLETE when more bytes are needed; or the negated status code to
 * answer with (the connection is then closed):
 *   -400 malformed request line, header, target, percent escape, Content-Length or query;
 *        HTTP/1.1 without exactly one Host; both Content-Length and Transfer-Encoding
 *   -411 Transfer-Encoding without Content-Length (bodies must have a length)
 *   -413 Content-Length above HTTP_MAX_BODY
 *   -414 request line longer than HTTP_MAX_REQUEST_LINE
 *   -417 an Expect other than 100-continue
 *   -431 head longer than HTTP_MAX_HEAD or more than HTTP_MAX_HEADERS fields
 *   -501 a well-formed method other than GET HEAD PUT POST DELETE
 *   -505 an HTTP version other than 1.0 and 1.1
 * Leading empty lines are skipped (RFC 9112 2.2) and count towards the head. Lines may end
 * in CRLF or a bare LF. req is written only in part unless the result is > 0. */
long http_parse_request(const char *buf, size_t len, struct http_request *req);

/* Reason phrase for a status code ("Unknown" for codes we never send). */
const char *http_status_text(int status);

/* "GET", "HEAD", ... */
const char *http_method_name(enum http_method m);

#endif
