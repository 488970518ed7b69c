#include "tools/runtime-breakdown/hits.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/csv.h"
#include "tools/lib/xalloc.h"

#define NAME_MAX_COLS 60

static void table_init(struct hit_table *t)
{
	memset(t, 0, sizeof(*t));
	umap_init(&t->map);
}

static void count(struct hit_table *t, uint64_t key)
{
	uint32_t i = umap_get(&t->map, key);

	if (!i) {
		xgrow((void **)&t->c, &t->cap, t->n + 1, sizeof(*t->c));
		t->c[t->n] = (struct hit_count){ key, 0 };
		i = (uint32_t)++t->n;
		umap_put(&t->map, key, i);
	}
	t->c[i - 1].hits++;
}

void hits_init(struct hits *h)
{
	table_init(&h->funcs);
	table_init(&h->pairs);
	h->total = 0;
}

void hits_add(struct hits *h, uint32_t func, uint32_t parent)
{
	h->total++;
	count(&h->funcs, func);
	if (parent)
		count(&h->pairs, (uint64_t)parent << 32 | func);
}

static const struct symtab *sort_st;	/* qsort has no context argument */

/* Names of a key compared caller first, then callee. */
static int by_hits(const void *a, const void *b)
{
	const struct hit_count *x = a, *y = b;

	if (x->hits != y->hits)
		return x->hits < y->hits ? 1 : -1;
	int c = strcmp(symtab_name(sort_st, (uint32_t)(x->key >> 32)),
		       symtab_name(sort_st, (uint32_t)(y->key >> 32)));
	if (c)
		return c;
	return strcmp(symtab_name(sort_st, (uint32_t)x->key),
		      symtab_name(sort_st, (uint32_t)y->key));
}

static struct hit_count *sorted(const struct hit_table *t, const struct symtab *st)
{
	struct hit_count *v = xmalloc((t->n ? t->n : 1) * sizeof(*v));

	memcpy(v, t->c, t->n * sizeof(*v));
	sort_st = st;
	qsort(v, t->n, sizeof(*v), by_hits);
	return v;
}

/* Text: "caller -> callee" for pairs; the name column as wide as the widest shown name. */
static void print_text(FILE *f, const struct hit_count *v, size_t n, const struct symtab *st,
		       int pairs)
{
	char name[2 * NAME_MAX_COLS + 8];
	size_t w = pairs ? 16 : 8;

	for (size_t i = 0; i < n; i++) {
		size_t len = symtab_len(st, (uint32_t)v[i].key) +
			     (pairs ? symtab_len(st, (uint32_t)(v[i].key >> 32)) + 4 : 0);
		w = len > w ? len : w;
	}
	w = w > 2 * NAME_MAX_COLS ? 2 * NAME_MAX_COLS : w;
	fprintf(f, "%-*s %10s\n", (int)w, pairs ? "caller -> callee" : "function", "hits");
	for (size_t i = 0; i < n; i++) {
		if (pairs)
			snprintf(name, sizeof(name), "%.*s -> %.*s", NAME_MAX_COLS,
				 symtab_name(st, (uint32_t)(v[i].key >> 32)), NAME_MAX_COLS,
				 symtab_name(st, (uint32_t)v[i].key));
		else
			snprintf(name, sizeof(name), "%.*s", 2 * NAME_MAX_COLS,
				 symtab_name(st, (uint32_t)v[i].key));
		fprintf(f, "%-*.*s %10" PRIu64 "\n", (int)w, (int)w, name, v[i].hits);
	}
}

static void print_csv(FILE *f, const struct hit_count *v, size_t n, const struct symtab *st,
		      int pairs)
{
	fputs(pairs ? "caller,callee,hits\n" : "function,hits\n", f);
	for (size_t i = 0; i < n; i++) {
		if (pairs) {
			csv_fput(f, symtab_name(st, (uint32_t)(v[i].key >> 32)));
			fputc(',', f);
		}
		csv_fput(f, symtab_name(st, (uint32_t)v[i].key));
		fprintf(f, ",%" PRIu64 "\n", v[i].hits);
	}
}

void hits_print(FILE *f, const struct hits *h, const struct symtab *st, size_t top, int csv)
{
	const struct hit_table *t[2] = { &h->funcs, &h->pairs };

	for (int pairs = 0; pairs < 2; pairs++) {
		struct hit_count *v = sorted(t[pairs], st);
		size_t n = top && top < t[pairs]->n ? top : t[pairs]->n;
		if (pairs)
			fputc('\n', f);
		if (csv)
			print_csv(f, v, n, st, pairs);
		else
			print_text(f, v, n, st, pairs);
		free(v);
	}
}

static void table_free(struct hit_table *t)
{
	umap_free(&t->map);
	free(t->c);
}

void hits_free(struct hits *h)
{
	table_free(&h->funcs);
	table_free(&h->pairs);
}
