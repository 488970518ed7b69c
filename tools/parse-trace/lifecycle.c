/* The lifecycle sink (lifecycle.h): per thread its name, first and last event and longest
 * top-level calls; the events themselves in arrival order until the input ends. */
#include <stdlib.h>
#include <string.h>

#include "tools/lib/capture.h"
#include "tools/lib/tevent.h"
#include "tools/lib/xalloc.h"
#include "trace/event_format.h"
#include "tools/parse-trace/lifecycle.h"

static const char *const kind_names[] = {
	[LC_CREATE] = "create", [LC_RENAME] = "rename", [LC_EXIT] = "exit",
	[LC_WAKEUP] = "wakeup", [LC_SWITCH_IN] = "switch_in", [LC_SWITCH_OUT] = "switch_out",
	[LC_FIRST_SEEN] = "first_seen", [LC_LAST_SEEN] = "last_seen",
};

const char *lc_kind_name(enum lc_kind k)
{
	return kind_names[k];
}

struct lc_thread *lifecycle_thread(struct lifecycle *lc, int64_t tid)
{
	uint32_t idx = umap_get(&lc->thread_map, (uint64_t)tid);

	if (idx)
		return &lc->threads[idx - 1];
	xgrow((void **)&lc->threads, &lc->cap_threads, lc->nthreads + 1, sizeof(*lc->threads));
	struct lc_thread *t = &lc->threads[lc->nthreads++];
	*t = (struct lc_thread){ .tid = tid, .first = -1, .last = -1, .created = -1, .exited = -1,
				 .cpu = -1 };
	umap_put(&lc->thread_map, (uint64_t)tid, (uint32_t)lc->nthreads);
	return t;
}

void lifecycle_add(struct lifecycle *lc, enum lc_kind kind, int64_t ts, int64_t tid,
		   int64_t other, int cpu, const char *name, size_t n)
{
	struct lc_thread *t = lifecycle_thread(lc, tid);
	uint32_t id = name && n ? symtab_intern(lc->comms, name, n) : 0;

	if (id)
		t->name = id;
	if (kind == LC_CREATE && (t->created < 0 || ts < t->created))
		t->created = ts;
	if (kind == LC_EXIT && ts > t->exited)
		t->exited = ts;
	xgrow((void **)&lc->ev, &lc->cap_ev, lc->nev + 1, sizeof(*lc->ev));
	lc->ev[lc->nev] = (struct lc_event){ .ts = ts, .tid = tid, .other = other, .cpu = (int16_t)cpu,
					     .name = id, .kind = (uint8_t)kind,
					     .order = (uint32_t)lc->nev };
	lc->nev++;
}

/* Keeps c among the thread's LC_TOP_CALLS longest top-level calls. */
static void keep_call(struct lc_thread *t, struct lc_call call)
{
	unsigned shortest = 0;

	t->calls++;
	if (t->ntop < LC_TOP_CALLS) {
		t->top[t->ntop++] = call;
		return;
	}
	for (unsigned i = 1; i < LC_TOP_CALLS; i++)
		if (t->top[i].end - t->top[i].begin < t->top[shortest].end - t->top[shortest].begin)
			shortest = i;
	if (call.end - call.begin > t->top[shortest].end - t->top[shortest].begin)
		t->top[shortest] = call;
}

/* A switch as cpurun.c places it: at a sched_switch event's time, a block's at its CPU's
 * next event, or where an event shows another thread running (it says the state only for a
 * sched_switch event). */
static void on_run_switch(void *ctx, int cpu, int64_t ts, int64_t prev, int64_t next, char state)
{
	struct lifecycle *lc = ctx;

	for (int i = 0; i < 2; i++) {	/* both threads existed then */
		struct lc_thread *t = i ? (next > 0 ? lifecycle_thread(lc, next) : NULL) :
				      prev > 0 ? lifecycle_thread(lc, prev) : NULL;
		if (t && (t->first < 0 || ts < t->first))
			t->first = ts;
		if (t && ts > t->last)
			t->last = ts;
	}
	if (prev > 0) {
		lifecycle_add(lc, LC_SWITCH_OUT, ts, prev, -1, cpu, NULL, 0);
		lc->ev[lc->nev - 1].state = state;
	}
	if (next > 0)
		lifecycle_add(lc, LC_SWITCH_IN, ts, next, -1, cpu, NULL, 0);
}

/* Any event of a thread: it existed then, and ran on its CPU. */
static void seen(struct lifecycle *lc, const struct tl_call *c, int64_t begin)
{
	cpurun_event(&lc->run, c, on_run_switch, lc);
	if (c->tid <= 0)
		return;	/* the idle task and unknown threads have no life of their own */
	struct lc_thread *t = lifecycle_thread(lc, c->tid);
	if (t->first < 0 || begin < t->first)
		t->first = begin;
	if (c->ts_ns > t->last)
		t->last = c->ts_ns;
	t->cpu = c->cpu;
}

/* The first name a thread is given stays: a capture's table (whole) comes before the
 * text's proc column (cut to fit). */
static void on_thread(void *ctx, int64_t tid, const char *comm, size_t n)
{
	struct lifecycle *lc = ctx;

	if (tid > 0 && n && !lifecycle_thread(lc, tid)->name)
		lifecycle_thread(lc, tid)->name = symtab_intern(lc->comms, comm, n);
}

static void on_begin(void *ctx, const struct tl_call *c)
{
	struct lifecycle *lc = ctx;

	seen(lc, c, c->ts_ns);
	if (lc->top_calls && c->depth == 0 && c->tid > 0)
		lifecycle_thread(lc, c->tid)->open = (struct lc_call){ c->ts_ns, -1, c->func };
}

static void on_end(void *ctx, const struct tl_call *c)
{
	struct lifecycle *lc = ctx;

	seen(lc, c, c->begin_ns);
	if (!lc->top_calls || c->depth != 0 || c->tid <= 0)
		return;
	struct lc_thread *t = lifecycle_thread(lc, c->tid);
	t->open.func = 0;
	if (c->func)
		keep_call(t, (struct lc_call){ c->begin_ns, c->ts_ns, c->func });
}

/* The lifecycle trace events (trace/event_format.h, as tools/lib/tevent.h reads their
 * text): the thread that writes one is the parent, the waker, the exiting thread. */
static void lifecycle_event(struct lifecycle *lc, const struct tl_call *c, const struct tevent *ev)
{
	int64_t pid, v;
	const char *name = NULL;
	size_t n = 0;

	if (!tevent_int(ev, "pid", &pid) || pid <= 0)
		return;
	switch (ev->id) {
	case EV_SCHED_WAKEUP:
		lifecycle_add(lc, LC_WAKEUP, c->ts_ns, pid, c->tid,
			      tevent_int(ev, "target_cpu", &v) ? (int)v : -1, NULL, 0);
		break;
	case EV_THREAD_CREATE:
		tevent_field(ev, "comm", &name, &n);
		lifecycle_add(lc, LC_CREATE, c->ts_ns, pid, c->tid >= 0 ? c->tid : -1, c->cpu,
			      name, n);
		break;
	case EV_THREAD_RENAME:	/* the new name runs to the end */
		if (tevent_field(ev, "newcomm", &name, &n))
			n = (size_t)(ev->fields + ev->n - name);
		lifecycle_add(lc, LC_RENAME, c->ts_ns, pid, -1, c->cpu, name, n);
		break;
	case EV_THREAD_EXIT:
		lifecycle_add(lc, LC_EXIT, c->ts_ns, pid, -1, c->cpu, NULL, 0);
		if (tevent_int(ev, "status", &v)) {
			lc->ev[lc->nev - 1].code = v;
			lc->ev[lc->nev - 1].state = 1;
		}
		break;
	}
}

static void on_marker(void *ctx, const struct tl_call *c, const char *text, size_t n)
{
	struct lifecycle *lc = ctx;
	struct tevent ev;

	seen(lc, c, c->ts_ns);
	if (!c->synthetic && tevent_parse(text, n, &ev))
		lifecycle_event(lc, c, &ev);
}

static void on_switch(void *ctx, int cpu, int64_t ts, int64_t prev, int64_t next, char state)
{
	struct lifecycle *lc = ctx;

	cpurun_switch(&lc->run, cpu, ts, prev, next, state, on_run_switch, lc);
}

static void on_lost(void *ctx, int cpu, int64_t count)
{
	(void)ctx;
	(void)cpu;
	(void)count;
}

/* Top-level calls that never returned (a thread's main loop) last until its last event. */
static void on_input_end(void *ctx)
{
	struct lifecycle *lc = ctx;

	for (size_t i = 0; i < lc->nthreads; i++) {
		struct lc_thread *t = &lc->threads[i];
		if (t->open.func) {
			t->open.end = t->last > t->open.begin ? t->last : t->open.begin;
			keep_call(t, t->open);
			t->open.func = 0;
		}
	}
}

void lifecycle_init(struct lifecycle *lc)
{
	memset(lc, 0, sizeof(*lc));
	lc->comms = symtab_new();
	umap_init(&lc->thread_map);
	lc->sink = (struct tl_sink){ .ctx = lc, .thread = on_thread, .begin = on_begin,
				     .end = on_end, .marker = on_marker, .sched_switch = on_switch,
				     .lost = on_lost, .input_end = on_input_end };
}

void lifecycle_free(struct lifecycle *lc)
{
	symtab_free(lc->comms);
	umap_free(&lc->thread_map);
	free(lc->ev);
	free(lc->threads);
	cpurun_free(&lc->run);
}

static int64_t tsc_ns(uint64_t tsc, uint64_t hz)
{
	return (int64_t)((unsigned __int128)tsc * 1000000000u / (hz ? hz : 1));
}

void lifecycle_capture_table(struct lifecycle *lc, const char *path)
{
	if (!strcmp(path, "-") || !capture_sniff(path))
		return;
	struct capture *c = capture_open(path);
	if (!c)
		return;
	const struct rawhdr *h = capture_header(c);
	for (size_t i = 0; i < h->nthreads; i++) {
		const struct rawhdr_thread *t = &h->threads[i];
		if (!t->tid)
			continue;
		lifecycle_add(lc, LC_CREATE, tsc_ns(t->created, h->tsc_hz), t->tid, -1, -1,
			      t->name, strlen(t->name));
		if (t->exited != UINT64_MAX)
			lifecycle_add(lc, LC_EXIT, tsc_ns(t->exited, h->tsc_hz), t->tid, -1, -1,
				      NULL, 0);
	}
	capture_close(c);
}

/* At one time a thread begins before anything else it does and ends after it. */
static int rank(const struct lc_event *e)
{
	if (e->kind == LC_CREATE || e->kind == LC_FIRST_SEEN)
		return 0;
	return e->kind == LC_EXIT || e->kind == LC_LAST_SEEN ? 2 : 1;
}

static int by_time(const void *a, const void *b)
{
	const struct lc_event *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (rank(x) != rank(y))
		return rank(x) - rank(y);
	return x->order < y->order ? -1 : x->order > y->order;
}

static int by_thread_time(const void *a, const void *b)
{
	const struct lc_event *x = a, *y = b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return by_time(a, b);
}

/* Each event gets the name its thread had then: that of the last create or rename before
 * it, the first one's before any, the name the trace gave the thread without either. */
static void name_events(struct lifecycle *lc)
{
	for (size_t i = 0; i < lc->nev;) {
		size_t j = i;
		uint32_t cur = 0;
		while (j < lc->nev && lc->ev[j].tid == lc->ev[i].tid) {
			if (!cur && lc->ev[j].name)
				cur = lc->ev[j].name;
			j++;
		}
		if (!cur)
			cur = lifecycle_thread(lc, lc->ev[i].tid)->name;
		for (; i < j; i++) {
			if (lc->ev[i].name)
				cur = lc->ev[i].name;
			lc->ev[i].name = cur;
		}
	}
}

/* A capture's thread table and the thread_create / thread_exit events can both tell of one
 * creation or exit: a thread cannot be created twice without exiting between, nor exit
 * twice. The two become one event at the earlier time (the table's TSC is exact), with the
 * event's parent, name (the one at creation; the table has the last) and status. Needs the
 * events sorted by thread and time. */
static void merge_twins(struct lifecycle *lc)
{
	size_t out = 0;

	for (size_t i = 0; i < lc->nev; i++) {
		struct lc_event *e = &lc->ev[i], *prev = NULL;
		for (size_t j = out; j-- > 0 && lc->ev[j].tid == e->tid;) {
			if (lc->ev[j].kind == LC_CREATE || lc->ev[j].kind == LC_EXIT) {
				prev = &lc->ev[j];
				break;
			}
		}
		if (prev && prev->kind == e->kind && (e->kind == LC_CREATE || e->kind == LC_EXIT)) {
			bool from_event = e->cpu >= 0;	/* table entries have no CPU */
			if (prev->other < 0)
				prev->other = e->other;
			if (from_event && e->name)
				prev->name = e->name;
			if (from_event)
				prev->cpu = e->cpu;
			if (!prev->state && e->state)
				prev->code = e->code, prev->state = e->state;
			continue;
		}
		lc->ev[out++] = *e;
	}
	lc->nev = out;
}

void lifecycle_finish(struct lifecycle *lc, bool by_thread)
{
	for (size_t i = 0; i < lc->nthreads; i++) {
		struct lc_thread *t = &lc->threads[i];
		if (t->first < 0)
			continue;
		if (t->created < 0 || t->created > t->first)
			lifecycle_add(lc, LC_FIRST_SEEN, t->first, t->tid, -1, -1, NULL, 0);
		if (t->exited < t->last)
			lifecycle_add(lc, LC_LAST_SEEN, t->last, t->tid, -1, t->cpu, NULL, 0);
	}
	if (!lc->nev)
		return;
	qsort(lc->ev, lc->nev, sizeof(*lc->ev), by_thread_time);
	merge_twins(lc);
	name_events(lc);
	if (!by_thread)
		qsort(lc->ev, lc->nev, sizeof(*lc->ev), by_time);
}
