/* The tracefs files that are one setting or one report: tracing_on, current_tracer,
 * available_tracers, buffer_size_kb, buffer_total_size_kb, max_graph_depth,
 * tracing_thresh, trace_marker and per_cpu/cpuN/stats. */
#include <errno.h>
#include "trace/tracefs_file.h"
#include "trace/config.h"
#include "trace/core.h"
#include "trace/env.h"
#include "trace/patch.h"
#include "trace/ring.h"
#include "kernel/printf.h"

/* ---- tracing_on ---- */

size_t tf_tracing_on_show(struct tracefs_file *f, char *s, size_t cap)
{
	(void)f;
	return (size_t)ksnprintf(s, cap, "%d\n", tf_tracing_on() ? 1 : 0);
}

int tf_tracing_on_write(struct tracefs_file *f, const char *buf, size_t len)
{
	uint64_t v;

	if (tf_number(f, buf, len, &v))
		return -EINVAL;
	tf_set_tracing_on(v != 0);
	return 0;
}

/* ---- current_tracer, available_tracers ---- */

static const char *const tracer_names[] = {
	[TRACE_NOP] = "nop", [TRACE_FUNCTION] = "function", [TRACE_GRAPH] = "function_graph",
};

/* tracing_set_tracer(): stop recording, clear, patch, start with the new tracer. */
int tf_tracer_write(struct tracefs_file *f, const char *buf, size_t len)
{
	const char *s = tf_trim(buf, &len);
	int t = -1;

	for (int i = 0; i < 3; i++)
		if (tf_word_is(s, len, tracer_names[i]))
			t = i;
	if (t < 0)
		return tf_fail(f, -EINVAL,
			       "no such tracer (available: function_graph function nop)");
	if (t == trace_cfg.tracer)
		return 0;
	trace_set_tracer(TRACE_NOP);
	ring_clear();
	patch_set_return_hooks(t == TRACE_GRAPH); /* function_graph's return sites */
	if (t != TRACE_NOP && patch_apply(filter_wanted, NULL))
		return tf_fail(f, -EINVAL, "patching call sites failed");
	if (t == TRACE_NOP)
		patch_apply(tf_want_none, NULL);
	trace_set_tracer((enum trace_tracer)t);
	return 0;
}

size_t tf_tracer_show(struct tracefs_file *f, char *s, size_t cap)
{
	(void)f;
	return (size_t)ksnprintf(s, cap, "%s\n", tracer_names[trace_cfg.tracer]);
}

size_t tf_tracers_show(struct tracefs_file *f, char *s, size_t cap)
{
	(void)f;
	return (size_t)ksnprintf(s, cap, "function_graph function nop\n");
}

/* ---- buffer sizes ---- */

size_t tf_bufsize_show(struct tracefs_file *f, char *s, size_t cap)
{
	(void)f;
	return (size_t)ksnprintf(s, cap, "%zu\n", ring_size() / 1024);
}

int tf_bufsize_write(struct tracefs_file *f, const char *buf, size_t len)
{
	uint64_t kb;
	int err;

	_Static_assert(RING_MIN_BYTES == 16 * 1024, "the message below says 16 KiB");
	if (tf_parse_u64(buf, len, &kb))
		return tf_fail(f, -EINVAL, "expected a size in KiB");
	if (kb < RING_MIN_BYTES / 1024)
		return tf_fail(f, -EINVAL,
			       "buffer_size_kb: at least 16 KiB per CPU (two 8 KiB blocks)");
	if (kb > RING_MAX_BYTES / 1024)
		return tf_fail(f, -EINVAL, "buffer_size_kb: at most 1048576 KiB per CPU");
	if (tf.readers)
		return tf_fail(f, -EBUSY,
			       "the buffer is being read (close trace/trace_pipe first)");
	err = ring_resize(kb * 1024);
	if (err == -ENOMEM)
		return tf_fail(f, err, "out of memory: the old buffers are kept");
	if (err)
		return tf_fail(f, err, "writers did not leave the buffer; try again");
	return 0;
}


size_t tf_buftotal_show(struct tracefs_file *f, char *s, size_t cap)
{
	(void)f;
	return (size_t)ksnprintf(s, cap, "%zu\n", ring_size() / 1024 * ring_ncpus());
}

/* ---- max_graph_depth, tracing_thresh ---- */

size_t tf_max_depth_show(struct tracefs_file *f, char *s, size_t cap)
{
	(void)f;
	return (size_t)ksnprintf(s, cap, "%u\n", trace_cfg.max_graph_depth);
}

int tf_max_depth_write(struct tracefs_file *f, const char *buf, size_t len)
{
	uint64_t v;

	if (tf_number(f, buf, len, &v))
		return -EINVAL;
	if (v > 0xffffffffu)
		return tf_fail(f, -EINVAL, "max_graph_depth: number too large");
	trace_set_max_graph_depth((unsigned)v);
	return 0;
}

size_t tf_thresh_show(struct tracefs_file *f, char *s, size_t cap)
{
	(void)f;
	return (size_t)ksnprintf(s, cap, "%llu\n", (unsigned long long)trace_thresh_us());
}

/* In microseconds. */
int tf_thresh_write(struct tracefs_file *f, const char *buf, size_t len)
{
	uint64_t v;

	if (tf_number(f, buf, len, &v))
		return -EINVAL;
	if (v > 1000000000ull)
		return tf_fail(f, -EINVAL, "tracing_thresh: at most 1000000000 us");
	trace_set_thresh_us(v);
	return 0;
}

/* ---- trace_marker ---- */

/* trace_marker: the text goes into this CPU's buffer (Linux: -EBADF while recording is
 * off; a full buffer counts the marker as dropped, as for any event). */
int tf_marker_write(struct tracefs_file *f, const char *buf, size_t len)
{
	if (!tf.markers)
		return tf_fail(f, -EINVAL, "option markers is off");
	if (!trace_cfg.on || trace_cfg.stopped)
		return tf_fail(f, -EBADF, "tracing is off");
	if (trace_marker_write(buf, len) == -EAGAIN)
		return tf_fail(f, -EAGAIN, "called from inside the tracer");
	return 0;
}

/* ---- per_cpu/cpuN/stats ---- */

/* TSC ticks to microseconds, rounded like Linux's ns2usecs(). */
static uint64_t tsc_us(uint64_t ts, uint64_t hz)
{
	if (!hz)
		return 0;
	return ts / hz * 1000000 + (2 * (ts % hz) * 1000000 + hz) / (2 * hz);
}

/* Linux's fields, then the calls the hooks left untraced on this CPU. */
size_t tf_stats_show(struct tracefs_file *f, char *s, size_t cap)
{
	unsigned cpu = (unsigned)f->cpu;
	struct ring_stats st;
	struct trace_cpu_counts c;
	uint64_t hz = trace_env_clock_hz(), old_us, now_us;
	size_t n;

	ring_get_stats(cpu, &st);
	trace_get_counts(cpu, &c);
	old_us = tsc_us(st.oldest_ts, hz);
	now_us = tsc_us(st.now_ts, hz);
	n = (size_t)ksnprintf(s, cap,
		"entries: %llu\noverrun: %llu\ncommit overrun: %llu\nbytes: %llu\n"
		"oldest event ts: %5llu.%06llu\nnow ts: %5llu.%06llu\n"
		"dropped events: %llu\nread events: %llu\n",
		(unsigned long long)st.entries, (unsigned long long)st.overrun,
		(unsigned long long)st.commit_overrun, (unsigned long long)st.bytes,
		(unsigned long long)(old_us / 1000000), (unsigned long long)(old_us % 1000000),
		(unsigned long long)(now_us / 1000000), (unsigned long long)(now_us % 1000000),
		(unsigned long long)st.dropped, (unsigned long long)st.read);
	return n + (size_t)ksnprintf(s + n, cap - n,
		"untraced recursion: %llu\nuntraced overflow: %llu\nuntraced abandoned: %llu\n",
		(unsigned long long)c.recursion, (unsigned long long)c.overflow,
		(unsigned long long)c.abandoned);
}
