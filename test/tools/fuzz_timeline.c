/* libFuzzer target: arbitrary bytes as trace text through the parser's timeline events
 * (tools/lib/timeline.h) into the Perfetto (utilisation counters at 10 or 1000 Hz), trace.dat,
 * lifecycle and mermaid exporters, writing to memory.
 * The wrapper checks the events' contract on the way: calls have a CPU, a depth and (for
 * begins) a function; times are never negative. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/output.h"
#include "tools/lib/timeline.h"
#include "tools/lib/tparse.h"
#include "tools/parse-trace/emit.h"

static const struct tl_sink *inner;

static void check_call(const struct tl_call *c, int is_begin)
{
	if (c->cpu < 0 || c->depth < 0 || c->ts_ns < 0 || c->tid < -1 || (is_begin && !c->func))
		__builtin_trap();
}

static void thread(void *ctx, int64_t tid, const char *comm, size_t n)
{
	(void)ctx;
	inner->thread(inner->ctx, tid, comm, n);
}

static void begin(void *ctx, const struct tl_call *c)
{
	(void)ctx;
	check_call(c, 1);
	inner->begin(inner->ctx, c);
}

static void end(void *ctx, const struct tl_call *c)
{
	(void)ctx;
	check_call(c, 0);
	if (c->begin_ns > c->ts_ns)
		__builtin_trap();
	inner->end(inner->ctx, c);
}

static void marker(void *ctx, const struct tl_call *c, const char *text, size_t n)
{
	(void)ctx;
	check_call(c, 0);
	inner->marker(inner->ctx, c, text, n);
}

static void sched_switch(void *ctx, int cpu, int64_t ts, int64_t prev, int64_t next, char st)
{
	(void)ctx;
	inner->sched_switch(inner->ctx, cpu, ts, prev, next, st);
}

static void lost(void *ctx, int cpu, int64_t count)
{
	(void)ctx;
	inner->lost(inner->ctx, cpu, count);
}

static void input_end(void *ctx)
{
	(void)ctx;
	inner->input_end(inner->ctx);
}

static const struct tl_sink checker = { NULL, thread, begin, end, marker, sched_switch, lost,
					input_end };

/* profile events go to the exporter that takes them (perfetto's CPU samples) */
static void on_sample(void *ctx, const struct tp_sample *t)
{
	struct emit *e = ctx;

	if (e->sample)
		e->sample(e, t);
}

/* kind: 0 perfetto, 1 tracedat, 2 lifecycle, 3 mermaid */
static void run(const uint8_t *data, size_t size, int kind)
{
	struct symtab *st = symtab_new();
	struct emit e = { .out = output_open_mem(), .st = st, .quiet = true,
			  .cpu_util_hz = size & 2 ? 1000 : 10 };
	size_t len;

	inner = kind == 1 ? emit_tracedat_init(&e) :
		kind == 2 ? emit_lifecycle_init(&e, size & 1) :
		kind == 3 ? emit_mermaid_init(&e, size & 1) : emit_perfetto_init(&e, size & 1);
	struct tparse_cfg cfg = { .quiet = true, .timeline = &checker, .sample = on_sample,
				  .ctx = &e };
	struct tparse *tp = tparse_new(st, &cfg);
	const char *p = (const char *)data, *end_p = p + size;

	e.tp = tp;
	tparse_begin(tp, "fuzz");
	while (p < end_p) {
		const char *nl = memchr(p, '\n', (size_t)(end_p - p));
		const char *eol = nl ? nl : end_p;
		if (tparse_line(tp, p, (size_t)(eol - p)))
			break;
		p = eol + 1;
	}
	tparse_end(tp);
	e.end(&e);
	free(output_take(e.out, &len));
	tparse_free(tp);
	symtab_free(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int kind = 0; kind < 4; kind++)
		run(data, size, kind);
	return 0;
}
