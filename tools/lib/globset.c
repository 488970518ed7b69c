#include "tools/lib/globset.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/xalloc.h"

void globset_add(struct globset *g, const char *glob)
{
	xgrow((void **)&g->globs, &g->cap, g->n + 1, sizeof(*g->globs));
	g->globs[g->n++] = xstrndup(glob, strlen(glob));
	globset_reset_cache(g);
}

static bool match_any(const struct globset *g, const char *name)
{
	for (size_t i = 0; i < g->n; i++)
		if (fnmatch(g->globs[i], name, 0) == 0)
			return true;
	return false;
}

bool globset_match(struct globset *g, const struct symtab *st, uint32_t id)
{
	if (!g->n)
		return false;
	if (id >= g->ncache) {
		size_t old = g->ncache;
		xgrow((void **)&g->cache, &g->ncache, (size_t)id + 1, 1);
		memset(g->cache + old, 0, g->ncache - old);
	}
	if (!g->cache[id])
		g->cache[id] = match_any(g, symtab_name(st, id)) ? 1 : 2;
	return g->cache[id] == 1;
}

void globset_reset_cache(struct globset *g)
{
	if (g->cache)
		memset(g->cache, 0, g->ncache);
}

void globset_free(struct globset *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->globs[i]);
	free(g->globs);
	free(g->cache);
	memset(g, 0, sizeof(*g));
}
