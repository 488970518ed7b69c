/* Open addressing over a power-of-two slot array; names live in one growing arena so an
 * intern is a hash, usually one probe and a compare, with no allocation after warm-up.
 * Each slot holds 32 bits of the name's hash, its id, length and arena offset: a probe
 * that meets another name rarely touches that name, and a hit goes from the slot straight
 * to the name's bytes. The table is kept at most 1/4 full, so probe sequences are short
 * and their branches predictable (interning is on every trace line and CSV row). */
#include "tools/lib/symtab.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/hash.h"
#include "tools/lib/xalloc.h"

struct sym {
	size_t off;	/* into arena */
	size_t len;
	uint64_t hash;
};

struct slot {
	uint32_t hash;		/* the high half of the name's hash */
	uint32_t id;		/* 0 = empty */
	uint32_t len, off;	/* the name in arena */
};

struct symtab {
	struct sym *syms;	/* index = id; syms[0] unused */
	size_t nsyms, cap_syms;
	struct slot *slots;
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

static struct slot slot_of(const struct symtab *st, uint32_t id)
{
	const struct sym *s = &st->syms[id];

	return (struct slot){ (uint32_t)(s->hash >> 32), id, (uint32_t)s->len,
			      (uint32_t)s->off };
}

static size_t probe(const struct symtab *st, const char *name, size_t n, uint64_t h)
{
	size_t mask = st->nslots - 1, i = h & mask;
	uint32_t hh = (uint32_t)(h >> 32);

	for (;;) {
		const struct slot *v = &st->slots[i];
		if (!v->id)
			return i;
		if (v->hash == hh && v->len == n && same(st->arena + v->off, name, n))
			return i;
		i = (i + 1) & mask;
	}
}

static void rehash(struct symtab *st)
{
	free(st->slots);
	st->nslots *= 2;
	st->slots = xcalloc(st->nslots, sizeof(*st->slots));
	for (uint32_t id = 1; id < st->nsyms; id++) {
		size_t i = st->syms[id].hash & (st->nslots - 1);
		while (st->slots[i].id)
			i = (i + 1) & (st->nslots - 1);
		st->slots[i] = slot_of(st, id);
	}
}

uint32_t symtab_find(const struct symtab *st, const char *name, size_t n)
{
	return st->slots[probe(st, name, n, hash_bytes(name, n))].id;
}

uint32_t symtab_intern(struct symtab *st, const char *name, size_t n)
{
	uint64_t h = hash_bytes(name, n);
	size_t i = probe(st, name, n, h);

	if (st->slots[i].id)
		return st->slots[i].id;
	if (st->arena_len + n >= UINT32_MAX) {	/* 4 GB of distinct names */
		fputs("too many distinct names\n", stderr);
		exit(1);
	}
	/* SYMTAB_SLACK spare bytes let readers copy names in whole 16-byte chunks */
	xgrow((void **)&st->arena, &st->arena_cap, st->arena_len + n + 1 + SYMTAB_SLACK, 1);
	memcpy(st->arena + st->arena_len, name, n);
	st->arena[st->arena_len + n] = '\0';
	xgrow((void **)&st->syms, &st->cap_syms, st->nsyms + 1, sizeof(*st->syms));
	st->syms[st->nsyms] = (struct sym){ st->arena_len, n, h };
	st->arena_len += n + 1;
	uint32_t id = (uint32_t)st->nsyms++;
	st->slots[i] = slot_of(st, id);
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
