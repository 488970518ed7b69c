/* How tables, charts and the report name a thread: "comm-tid" as Linux's proc column
 * does, "<...>-tid" when the input never named it, "unknown thread" for tid -1. */
#ifndef TOOLS_RB_THREADNAME_H
#define TOOLS_RB_THREADNAME_H

#include <stddef.h>
#include <stdint.h>

#define THREAD_LABEL_MAX 160

/* Writes the label into buf (THREAD_LABEL_MAX bytes) and returns buf. */
const char *thread_label(char *buf, int64_t tid);

#endif
