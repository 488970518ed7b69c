/* runtime-breakdown: per-function time from parse-trace CSV or raw function_graph text, as a
 * table, gnuplot charts or a local interactive report. See docs/runtime-breakdown.1. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/version.h"
#include "tools/runtime-breakdown/hits.h"
#include "tools/runtime-breakdown/opts.h"
#include "tools/runtime-breakdown/plot.h"
#include "tools/runtime-breakdown/serve.h"
#include "tools/runtime-breakdown/table.h"
#include "tools/runtime-breakdown/waits.h"

struct run {
	struct rb_opts *o;
	struct symtab *st;
	struct agg all, grouped, by_thread;
	struct selfsum thread_self;	/* becomes by_thread, for the charts */
	struct hits hits;		/* function tracer input */
	struct cputime time;
	struct waits waits;
};

static void on_hit(void *ctx, const struct rb_hit *h)
{
	struct run *run = ctx;
	struct rb_row r = { .func = h->func, .cpu = h->cpu, .tid = h->tid, .dur_ns = -1,
			    .self_ns = -1, .start_ns = h->ts_ns };

	if (select_row(&run->o->sel, run->st, &r))
		hits_add(&run->hits, h->func, h->parent);
}

static void on_row(void *ctx, const struct rb_row *in)
{
	struct run *run = ctx;
	struct rb_row r = *in;

	/* a wait's path needs every row of its thread, whatever the function filters */
	if (run->o->time == TIME_CPU && numlist_allows(&run->o->sel.tids, r.tid))
		waits_row(&run->waits, &r);
	if (!select_row(&run->o->sel, run->st, &r) || !cputime_row(&run->time, &r))
		return;
	agg_add(&run->all, &r);
	if (run->o->by != BY_FUNCTION)
		agg_add(&run->grouped, &r);
	if (run->o->plot)
		selfsum_add(&run->thread_self, &r);
}

struct bar_ctx {
	uint64_t peak;
	bool print;
};

static void bin_line(void *ctx, uint64_t lo, uint64_t hi, uint64_t count)
{
	static const char bar[] = "##################################################";
	struct bar_ctx *b = ctx;
	char a[32], c[32];

	if (!b->print) {
		b->peak = count > b->peak ? count : b->peak;
		return;
	}
	printf("%14s .. %-14s %10llu %.*s\n", fmt_us(a, (int64_t)lo), fmt_us(c, (int64_t)hi),
	       (unsigned long long)count, (int)(count * 50 / b->peak), bar);
}

/* Text histogram of --function NAME: 8 bins per power of two, bars of up to 50 '#'. */
static void print_function(const struct run *run, const struct stat_entry *e)
{
	char a[32], b[32], c[32];
	struct bar_ctx bc = { 1, false };

	printf("\n%s: %llu calls, p50 %s us, p95 %s us, p99 %s us\n",
	       symtab_name(run->st, e->func), (unsigned long long)e->calls,
	       fmt_us(a, hist_percentile(&e->h, 50)), fmt_us(b, hist_percentile(&e->h, 95)),
	       fmt_us(c, hist_percentile(&e->h, 99)));
	hist_bins(&e->h, bin_line, &bc);
	bc.print = true;
	hist_bins(&e->h, bin_line, &bc);
}

/* The table of calls, the time it counts and, in on-CPU time, the waiting. */
static void call_table(const struct run *run, const struct agg *shown)
{
	const struct rb_opts *o = run->o;

	if (o->csv) {
		table_csv(stdout, shown, run->st, o->sort, o->top);
		/* stdout is only CSV; without switch information nothing changed to tell */
		if (!o->quiet && cputime_on_cpu(&run->time))
			cputime_print(stderr, &run->time);
		return;
	}
	table_print(stdout, shown, run->st, o->sort, o->top);
	putchar('\n');
	cputime_print(stdout, &run->time);
	if (cputime_on_cpu(&run->time))
		waits_print(stdout, &run->waits, run->st, o->top);
}

static int report(struct run *run)
{
	struct rb_opts *o = run->o;
	const struct agg *shown = o->by == BY_FUNCTION ? &run->all : &run->grouped;
	const struct stat_entry *fe = NULL;

	bool only_hits = run->hits.total && !run->all.rows;

	if (!only_hits)	/* function tracer input: no call table with empty columns */
		call_table(run, shown);
	if (run->hits.total) {
		if (!only_hits)
			putchar('\n');
		hits_print(stdout, &run->hits, run->st, o->top, o->csv);
	}
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
	int status = o->function && !fe;
	if (!o->plot)
		return status;
	if (!run->all.n) {	/* nothing to chart; only worth a word if charts were asked for */
		if (only_hits && !o->plot_default)
			fputs("runtime-breakdown: hit counts have no charts, none written\n", stderr);
		else if (!o->plot_default)
			fputs("runtime-breakdown: no calls selected, no charts written\n", stderr);
		return status;
	}
	struct plot_cfg pc = { o->plot, o->prefix, o->top ? o->top : 20, o->function,
			       cputime_on_cpu(&run->time) ? " on the CPU" : "" };
	struct plot_data pd = { run->st, &run->all, &run->by_thread, fe };
	int ret = plot_all(&pc, &pd);
	/* charts nobody asked for are a bonus: without gnuplot the table is still the result */
	if (ret == PLOT_NO_GNUPLOT && o->plot_default) {
		fputs("runtime-breakdown: no charts written (install gnuplot, or pass --no-plot)\n",
		      stderr);
		return status;
	}
	if (ret == PLOT_NO_GNUPLOT)
		fputs("runtime-breakdown: gnuplot failed (status 127)\n", stderr);
	return ret ? 1 : status;
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
	selfsum_init(&run.thread_self, BY_THREAD);
	hits_init(&run.hits);
	run.time.mode = o.time;
	run.time.idle_is_work = o.sel.tids.n && numlist_allows(&o.sel.tids, 0);
	waits_init(&run.waits);
	struct load_cfg lc = { on_row, &run, o.max_msgs, o.max_errors, o.quiet, on_hit,
			       o.sel.from_ns >= 0 || o.sel.to_ns >= 0, o.overhead };
	for (size_t i = 0; i < o.nfiles; i++) {
		struct load_stats ls;
		if (load_file(o.files[i], run.st, &lc, &ls))
			status = 1;
		waits_end_file(&run.waits);
	}
	agg_flush(&run.all);
	agg_flush(&run.grouped);
	agg_clamp(&run.all);
	agg_clamp(&run.grouped);
	selfsum_to_agg(&run.thread_self, &run.by_thread);
	selfsum_free(&run.thread_self);
	if (report(&run))
		status = 1;
	agg_free(&run.all);
	agg_free(&run.grouped);
	agg_free(&run.by_thread);
	hits_free(&run.hits);
	waits_free(&run.waits);
	symtab_free(run.st);
	load_cleanup();
	rb_opts_free(&o);
	return status;
}
