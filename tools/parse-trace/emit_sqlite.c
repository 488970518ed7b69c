/* SQLite database of a function_graph trace (schema: sqlite_schema.sql, docs/sqlite.md).
 * Rows are inserted in one transaction with prepared statements, indexes are built after
 * the bulk insert, and the file is written under a temporary name and renamed at the end,
 * so a failed export never leaves a half-written database behind under the asked name. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/umap.h"
#include "tools/lib/version.h"
#include "tools/lib/xalloc.h"
#include "tools/parse-trace/emit.h"
#include "tools/parse-trace/emit_sqlite.h"
#include "tools/parse-trace/threadname.h"

extern const char sqlite_schema_sql[], sqlite_indexes_sql[];

struct sq_thread {
	int64_t tid;
	uint32_t id;
};

struct sq {
	sqlite3 *db;
	const char *path;
	char *tmp;
	bool failed;
	sqlite3_stmt *call, *sw;
	uint32_t capture;		/* id of the file being read */
	struct umap thread_map;		/* capture << 48 | (tid + 1) -> threads.id */
	uint32_t nthreads_all;
	struct sq_thread *threads;	/* of the current file */
	size_t nthreads, cap_threads;
	uint8_t *cpus;			/* CPUs seen in the current file */
	size_t cap_cpus;
	uint64_t nswitches;
	bool spanned;
	int64_t first_ns, last_ns;
	struct sq_samples *samples;	/* the profile events' tables */
};

static void fail(struct sq *q, const char *what)
{
	if (!q->failed)
		fprintf(stderr, "%s: sqlite: %s: %s\n", q->path, what,
			q->db ? sqlite3_errmsg(q->db) : "cannot open");
	q->failed = true;
}

static void exec(struct sq *q, const char *sql)
{
	if (!q->failed && sqlite3_exec(q->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail(q, "cannot run the schema or a pragma");
}

sqlite3_stmt *sq_prepare(struct sq *q, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (!q->failed && sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK)
		fail(q, "cannot prepare a statement");
	return st;
}

void sq_step(struct sq *q, sqlite3_stmt *st)
{
	if (!q->failed && sqlite3_step(st) != SQLITE_DONE)
		fail(q, "insert failed");
	sqlite3_reset(st);
}

void sq_bind_opt(sqlite3_stmt *st, int col, int64_t v)
{
	if (v < 0)
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_int64(st, col, v);
}

static void note_cpu(struct sq *q, int cpu)
{
	if (cpu < 0)
		return;
	if ((size_t)cpu >= q->cap_cpus) {
		size_t old = q->cap_cpus;
		xgrow((void **)&q->cpus, &q->cap_cpus, (size_t)cpu + 1, 1);
		memset(q->cpus + old, 0, q->cap_cpus - old);
	}
	q->cpus[cpu] = 1;
}

uint32_t sq_thread_id(struct sq *q, int64_t tid)
{
	uint64_t key = (uint64_t)q->capture << 48 | (uint64_t)(tid + 1);
	uint32_t id = umap_get(&q->thread_map, key);

	if (id)
		return id;
	id = ++q->nthreads_all;
	umap_put(&q->thread_map, key, id);
	xgrow((void **)&q->threads, &q->cap_threads, q->nthreads + 1, sizeof(*q->threads));
	q->threads[q->nthreads++] = (struct sq_thread){ tid, id };
	return id;
}

static void sqlite_row(struct emit *e, const struct tp_row *r)
{
	struct sq *q = e->priv;
	sqlite3_stmt *st = q->call;

	if (q->failed)
		return;
	sqlite3_bind_int64(st, 1, (int64_t)r->id);
	if (r->parent_id)
		sqlite3_bind_int64(st, 2, (int64_t)r->parent_id);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int64(st, 3, sq_thread_id(q, r->tid));
	sqlite3_bind_int(st, 4, r->cpu);
	sqlite3_bind_int64(st, 5, r->func);
	sqlite3_bind_int(st, 6, r->depth);
	sq_bind_opt(st, 7, r->start_ns);
	sq_bind_opt(st, 8, r->dur_ns);
	sq_bind_opt(st, 9, r->self_ns);
	sq_bind_opt(st, 10, r->off_ns);
	sq_bind_opt(st, 11, r->off_self_ns);
	sq_step(q, st);
	note_cpu(q, r->cpu);
	if (r->start_ns >= 0 && r->dur_ns >= 0) {
		if (!q->spanned || r->start_ns < q->first_ns)
			q->first_ns = r->start_ns;
		if (!q->spanned || r->start_ns + r->dur_ns > q->last_ns)
			q->last_ns = r->start_ns + r->dur_ns;
		q->spanned = true;
	}
}

static void sqlite_sample(struct emit *e, const struct tp_sample *t)
{
	struct sq *q = e->priv;

	if (q->failed)
		return;
	sqs_add(q, q->samples, e->st, t, q->capture, sq_thread_id(q, t->tid));
	note_cpu(q, t->cpu);
}

static void sqlite_switch(struct emit *e, const struct tp_switch *s)
{
	struct sq *q = e->priv;
	sqlite3_stmt *st = q->sw;

	if (q->failed)
		return;
	sqlite3_bind_int64(st, 1, q->capture);
	sqlite3_bind_text(st, 2, s->event ? "sched_switch" : "block", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)s->lineno);
	sqlite3_bind_int(st, 4, s->cpu);
	sqlite3_bind_int64(st, 5, sq_thread_id(q, s->prev_tid));
	sqlite3_bind_int64(st, 6, sq_thread_id(q, s->next_tid));
	sq_bind_opt(st, 7, s->ts_ns);
	sq_step(q, st);
	note_cpu(q, s->cpu);
	q->nswitches++;
}

/* Threads are written once the file is read: a name may come after a thread's first row. */
static void insert_threads(struct emit *e, struct sq *q)
{
	sqlite3_stmt *st = sq_prepare(q, "INSERT INTO threads VALUES (?, ?, ?, ?, ?)");
	char name[THREAD_NAME_MAX];

	for (size_t i = 0; i < q->nthreads && !q->failed; i++) {
		const char *comm = tparse_comm(e->tp, q->threads[i].tid);
		thread_name(e->tp, q->threads[i].tid, name);
		sqlite3_bind_int64(st, 1, q->threads[i].id);
		sqlite3_bind_int64(st, 2, q->capture);
		sqlite3_bind_int64(st, 3, q->threads[i].tid);
		if (comm)
			sqlite3_bind_text(st, 4, comm, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 4);
		sqlite3_bind_text(st, 5, name, -1, SQLITE_TRANSIENT);
		sq_step(q, st);
	}
	sqlite3_finalize(st);
}

static void insert_capture(struct emit *e, struct sq *q, const char *name,
			   const struct tp_stats *s, enum tp_format fmt)
{
	sqlite3_stmt *st = sq_prepare(q, "INSERT INTO capture VALUES "
				   "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	int64_t v[] = { (int64_t)s->lines, (int64_t)s->events, (int64_t)s->calls,
			(int64_t)s->bad_lines, (int64_t)(s->tail_returns + s->unnamed_returns),
			(int64_t)s->unclosed, (int64_t)s->lost_events, 0, (int64_t)q->nthreads,
			(int64_t)q->nswitches };
	int col = 1;

	for (size_t i = 0; i < q->cap_cpus; i++)
		v[7] += q->cpus[i];
	if (q->failed)
		return;
	sqlite3_bind_int64(st, col++, q->capture);
	sqlite3_bind_text(st, col++, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, col++, tparse_format_name(fmt), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, col++, "parse-trace " GLASS_TOOLS_VERSION, -1, SQLITE_STATIC);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		sqlite3_bind_int64(st, col++, v[i]);
	sq_bind_opt(st, col++, q->spanned ? q->first_ns : -1);
	sq_bind_opt(st, col++, q->spanned ? q->last_ns : -1);
	sqlite3_bind_text(st, col++, tparse_header(e->tp), -1, SQLITE_TRANSIENT);
	sq_step(q, st);
	sqlite3_finalize(st);
}

static void sqlite_file(struct emit *e, const char *name, const struct tp_stats *s,
			enum tp_format fmt)
{
	struct sq *q = e->priv;

	sq_spans_write(q, e->spans, q->capture);	/* before the threads: it names some */
	insert_threads(e, q);
	insert_capture(e, q, name, s, fmt);
	q->capture++;
	q->nthreads = 0;
	q->nswitches = 0;
	q->spanned = false;
	if (q->cpus)
		memset(q->cpus, 0, q->cap_cpus);
}

static void insert_functions(struct emit *e, struct sq *q)
{
	sqlite3_stmt *st = sq_prepare(q, "INSERT INTO functions VALUES (?, ?)");
	uint32_t n = symtab_count(e->st);

	for (uint32_t id = 1; id <= n && !q->failed; id++) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, symtab_name(e->st, id), (int)symtab_len(e->st, id),
				  SQLITE_STATIC);
		sq_step(q, st);
	}
	sqlite3_finalize(st);
}

static void sqlite_end(struct emit *e)
{
	struct sq *q = e->priv;

	sqs_end(q, q->samples, e->st);
	sq_spans_free(e->spans);
	e->spans = NULL;
	insert_functions(e, q);
	exec(q, sqlite_indexes_sql);
	exec(q, "COMMIT");
	sqlite3_finalize(q->call);
	sqlite3_finalize(q->sw);
	if (sqlite3_close(q->db) != SQLITE_OK)
		fail(q, "cannot close");
	if (!q->failed && rename(q->tmp, q->path)) {
		perror(q->path);
		q->failed = true;
	}
	if (q->failed) {
		remove(q->tmp);
		e->out->failed = true;	/* exit status 1 */
	}
	umap_free(&q->thread_map);
	free(q->threads);
	free(q->cpus);
	free(q->tmp);
	free(q);
}

void emit_sqlite_init(struct emit *e)
{
	struct sq *q = xcalloc(1, sizeof(*q));
	size_t n = strlen(e->path) + 6;

	q->path = e->path;
	q->tmp = xmalloc(n);
	snprintf(q->tmp, n, "%s.part", e->path);
	q->capture = 1;
	umap_init(&q->thread_map);
	e->priv = q;
	e->row = sqlite_row;
	e->sw = sqlite_switch;
	e->sample = sqlite_sample;
	e->file = sqlite_file;
	e->end = sqlite_end;
	remove(q->tmp);
	if (sqlite3_open(q->tmp, &q->db) != SQLITE_OK)
		fail(q, "cannot create the database");
	/* a fresh file renamed into place at the end: no journal or syncs needed meanwhile */
	exec(q, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
		"PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -65536");
	exec(q, sqlite_schema_sql);
	exec(q, "BEGIN");
	q->call = sq_prepare(q, "INSERT INTO calls VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	q->samples = sqs_new(q);
	q->sw = sq_prepare(q, "INSERT INTO switches (capture_id, kind, line, cpu, prev_thread_id, "
			"next_thread_id, ts_ns) VALUES (?, ?, ?, ?, ?, ?, ?)");
}
