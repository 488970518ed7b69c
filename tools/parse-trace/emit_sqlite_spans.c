/* The SQLite export's `spans` table: app spans (span_begin / span_end events, docs/events.md)
 * read from the timeline markers the parser reports (tools/lib/timeline.h). The sink is set
 * up before parsing, because a span may begin before the first call completes and so before
 * the database exists; it keeps the current input's spans in memory (a few per request)
 * and the export writes them when the input is over (sq_spans_write). */
#include <stdlib.h>
#include <string.h>

#include "tools/lib/tevent.h"
#include "tools/lib/timeline.h"
#include "tools/lib/xalloc.h"
#include "trace/event_format.h"
#include "tools/parse-trace/emit.h"
#include "tools/parse-trace/emit_sqlite.h"

struct span {
	int64_t tid;
	int cpu;
	int depth;			/* open spans of its thread when it began */
	int64_t begin_ns, end_ns;	/* -1: unknown (no timestamps, or never ended) */
	char *name, *args;
};

struct sq_spans {
	struct tl_sink sink;
	struct span *open;		/* begun, not ended: all threads, in begin order */
	size_t nopen, cap_open;
	struct span *done;		/* the current input's ended (or cut off) spans */
	size_t ndone, cap_done;
	bool input_over;		/* done belongs to an input whose file was not written */
};

static char *dup_n(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

static void finish(struct sq_spans *s, size_t i, int64_t end_ns)
{
	xgrow((void **)&s->done, &s->cap_done, s->ndone + 1, sizeof(*s->done));
	s->done[s->ndone] = s->open[i];
	s->done[s->ndone++].end_ns = end_ns;
	memmove(s->open + i, s->open + i + 1, (s->nopen - i - 1) * sizeof(*s->open));
	s->nopen--;
}

static void drop_done(struct sq_spans *s)
{
	for (size_t i = 0; i < s->ndone; i++) {
		free(s->done[i].name);
		free(s->done[i].args);
	}
	s->ndone = 0;
}

static void begin(struct sq_spans *s, const struct tl_call *c, const char *text, size_t n)
{
	size_t a = tevent_args_start(text, n), args = a < n ? a + 1 : n;
	int depth = 0;

	for (size_t i = 0; i < s->nopen; i++)
		depth += s->open[i].tid == c->tid;
	xgrow((void **)&s->open, &s->cap_open, s->nopen + 1, sizeof(*s->open));
	s->open[s->nopen++] = (struct span){
		.tid = c->tid, .cpu = c->cpu, .depth = depth,
		.begin_ns = c->synthetic ? -1 : c->ts_ns, .end_ns = -1,
		.name = dup_n(text, a), .args = dup_n(text + args, n - args) };
}

/* Ends the innermost open span of that name on the thread, and the spans begun inside it
 * (as the Perfetto export's slices); none open: its begin precedes the trace. */
static void end(struct sq_spans *s, const struct tl_call *c, const char *text, size_t n)
{
	size_t a = tevent_args_start(text, n), i = s->nopen;
	int64_t ts = c->synthetic ? -1 : c->ts_ns;

	while (i > 0 && !(s->open[i - 1].tid == c->tid && strlen(s->open[i - 1].name) == a &&
			  !memcmp(s->open[i - 1].name, text, a)))
		i--;
	if (!i)
		return;
	for (size_t j = s->nopen; j-- > i - 1;)
		if (s->open[j].tid == c->tid)
			finish(s, j, ts);
}

static void marker(void *ctx, const struct tl_call *c, const char *text, size_t n)
{
	struct sq_spans *s = ctx;
	struct tevent ev;

	if (!tevent_parse(text, n, &ev) || (ev.id != EV_SPAN_BEGIN && ev.id != EV_SPAN_END))
		return;
	if (s->input_over) {	/* a new input: the last one's spans had no file to go to */
		drop_done(s);
		s->input_over = false;
	}
	if (ev.id == EV_SPAN_BEGIN)
		begin(s, c, ev.fields, ev.n);
	else
		end(s, c, ev.fields, ev.n);
}

/* Spans still open at the end of an input never ended: they are kept with no end. */
static void input_end(void *ctx)
{
	struct sq_spans *s = ctx;

	while (s->nopen)
		finish(s, 0, -1);
	s->input_over = true;
}

static void no_thread(void *ctx, int64_t tid, const char *comm, size_t n)
{
	(void)ctx, (void)tid, (void)comm, (void)n;
}

static void no_call(void *ctx, const struct tl_call *c)
{
	(void)ctx, (void)c;
}

static void no_switch(void *ctx, int cpu, int64_t ts_ns, int64_t prev, int64_t next, char st)
{
	(void)ctx, (void)cpu, (void)ts_ns, (void)prev, (void)next, (void)st;
}

static void no_lost(void *ctx, int cpu, int64_t count)
{
	(void)ctx, (void)cpu, (void)count;
}

void sq_spans_free(struct sq_spans *s)
{
	if (!s)
		return;
	input_end(s);
	drop_done(s);
	free(s->open);
	free(s->done);
	free(s);
}

/* Frees the spans when no database was started (no input was a trace). */
static void end_unstarted(struct emit *e)
{
	sq_spans_free(e->spans);
	e->spans = NULL;
}

const struct tl_sink *emit_sqlite_spans_init(struct emit *e)
{
	struct sq_spans *s = xcalloc(1, sizeof(*s));

	s->sink = (struct tl_sink){ .ctx = s, .thread = no_thread, .begin = no_call,
				    .end = no_call, .marker = marker, .sched_switch = no_switch,
				    .lost = no_lost, .input_end = input_end };
	e->spans = s;
	e->end = end_unstarted;
	return &s->sink;
}

void sq_spans_write(struct sq *q, struct sq_spans *s, uint32_t capture)
{
	sqlite3_stmt *st;

	if (!s || !s->ndone)
		return;
	st = sq_prepare(q, "INSERT INTO spans (capture_id, thread_id, cpu, name, args, begin_ns, "
			"end_ns, dur_ns, depth) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	for (size_t i = 0; i < s->ndone && st; i++) {
		const struct span *p = &s->done[i];
		bool timed = p->begin_ns >= 0 && p->end_ns >= p->begin_ns;

		sqlite3_bind_int64(st, 1, capture);
		sqlite3_bind_int64(st, 2, sq_thread_id(q, p->tid));
		sqlite3_bind_int(st, 3, p->cpu);
		sqlite3_bind_text(st, 4, p->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, p->args, -1, SQLITE_STATIC);
		sq_bind_opt(st, 6, p->begin_ns);
		sq_bind_opt(st, 7, p->end_ns);
		sq_bind_opt(st, 8, timed ? p->end_ns - p->begin_ns : -1);
		sqlite3_bind_int(st, 9, p->depth);
		sq_step(q, st);
	}
	sqlite3_finalize(st);
	drop_done(s);
	s->input_over = false;
}
