/* A fast non-cryptographic hash for short keys (names, small structs). */
#ifndef TOOLS_LIB_HASH_H
#define TOOLS_LIB_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t hash_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

/* 8 bytes at a time; nothing past p[n - 1] is read. */
static inline uint64_t hash_bytes(const char *p, size_t n)
{
	const char *start = p;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;

	while (n >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
		p += 8;
		n -= 8;
	}
	w = 0;
	if (n && p - start >= 8) {
		/* the last 8 bytes of the key, overlapping bytes already hashed */
		memcpy(&w, p + n - 8, 8);
	} else {
		for (size_t i = 0; i < n; i++)
			w |= (uint64_t)(unsigned char)p[i] << (8 * i);
	}
	return hash_mix(h ^ w);
}

#endif
