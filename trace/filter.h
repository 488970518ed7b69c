/* Function sets for set_ftrace_filter, set_ftrace_notrace and set_graph_function, with
 * Linux's write syntax: whitespace-separated globs (`foo*`, `*foo`, `*foo*`, `foo*bar`,
 * `?`, `[a-z]`, or an exact name) or line numbers of available_filter_functions (from 1);
 * `!glob` removes; a truncating write (`>`) starts from
 * the empty set, an appending one (`>>`) from the current set; an empty truncating write
 * clears. A glob that matches no function fails the whole write with -EINVAL.
 *
 * A set is a bitmap over the patch sites of trace/patch.h (site i <-> bit i), so every
 * selectable function is a patch site and names come from trace_env_symbol(). Callers
 * serialize all calls (tracefs holds its lock). */
#ifndef TRACE_FILTER_H
#define TRACE_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FILTER_MAX_SITES 16384 /* patch sites beyond this cannot be selected */
#define FILTER_TOKEN_MAX 256   /* longest glob */

struct filter_set {
	unsigned n; /* functions selected */
	uint64_t bits[FILTER_MAX_SITES / 64];
};

extern struct filter_set filter_ftrace;  /* set_ftrace_filter: empty = all functions */
extern struct filter_set filter_notrace; /* set_ftrace_notrace: never these */
extern struct filter_set filter_graph;   /* set_graph_function: empty = all */
extern struct filter_set filter_graph_notrace; /* set_graph_notrace */

/* Linux glob_match(): `*` any run, `?` one character, `[...]` a class (`[!...]` negated,
 * ranges `a-z`); everything else matches itself. The whole name must match. */
bool filter_glob_match(const char *pat, const char *name);

/* Computes into *out the set `old` becomes after writing buf[0..len) (truncate: `>`,
 * else `>>`). Returns 0, or -EINVAL with *why set to a one-line reason, e.g. "no
 * function matches: foo". old and out may not overlap. */
int filter_parse(const struct filter_set *old, struct filter_set *out, const char *buf,
		 size_t len, bool truncate, const char **why);

/* Whether site i / the site at address ip is in the set. */
bool filter_has_site(const struct filter_set *set, size_t i);
bool filter_has_ip(const struct filter_set *set, uint64_t ip);

/* The first selected site index >= from, or (size_t)-1 when there is none. */
size_t filter_next(const struct filter_set *set, size_t from);

/* The patch_apply() callback of the function tracers: ip is traced when set_ftrace_filter
 * is empty or holds it, and set_ftrace_notrace does not. arg is unused. */
bool filter_wanted(uint64_t ip, void *arg);

/* The sites to patch: min(patch_sites(), FILTER_MAX_SITES). */
size_t filter_sites(void);

/* Forgets the cached address order of the patch sites (host tests change the sites). */
void filter_reset_index(void);

#endif
