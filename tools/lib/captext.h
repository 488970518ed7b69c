/* A capture file as Linux trace text: its frames decoded (capdecode.h) and printed by the
 * kernel's own printer (trace/output.c), with the tracer, options, CPU count and clock of
 * the capture's raw header, so the text is what the guest's /ftrace/trace prints for the
 * same buffer. Read incrementally: memory does not grow with the trace. */
#ifndef TOOLS_LIB_CAPTEXT_H
#define TOOLS_LIB_CAPTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tools/lib/rawhdr.h"

struct captext;

/* Opens a capture file. When the header shows the entries count (the function tracer's
 * always, function_graph's after losses) the file is read twice: first to count its
 * events, as the guest counts a snapshot's before printing it. NULL with the reason
 * printed on stderr. */
struct captext *captext_open(const char *path);
/* Up to len bytes of text; 0 at the end (or after bad input: see captext_failed). */
size_t captext_read(struct captext *t, char *buf, size_t len);
/* True if the capture turned out to be bad (the reason was printed). */
bool captext_failed(const struct captext *t);
void captext_close(struct captext *t);

/* The events (as the header's entries count them: switches are none, a leaf is two) of
 * each CPU of a capture file. 0, or -1 on bad input (reason printed). */
int captext_count(const char *path, uint64_t events[RAWHDR_MAX_CPUS]);

#endif
