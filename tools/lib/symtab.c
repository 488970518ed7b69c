/* Open addressing over a power-of-two slot array; names live in one growing arena so an
 * intern is a hash, usually one probe and a compare, with no allocation after warm-up.
 * Each slot holds the id and 32 bits of the name's hash, so a probe that meets another
 * name rarely touches that name; the table is kept at most 1/4 full, so probe sequences
 * are short and their branches predictable (interning is on every trace line). */
#include "tools/lib/symtab.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/hash.h"
#include "tools/lib/xalloc.h"

struct sym {
	size_t off;	/* into arena */
	size_t len;
	uint64_t hash;
};

struct symtab {
	struct sym *syms;	/* index = id; syms[0] unused */
	size_t nsyms, cap_syms;
	uint64_t *slots;	/* 0 = empty, else hash >> 32 << 32 | id */
	size_t nslots;
	char *arena;
	size_t arena_len, arena_cap;
};

struct symtab *symtab_new(void)
{
	struct symtab *st = xcalloc(1, sizeof(*st));

	st->nslots = 1024;
	st->slots = xcalloc(st->nslots, sizeof(*st->slots));
	xgrow((void **)&st->syms, &st->cap_syms, 1, sizeof(*st->syms));
	st->nsyms = 1;
	xgrow((void **)&st->arena, &st->arena_cap, 1 + SYMTAB_SLACK, 1);
	st->arena[0] = '\0';
	st->arena_len = 1;
	return st;
}

void symtab_free(struct symtab *st)
{
	if (!st)
		return;
	free(st->syms);
	free(st->slots);
	free(st->arena);
	free(st);
}

/* Names are short: compare 8 bytes at a time inline rather than call memcmp. */
static bool same(const char *a, const char *b, size_t n)
{
	uint64_t x, y;

	for (; n >= 8; a += 8, b += 8, n -= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return false;
	}
	while (n--)
		if (*a++ != *b++)
			return false;
	return true;
}

#define SLOT_HASH(h) ((h) & 0xffffffff00000000ULL)
#define SLOT_ID(v) ((uint32_t)(v))

static size_t probe(const struct symtab *st, const char *name, size_t n, uint64_t h)
{
	size_t mask = st->nslots - 1, i = h & mask;

	for (;;) {
		uint64_t v = st->slots[i];
		if (!v)
			return i;
		if (SLOT_HASH(v) == SLOT_HASH(h)) {
			const struct sym *s = &st->syms[SLOT_ID(v)];
			if (s->len == n && same(st->arena + s->off, name, n))
				return i;
		}
		i = (i + 1) & mask;
	}
}

static void rehash(struct symtab *st)
{
	free(st->slots);
	st->nslots *= 2;
	st->slots = xcalloc(st->nslots, sizeof(*st->slots));
	for (uint32_t id = 1; id < st->nsyms; id++) {
		uint64_t h = st->syms[id].hash;
		size_t i = h & (st->nslots - 1);
		while (st->slots[i])
			i = (i + 1) & (st->nslots - 1);
		st->slots[i] = SLOT_HASH(h) | id;
	}
}

uint32_t symtab_find(const struct symtab *st, const char *name, size_t n)
{
	return SLOT_ID(st->slots[probe(st, name, n, hash_bytes(name, n))]);
}

uint32_t symtab_intern(struct symtab *st, const char *name, size_t n)
{
	uint64_t h = hash_bytes(name, n);
	size_t i = probe(st, name, n, h);

	if (st->slots[i])
		return SLOT_ID(st->slots[i]);
	/* SYMTAB_SLACK spare bytes let readers copy names in whole 16-byte chunks */
	xgrow((void **)&st->arena, &st->arena_cap, st->arena_len + n + 1 + SYMTAB_SLACK, 1);
	memcpy(st->arena + st->arena_len, name, n);
	st->arena[st->arena_len + n] = '\0';
	xgrow((void **)&st->syms, &st->cap_syms, st->nsyms + 1, sizeof(*st->syms));
	st->syms[st->nsyms] = (struct sym){ st->arena_len, n, h };
	st->arena_len += n + 1;
	uint32_t id = (uint32_t)st->nsyms++;
	st->slots[i] = SLOT_HASH(h) | id;
	if (st->nsyms * 4 > st->nslots)
		rehash(st);
	return id;
}

const char *symtab_name(const struct symtab *st, uint32_t id)
{
	return id && id < st->nsyms ? st->arena + st->syms[id].off : "";
}

size_t symtab_len(const struct symtab *st, uint32_t id)
{
	return id && id < st->nsyms ? st->syms[id].len : 0;
}

uint32_t symtab_count(const struct symtab *st)
{
	return (uint32_t)(st->nsyms - 1);
}
