/* One line of `trace-cmd report` text of a function_graph recording, turned into the same
 * fields as a function_graph line (fgline.h), so the same call stacks (tstack.c) match it:
 *
 *   cpus=2
 *   CPU 0 is empty
 *            myapp-4711  [001]  5012.000201: funcgraph_entry:                   |  g() {
 *            myapp-4711  [001]  5012.000203: funcgraph_entry:        0.412 us   |    f();
 *            myapp-4711  [001]  5012.000230: funcgraph_exit:       + 29.001 us  |  }
 *
 * Every event line carries its task (tid, comm), CPU and timestamp; the latency columns
 * ("d..1.") may follow the CPU. Pure: no state between lines. trace-cmd report of the
 * function tracer ("function:  f <-- parent") is read by fnline.c. */
#ifndef TOOLS_LIB_TCMDLINE_H
#define TOOLS_LIB_TCMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "tools/lib/fgline.h"

/* Splits line s[0..n). Preamble lines ("cpus=N", "version = N", "CPU N is empty") are
 * FGL_HEADER; events other than funcgraph_entry/exit are FGL_COMMENT (ignored, like
 * events in function_graph text); the rest as fgl_parse would split it. */
void tcl_parse(const char *s, size_t n, struct fgl *out);

/* True for a funcgraph_entry/exit event line: the line that tells a file is trace-cmd
 * report of function_graph (its preamble does not: trace-cmd records other tracers too). */
bool tcl_is_tcmd(const char *s, size_t n);

/* True for "cpus=N", "version = N" and "CPU N is empty". */
bool tcl_is_preamble(const char *s, size_t n);

#endif
