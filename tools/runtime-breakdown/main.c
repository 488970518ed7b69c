/* runtime-breakdown: per-function time from parse-trace CSV or raw function_graph text, as a
 * table, gnuplot charts or a local interactive report. See docs/runtime-breakdown.1. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/version.h"
#include "tools/runtime-breakdown/opts.h"
#include "tools/runtime-breakdown/plot.h"
#include "tools/runtime-breakdown/serve.h"
#include "tools/runtime-breakdown/table.h"

struct run {
	struct rb_opts *o;
	struct symtab *st;
	struct agg all, grouped, by_thread;
};

static void on_row(void *ctx, const struct rb_row *r)
{
	struct run *run = ctx;

	if (!select_row(&run->o->sel, run->st, r))
		return;
	agg_add(&run->all, r);
	if (run->o->by != BY_FUNCTION)
		agg_add(&run->grouped, r);
	if (run->o->plot)
		agg_add(&run->by_thread, r);
}

/* Text histogram of --function NAME: 8 bins per power of two, a bar of up to 50 '#'. */
static void print_function(const struct run *run, const struct stat_entry *e)
{
	char a[32], b[32], c[32];
	uint64_t lo, hi, blo = 0, count = 0, peak = 1;

	printf("\n%s: %llu calls, p50 %s us, p95 %s us, p99 %s us\n",
	       symtab_name(run->st, e->func), (unsigned long long)e->calls,
	       fmt_us(a, hist_percentile(&e->h, 50)), fmt_us(b, hist_percentile(&e->h, 95)),
	       fmt_us(c, hist_percentile(&e->h, 99)));
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t k = 0; k < e->h.n; k++) {
			uint32_t i = e->h.lo + k;
			hist_bucket(i, &lo, &hi);
			if (!count)
				blo = lo;
			count += e->h.c[k];
			if ((i + 1) % 16 && k + 1 != e->h.n)
				continue;
			if (pass == 0 && count > peak)
				peak = count;
			else if (pass == 1 && count)
				printf("%14s .. %-14s %10llu %.*s\n", fmt_us(a, (int64_t)blo),
				       fmt_us(b, (int64_t)hi), (unsigned long long)count,
				       (int)(count * 50 / peak), "##################################################");
			count = 0;
		}
	}
}

static int report(struct run *run)
{
	struct rb_opts *o = run->o;
	const struct agg *shown = o->by == BY_FUNCTION ? &run->all : &run->grouped;
	const struct stat_entry *fe = NULL;

	if (o->csv)
		table_csv(stdout, shown, run->st, o->sort, o->top);
	else
		table_print(stdout, shown, run->st, o->sort, o->top);
	if (o->function) {
		uint32_t id = symtab_find(run->st, o->function, strlen(o->function));
		for (size_t i = 0; id && i < run->all.n && !fe; i++)
			if (run->all.e[i].func == id)
				fe = &run->all.e[i];
		if (!fe)
			fprintf(stderr, "runtime-breakdown: function %s not found\n", o->function);
		else if (!o->csv)
			print_function(run, fe);
	}
	fflush(stdout);
	if (!o->plot)
		return o->function && !fe;
	struct plot_cfg pc = { o->plot, o->prefix, o->top ? o->top : 20, o->function };
	struct plot_data pd = { run->st, &run->all, &run->by_thread, fe };
	return plot_all(&pc, &pd) ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct rb_opts o;
	struct run run = { .o = &o };
	int status = 0;

	rb_parse_opts(&o, argc, argv);
	if (o.serve)
		return serve_run(&o);
	run.st = symtab_new();
	agg_init(&run.all, BY_FUNCTION, true);
	agg_init(&run.grouped, o.by, true);
	agg_init(&run.by_thread, BY_THREAD, false);
	struct load_cfg lc = { on_row, &run, o.max_msgs, o.max_errors, o.quiet };
	for (size_t i = 0; i < o.nfiles; i++) {
		struct load_stats ls;
		if (load_file(o.files[i], run.st, &lc, &ls))
			status = 1;
	}
	if (report(&run))
		status = 1;
	agg_free(&run.all);
	agg_free(&run.grouped);
	agg_free(&run.by_thread);
	symtab_free(run.st);
	load_cleanup();
	rb_opts_free(&o);
	return status;
}
