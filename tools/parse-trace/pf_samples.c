/* CPU samples in the Perfetto export (glass's profile_sample events, docs/profiling.md):
 * one PerfSample packet per sample, on a sequence of their own with absolute BOOTTIME
 * timestamps. A sample names its thread by pid and tid, those of the thread's track
 * descriptor (pf_tracks.c), so trace_processor puts it on that thread; its stack is an
 * interned Callstack of interned Frames, each naming an interned function name. Each
 * entry is defined in the packet of its first use: a function name's and a frame's iid is
 * the function's symtab id, a callstack's is dense in first-use order. Every frame is in
 * one Mapping, "glass", at rel_pc 0: the text has names, not addresses, and
 * trace_processor releases that predate frames without a mapping drop such frames (it
 * tells frames apart by rel_pc and name). Field numbers: perfetto_subset.proto. */
#include <stdlib.h>
#include <string.h>

#include "tools/lib/tsample.h"
#include "tools/lib/xalloc.h"
#include "tools/parse-trace/perfetto.h"

/* TracePacket.perf_sample; InternedData's profiling tables */
enum { PKT_PERF_SAMPLE = 66, ID_FUNCTION_NAMES = 5, ID_FRAMES = 6, ID_CALLSTACKS = 7,
       ID_MAPPING_PATHS = 17, ID_MAPPINGS = 19 };
/* Frame.mapping_id, rel_pc; Mapping.path_string_ids; the one mapping's iid */
enum { FRAME_MAPPING_ID = 3, FRAME_REL_PC = 4, MAPPING_PATH_IDS = 7, GLASS_MAPPING = 1 };
/* PerfSample, Profiling.CpuMode */
enum { PS_CPU = 1, PS_PID = 2, PS_TID = 3, PS_CALLSTACK_IID = 4, PS_CPU_MODE = 5,
       MODE_KERNEL = 1 };

struct pf_samples {
	bool started;		/* the sequence's first packet (CLEARED) is written */
	int64_t last_ts;
	uint8_t *defined;	/* symtab id -> its function name and frame are defined */
	size_t cap_defined;
	struct umap node_map;	/* parent node << 32 | func -> node (a calling-context tree) */
	uint32_t nnodes;
	struct umap stack_map;	/* node -> callstack iid */
	uint32_t nstacks;
};

/* The node of the path root..leaf (stack is leaf first). */
static uint32_t path_node(struct pf_samples *s, const uint32_t *stack, size_t n)
{
	uint32_t node = 0;

	for (size_t i = n; i-- > 0;) {
		uint64_t key = (uint64_t)node << 32 | stack[i];
		uint32_t next = umap_get(&s->node_map, key);
		if (!next) {
			next = ++s->nnodes;
			umap_put(&s->node_map, key, next);
		}
		node = next;
	}
	return node;
}

static bool is_defined(struct pf_samples *s, uint32_t func)
{
	return func < s->cap_defined && s->defined[func];
}

static void set_defined(struct pf_samples *s, uint32_t func)
{
	if (func >= s->cap_defined) {
		size_t old = s->cap_defined;
		xgrow((void **)&s->defined, &s->cap_defined, (size_t)func + 1, 1);
		memset(s->defined + old, 0, s->cap_defined - old);
	}
	s->defined[func] = 1;
}

/* InternedData for a new callstack: the function names and frames it brings, then it. */
static void intern_stack(struct perfetto *pf, struct pf_samples *s, const struct tp_sample *t,
			 uint32_t iid)
{
	struct pbuf *b = &pf->pkt;
	const struct symtab *st = pf->e->st;
	size_t id = pb_open(b, PKT_INTERNED_DATA);

	if (!s->started) {	/* the sequence's first packet: the mapping of every frame */
		size_t m = pb_open(b, ID_MAPPING_PATHS);
		pb_uint(b, 1, 1);
		pb_bytes(b, 2, "glass", 5);
		pb_close(b, m);
		m = pb_open(b, ID_MAPPINGS);
		pb_uint(b, 1, GLASS_MAPPING);
		pb_uint(b, MAPPING_PATH_IDS, 1);
		pb_close(b, m);
	}
	for (size_t i = 0; i < t->n; i++) {
		uint32_t f = t->stack[i];
		if (is_defined(s, f))
			continue;
		size_t m = pb_open(b, ID_FUNCTION_NAMES);
		pb_uint(b, 1, f);
		pb_bytes(b, 2, symtab_name(st, f), symtab_len(st, f));
		pb_close(b, m);
		m = pb_open(b, ID_FRAMES);
		pb_uint(b, 1, f);
		pb_uint(b, 2, f);	/* function_name_id */
		pb_uint(b, FRAME_MAPPING_ID, GLASS_MAPPING);
		pb_uint(b, FRAME_REL_PC, 0);
		pb_close(b, m);
		set_defined(s, f);
	}
	size_t m = pb_open(b, ID_CALLSTACKS);
	pb_uint(b, 1, iid);
	for (size_t i = t->n; i-- > 0;)	/* bottom (outermost) frame first */
		pb_uint(b, 2, t->stack[i]);
	pb_close(b, m);
	pb_close(b, id);
}

/* A CPU sample with a time and a stack: its thread's track (described if new), then the
 * sample. Other profile events and samples without a timestamp are not shown. */
void pf_sample(struct perfetto *pf, const struct tp_sample *t)
{
	struct pf_samples *s = pf->samples;
	struct pbuf *b = &pf->pkt;

	if (t->kind != TSK_CPU || t->ts_ns < 0 || !t->n || t->cpu < 0)
		return;
	if (!s) {
		s = pf->samples = xcalloc(1, sizeof(*s));
		umap_init(&s->node_map);
		umap_init(&s->stack_map);
	}
	struct tl_call c = { .tid = t->tid, .cpu = t->cpu, .ts_ns = t->ts_ns };
	uint32_t pid;
	int64_t tid;
	pf_thread_ids(pf, pf_track(pf, &c), &pid, &tid);

	uint32_t node = path_node(s, t->stack, t->n);
	uint32_t iid = umap_get(&s->stack_map, node);
	bool fresh = !iid;
	if (fresh) {
		iid = ++s->nstacks;
		umap_put(&s->stack_map, node, iid);
	}
	int64_t ts = t->ts_ns;
	if (ts < s->last_ts) {	/* the CPUs' lines interleave out of time order */
		ts = s->last_ts;
		pf->clamped++;
	}
	s->last_ts = ts;
	pb_reset(b);
	pb_uint(b, PKT_TIMESTAMP, (uint64_t)ts);
	pb_uint(b, PKT_SEQUENCE_ID, PF_SAMPLES_SEQ);
	pb_uint(b, PKT_SEQUENCE_FLAGS, s->started ? SEQ_NEEDS_INCREMENTAL_STATE :
		SEQ_INCREMENTAL_STATE_CLEARED | SEQ_NEEDS_INCREMENTAL_STATE);
	if (fresh)	/* always on the first packet */
		intern_stack(pf, s, t, iid);
	s->started = true;
	size_t m = pb_open(b, PKT_PERF_SAMPLE);
	pb_uint(b, PS_CPU, (uint64_t)t->cpu);
	pb_uint(b, PS_PID, pid);
	pb_uint(b, PS_TID, (uint64_t)tid);
	pb_uint(b, PS_CALLSTACK_IID, iid);
	pb_uint(b, PS_CPU_MODE, MODE_KERNEL);
	pb_close(b, m);
	pf_emit_packet(pf);
}

void pf_samples_free(struct perfetto *pf)
{
	struct pf_samples *s = pf->samples;

	if (!s)
		return;
	umap_free(&s->node_map);
	umap_free(&s->stack_map);
	free(s->defined);
	free(s);
	pf->samples = NULL;
}
