/* A pprof profile (perftools.profiles.Profile, ../shared/spec/pprof.md) assembled from
 * samples that are already aggregated: each is a stack of function ids, one value per sample
 * type, and the thread and CPU as labels. It does not care where the samples come from:
 * emit_pprof.c feeds it function_graph calls (self time on their call path); a reader of
 * capture files can feed it stack samples the same way.
 *
 * Encoded with protobuf-c from tools/parse-trace/profile.proto, gzip-compressed with zlib.
 * Samples are encoded and compressed as they are added (protobuf allows a message's fields
 * in any order), so memory holds the names and frames, not the samples. */
#ifndef TOOLS_PARSE_TRACE_PPROF_H
#define TOOLS_PARSE_TRACE_PPROF_H

#include <stddef.h>
#include <stdint.h>

#include "tools/lib/output.h"
#include "tools/lib/symtab.h"

#define PPROF_MAX_TYPES 8

struct pprof_type {
	const char *type, *unit;	/* e.g. "time", "nanoseconds" */
};

struct pprof;

/* Function names come from funcs (ids as in the stacks); the compressed profile goes to
 * out, starting at the first sample. */
struct pprof *pprof_new(const struct symtab *funcs, const struct pprof_type *types,
			size_t ntypes, struct output *out);
void pprof_free(struct pprof *p);

/* The value pprof shows unless told otherwise (default: the last type). */
void pprof_default_type(struct pprof *p, const char *type);
/* Free text pprof shows with the profile (-comments). */
void pprof_comment(struct pprof *p, const char *text);
/* Time the profile covers, when known. */
void pprof_duration(struct pprof *p, int64_t ns);

/* One sample: stack[0] is the leaf, stack[n - 1] the root; id 0 is a frame whose function
 * the source does not know ("[unknown]"). values has one entry per type. thread is the
 * "thread" label; cpu < 0 gives no "cpu" label. */
void pprof_sample(struct pprof *p, const uint32_t *stack, size_t n, const int64_t *values,
		  const char *thread, int cpu);

/* Writes the rest of the profile (types, frames, strings) and ends the gzip stream;
 * returns 0, or -1 after printing why. */
int pprof_finish(struct pprof *p);

#endif
