#include "tools/lib/umap.h"

#include <stdlib.h>

#include "tools/lib/hash.h"
#include "tools/lib/xalloc.h"

void umap_init(struct umap *m)
{
	m->n = 0;
	m->cap = 64;
	m->s = xcalloc(m->cap, sizeof(*m->s));
}

void umap_free(struct umap *m)
{
	free(m->s);
	m->s = NULL;
	m->n = m->cap = 0;
}

static size_t find(const struct umap *m, uint64_t key)
{
	size_t mask = m->cap - 1, i = hash_mix(key) & mask;

	while (m->s[i].val && m->s[i].key != key)
		i = (i + 1) & mask;
	return i;
}

uint32_t umap_get(const struct umap *m, uint64_t key)
{
	return m->s[find(m, key)].val;
}

static void grow(struct umap *m)
{
	struct umap old = *m;

	m->cap *= 2;
	m->s = xcalloc(m->cap, sizeof(*m->s));
	for (size_t i = 0; i < old.cap; i++)
		if (old.s[i].val)
			m->s[find(m, old.s[i].key)] = old.s[i];
	free(old.s);
}

void umap_put(struct umap *m, uint64_t key, uint32_t val)
{
	size_t i = find(m, key);

	if (!m->s[i].val) {
		if ((m->n + 1) * 2 > m->cap) {
			grow(m);
			i = find(m, key);
		}
		m->n++;
		m->s[i].key = key;
	}
	m->s[i].val = val;
}
