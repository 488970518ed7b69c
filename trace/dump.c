/* trace_dump_on_panic(): the last events of every CPU's buffer on the console, like
 * Linux's ftrace_dump_on_oops. The panic path may not allocate or sleep, so everything
 * is static; it runs once, on the panicking CPU, after tracing was stopped. */
#include "trace/trace.h"
#include "trace/config.h"
#include "trace/env.h"
#include "trace/output.h"
#include "trace/ring.h"
#include "platform/platform.h"

#define DUMP_EVENTS 100 /* events per CPU: about as many lines */

static struct out_printer dump_printer;
static struct ring_reader dump_reader;
static struct ring_event dump_event;

/* struct out_source over dump_reader: one event at a time (speed does not matter here). */
static unsigned dump_fill(void *ctx, unsigned cpu, const struct out_event **evs)
{
	static struct out_event ev;

	(void)ctx;
	(void)cpu;
	*evs = &ev;
	if (!ring_reader_peek(&dump_reader, &dump_event))
		return 0;
	ev.rec = dump_event.rec;
	ev.ts = dump_event.ts;
	ev.lost = dump_event.lost;
	ev.text = dump_event.text;
	ev.text_len = dump_event.text_len;
	return 1;
}

static void dump_consume(void *ctx, unsigned cpu, unsigned n)
{
	(void)ctx;
	(void)cpu;
	(void)n; /* 1: runs are of one event */
	ring_reader_advance(&dump_reader);
}

static void dump_str(const char *s)
{
	char buf[80];
	char *e = out_put_str(buf, s);

	plat_console_write(buf, (size_t)(e - buf));
}

/* Skips all but the last DUMP_EVENTS events of the reader's snapshot. */
static void skip_to_tail(unsigned cpu)
{
	uint64_t n = 0;

	while (ring_reader_peek(&dump_reader, &dump_event)) {
		n++;
		ring_reader_advance(&dump_reader);
	}
	ring_reader_close(&dump_reader);
	ring_reader_open(&dump_reader, cpu, false);
	for (; n > DUMP_EVENTS && ring_reader_peek(&dump_reader, &dump_event); n--)
		ring_reader_advance(&dump_reader);
}

static void dump_cpu(unsigned cpu, enum out_tracer tracer)
{
	static const struct out_source src = { dump_fill, dump_consume, NULL };
	struct out_config cfg = {
		.tracer = tracer, .opts = out_options, .cpus = 1u << cpu,
		.ncpus = ring_ncpus(), .clock_hz = trace_env_clock_hz(),
	};
	char buf[512], *e;
	size_t n;

	if (ring_reader_open(&dump_reader, cpu, false))
		return;
	skip_to_tail(cpu);
	e = out_put_str(buf, "trace: last events of CPU ");
	e = out_put_u64(e, cpu);
	e = out_put_str(e, ":\n");
	plat_console_write(buf, (size_t)(e - buf));
	out_init(&dump_printer, &cfg, &src);
	while ((n = out_read(&dump_printer, buf, sizeof(buf))))
		plat_console_write(buf, n);
	ring_reader_close(&dump_reader);
}

void trace_dump_on_panic(void)
{
	static const enum out_tracer tracers[] = {
		[TRACE_NOP] = OUT_NOP, [TRACE_FUNCTION] = OUT_FUNCTION, [TRACE_GRAPH] = OUT_GRAPH,
	};
	static int dumped;
	enum out_tracer tracer = tracers[trace_cfg.tracer];

	/* Once, even if two CPUs panic together. */
	if (__atomic_exchange_n(&dumped, 1, __ATOMIC_ACQ_REL))
		return;
	trace_stop_on_panic(); /* normally done already, at the start of panic() */
	dump_str("trace: dump of the trace buffers (tracing stopped)\n");
	for (unsigned cpu = 0; cpu < ring_ncpus() && cpu < TRACE_MAX_CPUS; cpu++)
		dump_cpu(cpu, tracer);
	dump_str("trace: end of dump\n");
}

void trace_stop_on_panic(void)
{
	trace_stop("panic");
}
