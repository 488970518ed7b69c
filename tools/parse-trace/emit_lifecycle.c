/* --format lifecycle: the lives of the threads as JSON lines (docs/lifecycle.md), one
 * object per lifecycle or scheduling event in time order:
 *   {"ts_ns":N,"kind":K,"tid":T,"parent":P,"name":S,"status":X,"cpu":C}
 * (null where the trace does not say; a wakeup adds "waker"), or with --by-thread one
 * object per thread holding its events. Fed timeline events (lifecycle.c), written at the
 * end: the events must be sorted, and they are few next to the calls. */
#include <stdlib.h>
#include <string.h>

#include "tools/lib/xalloc.h"
#include "tools/parse-trace/emit.h"
#include "tools/parse-trace/lifecycle.h"

struct lc_emit {
	struct lifecycle lc;
	bool by_thread;
};

static void opt_i64(struct output *o, const char *key, int64_t v, bool known)
{
	output_str(o, key);
	if (known)
		output_i64(o, v);
	else
		output_str(o, "null");
}

/* Linux's state letters (TASK_REPORT) as words */
static const char *state_word(char s)
{
	switch (s) {
	case 'R': case '+': return "runnable";
	case 'S': return "sleeping";
	case 'D': return "uninterruptible";
	case 'I': return "idle";
	case 'T': case 't': return "stopped";
	case 'X': case 'Z': return "dead";
	default: return NULL;
	}
}

static void status(struct output *o, const struct lc_event *e)
{
	const char *w = e->kind == LC_SWITCH_OUT ? state_word(e->state) : NULL;

	output_str(o, ",\"status\":");
	if (w) {
		output_char(o, '"');
		output_str(o, w);
		output_char(o, '"');
	} else if (e->kind == LC_EXIT && e->state) {
		output_i64(o, e->code);
	} else {
		output_str(o, "null");
	}
}

static void name(struct output *o, const struct symtab *comms, uint32_t id)
{
	if (id)
		output_json_str(o, symtab_name(comms, id), symtab_len(comms, id));
	else
		output_str(o, "null");
}

static void event_object(struct output *o, const struct lifecycle *lc, const struct lc_event *e)
{
	opt_i64(o, "{\"ts_ns\":", e->ts, true);
	output_str(o, ",\"kind\":\"");
	output_str(o, lc_kind_name(e->kind));
	opt_i64(o, "\",\"tid\":", e->tid, true);
	opt_i64(o, ",\"parent\":", e->other, e->kind == LC_CREATE && e->other >= 0);
	output_str(o, ",\"name\":");
	name(o, lc->comms, e->name);
	status(o, e);
	opt_i64(o, ",\"cpu\":", e->cpu, e->cpu >= 0);
	if (e->kind == LC_WAKEUP)
		opt_i64(o, ",\"waker\":", e->other, e->other >= 0);
	output_char(o, '}');
}

/* One line per thread: what its events say of its life, then the events. */
static void thread_line(struct output *o, struct lifecycle *lc, const struct lc_event *ev,
			size_t n)
{
	const struct lc_thread *t = lifecycle_thread(lc, ev[0].tid);
	const struct lc_event *create = NULL, *exit = NULL;

	for (size_t i = 0; i < n; i++) {
		if (ev[i].kind == LC_CREATE && !create)
			create = &ev[i];
		if (ev[i].kind == LC_EXIT)
			exit = &ev[i];
	}
	opt_i64(o, "{\"tid\":", t->tid, true);
	output_str(o, ",\"name\":");
	name(o, lc->comms, t->name);
	opt_i64(o, ",\"parent\":", create ? create->other : -1, create && create->other >= 0);
	opt_i64(o, ",\"start_ns\":", ev[0].ts, true);
	opt_i64(o, ",\"end_ns\":", ev[n - 1].ts, true);
	opt_i64(o, ",\"status\":", exit ? exit->code : 0, exit && exit->state);
	output_str(o, ",\"events\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			output_char(o, ',');
		event_object(o, lc, &ev[i]);
	}
	output_str(o, "]}\n");
}

static void lifecycle_end(struct emit *e)
{
	struct lc_emit *le = e->priv;
	struct lifecycle *lc = &le->lc;

	lifecycle_finish(lc, le->by_thread);
	for (size_t i = 0; i < lc->nev;) {
		size_t j = i + 1;
		if (!le->by_thread) {
			event_object(e->out, lc, &lc->ev[i]);
			output_char(e->out, '\n');
		} else {
			while (j < lc->nev && lc->ev[j].tid == lc->ev[i].tid)
				j++;
			thread_line(e->out, lc, &lc->ev[i], j - i);
		}
		i = j;
	}
	lifecycle_free(lc);
	free(le);
	e->priv = NULL;
}

static void lifecycle_file(struct emit *e, const char *path, const struct tp_stats *s,
			   enum tp_format fmt)
{
	struct lc_emit *le = e->priv;

	(void)s;
	(void)fmt;
	if (strcmp(path, "<stdin>"))
		lifecycle_capture_table(&le->lc, path);
}

static void no_row(struct emit *e, const struct tp_row *r)
{
	(void)e;
	(void)r;	/* calls arrive as timeline events */
}

const struct tl_sink *emit_lifecycle_init(struct emit *e, bool by_thread)
{
	struct lc_emit *le = xcalloc(1, sizeof(*le));

	lifecycle_init(&le->lc);
	le->by_thread = by_thread;
	e->priv = le;
	e->row = no_row;
	e->file = lifecycle_file;
	e->end = lifecycle_end;
	return &le->lc.sink;
}
