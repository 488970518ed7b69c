/* Host tests of the per-CPU ring buffer (trace/ring*.c, trace/codec.h): wrap, both full
 * policies with exact drop/overrun counts, text events, clear, resize, the slot format
 * (one-slot records, leaves merged in place, W_SYNC and W_LONG), writers nested by signals
 * (as interrupts nest in the kernel), and concurrent writer and reader threads that check
 * every record they get against the pattern its writer put in it. */
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

static void test_basic(void)
{
	struct ring_reader r;
	struct ring_stats st;
	uint64_t next = 0, lost = 0;

	TEST_CASE("ring: events read back in order, snapshot keeps them, consume frees");
	setup(RING_MIN_BYTES, false);
	for (uint64_t k = 0; k < 10; k++)
		CHECK(write_k(0, 7, k));
	CHECK_EQ(ring_reader_open(&r, 0, false), 0);
	for (uint64_t k = 0; k < 10; k++) {
		CHECK(ring_reader_peek(&r, &ev));
		CHECK(intact(&ev, 7));
		CHECK_EQ(rec_tsc(&ev.rec), k);
		CHECK_EQ(ev.lost, 0);
		CHECK_EQ(ev.ts & REC_TSC_MASK, k);
		ring_reader_advance(&r);
	}
	CHECK(!ring_reader_peek(&r, &ev));
	ring_reader_close(&r);
	ring_get_stats(0, &st);
	CHECK_EQ(st.entries, 10);
	CHECK_EQ(st.bytes, 12 * RING_SLOT_BYTES); /* a W_SYNC (2 slots), one slot per event */
	CHECK_EQ(st.written, 10);
	CHECK_EQ(consume_all(0, 7, &next, &lost), 10);
	CHECK_EQ(lost, 0);
	CHECK_EQ(consume_all(0, 7, &next, &lost), 0);
	ring_get_stats(0, &st);
	CHECK_EQ(st.entries, 0);
	CHECK_EQ(st.read, 10);
	CHECK_EQ(st.oldest_ts, 0);
	ring_get_stats(1, &st);
	CHECK_EQ(st.written, 0);
	TEST_END();
}

static void test_consumer_busy(void)
{
	struct ring_reader a, b;

	TEST_CASE("ring: one consumer per CPU at a time");
	setup(RING_MIN_BYTES, false);
	CHECK_EQ(ring_reader_open(&a, 0, true), 0);
	CHECK_EQ(ring_reader_open(&b, 0, true), -EBUSY);
	CHECK_EQ(ring_reader_open(&b, 1, true), 0);
	ring_reader_close(&b);
	ring_reader_close(&a);
	CHECK_EQ(ring_reader_open(&a, 0, true), 0);
	ring_reader_close(&a);
	CHECK_EQ(ring_reader_open(&a, 5, false), -EINVAL);
	TEST_END();
}

static void test_stop_mode(void)
{
	struct ring_stats st;
	struct ring_reader r;
	uint64_t next = 0, lost = 0, k, written = 0;

	TEST_CASE("ring: stop mode refuses when full, counts drops exactly, resumes after a read");
	setup(RING_MIN_BYTES, false);
	for (k = 0; k < RECS_MIN + 100; k++)
		written += write_k(0, 3, k);
	CHECK_EQ(written, RECS_MIN);
	ring_get_stats(0, &st);
	CHECK_EQ(st.entries, RECS_MIN);
	CHECK_EQ(st.bytes, RING_MIN_BYTES);
	CHECK_EQ(st.dropped, 100);
	CHECK_EQ(st.overrun, 0);
	CHECK_EQ(consume_all(0, 3, &next, &lost), RECS_MIN);
	CHECK_EQ(lost, 100); /* after the last event, as a count-only event */
	CHECK_EQ(next, RECS_MIN + 100);
	for (; k < RECS_MIN + 200; k++)
		CHECK(write_k(0, 3, k));
	CHECK_EQ(consume_all(0, 3, &next, &lost), 100);
	CHECK_EQ(lost, 100); /* the writer's marker repeats the total: not counted twice */
	CHECK_EQ(next, RECS_MIN + 200);
	/* Drops followed by events: reported right before the first event after them. Any
	 * stretch of the buffer's size holds two block starts: two W_SYNC. */
	for (; k < 2 * RECS_MIN + 300; k++)
		write_k(0, 3, k);
	next = RECS_MIN + 200;
	CHECK_EQ(consume_all(0, 3, &next, &lost), RECS_MIN);
	CHECK_EQ(lost, 100 + 100);
	for (k = 5 * SLOTS_MIN; k < 5 * SLOTS_MIN + 10; k++)
		CHECK(write_k(0, 3, k));
	CHECK_EQ(ring_reader_open(&r, 0, true), 0);
	CHECK(ring_reader_peek(&r, &ev));
	CHECK_EQ(rec_tsc(&ev.rec), 5 * SLOTS_MIN);
	CHECK_EQ(ev.lost, 0); /* reported already, at the end of the previous read */
	ring_reader_close(&r);
	ring_get_stats(0, &st);
	CHECK_EQ(st.dropped, 200);
	CHECK_EQ(st.read, 2 * RECS_MIN + 100);
	CHECK_EQ(st.entries, 10);
	TEST_END();
}

static void test_overwrite_mode(void)
{
	struct ring_reader r;
	struct ring_stats st;
	uint64_t next = 0, lost = 0, n, first;
	const uint64_t total = 10 * SLOTS_MIN + 17;

	TEST_CASE("ring: overwrite mode keeps the newest events and counts overruns exactly");
	setup(RING_MIN_BYTES, true);
	for (uint64_t k = 0; k < total; k++)
		CHECK(write_k(0, 4, k));
	ring_get_stats(0, &st);
	CHECK_EQ(st.entries + st.overrun, total);
	CHECK(st.entries >= RECS_MIN - (RING_BLOCK_SLOTS - 1));
	CHECK(st.entries <= RECS_MIN);
	CHECK_EQ(st.dropped, 0);
	/* A snapshot starts at the oldest intact event and ends with the newest. */
	CHECK_EQ(ring_reader_open(&r, 0, false), 0);
	CHECK(ring_reader_peek(&r, &ev));
	first = rec_tsc(&ev.rec);
	CHECK_EQ(first, total - st.entries);
	CHECK_EQ(ev.lost, 0);
	CHECK_EQ(st.oldest_ts & REC_TSC_MASK, first);
	ring_reader_close(&r);
	n = consume_all(0, 4, &next, &lost);
	CHECK_EQ(n, st.entries);
	CHECK_EQ(lost, st.overrun);
	CHECK_EQ(next, total);
	ring_get_stats(0, &st);
	CHECK_EQ(st.read, n);
	CHECK_EQ(st.entries, 0);
	CHECK_EQ(st.written, total);
	TEST_END();
}

static void test_text(void)
{
	static char big[RING_TEXT_MAX + 100];
	static const size_t lens[] = { 0, 1, 6, 7, 8, 14, 15, 100, RING_TEXT_MAX, RING_TEXT_MAX + 100 };
	struct ring_reader r;

	TEST_CASE("ring: text events of any length round-trip, longer ones are cut");
	setup(RING_MIN_BYTES, false);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(' ' + i % 90);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		CHECK(ring_write_text(0, 1000 + i, 9, big, lens[i]));
		CHECK(write_k(0, 9, 2000 + i));
	}
	CHECK_EQ(ring_reader_open(&r, 0, false), 0);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t want = lens[i] > RING_TEXT_MAX ? RING_TEXT_MAX : lens[i];

		CHECK(ring_reader_peek(&r, &ev));
		CHECK_EQ(rec_type(&ev.rec), REC_TEXT);
		CHECK_EQ(rec_tsc(&ev.rec), 1000 + i);
		CHECK_EQ(ev.text_len, want);
		CHECK(memcmp(ev.text, big, want) == 0);
		ring_reader_advance(&r);
		CHECK(ring_reader_peek(&r, &ev));
		CHECK_EQ(rec_tsc(&ev.rec), 2000 + i);
		ring_reader_advance(&r);
	}
	CHECK(!ring_reader_peek(&r, &ev));
	ring_reader_close(&r);
	TEST_END();
}

/* Text events mixed in make records of many lengths, so blocks end in padding. */
static void test_overwrite_text(void)
{
	struct ring_stats st;
	uint64_t next = 0, lost = 0, n;
	const uint64_t total = 20000;

	TEST_CASE("ring: overwrite with variable-length events: exact losses, no torn text");
	setup(RING_MIN_BYTES, true);
	mix_long = true;
	for (uint64_t k = 0; k < total; k++)
		CHECK(k % 3 ? write_k(0, 5, k) : write_text_k(0, 5, k));
	ring_get_stats(0, &st);
	CHECK_EQ(st.entries + st.overrun, total);
	n = consume_all(0, 5, &next, &lost);
	CHECK_EQ(n, st.entries);
	CHECK_EQ(lost, st.overrun);
	CHECK_EQ(next, total);
	mix_long = false;
	TEST_END();
}

static void test_clear(void)
{
	struct ring_stats st;
	uint64_t next = 0, lost = 0;

	TEST_CASE("ring: clear drops all events and resets the statistics");
	setup(RING_MIN_BYTES, false);
	for (uint64_t k = 0; k < SLOTS_MIN + 5; k++)
		write_k(1, 2, k);
	CHECK_EQ(ring_clear(), 0);
	ring_get_stats(1, &st);
	CHECK_EQ(st.entries, 0);
	CHECK_EQ(st.dropped, 0);
	CHECK_EQ(st.written, 0);
	CHECK_EQ(st.bytes, 0);
	/* The whole buffer is free again (the old drops need no marker). */
	for (uint64_t k = 0; k < RECS_MIN; k++)
		CHECK(write_k(1, 2, 5000 + k));
	CHECK(!write_k(1, 2, 5000 + RECS_MIN));
	next = 5000;
	CHECK_EQ(consume_all(1, 2, &next, &lost), RECS_MIN);
	CHECK_EQ(lost, 1); /* drops before the clear are forgotten with it */
	TEST_END();
}

static void test_resize(void)
{
	struct ring_stats st;
	uint64_t next = 0, lost = 0, k = 0;

	TEST_CASE("ring: resize gives empty buffers of the new size (rounded to a power of two)");
	setup(RING_MIN_BYTES, false);
	write_k(0, 1, 99);
	CHECK_EQ(ring_resize(3 * RING_MIN_BYTES), 0);
	CHECK_EQ(ring_size(), 2 * RING_MIN_BYTES);
	CHECK_EQ(ring_resize(1), 0);
	CHECK_EQ(ring_size(), RING_MIN_BYTES);
	CHECK_EQ(ring_resize(4 * RING_MIN_BYTES), 0);
	CHECK_EQ(ring_size(), 4 * RING_MIN_BYTES);
	ring_get_stats(0, &st);
	CHECK_EQ(st.entries, 0);
	while (write_k(0, 1, k))
		k++;
	CHECK_EQ(k, RECS(4 * SLOTS_MIN));
	CHECK_EQ(consume_all(0, 1, &next, &lost), k);
	TEST_END();
}

/* ---- writers nested by signals, as interrupts nest on a CPU ---- */

static volatile uint64_t irq_k;
static volatile uint64_t irq_fail;

static void on_alarm(int sig)
{
	(void)sig;
	for (int i = 0; i < 3; i++) {
		uint64_t k = irq_k++;

		if (!(k % 2 ? write_k(0, 11, k) : write_text_k(0, 11, k)))
			irq_fail++;
	}
}

static void test_nested(void)
{
	struct itimerval it = { { 0, 50 }, { 0, 50 } };
	struct ring_reader r;
	uint64_t next[2] = { 0, 0 }, got[2] = { 0, 0 }, lost = 0, k;
	unsigned tids[2] = { 10, 11 };
	int bad = 0;

	TEST_CASE("ring: a writer nested on another (signals, as interrupts nest) is refused and "
		  "counted, nothing torn");
	setup(64 << 20, false);
	mix_long = true;
	irq_k = 0;
	irq_fail = 0;
	signal(SIGALRM, on_alarm);
	setitimer(ITIMER_REAL, &it, NULL);
	for (k = 0; k < 1000000 || irq_k < 3000; k++)
		bad += !(k % 5 ? write_k(0, 10, k) : write_text_k(0, 10, k));
	CHECK_EQ(bad, 0);
	it.it_value.tv_usec = 0;
	it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_EQ(ring_reader_open(&r, 0, true), 0);
	while (ring_reader_peek(&r, &ev)) {
		int w = rec_tid(&ev.rec) == 11;

		lost += ev.lost;
		if (rec_type(&ev.rec) != REC_NONE) {
			/* the interrupted writer loses nothing, the nested one what was refused */
			if (!intact(&ev, tids[w]) || (w ? rec_tsc(&ev.rec) < next[w] :
						     rec_tsc(&ev.rec) != next[w]))
				bad++;
			next[w] = rec_tsc(&ev.rec) + 1;
			got[w]++;
		}
		ring_reader_advance(&r);
	}
	ring_reader_close(&r);
	CHECK_EQ(bad, 0);
	CHECK_EQ(got[0], k);
	CHECK_EQ(got[1] + irq_fail, irq_k);
	CHECK_EQ(lost, irq_fail);
	printf("# ring: nested writes %" PRIu64 ", refused %" PRIu64 "\n", (uint64_t)irq_k,
	       (uint64_t)irq_fail);
	mix_long = false;
	TEST_END();
}

int main(void)
{
	trace_host_set_ncpus(2);
	test_basic();
	test_consumer_busy();
	test_stop_mode();
	test_overwrite_mode();
	test_text();
	test_overwrite_text();
	test_clear();
	test_resize();
	test_nested();
	test_leaves();
	test_sync_and_long();
	test_return_depth();
	test_long_durations();
	test_old_records();
	test_wire_fields();
	conc_run(false, false, false, "ring: concurrent writers and consumer, stop mode");
	conc_run(false, true, false, "ring: concurrent writers and consumer, stop mode, with text");
	conc_run(true, false, false, "ring: concurrent writers and consumer, overwrite mode");
	conc_run(true, true, false,
		 "ring: concurrent writers and consumer, overwrite mode, with text");
	conc_run(false, false, true,
		 "ring: concurrent writers and consumer, stop mode, call trees (depths, leaves)");
	conc_run(true, false, true,
		 "ring: concurrent writers and consumer, overwrite mode, call trees (depths, leaves)");
	test_conc_snapshot(false, "ring: snapshots taken during overwrite are intact and in order");
	test_conc_snapshot(true, "ring: snapshots of call trees taken during overwrite are intact "
				 "and in order, every return at its depth");
	test_bounded_consumer();
	test_bounded_endless();
	return test_exit_status();
}
