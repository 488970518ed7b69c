/* Output formats of parse-trace: each gets every row that passed the filters, in the order
 * calls complete, then one end() call after the last input file. */
#ifndef TOOLS_PARSE_TRACE_EMIT_H
#define TOOLS_PARSE_TRACE_EMIT_H

#include <stdbool.h>

#include "tools/lib/output.h"
#include "tools/lib/symtab.h"
#include "tools/lib/tparse.h"

/* What weighs a path in folded stacks (--time): a call's self time on the CPU (less the
 * time its thread was switched out while it was the innermost call), all of it, or only
 * that waiting (an off-CPU flame graph). Without switch information the first two agree. */
enum emit_weight { WEIGHT_CPU, WEIGHT_WALL, WEIGHT_OFF,
	/* profile events only: bytes allocated, still live at the end, sent and received */
	WEIGHT_ALLOC, WEIGHT_LIVE, WEIGHT_NET };

/* A call's self time in ns by that split (the folded and pprof weights): waiting is
 * off_self_ns, what the trace cannot tell counts as none; 0 without durations. Less
 * self_cut_ns (--overhead): then negative at times, a sum's term; sums are clamped at 0. */
static inline int64_t row_self_ns(enum emit_weight w, const struct tp_row *r)
{
	int64_t off = r->off_self_ns > 0 ? r->off_self_ns : 0;

	if (r->self_ns < 0)
		return 0;
	if (w == WEIGHT_WALL)
		return r->self_ns - r->self_cut_ns;
	if (w == WEIGHT_OFF)
		return off;
	if (w > WEIGHT_OFF)
		return 0;
	return (r->self_ns > off ? r->self_ns - off : 0) - r->self_cut_ns;
}

struct emit {
	struct output *out;
	enum emit_weight weight;	/* folded only */
	const char *path;	/* -o FILE, for formats that write the file themselves (sqlite) */
	const struct symtab *st;
	struct tparse *tp;	/* for thread names and calling-context nodes */
	void *priv;
	struct sq_spans *spans;	/* sqlite: app spans read before the database starts */
	bool quiet;		/* -q: no warnings */
	unsigned cpu_util_hz;	/* perfetto: utilisation counters per 1/hz s, 0 none */
	void (*row)(struct emit *e, const struct tp_row *r);
	void (*hit)(struct emit *e, const struct tp_hit *h);	/* emit_hits_init only */
	void (*sw)(struct emit *e, const struct tp_switch *s);	/* optional: context switches */
	void (*sample)(struct emit *e, const struct tp_sample *s);	/* optional: profile events */
	/* optional: after each file that was a trace, with its counters */
	void (*file)(struct emit *e, const char *name, const struct tp_stats *s,
		     enum tp_format fmt);
	void (*end)(struct emit *e);
};

/* Set up e->row/e->end (and e->priv) for one format. */
void emit_csv_init(struct emit *e);
void emit_chrome_init(struct emit *e);
void emit_folded_init(struct emit *e);	/* needs tparse_cfg.paths */
void emit_pprof_init(struct emit *e);	/* needs tparse_cfg.paths; binary (gzip) */
void emit_sqlite_init(struct emit *e);	/* writes e->path itself */
/* The sqlite export's app spans, fed by the returned sink: set up before parsing starts
 * (emit_sqlite_spans.c). */
struct tl_sink;
const struct tl_sink *emit_sqlite_spans_init(struct emit *e);
void emit_hits_init(struct emit *e);	/* function tracer hits, CSV (emit_hits.c) */
struct samples;
/* The pprof profile of profile events (emit_pprof_samples.c); 0 or -1. */
int emit_pprof_samples(struct emit *e, const struct samples *s);
/* Perfetto protobuf, fed by the returned timeline sink rather than rows; set up before
 * parsing starts; zstd: packets in zstd_compressed_packets (emit_perfetto.c). */
struct tl_sink;
const struct tl_sink *emit_perfetto_init(struct emit *e, bool zstd);
/* trace-cmd trace.dat, fed the same way (emit_tracedat.c). */
const struct tl_sink *emit_tracedat_init(struct emit *e);
/* The threads' lifecycle and scheduling events as JSON lines, one object per event or
 * with by_thread one per thread (emit_lifecycle.c); a Mermaid Gantt chart of the threads,
 * with top_calls their longest top-level calls (emit_mermaid.c). */
const struct tl_sink *emit_lifecycle_init(struct emit *e, bool by_thread);
const struct tl_sink *emit_mermaid_init(struct emit *e, bool top_calls);

#endif
