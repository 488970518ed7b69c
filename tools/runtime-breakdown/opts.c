#include "tools/runtime-breakdown/opts.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/version.h"

static void usage(FILE *f)
{
	fputs("usage: runtime-breakdown [options] [FILE...]\n"
	      "Per-function time from parse-trace CSV (plain or .zst) or raw function_graph text\n"
	      "(stdin if no FILE); hit counts from function tracer text or its CSV.\n"
	      "      --sort KEY       self (default), total, calls or mean\n"
	      "      --top N          rows per table, 0 = all (default 20)\n"
	      "      --by WHAT        function (default), thread or cpu: one table per group\n"
	      "      --time WHICH     cpu (default: time on the CPU when the trace tells, waiting\n"
	      "                       listed apart) or wall (waiting counts as time in the call)\n"
	      "      --exclude GLOB   drop functions matching GLOB (repeatable)\n"
	      "      --include GLOB   keep only functions matching GLOB (repeatable)\n"
	      "      --tid LIST       keep these thread ids (comma-separated, -1 = unknown)\n"
	      "      --cpu LIST       keep these CPUs\n"
	      "      --from-us T      keep calls starting at or after T (needs start_us)\n"
	      "      --to-us T        keep calls starting before T\n"
	      "      --function NAME  print NAME's latency histogram (and plot it)\n"
	      "      --csv            print the table as CSV\n"
	      "      --plot FMT       charts with gnuplot: png (default without --csv/--serve),\n"
	      "                       svg, html or none\n"
	      "      --no-plot        no charts (same as --plot none)\n"
	      "  -o, --output PREFIX  chart file prefix (default runtime-breakdown)\n"
	      "      --serve[=PORT]   interactive report on http://127.0.0.1:PORT/ (default 8642)\n"
	      "      --overhead IN,OUT[,LEAF_IN,LEAF_OUT]\n"
	      "                       take the tracer's hook time out of the calls' times: IN ns\n"
	      "                       per call inside its own times, OUT ns outside them (in its\n"
	      "                       caller's self time); leaf calls' own if given (trace text\n"
	      "                       only; see docs/overhead.md)\n"
	      "      --max-errors N   bad lines tolerated per file before status 1 (default 100)\n"
	      "  -q, --quiet          no warnings\n"
	      "  -h, --help           this text\n"
	      "  -V, --version        print the version\n"
	      "Exit status: 0 ok, 1 bad input or I/O error, 2 usage error.\n", f);
}

static void usage_error(const char *fmt, const char *arg)
{
	fputs("runtime-breakdown: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'runtime-breakdown --help'.\n", stderr);
	exit(2);
}

static unsigned long number(const char *s, const char *opt, unsigned long max)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (end == s || *end || *s == '-' || v > max)
		usage_error("bad number for %s", opt);
	return v;
}

enum { O_SORT = 256, O_TOP, O_BY, O_TIME, O_EXCLUDE, O_INCLUDE, O_TID, O_CPU, O_FROM, O_TO,
       O_FUNCTION, O_CSV, O_PLOT, O_NO_PLOT, O_SERVE, O_MAX_ERRORS, O_OVERHEAD };

static const struct option longopts[] = {
	{ "sort", required_argument, NULL, O_SORT },
	{ "top", required_argument, NULL, O_TOP },
	{ "by", required_argument, NULL, O_BY },
	{ "time", required_argument, NULL, O_TIME },
	{ "exclude", required_argument, NULL, O_EXCLUDE },
	{ "include", required_argument, NULL, O_INCLUDE },
	{ "tid", required_argument, NULL, O_TID },
	{ "cpu", required_argument, NULL, O_CPU },
	{ "from-us", required_argument, NULL, O_FROM },
	{ "to-us", required_argument, NULL, O_TO },
	{ "function", required_argument, NULL, O_FUNCTION },
	{ "csv", no_argument, NULL, O_CSV },
	{ "plot", required_argument, NULL, O_PLOT },
	{ "no-plot", no_argument, NULL, O_NO_PLOT },
	{ "output", required_argument, NULL, 'o' },
	{ "serve", optional_argument, NULL, O_SERVE },
	{ "max-errors", required_argument, NULL, O_MAX_ERRORS },
	{ "overhead", required_argument, NULL, O_OVERHEAD },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static int pick(const char *arg, const char *const *names, const char *opt)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(arg, names[i]))
			return i;
	usage_error("bad value for %s", opt);
	return -1;
}

static void time_opt(const char *arg, int64_t *ns, const char *opt)
{
	if (parse_us_ns(arg, ns))
		usage_error("bad time for %s", opt);
}

/* --serve takes its port as --serve=PORT or as the next argument when that is a number. */
static void serve_opt(struct rb_opts *o, int argc, char **argv)
{
	const char *arg = optarg;

	o->serve = true;
	if (!arg && optind < argc && argv[optind][0] >= '0' && argv[optind][0] <= '9')
		arg = argv[optind++];
	if (arg)
		o->port = (unsigned)number(arg, "--serve", 65535);
}

static void parse_opt(struct rb_opts *o, int c, int argc, char **argv)
{
	static const char *const sorts[] = { "self", "total", "calls", "mean", NULL };
	static const char *const bys[] = { "function", "thread", "cpu", NULL };
	static const char *const plots[] = { "png", "svg", "html", "none", NULL };
	static const char *const times[] = { "cpu", "wall", NULL };

	switch (c) {
	case O_SORT: o->sort = (enum agg_sort)pick(optarg, sorts, "--sort"); break;
	case O_TOP: o->top = number(optarg, "--top", 1000000000); break;
	case O_BY: o->by = (enum agg_by)pick(optarg, bys, "--by"); break;
	case O_TIME: o->time = (enum rb_time)pick(optarg, times, "--time"); break;
	case O_EXCLUDE: globset_add(&o->sel.exclude, optarg); break;
	case O_INCLUDE: globset_add(&o->sel.include, optarg); break;
	case O_TID:
		if (numlist_parse(&o->sel.tids, optarg))
			usage_error("bad thread id list '%s'", optarg);
		break;
	case O_CPU:
		if (numlist_parse(&o->sel.cpus, optarg))
			usage_error("bad CPU list '%s'", optarg);
		break;
	case O_FROM: time_opt(optarg, &o->sel.from_ns, "--from-us"); break;
	case O_TO: time_opt(optarg, &o->sel.to_ns, "--to-us"); break;
	case O_FUNCTION: o->function = optarg; break;
	case O_CSV: o->csv = true; break;
	case O_PLOT:
		o->plot = plots[pick(optarg, plots, "--plot")];
		if (!strcmp(o->plot, "none"))
			o->plot = NULL;
		o->plot_default = false;
		break;
	case O_NO_PLOT: o->plot = NULL, o->plot_default = false; break;
	case 'o': o->prefix = optarg; break;
	case O_SERVE: serve_opt(o, argc, argv); break;
	case O_MAX_ERRORS: o->max_errors = number(optarg, "--max-errors", (unsigned long)-1); break;
	case O_OVERHEAD:
		if (overhead_parse(optarg, &o->overhead_ns))
			usage_error("bad --overhead '%s' (IN,OUT[,LEAF_IN,LEAF_OUT]: ns per "
				    "traced call inside and outside its times, such as 152,96.5)", optarg);
		o->overhead = &o->overhead_ns;
		break;
	case 'q': o->quiet = true; break;
	case 'h': usage(stdout); exit(0);
	case 'V': printf("runtime-breakdown (glass) %s\n", GLASS_TOOLS_VERSION); exit(0);
	default: fputs("Try 'runtime-breakdown --help'.\n", stderr); exit(2);
	}
}

void rb_parse_opts(struct rb_opts *o, int argc, char **argv)
{
	static const char *const stdin_only[] = { "-" };
	int c;

	memset(o, 0, sizeof(*o));
	o->sel.from_ns = o->sel.to_ns = -1;
	o->top = 20;
	o->prefix = "runtime-breakdown";
	o->port = 8642;
	o->plot_default = true;
	o->max_msgs = 20;
	o->max_errors = 100;
	while ((c = getopt_long(argc, argv, "o:qhV", longopts, NULL)) != -1)
		parse_opt(o, c, argc, argv);
	/* the table with the standard charts, unless the output is CSV or the report */
	if (o->plot_default && !o->csv && !o->serve)
		o->plot = "png";
	else
		o->plot_default = false;
	o->files = (const char **)argv + optind;
	o->nfiles = (size_t)(argc - optind);
	if (!o->nfiles) {
		o->files = (const char **)stdin_only;
		o->nfiles = 1;
	}
	if (o->serve && o->nfiles == 1 && !strcmp(o->files[0], "-"))
		usage_error("%s needs FILE arguments: it re-reads them on every request", "--serve");
}

void rb_opts_free(struct rb_opts *o)
{
	select_free(&o->sel);
}
