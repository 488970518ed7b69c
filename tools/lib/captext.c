/* Capture to text: capdecode's events through trace/output.c. The printer asks its
 * environment (trace/env.h) for symbol and thread names: here they come from the
 * capture's raw header. */
#include "tools/lib/captext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/capdecode.h"
#include "tools/lib/xalloc.h"
#include "trace/env.h"
#include "trace/output.h"

struct captext {
	struct capture *cap;
	struct capdec dec;
	struct out_printer pr;
};

/* The header names come from: the printer has no context argument for its names, and a
 * process formats one capture at a time. */
static const struct rawhdr *names;

/* Weak: a test that drives the printer with names of its own (test/tools/roundtrip.c)
 * links these tools' objects too and overrides them. */
__attribute__((weak)) const char *trace_env_symbol(uint64_t addr, uint64_t *offset)
{
	return names ? rawhdr_symbol(names, addr, offset) : NULL;
}

__attribute__((weak)) const char *trace_env_comm(unsigned tid)
{
	const char *name = names ? rawhdr_comm(names, tid) : NULL;

	return name ? name : "<...>";
}

static enum out_tracer tracer_of(const char *name)
{
	if (!strcmp(name, "function_graph"))
		return OUT_GRAPH;
	return !strcmp(name, "function") ? OUT_FUNCTION : OUT_NOP;
}

int captext_count(const char *path, uint64_t events[RAWHDR_MAX_CPUS])
{
	struct capture *c = capture_open(path);
	struct capdec *d;
	struct out_event ev;
	int r = 0;

	if (!c)
		return -1;
	d = xmalloc(sizeof(*d));
	capdec_init(d, c);
	/* Oldest event first, as the printer merges: frames are then read in about the
	 * order the file has them, and the memory held is the printer's. */
	for (;;) {
		int best = -1;
		uint64_t best_ts = 0;

		for (unsigned cpu = 0; cpu < capture_header(c)->cpus; cpu++)
			if (capdec_peek(d, cpu, &ev) && (best < 0 || ev.ts < best_ts)) {
				best = (int)cpu;
				best_ts = ev.ts;
			}
		if (best < 0)
			break;
		capdec_consume(d, (unsigned)best);
	}
	for (unsigned cpu = 0; cpu < RAWHDR_MAX_CPUS; cpu++)
		events[cpu] = d->cpu[cpu].events;
	if (d->failed)
		r = -1;
	capdec_free(d);
	free(d);
	capture_close(c);
	return r;
}

/* All CPUs' events, -1 on bad input. */
static int64_t count_events(const char *path)
{
	uint64_t events[RAWHDR_MAX_CPUS];
	int64_t n = 0;

	if (captext_count(path, events))
		return -1;
	for (unsigned cpu = 0; cpu < RAWHDR_MAX_CPUS; cpu++)
		n += (int64_t)events[cpu];
	return n;
}

struct captext *captext_open(const char *path)
{
	struct captext *t;
	const struct rawhdr *h;
	struct out_config cfg = { .header = true };
	struct out_source src = { capdec_peek, capdec_consume, NULL };
	int64_t events = strcmp(path, "-") ? count_events(path) : 0;

	if (events < 0)
		return NULL;
	t = xcalloc(1, sizeof(*t));
	t->cap = capture_open(path);
	if (!t->cap) {
		free(t);
		return NULL;
	}
	h = capture_header(t->cap);
	names = h;
	capdec_init(&t->dec, t->cap);
	cfg.tracer = tracer_of(h->tracer);
	cfg.opts = h->opts;
	cfg.ncpus = h->cpus;
	cfg.cpus = (uint32_t)((1ull << h->cpus) - 1);
	cfg.clock_hz = h->tsc_hz;
	cfg.entries = (uint64_t)events;
	cfg.written = cfg.entries;
	for (unsigned cpu = 0; cpu < h->cpus; cpu++)
		cfg.written += h->cpu[cpu].lost + h->cpu[cpu].overrun;
	src.ctx = &t->dec;
	out_init(&t->pr, &cfg, &src);
	return t;
}

size_t captext_read(struct captext *t, char *buf, size_t len)
{
	/* out_read may write past the bytes it returns, up to len: never more */
	return out_read(&t->pr, buf, len);
}

bool captext_failed(const struct captext *t)
{
	return t->dec.failed;
}

void captext_close(struct captext *t)
{
	if (!t)
		return;
	if (names == capture_header(t->cap))
		names = NULL;
	capdec_free(&t->dec);
	capture_close(t->cap);
	free(t);
}
