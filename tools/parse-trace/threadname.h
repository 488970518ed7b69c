/* The name every parse-trace export gives a thread: "comm-tid" as Linux's proc column prints
 * it, "tid-N" when the trace named no task for N, "unknown thread" for tid -1. */
#ifndef TOOLS_PARSE_TRACE_THREADNAME_H
#define TOOLS_PARSE_TRACE_THREADNAME_H

#include <stddef.h>
#include <stdint.h>

#include "tools/lib/tparse.h"

#define THREAD_NAME_MAX 128

/* Exports that need a non-negative id for a thread the trace does not name give it one per
 * CPU above Linux's PID_MAX_LIMIT (4194304): UNKNOWN_TID_BASE + CPU. */
#define UNKNOWN_TID_BASE 4194304

/* Writes the name into buf (THREAD_NAME_MAX bytes; long task names are cut). */
void thread_name(const struct tparse *tp, int64_t tid, char buf[THREAD_NAME_MAX]);

#endif
