/* parse-trace: Linux function_graph text or trace-cmd report of it (plain or zstd) -> one
 * row per completed call as CSV, Chrome trace JSON or folded stacks; function tracer text
 * -> one CSV row per hit. See docs/parse-trace.1. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/globset.h"
#include "tools/lib/numlist.h"
#include "tools/lib/overhead.h"
#include "tools/lib/tsample.h"
#include "tools/lib/version.h"
#include "tools/parse-trace/capnames.h"
#include "tools/parse-trace/emit.h"

struct opts {
	const char *out;
	const char *format;
	struct numlist cpus, tids;
	struct globset funcs;
	int64_t min_ns;
	const char *time;	/* --time, folded only */
	bool strict, quiet;
	bool uncompressed;	/* perfetto: packets without zstd */
	bool timeline;		/* perfetto, tracedat, lifecycle, mermaid: timeline events */
	bool by_thread;		/* lifecycle: one object per thread */
	bool top_calls;		/* mermaid: the longest top-level calls too */
	const char *cpu_util_hz;	/* perfetto: counters' frequency */
	bool idle;		/* --idle: keep the idle threads' CPU samples */
	const char *overhead_arg;	/* --overhead */
	struct overhead overhead;
	unsigned long max_errors;
	unsigned long max_msgs;
};

struct filter_ctx {
	struct opts *o;
	struct emit *e;
	struct symtab *st;
	bool filtered;		/* any of --cpu, --tid, --function, --min-us */
	bool started;		/* the writer is chosen (and its header written) */
	bool mismatch;		/* the current file's rows do not fit the writer */
};

static void usage(FILE *f)
{
	fputs("usage: parse-trace [options] [FILE...]\n"
	      "Reads Linux function_graph or function tracer text, or trace-cmd report text of\n"
	      "a function_graph recording (plain or zstd; stdin if no FILE or '-'), and writes\n"
	      "one row per completed call (function tracer: one CSV row per hit).\n"
	      "  -f, --format FMT     csv (default), chrome (Perfetto JSON), folded (flame graphs),\n"
	      "                       pprof (gzipped protobuf for go tool pprof), sqlite (-o),\n"
	      "                       perfetto (native Perfetto protobuf, see docs/perfetto.md)\n"
	      "                       tracedat (trace-cmd's trace.dat, see docs/tracedat.md),\n"
	      "                       lifecycle (threads' events as JSON lines) or mermaid\n"
	      "                       (a Gantt chart of the threads; see docs/lifecycle.md)\n"
	      "      --by-thread      lifecycle: one object per thread with its events\n"
	      "      --top-calls      mermaid: each thread's longest top-level calls too\n"
	      "      --uncompressed   perfetto: packets not zstd-compressed (trace_processor < v58)\n"
	      "      --cpu-util-hz N  perfetto: threads' CPU utilisation counters, N samples per\n"
	      "                       second (default 10; 0: none)\n"
	      "  -o, --output FILE    write to FILE instead of stdout; a .zst name compresses\n"
	      "      --cpu LIST       keep calls on these CPUs (comma-separated, repeatable)\n"
	      "      --tid LIST       keep calls of these thread ids (-1 = unknown thread)\n"
	      "      --function GLOB  keep functions matching GLOB (repeatable)\n"
	      "      --min-us N       keep calls lasting at least N microseconds\n"
	      "      --time WHICH     folded weights: cpu (default; self time less the waiting,\n"
	      "                       or CPU samples), wall (self time as printed), off (the\n"
	      "                       waiting only, or off-CPU events); of profile events also\n"
	      "                       alloc (bytes allocated), live (not freed) or net (bytes)\n"
	      "      --idle           pprof, folded: keep the idle threads' CPU samples (profile\n"
	      "                       events; left out by default: no call path worked there)\n"
	      "      --overhead IN,OUT[,LEAF_IN,LEAF_OUT]\n"
	      "                       csv, folded, pprof: take the tracer's hook time out of the\n"
	      "                       calls' times: IN ns per call inside its own times, OUT ns\n"
	      "                       outside them (in its caller's self time); leaf calls' own\n"
	      "                       if given (decimals allowed; bench/profile-accuracy.sh\n"
	      "                       calibrates them, docs/overhead.md)\n"
	      "      --strict         stop with status 1 at the first warning\n"
	      "      --max-errors N   unparsable lines tolerated before status 1 (default 100)\n"
	      "      --max-warnings N warnings printed per file (default 20)\n"
	      "  -q, --quiet          print no warnings and no summary\n"
	      "  -h, --help           this text\n"
	      "  -V, --version        print the version\n"
	      "Exit status: 0 ok, 1 bad input or I/O error, 2 usage error.\n", f);
}

static void usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "parse-trace: ");
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'parse-trace --help'.\n", stderr);
	exit(2);
}

static unsigned long parse_count(const char *s, const char *opt)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (end == s || *end || *s == '-')
		usage_error("bad number for %s", opt);
	return v;
}

enum { OPT_CPU = 256, OPT_TID, OPT_FUNCTION, OPT_MIN_US, OPT_STRICT, OPT_MAX_ERRORS,
       OPT_MAX_WARNINGS, OPT_TIME, OPT_UNCOMPRESSED, OPT_BY_THREAD, OPT_TOP_CALLS,
       OPT_CPU_UTIL_HZ, OPT_IDLE, OPT_OVERHEAD };

static const struct option longopts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "tid", required_argument, NULL, OPT_TID },
	{ "function", required_argument, NULL, OPT_FUNCTION },
	{ "min-us", required_argument, NULL, OPT_MIN_US },
	{ "time", required_argument, NULL, OPT_TIME },
	{ "idle", no_argument, NULL, OPT_IDLE },
	{ "overhead", required_argument, NULL, OPT_OVERHEAD },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "max-errors", required_argument, NULL, OPT_MAX_ERRORS },
	{ "max-warnings", required_argument, NULL, OPT_MAX_WARNINGS },
	{ "uncompressed", no_argument, NULL, OPT_UNCOMPRESSED },
	{ "by-thread", no_argument, NULL, OPT_BY_THREAD },
	{ "top-calls", no_argument, NULL, OPT_TOP_CALLS },
	{ "cpu-util-hz", required_argument, NULL, OPT_CPU_UTIL_HZ },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void parse_opt(struct opts *o, int c)
{
	switch (c) {
	case 'f': o->format = optarg; break;
	case 'o': o->out = optarg; break;
	case OPT_CPU:
		if (numlist_parse(&o->cpus, optarg))
			usage_error("bad CPU list '%s'", optarg);
		break;
	case OPT_TID:
		if (numlist_parse(&o->tids, optarg))
			usage_error("bad thread id list '%s'", optarg);
		break;
	case OPT_FUNCTION: globset_add(&o->funcs, optarg); break;
	case OPT_MIN_US:
		if (parse_us_ns(optarg, &o->min_ns))
			usage_error("bad --min-us value '%s'", optarg);
		break;
	case OPT_TIME: o->time = optarg; break;
	case OPT_IDLE: o->idle = true; break;
	case OPT_OVERHEAD:
		o->overhead_arg = optarg;
		if (overhead_parse(optarg, &o->overhead))
			usage_error("bad --overhead '%s' (IN,OUT[,LEAF_IN,LEAF_OUT]: ns per "
				    "traced call inside and outside its times, such as 152,96.5)", optarg);
		break;
	case OPT_STRICT: o->strict = true; break;
	case OPT_MAX_ERRORS: o->max_errors = parse_count(optarg, "--max-errors"); break;
	case OPT_MAX_WARNINGS: o->max_msgs = parse_count(optarg, "--max-warnings"); break;
	case OPT_UNCOMPRESSED: o->uncompressed = true; break;
	case OPT_BY_THREAD: o->by_thread = true; break;
	case OPT_TOP_CALLS: o->top_calls = true; break;
	case OPT_CPU_UTIL_HZ: o->cpu_util_hz = optarg; break;
	case 'q': o->quiet = true; break;
	case 'h': usage(stdout); exit(0);
	case 'V': printf("parse-trace (glass) %s\n", GLASS_TOOLS_VERSION); exit(0);
	default: fputs("Try 'parse-trace --help'.\n", stderr); exit(2);
	}
}

static void parse_opts(struct opts *o, int argc, char **argv)
{
	int c;

	o->format = "csv";
	o->max_errors = 100;
	o->max_msgs = 20;
	while ((c = getopt_long(argc, argv, "f:o:qhV", longopts, NULL)) != -1)
		parse_opt(o, c);
	if (strcmp(o->format, "trace-cmd") == 0)
		o->format = "tracedat";
	o->timeline = !strcmp(o->format, "perfetto") || !strcmp(o->format, "tracedat") ||
		      !strcmp(o->format, "lifecycle") || !strcmp(o->format, "mermaid");
	if (strcmp(o->format, "csv") && strcmp(o->format, "chrome") && strcmp(o->format, "folded") &&
	    strcmp(o->format, "pprof") && strcmp(o->format, "sqlite") && !o->timeline)
		usage_error("unknown format '%s' (csv, chrome, folded, pprof, sqlite, perfetto, "
			    "tracedat, lifecycle or mermaid)", o->format);
	if (strcmp(o->format, "sqlite") == 0 && (!o->out || strcmp(o->out, "-") == 0))
		usage_error("--format %s needs -o FILE (a database is not a stream)", o->format);
	/* a timeline keeps every call so that its slices nest */
	if (o->timeline && (o->cpus.n || o->tids.n || o->funcs.n || o->min_ns))
		usage_error("%s: --cpu, --tid, --function and --min-us do not apply", o->format);
	if (o->time && strcmp(o->format, "folded"))
		usage_error("%s applies to --format folded", "--time");
	/* the other formats lay calls out on timestamps, which compensation does not move */
	if (o->overhead_arg && strcmp(o->format, "csv") && strcmp(o->format, "folded") &&
	    strcmp(o->format, "pprof"))
		usage_error("%s applies to --format csv, folded and pprof", "--overhead");
	if (o->uncompressed && strcmp(o->format, "perfetto"))
		usage_error("%s applies to --format perfetto", "--uncompressed");
	if (o->cpu_util_hz && strcmp(o->format, "perfetto"))
		usage_error("%s applies to --format perfetto", "--cpu-util-hz");
	if (o->cpu_util_hz && parse_count(o->cpu_util_hz, "--cpu-util-hz") > 1000000000)
		usage_error("bad --cpu-util-hz '%s' (at most 1000000000)", o->cpu_util_hz);
	if (o->by_thread && strcmp(o->format, "lifecycle"))
		usage_error("%s applies to --format lifecycle", "--by-thread");
	if (o->top_calls && strcmp(o->format, "mermaid"))
		usage_error("%s applies to --format mermaid", "--top-calls");
	if (o->time && strcmp(o->time, "cpu") && strcmp(o->time, "wall") && strcmp(o->time, "off") &&
	    strcmp(o->time, "alloc") && strcmp(o->time, "live") && strcmp(o->time, "net"))
		usage_error("bad --time '%s' (cpu, wall, off, alloc, live or net)", o->time);
}

/* The writer is chosen by the first file that turns out to be a trace, so that nothing,
 * not even a CSV header, is written for input that is none, and function tracer hits get
 * their own columns. Returns false when the rows of this kind cannot go to the output. */
static bool start_output(struct filter_ctx *f, bool hits)
{
	struct emit *e = f->e;

	if (f->started)
		return hits == (e->hit != NULL);
	if (hits && strcmp(f->o->format, "csv"))
		return false;
	f->started = true;
	if (hits)
		emit_hits_init(e);
	else if (f->o->timeline)
		;	/* set up before parsing (main) */
	else if (strcmp(f->o->format, "chrome") == 0)
		emit_chrome_init(e);
	else if (strcmp(f->o->format, "folded") == 0)
		emit_folded_init(e);
	else if (strcmp(f->o->format, "pprof") == 0)
		emit_pprof_init(e);
	else if (strcmp(f->o->format, "sqlite") == 0)
		emit_sqlite_init(e);
	else
		emit_csv_init(e);
	return true;
}

static void on_hit(void *ctx, const struct tp_hit *h)
{
	struct filter_ctx *f = ctx;
	struct opts *o = f->o;

	if (!f->started || !f->e->hit) {
		if (f->mismatch || !start_output(f, true)) {
			f->mismatch = true;
			return;
		}
	}
	if (f->filtered && (!numlist_allows(&o->cpus, h->cpu) || !numlist_allows(&o->tids, h->tid) ||
			    (o->funcs.n && !globset_match(&o->funcs, f->st, h->func))))
		return;
	f->e->hit(f->e, h);
}

static void on_row(void *ctx, const struct tp_row *r)
{
	struct filter_ctx *f = ctx;
	struct opts *o = f->o;

	if (!f->started || f->e->hit) {
		if (f->mismatch || !start_output(f, false)) {
			f->mismatch = true;
			return;
		}
	}

	if (!f->filtered) {	/* the usual case: every row, without a call per filter */
		f->e->row(f->e, r);
		return;
	}
	if ((o->min_ns && r->dur_ns < o->min_ns) || !numlist_allows(&o->cpus, r->cpu) ||
	    !numlist_allows(&o->tids, r->tid) ||
	    (o->funcs.n && !globset_match(&o->funcs, f->st, r->func)))
		return;
	f->e->row(f->e, r);
}

/* Whether the format writes profile events (tp_sample). */
static bool takes_samples(const struct opts *o)
{
	return !strcmp(o->format, "pprof") || !strcmp(o->format, "folded") ||
	       !strcmp(o->format, "sqlite") || !strcmp(o->format, "perfetto");
}

static void on_sample(void *ctx, const struct tp_sample *s)
{
	struct filter_ctx *f = ctx;
	struct opts *o = f->o;

	if (!takes_samples(o))
		return;	/* run_file says so */
	if (!f->started && !f->mismatch && !start_output(f, false))
		f->mismatch = true;
	if (!f->started || !f->e->sample || f->e->hit)
		return;
	/* An idle CPU's samples are no work of any call path: left out of the profiles unless
	 * asked for (the database keeps them all). */
	if (s->kind == TSK_CPU && s->tid == 0 && !o->idle && strcmp(o->format, "sqlite"))
		return;
	if (f->filtered && (!numlist_allows(&o->cpus, s->cpu) || !numlist_allows(&o->tids, s->tid)))
		return;
	f->e->sample(f->e, s);
}

static void on_switch(void *ctx, const struct tp_switch *s)
{
	struct filter_ctx *f = ctx;

	if (!f->started && !f->mismatch && !start_output(f, false))
		f->mismatch = true;
	if (f->started && f->e->sw)
		f->e->sw(f->e, s);
}

static void summary(const char *name, const struct tp_stats *s, enum tp_format fmt)
{
	if (fmt == TPF_EVENTS) {
		fprintf(stderr, "%s: %llu lines, %llu profile events, %llu unparsed lines", name,
			(unsigned long long)s->lines, (unsigned long long)s->samples,
			(unsigned long long)s->bad_lines);
		if (s->lost_events)
			fprintf(stderr, ", %llu lost events", (unsigned long long)s->lost_events);
		fputc('\n', stderr);
		return;
	}
	if (fmt == TPF_FUNCTION) {
		fprintf(stderr, "%s: %llu lines, %llu hits, %llu unparsed lines", name,
			(unsigned long long)s->lines, (unsigned long long)s->hits,
			(unsigned long long)s->bad_lines);
		if (s->lost_events)
			fprintf(stderr, ", %llu lost events", (unsigned long long)s->lost_events);
		fputc('\n', stderr);
		return;
	}
	fprintf(stderr, "%s: %llu lines, %llu calls, %llu unparsed lines, "
		"%llu returns without entry (%llu named by tail), %llu unclosed calls",
		name, (unsigned long long)s->lines, (unsigned long long)s->calls,
		(unsigned long long)s->bad_lines,
		(unsigned long long)(s->tail_returns + s->unnamed_returns),
		(unsigned long long)s->tail_returns, (unsigned long long)s->unclosed);
	if (s->lost_events)
		fprintf(stderr, ", %llu lost events", (unsigned long long)s->lost_events);
	if (s->clamped)
		fprintf(stderr, ", %llu compensated times clamped at 0 (--overhead too large "
			"for them)", (unsigned long long)s->clamped);
	fputc('\n', stderr);
}

/* Why a file's rows could not be written (start_output refused them). */
static void mismatch_message(const char *name, const struct filter_ctx *f, enum tp_format fmt)
{
	if (fmt == TPF_FUNCTION && !f->started)
		fprintf(stderr, "%s: function tracer hits can only be written as CSV\n", name);
	else
		fprintf(stderr, "%s: %s text cannot share one output with the %s\n", name,
			tparse_format_name(fmt), fmt == TPF_FUNCTION ?
			"calls of the files before it" : "function tracer hits of the files before it");
}

/* Returns 0 or 1 (this file makes the exit status 1). */
static int run_file(struct filter_ctx *f, const char *path, const struct opts *o)
{
	struct tparse *tp = f->e->tp;
	int fatal = tparse_file(tp, path);
	const struct tp_stats *s = tparse_stats(tp);
	enum tp_format fmt = tparse_format(tp);
	const char *name = strcmp(path, "-") ? path : "<stdin>";

	/* a trace without calls still gets the CSV header; profile events need their formats */
	if (!fatal && fmt != TPF_UNKNOWN && !f->mismatch &&
	    !(fmt == TPF_EVENTS && (!s->samples || !takes_samples(o))) &&
	    !start_output(f, fmt == TPF_FUNCTION))
		f->mismatch = true;
	if (!o->quiet && fatal == 0)
		summary(name, s, fmt);
	if (f->started && f->e->file && fmt != TPF_UNKNOWN && !f->mismatch)
		f->e->file(f->e, name, s, fmt);
	if (f->mismatch) {
		mismatch_message(name, f, fmt);
		f->mismatch = false;
		return 1;
	}
	if (fatal)
		return 1;
	if (!s->events && !s->bad_lines && fmt == TPF_UNKNOWN) {
		fprintf(stderr, "%s: no trace lines\n", name);
		return 1;
	}
	if (fmt == TPF_EVENTS && !s->samples) {
		fprintf(stderr, "%s: no profile events (profile_sample, offcpu_stack, alloc, free, "
			"net_io) in a nop trace\n", name);
		return 1;
	}
	if (fmt == TPF_EVENTS && !takes_samples(o)) {
		fprintf(stderr, "%s: profile events are written by --format pprof, folded, "
			"sqlite or perfetto, not %s\n", name, o->format);
		return 1;
	}
	if (s->bad_lines && !s->events) {
		fprintf(stderr, "%s: no function_graph, function or trace-cmd report lines found\n",
			name);
		return 1;
	}
	if (s->bad_lines > o->max_errors) {
		fprintf(stderr, "%s: %llu unparsable lines (more than %lu)\n", name,
			(unsigned long long)s->bad_lines, o->max_errors);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct emit e = { 0 };
	struct filter_ctx fc = { .o = &o, .e = &e };
	int status = 0;

	parse_opts(&o, argc, argv);
	fc.filtered = o.min_ns || o.cpus.n || o.tids.n || o.funcs.n;
	e.quiet = o.quiet;
	e.cpu_util_hz = o.cpu_util_hz ? (unsigned)parse_count(o.cpu_util_hz, "--cpu-util-hz") : 10;
	/* sqlite writes its file itself (renamed into place when complete) */
	e.path = o.out;
	e.out = strcmp(o.format, "sqlite") ? output_open(o.out) : output_open_mem();
	if (!e.out)
		return 1;
	fc.st = symtab_new();
	e.st = fc.st;
	struct tparse_cfg cfg = { .row = on_row, .hit = on_hit, .sw = on_switch,
				  .sample = on_sample, .ctx = &fc, .strict = o.strict,
				  .quiet = o.quiet, .max_msgs = (unsigned)o.max_msgs,
				  .overhead = o.overhead_arg ? &o.overhead : NULL,
				  .paths = strcmp(o.format, "folded") == 0 ||
					   strcmp(o.format, "pprof") == 0 };
	if (strcmp(o.format, "perfetto") == 0)
		cfg.timeline = emit_perfetto_init(&e, !o.uncompressed);
	else if (strcmp(o.format, "lifecycle") == 0)
		cfg.timeline = emit_lifecycle_init(&e, o.by_thread);
	else if (strcmp(o.format, "mermaid") == 0)
		cfg.timeline = emit_mermaid_init(&e, o.top_calls);
	else if (o.timeline)
		cfg.timeline = emit_tracedat_init(&e);
	else if (strcmp(o.format, "sqlite") == 0)	/* app spans, from the markers */
		cfg.timeline = emit_sqlite_spans_init(&e);
	e.tp = tparse_new(fc.st, &cfg);
	e.weight = !o.time || !strcmp(o.time, "cpu") ? WEIGHT_CPU :
		   !strcmp(o.time, "wall") ? WEIGHT_WALL : !strcmp(o.time, "off") ? WEIGHT_OFF :
		   !strcmp(o.time, "alloc") ? WEIGHT_ALLOC : !strcmp(o.time, "live") ? WEIGHT_LIVE :
		   WEIGHT_NET;
	for (int i = optind; i < argc; i++)	/* whole thread names for the timelines */
		capture_thread_names(argv[i], cfg.timeline);
	if (optind == argc)
		status |= run_file(&fc, "-", &o);
	for (int i = optind; i < argc && !(status && o.strict); i++)
		status |= run_file(&fc, argv[i], &o);
	if (e.end)	/* set when a writer was chosen, or from the start for timelines */
		e.end(&e);
	if (output_close(e.out))
		status = 1;
	tparse_free(e.tp);
	symtab_free(fc.st);
	numlist_free(&o.cpus);
	numlist_free(&o.tids);
	globset_free(&o.funcs);
	return status;
}
