/* The trace.dat file (version 6, little-endian, 8-byte longs, 4096-byte pages): headers,
 * event formats, kallsyms, saved cmdlines, the flyrecord index and each CPU's pages
 * (../shared/spec/trace-dat.md sections 1, 4 and 5). */
#ifndef TOOLS_PARSE_TRACE_TDAT_FILE_H
#define TOOLS_PARSE_TRACE_TDAT_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "tools/lib/output.h"
#include "tools/lib/symtab.h"
#include "tools/parse-trace/tdat_pages.h"

/* Event ids: the kernel's enum trace_type for the ftrace events; any free id for sched. */
#define TDAT_ID_PRINT 5
#define TDAT_ID_FUNCGRAPH_EXIT 10
#define TDAT_ID_FUNCGRAPH_ENTRY 11
#define TDAT_ID_SCHED_SWITCH 316
#define TDAT_ID_SCHED_WAKEUP 317

/* The address trace.dat gives function id: kallsyms lists one symbol every 16 bytes. */
static inline uint64_t tdat_func_addr(uint32_t func)
{
	return 0xffffffff81000000ULL + (uint64_t)func * 16;
}

/* The ip of markers: kallsyms names it tracing_mark_write, as Linux's print events say. */
#define TDAT_MARKER_IP 0xffffffff81000000ULL

/* Writes the whole file: st's functions as kallsyms, cmdlines ("pid comm\n" lines), then
 * the pages of cpus[0..ncpus) (tdat_finish done; NULL: a CPU without data). Returns -1 on
 * an I/O error (printed). */
int tdat_write_file(struct output *out, const struct symtab *st, const char *cmdlines,
		    size_t cmdlines_len, struct tdat_cpu *const *cpus, size_t ncpus);

#endif
