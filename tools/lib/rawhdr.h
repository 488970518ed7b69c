/* The guest's /ftrace/raw_header (docs/capture-format.md): `key value` lines describing
 * a raw trace stream: clock, kernel text base, CPUs, tracer and print options, per-CPU
 * loss counts, the symbol table and the thread table. Parsed with every number and count
 * checked: the text comes from the network or a file. */
#ifndef TOOLS_LIB_RAWHDR_H
#define TOOLS_LIB_RAWHDR_H

#include <stddef.h>
#include <stdint.h>

#define RAWHDR_MAX_CPUS 16	/* trace/output.h's OUT_MAX_CPUS */
#define RAWHDR_MAX_SYMS (1u << 22)	/* codec function offsets have 22 bits */
#define RAWHDR_MAX_THREADS 4096	/* codec tids have 12 bits */
#define RAWHDR_MAX_THREAD_LINES (1u << 22)	/* every thread: reused tids repeat */

struct rawhdr_sym {
	uint64_t addr, size;
	const char *name;
};

struct rawhdr_thread {
	unsigned tid;
	uint64_t created, exited;	/* TSC; exited UINT64_MAX while alive */
	const char *name;
};

/* A stack id's frames (the `stacks` section: "ID DEPTH PC..." lines, hex, innermost
 * first), the guest's stack table (trace/stackid.h). */
struct rawhdr_stack {
	uint32_t id, n;
	uint32_t *pcs;
};

#define RAWHDR_MAX_STACKS (1u << 20)
#define RAWHDR_MAX_FRAMES 64

/* lost and overrun: since the guest's buffers were allocated (as W_LOST totals count);
 * *_at_clear: their values at the last clear (0 if the header does not say), so that
 * lost - lost_at_clear is the count since the clear, as the text header counts. */
struct rawhdr_cpu {
	uint64_t lost, overrun, seq, lost_at_clear, overrun_at_clear;
};

struct rawhdr {
	unsigned version;
	uint64_t tsc_hz, tsc_boot, text_base, buffer_bytes, block_bytes;
	unsigned cpus;
	char tracer[32];	/* "function", "function_graph", "nop" */
	unsigned opts;		/* OUT_OPT_* from the trace_options line */
	/* Optional lines for the text header's notes: "untraced R O A" (calls the hooks left
	 * untraced: recursion, overflow, abandoned) and "stopped REASON" (why the tracer
	 * stopped itself). */
	uint64_t untraced[3];
	const char *stopped;
	struct rawhdr_cpu cpu[RAWHDR_MAX_CPUS];
	size_t nsyms, nthreads;
	struct rawhdr_sym *syms;	/* sorted by addr */
	/* The profiler: its frequency, samples taken and lost per CPU, the stack table
	 * (sorted by id). Absent from older guests: all 0. */
	uint64_t profile_hz;
	uint64_t samples[RAWHDR_MAX_CPUS], samples_lost[RAWHDR_MAX_CPUS];
	size_t nstacks;
	struct rawhdr_stack *stacks;
	struct rawhdr_thread *threads;	/* as listed */
	struct rawhdr_thread *by_tid;	/* sorted by tid, then creation time */
	uint32_t *tid_start;		/* by_tid[tid_start[t] .. tid_start[t + 1]): tid t */
	char *text;		/* a copy of the text: names point into it */
};

/* Parses len bytes of header text into *h. Returns 0, or -1 with "line N: reason" in
 * err (errlen bytes). */
int rawhdr_parse(struct rawhdr *h, const char *text, size_t len, char *err, size_t errlen);
void rawhdr_free(struct rawhdr *h);

/* The name of the symbol containing addr, NULL if none; *off its offset. */
const char *rawhdr_symbol(const struct rawhdr *h, uint64_t addr, uint64_t *off);
/* The name of thread tid, NULL if not in the table: of the thread that had tid at TSC ts
 * (the newest created at or before ts; before any, the first), so a reused tid is named
 * right at any time. rawhdr_comm(): tid's newest thread. */
const char *rawhdr_comm_at(const struct rawhdr *h, unsigned tid, uint64_t ts);
/* The frames of stack id, NULL if the table does not have it. */
const uint32_t *rawhdr_stack(const struct rawhdr *h, uint32_t id, unsigned *n);
/* The name of thread tid, NULL if not in the table. */
const char *rawhdr_comm(const struct rawhdr *h, unsigned tid);

#endif
