/* The trace printer: turns per-CPU record streams into Linux's `function_graph` and
 * `function` text (../shared/spec/ftrace-format.md), merged across CPUs by timestamp.
 *
 * The printer reads events through a small source interface (struct out_source) so it
 * does not depend on how the ring buffer stores them: tracefs feeds it from the rings,
 * the unit tests from arrays. It never builds the whole text: out_read() formats one
 * event at a time as the reader pulls bytes. Not reentrant; one printer per reader. */
#ifndef TRACE_OUTPUT_H
#define TRACE_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "trace/codec.h"

#define OUT_MAX_CPUS 16     /* CPUs a printer can merge */
#define OUT_MAX_DEPTH 256   /* REC_ENTRY depth is 8 bits */
#define OUT_TEXT_MAX 4096   /* longest marker text printed; the rest is cut */
#define OUT_SYM_MAX 256     /* longest symbol printed */
#define OUT_EMIT_MAX 8192   /* most bytes one event can produce (all caps included) */
#define OUT_LINE_MAX 2048   /* most bytes any event but a marker (REC_TEXT) produces */

/* Print options, as set through trace_options. */
#define OUT_OPT_TAIL		(1u << 0)  /* funcgraph-tail */
#define OUT_OPT_ABSTIME		(1u << 1)  /* funcgraph-abstime */
#define OUT_OPT_PROC		(1u << 2)  /* funcgraph-proc */
#define OUT_OPT_IRQS		(1u << 3)  /* funcgraph-irqs */
#define OUT_OPT_OVERHEAD	(1u << 4)  /* funcgraph-overhead */
#define OUT_OPT_DURATION	(1u << 5)  /* funcgraph-duration */
#define OUT_OPT_CPU		(1u << 6)  /* funcgraph-cpu */
#define OUT_OPT_CONTEXT		(1u << 7)  /* context-info */
#define OUT_OPT_PARENT		(1u << 8)  /* print-parent */
#define OUT_OPT_IRQ_INFO	(1u << 9)  /* irq-info */
#define OUT_OPT_DEFAULT (OUT_OPT_IRQS | OUT_OPT_OVERHEAD | OUT_OPT_DURATION | OUT_OPT_CPU | \
			 OUT_OPT_CONTEXT | OUT_OPT_PARENT | OUT_OPT_IRQ_INFO)

/* The print options trace_options currently shows (OUT_OPT_DEFAULT at boot). */
extern unsigned out_options;

enum out_tracer { OUT_NOP, OUT_FUNCTION, OUT_GRAPH };

/* One event of one CPU as a source hands it to the printer. */
struct out_event {
	struct trace_rec rec;  /* REC_NONE: no event, only `lost` (events lost at the end) */
	uint64_t ts;           /* the full TSC (rec holds its low 48 bits) */
	uint64_t lost;         /* events this CPU lost just before this one; OUT_LOST_UNKNOWN */
	const char *text;      /* REC_TEXT: the text, valid until the next fill(); not terminated */
	unsigned text_len;
};
#define OUT_LOST_UNKNOWN (~0ull) /* printed as `CPU:N [LOST EVENTS]` */

/* Where events come from: runs of decoded events per CPU, so that the printer's cost per
 * event is a pointer increment, not a call (a call per event was a third of the host's
 * formatting time, and costs more under QEMU TCG).
 * fill() hands out the CPU's next run: *evs points to n >= 1 events, oldest first, that
 * stay valid and unchanged until the next fill() of that CPU; it returns n, or 0 when the
 * CPU has none now (a live source may have more later). The printer calls it only once
 * every event of the previous run was reported consumed.
 * consume() reports that the printer is done with the next n events of the current run
 * (n >= 1; the rest stay valid). The printer reports them when a run is used up and at
 * the end of each out_read(), so between reads a destructive source knows exactly what was
 * printed. A source for which consuming has no effect outside it (a snapshot, a file) may
 * move past a run as it hands it out, and ignore consume(); one that frees what is
 * consumed (trace_pipe) hands out runs it can free in part, or of one event. */
struct out_source {
	unsigned (*fill)(void *ctx, unsigned cpu, const struct out_event **evs);
	void (*consume)(void *ctx, unsigned cpu, unsigned n);
	void *ctx;
};

struct out_config {
	enum out_tracer tracer;
	unsigned opts;       /* OUT_OPT_* */
	bool header;         /* `trace` prints a header, `trace_pipe` does not */
	uint32_t cpus;       /* bit mask of the CPUs to print (per_cpu files: one bit) */
	unsigned ncpus;      /* CPUs in the system (<= OUT_MAX_CPUS): column width, `#P:` */
	uint64_t clock_hz;   /* TSC ticks per second */
	/* The header's counts: events in the buffer, and those plus the events lost. The
	 * function_graph header shows them only when something was lost. */
	uint64_t entries;
	uint64_t written;
	const char *stopped; /* why the tracer stopped itself (trace_stopped_reason()) */
	const char *note;    /* more header lines ("# ...\n"), at most OUT_NOTE_MAX bytes */
};
#define OUT_NOTE_MAX 512

struct out_cpu_state {
	int last_tid;      /* tid of the last printed event, -1 before the first */
	int depth;         /* depth for comment indentation, as Linux's cpu_data->depth */
	int depth_irq;     /* with funcgraph-irqs off: depth of the hidden irq entry, or -1 */
	uint32_t enter_funcs[OUT_MAX_DEPTH]; /* open `func() {` per depth, 0 if none */
	uint8_t enter_irq[OUT_MAX_DEPTH];    /* that entry was an irq entry */
	/* The current run (struct out_source): [ev, end) is still to print, [run, ev) was
	 * printed but not reported consumed yet. out_printer.have has this CPU's bit while
	 * ev < end. */
	const struct out_event *run, *ev, *end;
	/* A call's entry that was the last of its run, copied while the next run is fetched
	 * to see whether the return follows (a leaf). */
	struct out_event spare;
	int proc_tid;                        /* proc[] caches this tid's formatted name */
	uint8_t proc_len;
	char proc[40];
};

struct out_sym_cache {
	uint32_t addr;
	uint16_t len;
	const char *name;
};

#define OUT_SYM_CACHE 512

struct out_printer {
	struct out_config cfg;
	struct out_source src;
	uint32_t have;       /* CPUs with events left in their run (cpu[].ev < cpu[].end) */
	/* The merge's turn: while every CPU has its next event in hand, CPU `turn` stays the
	 * oldest as long as its next event is older than `until` (or as old, if `tie`: it is
	 * the lower CPU), the oldest next event of the other CPUs. -1: no turn. */
	int turn;
	bool tie;
	uint64_t until;
	unsigned cpu_width;
	char cpu_col[OUT_MAX_CPUS][16]; /* " %*d) " of each CPU */
	bool header_done;
	struct out_cpu_state cpu[OUT_MAX_CPUS];
	struct out_sym_cache syms[OUT_SYM_CACHE];
	uint64_t sec_start, sec_end, sec; /* abstime cache: TSC range of the current second */
	uint64_t hz_inv;                  /* floor((2^64 - 1) / clock_hz) */
	size_t stage_off, stage_len;
	char stage[OUT_EMIT_MAX];
};

/* Sets up a printer; cfg and src are copied. The printer points into itself: it must
 * not be moved or copied after this. */
void out_init(struct out_printer *p, const struct out_config *cfg, const struct out_source *src);

/* Formats the next events into buf, up to len bytes; a line may be split between calls.
 * Returns the bytes written, 0 when the source has nothing more now. Bytes of buf past
 * the returned count (and before len) may be overwritten. */
size_t out_read(struct out_printer *p, char *buf, size_t len);

/* True if no formatted byte is waiting inside the printer. */
static inline bool out_drained(const struct out_printer *p)
{
	return p->stage_off == p->stage_len;
}

/* Formatting helpers shared with tracefs and the panic dump: each writes at p and returns
 * the end. No terminating NUL. */
char *out_put_u64(char *p, uint64_t v);
char *out_put_str(char *p, const char *s);

#endif
