/* The tracefs files `trace` and `trace_pipe` (and their per_cpu/cpuN/ copies): the
 * printer (trace/output.h) fed from one ring reader per CPU; and tracing_on's state, which
 * `trace` readers pause (pause-on-trace). A `trace` snapshot is read without tf_lock: it
 * only reads the ring, and the buffers cannot be resized while any reader is open. */
#include <errno.h>
#include <string.h>
#include "trace/flow.h"
#include "trace/tracefs_file.h"
#include "trace/config.h"
#include "trace/core.h"
#include "trace/env.h"
#include "trace/output.h"
#include "trace/ring.h"
#include "kernel/printf.h"

/* Events a `trace` snapshot hands the printer at once (struct out_source's runs). */
#define TF_RUN 16

/* A `trace` or `trace_pipe` reader: the printer fed from one ring reader per CPU. */
struct tf_reader {
	struct out_printer pr;
	uint32_t cpus; /* CPUs with an open ring reader */
	bool consume;  /* trace_pipe: runs of one event, each freed when it was printed */
	struct ring_reader rr[TRACE_MAX_CPUS];
	struct ring_event ev[TRACE_MAX_CPUS]; /* the event read last; a marker's text */
	struct out_event run[TRACE_MAX_CPUS][TF_RUN];
	char note[128]; /* header line on untraced calls */
};

/* Hook for a blocking trace_pipe with nothing to read: the kernel overrides it with a
 * real sleep; this default just polls again. */
__attribute__((weak)) void tracefs_wait(void)
{
}

/* ---- tracing_on and pause-on-trace ---- */

bool tf_tracing_on(void)
{
	return tf.pausers ? tf.user_on : trace_cfg.on;
}

void tf_set_tracing_on(bool on)
{
	tf.user_on = on;
	if (!tf.pausers)
		trace_set_on(on);
	if (!on)
		trace_flow_kick(); /* flow control: no thread waits for a reader any more */
}

void tf_pause_get(struct tracefs_file *f)
{
	if (!tf.pause_on_trace)
		return;
	if (!tf.pausers++) {
		tf.user_on = trace_cfg.on;
		trace_set_on(false);
	}
	f->paused = true;
}

void tf_pause_put(struct tracefs_file *f)
{
	if (f->paused && !--tf.pausers)
		trace_set_on(tf.user_on);
	f->paused = false;
}

/* ---- trace and trace_pipe ---- */

static void to_out_event(struct out_event *ev, const struct ring_event *re)
{
	ev->rec = re->rec;
	ev->ts = re->ts;
	ev->lost = re->lost;
	ev->text = re->text;
	ev->text_len = re->text_len;
}

/* struct out_source's fill(). A snapshot's reader moves past the events as it hands them
 * out (its position is its own): up to TF_RUN of them, ending after a marker, whose text
 * is in rd->ev until the next fill. The consumer hands out one event at a time, freed by
 * ring_src_consume() once printed. */
static unsigned ring_src_fill(void *ctx, unsigned cpu, const struct out_event **evs)
{
	struct tf_reader *rd = ctx;
	struct ring_reader *rr = &rd->rr[cpu];
	struct ring_event *re = &rd->ev[cpu];
	struct out_event *run = rd->run[cpu];
	unsigned n = 0;

	*evs = run;
	if (!(rd->cpus >> cpu & 1))
		return 0;
	if (rd->consume) {
		if (!ring_reader_peek(rr, re))
			return 0;
		to_out_event(run, re);
		return 1;
	}
	while (n < TF_RUN && ring_reader_peek(rr, re)) {
		to_out_event(&run[n++], re);
		ring_reader_advance(rr);
		if (rec_has_payload(&re->rec))
			break;
	}
	return n;
}

static void ring_src_consume(void *ctx, unsigned cpu, unsigned n)
{
	struct tf_reader *rd = ctx;

	if (rd->consume)
		while (n--)
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

	for (unsigned cpu = 0; cpu < tf_ncpus(); cpu++) {
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
static void reader_config(struct tracefs_file *f, bool consume, struct out_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->tracer = out_tracer_of[trace_cfg.tracer];
	cfg->opts = out_options;
	cfg->header = !consume;
	cfg->cpus = f->rd->cpus;
	cfg->ncpus = tf_ncpus();
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

static int reader_open(struct tracefs_file *f, bool consume)
{
	struct out_source src = { ring_src_fill, ring_src_consume, NULL };
	struct out_config cfg;
	struct tf_reader *rd = tf_zalloc(sizeof(*rd));

	if (!rd)
		return -ENOMEM;
	rd->consume = consume;
	for (unsigned cpu = 0; cpu < tf_ncpus(); cpu++) {
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
	reader_config(f, consume, &cfg);
	out_init(&rd->pr, &cfg, &src);
	tf.readers++;
	return 0;
}

long tf_pipe_read(struct tracefs_file *f, char *buf, size_t len)
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
		if (f->consumed && !tf_tracing_on())
			return 0;
		tracefs_wait();
	}
}

int tf_pipe_open(struct tracefs_file *f)
{
	return f->mode & TRACEFS_READ ? reader_open(f, true) : 0;
}

int tf_trace_open(struct tracefs_file *f)
{
	int err;

	/* Like Linux's O_TRUNC open of trace: per_cpu/cpuN/trace clears CPU N only. */
	if (f->mode & TRACEFS_WRITE)
		ring_clear_cpu(f->cpu);
	if (!(f->mode & TRACEFS_READ))
		return 0;
	/* Recording pauses before the snapshot is taken: no call returns between the
	 * snapshot's end and its header's counts (a leaf's return adds an event). */
	tf_pause_get(f);
	err = reader_open(f, false);
	if (err)
		tf_pause_put(f);
	return err;
}

long tf_trace_read(struct tracefs_file *f, char *buf, size_t len)
{
	return (long)out_read(&f->rd->pr, buf, len);
}

int tf_trace_write(struct tracefs_file *f, const char *buf, size_t len)
{
	(void)f;
	(void)buf;
	(void)len;
	return 0; /* `echo > trace`: the open cleared the buffer */
}

void tf_reader_release(struct tracefs_file *f)
{
	if (f->rd) {
		reader_close(f->rd);
		tf.readers--;
		tf_free(f->rd);
		f->rd = NULL;
	}
	tf_pause_put(f);
}
