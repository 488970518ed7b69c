/* Test generator for `glass report`: fills the kernel's own ring buffers (trace/ring.c,
 * run natively as the host unit tests run it) with a random workload, then writes
 *   CAPTURE   a capture file: the raw header text and the ring's slots as frames, laid
 *             out exactly as docs/capture-format.md and the guest's raw transport say;
 *   EXPECTED  the text the kernel's printer (trace/output.c) makes of the same ring
 *             through snapshot readers, as the guest's /ftrace/trace does.
 * `glass report CAPTURE` must print EXPECTED byte for byte.
 *
 * usage: gen-capture [--function] [--opts MASK] [--calls N] [--frame-slots K]
 *                    [--buffer-kb KB] [--seed S] [--cpus N] [--notes] [--events]
 *                    [--switch-events] [--clear-after N] [--reuse-tid] [--trailer] [--align]
 *                    CAPTURE EXPECTED
 * --notes: the header says calls were left untraced and the tracer stopped itself.
 * --events: trace events too (trace/event_format.h), for the exporters' tests before the
 * kernel emits them: thread create, rename and exit, a wakeup before each switch, irq
 * entry and exit around interrupt calls, app spans with arguments around some calls,
 * instants and counters.
 * --switch-events: the switches as the kernel writes them while the sched_switch event is
 * on (TS_EVENT): each one is a line and an event of the counts.
 * --reuse-tid: tid 3's first thread (init) ends halfway, then kworker/0:1 has tid 3; the
 * header lists both and names must follow the event's time.
 * --clear-after N: N calls first, then a clear (trace's truncation), then the workload:
 * the stream's W_LOST totals and the header's lost count from before the clear on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/unit/trace_host_env.h"
#include "tools/lib/capture.h"
#include "trace/env.h"
#include "trace/event_format.h"
#include "trace/output.h"
#include "trace/ring.h"

#define NFUNCS 40
#define HZ 2600000000ull

static uint64_t rng_state = 88172645463325252ull;
static uint64_t clock_now; /* the fake TSC: the newest time written on any CPU */
static bool notes;         /* --notes */
static bool events;        /* --events */
static bool switch_events; /* --switch-events */
static uint64_t reuse_at;  /* --reuse-tid: tid 3 is init's until then, kworker's after */
#define NOTE_UNTRACED "# untraced calls: 141 recursion, 0 overflow, 2 abandoned\n#\n"
#define NOTE_STOPPED "shadow stack corrupted on cpu 1"


static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint64_t fake_clock(void) { return clock_now; }

/* The printer's names at an event's time, as glass report takes them from the header. */
const char *trace_env_comm_at(unsigned tid, uint64_t ts)
{
	if (tid == 3 && reuse_at && ts <= reuse_at)
		return "init";
	return trace_env_comm(tid);
}

static char func_name[NFUNCS][32];
static const char *const comms[] = { "init", "app_main", "httpd-worker", "kworker/0:1" };

static uint32_t func_addr(unsigned i)
{
	return ring.text_base + 0x1000 + 0x40 * i;
}

/* Time steps: mostly short, sometimes long enough for a W_LONG or a W_SYNC. A W_SYNC
 * holds 48 bits of TSC: the ring's reader widens them against the clock now, glass report
 * against the previous record, which agree while the trace spans less than 2^47 ticks. */
static uint64_t step(void)
{
	uint64_t r = rnd() % 100;

	if (r < 80)
		return 1 + rnd() % 60;
	if (r < 95)
		return rnd() % 40000;
	if (r < 99)
		return rnd() % (1ull << 29);
	return rnd() % (1ull << 31); /* the whole trace stays below 2^47 ticks (see below) */
}

struct cpu_gen {
	uint64_t t;
	unsigned tid;
};

static void advance(struct cpu_gen *g)
{
	g->t += step();
	if (g->t > clock_now)
		clock_now = g->t;
}

/* A trace event of the current thread: a struct then, if s, a name (no NUL). */
static void event(unsigned cpu, struct cpu_gen *g, unsigned id, const void *fixed, size_t n,
		  const char *s)
{
	char payload[RING_TEXT_MAX];
	size_t len = n;

	memcpy(payload, fixed, n);
	if (s) {
		size_t k = strlen(s);
		memcpy(payload + n, s, k);
		len += k;
	}
	ring_write_event(cpu, g->t, g->tid, id, payload, len);
	advance(g);
}

static const char *const paths[] = { "GET /index.html", "GET /ftrace/trace", "POST /api" };
static const char *const irq_names[] = { "timer", "virtio-net", "ipi-call" };

/* A call tree at depth d of at most `left` more levels. */
static void call_tree(unsigned cpu, struct cpu_gen *g, unsigned d, unsigned left)
{
	unsigned f = (unsigned)(rnd() % NFUNCS);
	bool irq = rnd() % 50 == 0;
	struct trace_rec e = { rec_w0(g->t, g->tid, REC_ENTRY),
			       rec_call_w1(func_addr(f), d) | (uint64_t)(irq ? REC_F_IRQ : 0) << 40, 0 };
	uint64_t t0;
	uint32_t at;
	unsigned span = events && d == 0 && rnd() % 3 == 0 ? 1 + (unsigned)(rnd() % 3) : 0;
	struct ev_irq_entry ie = { (uint8_t)(events && irq ? 32 + rnd() % 3 : 32) };

	if (events && irq)
		event(cpu, g, EV_IRQ_ENTRY, &ie, sizeof(ie), irq_names[ie.vector - 32]);
	if (span) {
		char text[96];
		snprintf(text, sizeof(text), "%s status=%u bytes=%u", paths[span - 1],
			 rnd() % 5 ? 200u : 404u, (unsigned)(rnd() % 5000));
		event(cpu, g, EV_SPAN_BEGIN, "", 0, text);
	}
	t0 = g->t;
	ring_write_rec(cpu, &e, &at);
	advance(g);
	for (unsigned n = left ? (unsigned)(rnd() % 4) : 0; n > 0; n--) {
		if (rnd() % 30 == 0) {
			char text[64];
			int len = snprintf(text, sizeof(text), "marker %llu on cpu %u\n",
					   (unsigned long long)(rnd() % 1000), cpu);

			ring_write_text(cpu, g->t, g->tid, text, (size_t)len);
			advance(g);
		}
		call_tree(cpu, g, d + 1, left - 1);
	}
	struct trace_rec r = { rec_w0(g->t, g->tid, REC_RETURN), rec_call_w1(func_addr(f), d),
			       g->t - t0 };
	ring_write_return(cpu, &r, at);
	advance(g);
	if (span)
		event(cpu, g, EV_SPAN_END, "", 0, paths[span - 1]);
	if (events && irq) {
		struct ev_irq_exit ix = { ie.vector, 1 };
		event(cpu, g, EV_IRQ_EXIT, &ix, sizeof(ix), NULL);
	}
	if (events && d == 1 && rnd() % 10 == 0)
		event(cpu, g, EV_INSTANT, "", 0, rnd() % 2 ? "cache_miss key=7" : "phase name=warmup");
	if (events && d == 0 && rnd() % 4 == 0) {
		struct ev_counter c = { (int64_t)(rnd() % 100) - 10 };
		event(cpu, g, EV_COUNTER, &c, sizeof(c), rnd() % 2 ? "queue_depth" : "free_pages");
	}
}

static void switch_to(unsigned cpu, struct cpu_gen *g, unsigned tid)
{
	if (events && tid && tid != g->tid) {	/* something woke it */
		struct ev_sched_wakeup w = { (uint16_t)tid, (uint8_t)cpu, 0 };
		event(cpu, g, EV_SCHED_WAKEUP, &w, sizeof(w), NULL);
	}
	ring_write(cpu, rec_w0(g->t, g->tid, REC_SWITCH),
		   g->tid | (uint64_t)tid << 16 |
			   (uint64_t)(rnd() % 3 | (switch_events ? TS_EVENT : 0)) << 32);
	g->tid = tid;
	advance(g);
}

static void workload(unsigned ncpus, unsigned calls, bool function)
{
	struct cpu_gen g[OUT_MAX_CPUS];

	for (unsigned c = 0; c < ncpus; c++)
		g[c] = (struct cpu_gen){ .t = 1000000 + c * 7, .tid = c };
	if (events) {	/* the idle task of CPU 0 creates the threads; kworker is renamed */
		for (unsigned t = 1; t <= 3; t++) {
			struct ev_thread_create c = { (uint16_t)t, 0, func_addr(t) };
			event(0, &g[0], EV_THREAD_CREATE, &c, sizeof(c), t == 3 ? "kworker" : comms[t]);
		}
		struct ev_thread_rename r = { 3 };
		event(0, &g[0], EV_THREAD_RENAME, &r, sizeof(r), comms[3]);
	}
	for (unsigned i = 0; i < calls; i++) {
		unsigned cpu = (unsigned)(rnd() % ncpus);

		if (rnd() % 8 == 0)
			switch_to(cpu, &g[cpu], (unsigned)(rnd() % 4));
		if (function) {
			unsigned f = (unsigned)(rnd() % NFUNCS), p = (unsigned)(rnd() % NFUNCS);

			ring_write(cpu, rec_w0(g[cpu].t, g[cpu].tid, REC_FUNC),
				   func_addr(f) | (uint64_t)(rnd() % 10 ? func_addr(p) : 0) << 32);
			advance(&g[cpu]);
		} else {
			call_tree(cpu, &g[cpu], 0, (unsigned)(rnd() % 6));
		}
	}
	if (events) {	/* httpd-worker ends (as the kernel writes it, after its last switch) */
		struct ev_thread_exit x = { 2, 0, -3 };
		event(0, &g[0], EV_THREAD_EXIT, &x, sizeof(x), NULL);
	}
}

/* trace_options names, in tracefs's order, with their printer bits (0: none). */
static const struct { const char *name; unsigned bit; } options[] = {
	{ "print-parent", OUT_OPT_PARENT }, { "context-info", OUT_OPT_CONTEXT },
	{ "overwrite", 0 }, { "irq-info", OUT_OPT_IRQ_INFO }, { "markers", 0 },
	{ "pause-on-trace", 0 }, { "funcgraph-cpu", OUT_OPT_CPU },
	{ "funcgraph-overhead", OUT_OPT_OVERHEAD }, { "funcgraph-proc", OUT_OPT_PROC },
	{ "funcgraph-duration", OUT_OPT_DURATION }, { "funcgraph-abstime", OUT_OPT_ABSTIME },
	{ "funcgraph-irqs", OUT_OPT_IRQS }, { "funcgraph-tail", OUT_OPT_TAIL },
	{ "sleep-time", 0 },
};

static void write_header(FILE *f, unsigned ncpus, bool function, unsigned opts)
{
	fprintf(f, "glass-raw 1\ntsc_hz %llu\ntsc_boot 0\ntext_base %x\ncpus %u\n"
		   "buffer_bytes %zu\nblock_bytes %u\nslot_bytes 8\ncodec_version %d\ntracer %s\n"
		   "trace_options",
		(unsigned long long)HZ, ring.text_base, ncpus, ring_size(),
		RING_BLOCK_SLOTS * RING_SLOT_BYTES, CODEC_VERSION,
		function ? "function" : "function_graph");
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		fprintf(f, " %s%s", !options[i].bit || (opts & options[i].bit) ? "" : "no",
			options[i].name);
	fputc('\n', f);
	for (unsigned c = 0; c < ncpus; c++) {
		struct ring_stats st;

		ring_get_stats(c, &st);
		/* as trace/raw_header.c: totals since the buffers were allocated, then the
		 * totals at the last clear */
		fprintf(f, "cpu %u lost %llu overrun %llu seq 1 lost_at_clear %llu "
			"overrun_at_clear %llu\n", c,
			(unsigned long long)(st.dropped + ring.cpu[c].base_dropped),
			(unsigned long long)(st.overrun + ring.cpu[c].base_overrun),
			(unsigned long long)ring.cpu[c].base_dropped,
			(unsigned long long)ring.cpu[c].base_overrun);
	}
	if (notes)
		fprintf(f, "untraced 141 0 2\nstopped %s\n", NOTE_STOPPED);
	fprintf(f, "symbols %u\n", NFUNCS);
	for (unsigned i = 0; i < NFUNCS; i++)
		fprintf(f, "%x 64 %s\n", func_addr(i), func_name[i]);
	/* tid 3 had two threads: init until reuse_at (or 9000), then kworker */
	fprintf(f, "threads 4\n1 100 - %s\n2 200 - %s\n3 300 %llu %s\n3 %llu - %s\n",
		comms[1], comms[2], (unsigned long long)(reuse_at ? reuse_at : 9000), comms[0],
		(unsigned long long)(reuse_at ? reuse_at + 1 : 9100), comms[3]);
}

/* --trailer: a trailer as glass record writes it (tools/lib/capture.h): the header again,
 * then each CPU's events, as its snapshot reader counts them, and the trailer's size. */
static void write_trailer(FILE *f, const char *text, size_t len, unsigned ncpus)
{
	char *t = malloc(len + 32 + 24 * OUT_MAX_CPUS);
	unsigned char m[8];
	size_t n = len;

	memcpy(t, text, len);
	n += (size_t)sprintf(t + n, "events");
	for (unsigned c = 0; c < ncpus; c++) {
		struct ring_reader r;

		ring_reader_open(&r, c, false);
		n += (size_t)sprintf(t + n, " %llu", (unsigned long long)ring_reader_entries(&r));
		ring_reader_close(&r);
	}
	t[n++] = '\n';
	n += (size_t)sprintf(t + n, "%s %010llu\n", CAP_TRAILER_BYTES_KEY,
			     (unsigned long long)(8 + n + CAP_TRAILER_BYTES_LINE));
	for (int i = 0; i < 4; i++) {
		m[i] = (unsigned char)(CAP_TRAILER_MAGIC >> (8 * i));
		m[4 + i] = (unsigned char)(n >> (8 * i));
	}
	fwrite(m, 1, 8, f);
	fwrite(t, 1, n, f);
	free(t);
}

/* The capture: magic, version, header, then each CPU's slots from the oldest to head in
 * frames of k slots, the CPUs' frames interleaved; a trailer if asked. */
static void write_capture(const char *path, unsigned ncpus, bool function, unsigned opts,
			  uint32_t k, bool trailer, bool align)
{
	FILE *f = fopen(path, "wb");
	char *text;
	size_t len;
	FILE *h = open_memstream(&text, &len);
	uint32_t pos[OUT_MAX_CPUS];
	uint64_t seq[OUT_MAX_CPUS];
	unsigned char v[4] = { CAP_VERSION, 0, 0, 0 }, n[4];
	bool more = true;

	write_header(h, ncpus, function, opts);
	/* --align: blank lines up to where frames start 8-byte aligned, as glass record pads */
	while (align && (CAP_MAGIC_LEN + 8 + ftell(h)) % 8)
		fputc('\n', h);
	fclose(h);
	for (int i = 0; i < 4; i++)
		n[i] = (unsigned char)(len >> (8 * i));
	fwrite(CAP_MAGIC, 1, CAP_MAGIC_LEN, f);
	fwrite(v, 1, 4, f);
	fwrite(n, 1, 4, f);
	fwrite(text, 1, len, f);
	for (unsigned c = 0; c < ncpus; c++) {
		pos[c] = ring.cpu[c].rd.pos;
		seq[c] = 1;
	}
	while (more) {
		more = false;
		for (unsigned c = 0; c < ncpus; c++) {
			const struct ring_cpu *rc = &ring.cpu[c];
			uint32_t m = (uint32_t)rc->head - pos[c];
			unsigned char fh[CAP_FRAME_HDR];

			if (!m)
				continue;
			m = m < k ? m : k;
			cap_frame_put(fh, c, seq[c]++, m * 8,
				      pos[c] % RING_BLOCK_SLOTS ? 0 : CAP_FRAME_BLOCK_START);
			fwrite(fh, 1, sizeof(fh), f);
			for (uint32_t i = 0; i < m; i++)
				fwrite(ring_slot(rc, pos[c] + i), 8, 1, f);
			pos[c] += m;
			more = true;
		}
	}
	if (trailer)
		write_trailer(f, text, len, ncpus);
	free(text);
	fclose(f);
}

struct snap {
	struct ring_reader rr[OUT_MAX_CPUS];
	struct ring_event ev[OUT_MAX_CPUS];
};

/* The printer's source over the snapshot readers, one event at a time as tracefs's
 * trace_pipe (its `trace` reads ahead: the text is the same). */
static unsigned snap_fill(void *ctx, unsigned cpu, const struct out_event **evs)
{
	static struct out_event ev[OUT_MAX_CPUS];
	struct snap *s = ctx;

	*evs = &ev[cpu];
	if (!ring_reader_peek(&s->rr[cpu], &s->ev[cpu]))
		return 0;
	ev[cpu] = (struct out_event){ s->ev[cpu].rec, s->ev[cpu].ts, s->ev[cpu].lost,
				 s->ev[cpu].text, s->ev[cpu].text_len };
	return 1;
}

static void snap_consume(void *ctx, unsigned cpu, unsigned n)
{
	(void)n; /* 1: runs of one event */
	ring_reader_advance(&((struct snap *)ctx)->rr[cpu]);
}

/* What tracefs's `trace` prints: snapshot readers, the header counts as reader_config()
 * makes them. */
static void write_expected(const char *path, unsigned ncpus, bool function, unsigned opts)
{
	static struct snap s;
	static struct out_printer p;
	static char buf[1 << 16];
	struct out_config cfg = { .tracer = function ? OUT_FUNCTION : OUT_GRAPH, .opts = opts,
				  .header = true, .cpus = (1u << ncpus) - 1, .ncpus = ncpus,
				  .clock_hz = HZ, .note = notes ? NOTE_UNTRACED : NULL,
				  .stopped = notes ? NOTE_STOPPED : NULL };
	struct out_source src = { snap_fill, snap_consume, &s };
	FILE *f = fopen(path, "wb");
	size_t n;

	for (unsigned c = 0; c < ncpus; c++) {
		struct ring_stats st;

		ring_reader_open(&s.rr[c], c, false);
		ring_get_stats(c, &st);
		cfg.entries += ring_reader_entries(&s.rr[c]);
		cfg.written += ring_reader_entries(&s.rr[c]) + st.overrun + st.dropped;
	}
	out_init(&p, &cfg, &src);
	while ((n = out_read(&p, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, f);
	fclose(f);
}

int main(int argc, char **argv)
{
	bool function = false;
	unsigned opts = OUT_OPT_DEFAULT, calls = 2000, ncpus = 2, kb = 4096, clear_after = 0;
	bool reuse_tid = false, trailer = false, align = false;
	uint32_t k = RING_BLOCK_SLOTS;
	int i;

	for (i = 1; i < argc - 2; i++) {
		if (!strcmp(argv[i], "--function"))
			function = true;
		else if (!strcmp(argv[i], "--opts"))
			opts = (unsigned)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--calls"))
			calls = (unsigned)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--frame-slots"))
			k = (uint32_t)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--buffer-kb"))
			kb = (unsigned)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seed"))
			rng_state += strtoull(argv[++i], NULL, 0) * 0x9e3779b97f4a7c15ull;
		else if (!strcmp(argv[i], "--notes"))
			notes = true;
		else if (!strcmp(argv[i], "--events"))
			events = true;
		else if (!strcmp(argv[i], "--switch-events"))
			switch_events = true;
		else if (!strcmp(argv[i], "--reuse-tid"))
			reuse_tid = true;
		else if (!strcmp(argv[i], "--trailer"))
			trailer = true;
		else if (!strcmp(argv[i], "--align"))
			align = true;
		else if (!strcmp(argv[i], "--clear-after"))
			clear_after = (unsigned)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--cpus"))
			ncpus = (unsigned)strtoul(argv[++i], NULL, 0);
		else
			break;
	}
	if (i != argc - 2 || !k || !ncpus || ncpus > OUT_MAX_CPUS) {
		fputs("usage: gen-capture [--function] [--opts MASK] [--calls N] [--frame-slots K]\n"
		      "                   [--buffer-kb KB] [--seed S] [--cpus N] [--notes] [--events]\n"
		      "                   [--switch-events] [--clear-after N] [--reuse-tid] [--trailer]\n"
		      "                   [--align]\n"
		      "                   CAPTURE EXPECTED\n",
		      stderr);
		return 2;
	}
	trace_host_set_clock(fake_clock, HZ);
	trace_host_set_ncpus(ncpus);
	for (unsigned f = 0; f < NFUNCS; f++)
		snprintf(func_name[f], sizeof(func_name[f]), "func_%02u%s", f, f % 7 ? "" : ".isra.0");
	if (ring_init(ncpus, (size_t)kb << 10)) {
		fputs("gen-capture: ring_init failed\n", stderr);
		return 1;
	}
	for (unsigned f = 0; f < NFUNCS; f++)
		trace_host_add_symbol(func_addr(f), func_name[f]);
	trace_host_set_comm(1, comms[1]);
	trace_host_set_comm(2, comms[2]);
	trace_host_set_comm(3, comms[3]);
	if (clear_after) {
		workload(ncpus, clear_after, function);
		ring_clear();
	}
	workload(ncpus, calls, function);
	if (reuse_tid) /* tid 3's first thread ends halfway through the trace's time */
		reuse_at = 1000000 + (clock_now - 1000000) / 2;
	write_capture(argv[argc - 2], ncpus, function, opts, k, trailer, align);
	write_expected(argv[argc - 1], ncpus, function, opts);
	return 0;
}
