/* A map from 64-bit keys to nonzero 32-bit values (typically index + 1 into an array the
 * caller owns): open addressing, linear probing, grows at half full. A key and its value
 * share a slot, so a lookup is one cache line. */
#ifndef TOOLS_LIB_UMAP_H
#define TOOLS_LIB_UMAP_H

#include <stddef.h>
#include <stdint.h>

struct umap_slot {
	uint64_t key;
	uint32_t val;	/* 0 = empty slot */
};

struct umap {
	struct umap_slot *s;
	size_t n, cap;
};

void umap_init(struct umap *m);
void umap_free(struct umap *m);
/* The value for key, or 0. */
uint32_t umap_get(const struct umap *m, uint64_t key);
/* Sets key to val (nonzero). */
void umap_put(struct umap *m, uint64_t key, uint32_t val);

#endif
