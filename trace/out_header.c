/* The printer's headers: `# tracer: ...`, the function tracer's entries line and column
 * legend, function_graph's column lines (print_graph_headers()). */
#include "trace/out_internal.h"

/* print_graph_headers(): the two column lines, a piece per enabled column. */
static const struct {
	unsigned opt;
	const char *name, *bar;
} graph_columns[] = {
	{ OUT_OPT_ABSTIME, "     TIME       ", "      |         " },
	{ OUT_OPT_CPU, " CPU", " |  " },
	{ OUT_OPT_PROC, "  TASK/PID       ", "   |    |        " },
	{ OUT_OPT_DURATION, "  DURATION   ", "   |   |      " },
};

static char *graph_header(struct out_printer *p, char *s)
{
	const size_t n = sizeof(graph_columns) / sizeof(graph_columns[0]);

	if (!opt(p, OUT_OPT_CONTEXT))
		return s;
	*s++ = '#';
	for (size_t i = 0; i < n; i++)
		if (opt(p, graph_columns[i].opt))
			s = out_put_str(s, graph_columns[i].name);
	s = out_put_str(s, "               FUNCTION CALLS\n#");
	for (size_t i = 0; i < n; i++)
		if (opt(p, graph_columns[i].opt))
			s = out_put_str(s, graph_columns[i].bar);
	return out_put_str(s, "               |   |   |   |\n");
}

/* print_event_info(): events in the buffer, and those plus the lost ones. */
static char *put_entries(struct out_printer *p, char *s)
{
	s = out_put_str(s, "# entries-in-buffer/entries-written: ");
	s = out_put_u64(s, p->cfg.entries);
	*s++ = '/';
	s = out_put_u64(s, p->cfg.written);
	s = out_put_str(s, "   #P:");
	s = out_put_u64(s, p->cfg.ncpus);
	return out_put_str(s, "\n#\n");
}

/* print_func_help_header{,_irq}() of a current kernel. */
static char *fn_header(struct out_printer *p, char *s)
{
	if (!opt(p, OUT_OPT_CONTEXT))
		return s;
	s = put_entries(p, s);
	if (!opt(p, OUT_OPT_IRQ_INFO))
		return out_put_str(s, "#           TASK-PID     CPU#     TIMESTAMP  FUNCTION\n"
				      "#              | |         |         |         |\n");
	return out_put_str(s, "#                                _-----=> irqs-off/BH-disabled\n"
			      "#                               / _----=> need-resched\n"
			      "#                              | / _---=> hardirq/softirq\n"
			      "#                              || / _--=> preempt-depth\n"
			      "#                              ||| / _-=> migrate-disable\n"
			      "#                              |||| /     delay\n"
			      "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
			      "#              | |         |   |||||     |         |\n");
}

static const char *const tracer_names[] = {
	[OUT_NOP] = "nop", [OUT_FUNCTION] = "function", [OUT_GRAPH] = "function_graph",
};

/* test_ftrace_alive()'s warning, plus why the tracer stopped itself. */
static char *put_stopped(struct out_printer *p, char *s)
{
	s = out_put_str(s, "# WARNING: FUNCTION TRACING IS CORRUPTED\n"
			   "#          MAY BE MISSING FUNCTION EVENTS\n#          ");
	s = put_mem(s, p->cfg.stopped, strnlen(p->cfg.stopped, OUT_SYM_MAX));
	return put_mem(s, "\n", 1);
}

/* Linux's function_graph header has no entries line; ours adds the function tracer's
 * when events were lost, so a loss is visible in the header as well as in the text. */
char *out_put_header(struct out_printer *p, char *s)
{
	s = out_put_str(s, "# tracer: ");
	s = out_put_str(s, tracer_names[p->cfg.tracer]);
	s = out_put_str(s, "\n#\n");
	if (p->cfg.stopped)
		s = put_stopped(p, s);
	if (p->cfg.note)
		s = put_mem(s, p->cfg.note, strnlen(p->cfg.note, OUT_NOTE_MAX));
	if (p->cfg.tracer != OUT_GRAPH)
		return fn_header(p, s);
	if (p->cfg.written > p->cfg.entries && opt(p, OUT_OPT_CONTEXT))
		s = put_entries(p, s);
	return graph_header(p, s);
}
