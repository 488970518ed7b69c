/* Generates synthetic Linux function_graph text with exactly known structure, for the
 * parse-trace property tests and the benchmarks (large traces are generated, never stored).
 *
 *   gen-trace [--bytes N | --calls N] [--cpus N] [--threads N] [--functions N]
 *             [--max-depth N] [--proc] [--abstime] [--function] [--block] [--seed N]
 *
 * Every call opened is closed before the end, durations stay under 1 s so they print with
 * full ns precision, and a parent's duration is exactly its children's plus its own time, so
 * the parser's self times must sum to the root durations. CPUs are interleaved line by line
 * like Linux's timestamp merge; threads switch (with a context-switch block) only at depth 0,
 * or with --block also inside calls, where the thread stays switched out until another
 * switch brings it back (each thread runs on CPU tid % cpus only).
 * The number of calls is printed to stderr as "calls=N". With --function the same calls are
 * printed as function tracer text instead, one line per call entry (so hits = calls).
 * With --block the time threads spent switched out inside calls is printed as
 * "offcpu_us=N" (their waits at depth 0 are in no call), measured the way docs/tools.md
 * defines it: from the printed microsecond timestamps, the next thread's first line to the
 * thread's own next line. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64
#define MAX_CPUS 64

struct task {
	int tid;
	int depth;
	bool in_call;		/* it was switched out inside a call */
	int64_t out_us;		/* printed time it left the CPU, -1 while running */
	uint64_t start[MAX_DEPTH];
	int func[MAX_DEPTH];
};

struct cpu {
	struct task *cur;
	struct task *prev;	/* switched out, waiting for this CPU's next line */
	uint64_t clock;
};

struct gen {
	uint64_t rng;
	int cpus, threads, functions, max_depth;
	bool proc, abstime, function, block;
	uint64_t bytes, calls, max_bytes, max_calls;
	uint64_t offcpu_us;
	struct cpu cpu[MAX_CPUS];
	struct task *tasks;
	int last_cpu;
};

static uint32_t rnd(struct gen *g)
{
	g->rng ^= g->rng << 13;
	g->rng ^= g->rng >> 7;
	g->rng ^= g->rng << 17;
	return (uint32_t)(g->rng >> 16);
}

/* Names shaped like kernel symbols (average length close to a real kernel's, ~17). */
static const char *const prefix[] = {
	"tcp", "ip", "vfs", "ext4", "mm", "sched", "rcu", "irq", "hrtimer", "kmem_cache",
	"page", "dev", "net", "sock", "skb", "blk_mq", "file", "inode", "dentry", "__task",
};
static const char *const verb[] = {
	"alloc", "free", "lookup", "update", "enqueue", "dequeue", "start", "stop", "read",
	"write", "lock", "unlock", "flush", "wake_up", "init", "release", "get", "put",
	"commit", "rcv",
};
static const char *const suffix[] = { "", "", "", "_entity", "_range", ".isra.0", "_fair", "_ns" };

static void name_of(int f, char *buf, size_t n)
{
	snprintf(buf, n, "%s_%s%s", prefix[f % 20], verb[f / 20 % 20], suffix[f / 7 % 8]);
	if (f >= 3200)
		snprintf(buf + strlen(buf), n - strlen(buf), "_%d", f / 3200);
}

/* The duration column exactly as Linux prints it (spec 3.2): ns / 1000, then '.' and the
 * first min(3, 7 - digits) digits of the ns remainder, " us ", padding to 8 digits. */
static int fmt_duration(char *b, uint64_t ns)
{
	char mark = ns > 100000000 ? '@' : ns > 10000000 ? '*' : ns > 1000000 ? '#' :
		    ns > 100000 ? '!' : ns > 10000 ? '+' : ' ';
	char num[40], frac[8];
	int len = sprintf(num, "%" PRIu64, ns / 1000);

	if (len < 7) {
		int k = 7 - len < 3 ? 7 - len : 3;
		sprintf(frac, "%03u", (unsigned)(ns % 1000));
		num[len++] = '.';
		memcpy(num + len, frac, (size_t)k);
		len += k;
		num[len] = '\0';
	}
	return sprintf(b, "%c %s us %*s|  ", mark, num, len < 8 ? 8 - len : 0, "");
}

static void prologue(struct gen *g, int c, struct task *t, char **p)
{
	if (g->abstime) {
		uint64_t us = g->cpu[c].clock / 1000;
		*p += sprintf(*p, "%5" PRIu64 ".%06" PRIu64 " |  ", us / 1000000, us % 1000000);
	}
	*p += sprintf(*p, " %d) ", c);
	if (g->proc) {
		char proc[32];
		int n = snprintf(proc, sizeof(proc), "task%d-%d", t->tid % 10, t->tid);
		int sp = 14 - n > 0 ? 14 - n : 0;
		*p += sprintf(*p, "%*s%s%*s | ", sp / 2, "", proc, sp - sp / 2, "");
	}
}

/* Off-CPU bookkeeping for a line of t on c, at the microsecond the line prints. */
static void account(struct gen *g, int c, struct task *t)
{
	int64_t us = (int64_t)(g->cpu[c].clock / 1000);
	struct task *prev = g->cpu[c].prev;

	if (prev && prev != t) {
		prev->out_us = us;
		g->cpu[c].prev = NULL;
	}
	if (t->out_us >= 0) {	/* outside any call the waiting belongs to no call */
		if (t->in_call)
			g->offcpu_us += (uint64_t)(us - t->out_us);
		t->out_us = -1;
	}
}

static void line(struct gen *g, int c, struct task *t, const char *dur, const char *text)
{
	char buf[512], *p = buf;

	if (g->block)
		account(g, c, t);
	prologue(g, c, t, &p);
	p += sprintf(p, "%s%*s%s\n", dur, 2 * t->depth, "", text);
	fwrite(buf, 1, (size_t)(p - buf), stdout);
	g->bytes += (uint64_t)(p - buf);
}

/* --function: the function tracer's line for an entry, as Linux 5.14+ and glass print it
 * ("%16s-%-7d [%03d] ..... %5lu.%06lu: f <-parent", the time rounded to microseconds);
 * the caller is the open call below, roots have none. */
static void fn_line(struct gen *g, int c, struct task *t, const char *name)
{
	char comm[32], parent[64] = "", buf[256];
	uint64_t us = (g->cpu[c].clock + 500) / 1000;
	int n;

	snprintf(comm, sizeof(comm), "task%d", t->tid % 10);
	if (t->depth) {
		memcpy(parent, " <-", 3);
		name_of(t->func[t->depth - 1], parent + 3, sizeof(parent) - 3);
	}
	n = snprintf(buf, sizeof(buf), "%16s-%-7d [%03d] ..... %5" PRIu64 ".%06" PRIu64 ": %s%s\n",
		     comm, t->tid, c, us / 1000000, us % 1000000, name, parent);
	fwrite(buf, 1, (size_t)n, stdout);
	g->bytes += (uint64_t)n;
}

static void enter(struct gen *g, int c, struct task *t)
{
	char text[96], name[64];
	int f = (int)(rnd(g) % (unsigned)g->functions);

	name_of(f, name, sizeof(name));
	g->cpu[c].clock += 50 + rnd(g) % 400;
	if (g->function)
		fn_line(g, c, t, name);
	if (rnd(g) % 5 < 3) {
		uint64_t d = 40 + rnd(g) % (rnd(g) % 8 ? 3000 : 300000);
		char dur[48];
		fmt_duration(dur, d);
		snprintf(text, sizeof(text), "%s();", name);
		if (!g->function)
			line(g, c, t, dur, text);
		g->cpu[c].clock += d;
		g->calls++;
		return;
	}
	snprintf(text, sizeof(text), "%s() {", name);
	if (!g->function)
		line(g, c, t, "              |  ", text);
	t->start[t->depth] = g->cpu[c].clock;
	t->func[t->depth] = f;
	t->depth++;
}

static void leave(struct gen *g, int c, struct task *t)
{
	char dur[48];

	g->cpu[c].clock += 30 + rnd(g) % 300;
	t->depth--;
	fmt_duration(dur, g->cpu[c].clock - t->start[t->depth]);
	if (!g->function)
		line(g, c, t, dur, "}");
	g->calls++;
}

/* Without --block only threads outside any call switch, so durations hold no waiting. */
static bool can_switch(const struct gen *g, int c, const struct task *prev,
		       const struct task *next)
{
	return next != prev && (next->tid % g->cpus) == c && (g->block || !next->depth);
}

/* Makes next current on c and prints the block. */
static void switch_to(struct gen *g, int c, struct task *next)
{
	struct task *prev = g->cpu[c].cur;
	char a[32], b[32];

	g->cpu[c].cur = next;
	prev->in_call = prev->depth > 0;
	/* a thread switched away before it printed a line never showed up on the CPU: the
	 * thread that last printed there leaves it at the next line */
	if (!g->cpu[c].prev)
		g->cpu[c].prev = prev;
	if (g->function)	/* the function tracer prints no switch blocks */
		return;
	snprintf(a, sizeof(a), "task%d-%d", prev->tid % 10, prev->tid);
	snprintf(b, sizeof(b), "task%d-%d", next->tid % 10, next->tid);
	g->bytes += (uint64_t)printf(" ------------------------------------------\n"
				     " %d) %14s => %-14s\n"
				     " ------------------------------------------\n\n", c, a, b);
}

static void ctx_switch(struct gen *g, int c)
{
	struct task *prev = g->cpu[c].cur, *next;
	int tries = 0;

	do
		next = &g->tasks[rnd(g) % (unsigned)g->threads];
	while (!can_switch(g, c, prev, next) && ++tries < 8);
	if (can_switch(g, c, prev, next))
		switch_to(g, c, next);
}

static void step(struct gen *g, int c)
{
	struct task *t = g->cpu[c].cur;
	unsigned r = rnd(g) % 100;

	if ((t->depth == 0 || g->block) && g->threads > g->cpus && r < 3)
		ctx_switch(g, c);
	else if (t->depth == 0 || (t->depth < g->max_depth && r < (t->depth < 6 ? 80u : 55u)))
		enter(g, c, t);
	else
		leave(g, c, t);
}

static bool done(const struct gen *g)
{
	return (g->max_bytes && g->bytes >= g->max_bytes) || (g->max_calls && g->calls >= g->max_calls);
}

static void usage(void)
{
	fputs("usage: gen-trace [--bytes N | --calls N] [--cpus N] [--threads N] [--functions N]\n"
	      "                 [--max-depth N] [--proc] [--abstime] [--function] [--block]\n"
	      "                 [--seed N]\n",
	      stderr);
	exit(2);
}

static void parse_args(struct gen *g, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--proc"))
			g->proc = true;
		else if (!strcmp(a, "--abstime"))
			g->abstime = true;
		else if (!strcmp(a, "--function"))
			g->function = true;
		else if (!strcmp(a, "--block"))
			g->block = true;
		else if (!v)
			usage();
		else if (!strcmp(a, "--bytes") && ++i)
			g->max_bytes = strtoull(v, NULL, 0), g->max_calls = 0;
		else if (!strcmp(a, "--calls") && ++i)
			g->max_calls = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--cpus") && ++i)
			g->cpus = atoi(v);
		else if (!strcmp(a, "--threads") && ++i)
			g->threads = atoi(v);
		else if (!strcmp(a, "--functions") && ++i)
			g->functions = atoi(v);
		else if (!strcmp(a, "--max-depth") && ++i)
			g->max_depth = atoi(v);
		else if (!strcmp(a, "--seed") && ++i)
			g->rng = strtoull(v, NULL, 0) * 2654435761u + 1;
		else
			usage();
	}
	if (g->cpus < 1 || g->cpus > MAX_CPUS || g->threads < g->cpus || g->functions < 1 ||
	    g->max_depth < 1 || g->max_depth > MAX_DEPTH)
		usage();
}

int main(int argc, char **argv)
{
	struct gen g = { .rng = 88172645463325252ULL, .cpus = 2, .threads = 2, .functions = 500,
			 .max_depth = 12, .max_calls = 1000 };
	static char obuf[1 << 20];

	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	parse_args(&g, argc, argv);
	g.tasks = calloc((size_t)g.threads, sizeof(*g.tasks));
	for (int i = 0; i < g.threads; i++) {
		g.tasks[i].tid = g.cpus * (10 + i / g.cpus) + i % g.cpus;
		g.tasks[i].out_us = -1;
	}
	for (int c = 0; c < g.cpus; c++) {
		g.cpu[c].cur = &g.tasks[c];
		g.cpu[c].clock = 1000000000ULL + (uint64_t)c * 777;
	}
	while (!done(&g))
		step(&g, (int)(rnd(&g) % (unsigned)g.cpus));
	for (int c = 0; c < g.cpus; c++)
		while (g.cpu[c].cur->depth)
			leave(&g, c, g.cpu[c].cur);
	/* threads switched out inside calls come back to finish them */
	for (int i = 0; i < g.threads; i++) {
		struct task *t = &g.tasks[i];
		int c = t->tid % g.cpus;
		if (t->depth && t != g.cpu[c].cur)
			switch_to(&g, c, t);
		while (t->depth)
			leave(&g, c, t);
	}
	fflush(stdout);
	fprintf(stderr, "calls=%" PRIu64 "\n", g.calls);
	if (g.block)
		fprintf(stderr, "offcpu_us=%" PRIu64 "\n", g.offcpu_us);
	free(g.tasks);
	return 0;
}
