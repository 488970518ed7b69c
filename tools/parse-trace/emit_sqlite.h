/* What the SQLite export's files share (emit_sqlite.c: calls, threads, switches, the
 * capture; emit_sqlite_samples.c: the profile events' tables). */
#ifndef TOOLS_PARSE_TRACE_EMIT_SQLITE_H
#define TOOLS_PARSE_TRACE_EMIT_SQLITE_H

#include <sqlite3.h>
#include <stdint.h>

#include "tools/lib/symtab.h"
#include "tools/lib/tparse.h"

struct sq;
sqlite3_stmt *sq_prepare(struct sq *q, const char *sql);
/* Runs a statement whose parameters are bound, and readies it for the next row. */
void sq_step(struct sq *q, sqlite3_stmt *st);
/* Binds v, or NULL when v < 0. */
void sq_bind_opt(sqlite3_stmt *st, int col, int64_t v);
/* threads.id of tid in the current capture (its row is written with the capture's). */
uint32_t sq_thread_id(struct sq *q, int64_t tid);

struct sq_spans;
/* Writes the spans of the input just parsed as capture `capture` (emit_sqlite_spans.c). */
void sq_spans_write(struct sq *q, struct sq_spans *s, uint32_t capture);
void sq_spans_free(struct sq_spans *s);

struct sq_samples;
struct sq_samples *sqs_new(struct sq *q);
/* One profile event of capture `capture` on threads.id `thread`. */
void sqs_add(struct sq *q, struct sq_samples *s, const struct symtab *names,
	     const struct tp_sample *t, uint32_t capture, uint32_t thread);
/* Writes the stacks the events used and frees s. */
void sqs_end(struct sq *q, struct sq_samples *s, const struct symtab *names);

#endif
