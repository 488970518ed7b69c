/* What test/unit/test_output.c shares with its benchmark (test/unit/output_bench.c): the
 * event streams the printer is fed from, and the stream whose names the printer's
 * environment (trace_env_symbol(), trace_env_comm()) answers with. */
#ifndef TEST_UNIT_TEST_OUTPUT_H
#define TEST_UNIT_TEST_OUTPUT_H

#include "trace/output.h"

#define MAX_SYMS 64
#define MAX_COMMS 16
#define MAX_EVENTS 256

/* ---- a parsed event stream (format: test/golden/trace/events-graph.txt) ---- */

struct stream {
	uint64_t hz, entries, written;
	unsigned ncpus;
	unsigned nsyms, ncomms;
	uint32_t sym_addr[MAX_SYMS];
	char sym_name[MAX_SYMS][64];
	unsigned comm_tid[MAX_COMMS];
	char comm_name[MAX_COMMS][64];
	unsigned nev[OUT_MAX_CPUS];
	struct out_event ev[OUT_MAX_CPUS][MAX_EVENTS];
	char text[OUT_MAX_CPUS][MAX_EVENTS][64];
};

extern struct stream *env_stream;

/* `test_output --bench`: the printer's native speed. */
int output_bench(void);

#endif
