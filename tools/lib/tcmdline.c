/* trace-cmd report lines: the event context is the function tracer's (fnline.c), and the
 * text after "funcgraph_entry:" / "funcgraph_exit:" is the function_graph printer's
 * duration column and indented call text (fgline.c), so both scanners are reused. */
#include "tools/lib/tcmdline.h"

#include <string.h>

#include "tools/lib/fnline.h"
#include "tools/lib/schedsw.h"

static bool starts(const char *p, const char *e, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(e - p) >= n && memcmp(p, lit, n) == 0;
}

static bool is_preamble(const char *p, const char *e)
{
	if (starts(p, e, "cpus=") || starts(p, e, "version = "))
		return true;
	/* "CPU 3 is empty" */
	if (!starts(p, e, "CPU "))
		return false;
	for (p += 4; p < e && *p >= '0' && *p <= '9'; p++)
		;
	return starts(p, e, " is empty");
}

/* The event name: "funcgraph_entry:" and the like; returns the text after it, or NULL. */
static const char *graph_event(const char *p, const char *e)
{
	if (starts(p, e, "funcgraph_entry:"))
		return p + 16;
	if (starts(p, e, "funcgraph_exit:"))
		return p + 15;
	return NULL;
}

static const char *trim_start(const char *s, const char *e)
{
	while (s < e && *s == ' ')
		s++;
	return s;
}

void tcl_parse(const char *s, size_t n, struct fgl *l)
{
	const char *e = s + n, *p, *reason;
	struct fnl_ctx c;

	fgl_clear(l);
	if (n && e[-1] == '\r')
		e--;
	p = trim_start(s, e);
	if (p == e || *p == '#' || is_preamble(p, e)) {
		l->kind = p == e ? FGL_BLANK : FGL_HEADER;
		return;
	}
	if (starts(p, e, "CPU:")) {	/* lost events, as the tracefs printer says it */
		fgl_parse(s, n, l);
		return;
	}
	if (fnl_context(s, e, &c, &reason)) {
		l->reason = reason;
		return;
	}
	p = graph_event(c.rest, e);
	if (!p) {
		/* another event: a marker, ...; sched_switch says when the CPU changed threads */
		p = trim_start(c.rest, e);
		if (starts(p, e, "sched_switch:") && schedsw_tcmd(p + 13, e, l)) {
			l->cpu = c.cpu;
			l->abs_ns = c.ts_ns;
		} else {
			l->kind = FGL_COMMENT;
		}
		return;
	}
	fgl_parse_body(p, e, l);
	l->cpu = c.cpu;
	l->tid = c.tid;
	l->comm = c.comm;
	l->abs_ns = c.ts_ns;
}

bool tcl_is_tcmd(const char *s, size_t n)
{
	const char *e = s + n, *reason;
	struct fnl_ctx c;

	return !fnl_context(s, e, &c, &reason) && graph_event(c.rest, e);
}

bool tcl_is_preamble(const char *s, size_t n)
{
	return is_preamble(trim_start(s, s + n), s + n);
}
