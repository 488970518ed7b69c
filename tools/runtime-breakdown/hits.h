/* Hit counts of function tracer input (parse-trace's function,tid,cpu,timestamp_us,parent
 * CSV or the raw text): per function and per caller -> callee pair, like the Hit column of
 * Linux's function profiler (trace_stat/function*). The function tracer records entries
 * only, so there are no times to add up. Memory: one counter per distinct key. */
#ifndef TOOLS_RB_HITS_H
#define TOOLS_RB_HITS_H

#include <stdint.h>
#include <stdio.h>

#include "tools/lib/symtab.h"
#include "tools/lib/umap.h"

struct hit_count {
	uint64_t key;		/* callee, or caller << 32 | callee (caller 0: not printed) */
	uint64_t hits;
};

struct hit_table {
	struct umap map;	/* key -> index + 1 */
	struct hit_count *c;
	size_t n, cap;
};

struct hits {
	struct hit_table funcs, pairs;
	uint64_t total;
};

void hits_init(struct hits *h);
void hits_add(struct hits *h, uint32_t func, uint32_t parent);
/* Both tables, most hits first (ties by name), top rows each (0 = all): as text, or with
 * csv as two CSV tables "function,hits" and "caller,callee,hits" with an empty line
 * between them. */
void hits_print(FILE *f, const struct hits *h, const struct symtab *st, size_t top, int csv);
void hits_free(struct hits *h);

#endif
