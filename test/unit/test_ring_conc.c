/* Ring buffer tests: concurrent writer and reader threads that check every record they
 * get against the pattern its writer put in it. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>
#include "test/unit/check.h"
#include "test/unit/trace_host_env.h"
#include "trace/ring.h"
#include "test/unit/ring_fixture.h"

/* ---- concurrent writer and reader threads ---- */

#define CONC_EVENTS 2000000

struct conc {
	unsigned cpu;
	bool text;
	bool calls; /* call trees (write_call_k()) instead of function records */
	volatile bool done;
	uint64_t attempted;
	uint32_t at[6];
};

static void *conc_writer(void *arg)
{
	struct conc *c = arg;

	trace_host_set_cpu(c->cpu);
	uint64_t k;

	for (k = 0; k < CONC_EVENTS; k++)
		if (c->calls)
			write_call_k(c->cpu, 20 + c->cpu, k, c->at);
		else if (c->text && k % 7 == 0)
			write_text_k(c->cpu, 20 + c->cpu, k);
		else
			write_k(c->cpu, 20 + c->cpu, k);
	/* A consumer holds back an entry that is the last record (it may become a leaf),
	 * and the drops after it: end with a record that is not an entry. */
	while (c->calls && !write_k(c->cpu, 20 + c->cpu, k))
		k++;
	c->attempted = k + c->calls;
	__atomic_store_n(&c->done, true, __ATOMIC_RELEASE);
	return NULL;
}

struct conc_result {
	uint64_t read, lost, bad, order;
};

/* Consumes one CPU while its writer runs; every event must be intact and its number
 * must be the previous one + 1 + the losses reported before it. */
static void conc_consume(struct conc *c, struct conc_result *res)
{
	static struct ring_event events[2];
	struct ring_event *ep = &events[c->cpu];
	struct ring_reader r;
	uint64_t next = 0;
	bool last = false;

	if (ring_reader_open(&r, c->cpu, true)) {
		res->bad++;
		return;
	}
	for (;;) {
		if (!ring_reader_peek(&r, ep)) {
			if (last)
				break;
			last = __atomic_load_n(&c->done, __ATOMIC_ACQUIRE);
			continue;
		}
		res->lost += ep->lost;
		next += ep->lost;
		if (rec_type(&ep->rec) != REC_NONE) {
			res->bad += !intact(ep, 20 + c->cpu);
			res->order += rec_tsc(&ep->rec) != next;
			next = rec_tsc(&ep->rec) + 1;
			res->read++;
		}
		ring_reader_advance(&r);
	}
	ring_reader_close(&r);
}

struct conc_reader {
	struct conc *c;
	struct conc_result res;
};

static void *conc_reader(void *arg)
{
	struct conc_reader *rd = arg;

	conc_consume(rd->c, &rd->res);
	return NULL;
}

/* Two writer threads (CPUs 0 and 1) and one consumer thread per CPU, all at once. */
void conc_run(bool overwrite, bool text, bool calls, const char *name)
{
	struct conc c[2] = { { .cpu = 0, .text = text, .calls = calls },
			     { .cpu = 1, .text = text, .calls = calls } };
	struct conc_reader rd[2] = { { .c = &c[0] }, { .c = &c[1] } };
	pthread_t th[4];
	struct ring_stats st;

	TEST_CASE(name);
	setup(4 * RING_MIN_BYTES, overwrite);
	mix_long = true;
	for (int i = 0; i < 2; i++) {
		pthread_create(&th[i], NULL, conc_writer, &c[i]);
		pthread_create(&th[2 + i], NULL, conc_reader, &rd[i]);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 2; i++) {
		struct conc_result *res = &rd[i].res;

		ring_get_stats(i, &st);
		CHECK_EQ(res->bad, 0);
		CHECK_EQ(res->order, 0);
		CHECK_EQ(res->read + st.dropped + st.overrun, c[i].attempted);
		CHECK_EQ(res->read, st.read);
		CHECK_EQ(res->lost, overwrite ? st.overrun : st.dropped);
		CHECK(res->read > 0);
	}
	printf("# %s: cpu0 read %" PRIu64 " lost %" PRIu64 ", cpu1 read %" PRIu64 " lost %" PRIu64
	       "\n", name, rd[0].res.read, rd[0].res.lost, rd[1].res.read, rd[1].res.lost);
	mix_long = false;
	TEST_END();
}

/* A snapshot reader running while its CPU is overwritten. */
void test_conc_snapshot(bool calls, const char *name)
{
	struct conc c = { .cpu = 0, .text = !calls, .calls = calls };
	static struct ring_event e;
	uint64_t rounds = 0, bad = 0, order = 0;
	pthread_t th;

	TEST_CASE(name);
	setup(RING_MIN_BYTES, true);
	pthread_create(&th, NULL, conc_writer, &c);
	while (!__atomic_load_n(&c.done, __ATOMIC_ACQUIRE)) {
		struct ring_reader r;
		bool first = true;
		uint64_t next = 0;

		ring_reader_open(&r, 0, false);
		while (ring_reader_peek(&r, &e)) {
			if (rec_type(&e.rec) != REC_NONE) {
				bad += !intact(&e, 20);
				order += !first && rec_tsc(&e.rec) != next + e.lost;
				next = rec_tsc(&e.rec) + 1;
				first = false;
			}
			ring_reader_advance(&r);
		}
		ring_reader_close(&r);
		rounds++;
	}
	pthread_join(th, NULL);
	CHECK_EQ(bad, 0);
	CHECK_EQ(order, 0);
	CHECK(rounds > 0);
	TEST_END();
}

/* A bounded consumer (trace_pipe without follow) stops at the head it saw when bounded. */
void test_bounded_consumer(void)
{
	struct ring_reader r;
	uint64_t next = 10, lost = 0, n = 0;

	TEST_CASE("ring: a bounded consumer stops at the open-time end, later events stay");
	setup(RING_MIN_BYTES, false);
	for (uint64_t k = 0; k < 10; k++)
		CHECK(write_k(0, 7, k));
	CHECK_EQ(ring_reader_open(&r, 0, true), 0);
	ring_reader_bound(&r);
	for (uint64_t k = 10; k < 15; k++)
		CHECK(write_k(0, 7, k));
	while (ring_reader_peek(&r, &ev)) {
		CHECK(intact(&ev, 7));
		CHECK_EQ(rec_tsc(&ev.rec), n);
		n++;
		ring_reader_advance(&r);
	}
	CHECK_EQ(n, 10);
	CHECK(write_k(0, 7, 15));
	CHECK(!ring_reader_peek(&r, &ev)); /* still stopped */
	ring_reader_close(&r);
	CHECK_EQ(consume_all(0, 7, &next, &lost), 6); /* the unbounded consumer gets the rest */
	CHECK_EQ(lost, 0);
	TEST_END();
}

struct endless {
	volatile bool stop;
	volatile uint64_t written; /* events committed (attempts the full buffer refused are not) */
};

static void *endless_writer(void *arg)
{
	struct endless *e = arg;

	trace_host_set_cpu(0);
	for (uint64_t k = 0; !__atomic_load_n(&e->stop, __ATOMIC_ACQUIRE); k++)
		if (write_k(0, 9, k))
			__atomic_store_n(&e->written, e->written + 1, __ATOMIC_RELEASE);
	return NULL;
}

/* The feedback loop of a trace_pipe download: writers never stop, so an unbounded
 * consumer never finds the buffer empty; a bounded one must end, having read exactly the
 * events written before it was bounded (stop mode: none lost while it frees space). */
void test_bounded_endless(void)
{
	struct endless e = { 0 };
	struct ring_reader r;
	uint64_t before, after, n = 0, next = 0, bad = 0;
	pthread_t th;

	TEST_CASE("ring: a bounded consumer ends while a writer keeps writing");
	setup(4 * RING_MIN_BYTES, false);
	pthread_create(&th, NULL, endless_writer, &e);
	while (__atomic_load_n(&e.written, __ATOMIC_ACQUIRE) < 1000)
		;
	CHECK_EQ(ring_reader_open(&r, 0, true), 0);
	before = __atomic_load_n(&e.written, __ATOMIC_ACQUIRE);
	ring_reader_bound(&r);
	after = __atomic_load_n(&e.written, __ATOMIC_ACQUIRE);
	while (ring_reader_peek(&r, &ev)) {
		next += ev.lost; /* refused while the buffer was full before the bound */
		if (rec_type(&ev.rec) != REC_NONE) {
			bad += !intact(&ev, 9) || rec_tsc(&ev.rec) != next;
			next = rec_tsc(&ev.rec) + 1;
			n++;
		}
		ring_reader_advance(&r);
	}
	ring_reader_close(&r);
	CHECK(!__atomic_load_n(&e.stop, __ATOMIC_ACQUIRE)); /* ended with the writer running */
	/* The writer goes on past the end: give it the CPU for up to 10 s to show it (on a
	 * loaded host it may not have run at all while the reader read). */
	for (int i = 0; i < 10000 && __atomic_load_n(&e.written, __ATOMIC_ACQUIRE) <= n; i++)
		usleep(1000);
	__atomic_store_n(&e.stop, true, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	CHECK_EQ(bad, 0);
	/* Events committed before the bound are all read; at most the one being written at
	 * that moment (reserved, not yet counted in `written`) may be read beyond them. */
	CHECK(n >= before);
	CHECK(n <= after + 1);
	CHECK(e.written > n);
	TEST_END();
}
