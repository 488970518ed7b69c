/* Round trip through the kernel's own printer: random call trees on two CPUs with several
 * threads become trace records, trace/output.c prints them as function_graph text with
 * various options, and the tools' parser must give back exactly the calls generated:
 * function, depth, duration, self time, parent, CPU and (with funcgraph-proc) thread.
 * The same for the function tracer: every hit with its function, parent, CPU, thread and
 * timestamp. */
#include <stdio.h>
#include <stdlib.h>

#include "test/unit/check.h"
#include "tools/lib/tparse.h"
#include "trace/output.h"

#define NCPUS 2
#define MAX_EV 20000
#define MAX_CALLS 8000
#define NFUNCS 40

struct call {
	uint32_t func;
	int cpu, depth;
	unsigned tid;
	uint64_t dur;
	uint64_t self;
	uint32_t parent;
	int seen;
};

static struct out_event ev[NCPUS][MAX_EV];
static unsigned nev[NCPUS], pos[NCPUS];
static struct call calls[MAX_CALLS];
static unsigned ncalls;
static uint64_t rng = 12345;
static char names[NFUNCS + 1][16];

/* The printer's view of the environment: symbols and thread names. */
const char *trace_env_symbol(uint64_t addr, uint64_t *offset)
{
	*offset = 0;
	return addr >= 0x1000 && addr < 0x1000 + NFUNCS ? names[addr - 0x1000 + 1] : NULL;
}

const char *trace_env_comm(unsigned tid)
{
	(void)tid;
	return "worker";
}

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng >> 33) % n;
}

static void push(int cpu, uint64_t ts, unsigned tid, enum rec_type type, uint64_t w1, uint64_t w2)
{
	struct out_event *e = &ev[cpu][nev[cpu]++];

	memset(e, 0, sizeof(*e));
	e->rec.w0 = rec_w0(ts, tid, type);
	e->rec.w1 = w1;
	e->rec.w2 = w2;
	e->ts = ts;
}

/* One call and its subtree; returns its duration. Durations stay under 10 ms, where the
 * printer keeps ns precision. */
static uint64_t gen_call(int cpu, unsigned tid, int depth, uint32_t parent, uint64_t *ts)
{
	uint32_t f = 1 + rnd(NFUNCS);
	uint64_t start = *ts, children = 0;
	unsigned idx = ncalls++;

	push(cpu, *ts, tid, REC_ENTRY, rec_call_w1(0x1000 + f - 1, (unsigned)depth), 0);
	*ts += 10 + rnd(500);
	for (unsigned n = depth < 5 ? rnd(4) : 0; n && ncalls < MAX_CALLS - 1; n--) {
		children += gen_call(cpu, tid, depth + 1, f, ts);
		*ts += rnd(300);
	}
	*ts += 5 + rnd(200);
	uint64_t dur = *ts - start;
	push(cpu, *ts, tid, REC_RETURN, rec_call_w1(0x1000 + f - 1, (unsigned)depth), dur);
	calls[idx] = (struct call){ f, cpu, depth, tid, dur, dur - children, parent, 0 };
	return dur;
}

static void generate(void)
{
	for (int f = 1; f <= NFUNCS; f++)
		snprintf(names[f], sizeof(names[f]), "fn_%02d", f);
	for (int cpu = 0; cpu < NCPUS; cpu++) {
		uint64_t ts = 1000000000ULL + (uint64_t)cpu * 333;
		unsigned tid = 0;
		while (ncalls < MAX_CALLS / NCPUS * (unsigned)(cpu + 1) - 20 && nev[cpu] < MAX_EV - 200) {
			unsigned next = 10 + (unsigned)cpu + 2 * rnd(3);
			if (next != tid) {
				push(cpu, ts, next, REC_SWITCH, tid | (uint64_t)next << 16, 0);
				tid = next;
			}
			gen_call(cpu, tid, 0, 0, &ts);
			ts += rnd(1000);
		}
	}
}

/* The printer's source: runs of up to 7 events straight from the arrays (a prime, so run
 * ends fall everywhere in the call trees). */
static unsigned fill(void *ctx, unsigned cpu, const struct out_event **e)
{
	unsigned n = cpu < NCPUS && pos[cpu] < nev[cpu] ? nev[cpu] - pos[cpu] : 0;

	(void)ctx;
	if (cpu >= NCPUS)
		return 0;
	*e = &ev[cpu][pos[cpu]];
	return n < 7 ? n : 7;
}

static void consume(void *ctx, unsigned cpu, unsigned n)
{
	(void)ctx;
	pos[cpu] += n;
}

struct result {
	unsigned rows, matched, bad_tid;
	bool check_tid;
	struct symtab *st;
};

/* Marks the generated call this row describes (same function, CPU, depth, duration). */
static void on_row(void *ctx, const struct tp_row *r)
{
	struct result *res = ctx;
	const char *name = symtab_name(res->st, r->func);
	const char *parent = symtab_name(res->st, r->parent);

	res->rows++;
	for (unsigned i = 0; i < ncalls; i++) {
		struct call *c = &calls[i];
		if (c->seen || c->cpu != r->cpu || c->depth != r->depth ||
		    (int64_t)c->dur != r->dur_ns || (int64_t)c->self != r->self_ns ||
		    strcmp(names[c->func], name) || strcmp(c->parent ? names[c->parent] : "", parent))
			continue;
		c->seen = 1;
		res->matched++;
		res->bad_tid += res->check_tid && r->tid != (int64_t)c->tid;
		return;
	}
}

static void roundtrip(const char *name, unsigned opts)
{
	static char buf[1 << 16];
	struct out_printer *p = malloc(sizeof(*p));
	struct out_config cfg = { .tracer = OUT_GRAPH, .opts = opts, .header = true,
				  .cpus = (1u << NCPUS) - 1, .ncpus = NCPUS,
				  .clock_hz = 1000000000ULL };
	struct out_source src = { fill, consume, NULL };
	struct result res = { .check_tid = opts & OUT_OPT_PROC, .st = symtab_new() };
	struct tparse_cfg tc = { .row = on_row, .ctx = &res, .quiet = true };
	struct tparse *tp = tparse_new(res.st, &tc);
	char line[1024];
	size_t len = 0, n;

	TEST_CASE(name);
	memset(pos, 0, sizeof(pos));
	for (unsigned i = 0; i < ncalls; i++)
		calls[i].seen = 0;
	out_init(p, &cfg, &src);
	tparse_begin(tp, name);
	while ((n = out_read(p, buf, sizeof(buf))) > 0) {
		for (size_t i = 0; i < n; i++) {
			if (buf[i] != '\n' && len < sizeof(line))
				line[len++] = buf[i];
			else if (buf[i] == '\n')
				tparse_line(tp, line, len), len = 0;
		}
	}
	tparse_end(tp);
	const struct tp_stats *s = tparse_stats(tp);
	CHECK_EQ(s->bad_lines, 0);
	CHECK_EQ(s->warnings, 0);
	CHECK_EQ(res.rows, ncalls);
	CHECK_EQ(res.matched, ncalls);
	CHECK_EQ(res.bad_tid, 0);
	TEST_END();
	tparse_free(tp);
	symtab_free(res.st);
	free(p);
}

/* ---- the function tracer: one hit per REC_FUNC record ---- */

#define MAX_HITS 6000

struct hit {
	uint32_t func, parent;	/* names[] index; parent 0: a record without one */
	int cpu;
	unsigned tid;
	uint64_t ts;
	int seen;
};

static struct hit hits[MAX_HITS];
static unsigned nhits;

/* Hits on both CPUs, several threads, some without a parent address. */
static void generate_hits(void)
{
	nhits = 0;
	memset(nev, 0, sizeof(nev));
	for (int cpu = 0; cpu < NCPUS; cpu++) {
		uint64_t ts = 2000000000ULL + (uint64_t)cpu * 777;
		for (unsigned i = 0; i < MAX_HITS / NCPUS; i++) {
			struct hit *h = &hits[nhits++];
			*h = (struct hit){ 1 + rnd(NFUNCS), rnd(5) ? 1 + rnd(NFUNCS) : 0, cpu,
					   10 + (unsigned)cpu + 2 * rnd(3), ts, 0 };
			push(cpu, ts, h->tid, REC_FUNC, (0x1000 + h->func - 1) |
			     (uint64_t)(h->parent ? 0x1000 + h->parent - 1 : 0) << 32, 0);
			ts += 1 + rnd(3000);
		}
	}
}

struct hit_result {
	unsigned hits, matched;
	bool parent, context;	/* print-parent, context-info */
	struct symtab *st;
};

/* Linux's function tracer rounds its timestamps to microseconds (ns2usecs). */
static void on_hit(void *ctx, const struct tp_hit *t)
{
	struct hit_result *res = ctx;
	const char *name = symtab_name(res->st, t->func);
	const char *parent = symtab_name(res->st, t->parent);

	res->hits++;
	if (!res->context && (t->cpu != -1 || t->tid != -1 || t->ts_ns != -1))
		return;	/* nocontext-info: nothing to tell them by, so nothing may be made up */
	for (unsigned i = 0; i < nhits; i++) {
		struct hit *h = &hits[i];
		if (h->seen || (res->context && (h->cpu != t->cpu || (int64_t)h->tid != t->tid ||
		    (int64_t)((h->ts + 500) / 1000 * 1000) != t->ts_ns)) ||
		    strcmp(names[h->func], name) ||
		    strcmp(h->parent && res->parent ? names[h->parent] : "", parent))
			continue;
		h->seen = 1;
		res->matched++;
		return;
	}
}

static void roundtrip_function(const char *name, unsigned opts)
{
	static char buf[1 << 16];
	struct out_printer *p = malloc(sizeof(*p));
	struct out_config cfg = { .tracer = OUT_FUNCTION, .opts = opts, .header = true,
				  .cpus = (1u << NCPUS) - 1, .ncpus = NCPUS,
				  .clock_hz = 1000000000ULL };
	struct out_source src = { fill, consume, NULL };
	struct hit_result res = { .parent = opts & OUT_OPT_PARENT,
				  .context = opts & OUT_OPT_CONTEXT, .st = symtab_new() };
	struct tparse_cfg tc = { .hit = on_hit, .ctx = &res, .quiet = true };
	struct tparse *tp = tparse_new(res.st, &tc);
	char line[1024];
	size_t len = 0, n;

	TEST_CASE(name);
	memset(pos, 0, sizeof(pos));
	for (unsigned i = 0; i < nhits; i++)
		hits[i].seen = 0;
	out_init(p, &cfg, &src);
	tparse_begin(tp, name);
	while ((n = out_read(p, buf, sizeof(buf))) > 0) {
		for (size_t i = 0; i < n; i++) {
			if (buf[i] != '\n' && len < sizeof(line))
				line[len++] = buf[i];
			else if (buf[i] == '\n')
				tparse_line(tp, line, len), len = 0;
		}
	}
	tparse_end(tp);
	const struct tp_stats *s = tparse_stats(tp);
	CHECK_EQ(tparse_format(tp), TPF_FUNCTION);
	CHECK_EQ(s->bad_lines, 0);
	CHECK_EQ(s->warnings, 0);
	CHECK_EQ(res.hits, nhits);
	CHECK_EQ(res.matched, nhits);
	TEST_END();
	tparse_free(tp);
	symtab_free(res.st);
	free(p);
}

int main(void)
{
	generate();
	TEST_CASE("round trip: enough calls generated");
	CHECK(ncalls > 5000);
	TEST_END();
	roundtrip("kernel printer round trip: default options", OUT_OPT_DEFAULT);
	roundtrip("kernel printer round trip: proc", OUT_OPT_DEFAULT | OUT_OPT_PROC);
	roundtrip("kernel printer round trip: abstime, proc, tail",
		  OUT_OPT_DEFAULT | OUT_OPT_ABSTIME | OUT_OPT_PROC | OUT_OPT_TAIL);
	roundtrip("kernel printer round trip: no overhead marks",
		  OUT_OPT_DEFAULT & ~OUT_OPT_OVERHEAD);
	generate_hits();
	roundtrip_function("function tracer round trip: default options", OUT_OPT_DEFAULT);
	roundtrip_function("function tracer round trip: no irq-info flags",
			   OUT_OPT_DEFAULT & ~OUT_OPT_IRQ_INFO);
	roundtrip_function("function tracer round trip: no parent",
			   OUT_OPT_DEFAULT & ~OUT_OPT_PARENT);
	roundtrip_function("function tracer round trip: no context-info",
			   OUT_OPT_DEFAULT & ~OUT_OPT_CONTEXT);
	return test_exit_status();
}
