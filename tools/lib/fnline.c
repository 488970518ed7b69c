/* Scanner for the function tracer's event lines (and trace-cmd report's, which start the
 * same way). The context is found from the CPU field rather than by columns: comm is right-aligned in 16 columns but may be longer or hold
 * spaces, the pid is padded to 5 or 7 columns depending on the kernel, and the flags column
 * has 4 or 5 characters or is absent. */
#include "tools/lib/fnline.h"

#include <stdbool.h>
#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *skip_spaces(const char *p, const char *e)
{
	while (p < e && *p == ' ')
		p++;
	return p;
}

/* Digits at *pp (at most max of them) into *v; returns how many were read. */
static int digits(const char **pp, const char *e, int max, int64_t *v)
{
	const char *p = *pp;
	int64_t x = 0;
	int n = 0;

	while (p < e && is_digit(*p) && n < max)
		x = x * 10 + (*p++ - '0'), n++;
	if (p < e && is_digit(*p))
		return 0;
	*pp = p;
	*v = x;
	return n;
}

/* The first " [NNN]" of the line: returns its start and stores its end in *end. */
static const char *find_cpu(const char *s, const char *e, int64_t *cpu, const char **end)
{
	for (const char *p = s; p < e && (p = memchr(p, ' ', (size_t)(e - p))); p++) {
		const char *q = skip_spaces(p, e);
		if (q < e && *q == '[') {
			q++;
			if (digits(&q, e, 6, cpu) && q < e && *q == ']') {
				*end = q + 1;
				return p;
			}
		}
	}
	return NULL;
}

/* trace-cmd report -l: the CPU and the latency flags without brackets, "  0d..1 " or
 * "  0...1 ", between the task and the timestamp. Returns the field's start (the space
 * before it) and stores its end in *end, or NULL. */
static const char *find_lat_cpu(const char *s, const char *e, int64_t *cpu, const char **end)
{
	for (const char *p = s; p < e && (p = memchr(p, ' ', (size_t)(e - p))); p++) {
		const char *q = p + 1, *f;
		if (q >= e || !is_digit(*q) || !digits(&q, e, 6, cpu))
			continue;
		for (f = q; q < e && *q != ' ' && q - f <= 6; q++)
			;
		if (q > f && q - f <= 6 && q < e && *q == ' ') {
			*end = q;
			return p;
		}
	}
	return NULL;
}

/* "comm-pid" before the CPU field, without a record-tgid "(  123)" or "(-------)". */
static int parse_task(const char *s, const char *e, struct fnl_ctx *c)
{
	while (e > s && e[-1] == ' ')
		e--;
	if (e > s && e[-1] == ')') {
		const char *o = e;
		while (o > s && o[-1] != '(')
			o--;
		if (o == s)
			return -1;
		e = o - 1;
		while (e > s && e[-1] == ' ')
			e--;
	}
	s = skip_spaces(s, e);
	return fgl_parse_proc(s, (size_t)(e - s), &c->comm, &c->tid);
}

/* "seconds.fraction:" with 6 (us) or 9 (ns, trace-cmd -t) decimals. */
static const char *parse_ts(const char *p, const char *e, int64_t *ns)
{
	int64_t sec, frac;
	int n;

	/* at most 9e9 s, so that the ns fit in 63 bits (fgline's abstime has the same bound) */
	if (!digits(&p, e, 10, &sec) || sec > 9000000000LL || p >= e || *p != '.')
		return NULL;
	p++;
	n = digits(&p, e, 9, &frac);
	if ((n != 6 && n != 9) || p >= e || *p != ':')
		return NULL;
	*ns = sec * 1000000000 + (n == 6 ? frac * 1000 : frac);
	return p + 1;
}

/* Flags: "d..1", "dNs1.", "....." and the like, at most 6 characters, no digit first. */
static const char *skip_flags(const char *p, const char *e)
{
	const char *q = p;

	if (p < e && is_digit(*p))
		return p;
	while (q < e && *q != ' ' && q - p <= 6)
		q++;
	return q - p <= 6 ? q : p;
}

int fnl_context(const char *s, const char *e, struct fnl_ctx *c, const char **reason)
{
	int64_t cpu;
	const char *end, *p = find_cpu(s, e, &cpu, &end);

	if (!p)
		p = find_lat_cpu(s, e, &cpu, &end);
	*reason = "no [CPU] field";
	if (!p)
		return -1;
	*reason = "malformed TASK-PID column";
	if (cpu > FGL_MAX_CPU || parse_task(s, p, c))
		return -1;
	c->cpu = (int)cpu;
	p = skip_spaces(end, e);
	if (p < e && !is_digit(*p))
		p = skip_spaces(skip_flags(p, e), e);
	*reason = "malformed timestamp";
	p = parse_ts(p, e, &c->ts_ns);
	if (!p)
		return -1;
	c->rest = skip_spaces(p, e);
	return 0;
}

/* A symbol as %ps prints it: printable, a space only before a " [module]" suffix. */
static bool symbol(const char *p, const char *e)
{
	if (p == e)
		return false;
	for (; p < e; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e ||
		    (*p == ' ' && (p + 1 == e || p[1] != '[')))
			return false;
	return true;
}

/* The event text f[0..e) after the context: "f <-parent", trace-cmd's "function:  f <--
 * parent", or another event. Returns as fnl_parse does. */
static int event_text(const char *f, const char *e, struct fnl *l, const char **reason)
{
	const char *fe, *arrow;

	while (e > f && e[-1] == ' ')
		e--;
	/* trace-cmd report: "function:   f <-- parent", f indented by some of its options */
	bool tcmd = (size_t)(e - f) >= 9 && memcmp(f, "function:", 9) == 0;
	if (tcmd)
		for (f += 9; f < e && *f == ' '; f++)
			;
	arrow = f < e ? memmem(f, (size_t)(e - f), tcmd ? " <-- " : " <-", tcmd ? 5 : 3) : NULL;
	fe = arrow ? arrow : e;
	l->parent.p = arrow ? arrow + (tcmd ? 5 : 3) : e;
	l->parent.n = (size_t)(e - l->parent.p);
	if (f < e && (*f == '<' || memmem(f, (size_t)(e - f), ": ", 2))) {
		l->func.p = f;	/* the whole event text */
		l->func.n = (size_t)(e - f);
		return 1;	/* "<stack trace>", "tracing_mark_write: text", other events */
	}
	*reason = "malformed function name";
	if (!symbol(f, fe) || (arrow && !symbol(l->parent.p, e)))
		return -1;
	l->func.p = f;
	l->func.n = (size_t)(fe - f);
	return 0;
}

int fnl_parse(const char *s, size_t n, struct fnl *l, const char **reason)
{
	const char *e = s + n;

	if (n && e[-1] == '\r')
		e--;
	if (fnl_context(s, e, &l->ctx, reason))
		return -1;
	return event_text(l->ctx.rest, e, l, reason);
}

int fnl_parse_bare(const char *s, size_t n, struct fnl *l)
{
	const char *e = s + n, *reason;

	if (n && e[-1] == '\r')
		e--;
	l->ctx = (struct fnl_ctx){ .tid = -1, .cpu = -1, .ts_ns = -1, .rest = s };
	return event_text(s, e, l, &reason);
}
