/* Which text format a file is in, told by its first line that is not blank, a plain '#'
 * comment or trace-cmd's preamble: the "# tracer:" header when it is a tracefs `trace`
 * read, the line's shape otherwise (trace_pipe reads and trace-cmd report have no tracer
 * header). trace-cmd report of the function tracer counts as function tracer text. */
#include <string.h>

#include "tools/lib/fgline.h"
#include "tools/lib/fnline.h"
#include "tools/lib/tcmdline.h"
#include "tools/lib/tparse.h"

static enum tp_format from_tracer(const struct fgl_str *name)
{
	if (name->n == 8 && memcmp(name->p, "function", 8) == 0)
		return TPF_FUNCTION;
	if (name->n == 3 && memcmp(name->p, "nop", 3) == 0)
		return TPF_EVENTS;
	return TPF_GRAPH;	/* function_graph, or a tracer tparse_line() reports */
}

enum tp_format tp_detect(const char *s, size_t n)
{
	struct fgl l;
	struct fnl f;
	const char *reason;

	fgl_parse(s, n, &l);
	if (l.kind == FGL_TRACER)
		return from_tracer(&l.func);
	if (l.kind == FGL_BLANK || l.kind == FGL_HEADER || l.kind == FGL_LOST)
		return TPF_UNKNOWN;	/* LOST lines are printed for every tracer */
	if (tcl_is_preamble(s, n))
		return TPF_UNKNOWN;	/* trace-cmd records function_graph or function */
	if (tcl_is_tcmd(s, n))
		return TPF_TCMD;
	switch (fnl_parse(s, n, &f, &reason)) {
	case 0:
		return TPF_FUNCTION;
	case 1:	/* an event line: a function hit later makes it function tracer text */
		return TPF_EVENTS;
	}
	return l.kind == FGL_BAD ? TPF_UNKNOWN : TPF_GRAPH;
}

const char *tparse_format_name(enum tp_format f)
{
	static const char *const names[] = {
		[TPF_UNKNOWN] = "unknown", [TPF_GRAPH] = "function_graph",
		[TPF_FUNCTION] = "function", [TPF_TCMD] = "trace-cmd report",
		[TPF_EVENTS] = "events (nop tracer)",
	};

	return names[f];
}
