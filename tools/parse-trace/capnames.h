/* Thread names from a capture file's thread table (capnames.c). */
#ifndef TOOLS_PARSE_TRACE_CAPNAMES_H
#define TOOLS_PARSE_TRACE_CAPNAMES_H

#include "tools/lib/timeline.h"

/* Tells sink the name of every thread in path's table, if path is a capture file; before
 * the file is parsed, so that the table's names come first. */
void capture_thread_names(const char *path, const struct tl_sink *sink);

#endif
