/* Chrome Trace Event JSON (the "JSON Array/Object Format" Perfetto and chrome://tracing
 * import): one complete ("X") event per call. pid = CPU and tid = thread, so Perfetto shows a
 * process per CPU holding a track per thread. Times are microseconds; traces without
 * funcgraph-abstime get a synthetic per-thread clock (children laid end to end). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/umap.h"
#include "tools/lib/xalloc.h"
#include "tools/parse-trace/emit.h"
#include "tools/parse-trace/threadname.h"

/* Chrome ids must be non-negative: an unknown thread gets UNKNOWN_TID_BASE + CPU. */

struct track {
	int cpu;
	int64_t tid;
};

/* Perfetto's legacy JSON importer struggles above about a million events */
#define CHROME_MAX_EVENTS 1000000

struct chrome {
	bool first;
	uint64_t events;
	struct umap seen;	/* (cpu, tid) -> index + 1 */
	struct track *tracks;
	size_t n, cap;
};

static int64_t chrome_tid(int cpu, int64_t tid)
{
	return tid >= 0 ? tid : UNKNOWN_TID_BASE + cpu;
}

static void note_track(struct chrome *c, int cpu, int64_t tid)
{
	uint64_t key = (uint64_t)(uint32_t)cpu << 32 ^ (uint64_t)chrome_tid(cpu, tid);

	if (umap_get(&c->seen, key))
		return;
	xgrow((void **)&c->tracks, &c->cap, c->n + 1, sizeof(*c->tracks));
	c->tracks[c->n++] = (struct track){ cpu, tid };
	umap_put(&c->seen, key, (uint32_t)c->n);
}

static void sep(struct emit *e, struct chrome *c)
{
	output_str(e->out, c->first ? "\n" : ",\n");
	c->first = false;
}

static void chrome_row(struct emit *e, const struct tp_row *r)
{
	struct chrome *c = e->priv;
	struct output *o = e->out;

	note_track(c, r->cpu, r->tid);
	c->events++;
	sep(e, c);
	output_str(o, "{\"name\":");
	output_json_str(o, symtab_name(e->st, r->func), symtab_len(e->st, r->func));
	output_str(o, ",\"ph\":\"X\",\"ts\":");
	output_us(o, r->start_ns >= 0 ? r->start_ns : r->vstart_ns);
	output_str(o, ",\"dur\":");
	output_us(o, r->dur_ns > 0 ? r->dur_ns : 0);
	output_str(o, ",\"pid\":");
	output_i64(o, r->cpu);
	output_str(o, ",\"tid\":");
	output_i64(o, chrome_tid(r->cpu, r->tid));
	if (r->self_ns >= 0) {
		output_str(o, ",\"args\":{\"self_us\":");
		output_us(o, r->self_ns);
		output_char(o, '}');
	}
	output_char(o, '}');
}

static void thread_meta(struct emit *e, const struct track *t)
{
	struct output *o = e->out;
	char name[THREAD_NAME_MAX];

	thread_name(e->tp, t->tid, name);
	output_str(o, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":");
	output_i64(o, t->cpu);
	output_str(o, ",\"tid\":");
	output_i64(o, chrome_tid(t->cpu, t->tid));
	output_str(o, ",\"args\":{\"name\":");
	output_json_str(o, name, strlen(name));
	output_str(o, "}}");
}

static void chrome_end(struct emit *e)
{
	struct chrome *c = e->priv;

	for (size_t i = 0; i < c->n; i++) {
		const struct track *t = &c->tracks[i];
		bool new_cpu = true;
		for (size_t j = 0; j < i; j++)
			new_cpu = new_cpu && c->tracks[j].cpu != t->cpu;
		if (new_cpu) {
			sep(e, c);
			output_str(e->out, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":");
			output_i64(e->out, t->cpu);
			output_str(e->out, ",\"args\":{\"name\":\"CPU ");
			output_i64(e->out, t->cpu);
			output_str(e->out, "\"}}");
		}
		sep(e, c);
		thread_meta(e, t);
	}
	output_str(e->out, "\n],\"displayTimeUnit\":\"ns\"}\n");
	if (c->events > CHROME_MAX_EVENTS && !e->quiet)
		fprintf(stderr, "parse-trace: %llu calls in Chrome JSON, more than Perfetto's JSON "
			"importer handles well (about %d); use --format perfetto\n",
			(unsigned long long)c->events, CHROME_MAX_EVENTS);
	umap_free(&c->seen);
	free(c->tracks);
	free(c);
}

void emit_chrome_init(struct emit *e)
{
	struct chrome *c = xcalloc(1, sizeof(*c));

	c->first = true;
	umap_init(&c->seen);
	e->priv = c;
	e->row = chrome_row;
	e->end = chrome_end;
	output_str(e->out, "{\"traceEvents\":[");
}
