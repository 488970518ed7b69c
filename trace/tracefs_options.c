/* The tracefs file trace_options: the printer's options (trace/output.h) and the few the
 * tracer, the ring and the files themselves keep. */
#include <errno.h>
#include "trace/tracefs_file.h"
#include "trace/config.h"
#include "trace/core.h"
#include "trace/flow.h"
#include "trace/output.h"
#include "trace/ring.h"
#include "kernel/printf.h"

enum { OPT_PRINT, OPT_OVERWRITE, OPT_MARKERS, OPT_PAUSE, OPT_SLEEP_TIME, OPT_TRACE_SERVER,
       OPT_FLOW };

struct tf_opt {
	const char *name;
	unsigned out_bit; /* OUT_OPT_* of out_options, or 0 */
	int special;      /* OPT_*, when out_bit is 0 */
};

/* Linux's order: global options, then function_graph's (listed and settable whatever the
 * current tracer, so they can be set before switching to it). */
static const struct tf_opt opts[] = {
	{ "print-parent", OUT_OPT_PARENT, 0 },
	{ "context-info", OUT_OPT_CONTEXT, 0 },
	{ "overwrite", 0, OPT_OVERWRITE },
	{ "irq-info", OUT_OPT_IRQ_INFO, 0 },
	{ "markers", 0, OPT_MARKERS },
	{ "pause-on-trace", 0, OPT_PAUSE },
	{ "trace-server", 0, OPT_TRACE_SERVER }, /* glass's: record serving the trace */
	{ "flow-control", 0, OPT_FLOW },         /* glass's: writers wait for the reader
						  * (trace/flow.h) */
	{ "funcgraph-cpu", OUT_OPT_CPU, 0 },
	{ "funcgraph-overhead", OUT_OPT_OVERHEAD, 0 },
	{ "funcgraph-proc", OUT_OPT_PROC, 0 },
	{ "funcgraph-duration", OUT_OPT_DURATION, 0 },
	{ "funcgraph-abstime", OUT_OPT_ABSTIME, 0 },
	{ "funcgraph-irqs", OUT_OPT_IRQS, 0 },
	{ "funcgraph-tail", OUT_OPT_TAIL, 0 },
	{ "sleep-time", 0, OPT_SLEEP_TIME },
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static bool opt_get(const struct tf_opt *o)
{
	if (o->out_bit)
		return (out_options & o->out_bit) != 0;
	if (o->special == OPT_OVERWRITE)
		return ring.overwrite;
	if (o->special == OPT_SLEEP_TIME)
		return trace_cfg.sleep_time;
	if (o->special == OPT_TRACE_SERVER)
		return trace_cfg.trace_server;
	if (o->special == OPT_FLOW)
		return trace_flow_enabled();
	return o->special == OPT_MARKERS ? tf.markers : tf.pause_on_trace;
}

static void opt_set(const struct tf_opt *o, bool on)
{
	if (o->out_bit)
		out_options = on ? out_options | o->out_bit : out_options & ~o->out_bit;
	else if (o->special == OPT_OVERWRITE)
		ring_set_overwrite(on);
	else if (o->special == OPT_SLEEP_TIME)
		trace_set_sleep_time(on);
	else if (o->special == OPT_TRACE_SERVER)
		trace_set_trace_server(on);
	else if (o->special == OPT_FLOW)
		trace_flow_set(on);
	else if (o->special == OPT_MARKERS)
		tf.markers = on;
	else
		tf.pause_on_trace = on;
}

int tf_options_write(struct tracefs_file *f, const char *buf, size_t len)
{
	const char *s = tf_trim(buf, &len);
	bool on = !(len > 2 && s[0] == 'n' && s[1] == 'o');
	const char *name = on ? s : s + 2;
	size_t n = on ? len : len - 2;

	for (size_t i = 0; i < NOPTS; i++) {
		if (tf_word_is(name, n, opts[i].name)) {
			opt_set(&opts[i], on);
			return 0;
		}
	}
	return tf_fail(f, -EINVAL, "unknown option (see trace_options)");
}

size_t tf_options_show(struct tracefs_file *f, char *s, size_t cap)
{
	size_t n = 0;

	(void)f;
	for (size_t i = 0; i < NOPTS; i++)
		n += (size_t)ksnprintf(s + n, cap - n, "%s%s\n", opt_get(&opts[i]) ? "" : "no",
				       opts[i].name);
	return n;
}
