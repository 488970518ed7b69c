#include "tools/lib/umap.h"

#include <stdlib.h>

#include "tools/lib/hash.h"
#include "tools/lib/xalloc.h"

void umap_init(struct umap *m)
{
	m->n = 0;
	m->cap = 64;
	m->keys = xcalloc(m->cap, sizeof(*m->keys));
	m->vals = xcalloc(m->cap, sizeof(*m->vals));
}

void umap_free(struct umap *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
	m->n = m->cap = 0;
}

static size_t find(const struct umap *m, uint64_t key)
{
	size_t mask = m->cap - 1, i = hash_mix(key) & mask;

	while (m->vals[i] && m->keys[i] != key)
		i = (i + 1) & mask;
	return i;
}

uint32_t umap_get(const struct umap *m, uint64_t key)
{
	return m->vals[find(m, key)];
}

static void grow(struct umap *m)
{
	struct umap old = *m;

	m->cap *= 2;
	m->keys = xcalloc(m->cap, sizeof(*m->keys));
	m->vals = xcalloc(m->cap, sizeof(*m->vals));
	for (size_t i = 0; i < old.cap; i++) {
		if (old.vals[i]) {
			size_t j = find(m, old.keys[i]);
			m->keys[j] = old.keys[i];
			m->vals[j] = old.vals[i];
		}
	}
	free(old.keys);
	free(old.vals);
}

void umap_put(struct umap *m, uint64_t key, uint32_t val)
{
	size_t i = find(m, key);

	if (!m->vals[i]) {
		if ((m->n + 1) * 2 > m->cap) {
			grow(m);
			i = find(m, key);
		}
		m->n++;
		m->keys[i] = key;
	}
	m->vals[i] = val;
}
