#include "tools/runtime-breakdown/load.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/csv.h"
#include "tools/lib/input.h"
#include "tools/lib/numlist.h"
#include "tools/lib/tparse.h"
#include "tools/lib/umap.h"
#include "tools/lib/usnum.h"
#include "tools/lib/xalloc.h"

enum col { C_FUNCTION, C_TID, C_LATENCY, C_SELF, C_CPU, C_START, C_TIMESTAMP, C_PARENT, C_DEPTH,
	   C_OFF, C_OFF_SELF, C_COMM, NCOLS };
static const char *const col_names[NCOLS] = {
	"function", "tid", "latency_us", "latency_us_self", "cpu", "start_us", "timestamp_us",
	"parent", "depth", "offcpu_us", "offcpu_us_self", "comm",
};
#define MAX_FIELDS 64

struct csv_state {
	const struct load_cfg *cfg;
	struct load_stats *stats;
	struct symtab *st;
	const char *name;
	int idx[NCOLS];		/* field index of each column, -1 if absent */
	bool hits;		/* function tracer hits: timestamp_us, no latency_us */
	int64_t last_tid;	/* of the last row whose comm was kept */
	char scratch[INPUT_MAX_LINE + 1];
};

/* Thread names from raw traces, kept across files (tid -> id in comm_names). */
static struct symtab *comm_names;
static struct umap comm_ids;

static bool is_csv_header(const char *s, size_t n)
{
	return n >= 9 && memcmp(s, "function,", 9) == 0;
}

static int map_header(struct csv_state *c, const char *s, size_t n)
{
	struct csv_field f[MAX_FIELDS];
	int k = csv_split(s, n, f, MAX_FIELDS, c->scratch);

	for (int i = 0; i < NCOLS; i++) {
		c->idx[i] = -1;
		for (int j = 0; j < k; j++)
			if (f[j].n == strlen(col_names[i]) && !memcmp(f[j].p, col_names[i], f[j].n))
				c->idx[i] = j;
	}
	c->hits = c->idx[C_LATENCY] < 0 && c->idx[C_TIMESTAMP] >= 0;
	if (c->idx[C_FUNCTION] < 0 || (c->idx[C_LATENCY] < 0 && !c->hits)) {
		fprintf(stderr, "%s:1: CSV header lacks the function or latency_us column\n",
			c->name);
		return -1;
	}
	if (c->cfg->need_start && !c->hits && c->idx[C_START] < 0) {
		fprintf(stderr, "%s:1: no start_us column, so --from-us/--to-us select no call "
			"(parse-trace writes start times for traces with funcgraph-abstime)\n",
			c->name);
		return -1;
	}
	if (c->idx[C_SELF] < 0 && !c->hits && !c->cfg->quiet)
		fprintf(stderr, "%s:1: no latency_us_self column: self times are unknown and "
			"shown as 0\n", c->name);
	return 0;
}

static void bad_row(struct csv_state *c, uint64_t line, const char *why)
{
	c->stats->bad++;
	if (c->cfg->quiet || c->stats->bad > c->cfg->max_msgs)
		return;
	fprintf(stderr, "%s:%llu: %s\n", c->name, (unsigned long long)line, why);
	if (c->stats->bad == c->cfg->max_msgs)
		fprintf(stderr, "%s: further warnings not shown\n", c->name);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

enum num_kind { NUM_INT, NUM_US, NUM_US_SIGNED };

/* An optional number column (empty or absent = -1), parsed in place: an integer, or a
 * decimal number of microseconds converted to ns (NUM_US_SIGNED: may be negative, for the
 * self times of other tools' CSV). Returns -1 when malformed. */
static int num_field(const struct csv_field *f, int idx, int k, enum num_kind kind,
		     int64_t *v)
{
	bool us = kind != NUM_INT;
	const char *p, *e;
	bool neg = false;
	int64_t x = 0;
	int digits = 0;

	*v = -1;
	if (idx < 0 || idx >= k || f[idx].n == 0)
		return 0;
	p = f[idx].p;
	e = p + f[idx].n;
	if (!us && *p == '-')
		neg = true, p++;
	for (; p < e && *p >= '0' && *p <= '9'; p++)
		if (++digits > 15)
			return -1;
		else
			x = x * 10 + (*p - '0');
	if (us) {
		x *= 1000;
		/* what parse-trace writes: exactly 3 decimals */
		if (e - p == 4 && *p == '.' && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3])) {
			if (!digits)
				return -1;
			*v = x + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
			return 0;
		}
		/* anything else, such as Python's "1e-05" or "-0.5" */
		return us_to_ns(f[idx].p, f[idx].n, kind == NUM_US_SIGNED, v);
	}
	if (p != e || !digits)
		return -1;
	*v = neg ? -x : x;
	return 0;
}

/* "-0.0" is not below zero, "-2.5e-06" is (though it rounds to 0 ns). */
static bool below_zero(const struct csv_field *f)
{
	for (size_t i = 1; i < f->n && f->p[i] != 'e' && f->p[i] != 'E'; i++)
		if (f->p[i] >= '1' && f->p[i] <= '9')
			return true;
	return false;
}

static void csv_hit(struct csv_state *c, const struct csv_field *f, int k, uint64_t line)
{
	struct rb_hit h = { 0 };
	int64_t cpu;
	int fi = c->idx[C_FUNCTION], pi = c->idx[C_PARENT];

	if (fi >= k || f[fi].n == 0 || num_field(f, c->idx[C_TID], k, NUM_INT, &h.tid) ||
	    num_field(f, c->idx[C_CPU], k, NUM_INT, &cpu) ||
	    num_field(f, c->idx[C_TIMESTAMP], k, NUM_US, &h.ts_ns) || cpu > 65535 ||
	    h.tid < -1 || h.tid > INT32_MAX) {
		bad_row(c, line, "bad CSV field");
		return;
	}
	h.func = symtab_intern(c->st, f[fi].p, f[fi].n);
	h.parent = pi >= 0 && pi < k && f[pi].n ? symtab_intern(c->st, f[pi].p, f[pi].n) : 0;
	h.cpu = (int)cpu;
	c->stats->hits++;
	if (c->cfg->hit)
		c->cfg->hit(c->cfg->ctx, &h);
}

static void keep_comm_str(int64_t tid, const char *s, size_t n);

/* The comm column names the row's thread; rows of one thread come in runs. */
static void csv_comm(struct csv_state *c, const struct csv_field *f, int k, int64_t tid)
{
	int i = c->idx[C_COMM];

	if (tid < 0 || tid == c->last_tid || i < 0 || i >= k || !f[i].n)
		return;
	keep_comm_str(tid, f[i].p, f[i].n);
	c->last_tid = tid;
}

static void csv_line(struct csv_state *c, const char *s, size_t n, uint64_t line)
{
	struct csv_field f[MAX_FIELDS];
	int k = csv_split(s, n, f, MAX_FIELDS, c->scratch);
	struct rb_row r = { 0 };
	int64_t cpu, depth;

	if (k < 0) {
		bad_row(c, line, "malformed CSV line");
		return;
	}
	if (k == 1 && f[0].n == 0)
		return;	/* blank line */
	if (c->hits) {
		csv_hit(c, f, k, line);
		return;
	}
	int fi = c->idx[C_FUNCTION];
	if (fi >= k || f[fi].n == 0 ||
	    num_field(f, c->idx[C_TID], k, NUM_INT, &r.tid) ||
	    num_field(f, c->idx[C_LATENCY], k, NUM_US, &r.dur_ns) ||
	    num_field(f, c->idx[C_SELF], k, NUM_US_SIGNED, &r.self_ns) ||
	    num_field(f, c->idx[C_CPU], k, NUM_INT, &cpu) ||
	    num_field(f, c->idx[C_START], k, NUM_US, &r.start_ns) ||
	    num_field(f, c->idx[C_DEPTH], k, NUM_INT, &depth) ||
	    num_field(f, c->idx[C_OFF], k, NUM_US, &r.off_ns) ||
	    num_field(f, c->idx[C_OFF_SELF], k, NUM_US, &r.off_self_ns) || cpu > 65535 ||
	    depth > INT32_MAX || r.tid < -1 || r.tid > INT32_MAX) {
		bad_row(c, line, "bad CSV field");
		return;
	}
	/* num_field's -1 means "empty"; a negative self time needs its own test */
	int si = c->idx[C_SELF];
	if (si >= 0 && si < k && f[si].n && f[si].p[0] == '-') {
		c->stats->negative_self += below_zero(&f[si]);
		r.self_ns = 0;
	}
	r.func = symtab_intern(c->st, f[fi].p, f[fi].n);
	r.cpu = (int)cpu;
	r.depth = depth < 0 ? -1 : (int)depth;
	csv_comm(c, f, k, r.tid);
	c->stats->rows++;
	c->stats->untimed += r.dur_ns < 0;
	c->stats->started += r.start_ns >= 0;
	c->cfg->row(c->cfg->ctx, &r);
}

static int load_csv(struct input *in, const char *first, size_t n, struct symtab *st,
		    const struct load_cfg *cfg, struct load_stats *stats)
{
	struct csv_state *c = xmalloc(sizeof(*c));
	const char *s;
	bool too_long;
	int ret = 0;

	*c = (struct csv_state){ .cfg = cfg, .stats = stats, .st = st, .name = input_name(in),
				 .last_tid = -2 };
	if (map_header(c, first, n)) {
		free(c);
		return -1;
	}
	while ((s = input_line(in, &n, &too_long))) {
		if (too_long)
			bad_row(c, input_lineno(in), "line too long");
		else
			csv_line(c, s, n, input_lineno(in));
	}
	if (input_error(in)) {
		fprintf(stderr, "%s: %s\n", input_name(in), input_error(in));
		ret = -1;
	}
	free(c);
	return ret;
}

struct trace_ctx {
	const struct load_cfg *cfg;
	struct load_stats *stats;
	struct tparse *tp;
	int64_t last_tid;
};

/* The first name seen for a thread stays. */
static void keep_comm_str(int64_t tid, const char *s, size_t n)
{
	if (umap_get(&comm_ids, (uint64_t)tid))
		return;
	umap_put(&comm_ids, (uint64_t)tid, symtab_intern(comm_names, s, n));
}

/* Thread names are copied out of the parser, which forgets them at the end of the file. */
static void keep_comm(struct tparse *tp, int64_t tid)
{
	const char *comm = tparse_comm(tp, tid);

	if (comm)
		keep_comm_str(tid, comm, strlen(comm));
}

static void trace_row(void *ctx, const struct tp_row *t)
{
	struct trace_ctx *c = ctx;
	struct rb_row r = { t->func, t->cpu, t->tid, t->dur_ns, t->self_ns, t->start_ns,
			    t->depth, t->off_ns, t->off_self_ns, t->self_cut_ns };

	if (t->tid >= 0 && t->tid != c->last_tid) {
		keep_comm(c->tp, t->tid);
		c->last_tid = t->tid;
	}
	c->stats->rows++;
	c->stats->untimed += r.dur_ns < 0;
	c->stats->started += r.start_ns >= 0;
	c->cfg->row(c->cfg->ctx, &r);
}

static void trace_hit(void *ctx, const struct tp_hit *t)
{
	struct trace_ctx *c = ctx;
	struct rb_hit h = { t->func, t->parent, t->cpu, t->tid, t->ts_ns };

	if (t->tid >= 0 && t->tid != c->last_tid) {
		keep_comm(c->tp, t->tid);
		c->last_tid = t->tid;
	}
	c->stats->hits++;
	if (c->cfg->hit)
		c->cfg->hit(c->cfg->ctx, &h);
}

/* first = the line already read to tell CSV from trace text (NULL if it was too long). */
static int load_trace(struct input *in, const char *first, size_t n, struct symtab *st,
		      const struct load_cfg *cfg, struct load_stats *stats)
{
	struct trace_ctx c = { cfg, stats, NULL, -2 };
	struct tparse_cfg tc = { .row = trace_row, .hit = trace_hit, .ctx = &c,
				 .max_msgs = cfg->max_msgs, .quiet = cfg->quiet,
				 .overhead = cfg->overhead };
	int ret;

	c.tp = tparse_new(st, &tc);
	stats->was_trace = true;
	tparse_begin(c.tp, input_name(in));
	if (first)
		tparse_line(c.tp, first, n);
	else
		tparse_long_line(c.tp);
	ret = tparse_input(c.tp, in);
	tparse_end(c.tp);
	const struct tp_stats *ts = tparse_stats(c.tp);
	stats->bad = ts->bad_lines;
	stats->clamped = ts->clamped;
	if (ret == 0 && ts->bad_lines && !ts->events) {
		fprintf(stderr, "%s: neither parse-trace CSV nor function_graph, function or "
			"trace-cmd report text\n", input_name(in));
		ret = -1;
	} else if (ret == 0 && !ts->events && tparse_format(c.tp) == TPF_UNKNOWN) {
		fprintf(stderr, "%s: no trace lines\n", input_name(in));
		ret = -1;
	}
	tparse_free(c.tp);
	return ret;
}

/* What a file held that the tables cannot show as the user may expect. */
static int after_file(const char *name, const struct load_cfg *cfg,
		      const struct load_stats *s)
{
	if (cfg->need_start && s->rows && !s->started) {
		fprintf(stderr, "%s: no call has a start time, so --from-us/--to-us select none "
			"(start times need funcgraph-abstime)\n", name);
		return -1;
	}
	if (cfg->quiet)
		return 0;
	if (s->untimed)
		fprintf(stderr, "%s: %llu rows without latency_us: counted as calls, not in the "
			"times\n", name, (unsigned long long)s->untimed);
	if (s->clamped)
		fprintf(stderr, "%s: %llu compensated times clamped at 0 (--overhead too large "
			"for them)\n", name, (unsigned long long)s->clamped);
	if (s->negative_self)
		fprintf(stderr, "%s: %llu rows with a negative self time (their writer matched "
			"calls wrongly): counted as 0\n", name,
			(unsigned long long)s->negative_self);
	return 0;
}

int load_file(const char *path, struct symtab *st, const struct load_cfg *cfg,
	      struct load_stats *stats)
{
	struct input *in = input_open(path);
	const char *s;
	size_t n = 0;
	bool too_long = false;
	int ret = 0;

	if (!in)
		return -1;
	if (!comm_names) {
		comm_names = symtab_new();
		umap_init(&comm_ids);
	}
	memset(stats, 0, sizeof(*stats));
	s = input_line(in, &n, &too_long);
	if (s && !too_long && is_csv_header(s, n) && cfg->overhead)
		ret = -1, fprintf(stderr, "%s:1: --overhead needs function_graph text: CSV rows "
				  "have no call tree (compensate with parse-trace --overhead)\n",
				  input_name(in));
	else if (s && !too_long && is_csv_header(s, n))
		ret = load_csv(in, s, n, st, cfg, stats);
	else if (s)
		ret = load_trace(in, too_long ? NULL : s, n, st, cfg, stats);
	else if (input_error(in))
		ret = -1, fprintf(stderr, "%s: %s\n", input_name(in), input_error(in));
	else
		ret = -1, fprintf(stderr, "%s: no trace lines\n", input_name(in));
	if (!ret)
		ret = after_file(input_name(in), cfg, stats);
	if (!ret && stats->bad > cfg->max_errors) {
		fprintf(stderr, "%s: %llu bad lines (more than %lu)\n", input_name(in),
			(unsigned long long)stats->bad, cfg->max_errors);
		ret = -1;
	}
	input_close(in);
	return ret;
}

const char *load_comm(int64_t tid)
{
	uint32_t id = comm_names && tid >= 0 ? umap_get(&comm_ids, (uint64_t)tid) : 0;

	return id ? symtab_name(comm_names, id) : NULL;
}

void load_cleanup(void)
{
	symtab_free(comm_names);
	umap_free(&comm_ids);
	comm_names = NULL;
}
