/* Profile events in a trace's text (tools/lib/tsample.h) to the parser's sample callback,
 * their frames interned like the calls' functions. */
#include "tools/lib/tparse_internal.h"
#include "tools/lib/tsample.h"

bool tp_sample_text(struct tparse *tp, const char *s, const char *e, int cpu, int64_t tid,
		    int64_t ts_ns)
{
	struct tsample_text t;
	uint32_t stack[TSAMPLE_MAX_FRAMES];
	struct tp_sample out;

	if (!tsample_parse(s, e, &t))
		return false;
	for (size_t i = 0; i < t.nframes; i++)
		stack[i] = symtab_intern(tp->st, t.frames[i].p, t.frames[i].n);
	out = (struct tp_sample){
		.kind = (int)t.kind, .cpu = cpu, .tid = tid >= 0 ? tid : tp_cpu_tid(tp, cpu),
		.ts_ns = ts_ns, .hz = t.hz, .ns = t.ns, .bytes = t.bytes, .every = t.every,
		.ptr = t.ptr, .stack_id = t.stack_id, .state = t.state, .tx = t.tx,
		.stack = stack, .n = t.nframes,
	};
	if (t.kind == TSK_NET && t.conn.n)
		out.what = symtab_intern(tp->st, t.conn.p, t.conn.n);
	else if (t.alloc_kind.n)
		out.what = symtab_intern(tp->st, t.alloc_kind.p, t.alloc_kind.n);
	tp->stats.samples++;
	tp->stats.events++;
	if (tp->cfg.sample)
		tp->cfg.sample(tp->cfg.ctx, &out);
	return true;
}
