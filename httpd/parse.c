/* HTTP/1.1 request head parser; contract in httpd/parse.h. Pure C, no libc calls, so
 * it builds unchanged in the kernel, the host unit test and the fuzz target. */
#include "httpd/parse.h"

/* What the header lines said, checked once the head is complete. */
struct head_state {
	bool has_length;
	bool chunked;        /* any Transfer-Encoding */
	bool conn_close;
	bool conn_keep;
	unsigned hosts;
	unsigned fields;
	uint64_t length;
};

/* One line of the head, without its CRLF or LF. */
struct line {
	const char *p;
	size_t len;
};

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* RFC 9110 tchar: the characters allowed in methods and header names. */
static bool is_tchar(char c)
{
	const char *extra = "!#$%&'*+-.^_`|~";

	if (is_alpha(c) || is_digit(c))
		return true;
	for (; *extra; extra++)
		if (c == *extra)
			return true;
	return false;
}

/* Visible ASCII, the characters of a request target. */
static bool is_vchar(char c)
{
	return c > 0x20 && c < 0x7f;
}

/* Field values: visible ASCII, space, tab and obs-text (bytes >= 0x80). */
static bool is_field_char(char c)
{
	unsigned char u = (unsigned char)c;

	return u == '\t' || (u >= 0x20 && u != 0x7f);
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive: does p[0..n) equal the lower-case string s? */
static bool ci_equal(const char *p, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!s[i] || lower(p[i]) != s[i])
			return false;
	return s[i] == '\0';
}

static int hex_value(char c)
{
	if (is_digit(c))
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Finds the line starting at off and ending with LF before lim. */
static bool next_line(const char *buf, size_t lim, size_t off, struct line *l, size_t *next)
{
	size_t i, end;

	for (i = off; i < lim; i++) {
		if (buf[i] != '\n')
			continue;
		end = i;
		if (end > off && buf[end - 1] == '\r')
			end--;
		l->p = buf + off;
		l->len = end - off;
		*next = i + 1;
		return true;
	}
	return false;
}

/* Percent-decodes s[0..n) into out (room for n + 1 bytes), or only checks it when out is
 * NULL. Decoded control characters (NUL, CR, LF, ...) are refused: no later code has to
 * cope with them. Returns the decoded length or -400. */
static long percent_decode(const char *s, size_t n, char *out)
{
	size_t i, o = 0;
	int hi, lo;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '%') {
			if (n - i < 3)
				return -400;
			hi = hex_value(s[i + 1]);
			lo = hex_value(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -400;
			c = (unsigned char)(hi << 4 | lo);
			if (c < 0x20 || c == 0x7f)
				return -400;
			i += 2;
		}
		if (out)
			out[o] = (char)c;
		o++;
	}
	if (out)
		out[o] = '\0';
	return (long)o;
}

/* from=VALUE: kept as text (its syntax is the route's business); too long is a 400. */
static long parse_from(const char *v, size_t vn, struct http_request *req)
{
	if (vn >= sizeof(req->from) * 3 || percent_decode(v, vn, NULL) >= (long)sizeof(req->from))
		return -400;
	return percent_decode(v, vn, req->from) < 0 ? -400 : 0;
}

/* One "key=value" of the query. Only follow, until_off and append (each 0|1) and from=
 * mean something; every escape is checked. The keys encode to at most 18 bytes and "0" or
 * "1" to 3, so longer ones are only checked. */
static long parse_query_pair(const char *s, size_t n, struct http_request *req)
{
	char key[19], val[4];
	size_t k = 0, vn;
	const char *v;
	long kl, vl;
	bool *flag;

	while (k < n && s[k] != '=')
		k++;
	v = k < n ? s + k + 1 : s + n;
	vn = (size_t)(s + n - v);
	kl = percent_decode(s, k, k < sizeof(key) ? key : NULL);
	vl = percent_decode(v, vn, vn < sizeof(val) ? val : NULL);
	if (kl < 0 || vl < 0)
		return -400;
	if (k >= sizeof(key))
		return 0;
	if (ci_equal(key, (size_t)kl, "from"))
		return parse_from(v, vn, req);
	if (ci_equal(key, (size_t)kl, "follow"))
		flag = &req->follow;
	else if (ci_equal(key, (size_t)kl, "append"))
		flag = &req->append;
	else if (ci_equal(key, (size_t)kl, "until_off"))
		flag = &req->until_off;
	else
		return 0;
	if (vn < sizeof(val) && vl == 1 && (val[0] == '0' || val[0] == '1')) {
		*flag = val[0] == '1';
		return 0;
	}
	return -400;
}

static long parse_query(const char *q, size_t n, struct http_request *req)
{
	size_t start = 0, i;
	long err;

	for (i = 0; i <= n; i++) {
		if (i < n && q[i] != '&')
			continue;
		if (i > start) {
			err = parse_query_pair(q + start, i - start, req);
			if (err)
				return err;
		}
		start = i + 1;
	}
	return 0;
}

/* origin-form "/path?query", or absolute-form "http://host/path?query" (RFC 9112 3.2.2). */
static long parse_target(const char *t, size_t n, struct http_request *req)
{
	size_t i, q;

	if (n >= 7 && ci_equal(t, 7, "http://")) {
		for (i = 7; i < n && t[i] != '/' && t[i] != '?'; i++)
			;
		t += i;
		n -= i;
		if (n == 0 || t[0] == '?') {
			req->path[0] = '/';
			req->path[1] = '\0';
			return n ? parse_query(t + 1, n - 1, req) : 0;
		}
	}
	if (n == 0 || t[0] != '/')
		return -400;
	for (q = 0; q < n && t[q] != '?'; q++)
		if (t[q] == '#')
			return -400;
	for (i = q; i < n; i++)
		if (t[i] == '#')
			return -400;
	if (percent_decode(t, q, req->path) < 0)
		return -400;
	return q < n ? parse_query(t + q + 1, n - q - 1, req) : 0;
}

static bool method_lookup(const char *m, size_t n, enum http_method *out)
{
	static const char *const names[] = { "GET", "HEAD", "PUT", "POST", "DELETE" };
	size_t i, j;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		for (j = 0; j < n && names[i][j] == m[j]; j++)
			;
		if (j == n && names[i][j] == '\0') {
			*out = (enum http_method)i;
			return true;
		}
	}
	return false;
}

/* "HTTP/" DIGIT "." DIGIT. A higher 1.x minor version is served as 1.1 (RFC 9110 2.5). */
static long parse_version(const char *p, size_t n, struct http_request *req)
{
	if (n != 8 || p[0] != 'H' || p[1] != 'T' || p[2] != 'T' || p[3] != 'P' || p[4] != '/' ||
	    !is_digit(p[5]) || p[6] != '.' || !is_digit(p[7]))
		return -400;
	if (p[5] != '1')
		return -505;
	req->version = p[7] == '0' ? 10 : 11;
	return 0;
}

/* method SP request-target SP HTTP-version. Syntax errors first (400), then the version
 * (505), then the method (501), then the target (400). */
static long parse_request_line(struct line l, struct http_request *req)
{
	const char *p = l.p, *end = l.p + l.len, *m, *t;
	size_t mlen, tlen;
	long err;

	for (m = p; p < end && is_tchar(*p); p++)
		;
	mlen = (size_t)(p - m);
	if (mlen == 0 || p == end || *p != ' ')
		return -400;
	for (t = ++p; p < end && is_vchar(*p); p++)
		;
	tlen = (size_t)(p - t);
	if (tlen == 0 || p == end || *p != ' ')
		return -400;
	p++;
	err = parse_version(p, (size_t)(end - p), req);
	if (err)
		return err;
	if (!method_lookup(m, mlen, &req->method))
		return -501;
	return parse_target(t, tlen, req);
}

/* Content-Length = 1*DIGIT. A repeated field must repeat the same value (RFC 9112 6.3). */
static long parse_content_length(const char *v, size_t n, struct head_state *st)
{
	uint64_t x = 0;
	size_t i;

	if (n == 0)
		return -400;
	for (i = 0; i < n; i++) {
		if (!is_digit(v[i]))
			return -400;
		if (x <= HTTP_MAX_BODY)
			x = x * 10 + (uint64_t)(v[i] - '0');
	}
	if (st->has_length && st->length != x)
		return -400;
	st->has_length = true;
	st->length = x;
	return x > HTTP_MAX_BODY ? -413 : 0;
}

/* Connection: a comma-separated list of options; only close and keep-alive matter. */
static void parse_connection(const char *v, size_t n, struct head_state *st)
{
	size_t i = 0, s, e;

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		for (s = i; i < n && v[i] != ','; i++)
			;
		for (e = i; e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'); e--)
			;
		if (ci_equal(v + s, e - s, "close"))
			st->conn_close = true;
		else if (ci_equal(v + s, e - s, "keep-alive"))
			st->conn_keep = true;
	}
}

static long apply_field(const char *name, size_t nl, const char *v, size_t vl,
			struct head_state *st, struct http_request *req)
{
	if (ci_equal(name, nl, "content-length"))
		return parse_content_length(v, vl, st);
	if (ci_equal(name, nl, "transfer-encoding"))
		st->chunked = true;
	else if (ci_equal(name, nl, "host"))
		st->hosts++;
	else if (ci_equal(name, nl, "connection"))
		parse_connection(v, vl, st);
	else if (ci_equal(name, nl, "expect")) {
		if (!ci_equal(v, vl, "100-continue"))
			return -417;
		req->expect_continue = true;
	}
	return 0;
}

/* field-name ":" OWS field-value OWS. No space before the colon and no obs-fold
 * (RFC 9112 5.1, 5.2): both are request-smuggling vectors and get 400. */
static long parse_field(struct line l, struct head_state *st, struct http_request *req)
{
	const char *p = l.p, *end = l.p + l.len, *v, *ve;
	size_t nl;

	if (++st->fields > HTTP_MAX_HEADERS)
		return -431;
	while (p < end && is_tchar(*p))
		p++;
	nl = (size_t)(p - l.p);
	if (nl == 0 || p == end || *p != ':')
		return -400;
	for (v = p + 1; v < end && (*v == ' ' || *v == '\t'); v++)
		;
	for (ve = end; ve > v && (ve[-1] == ' ' || ve[-1] == '\t'); ve--)
		;
	for (p = v; p < ve; p++)
		if (!is_field_char(*p))
			return -400;
	return apply_field(l.p, nl, v, (size_t)(ve - v), st, req);
}

/* The head is complete: cross-field rules. */
static long finish_head(const struct head_state *st, struct http_request *req, size_t len)
{
	if (st->chunked && st->has_length)
		return -400;
	if (st->chunked)
		return -411;
	if (st->hosts > 1 || (req->version == 11 && st->hosts == 0))
		return -400;
	req->body_len = st->has_length ? (size_t)st->length : 0;
	if (req->version == 11)
		req->keep_alive = !st->conn_close;
	else
		req->keep_alive = st->conn_keep && !st->conn_close;
	return (long)len;
}

/* Result for a line that has not ended by lim: wait, or refuse if it can never fit. */
static long incomplete(size_t off, size_t lim, size_t len, bool request_line)
{
	if (request_line && lim - off > HTTP_MAX_REQUEST_LINE + 1)
		return -414;
	if (len >= HTTP_MAX_HEAD)
		return -431;
	return HTTP_INCOMPLETE;
}

long http_parse_request(const char *buf, size_t len, struct http_request *req)
{
	size_t lim = len < HTTP_MAX_HEAD ? len : HTTP_MAX_HEAD;
	struct head_state st = { 0 };
	size_t off = 0, next;
	struct line l;
	long err;

	req->follow = false;
	req->until_off = false;
	req->append = false;
	req->from[0] = '\0';
	req->expect_continue = false;
	do {    /* empty lines before the request line are skipped */
		if (!next_line(buf, lim, off, &l, &next))
			return incomplete(off, lim, len, true);
		off = next;
	} while (l.len == 0);
	if (l.len > HTTP_MAX_REQUEST_LINE)
		return -414;
	err = parse_request_line(l, req);
	if (err)
		return err;
	for (;;) {
		if (!next_line(buf, lim, off, &l, &next))
			return incomplete(off, lim, len, false);
		off = next;
		if (l.len == 0)
			return finish_head(&st, req, off);
		err = parse_field(l, &st, req);
		if (err)
			return err;
	}
}

const char *http_status_text(int status)
{
	switch (status) {
	case 100: return "Continue";
	case 200: return "OK";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 417: return "Expectation Failed";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Unknown";
	}
}

const char *http_method_name(enum http_method m)
{
	static const char *const names[] = { "GET", "HEAD", "PUT", "POST", "DELETE" };

	return (unsigned)m < sizeof(names) / sizeof(names[0]) ? names[m] : "?";
}
