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
	char note[OUT_NOTE_MAX];
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

/* The printer asks with the event's time: the thread that had tid then (overrides the
 * printer's weak default, which names tid's newest thread). Without a capture's header,
 * whatever trace_env_comm() says. */
const char *trace_env_comm_at(unsigned tid, uint64_t ts)
{
	const char *name;

	if (!names)
		return trace_env_comm(tid);
	name = rawhdr_comm_at(names, tid, ts);
	return name ? name : "<...>";
}

/* Stack ids: the capture's table (raw header `stacks`), else the `stack` events the
 * printer met in the stream (a capture whose header predates the stack). */
static struct {
	uint32_t *pcs;	/* STACK_SLOTS frames per id */
	uint8_t *n;
	size_t cap;	/* ids */
} defined;
#define STACK_SLOTS 64

const uint32_t *trace_env_stack_frames(uint32_t id, unsigned *n)
{
	const uint32_t *pcs = names ? rawhdr_stack(names, id, n) : NULL;

	if (pcs)
		return pcs;
	if (id >= defined.cap || !defined.n[id])
		return NULL;
	*n = defined.n[id];
	return &defined.pcs[(size_t)id * STACK_SLOTS];
}

void trace_env_stack_define(uint32_t id, const uint32_t *pcs, unsigned n)
{
	if (!n || n > STACK_SLOTS || id > (1u << 24))
		return;
	if (id >= defined.cap) {
		size_t cap = defined.cap ? defined.cap : 256;

		while (cap <= id)
			cap *= 2;
		defined.pcs = xrealloc(defined.pcs, cap * STACK_SLOTS * sizeof(*defined.pcs));
		defined.n = xrealloc(defined.n, cap);
		memset(defined.n + defined.cap, 0, cap - defined.cap);
		defined.cap = cap;
	}
	memcpy(&defined.pcs[(size_t)id * STACK_SLOTS], pcs, n * sizeof(*pcs));
	defined.n[id] = (uint8_t)n;
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
	int r = 0;

	if (!c)
		return -1;
	memset(events, 0, RAWHDR_MAX_CPUS * sizeof(*events));
	if (capture_end_counts(c, events)) {	/* glass record counted them */
		capture_close(c);
		return 0;
	}
	d = xmalloc(sizeof(*d));
	capdec_init(d, c);
	capdec_count(d);
	for (unsigned cpu = 0; cpu < RAWHDR_MAX_CPUS; cpu++)
		events[cpu] = d->cpu[cpu].events;
	if (d->failed)
		r = -1;
	capdec_free(d);
	free(d);
	capture_close(c);
	return r;
}

/* All CPUs' events of capture c (opened from path), -1 on bad input. */
static int64_t count_events(const struct capture *c, const char *path)
{
	uint64_t events[RAWHDR_MAX_CPUS] = { 0 };
	int64_t n = 0;

	if (!capture_end_counts(c, events) && captext_count(path, events))
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
	struct out_source src = { capdec_fill, capdec_consume, NULL };
	uint64_t lost = 0;
	int64_t events = 0;

	t = xcalloc(1, sizeof(*t));
	t->cap = capture_open(path);
	if (!t->cap) {
		free(t);
		return NULL;
	}
	h = capture_header(t->cap);
	for (unsigned cpu = 0; cpu < h->cpus; cpu++)
		lost += h->cpu[cpu].lost - h->cpu[cpu].lost_at_clear + h->cpu[cpu].overrun -
			h->cpu[cpu].overrun_at_clear; /* since the clear, as the guest's header */
	/* Only the function tracer's header, or function_graph's after losses, shows the
	 * count: from the trailer of a plain capture of glass record, else a first pass over
	 * the frames (which costs about as much as the printing). stdin cannot be read
	 * twice: its header says 0 entries. */
	if ((tracer_of(h->tracer) != OUT_GRAPH || lost) && strcmp(path, "-"))
		events = count_events(t->cap, path);
	if (events < 0) {
		capture_close(t->cap);
		free(t);
		return NULL;
	}
	names = h;
	capdec_init(&t->dec, t->cap);
	cfg.tracer = tracer_of(h->tracer);
	cfg.opts = h->opts;
	cfg.ncpus = h->cpus;
	cfg.cpus = (uint32_t)((1ull << h->cpus) - 1);
	cfg.clock_hz = h->tsc_hz;
	if (h->untraced[0] || h->untraced[1] || h->untraced[2]) {
		/* tracefs's untraced_note(), from the header's counts */
		snprintf(t->note, sizeof(t->note),
			 "# untraced calls: %llu recursion, %llu overflow, %llu abandoned\n#\n",
			 (unsigned long long)h->untraced[0], (unsigned long long)h->untraced[1],
			 (unsigned long long)h->untraced[2]);
		cfg.note = t->note;
	}
	cfg.stopped = h->stopped;
	cfg.entries = (uint64_t)events;
	cfg.written = cfg.entries + lost;
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
	free(defined.pcs);
	free(defined.n);
	memset(&defined, 0, sizeof(defined));
	capdec_free(&t->dec);
	capture_close(t->cap);
	free(t);
}
