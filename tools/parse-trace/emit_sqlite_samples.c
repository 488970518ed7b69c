/* The profile events' tables of the SQLite export (sqlite_schema.sql: samples, stacks,
 * stack_frames, allocations, net_io). Stacks are the nodes of a calling-context tree
 * (samples.h), so each distinct path is one row whatever its number of events; they are
 * written at the end, those that an event used. A free sets freed_ns on the allocation
 * row of its address. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/tsample.h"
#include "tools/lib/xalloc.h"
#include "tools/parse-trace/emit_sqlite.h"
#include "tools/parse-trace/samples.h"

struct sq_samples {
	struct samples tree;	/* for its nodes only */
	uint8_t *used;		/* per node: a row refers to it */
	size_t cap_used;
	sqlite3_stmt *sample, *alloc, *freed, *net;
	struct umap live;	/* capture << 48 ^ ptr -> allocations.id (+0: ids start at 1) */
	int64_t nallocs;
};

struct sq_samples *sqs_new(struct sq *q)
{
	struct sq_samples *s = xcalloc(1, sizeof(*s));

	samples_init(&s->tree);
	umap_init(&s->live);
	s->sample = sq_prepare(q, "INSERT INTO samples (capture_id, kind, thread_id, cpu, ts_ns, "
			       "stack_id, ns, hz, state, guest_stack_id) "
			       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	s->alloc = sq_prepare(q, "INSERT INTO allocations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)");
	s->freed = sq_prepare(q, "UPDATE allocations SET freed_ns = ? WHERE id = ?");
	s->net = sq_prepare(q, "INSERT INTO net_io (capture_id, thread_id, cpu, ts_ns, conn, dir, "
			    "bytes, stack_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	return s;
}

static uint32_t stack_of(struct sq_samples *s, const struct tp_sample *t)
{
	uint32_t node = samples_node(&s->tree, t->stack, t->n);

	if (node >= s->cap_used) {
		size_t old = s->cap_used;

		xgrow((void **)&s->used, &s->cap_used, (size_t)node + 1, 1);
		memset(s->used + old, 0, s->cap_used - old);
	}
	s->used[node] = 1;
	return node;
}

static void bind_text(sqlite3_stmt *st, int col, const struct symtab *names, uint32_t id,
		      const char *none)
{
	if (id)
		sqlite3_bind_text(st, col, symtab_name(names, id), (int)symtab_len(names, id),
				  SQLITE_STATIC);
	else
		sqlite3_bind_text(st, col, none, -1, SQLITE_STATIC);
}

void sqs_add(struct sq *q, struct sq_samples *s, const struct symtab *names,
	     const struct tp_sample *t, uint32_t capture, uint32_t thread)
{
	sqlite3_stmt *st;
	char state[2] = { t->state, 0 };
	int col = 1;

	if (t->kind == TSK_FREE) {
		uint32_t id = umap_get(&s->live, (uint64_t)capture << 48 ^ t->ptr);

		if (!id)
			return;
		sq_bind_opt(s->freed, 1, t->ts_ns);
		sqlite3_bind_int64(s->freed, 2, id);
		sq_step(q, s->freed);
		return;
	}
	if (t->kind == TSK_CPU || t->kind == TSK_OFFCPU) {
		st = s->sample;
		sqlite3_bind_int64(st, col++, capture);
		sqlite3_bind_text(st, col++, t->kind == TSK_CPU ? "cpu" : "offcpu", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, col++, thread);
		sqlite3_bind_int(st, col++, t->cpu);
		sq_bind_opt(st, col++, t->ts_ns);
		sqlite3_bind_int64(st, col++, stack_of(s, t));
		sqlite3_bind_int64(st, col++, t->kind == TSK_CPU ? (t->hz > 0 ? 1000000000 / t->hz : 0) :
					      t->ns);
		if (t->kind == TSK_CPU)
			sqlite3_bind_int64(st, col++, t->hz);
		else
			sqlite3_bind_null(st, col++);
		if (t->kind == TSK_OFFCPU && t->state)
			sqlite3_bind_text(st, col++, state, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, col++);
		sq_bind_opt(st, col++, t->stack_id);
		sq_step(q, st);
		return;
	}
	if (t->kind == TSK_ALLOC) {
		st = s->alloc;
		sqlite3_bind_int64(st, col++, ++s->nallocs);
		sqlite3_bind_int64(st, col++, capture);
		bind_text(st, col++, names, t->what, "heap");
		sqlite3_bind_int64(st, col++, thread);
		sqlite3_bind_int(st, col++, t->cpu);
		sq_bind_opt(st, col++, t->ts_ns);
		sqlite3_bind_int64(st, col++, (int64_t)t->ptr);
		sqlite3_bind_int64(st, col++, t->bytes);
		sqlite3_bind_int64(st, col++, t->every);
		sqlite3_bind_int64(st, col++, stack_of(s, t));
		sq_step(q, st);
		umap_put(&s->live, (uint64_t)capture << 48 ^ t->ptr, (uint32_t)s->nallocs);
		return;
	}
	if (t->kind == TSK_NET) {
		st = s->net;
		sqlite3_bind_int64(st, col++, capture);
		sqlite3_bind_int64(st, col++, thread);
		sqlite3_bind_int(st, col++, t->cpu);
		sq_bind_opt(st, col++, t->ts_ns);
		bind_text(st, col++, names, t->what, "?");
		sqlite3_bind_text(st, col++, t->tx ? "tx" : "rx", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, col++, t->bytes);
		sqlite3_bind_int64(st, col++, stack_of(s, t));
		sq_step(q, st);
	}
}

/* 'root;...;leaf' of a path given leaf first. */
static char *folded(const struct symtab *names, const uint32_t *path, size_t n)
{
	size_t len = 0, at = 0;
	char *s;

	for (size_t i = 0; i < n; i++)
		len += (path[i] ? symtab_len(names, path[i]) : 9) + 1;
	s = xmalloc(len + 1);
	for (size_t i = n; i-- > 0;) {
		const char *name = path[i] ? symtab_name(names, path[i]) : "[unknown]";
		size_t k = path[i] ? symtab_len(names, path[i]) : 9;

		memcpy(s + at, name, k);
		at += k;
		if (i)
			s[at++] = ';';
	}
	s[at] = 0;
	return s;
}

void sqs_end(struct sq *q, struct sq_samples *s, const struct symtab *names)
{
	sqlite3_stmt *st = sq_prepare(q, "INSERT INTO stacks VALUES (?, ?, ?, ?)");
	sqlite3_stmt *fr = sq_prepare(q, "INSERT INTO stack_frames VALUES (?, ?, ?)");
	uint32_t *path = NULL;
	size_t cap = 0;

	for (size_t node = 1; node < s->cap_used && node < s->tree.nnodes; node++) {
		size_t n;
		char *text;

		if (!s->used[node])
			continue;
		n = samples_path(&s->tree, (uint32_t)node, &path, &cap);
		text = folded(names, path, n);
		sqlite3_bind_int64(st, 1, (int64_t)node);
		sqlite3_bind_int64(st, 2, (int64_t)n);
		sqlite3_bind_int64(st, 3, path[0]);
		sqlite3_bind_text(st, 4, text, -1, SQLITE_TRANSIENT);
		sq_step(q, st);
		free(text);
		for (size_t i = 0; i < n; i++) {
			sqlite3_bind_int64(fr, 1, (int64_t)node);
			sqlite3_bind_int64(fr, 2, (int64_t)i);
			sqlite3_bind_int64(fr, 3, path[i]);
			sq_step(q, fr);
		}
	}
	free(path);
	sqlite3_finalize(st);
	sqlite3_finalize(fr);
	sqlite3_finalize(s->sample);
	sqlite3_finalize(s->alloc);
	sqlite3_finalize(s->freed);
	sqlite3_finalize(s->net);
	samples_free(&s->tree);
	umap_free(&s->live);
	free(s->used);
	free(s);
}
