/* Host test of httpd/parse.c: exact results for a table of good and bad requests, the
 * limits at their exact boundaries, and every prefix of a valid request. */
#include <stdlib.h>
#include "httpd/parse.h"
#include "test/unit/check.h"

#define WHOLE 1 /* want: complete, and the head is the whole string */

struct parse_case {
	const char *name;
	const char *text;
	long want;              /* WHOLE, HTTP_INCOMPLETE or -status */
	const char *path;       /* checked when want == WHOLE and not NULL */
	int method;             /* checked when want == WHOLE and >= 0 */
	int keep_alive;         /* checked when want == WHOLE and >= 0 */
	long body_len;          /* checked when want == WHOLE and >= 0 */
};

#define H "Host: x\r\n"
static const struct parse_case cases[] = {
	{ "get", "GET /ftrace/trace HTTP/1.1\r\n" H "\r\n", WHOLE, "/ftrace/trace", HTTP_GET, 1, 0 },
	{ "head", "HEAD / HTTP/1.1\r\n" H "\r\n", WHOLE, "/", HTTP_HEAD, 1, 0 },
	{ "put with body length", "PUT /ftrace/tracing_on HTTP/1.1\r\n" H "Content-Length: 2\r\n\r\n",
	  WHOLE, "/ftrace/tracing_on", HTTP_PUT, 1, 2 },
	{ "post", "POST /a HTTP/1.1\r\n" H "content-length:10\r\n\r\n", WHOLE, "/a", HTTP_POST, 1, 10 },
	{ "delete", "DELETE /ftrace/trace HTTP/1.1\r\n" H "\r\n", WHOLE, "/ftrace/trace", HTTP_DELETE, 1, 0 },
	{ "put without length is empty", "PUT /x HTTP/1.1\r\n" H "\r\n", WHOLE, "/x", HTTP_PUT, 1, 0 },
	{ "bare LF lines", "GET /lf HTTP/1.1\n" H "\n", WHOLE, "/lf", HTTP_GET, 1, 0 },
	{ "leading empty lines", "\r\n\r\nGET /e HTTP/1.1\r\n" H "\r\n", WHOLE, "/e", HTTP_GET, 1, 0 },
	{ "http/1.0 closes", "GET / HTTP/1.0\r\n\r\n", WHOLE, "/", HTTP_GET, 0, 0 },
	{ "http/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", WHOLE, "/", -1, 1, -1 },
	{ "http/1.1 close", "GET / HTTP/1.1\r\n" H "Connection: close\r\n\r\n", WHOLE, "/", -1, 0, -1 },
	{ "connection list", "GET / HTTP/1.1\r\n" H "Connection: Upgrade, close \r\n\r\n", WHOLE, NULL, -1, 0, -1 },
	{ "http/1.2 served as 1.1", "GET / HTTP/1.2\r\n" H "\r\n", WHOLE, NULL, -1, 1, -1 },
	{ "percent decoding", "GET /a%20b%2Fc HTTP/1.1\r\n" H "\r\n", WHOLE, "/a b/c", -1, -1, -1 },
	{ "lowercase hex", "GET /%7e%7E HTTP/1.1\r\n" H "\r\n", WHOLE, "/~~", -1, -1, -1 },
	{ "query stripped", "GET /ftrace/trace_pipe?follow=1 HTTP/1.1\r\n" H "\r\n", WHOLE,
	  "/ftrace/trace_pipe", -1, -1, -1 },
	{ "absolute form", "GET http://127.0.0.1:9090/ftrace/ HTTP/1.1\r\n" H "\r\n", WHOLE, "/ftrace/", -1, -1, -1 },
	{ "absolute form no path", "GET HTTP://h HTTP/1.1\r\n" H "\r\n", WHOLE, "/", -1, -1, -1 },
	{ "ows around value", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: \t 3 \t\r\n\r\n", WHOLE, NULL, -1, -1, 3 },
	{ "same length twice", "PUT / HTTP/1.1\r\n" H "Content-Length: 3\r\nContent-Length: 3\r\n\r\n", WHOLE, NULL, -1, -1, 3 },
	{ "empty header value", "GET / HTTP/1.1\r\n" H "X-Empty:\r\n\r\n", WHOLE, NULL, -1, -1, -1 },
	{ "obs-text in value", "GET / HTTP/1.1\r\n" H "X-A: caf\xc3\xa9\r\n\r\n", WHOLE, NULL, -1, -1, -1 },
	{ "expect 100-continue", "PUT / HTTP/1.1\r\n" H "Expect: 100-Continue\r\nContent-Length: 1\r\n\r\n", WHOLE, NULL, -1, -1, 1 },

	{ "empty", "", HTTP_INCOMPLETE, NULL, -1, -1, -1 },
	{ "only empty lines", "\r\n\r\n", HTTP_INCOMPLETE, NULL, -1, -1, -1 },
	{ "no end of head", "GET / HTTP/1.1\r\nHost: x\r\n", HTTP_INCOMPLETE, NULL, -1, -1, -1 },
	{ "CR without LF", "GET / HTTP/1.1\r\nHost: x\r\n\r", HTTP_INCOMPLETE, NULL, -1, -1, -1 },

	{ "lowercase method", "get / HTTP/1.1\r\n" H "\r\n", -501, NULL, -1, -1, -1 },
	{ "options", "OPTIONS * HTTP/1.1\r\n" H "\r\n", -501, NULL, -1, -1, -1 },
	{ "patch", "PATCH /x HTTP/1.1\r\n" H "\r\n", -501, NULL, -1, -1, -1 },
	{ "method with bad char", "G(T / HTTP/1.1\r\n" H "\r\n", -400, NULL, -1, -1, -1 },
	{ "two spaces", "GET  / HTTP/1.1\r\n" H "\r\n", -400, NULL, -1, -1, -1 },
	{ "tab separator", "GET\t/ HTTP/1.1\r\n" H "\r\n", -400, NULL, -1, -1, -1 },
	{ "no version", "GET /\r\n\r\n", -400, NULL, -1, -1, -1 },
	{ "trailing space", "GET / HTTP/1.1 \r\n" H "\r\n", -400, NULL, -1, -1, -1 },
	{ "lowercase version", "GET / http/1.1\r\n" H "\r\n", -400, NULL, -1, -1, -1 },
	{ "version letters", "GET / HTTP/1.x\r\n" H "\r\n", -400, NULL, -1, -1, -1 },
	{ "http/2.0", "GET / HTTP/2.0\r\n" H "\r\n", -505, NULL, -1, -1, -1 },
	{ "http/0.9", "GET / HTTP/0.9\r\n" H "\r\n", -505, NULL, -1, -1, -1 },
	{ "bad request line before headers", "GARBAGE\r\n", -400, NULL, -1, -1, -1 },
	{ "binary request line", "\x16\x03\x01\x02\x05\x01\r\n", -400, NULL, -1, -1, -1 },
	{ "relative target", "GET ftrace HTTP/1.1\r\n" H "\r\n", -400, NULL, -1, -1, -1 },
	{ "fragment", "GET /a#b HTTP/1.1\r\n" H "\r\n", -400, NULL, -1, -1, -1 },
	{ "fragment in query", "GET /a?x=1#b HTTP/1.1\r\n" H "\r\n", -400, NULL, -1, -1, -1 },
	{ "bad escape", "GET /%zz HTTP/1.1\r\n" H "\r\n", -400, NULL, -1, -1, -1 },
	{ "short escape", "GET /a% HTTP/1.1\r\n" H "\r\n", -400, NULL, -1, -1, -1 },
	{ "short escape 2", "GET /a%4 HTTP/1.1\r\n" H "\r\n", -400, NULL, -1, -1, -1 },
	{ "escaped nul", "GET /a%00 HTTP/1.1\r\n" H "\r\n", -400, NULL, -1, -1, -1 },
	{ "escaped newline", "GET /a%0d%0aX HTTP/1.1\r\n" H "\r\n", -400, NULL, -1, -1, -1 },
	{ "bad escape in query", "GET /a?x=%g1 HTTP/1.1\r\n" H "\r\n", -400, NULL, -1, -1, -1 },
	{ "follow=2", "GET /a?follow=2 HTTP/1.1\r\n" H "\r\n", -400, NULL, -1, -1, -1 },
	{ "follow without value", "GET /a?follow HTTP/1.1\r\n" H "\r\n", -400, NULL, -1, -1, -1 },
	{ "missing host", "GET / HTTP/1.1\r\n\r\n", -400, NULL, -1, -1, -1 },
	{ "two hosts", "GET / HTTP/1.1\r\n" H H "\r\n", -400, NULL, -1, -1, -1 },
	{ "space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", -400, NULL, -1, -1, -1 },
	{ "no colon", "GET / HTTP/1.1\r\n" H "Bogus\r\n\r\n", -400, NULL, -1, -1, -1 },
	{ "empty name", "GET / HTTP/1.1\r\n" H ": v\r\n\r\n", -400, NULL, -1, -1, -1 },
	{ "obs-fold", "GET / HTTP/1.1\r\n" H "X-A: a\r\n b\r\n\r\n", -400, NULL, -1, -1, -1 },
	{ "control char in value", "GET / HTTP/1.1\r\n" H "X-A: a\x01z\r\n\r\n", -400, NULL, -1, -1, -1 },
	{ "bare CR in value", "GET / HTTP/1.1\r\n" H "X-A: a\rb\r\n\r\n", -400, NULL, -1, -1, -1 },
	{ "del in value", "GET / HTTP/1.1\r\n" H "X-A: \x7f\r\n\r\n", -400, NULL, -1, -1, -1 },
	{ "bad header before end", "GET / HTTP/1.1\r\nBad Header\r\n", -400, NULL, -1, -1, -1 },
	{ "negative length", "PUT / HTTP/1.1\r\n" H "Content-Length: -1\r\n\r\n", -400, NULL, -1, -1, -1 },
	{ "hex length", "PUT / HTTP/1.1\r\n" H "Content-Length: 0x10\r\n\r\n", -400, NULL, -1, -1, -1 },
	{ "empty length", "PUT / HTTP/1.1\r\n" H "Content-Length:\r\n\r\n", -400, NULL, -1, -1, -1 },
	{ "length list", "PUT / HTTP/1.1\r\n" H "Content-Length: 3, 3\r\n\r\n", -400, NULL, -1, -1, -1 },
	{ "conflicting lengths", "PUT / HTTP/1.1\r\n" H "Content-Length: 3\r\nContent-Length: 4\r\n\r\n", -400, NULL, -1, -1, -1 },
	{ "chunked and length", "PUT / HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", -400, NULL, -1, -1, -1 },
	{ "chunked body", "PUT / HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n\r\n", -411, NULL, -1, -1, -1 },
	{ "chunked post", "POST /x HTTP/1.1\r\n" H "transfer-encoding: gzip, chunked\r\n\r\n", -411, NULL, -1, -1, -1 },
	{ "length too large", "PUT / HTTP/1.1\r\n" H "Content-Length: 65537\r\n\r\n", -413, NULL, -1, -1, -1 },
	{ "huge length", "PUT / HTTP/1.1\r\n" H "Content-Length: 99999999999999999999999999999\r\n\r\n", -413, NULL, -1, -1, -1 },
	{ "too large before end", "PUT / HTTP/1.1\r\nContent-Length: 1000000\r\n", -413, NULL, -1, -1, -1 },
	{ "max length", "PUT / HTTP/1.1\r\n" H "Content-Length: 65536\r\n\r\n", WHOLE, NULL, -1, -1, 65536 },
	{ "expect other", "PUT / HTTP/1.1\r\n" H "Expect: 200-ok\r\n\r\n", -417, NULL, -1, -1, -1 },
};

static void run_table(void)
{
	struct http_request *req = malloc(sizeof(*req));
	char name[160];
	size_t i, len;
	long got;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct parse_case *c = &cases[i];

		snprintf(name, sizeof(name), "parse %s", c->name);
		TEST_CASE(name);
		len = strlen(c->text);
		got = http_parse_request(c->text, len, req);
		CHECK_EQ(got, c->want == WHOLE ? (long)len : c->want);
		if (c->want == WHOLE && got == (long)len) {
			if (c->path)
				CHECK_STR(req->path, c->path);
			if (c->method >= 0)
				CHECK_EQ(req->method, c->method);
			if (c->keep_alive >= 0)
				CHECK_EQ(req->keep_alive, c->keep_alive);
			if (c->body_len >= 0)
				CHECK_EQ(req->body_len, c->body_len);
		}
		TEST_END();
	}
	free(req);
}

/* A request whose request line is n bytes long: "GET /aaa...a HTTP/1.1". */
static char *request_with_line(size_t n)
{
	char *s = malloc(n + 64);

	memcpy(s, "GET /", 5);
	memset(s + 5, 'a', n - 5 - 9);
	strcpy(s + n - 9, " HTTP/1.1\r\nHost: x\r\n\r\n");
	return s;
}

static void test_request_line_limit(void)
{
	struct http_request req;
	char *ok = request_with_line(HTTP_MAX_REQUEST_LINE);
	char *bad = request_with_line(HTTP_MAX_REQUEST_LINE + 1);

	TEST_CASE("request line at the limit, and one byte over: 414");
	CHECK_EQ(http_parse_request(ok, strlen(ok), &req), (long)strlen(ok));
	CHECK_EQ(strlen(req.path), HTTP_MAX_REQUEST_LINE - 9 - 4);
	CHECK_EQ(http_parse_request(bad, strlen(bad), &req), -414);
	/* Known too long before its end arrives: no need to wait for more. */
	CHECK_EQ(http_parse_request(bad, HTTP_MAX_REQUEST_LINE + 2, &req), -414);
	CHECK_EQ(http_parse_request(bad, HTTP_MAX_REQUEST_LINE + 1, &req), HTTP_INCOMPLETE);
	TEST_END();
	free(ok);
	free(bad);
}

/* A head of exactly n bytes: request line, Host, fields of 1000 to 1999 bytes, empty line. */
static char *head_of_size(size_t n)
{
	static const char start[] = "GET / HTTP/1.1\r\nHost: x\r\n";
	char *s = malloc(n + 1);
	size_t off = sizeof(start) - 1, left, k;

	memcpy(s, start, off);
	for (left = n - 2 - off; left > 0; left -= k) {
		k = left >= 2000 ? 1000 : left;
		memcpy(s + off, "X:", 2);
		memset(s + off + 2, 'v', k - 4);
		memcpy(s + off + k - 2, "\r\n", 2);
		off += k;
	}
	memcpy(s + off, "\r\n", 3);
	return s;
}

static void test_head_limit(void)
{
	struct http_request req;
	char *ok = head_of_size(HTTP_MAX_HEAD);
	char *bad = head_of_size(HTTP_MAX_HEAD + 1);
	char *unterminated = malloc(HTTP_MAX_HEAD + 100);

	TEST_CASE("head at the limit, and one byte over: 431");
	CHECK_EQ(strlen(ok), HTTP_MAX_HEAD);
	CHECK_EQ(strlen(bad), HTTP_MAX_HEAD + 1);
	CHECK_EQ(http_parse_request(ok, strlen(ok), &req), HTTP_MAX_HEAD);
	CHECK_EQ(http_parse_request(bad, strlen(bad), &req), -431);
	memcpy(unterminated, ok, HTTP_MAX_HEAD - 2);
	memset(unterminated + HTTP_MAX_HEAD - 2, 'v', 100);
	CHECK_EQ(http_parse_request(unterminated, HTTP_MAX_HEAD - 1, &req), HTTP_INCOMPLETE);
	CHECK_EQ(http_parse_request(unterminated, HTTP_MAX_HEAD, &req), -431);
	CHECK_EQ(http_parse_request(unterminated, HTTP_MAX_HEAD + 100, &req), -431);
	TEST_END();
	free(ok);
	free(bad);
	free(unterminated);
}

static void test_field_count(void)
{
	struct http_request req;
	char buf[2048];
	size_t off;
	int i;

	TEST_CASE("64 header fields pass, 65 get 431");
	off = (size_t)sprintf(buf, "GET / HTTP/1.1\r\n");
	for (i = 0; i < HTTP_MAX_HEADERS; i++)
		off += (size_t)sprintf(buf + off, i ? "X%d: 1\r\n" : "Host: %d\r\n", i);
	strcpy(buf + off, "\r\n");
	CHECK_EQ(http_parse_request(buf, off + 2, &req), (long)off + 2);
	strcpy(buf + off, "Y: 1\r\n\r\n");
	CHECK_EQ(http_parse_request(buf, off + 8, &req), -431);
	TEST_END();
}

static void test_prefixes(void)
{
	static const char full[] = "\r\nPUT /ftrace/current_tracer?follow=1 HTTP/1.1\r\n"
				   "Host: 127.0.0.1\r\nContent-Length: 14\r\n\r\nfunction_graph";
	size_t head = sizeof(full) - 1 - 14, n;
	struct http_request req;

	TEST_CASE("every prefix of a valid request is incomplete, the body is not read");
	for (n = 0; n < head; n++)
		CHECK_EQ(http_parse_request(full, n, &req), HTTP_INCOMPLETE);
	for (n = head; n < sizeof(full); n++)
		CHECK_EQ(http_parse_request(full, n, &req), (long)head);
	CHECK_EQ(req.body_len, 14);
	CHECK_EQ(req.follow, 1);
	CHECK_EQ(req.method, HTTP_PUT);
	CHECK_STR(req.path, "/ftrace/current_tracer");
	TEST_END();
}

static void test_pipelined(void)
{
	static const char two[] = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n";
	struct http_request req;
	long n;

	TEST_CASE("pipelined requests parse one at a time");
	n = http_parse_request(two, sizeof(two) - 1, &req);
	CHECK_EQ(n, (long)(sizeof(two) - 1) / 2);
	CHECK_STR(req.path, "/a");
	CHECK_EQ(http_parse_request(two + n, sizeof(two) - 1 - (size_t)n, &req), n);
	CHECK_STR(req.path, "/b");
	TEST_END();
}

static void test_follow_values(void)
{
	struct http_request req;
	const char *r0 = "GET /p?x=1&follow=0 HTTP/1.1\r\nHost: x\r\n\r\n";
	const char *r1 = "GET /p?a=%41&FOLLOW=%31&&b HTTP/1.1\r\nHost: x\r\n\r\n";
	const char *none = "GET /p?longkeyname_xxxxxxxxxxxxxx=1 HTTP/1.1\r\nHost: x\r\n\r\n";

	TEST_CASE("query follow=0/1, escaped, among other keys");
	CHECK_EQ(http_parse_request(r0, strlen(r0), &req), (long)strlen(r0));
	CHECK_EQ(req.follow, 0);
	CHECK_EQ(http_parse_request(r1, strlen(r1), &req), (long)strlen(r1));
	CHECK_EQ(req.follow, 1);
	CHECK_EQ(http_parse_request(none, strlen(none), &req), (long)strlen(none));
	CHECK_EQ(req.follow, 0);
	TEST_END();
}

static void test_until_off_values(void)
{
	struct http_request req;
	const char *on = "GET /ftrace/trace_pipe?follow=1&until_off=1 HTTP/1.1\r\nHost: x\r\n\r\n";
	const char *plain = "GET /ftrace/trace_pipe?follow=1 HTTP/1.1\r\nHost: x\r\n\r\n";
	const char *bad = "GET /p?until_off=yes HTTP/1.1\r\nHost: x\r\n\r\n";

	TEST_CASE("query until_off=0/1 with follow, invalid value");
	CHECK_EQ(http_parse_request(on, strlen(on), &req), (long)strlen(on));
	CHECK_EQ(req.follow, 1);
	CHECK_EQ(req.until_off, 1);
	CHECK_EQ(http_parse_request(plain, strlen(plain), &req), (long)strlen(plain));
	CHECK_EQ(req.until_off, 0);
	CHECK_EQ(http_parse_request(bad, strlen(bad), &req), -400);
	TEST_END();
}

static void test_append_values(void)
{
	struct http_request req;
	const char *on = "PUT /ftrace/set_ftrace_filter?append=1 HTTP/1.1\r\nHost: x\r\n"
			 "Content-Length: 0\r\n\r\n";
	const char *off = "PUT /p?follow=1&APPEND=%30 HTTP/1.1\r\nHost: x\r\n\r\n";
	const char *bad = "PUT /p?append=yes HTTP/1.1\r\nHost: x\r\n\r\n";

	TEST_CASE("query append=0/1, escaped, invalid value");
	CHECK_EQ(http_parse_request(on, strlen(on), &req), (long)strlen(on));
	CHECK_EQ(req.append, 1);
	CHECK_STR(req.path, "/ftrace/set_ftrace_filter");
	CHECK_EQ(http_parse_request(off, strlen(off), &req), (long)strlen(off));
	CHECK_EQ(req.append, 0);
	CHECK_EQ(req.follow, 1);
	CHECK_EQ(http_parse_request(bad, strlen(bad), &req), -400);
	TEST_END();
}

static void test_from_values(void)
{
	static char longer[HTTP_MAX_FROM * 4];
	struct http_request req;
	const char *list = "GET /ftrace/trace_pipe_raw?follow=1&from=0%3A12,1:40 HTTP/1.1\r\n"
			   "Host: x\r\n\r\n";
	const char *none = "GET /ftrace/trace_pipe_raw HTTP/1.1\r\nHost: x\r\n\r\n";
	const char *bad = "GET /p?from=%zz HTTP/1.1\r\nHost: x\r\n\r\n";
	int n;

	TEST_CASE("query from=: kept percent-decoded, absent is empty, too long or bad escape 400");
	CHECK_EQ(http_parse_request(list, strlen(list), &req), (long)strlen(list));
	CHECK_STR(req.from, "0:12,1:40");
	CHECK_EQ(req.follow, 1);
	CHECK_EQ(http_parse_request(none, strlen(none), &req), (long)strlen(none));
	CHECK_STR(req.from, "");
	CHECK_EQ(http_parse_request(bad, strlen(bad), &req), -400);
	n = snprintf(longer, sizeof(longer), "GET /p?from=");
	memset(longer + n, '1', HTTP_MAX_FROM);
	strcpy(longer + n + HTTP_MAX_FROM, " HTTP/1.1\r\nHost: x\r\n\r\n");
	CHECK_EQ(http_parse_request(longer, strlen(longer), &req), -400);
	strcpy(longer + n + HTTP_MAX_FROM - 1, /* one byte shorter: fits */ " HTTP/1.1\r\nHost: x\r\n\r\n");
	CHECK_EQ(http_parse_request(longer, strlen(longer), &req), (long)strlen(longer));
	CHECK_EQ(strlen(req.from), HTTP_MAX_FROM - 1);
	TEST_END();
}

static void test_nul(void)
{
	static const char r[] = "GET /a\0b HTTP/1.1\r\nHost: x\r\n\r\n";
	static const char v[] = "GET / HTTP/1.1\r\nHost: x\0y\r\n\r\n";
	struct http_request req;

	TEST_CASE("NUL bytes in the target or a value: 400");
	CHECK_EQ(http_parse_request(r, sizeof(r) - 1, &req), -400);
	CHECK_EQ(http_parse_request(v, sizeof(v) - 1, &req), -400);
	TEST_END();
}

static void test_status_text(void)
{
	TEST_CASE("status texts");
	CHECK_STR(http_status_text(431), "Request Header Fields Too Large");
	CHECK_STR(http_status_text(503), "Service Unavailable");
	CHECK_STR(http_status_text(299), "Unknown");
	CHECK_STR(http_method_name(HTTP_DELETE), "DELETE");
	TEST_END();
}

int main(void)
{
	run_table();
	test_request_line_limit();
	test_head_limit();
	test_field_count();
	test_prefixes();
	test_pipelined();
	test_follow_values();
	test_until_off_values();
	test_append_values();
	test_from_values();
	test_nul();
	test_status_text();
	return test_exit_status();
}
