/* pprof from profile events (tools/parse-trace/samples.h): one profile with a sample type
 * per kind of value, so `go tool pprof -sample_index=NAME` picks the view: samples and cpu
 * (the CPU profile: each sample counts one sampling period), off_cpu (time away charged to
 * the stack that blocked), alloc_objects, alloc_space, inuse_objects, inuse_space (heap and
 * page allocations, scaled by their 1-in-N sampling) and net_bytes. The default is cpu
 * when the capture has CPU samples, else the first kind it has. Thread and CPU are labels. */
#include <stdio.h>
#include <stdlib.h>

#include "tools/lib/tsample.h"
#include "tools/parse-trace/emit.h"
#include "tools/parse-trace/pprof.h"
#include "tools/parse-trace/samples.h"
#include "tools/parse-trace/threadname.h"

static const struct pprof_type types[SV_N] = {
	[SV_SAMPLES] = { "samples", "count" },
	[SV_CPU_NS] = { "cpu", "nanoseconds" },
	[SV_OFF_NS] = { "off_cpu", "nanoseconds" },
	[SV_ALLOC_OBJ] = { "alloc_objects", "count" },
	[SV_ALLOC_BYTES] = { "alloc_space", "bytes" },
	[SV_LIVE_OBJ] = { "inuse_objects", "count" },
	[SV_LIVE_BYTES] = { "inuse_space", "bytes" },
	[SV_NET_BYTES] = { "net_bytes", "bytes" },
};

static const char *default_type(const struct samples *s)
{
	if (samples_have(s, TSK_CPU))
		return "cpu";
	if (samples_have(s, TSK_OFFCPU))
		return "off_cpu";
	if (samples_have(s, TSK_ALLOC))
		return "alloc_space";
	return "net_bytes";
}

int emit_pprof_samples(struct emit *e, const struct samples *s)
{
	struct pprof *p = pprof_new(e->st, types, SV_N, e->out);
	uint32_t *stack = NULL;
	size_t cap = 0;
	char thread[THREAD_NAME_MAX], text[160];
	int status;

	pprof_comment(p, "parse-trace: glass profile events (sampled stacks, off-CPU time, "
			 "allocations, network bytes)");
	snprintf(text, sizeof(text), "events: %llu cpu samples, %llu off-cpu, %llu allocations, "
		 "%llu frees, %llu network",
		 (unsigned long long)s->count[TSK_CPU], (unsigned long long)s->count[TSK_OFFCPU],
		 (unsigned long long)s->count[TSK_ALLOC], (unsigned long long)s->count[TSK_FREE],
		 (unsigned long long)s->count[TSK_NET]);
	pprof_comment(p, text);
	pprof_default_type(p, default_type(s));
	if (s->spanned && s->last_ns > s->first_ns)
		pprof_duration(p, s->last_ns - s->first_ns);
	for (size_t i = 0; i < s->naggs; i++) {
		const struct sample_agg *a = &s->aggs[i];
		const struct sample_where *w = &s->wheres[a->where];
		size_t n = samples_path(s, a->node, &stack, &cap);

		thread_name(e->tp, w->tid, thread);
		pprof_sample(p, stack, n, a->v, thread, w->cpu);
	}
	status = pprof_finish(p);
	pprof_free(p);
	free(stack);
	return status;
}
