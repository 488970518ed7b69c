/* `test_output --bench`: the printer's native speed over a realistic mix of call trees,
 * from a source that hands out runs of decoded events as the capture decoder does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "test/unit/test_output.h"

static struct out_printer printer;

#define BENCH_EVENTS (1u << 20)

#define BENCH_RUN 64

/* Hands out runs of BENCH_RUN events made from the records, as a decoding source does. */
struct bench_src {
	struct trace_rec *recs;
	unsigned n, pos;
	struct out_event run[BENCH_RUN];
};

static unsigned bench_src_fill(void *ctx, unsigned cpu, const struct out_event **evs)
{
	struct bench_src *b = &((struct bench_src *)ctx)[cpu];
	unsigned n = 0;

	for (; n < BENCH_RUN && b->pos < b->n; n++, b->pos++) {
		b->run[n].rec = b->recs[b->pos];
		b->run[n].ts = rec_tsc(&b->run[n].rec);
		b->run[n].lost = 0;
	}
	*evs = b->run;
	return n;
}

static void bench_src_consume(void *ctx, unsigned cpu, unsigned n)
{
	(void)ctx;
	(void)cpu;
	(void)n;
}

/* A realistic mix per CPU: a call tree 3 levels deep with leaves, 2 CPUs interleaved. */
static void bench_fill(struct bench_src *b, unsigned cpu)
{
	uint64_t tsc = 1000000 + cpu * 7;
	unsigned n = 0;

	b->recs = malloc(BENCH_EVENTS * sizeof(*b->recs));
	while (n + 8 <= BENCH_EVENTS) {
		uint32_t f = 0x100000 + (n % 13) * 0x100;

		b->recs[n++] = (struct trace_rec){ rec_w0(tsc += 30, 3, REC_ENTRY), f, 0 };
		b->recs[n++] = (struct trace_rec){ rec_w0(tsc += 30, 3, REC_ENTRY),
						   rec_call_w1(f + 0x100, 1), 0 };
		b->recs[n++] = (struct trace_rec){ rec_w0(tsc += 30, 3, REC_ENTRY),
						   rec_call_w1(f + 0x200, 2), 0 };
		b->recs[n++] = (struct trace_rec){ rec_w0(tsc += 90, 3, REC_RETURN),
						   rec_call_w1(f + 0x200, 2), 90 };
		b->recs[n++] = (struct trace_rec){ rec_w0(tsc += 30, 3, REC_ENTRY),
						   rec_call_w1(f + 0x300, 2), 0 };
		b->recs[n++] = (struct trace_rec){ rec_w0(tsc += 60, 3, REC_RETURN),
						   rec_call_w1(f + 0x300, 2), 60 };
		b->recs[n++] = (struct trace_rec){ rec_w0(tsc += 30, 3, REC_RETURN),
						   rec_call_w1(f + 0x100, 1), 270 };
		b->recs[n++] = (struct trace_rec){ rec_w0(tsc += 30, 3, REC_RETURN),
						   rec_call_w1(f, 0), 33000 };
	}
	b->n = n;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void bench_one(const char *name, unsigned opts, struct bench_src *b)
{
	static char buf[1 << 16];
	struct out_config cfg = { .tracer = OUT_GRAPH, .opts = opts, .cpus = 3, .ncpus = 2,
				  .clock_hz = 2500000000ull };
	struct out_source src = { bench_src_fill, bench_src_consume, b };
	uint64_t bytes = 0;
	size_t k;
	double t;

	b[0].pos = b[1].pos = 0;
	out_init(&printer, &cfg, &src);
	t = now_s();
	while ((k = out_read(&printer, buf, sizeof(buf))))
		bytes += k;
	t = now_s() - t;
	printf("%-28s %8.1f MB/s  %6.1f ns/event  (%llu bytes, %u events)\n", name,
	       (double)bytes / t / 1e6, t * 1e9 / (b[0].n + b[1].n), (unsigned long long)bytes,
	       b[0].n + b[1].n);
}

int output_bench(void)
{
	static struct stream syms;
	static struct bench_src b[2];

	memset(&syms, 0, sizeof(syms));
	for (unsigned i = 0; i < 20; i++) {
		syms.sym_addr[i] = 0x100000 + i * 0x100;
		snprintf(syms.sym_name[i], 64, "kernel_function_%u", i);
	}
	syms.nsyms = 20;
	env_stream = &syms;
	bench_fill(&b[0], 0);
	bench_fill(&b[1], 1);
	bench_one("function_graph default", OUT_OPT_DEFAULT, b);
	bench_one("function_graph abstime+proc", OUT_OPT_DEFAULT | OUT_OPT_ABSTIME | OUT_OPT_PROC,
		  b);
	free(b[0].recs);
	free(b[1].recs);
	return 0;
}

