/* Private state of the Perfetto exporter (emit_perfetto.c: events and slices, pf_tracks.c:
 * tracks and sequences, pf_sched.c: CPU tracks). Field numbers are those of
 * tools/parse-trace/perfetto_subset.proto (written from ../shared/spec/perfetto.md). */
#ifndef TOOLS_PARSE_TRACE_PERFETTO_H
#define TOOLS_PARSE_TRACE_PERFETTO_H

#include <stdbool.h>
#include <stdint.h>

#include "tools/lib/symtab.h"
#include "tools/lib/timeline.h"
#include "tools/lib/umap.h"
#include "tools/parse-trace/cpurun.h"
#include "tools/parse-trace/emit.h"
#include "tools/parse-trace/pbwrite.h"
#include "tools/parse-trace/pfstream.h"

/* TracePacket */
enum { PKT_CLOCK_SNAPSHOT = 6, PKT_TIMESTAMP = 8, PKT_SEQUENCE_ID = 10, PKT_TRACK_EVENT = 11,
       PKT_INTERNED_DATA = 12, PKT_SEQUENCE_FLAGS = 13, PKT_DEFAULTS = 59,
       PKT_TRACK_DESCRIPTOR = 60, PKT_TASK_STATE = 117 };
enum { SEQ_INCREMENTAL_STATE_CLEARED = 1, SEQ_NEEDS_INCREMENTAL_STATE = 2 };
/* TrackEvent */
enum { TE_TYPE = 9, TE_NAME_IID = 10, TE_TRACK_UUID = 11, TE_NAME = 23,
       TE_DOUBLE_COUNTER_VALUE = 44, TE_FLOW_IDS = 47, TE_TERMINATING_FLOW_IDS = 48 };
enum { TE_SLICE_BEGIN = 1, TE_SLICE_END = 2, TE_INSTANT = 3, TE_COUNTER = 4 };
/* TrackDescriptor.counter, CounterDescriptor.unit_name */
enum { TD_COUNTER = 8, CD_UNIT_NAME = 6 };
/* GenericKernelTaskStateEvent.state */
enum { TASK_RUNNABLE = 2, TASK_RUNNING = 3, TASK_INTERRUPTIBLE_SLEEP = 4,
       TASK_UNINTERRUPTIBLE_SLEEP = 5, TASK_STOPPED = 6, TASK_DEAD = 7 };

/* The sequence of track descriptors and CPU states (absolute BOOTTIME timestamps); each
 * thread track has its own sequence, numbered from 2. */
#define PF_GLOBAL_SEQ 1
/* The sequence of the CPU samples (pf_samples.c): above the thread tracks' (49151 at most)
 * and below pf_events.c's */
#define PF_SAMPLES_SEQ 49152u
/* The track of the process all threads belong to */
#define PF_PROCESS_UUID 1
/* trace_processor drops BEGINs deeper than this on one track (kMaxDepth) */
#define PF_MAX_DEPTH 512

struct pf_open {
	int depth;
	uint32_t func;
	int64_t shift;		/* how far the begin was moved to keep time monotonic */
};

struct pf_track {
	int64_t tid;		/* as the trace names it: -1 unknown, 0 idle (both per CPU) */
	int cpu;
	uint64_t uuid;
	uint32_t seq;
	bool started;		/* descriptor and clock snapshot written */
	int64_t last_ts;	/* time of the sequence's last packet */
	struct pf_open *open;	/* the open slices, innermost last */
	size_t nopen, cap_open;
	uint32_t *iid;		/* symtab id -> name iid on this sequence, 0 = not yet */
	size_t cap_iid;
	uint32_t next_iid;	/* dense in first-use order: hot names get 1-byte iids */
	uint32_t flow_done;	/* the last wakeup flow that ended on this track */
};

struct pf_cpu {
	int64_t running;	/* tid whose CPU slice is open; -2 none */
	int64_t lost;		/* events lost before the next event, -1 count unknown */
	bool lost_pending;
	uint32_t last_track;	/* index + 1 of the track of the CPU's last event */
	int64_t since;		/* when the running thread's CPU slice opened */
};

struct pf_util_thread;
struct pf_xtrack;
struct pf_samples;

struct perfetto {
	struct emit *e;
	bool zstd;
	struct pf_stream *stream;	/* NULL until the first event */
	struct pbuf pkt;
	struct tl_sink sink;

	struct pf_track *tracks;
	size_t ntracks, cap_tracks;
	struct umap track_map;		/* task key -> index + 1 */
	struct symtab *comms;
	struct umap comm_map;		/* tid -> comm id */
	int64_t global_last_ts;

	struct pf_cpu *cpus;
	size_t ncpus;
	struct umap tid_cpu;		/* tid -> CPU + 1 whose slice it holds */
	struct cpurun run;

	uint64_t clamped, dropped_ends, too_deep;

	int64_t util_period;		/* ns; 0: no CPU utilisation counters */
	struct pf_util_thread *util;
	size_t nutil, cap_util;
	struct umap util_map;		/* tid -> index + 1 */
	uint32_t util_entries;		/* kept in all */
	bool util_cut;			/* the budget ran out */

	struct pf_xtrack *xtracks;	/* app, irq and counter tracks (pf_events.c) */
	size_t nxtracks, cap_xtracks;
	struct umap xtrack_map;		/* kind << 56 | id -> index + 1 */
	struct symtab *xnames;		/* span names */
	struct umap wake_map;		/* wakee tid -> its last wakeup's flow id */
	uint32_t next_flow;
	struct pf_samples *samples;	/* NULL until the first CPU sample */
};

/* pf_tracks.c */
struct pf_track *pf_track(struct perfetto *pf, const struct tl_call *c);
/* The delta to write for an event at ts on t's sequence; time never goes back. */
uint64_t pf_stamp(struct perfetto *pf, struct pf_track *t, int64_t ts);
/* Starts a packet on the global sequence at absolute time ts (clamped likewise). */
void pf_global_packet(struct perfetto *pf, int64_t ts);
void pf_emit_packet(struct perfetto *pf);
const char *pf_comm(const struct perfetto *pf, int64_t tid);
/* The pid and tid t's descriptor gives its thread (made-up ones for idle and unknown). */
void pf_thread_ids(const struct perfetto *pf, const struct pf_track *t, uint32_t *pid,
		   int64_t *tid);
void pf_tracks_free(struct perfetto *pf);

/* pf_sched.c */
struct pf_cpu *pf_cpu(struct perfetto *pf, int cpu);
/* The thread of event c runs on its CPU from c's time: opens and closes CPU slices. */
void pf_sched_note(struct perfetto *pf, const struct tl_call *c);
/* A switch the text shows (ts < 0: a context-switch block, without a time). */
void pf_sched_switch(struct perfetto *pf, int cpu, int64_t ts, int64_t prev, int64_t next,
		     char state);

/* pf_util.c */
/* Thread tid ran on a CPU from `from` to `to`. */
void pf_util_run(struct perfetto *pf, int64_t tid, int64_t from, int64_t to);
/* The counter tracks, at the end of the trace (end: its last time). */
void pf_util_write(struct perfetto *pf, int64_t end);
void pf_util_free(struct perfetto *pf);
/* pf_events.c: a trace event that goes to a track of its own (true), else it is an
 * instant on its thread's track */
struct tevent;
bool pf_event(struct perfetto *pf, const struct tl_call *c, const struct tevent *ev);
/* Ends the slices still open on those tracks; frees them. */
void pf_events_end(struct perfetto *pf);
void pf_events_free(struct perfetto *pf);
/* pf_samples.c: a profile event (CPU samples are written, with their stacks) */
void pf_sample(struct perfetto *pf, const struct tp_sample *t);
void pf_samples_free(struct perfetto *pf);
/* pf_sched.c: the threads still on a CPU at end ran until then */
void pf_sched_end(struct perfetto *pf, int64_t end);

#endif
