/* Perfetto's native protobuf trace (docs/perfetto.md): a track per thread with its calls
 * as nested TrackEvent slices, markers and lost events as instant events on the thread's
 * track, CPU tracks from the threads seen running on each CPU, a CPU utilisation counter
 * per thread (pf_util.c), app spans, interrupts and counters on tracks of their own
 * (pf_events.c), wakeups as flows from the waker's instant to the wakee's next slice, CPU
 * samples with their interned call stacks on their threads (pf_samples.c). It is fed
 * timeline events (tools/lib/timeline.h), not rows, and streams: memory holds one packet
 * chunk, the open calls and the names defined on each sequence, never the trace. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/tevent.h"
#include "tools/lib/xalloc.h"
#include "tools/parse-trace/perfetto.h"
#include "trace/event_format.h"

/* The iid of function func on t's sequence; *fresh when it must be defined now. */
static uint32_t name_iid(struct pf_track *t, uint32_t func, bool *fresh)
{
	if (func >= t->cap_iid) {
		size_t old = t->cap_iid;
		xgrow((void **)&t->iid, &t->cap_iid, (size_t)func + 1, sizeof(*t->iid));
		memset(t->iid + old, 0, (t->cap_iid - old) * sizeof(*t->iid));
	}
	*fresh = !t->iid[func];
	if (*fresh)
		t->iid[func] = ++t->next_iid;
	return t->iid[func];
}

/* Starts an event packet: the time delta and the sequence; the track is the default. */
static void event_packet(struct perfetto *pf, struct pf_track *t, int64_t ts)
{
	pb_reset(&pf->pkt);
	pb_uint(&pf->pkt, PKT_TIMESTAMP, pf_stamp(pf, t, ts));
	pb_uint(&pf->pkt, PKT_SEQUENCE_ID, t->seq);
}

static void slice_end(struct perfetto *pf, struct pf_track *t, int64_t ts)
{
	event_packet(pf, t, ts);
	size_t m = pb_open(&pf->pkt, PKT_TRACK_EVENT);
	pb_uint(&pf->pkt, TE_TYPE, TE_SLICE_END);
	pb_close(&pf->pkt, m);
	pf_emit_packet(pf);
	t->nopen--;
}

/* A BEGIN names the slice by iid; the first use on a sequence defines it in the same
 * packet (the reader applies interned data before the event). */
static void slice_begin(struct perfetto *pf, struct pf_track *t, int64_t ts, uint32_t func)
{
	struct pbuf *b = &pf->pkt;
	bool fresh;
	uint32_t iid = name_iid(t, func, &fresh);

	event_packet(pf, t, ts);
	size_t m = pb_open(b, PKT_TRACK_EVENT);
	pb_uint(b, TE_TYPE, TE_SLICE_BEGIN);
	pb_uint(b, TE_NAME_IID, iid);
	uint32_t flow = t->tid > 0 ? umap_get(&pf->wake_map, (uint64_t)t->tid) : 0;
	if (flow > t->flow_done) {	/* the thread's first slice since its wakeup */
		pb_fixed64(b, TE_TERMINATING_FLOW_IDS, flow);
		t->flow_done = flow;
	}
	pb_close(b, m);
	if (fresh) {
		size_t id = pb_open(b, PKT_INTERNED_DATA);
		size_t en = pb_open(b, 2);
		pb_uint(b, 1, iid);
		pb_bytes(b, 2, symtab_name(pf->e->st, func), symtab_len(pf->e->st, func));
		pb_close(b, en);
		pb_close(b, id);
		pb_uint(b, PKT_SEQUENCE_FLAGS, SEQ_NEEDS_INCREMENTAL_STATE);
	}
	pf_emit_packet(pf);
	xgrow((void **)&t->open, &t->cap_open, t->nopen + 1, sizeof(*t->open));
}

/* flow: a wakeup's flow id (its arrow ends at the wakee's next slice), 0 none */
static void instant(struct perfetto *pf, struct pf_track *t, int64_t ts, const char *name,
		    size_t n, uint32_t flow)
{
	event_packet(pf, t, ts);
	size_t m = pb_open(&pf->pkt, PKT_TRACK_EVENT);
	pb_uint(&pf->pkt, TE_TYPE, TE_INSTANT);
	pb_bytes(&pf->pkt, TE_NAME, n ? name : "(empty marker)", n ? n : 14);
	if (flow)
		pb_fixed64(&pf->pkt, TE_FLOW_IDS, flow);
	pb_close(&pf->pkt, m);
	pf_emit_packet(pf);
}

/* Ends the open slices at depth >= depth: their returns are not in the trace. */
static void close_from(struct perfetto *pf, struct pf_track *t, int depth, int64_t ts)
{
	while (t->nopen && t->open[t->nopen - 1].depth >= depth)
		slice_end(pf, t, ts);
}

static void lost_marker(struct perfetto *pf, struct pf_track *t, struct pf_cpu *cpu, int n,
			int64_t ts)
{
	char text[96];

	if (cpu->lost >= 0)
		snprintf(text, sizeof(text), "CPU %d lost %lld events", n, (long long)cpu->lost);
	else
		snprintf(text, sizeof(text), "CPU %d lost events", n);
	instant(pf, t, ts, text, strlen(text), 0);
	cpu->lost_pending = false;
	cpu->lost = 0;
}

/* The track of event c, after what happened on its CPU before it: lost events, a change
 * of the thread running there. */
static struct pf_track *track_at(struct perfetto *pf, const struct tl_call *c)
{
	struct pf_track *t = pf_track(pf, c);
	struct pf_cpu *cpu = pf_cpu(pf, c->cpu);

	cpu->last_track = (uint32_t)(t - pf->tracks) + 1;
	pf_sched_note(pf, c);
	if (cpu->lost_pending)
		lost_marker(pf, t, cpu, c->cpu, c->ts_ns);
	return t;
}

static void on_begin(void *ctx, const struct tl_call *c)
{
	struct perfetto *pf = ctx;
	struct pf_track *t = track_at(pf, c);

	close_from(pf, t, c->depth, c->ts_ns);
	if (t->nopen >= PF_MAX_DEPTH) {
		pf->too_deep++;
		return;
	}
	/* Times printed in us (abstime) make a call seem to begin before its previous
	 * sibling ended; it is moved to that end and keeps its exact duration. */
	int64_t shift = t->last_ts > c->ts_ns ? t->last_ts - c->ts_ns : 0;
	slice_begin(pf, t, c->ts_ns, c->func);
	t->open[t->nopen++] = (struct pf_open){ c->depth, c->func, shift };
}

static void on_end(void *ctx, const struct tl_call *c)
{
	struct perfetto *pf = ctx;
	struct pf_track *t = track_at(pf, c);

	close_from(pf, t, c->depth + 1, c->ts_ns);
	const struct pf_open *top = t->nopen ? &t->open[t->nopen - 1] : NULL;
	if (top && top->depth == c->depth) {
		/* a return naming another function: the open call's return is missing, and
		 * this one's entry precedes the trace (as tstack.c reads it) */
		bool other = c->func && top->func != c->func;
		slice_end(pf, t, other ? c->ts_ns : c->ts_ns + top->shift);
		if (!other)
			return;
	}
	pf->dropped_ends++;	/* its entry precedes the trace */
}

/* A marker, or a trace event: those with tracks of their own go there (pf_events.c); a
 * wakeup is an instant on the waker's track with a flow to the wakee. */
static void on_marker(void *ctx, const struct tl_call *c, const char *text, size_t n)
{
	struct perfetto *pf = ctx;
	struct pf_track *t = track_at(pf, c);
	struct tevent ev;
	uint32_t flow = 0;
	int64_t pid;

	if (!c->synthetic && tevent_parse(text, n, &ev)) {
		if (pf_event(pf, c, &ev))
			return;
		if (ev.id == EV_SCHED_WAKEUP && tevent_int(&ev, "pid", &pid) && pid > 0) {
			flow = ++pf->next_flow;
			umap_put(&pf->wake_map, (uint64_t)pid, flow);
		}
	}
	instant(pf, t, c->ts_ns, text, n, flow);
}

static void on_thread(void *ctx, int64_t tid, const char *comm, size_t n)
{
	struct perfetto *pf = ctx;

	if (tid >= 0 && n && !umap_get(&pf->comm_map, (uint64_t)tid))
		umap_put(&pf->comm_map, (uint64_t)tid, symtab_intern(pf->comms, comm, n));
}

static void on_switch_event(void *ctx, int cpu, int64_t ts, int64_t prev_tid,
			    int64_t next_tid, char prev_state)
{
	struct perfetto *pf = ctx;

	if (cpu >= 0)
		pf_sched_switch(pf, cpu, ts, prev_tid, next_tid, prev_state);
}

static void on_lost(void *ctx, int cpu_nr, int64_t count)
{
	struct perfetto *pf = ctx;

	if (cpu_nr < 0)
		return;
	struct pf_cpu *cpu = pf_cpu(pf, cpu_nr);
	if (count < 0 || cpu->lost < 0)
		cpu->lost = -1;
	else
		cpu->lost += count;
	cpu->lost_pending = true;
}

/* Calls still open end with their thread's last event; lost events with no event after
 * them are marked on the CPU's last thread. */
static void on_input_end(void *ctx)
{
	struct perfetto *pf = ctx;

	for (size_t i = 0; i < pf->ncpus; i++) {
		struct pf_cpu *cpu = &pf->cpus[i];
		if (cpu->lost_pending && cpu->last_track) {
			struct pf_track *t = &pf->tracks[cpu->last_track - 1];
			lost_marker(pf, t, cpu, (int)i, t->last_ts);
		}
		cpu->lost_pending = false;
	}
	for (size_t i = 0; i < pf->ntracks; i++)
		close_from(pf, &pf->tracks[i], 0, pf->tracks[i].last_ts);
	pf_events_end(pf);
}

static void perfetto_row(struct emit *e, const struct tp_row *r)
{
	(void)e;
	(void)r;	/* calls arrive as timeline events */
}

static void perfetto_sample(struct emit *e, const struct tp_sample *t)
{
	pf_sample(e->priv, t);
}

static void perfetto_end(struct emit *e)
{
	struct perfetto *pf = e->priv;

	if (pf->util_period) {	/* the threads still running ran until the trace's end */
		int64_t end = pf->global_last_ts;
		for (size_t i = 0; i < pf->ntracks; i++)
			if (pf->tracks[i].last_ts > end)
				end = pf->tracks[i].last_ts;
		pf_sched_end(pf, end);
		pf_util_write(pf, end);
	}
	if (pf->stream)
		pf_stream_close(pf->stream);
	pf_util_free(pf);
	pf_events_free(pf);
	pf_samples_free(pf);
	umap_free(&pf->wake_map);
	pf_tracks_free(pf);
	symtab_free(pf->comms);
	umap_free(&pf->comm_map);
	umap_free(&pf->tid_cpu);
	cpurun_free(&pf->run);
	free(pf->cpus);
	pb_free(&pf->pkt);
	free(pf);
	e->priv = NULL;
}

const struct tl_sink *emit_perfetto_init(struct emit *e, bool zstd)
{
	struct perfetto *pf = xcalloc(1, sizeof(*pf));

	pf->e = e;
	pf->zstd = zstd;
	pf->comms = symtab_new();
	umap_init(&pf->track_map);
	umap_init(&pf->comm_map);
	umap_init(&pf->tid_cpu);
	umap_init(&pf->util_map);
	umap_init(&pf->xtrack_map);
	umap_init(&pf->wake_map);
	pf->xnames = symtab_new();
	pf->util_period = e->cpu_util_hz ? 1000000000 / (int64_t)e->cpu_util_hz : 0;
	pf->sink = (struct tl_sink){ .ctx = pf, .thread = on_thread, .begin = on_begin,
				     .end = on_end, .marker = on_marker,
				     .sched_switch = on_switch_event, .lost = on_lost,
				     .input_end = on_input_end };
	e->priv = pf;
	e->row = perfetto_row;
	e->sample = perfetto_sample;
	e->end = perfetto_end;
	return &pf->sink;
}
