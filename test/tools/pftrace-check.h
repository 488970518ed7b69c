/* What the two parts of pftrace-check share: pftrace-check.c reads packets, tracks, slices
 * and names; pftrace-profile.c the profiling tables and PerfSamples. */
#ifndef TEST_TOOLS_PFTRACE_CHECK_H
#define TEST_TOOLS_PFTRACE_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_IID 1000000

struct span {
	const uint8_t *p, *e;
};

struct open_slice;

struct track {
	uint64_t uuid;
	char name[128];
	struct open_slice *stack;	/* MAX_DEPTH entries */
	int depth;
	uint64_t last_ts;
	uint32_t seq;		/* sequence of its events, 0 until the first */
	bool counter, percent;	/* a counter track; its unit_name is "%" */
	bool thread;		/* a thread's track, with pid and tid */
	uint64_t pid, tid;
};

/* InternedData's profiling tables of one sequence, since its last CLEARED */
struct callstack {
	uint64_t *frames;	/* frame iids, bottom first; NULL: not defined */
	size_t n;
};

struct prof_tables {
	char **fnames;		/* function_names: iid -> name */
	size_t nfnames;
	uint64_t *frames;	/* frames: iid -> function name iid, 0 undefined */
	size_t nframes;
	struct callstack *stacks;	/* callstacks by iid */
	size_t nstacks;
	char **mpaths;		/* mapping_paths: iid -> path */
	size_t nmpaths;
	bool *mappings;		/* mappings: iid -> defined */
	size_t nmappings;
};

extern struct track tracks[];
extern size_t ntracks;
extern uint64_t nsamples;
extern bool opt_samples;	/* print every sample */

/* A problem, "FILE: packet N: reason" (the first 20 are printed). */
void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The next field: number, wire type, varint value or length-delimited body. */
bool field(struct span *s, unsigned *num, unsigned *wt, uint64_t *v, struct span *body);
#define FOR_FIELDS(sp, num, wt, v, body) \
	for (unsigned num, wt; (sp).p < (sp).e && \
	     (field(&(sp), &num, &wt, &v, &body) || (fail("malformed field"), (sp).p = (sp).e, 0));)
void copy_str(char *dst, size_t n, struct span s);
/* (*table)[iid] = name, the table grown as needed. */
void define_string(char ***table, size_t *n, uint64_t iid, struct span name);

/* pftrace-profile.c: Mapping, Frame and Callstack entries, a PerfSample, a cleared
 * sequence */
void prof_mapping(struct prof_tables *q, struct span s);
void prof_frame(struct prof_tables *q, struct span s);
void prof_callstack(struct prof_tables *q, struct span s);
void prof_sample(const struct prof_tables *q, struct span s, uint64_t ts);
void prof_clear(struct prof_tables *q);

#endif
