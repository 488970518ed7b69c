/* Thread tracks of the Perfetto export: one TrackDescriptor per thread ("comm-tid") and
 * one packet sequence per thread, which carries its interned names, its defaults (the
 * track, the clock) and an incremental clock, so an event packet holds only a small time
 * delta, the sequence id and the event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/xalloc.h"
#include "tools/parse-trace/perfetto.h"
#include "tools/parse-trace/threadname.h"

/* Thread ids for tracks that are no real thread: one per CPU above Linux's PID_MAX_LIMIT
 * (threadname.h), for unknown threads and the idle task; then the process of them all. */
#define IDLE_TID_BASE (UNKNOWN_TID_BASE + 65536)
#define PROCESS_PID (IDLE_TID_BASE + 65536)
#define CLOCK_BOOTTIME 6
#define CLOCK_INCREMENTAL 64	/* sequence-scoped, as the Perfetto SDK numbers it */

static uint64_t task_key(int cpu, int64_t tid)
{
	if (tid > 0)
		return (uint64_t)tid;
	return (1ULL << 62) | ((uint64_t)(uint32_t)cpu << 8) | (uint64_t)(tid + 1);
}

const char *pf_comm(const struct perfetto *pf, int64_t tid)
{
	uint32_t id = tid >= 0 ? umap_get(&pf->comm_map, (uint64_t)tid) : 0;

	return id ? symtab_name(pf->comms, id) : NULL;
}


void pf_global_packet(struct perfetto *pf, int64_t ts)
{
	if (ts < pf->global_last_ts) {
		ts = pf->global_last_ts;
		pf->clamped++;
	}
	pf->global_last_ts = ts;
	pb_reset(&pf->pkt);
	pb_uint(&pf->pkt, PKT_TIMESTAMP, (uint64_t)ts);
	pb_uint(&pf->pkt, PKT_SEQUENCE_ID, PF_GLOBAL_SEQ);
}

/* The process every thread belongs to: the text does not say which process a thread is
 * in (glass has one), and a common parent keeps the tracks together in the UI. Written
 * before the first packet, whichever that is. */
static void start_output(struct perfetto *pf)
{
	struct pbuf b = { 0 };

	pf->stream = pf_stream_new(pf->e->out, pf->zstd);
	pb_uint(&b, PKT_SEQUENCE_ID, PF_GLOBAL_SEQ);
	size_t td = pb_open(&b, PKT_TRACK_DESCRIPTOR);
	pb_uint(&b, 1, PF_PROCESS_UUID);
	size_t pd = pb_open(&b, 3);
	pb_uint(&b, 1, PROCESS_PID);
	pb_bytes(&b, 6, "trace", 5);
	pb_close(&b, pd);
	pb_close(&b, td);
	pf_stream_packet(pf->stream, &b);
	pb_free(&b);
}

void pf_emit_packet(struct perfetto *pf)
{
	if (!pf->stream)
		start_output(pf);
	pf_stream_packet(pf->stream, &pf->pkt);
}

static void track_name(const struct perfetto *pf, const struct pf_track *t, char *buf,
		       size_t n, int64_t *tid)
{
	const char *comm = pf_comm(pf, t->tid);

	*tid = t->tid;
	if (t->tid > 0) {
		snprintf(buf, n, "%.100s-%lld", comm ? comm : "tid", (long long)t->tid);
	} else if (t->tid == 0) {
		snprintf(buf, n, "%.100s-0 (CPU %d)", comm ? comm : "idle", t->cpu);
		*tid = IDLE_TID_BASE + t->cpu;
	} else {
		snprintf(buf, n, "unknown thread (CPU %d)", t->cpu);
		*tid = UNKNOWN_TID_BASE + t->cpu;
	}
}

void pf_thread_ids(const struct perfetto *pf, const struct pf_track *t, uint32_t *pid,
		   int64_t *tid)
{
	char name[160];

	track_name(pf, t, name, sizeof(name), tid);
	*pid = PROCESS_PID;
}

static void write_descriptor(struct perfetto *pf, const struct pf_track *t)
{
	struct pbuf *b = &pf->pkt;
	char name[160];
	int64_t tid;

	track_name(pf, t, name, sizeof(name), &tid);
	pb_reset(b);
	pb_uint(b, PKT_SEQUENCE_ID, PF_GLOBAL_SEQ);
	size_t td = pb_open(b, PKT_TRACK_DESCRIPTOR);
	pb_uint(b, 1, t->uuid);
	pb_bytes(b, 2, name, strlen(name));
	size_t th = pb_open(b, 4);
	pb_uint(b, 1, PROCESS_PID);
	pb_uint(b, 2, (uint64_t)tid);
	/* the thread's own name where it has one, so the track reads "comm tid" */
	const char *comm = t->tid > 0 ? pf_comm(pf, t->tid) : NULL;
	pb_bytes(b, 5, comm ? comm : name, strlen(comm ? comm : name));
	pb_close(b, th);
	pb_close(b, td);
	pf_emit_packet(pf);
}

static void add_clock(struct pbuf *b, unsigned id, int64_t ts, bool incremental)
{
	size_t m = pb_open(b, 1);

	pb_uint(b, 1, id);
	pb_uint(b, 2, (uint64_t)ts);
	if (incremental)
		pb_uint(b, 3, 1);
	pb_close(b, m);
}

/* The sequence's first packet: clears its state, ties its incremental clock to BOOTTIME
 * at ts and makes the thread's track and that clock the defaults of later packets. */
static void start_sequence(struct perfetto *pf, struct pf_track *t, int64_t ts)
{
	struct pbuf *b = &pf->pkt;

	pb_reset(b);
	pb_uint(b, PKT_TIMESTAMP, (uint64_t)ts);
	pb_uint(b, PKT_SEQUENCE_ID, t->seq);
	pb_uint(b, PKT_SEQUENCE_FLAGS, SEQ_INCREMENTAL_STATE_CLEARED | SEQ_NEEDS_INCREMENTAL_STATE);
	size_t cs = pb_open(b, PKT_CLOCK_SNAPSHOT);
	add_clock(b, CLOCK_BOOTTIME, ts, false);
	add_clock(b, CLOCK_INCREMENTAL, ts, true);
	pb_close(b, cs);
	size_t d = pb_open(b, PKT_DEFAULTS);
	pb_uint(b, 58, CLOCK_INCREMENTAL);
	size_t ted = pb_open(b, 11);
	pb_uint(b, 11, t->uuid);
	pb_close(b, ted);
	pb_close(b, d);
	pf_emit_packet(pf);
	t->last_ts = ts;
	t->started = true;
}

struct pf_track *pf_track(struct perfetto *pf, const struct tl_call *c)
{
	uint64_t key = task_key(c->cpu, c->tid);
	uint32_t idx = umap_get(&pf->track_map, key);
	struct pf_track *t;

	if (idx)
		return &pf->tracks[idx - 1];
	xgrow((void **)&pf->tracks, &pf->cap_tracks, pf->ntracks + 1, sizeof(*pf->tracks));
	t = &pf->tracks[pf->ntracks++];
	*t = (struct pf_track){ .tid = c->tid, .cpu = c->cpu, .uuid = PF_PROCESS_UUID + pf->ntracks,
				.seq = PF_GLOBAL_SEQ + (uint32_t)pf->ntracks };
	umap_put(&pf->track_map, key, (uint32_t)pf->ntracks);
	write_descriptor(pf, t);
	start_sequence(pf, t, c->ts_ns > 0 ? c->ts_ns : 0);
	return t;
}

uint64_t pf_stamp(struct perfetto *pf, struct pf_track *t, int64_t ts)
{
	if (ts < t->last_ts) {
		ts = t->last_ts;
		pf->clamped++;
	}
	uint64_t d = (uint64_t)(ts - t->last_ts);
	t->last_ts = ts;
	return d;
}

void pf_tracks_free(struct perfetto *pf)
{
	for (size_t i = 0; i < pf->ntracks; i++) {
		free(pf->tracks[i].open);
		free(pf->tracks[i].iid);
	}
	free(pf->tracks);
	umap_free(&pf->track_map);
}
