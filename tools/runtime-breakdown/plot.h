/* gnuplot charts: per-thread stacked self time, top-N self vs total, and the latency
 * histogram of one function, as png, svg or one standalone html page. */
#ifndef TOOLS_RB_PLOT_H
#define TOOLS_RB_PLOT_H

#include <stddef.h>

#include "tools/runtime-breakdown/agg.h"

struct plot_cfg {
	const char *format;	/* "png", "svg" or "html" */
	const char *prefix;	/* files are PREFIX-threads.EXT, PREFIX-top.EXT, ... */
	size_t top;		/* functions in the top-N chart */
	const char *function;	/* --function NAME, or NULL */
	const char *time;	/* " on the CPU" or "": which time the self times are */
};

struct plot_data {
	const struct symtab *st;
	const struct agg *all;		/* BY_FUNCTION */
	const struct agg *by_thread;	/* BY_THREAD */
	const struct stat_entry *function;	/* entry of cfg.function, NULL if not seen */
};

#define PLOT_NO_GNUPLOT (-2)

/* Writes the charts (the gnuplot binary is $GNUPLOT or "gnuplot") and prints each file
 * name on stderr ("wrote PATH"); returns 0, PLOT_NO_GNUPLOT when gnuplot cannot be run,
 * or -1 when it failed, after printing why. */
int plot_all(const struct plot_cfg *c, const struct plot_data *d);

#endif
