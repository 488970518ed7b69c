/* The tracefs control files (contract in trace/tracefs.h, semantics in
 * ../shared/spec/tracefs.md): each file is a kind with an open, a read and a write step.
 *
 * Locking: one lock (tf_lock) serializes opens, closes, writes and consuming reads, as
 * the ring's control calls require. A `trace` snapshot is read without it: it only reads
 * the ring, and the buffers cannot be resized while any reader is open. An open file is
 * used by one thread at a time. */
#include <errno.h>
#include <string.h>
#include "trace/tracefs.h"
#include "trace/config.h"
#include "trace/core.h"
#include "trace/env.h"
#include "trace/filter.h"
#include "trace/output.h"
#include "trace/patch.h"
#include "trace/ring.h"
#include "kernel/printf.h"

#ifdef GLASS_HOST
#include <stdlib.h>
static void *tf_zalloc(size_t n) { return calloc(1, n); }
static void tf_free(void *p) { free(p); }
static void tf_lock(void) {}
static void tf_unlock(void) {}
#else
#include "kernel/heap.h"
#include "kernel/mutex.h"
static struct mutex tf_mutex; /* all-zero is an unlocked mutex */
static void *tf_zalloc(size_t n) { return kzalloc(n); }
static void tf_free(void *p) { kfree(p); }
static void tf_lock(void) { mutex_lock(&tf_mutex); }
static void tf_unlock(void) { mutex_unlock(&tf_mutex); }
#endif

enum tf_kind {
	TF_TRACE, TF_PIPE, TF_STATS, TF_TRACING_ON, TF_CURRENT_TRACER, TF_TRACERS,
	TF_BUFSIZE, TF_BUFTOTAL, TF_FILTER, TF_NOTRACE, TF_GRAPH_FUNC, TF_GRAPH_NOTRACE, TF_PID,
	TF_NOTRACE_PID, TF_FUNCS, TF_MAX_DEPTH, TF_THRESH, TF_OPTIONS, TF_MARKER,
};

/* NONBLOCK and SNAPSHOT_END matter to trace_pipe only; other files accept and ignore them. */
#define RD (TRACEFS_READ | TRACEFS_NONBLOCK | TRACEFS_SNAPSHOT_END)
#define RW (RD | TRACEFS_WRITE | TRACEFS_APPEND)
#define RO RD
#define WO (TRACEFS_WRITE | TRACEFS_APPEND)

struct tf_node {
	const char *name;
	enum tf_kind kind;
	int modes; /* modes a file may be opened with */
};

static const struct tf_node nodes[] = {
	{ "trace", TF_TRACE, RW },
	{ "trace_pipe", TF_PIPE, RO },
	{ "tracing_on", TF_TRACING_ON, RW },
	{ "current_tracer", TF_CURRENT_TRACER, RW },
	{ "available_tracers", TF_TRACERS, RO },
	{ "buffer_size_kb", TF_BUFSIZE, RW },
	{ "buffer_total_size_kb", TF_BUFTOTAL, RO },
	{ "set_ftrace_filter", TF_FILTER, RW },
	{ "set_ftrace_notrace", TF_NOTRACE, RW },
	{ "set_ftrace_pid", TF_PID, RW },
	{ "set_ftrace_notrace_pid", TF_NOTRACE_PID, RW },
	{ "available_filter_functions", TF_FUNCS, RO },
	{ "set_graph_function", TF_GRAPH_FUNC, RW },
	{ "set_graph_notrace", TF_GRAPH_NOTRACE, RW },
	{ "max_graph_depth", TF_MAX_DEPTH, RW },
	{ "tracing_thresh", TF_THRESH, RW },
	{ "trace_options", TF_OPTIONS, RW },
	{ "trace_marker", TF_MARKER, WO },
};

#define NNODES (sizeof(nodes) / sizeof(nodes[0]))
#define STAGE_SIZE 1024

/* A `trace` or `trace_pipe` reader: the printer fed from one ring reader per CPU. */
struct tf_reader {
	struct out_printer pr;
	uint32_t cpus; /* CPUs with an open ring reader */
	struct ring_reader rr[TRACE_MAX_CPUS];
	struct ring_event ev[TRACE_MAX_CPUS];
	char note[128]; /* header line on untraced calls */
};

struct tracefs_file {
	enum tf_kind kind;
	int mode;
	int cpu;            /* per_cpu files: the CPU, else -1 */
	bool wrote;         /* a write succeeded on this open file */
	bool tried;         /* a write was attempted (even if it failed) */
	bool paused;        /* this `trace` reader paused recording */
	size_t cursor;      /* list files: next site or entry; others: 1 once generated */
	uint64_t consumed;  /* trace_pipe: bytes returned so far */
	struct tf_reader *rd;
	size_t stage_off, stage_len;
	char stage[STAGE_SIZE];
	char err[FILTER_TOKEN_MAX + 64];
};

/* Global state of the files (under tf_lock). */
static struct {
	bool pause_on_trace; /* option pause-on-trace: on by default here */
	bool markers;        /* option markers: trace_marker accepts writes */
	bool user_on;        /* tracing_on as last written, while readers pause recording */
	unsigned pausers;    /* `trace` readers pausing recording */
	unsigned readers;    /* open trace / trace_pipe readers: no resize meanwhile */
} tf = { .pause_on_trace = true, .markers = true };

/* Hook for a blocking trace_pipe with nothing to read: the kernel overrides it with a
 * real sleep; this default just polls again. */
__attribute__((weak)) void tracefs_wait(void)
{
}

/* ---- helpers ---- */

static int fail(struct tracefs_file *f, int err, const char *why)
{
	size_t n = strlen(why);

	if (n >= sizeof(f->err))
		n = sizeof(f->err) - 1;
	memcpy(f->err, why, n);
	f->err[n] = 0;
	return err;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Trims whitespace around buf[0..*len); returns the start. */
static const char *trim(const char *buf, size_t *len)
{
	size_t n = *len;

	while (n && is_space(*buf)) {
		buf++;
		n--;
	}
	while (n && is_space(buf[n - 1]))
		n--;
	*len = n;
	return buf;
}

/* A whole write as one unsigned decimal number (kstrtoul-like). */
static int parse_u64(const char *buf, size_t len, uint64_t *v)
{
	const char *s = trim(buf, &len);

	if (!len || len > 19)
		return -EINVAL;
	*v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return 0;
}

static bool word_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && !memcmp(s, word, len);
}

static unsigned nbuf_cpus(void)
{
	unsigned n = ring_ncpus();

	return n < TRACE_MAX_CPUS ? n : TRACE_MAX_CPUS;
}

/* ---- tracing_on and pause-on-trace ---- */

static bool tracing_on(void)
{
	return tf.pausers ? tf.user_on : trace_cfg.on;
}

static void set_tracing_on(bool on)
{
	tf.user_on = on;
	if (!tf.pausers)
		trace_set_on(on);
}

static void pause_get(struct tracefs_file *f)
{
	if (!tf.pause_on_trace)
		return;
	if (!tf.pausers++) {
		tf.user_on = trace_cfg.on;
		trace_set_on(false);
	}
	f->paused = true;
}

static void pause_put(struct tracefs_file *f)
{
	if (f->paused && !--tf.pausers)
		trace_set_on(tf.user_on);
	f->paused = false;
}

/* ---- current_tracer ---- */

static const char *const tracer_names[] = {
	[TRACE_NOP] = "nop", [TRACE_FUNCTION] = "function", [TRACE_GRAPH] = "function_graph",
};

static bool want_none(uint64_t ip, void *arg)
{
	(void)ip;
	(void)arg;
	return false;
}

/* Patches the call sites the current tracer and filters select. */
static int repatch(void)
{
	if (trace_cfg.tracer == TRACE_NOP)
		return patch_apply(want_none, NULL);
	return patch_apply(filter_wanted, NULL);
}

/* tracing_set_tracer(): stop recording, clear, patch, start with the new tracer. */
static int set_tracer(struct tracefs_file *f, const char *buf, size_t len)
{
	const char *s = trim(buf, &len);
	int t = -1;

	for (int i = 0; i < 3; i++)
		if (word_is(s, len, tracer_names[i]))
			t = i;
	if (t < 0)
		return fail(f, -EINVAL, "no such tracer (available: function_graph function nop)");
	if (t == trace_cfg.tracer)
		return 0;
	trace_set_tracer(TRACE_NOP);
	ring_clear();
	if (t != TRACE_NOP && patch_apply(filter_wanted, NULL))
		return fail(f, -EINVAL, "patching call sites failed");
	if (t == TRACE_NOP)
		patch_apply(want_none, NULL);
	trace_set_tracer((enum trace_tracer)t);
	return 0;
}

/* ---- trace_options ---- */

enum { OPT_PRINT, OPT_OVERWRITE, OPT_MARKERS, OPT_PAUSE, OPT_SLEEP_TIME, OPT_TRACE_SERVER };

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
	else if (o->special == OPT_MARKERS)
		tf.markers = on;
	else
		tf.pause_on_trace = on;
}

static int write_option(struct tracefs_file *f, const char *buf, size_t len)
{
	const char *s = trim(buf, &len);
	bool on = !(len > 2 && s[0] == 'n' && s[1] == 'o');
	const char *name = on ? s : s + 2;
	size_t n = on ? len : len - 2;

	for (size_t i = 0; i < NOPTS; i++) {
		if (word_is(name, n, opts[i].name)) {
			opt_set(&opts[i], on);
			return 0;
		}
	}
	return fail(f, -EINVAL, "unknown option (see trace_options)");
}

static size_t show_options(char *s, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < NOPTS; i++)
		n += (size_t)ksnprintf(s + n, cap - n, "%s%s\n", opt_get(&opts[i]) ? "" : "no",
				       opts[i].name);
	return n;
}

/* ---- filters and pids ---- */

static struct filter_set scratch; /* a set being computed (under tf_lock) */

static struct filter_set *filter_of(enum tf_kind k)
{
	return k == TF_FILTER ? &filter_ftrace : k == TF_NOTRACE ? &filter_notrace :
	       k == TF_GRAPH_NOTRACE ? &filter_graph_notrace : &filter_graph;
}

/* set_graph_function, set_graph_notrace: hand the selected functions to the hooks. */
static int apply_graph(struct tracefs_file *f, const struct filter_set *set)
{
	uint64_t ips[TRACE_GRAPH_FUNCS_MAX];
	unsigned n = 0;

	for (size_t i = filter_next(set, 0); i != (size_t)-1; i = filter_next(set, i + 1)) {
		if (n == TRACE_GRAPH_FUNCS_MAX)
			return fail(f, -EINVAL, f->kind == TF_GRAPH_NOTRACE ?
				    "set_graph_notrace: at most 32 functions" :
				    "set_graph_function: at most 32 functions");
		ips[n++] = patch_site(i);
	}
	return f->kind == TF_GRAPH_NOTRACE ? trace_set_graph_notrace(ips, n) :
					     trace_set_graph_funcs(ips, n);
}

/* The first write of a `>` open replaces; `>>` and later writes append, as in Linux. */
static bool truncating(const struct tracefs_file *f)
{
	return (f->mode & TRACEFS_WRITE) && !(f->mode & TRACEFS_APPEND) && !f->wrote;
}

static int write_filter(struct tracefs_file *f, const char *buf, size_t len)
{
	struct filter_set *set = filter_of(f->kind);
	bool truncate = truncating(f);
	const char *why = "";
	int err = filter_parse(set, &scratch, buf, len, truncate, &why);

	if (err)
		return fail(f, err, why);
	if (f->kind == TF_GRAPH_FUNC || f->kind == TF_GRAPH_NOTRACE) {
		err = apply_graph(f, &scratch);
		if (err)
			return err;
		*set = scratch;
		return 0;
	}
	*set = scratch;
	if (trace_cfg.tracer != TRACE_NOP && repatch())
		return fail(f, -EINVAL, "patching call sites failed");
	return 0;
}

static struct trace_pid_set *pids_of(enum tf_kind k)
{
	return k == TF_PID ? &trace_cfg.pids : &trace_cfg.notrace_pids;
}

/* Parses a list of thread ids into tids (after *n existing ones). */
static int parse_pids(struct tracefs_file *f, const char *buf, size_t len, unsigned *tids,
		      unsigned *n)
{
	size_t i = 0;

	while (i < len) {
		size_t start;
		uint64_t v;

		while (i < len && is_space(buf[i]))
			i++;
		for (start = i; i < len && !is_space(buf[i]); i++)
			;
		if (i == start)
			break;
		if (parse_u64(buf + start, i - start, &v) || v > 0x7fffffff)
			return fail(f, -EINVAL, "expected thread ids (decimal)");
		if (*n == TRACE_PIDS_MAX)
			return fail(f, -EINVAL, "too many thread ids (at most 32)");
		tids[(*n)++] = (unsigned)v;
	}
	return 0;
}

static int write_pids(struct tracefs_file *f, const char *buf, size_t len)
{
	const struct trace_pid_set *cur = pids_of(f->kind);
	unsigned tids[TRACE_PIDS_MAX], n = 0;
	int err;

	if (!truncating(f))
		for (; n < cur->n && n < TRACE_PIDS_MAX; n++)
			tids[n] = cur->tids[n];
	err = parse_pids(f, buf, len, tids, &n);
	if (err)
		return err;
	return f->kind == TF_PID ? trace_set_pids(tids, n) : trace_set_notrace_pids(tids, n);
}

/* ---- numbers ---- */

static int write_number(struct tracefs_file *f, const char *buf, size_t len)
{
	uint64_t v;

	if (parse_u64(buf, len, &v))
		return fail(f, -EINVAL, "expected an unsigned decimal number");
	switch (f->kind) {
	case TF_TRACING_ON:
		set_tracing_on(v != 0);
		return 0;
	case TF_MAX_DEPTH:
		if (v > 0xffffffffu)
			return fail(f, -EINVAL, "max_graph_depth: number too large");
		trace_set_max_graph_depth((unsigned)v);
		return 0;
	default: /* TF_THRESH, in microseconds */
		if (v > 1000000000ull)
			return fail(f, -EINVAL, "tracing_thresh: at most 1000000000 us");
		trace_set_thresh_us(v);
		return 0;
	}
}

static int write_bufsize(struct tracefs_file *f, const char *buf, size_t len)
{
	uint64_t kb;
	int err;

	_Static_assert(RING_MIN_BYTES == 16 * 1024, "the message below says 16 KiB");
	if (parse_u64(buf, len, &kb))
		return fail(f, -EINVAL, "expected a size in KiB");
	if (kb < RING_MIN_BYTES / 1024)
		return fail(f, -EINVAL, "buffer_size_kb: at least 16 KiB per CPU (two 8 KiB blocks)");
	if (kb > RING_MAX_BYTES / 1024)
		return fail(f, -EINVAL, "buffer_size_kb: at most 1048576 KiB per CPU");
	if (tf.readers)
		return fail(f, -EBUSY, "the buffer is being read (close trace/trace_pipe first)");
	err = ring_resize(kb * 1024);
	if (err == -ENOMEM)
		return fail(f, err, "out of memory: the old buffers are kept");
	if (err)
		return fail(f, err, "writers did not leave the buffer; try again");
	return 0;
}

/* trace_marker: the text goes into this CPU's buffer (Linux: -EBADF while recording is
 * off; a full buffer counts the marker as dropped, as for any event). */
static int write_marker(struct tracefs_file *f, const char *buf, size_t len)
{
	if (!tf.markers)
		return fail(f, -EINVAL, "option markers is off");
	if (!trace_cfg.on || trace_cfg.stopped)
		return fail(f, -EBADF, "tracing is off");
	if (trace_marker_write(buf, len) == -EAGAIN)
		return fail(f, -EAGAIN, "called from inside the tracer");
	return 0;
}

static int do_write(struct tracefs_file *f, const char *buf, size_t len)
{
	switch (f->kind) {
	case TF_TRACE:
		return 0; /* `echo > trace`: the open cleared the buffer */
	case TF_TRACING_ON:
	case TF_MAX_DEPTH:
	case TF_THRESH:
		return write_number(f, buf, len);
	case TF_CURRENT_TRACER:
		return set_tracer(f, buf, len);
	case TF_BUFSIZE:
		return write_bufsize(f, buf, len);
	case TF_FILTER:
	case TF_NOTRACE:
	case TF_GRAPH_FUNC:
	case TF_GRAPH_NOTRACE:
		return write_filter(f, buf, len);
	case TF_PID:
	case TF_NOTRACE_PID:
		return write_pids(f, buf, len);
	case TF_OPTIONS:
		return write_option(f, buf, len);
	case TF_MARKER:
		return write_marker(f, buf, len);
	default:
		return fail(f, -EACCES, "read-only file");
	}
}

/* ---- text of the small files ---- */

/* TSC ticks to microseconds, rounded like Linux's ns2usecs(). */
static uint64_t tsc_us(uint64_t ts, uint64_t hz)
{
	if (!hz)
		return 0;
	return ts / hz * 1000000 + (2 * (ts % hz) * 1000000 + hz) / (2 * hz);
}

/* Linux's fields, then the calls the hooks left untraced on this CPU. */
static size_t show_stats(unsigned cpu, char *s, size_t cap)
{
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

static size_t show_pids(enum tf_kind k, char *s, size_t cap)
{
	const struct trace_pid_set *set = pids_of(k);
	size_t n = 0;

	if (!set->n)
		return (size_t)ksnprintf(s, cap, "no pid\n");
	for (unsigned i = 0; i < set->n && i < TRACE_PIDS_MAX; i++)
		n += (size_t)ksnprintf(s + n, cap - n, "%u\n", set->tids[i]);
	return n;
}

/* The whole text of a small file, generated once per open (like a seq_file show). */
static size_t show_small(struct tracefs_file *f, char *s, size_t cap)
{
	switch (f->kind) {
	case TF_TRACING_ON:
		return (size_t)ksnprintf(s, cap, "%d\n", tracing_on() ? 1 : 0);
	case TF_CURRENT_TRACER:
		return (size_t)ksnprintf(s, cap, "%s\n", tracer_names[trace_cfg.tracer]);
	case TF_TRACERS:
		return (size_t)ksnprintf(s, cap, "function_graph function nop\n");
	case TF_BUFSIZE:
		return (size_t)ksnprintf(s, cap, "%zu\n", ring_size() / 1024);
	case TF_BUFTOTAL:
		return (size_t)ksnprintf(s, cap, "%zu\n", ring_size() / 1024 * ring_ncpus());
	case TF_MAX_DEPTH:
		return (size_t)ksnprintf(s, cap, "%u\n", trace_cfg.max_graph_depth);
	case TF_THRESH:
		return (size_t)ksnprintf(s, cap, "%llu\n", (unsigned long long)trace_thresh_us());
	case TF_OPTIONS:
		return show_options(s, cap);
	case TF_STATS:
		return show_stats((unsigned)f->cpu, s, cap);
	case TF_PID:
	case TF_NOTRACE_PID:
		return show_pids(f->kind, s, cap);
	default:
		return 0;
	}
}

/* One line of a function list: the next site's name (all sites, or a set's). */
static size_t show_function(struct tracefs_file *f, char *s, size_t cap)
{
	const struct filter_set *set = f->kind == TF_FUNCS ? NULL : filter_of(f->kind);
	size_t i = set ? filter_next(set, f->cursor) : f->cursor;
	uint64_t off;
	const char *name;

	if (set && !set->n && f->cursor == 0 && f->kind != TF_NOTRACE &&
	    f->kind != TF_GRAPH_NOTRACE) {
		f->cursor = (size_t)-1;
		return (size_t)ksnprintf(s, cap, "#### all functions enabled ####\n");
	}
	if (i == (size_t)-1 || i >= filter_sites())
		return 0;
	f->cursor = i + 1;
	name = trace_env_symbol(patch_site(i), &off);
	if (!name)
		return (size_t)ksnprintf(s, cap, "0x%llx\n", (unsigned long long)patch_site(i));
	return (size_t)ksnprintf(s, cap, "%.*s\n", FILTER_TOKEN_MAX, name);
}

/* Refills the stage with the file's next text; 0 at the end. */
static size_t refill(struct tracefs_file *f)
{
	size_t n;

	if (f->kind == TF_FUNCS || f->kind == TF_FILTER || f->kind == TF_NOTRACE ||
	    f->kind == TF_GRAPH_FUNC || f->kind == TF_GRAPH_NOTRACE) {
		n = show_function(f, f->stage, sizeof(f->stage));
	} else {
		if (f->cursor)
			return 0;
		f->cursor = 1;
		n = show_small(f, f->stage, sizeof(f->stage));
	}
	if (n >= sizeof(f->stage))
		n = sizeof(f->stage) - 1; /* ksnprintf cut the text */
	f->stage_off = 0;
	f->stage_len = n;
	return n;
}

static long read_small(struct tracefs_file *f, char *buf, size_t len)
{
	size_t n = 0;

	while (n < len) {
		size_t k;

		if (f->stage_off == f->stage_len && !refill(f))
			break;
		k = f->stage_len - f->stage_off;
		k = k < len - n ? k : len - n;
		memcpy(buf + n, f->stage + f->stage_off, k);
		f->stage_off += k;
		n += k;
	}
	return (long)n;
}

/* ---- trace and trace_pipe ---- */

static bool ring_src_peek(void *ctx, unsigned cpu, struct out_event *ev)
{
	struct tf_reader *rd = ctx;
	struct ring_event *re = &rd->ev[cpu];

	if (!(rd->cpus >> cpu & 1) || !ring_reader_peek(&rd->rr[cpu], re))
		return false;
	ev->rec = re->rec;
	ev->ts = re->ts;
	ev->lost = re->lost;
	ev->text = re->text;
	ev->text_len = re->text_len;
	return true;
}

static void ring_src_advance(void *ctx, unsigned cpu)
{
	struct tf_reader *rd = ctx;

	ring_reader_advance(&rd->rr[cpu]);
}

static void reader_close(struct tf_reader *rd)
{
	for (unsigned cpu = 0; cpu < TRACE_MAX_CPUS; cpu++)
		if (rd->cpus >> cpu & 1)
			ring_reader_close(&rd->rr[cpu]);
	rd->cpus = 0;
}

/* A header line for calls the hooks had to leave untraced, if there were any. */
static void untraced_note(struct tf_reader *rd)
{
	struct trace_cpu_counts sum = { 0 }, c;

	for (unsigned cpu = 0; cpu < nbuf_cpus(); cpu++) {
		trace_get_counts(cpu, &c);
		sum.recursion += c.recursion;
		sum.overflow += c.overflow;
		sum.abandoned += c.abandoned;
	}
	if (sum.recursion || sum.overflow || sum.abandoned)
		ksnprintf(rd->note, sizeof(rd->note),
			  "# untraced calls: %llu recursion, %llu overflow, %llu abandoned\n#\n",
			  (unsigned long long)sum.recursion, (unsigned long long)sum.overflow,
			  (unsigned long long)sum.abandoned);
}

static const enum out_tracer out_tracer_of[] = {
	[TRACE_NOP] = OUT_NOP, [TRACE_FUNCTION] = OUT_FUNCTION, [TRACE_GRAPH] = OUT_GRAPH,
};

/* The printer's settings: options, header counts, CPUs. The header counts the events
 * each CPU's snapshot will hand out (so they match the lines: trace/ring.h), plus those
 * lost since the last clear, as Linux's entries-in-buffer/entries-written. */
static void reader_config(struct tracefs_file *f, struct out_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->tracer = out_tracer_of[trace_cfg.tracer];
	cfg->opts = out_options;
	cfg->header = f->kind == TF_TRACE;
	cfg->cpus = f->rd->cpus;
	cfg->ncpus = nbuf_cpus();
	cfg->clock_hz = trace_env_clock_hz();
	cfg->stopped = trace_stopped_reason();
	untraced_note(f->rd);
	cfg->note = f->rd->note[0] ? f->rd->note : NULL;
	for (unsigned cpu = 0; cpu < cfg->ncpus; cpu++) {
		struct ring_stats st;

		if (!(cfg->cpus >> cpu & 1))
			continue;
		ring_get_stats(cpu, &st);
		cfg->entries += ring_reader_entries(&f->rd->rr[cpu]);
		cfg->written += ring_reader_entries(&f->rd->rr[cpu]) + st.overrun + st.dropped;
	}
}

static int reader_open(struct tracefs_file *f)
{
	bool consume = f->kind == TF_PIPE;
	struct out_source src = { ring_src_peek, ring_src_advance, NULL };
	struct out_config cfg;
	struct tf_reader *rd = tf_zalloc(sizeof(*rd));

	if (!rd)
		return -ENOMEM;
	for (unsigned cpu = 0; cpu < nbuf_cpus(); cpu++) {
		int err;

		if (f->cpu >= 0 && (unsigned)f->cpu != cpu)
			continue;
		err = ring_reader_open(&rd->rr[cpu], cpu, consume);
		if (err) {
			reader_close(rd);
			tf_free(rd);
			return err;
		}
		if (consume && (f->mode & TRACEFS_SNAPSHOT_END))
			ring_reader_bound(&rd->rr[cpu]);
		rd->cpus |= 1u << cpu;
	}
	f->rd = rd;
	src.ctx = rd;
	reader_config(f, &cfg);
	out_init(&rd->pr, &cfg, &src);
	tf.readers++;
	return 0;
}

static long read_pipe(struct tracefs_file *f, char *buf, size_t len)
{
	for (;;) {
		size_t n;

		tf_lock();
		n = out_read(&f->rd->pr, buf, len);
		tf_unlock();
		if (n) {
			f->consumed += n;
			return (long)n;
		}
		/* Bounded: every CPU's reader stopped at its end (or at a record still being
		 * written there, which the next open will find). */
		if (f->mode & TRACEFS_SNAPSHOT_END)
			return 0;
		if (f->mode & TRACEFS_NONBLOCK)
			return -EAGAIN;
		/* Linux: once something was read, a pipe ends when tracing is off. */
		if (f->consumed && !tracing_on())
			return 0;
		tracefs_wait();
	}
}

/* ---- the API ---- */

/* "per_cpu/cpuN/<file>": the file's kind and N, or -1. */
static int parse_per_cpu(const char *path, enum tf_kind *kind)
{
	static const char prefix[] = "per_cpu/cpu";
	const char *p = path + sizeof(prefix) - 1;
	unsigned cpu = 0;

	if (strncmp(path, prefix, sizeof(prefix) - 1) || *p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9' && cpu < 1000)
		cpu = cpu * 10 + (unsigned)(*p++ - '0');
	if (cpu >= nbuf_cpus() || *p++ != '/')
		return -1;
	if (!strcmp(p, "trace"))
		*kind = TF_TRACE;
	else if (!strcmp(p, "trace_pipe"))
		*kind = TF_PIPE;
	else if (!strcmp(p, "stats"))
		*kind = TF_STATS;
	else
		return -1;
	return (int)cpu;
}

static int lookup(const char *path, enum tf_kind *kind, int *modes)
{
	int cpu = parse_per_cpu(path, kind);

	if (cpu >= 0) {
		*modes = *kind == TF_TRACE ? RW : RO;
		return cpu;
	}
	for (size_t i = 0; i < NNODES; i++) {
		if (!strcmp(path, nodes[i].name)) {
			*kind = nodes[i].kind;
			*modes = nodes[i].modes;
			return -1;
		}
	}
	return -2;
}

/* Kind-specific work of an open: clearing `trace`, starting a reader. */
static int open_kind(struct tracefs_file *f)
{
	/* Like Linux's O_TRUNC open of trace: per_cpu/cpuN/trace clears CPU N only. */
	if (f->kind == TF_TRACE && (f->mode & TRACEFS_WRITE))
		ring_clear_cpu(f->cpu);
	if ((f->kind == TF_TRACE || f->kind == TF_PIPE) && (f->mode & TRACEFS_READ)) {
		int err;

		/* Recording pauses before the snapshot is taken: no call returns between the
		 * snapshot's end and its header's counts (a leaf's return adds an event). */
		if (f->kind == TF_TRACE)
			pause_get(f);
		err = reader_open(f);
		if (err) {
			pause_put(f);
			return err;
		}
	}
	return 0;
}

int tracefs_open(const char *path, int mode, struct tracefs_file **out)
{
	struct tracefs_file *f;
	enum tf_kind kind;
	int modes, cpu, err;

	tf_lock();
	cpu = lookup(path, &kind, &modes);
	if (cpu == -2)
		err = -ENOENT;
	else if ((mode & ~modes) || !(mode & (TRACEFS_READ | TRACEFS_WRITE | TRACEFS_APPEND)))
		err = -EACCES;
	else
		err = 0;
	f = err ? NULL : tf_zalloc(sizeof(*f));
	if (!err && !f)
		err = -ENOMEM;
	if (!err) {
		f->kind = kind;
		f->mode = mode;
		f->cpu = cpu;
		err = open_kind(f);
	}
	tf_unlock();
	if (err) {
		tf_free(f);
		return err;
	}
	*out = f;
	return 0;
}

long tracefs_read(struct tracefs_file *f, char *buf, size_t len)
{
	long n;

	if (!(f->mode & TRACEFS_READ))
		return -EACCES;
	if (f->kind == TF_PIPE)
		return read_pipe(f, buf, len);
	if (f->kind == TF_TRACE)
		return (long)out_read(&f->rd->pr, buf, len);
	tf_lock();
	n = read_small(f, buf, len);
	tf_unlock();
	return n;
}

long tracefs_write(struct tracefs_file *f, const char *buf, size_t len)
{
	int err;

	if (!(f->mode & (TRACEFS_WRITE | TRACEFS_APPEND)))
		return fail(f, -EACCES, "not opened for writing");
	tf_lock();
	f->err[0] = 0;
	f->tried = true;
	err = do_write(f, buf, len);
	if (!err)
		f->wrote = true;
	tf_unlock();
	if (err && !f->err[0])
		fail(f, err, "invalid value");
	return err ? err : (long)len;
}

const char *tracefs_error(const struct tracefs_file *f)
{
	return f->err;
}

void tracefs_close(struct tracefs_file *f)
{
	tf_lock();
	/* `echo > set_ftrace_filter` with nothing written still empties the set; a
	 * failed write leaves it as it was. */
	if (truncating(f) && !f->tried &&
	    (f->kind == TF_FILTER || f->kind == TF_NOTRACE || f->kind == TF_GRAPH_FUNC ||
	     f->kind == TF_GRAPH_NOTRACE || f->kind == TF_PID || f->kind == TF_NOTRACE_PID))
		do_write(f, "", 0);
	if (f->rd) {
		reader_close(f->rd);
		tf.readers--;
		tf_free(f->rd);
	}
	pause_put(f);
	tf_unlock();
	tf_free(f);
}

const char *const *tracefs_files(void)
{
	static const char *list[NNODES + 3 * TRACE_MAX_CPUS + 1];
	static char names[3 * TRACE_MAX_CPUS][32];
	static const char *const per_cpu[] = { "trace", "trace_pipe", "stats" };
	size_t n = 0;

	tf_lock();
	for (size_t i = 0; i < NNODES; i++)
		list[n++] = nodes[i].name;
	for (unsigned cpu = 0; cpu < nbuf_cpus(); cpu++) {
		for (unsigned k = 0; k < 3; k++) {
			char *name = names[cpu * 3 + k];

			ksnprintf(name, sizeof(names[0]), "per_cpu/cpu%u/%s", cpu, per_cpu[k]);
			list[n++] = name;
		}
	}
	list[n] = NULL;
	tf_unlock();
	return list;
}

int tracefs_write_file(const char *path, const char *text, char *why, size_t why_len)
{
	struct tracefs_file *f;
	int err = tracefs_open(path, TRACEFS_WRITE, &f);
	long r;

	if (err)
		return err;
	r = tracefs_write(f, text, strlen(text));
	if (r < 0 && why && why_len)
		ksnprintf(why, why_len, "%s", tracefs_error(f));
	tracefs_close(f);
	return r < 0 ? (int)r : 0;
}
