/* Hand-written scanner for one function_graph line. The layout is
 *   [abstime " |  "] " CPU) " [proc " | "] [duration "|"] indentation text
 * and every piece is optional except the CPU field, so the scanner splits on the '|' bars
 * rather than on column positions (widths changed between kernel versions). */
#include "tools/lib/fgline.h"

#include <stdbool.h>
#include <string.h>

#include "tools/lib/schedsw.h"

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Indentation is long (2 columns per level): find the first non-space 8 bytes at a time,
 * the position of the lowest differing byte given by counting trailing zero bits. */
static const char *skip_spaces(const char *p, const char *e)
{
	const char *s = p;
	uint64_t x;

	while (e - p >= 8) {
		memcpy(&x, p, 8);
		x ^= 0x2020202020202020ULL;
		if (x)
			return p + (__builtin_ctzll(x) >> 3);
		p += 8;
	}
	if (p < e && e - s >= 8) {
		/* the last 8 bytes, overlapping spaces already seen: no byte loop for the rest */
		memcpy(&x, e - 8, 8);
		x ^= 0x2020202020202020ULL;
		return x ? e - 8 + (__builtin_ctzll(x) >> 3) : e;
	}
	while (p < e && *p == ' ')
		p++;
	return p;
}

static void trim(const char **p, const char **e)
{
	while (*p < *e && **p == ' ')
		(*p)++;
	while (*e > *p && (*e)[-1] == ' ')
		(*e)--;
}

static int starts(const char *p, const char *e, const char *lit, size_t n)
{
	return (size_t)(e - p) >= n && memcmp(p, lit, n) == 0;
}

/* Digits at *pp into *v (at most 18 of them, so no overflow); returns the digit count. */
static int parse_uint(const char **pp, const char *e, int64_t *v)
{
	const char *p = *pp;
	int64_t x = 0;
	int n = 0;

	while (p < e && is_digit(*p) && n < 18) {
		x = x * 10 + (*p - '0');
		p++;
		n++;
	}
	if (p < e && is_digit(*p))
		return 0;
	*pp = p;
	*v = x;
	return n;
}

static int bad(struct fgl *l, const char *reason)
{
	l->kind = FGL_BAD;
	l->reason = reason;
	return -1;
}

int fgl_parse_proc(const char *s, size_t n, struct fgl_str *comm, int64_t *tid)
{
	const char *e = s + n, *d = e;
	int64_t v = 0;

	while (d > s && is_digit(d[-1]))
		d--;
	if (d == e || d == s || d[-1] != '-' || e - d > 18)
		return -1;
	const char *q = d;
	parse_uint(&q, e, &v);
	comm->p = s;
	comm->n = (size_t)(d - 1 - s);
	*tid = v;
	return 0;
}

/* "CPU:N [LOST M EVENTS]" or "CPU:N [LOST EVENTS]" */
static void parse_lost(const char *p, const char *e, struct fgl *l)
{
	int64_t v;

	p += 4;
	if (!parse_uint(&p, e, &v) || v > FGL_MAX_CPU || !starts(p, e, " [LOST ", 7)) {
		bad(l, "malformed LOST EVENTS line");
		return;
	}
	l->cpu = (int)v;
	p += 7;
	l->lost = -1;
	if (parse_uint(&p, e, &v)) {
		l->lost = v;
		p = skip_spaces(p, e);
	}
	if (!starts(p, e, "EVENTS]", 7)) {
		bad(l, "malformed LOST EVENTS line");
		return;
	}
	l->kind = FGL_LOST;
}

/* "%5lu.%06lu |  ": returns the position after the bar, or NULL if there is no abstime. */
static const char *parse_abstime(const char *q, const char *e, int64_t sec, struct fgl *l)
{
	int64_t usec;

	q++;
	if (parse_uint(&q, e, &usec) != 6 || sec > 9000000000LL)
		return NULL;
	q = skip_spaces(q, e);
	if (q >= e || *q != '|')
		return NULL;
	l->abs_ns = sec * 1000000000LL + usec * 1000;
	return q + 1;
}

/* funcgraph-overhead marks (trace_find_mark) */
static int is_mark(char c)
{
	return c == '+' || c == '!' || c == '#' || c == '*' || c == '@' || c == '$';
}

/* "mark number us" trimmed, e.g. "! 100.066 us", "1000131 us", "0.046 us". */
static int parse_duration(const char *p, const char *e, struct fgl *l)
{
	int64_t ip, fp = 0;
	int nfrac;

	if (p < e && is_mark(*p))
		p = skip_spaces(p + 1, e);
	if (!parse_uint(&p, e, &ip))
		return bad(l, "malformed duration");
	if (p < e && *p == '.') {
		p++;
		nfrac = parse_uint(&p, e, &fp);
		if (nfrac == 0 || nfrac > 9)
			return bad(l, "malformed duration");
		while (nfrac < 3)
			fp *= 10, nfrac++;
		while (nfrac > 3)
			fp /= 10, nfrac--;
	}
	p = skip_spaces(p, e);
	if (!starts(p, e, "us", 2) || p + 2 != e || ip > 9000000000000LL)
		return bad(l, "malformed duration");
	l->dur_ns = ip * 1000 + fp;
	return 0;
}

static int is_irq_marker(const char *p, const char *e)
{
	return p < e && (*p == '=' || *p == '<') &&
	       (starts(p, e, "==========>", 11) || starts(p, e, "<==========", 11));
}

/* The first '|' at or after p. Linux's duration column is 14 columns wide, so after the
 * CPU field the bar is almost always at p[14]: test that before scanning. */
static const char *find_bar(const char *p, const char *e)
{
	if (e - p > 14 && p[14] == '|' && p[13] == ' ')
		return p + 14;
	while (p < e && *p != '|')
		p++;
	return p < e ? p : NULL;
}

enum { COL_TIME, COL_DONE, COL_OTHER };

/* What Linux prints, "[mark ]digits[.ddd] us" then spaces up to the bar: *ns and true,
 * or false for anything else (duration_column then looks closer). Accepts nothing that
 * the general path would read differently. */
static bool usual_duration(const char *q, const char *bar, int64_t *ns)
{
	int64_t ip = 0, fp = 0;
	int n = 0;

	if (is_mark(*q) && ++q < bar && *q == ' ')
		q++;
	for (; q < bar && is_digit(*q) && n < 12; q++, n++)
		ip = ip * 10 + (*q - '0');
	if (!n)
		return false;
	if (bar - q >= 4 && *q == '.' && is_digit(q[1]) && is_digit(q[2]) && is_digit(q[3])) {
		fp = (q[1] - '0') * 100 + (q[2] - '0') * 10 + (q[3] - '0');
		q += 4;
	}
	if (bar - q < 3 || memcmp(q, " us", 3) != 0 || skip_spaces(q + 3, bar) != bar)
		return false;
	*ns = ip * 1000 + fp;
	return true;
}

/* The column before a bar: empty or a duration (COL_TIME, dur_ns set), an irq marker or
 * an error (COL_DONE, kind set), or something else such as the proc column (COL_OTHER). */
static int duration_column(const char *p, const char *bar, struct fgl *l)
{
	const char *q = skip_spaces(p, bar), *e = bar;

	if (q == bar)
		return COL_TIME;
	if (usual_duration(q, bar, &l->dur_ns))
		return COL_TIME;
	if (*q == '=' || *q == '<') {
		if (!is_irq_marker(q, bar))
			return COL_OTHER;
		l->kind = FGL_IRQ;
		return COL_DONE;
	}
	if (!is_mark(*q) && !is_digit(*q))
		return COL_OTHER;
	while (e > q && e[-1] == ' ')
		e--;
	if (e - q < 3 || memcmp(e - 3, " us", 3) != 0)
		return COL_OTHER;
	return parse_duration(q, e, l) ? COL_DONE : COL_TIME;
}

enum { NC_NAME, NC_STOP, NC_SPACE, NC_BAD };

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Marks (high bit of each byte) the bytes at p that are not name bytes, i.e. outside
 * 0x21..0x7e or '(' (SWAR tests from "Bit Twiddling Hacks": hasless, hasmore, haszero).
 * Borrows and carries only move upwards, so the lowest mark is always exact. */
static uint64_t nonname8(const char *p)
{
	uint64_t x, paren;

	memcpy(&x, p, 8);
	paren = x ^ (ONES * '(');
	uint64_t low = (x - ONES * 0x21) & ~x & HIGHS;
	uint64_t high = ((x + ONES * (127 - 0x7e)) | x) & HIGHS;
	uint64_t zero = (paren - ONES) & ~paren & HIGHS;
	return low | high | zero;
}

/* Byte classes for function names: printable ASCII except the stop byte. */
static unsigned char name_class(unsigned char c, char stop)
{
	if (c == (unsigned char)stop)
		return NC_STOP;
	if (c == ' ')
		return NC_SPACE;
	return c < 0x20 || c > 0x7e ? NC_BAD : NC_NAME;
}

/* A name is printable; a space is only allowed before a " [module]" suffix. Returns the
 * stop byte's position ('(' after a call's name) or NULL if a byte is not allowed. */
static const char *scan_name(const char *p, const char *e)
{
	static unsigned char cls[256];

	if (!cls['('])
		for (int c = 0; c < 256; c++)
			cls[c] = name_class((unsigned char)c, '(');
	for (;;) {
		uint64_t m = 0;
		while (e - p >= 8 && !(m = nonname8(p)))
			p += 8;
		if (m)	/* straight to the first byte that is not a name byte */
			p += __builtin_ctzll(m) >> 3;
		else
			while (p < e && cls[(unsigned char)*p] == NC_NAME)
				p++;
		if (p == e || cls[(unsigned char)*p] == NC_BAD)
			return NULL;
		if (cls[(unsigned char)*p] == NC_STOP)
			return p;
		if (p + 1 >= e || p[1] != '[')
			return NULL;
		p++;
	}
}

static int printable(const char *p, const char *e)
{
	for (; p < e; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p > 0x7e)
			return 0;
	return 1;
}

/* "} /- name ... -/": the name is the first word, without "()" or " = ret" */
static void parse_tail(const char *p, const char *e, struct fgl *l)
{
	l->func.p = p;
	l->func.n = 0;
	p = skip_spaces(p, e);
	if (!starts(p, e, "/*", 2))
		return;
	p = skip_spaces(p + 2, e);
	const char *q = p;
	while (q < e && *q != ' ' && *q != '(' && *q != '*')
		q++;
	if (q > p && printable(p, q)) {
		l->func.p = p;
		l->func.n = (size_t)(q - p);
	}
}

static void parse_call(const char *p, const char *e, struct fgl *l)
{
	const char *paren = scan_name(p, e);
	const char *end = e;

	if (!paren || paren == p) {
		bad(l, "malformed function name");
		return;
	}
	/* drop a trailing comment: retval, retaddr */
	if (end - paren >= 4 && end[-1] == '/' && end[-2] == '*') {
		const char *c = end - 2;
		while (c > paren && !(c[-1] == '/' && c[0] == '*'))
			c--;
		if (c > paren)
			end = c - 1;
	}
	while (end > paren && end[-1] == ' ')
		end--;
	if (end[-1] == '{')
		l->kind = FGL_ENTRY;
	else if (end[-1] == ';')
		l->kind = FGL_LEAF;
	else {
		bad(l, "function line ends in neither '{' nor ';'");
		return;
	}
	l->func.p = p;
	l->func.n = (size_t)(paren - p);
}

/* Indentation and text; spaces = indentation width in columns. */
static void parse_text(const char *p, const char *e, size_t spaces, struct fgl *l)
{
	if (spaces / 2 > FGL_MAX_DEPTH) {
		bad(l, "indentation too deep");
		return;
	}
	l->depth = (int)(spaces / 2);
	if (p == e) {
		bad(l, "missing function text");
		return;
	}
	if (*p == '}') {
		l->kind = FGL_RETURN;
		parse_tail(p + 1, e, l);
	} else if (*p == '/' && starts(p, e, "/*", 2)) {
		if (!schedsw_comment(p, e, l)) {
			l->kind = FGL_COMMENT;
			l->func.p = p;	/* the whole comment, for timeline markers */
			l->func.n = (size_t)(e - p);
		}
	} else if (is_irq_marker(p, e)) {
		l->kind = FGL_IRQ;
	} else {
		parse_call(p, e, l);
	}
}

static void parse_ctx_switch(const char *p, const char *e, const char *arrow, struct fgl *l)
{
	const char *a = p, *ae = arrow, *b = arrow + 4, *be = e;

	trim(&a, &ae);
	trim(&b, &be);
	if (fgl_parse_proc(a, (size_t)(ae - a), &l->prev_comm, &l->prev_tid) ||
	    fgl_parse_proc(b, (size_t)(be - b), &l->next_comm, &l->next_tid)) {
		bad(l, "malformed context switch line");
		return;
	}
	l->prev_state = 0;	/* a block does not say */
	l->kind = FGL_CTX_SWITCH;
}

/* Text after the bar of the duration column: "|  " then 2 columns per depth level. */
static void text_after_bar(const char *bar, const char *e, struct fgl *l)
{
	const char *t = skip_spaces(bar + 1, e);
	size_t sp = (size_t)(t - bar - 1);

	parse_text(t, e, sp >= 2 ? sp - 2 : 0, l);
}

/* nofuncgraph-duration: the indentation follows the prologue directly. */
static void text_after_prologue(const char *p, const char *e, struct fgl *l)
{
	const char *t = skip_spaces(p, e);

	parse_text(t, e, (size_t)(t - p), l);
}

/* The proc column "comm-pid |" ends at bar; then [duration |] text. */
static void parse_after_proc(const char *p, const char *bar, const char *e, struct fgl *l)
{
	const char *c = p, *ce = bar;

	trim(&c, &ce);
	if (fgl_parse_proc(c, (size_t)(ce - c), &l->comm, &l->tid)) {
		bad(l, "malformed TASK-PID column");
		return;
	}
	p = bar + 1;
	if (p < e && *p == ' ')
		p++;
	bar = find_bar(p, e);
	if (!bar) {
		text_after_prologue(p, e, l);
		return;
	}
	int col = duration_column(p, bar, l);
	if (col == COL_OTHER)
		bad(l, "malformed duration column");
	else if (col == COL_TIME)
		text_after_bar(bar, e, l);
}

static void parse_event(const char *p, const char *e, struct fgl *l)
{
	int64_t cpu;
	int digits = parse_uint(&p, e, &cpu);

	if (digits && p < e && *p == '.') {
		const char *q = parse_abstime(p, e, cpu, l);
		if (!q) {
			bad(l, "malformed timestamp");
			return;
		}
		p = skip_spaces(q, e);
		digits = parse_uint(&p, e, &cpu);
	}
	if (!digits || p >= e || *p != ')' || cpu > FGL_MAX_CPU) {
		bad(l, "no CPU field");
		return;
	}
	l->cpu = (int)cpu;
	p++;
	if (p < e && *p == ' ')
		p++;
	const char *bar = find_bar(p, e);
	if (!bar) {
		const char *arrow = p < e ? memmem(p, (size_t)(e - p), " => ", 4) : NULL;
		if (arrow)
			parse_ctx_switch(p, e, arrow, l);
		else
			text_after_prologue(p, e, l);
		return;
	}
	int col = duration_column(p, bar, l);
	if (col == COL_OTHER)
		parse_after_proc(p, bar, e, l);
	else if (col == COL_TIME)
		text_after_bar(bar, e, l);
}

void fgl_clear(struct fgl *l)
{
	/* only the fields every caller reads; the rest is set by the kind that uses it */
	l->kind = FGL_BAD;
	l->cpu = -1;
	l->tid = -1;
	l->comm.n = 0;
	l->abs_ns = -1;
	l->dur_ns = -1;
	l->depth = 0;
	l->func.n = 0;
}

void fgl_parse_body(const char *p, const char *e, struct fgl *l)
{
	const char *bar = find_bar(p, e);

	if (!bar) {
		bad(l, "no '|' after the duration column");
		return;
	}
	int col = duration_column(p, bar, l);
	if (col == COL_OTHER)
		bad(l, "malformed duration column");
	else if (col == COL_TIME)
		text_after_bar(bar, e, l);
}

void fgl_parse(const char *s, size_t n, struct fgl *l)
{
	const char *e = s + n, *p;

	fgl_clear(l);
	if (n && e[-1] == '\r')
		e--;
	p = skip_spaces(s, e);
	if (p == e) {
		l->kind = FGL_BLANK;
	} else if (*p == '#') {
		l->kind = FGL_HEADER;
		if (starts(p, e, "# tracer: ", 10)) {
			l->kind = FGL_TRACER;
			l->func.p = p + 10;
			l->func.n = (size_t)(e - p - 10);
		}
	} else if (*p == '-' && starts(p, e, "----------", 10)) {
		while (p < e && *p == '-')
			p++;
		l->kind = skip_spaces(p, e) == e ? FGL_CTX_DASH : FGL_BAD;
		l->reason = "malformed context switch line";
	} else if (*p == 'C' && starts(p, e, "CPU:", 4)) {
		parse_lost(p, e, l);
	} else {
		parse_event(p, e, l);
	}
}
