/* A map from 64-bit keys to nonzero 32-bit values (typically index + 1 into an array the
 * caller owns): open addressing, linear probing, grows at half full. */
#ifndef TOOLS_LIB_UMAP_H
#define TOOLS_LIB_UMAP_H

#include <stddef.h>
#include <stdint.h>

struct umap {
	uint64_t *keys;
	uint32_t *vals;	/* 0 = empty slot */
	size_t n, cap;
};

void umap_init(struct umap *m);
void umap_free(struct umap *m);
/* The value for key, or 0. */
uint32_t umap_get(const struct umap *m, uint64_t key);
/* Sets key to val (nonzero). */
void umap_put(struct umap *m, uint64_t key, uint32_t val);

#endif
