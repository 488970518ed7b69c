/* A list of shell globs (fnmatch) matched against interned function names, with the answer
 * cached per symtab id so each distinct name is matched once, not once per row. */
#ifndef TOOLS_LIB_GLOBSET_H
#define TOOLS_LIB_GLOBSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tools/lib/symtab.h"

struct globset {
	char **globs;
	size_t n, cap;
	uint8_t *cache;		/* per id: 0 unknown, 1 matches, 2 does not */
	size_t ncache;
};

void globset_add(struct globset *g, const char *glob);
/* Whether any glob matches the name of id (false for an empty set). */
bool globset_match(struct globset *g, const struct symtab *st, uint32_t id);
/* Forgets cached answers (after the globs or the symtab changed). */
void globset_reset_cache(struct globset *g);
void globset_free(struct globset *g);

#endif
