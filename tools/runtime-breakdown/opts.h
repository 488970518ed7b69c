/* Command line of runtime-breakdown. */
#ifndef TOOLS_RB_OPTS_H
#define TOOLS_RB_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "tools/lib/overhead.h"
#include "tools/runtime-breakdown/agg.h"
#include "tools/runtime-breakdown/cputime.h"

struct rb_opts {
	struct select sel;
	enum agg_sort sort;
	enum agg_by by;
	enum rb_time time;
	size_t top;
	bool csv, quiet;
	const char *plot;	/* NULL (no charts), "png", "svg", "html" */
	bool plot_default;	/* charts not asked for: the default png ones */
	const char *prefix;
	const char *function;
	bool serve;
	unsigned port;		/* 0: any free port */
	unsigned max_msgs;
	unsigned long max_errors;
	const struct overhead *overhead;	/* --overhead; NULL: times as traced */
	struct overhead overhead_ns;
	const char **files;	/* "-" when none given */
	size_t nfiles;
};

/* Parses argv; prints usage and exits 0 for --help/--version, 2 on errors. */
void rb_parse_opts(struct rb_opts *o, int argc, char **argv);
void rb_opts_free(struct rb_opts *o);

#endif
