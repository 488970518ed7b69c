/* --format mermaid: a Mermaid Gantt chart of the threads (docs/lifecycle.md): a section
 * per thread, a bar per life (creation or first event to exit or last event; a tid the
 * kernel reused has several) and, with --top-calls, the thread's LC_TOP_CALLS longest
 * top-level calls as bars below it.
 * Mermaid's Gantt dates have millisecond resolution, too coarse for a unikernel's threads:
 * the chart counts microseconds since the trace's first event as its milliseconds
 * (dateFormat x), and axisFormat "%s.%L" prints them back as "ms.us" of the trace. */
#include <stdlib.h>
#include <string.h>

#include "tools/lib/xalloc.h"
#include "tools/parse-trace/emit.h"
#include "tools/parse-trace/lifecycle.h"

struct mm_emit {
	struct lifecycle lc;
	int64_t origin;
};

/* Mermaid ends a task's name at ':' and a statement at ';' or '#' (a comment). */
static void label(struct output *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		output_char(o, s[i] == ':' || s[i] == ';' || s[i] == '#' || s[i] == '\n' ? '_' : s[i]);
}

static void thread_label(struct output *o, const struct lifecycle *lc, uint32_t name, int64_t tid)
{
	const char *s = name ? symtab_name(lc->comms, name) : "tid";

	label(o, s, strlen(s));
	output_char(o, '-');
	output_i64(o, tid);
}

/* " :TAG, START, END": microseconds since the origin (rounded), at least one long. */
static void span(struct output *o, const struct mm_emit *m, const char *tag, int64_t begin,
		 int64_t end)
{
	int64_t b = (begin - m->origin + 500) / 1000, e = (end - m->origin + 500) / 1000;

	output_str(o, " :");
	if (tag) {
		output_str(o, tag);
		output_str(o, ", ");
	}
	output_i64(o, b);
	output_str(o, ", ");
	output_i64(o, e > b ? e : b + 1);
	output_char(o, '\n');
}

static int by_begin(const void *a, const void *b)
{
	const struct lc_call *x = a, *y = b;

	return x->begin < y->begin ? -1 : x->begin > y->begin;
}

static void calls(struct output *o, struct mm_emit *m, struct lc_thread *t, const struct symtab *st)
{
	if (!t->ntop)
		return;
	qsort(t->top, t->ntop, sizeof(*t->top), by_begin);
	if (t->calls > t->ntop) {
		output_str(o, "    %% the ");
		output_i64(o, t->ntop);
		output_str(o, " longest of ");
		output_i64(o, (int64_t)t->calls);
		output_str(o, " top-level calls\n");
	}
	for (unsigned i = 0; i < t->ntop; i++) {
		output_str(o, "    ");
		label(o, symtab_name(st, t->top[i].func), symtab_len(st, t->top[i].func));
		span(o, m, "active", t->top[i].begin, t->top[i].end);
	}
}

/* The bars of one thread's events (sorted by time): a life opens at create or first_seen
 * and closes at exit or last_seen; one left open closes at the thread's last event. */
static void thread_section(struct output *o, struct mm_emit *m, const struct lc_event *ev,
			   size_t n, const struct symtab *st)
{
	struct lc_thread *t = lifecycle_thread(&m->lc, ev[0].tid);
	int64_t open = -1;

	output_str(o, "    section ");
	thread_label(o, &m->lc, t->name, t->tid);
	output_char(o, '\n');
	for (size_t i = 0; i < n; i++) {
		enum lc_kind k = ev[i].kind;
		if (open < 0)	/* a create, a first event, or any event: alive by then */
			open = ev[i].ts;
		if (k != LC_EXIT && k != LC_LAST_SEEN && i < n - 1)
			continue;
		output_str(o, "    ");
		thread_label(o, &m->lc, ev[i].name, t->tid);
		if (k == LC_EXIT && ev[i].state) {
			output_str(o, " (exit ");
			output_i64(o, ev[i].code);
			output_char(o, ')');
		}
		span(o, m, NULL, open, ev[i].ts);
		open = -1;
	}
	calls(o, m, t, st);
}

static void mermaid_end(struct emit *e)
{
	struct mm_emit *m = e->priv;
	struct lifecycle *lc = &m->lc;
	struct output *o = e->out;

	lifecycle_finish(lc, true);
	m->origin = INT64_MAX;
	for (size_t i = 0; i < lc->nev; i++)
		if (lc->ev[i].ts < m->origin)
			m->origin = lc->ev[i].ts;
	for (size_t i = 0; i < lc->nthreads; i++)
		for (unsigned j = 0; j < lc->threads[i].ntop; j++)
			if (lc->threads[i].top[j].begin < m->origin)
				m->origin = lc->threads[i].top[j].begin;
	output_str(o, "gantt\n    title Threads (axis: ms.us since the first event)\n"
		      "    dateFormat x\n    axisFormat %s.%L\n    todayMarker off\n");
	for (size_t i = 0; i < lc->nev;) {
		size_t j = i + 1;
		while (j < lc->nev && lc->ev[j].tid == lc->ev[i].tid)
			j++;
		thread_section(o, m, &lc->ev[i], j - i, e->st);
		i = j;
	}
	lifecycle_free(lc);
	free(m);
	e->priv = NULL;
}

static void mermaid_file(struct emit *e, const char *path, const struct tp_stats *s,
			 enum tp_format fmt)
{
	struct mm_emit *m = e->priv;

	(void)s;
	(void)fmt;
	if (strcmp(path, "<stdin>"))
		lifecycle_capture_table(&m->lc, path);
}

static void no_row(struct emit *e, const struct tp_row *r)
{
	(void)e;
	(void)r;	/* calls arrive as timeline events */
}

const struct tl_sink *emit_mermaid_init(struct emit *e, bool top_calls)
{
	struct mm_emit *m = xcalloc(1, sizeof(*m));

	lifecycle_init(&m->lc);
	m->lc.top_calls = top_calls;
	e->priv = m;
	e->row = no_row;
	e->file = mermaid_file;
	e->end = mermaid_end;
	return &m->lc.sink;
}
