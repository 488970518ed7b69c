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

#define SLOTS_MIN (RING_MIN_BYTES / RING_SLOT_BYTES)
/* One-slot events that fit in a buffer of n slots: every block starts with a W_SYNC (two
 * slots: the header and the TSC). */
#define RECS(n) ((n) - 2 * ((n) / RING_BLOCK_SLOTS))
#define RECS_MIN RECS(SLOTS_MIN)

/* Whether every 7th event of write_k() takes two slots (W_LONG) instead of one. */
static bool mix_long;

/* Event k of writer tid: the timestamp is k and w1 a hash of both, so a reader can tell
 * a torn or stale record from an intact one. Its function and parent lie in the first
 * 4 MiB of text (one slot), or anywhere (every 7th event if mix_long: a W_LONG). */
static uint64_t pattern(uint64_t k, unsigned tid)
{
	uint64_t x = (k + 1) * 0x9e3779b97f4a7c15ull ^ ((uint64_t)tid << 17);

	x ^= x >> 29;
	if (mix_long && k % 7 == 3) /* an offset of at least 2 GiB from text */
		return (uint32_t)(ring.text_base + 0x80000000u + (uint32_t)(x & 0x7fffffff)) |
		       (x & ~0xffffffffull);
	return (uint32_t)(ring.text_base + (x & 0x3fffff)) |
	       (uint64_t)(uint32_t)(ring.text_base + ((x >> 22) & 0x3fffff)) << 32;
}

static bool write_k(unsigned cpu, unsigned tid, uint64_t k)
{
	return ring_write(cpu, rec_w0(k, tid, REC_FUNC), pattern(k, tid));
}

/* Text of event k: length k % 53, bytes derived from k. */
static size_t text_k(uint64_t k, char *buf)
{
	size_t len = k % 53;

	for (size_t i = 0; i < len; i++)
		buf[i] = (char)('a' + (k + i) % 26);
	return len;
}

static bool write_text_k(unsigned cpu, unsigned tid, uint64_t k)
{
	char buf[64];

	return ring_write_text(cpu, k, tid, buf, text_k(k, buf));
}

/* The function at depth d in the call tree of event k (call_k()): every 7th tree's lie
 * 2 GiB past text, so their entries and returns take W_LONGs. */
static uint32_t call_func(uint64_t k, unsigned d)
{
	return (uint32_t)ring.text_base + ((k / 12) % 7 == 3 ? 0x80000000u : 0) + 0x40 * d;
}

/* Event k of a call-tree writer: trees of 12 events, entries from depth 0 down to 5, then
 * the returns back up (the deepest call a leaf). Event k is at time k, so the return at
 * depth d lasts 11 - 2d ticks. *at[d]: the slot of the entry at depth d. */
static bool write_call_k(unsigned cpu, unsigned tid, uint64_t k, uint32_t at[6])
{
	unsigned i = k % 12, d = i < 6 ? i : 11 - i;
	const struct trace_rec r = { rec_w0(k, tid, i < 6 ? REC_ENTRY : REC_RETURN),
				     rec_call_w1(call_func(k, d), d), i < 6 ? 0 : 11 - 2 * d };

	if (i < 6)
		return ring_write_rec(cpu, &r, &at[d]);
	return ring_write_return(cpu, &r, at[d]);
}

/* Whether ev is an intact event k of writer tid (text, call or not). */
static bool intact(const struct ring_event *ev, unsigned tid)
{
	uint64_t k = rec_tsc(&ev->rec);
	unsigned i = k % 12, d = i < 6 ? i : 11 - i;
	char buf[64];

	if (rec_tid(&ev->rec) != tid)
		return false;
	if (rec_type(&ev->rec) == REC_FUNC)
		return ev->rec.w1 == pattern(k, tid);
	if (rec_type(&ev->rec) == REC_ENTRY || rec_type(&ev->rec) == REC_RETURN)
		return rec_type(&ev->rec) == (i < 6 ? REC_ENTRY : REC_RETURN) &&
		       ev->rec.w1 == rec_call_w1(call_func(k, d), d) &&
		       ev->rec.w2 == (i < 6 ? 0 : 11 - 2 * d);
	if (rec_type(&ev->rec) != REC_TEXT || ev->text_len != text_k(k, buf))
		return false;
	return memcmp(ev->text, buf, ev->text_len) == 0;
}

static struct ring_event ev;

static void setup(size_t bytes, bool overwrite)
{
	ring_set_overwrite(overwrite);
	if (ring_init(2, bytes) != 0) {
		printf("not ok - ring_init failed\n");
		exit(1);
	}
}

/* Consumes everything on cpu; checks that events run k = next, next+1, ... with gaps
 * exactly as reported lost. Returns events read; *lost_sum gets the losses reported. */
static uint64_t consume_all(unsigned cpu, unsigned tid, uint64_t *next, uint64_t *lost_sum)
{
	struct ring_reader r;
	uint64_t n = 0;

	CHECK_EQ(ring_reader_open(&r, cpu, true), 0);
	while (ring_reader_peek(&r, &ev)) {
		*lost_sum += ev.lost;
		if (rec_type(&ev.rec) != REC_NONE) {
			CHECK(intact(&ev, tid));
			CHECK_EQ(rec_tsc(&ev.rec), *next + ev.lost);
			*next = rec_tsc(&ev.rec) + 1;
			n++;
		} else {
			*next += ev.lost;
		}
		ring_reader_advance(&r);
	}
	ring_reader_close(&r);
	return n;
}

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

/* ---- the slot format ---- */

static uint32_t func_at(uint32_t off)
{
	return ring.text_base + off;
}

/* Reads the next event of r; checks its type, time, tid and w1 (and that w2 is 0). */
static void expect(struct ring_reader *r, enum rec_type type, uint64_t ts, unsigned tid,
		   uint64_t w1)
{
	CHECK(ring_reader_peek(r, &ev));
	CHECK_EQ(rec_type(&ev.rec), type);
	CHECK_EQ(rec_tsc(&ev.rec), ts);
	CHECK_EQ(ev.ts & REC_TSC_MASK, ts);
	CHECK_EQ(rec_tid(&ev.rec), tid);
	CHECK_EQ(ev.rec.w1, w1);
	CHECK_EQ(ev.rec.w2, 0);
	ring_reader_advance(r);
}

/* Reads the next event of r: the return of f at depth, dur ticks long, at time ts. */
static void expect_return(struct ring_reader *r, uint64_t ts, unsigned tid, uint32_t f,
			  unsigned depth, uint64_t dur)
{
	CHECK(ring_reader_peek(r, &ev));
	CHECK_EQ(rec_type(&ev.rec), REC_RETURN);
	CHECK_EQ(rec_tsc(&ev.rec), ts & REC_TSC_MASK);
	CHECK_EQ(ev.ts & REC_TSC_MASK, ts & REC_TSC_MASK);
	CHECK_EQ(rec_tid(&ev.rec), tid);
	CHECK_EQ(rec_func(&ev.rec), f);
	CHECK_EQ(rec_depth(&ev.rec), depth);
	CHECK_EQ(rec_duration(&ev.rec), dur);
	ring_reader_advance(r);
}

/* The return of f at depth, dur ticks long, at time ts. */
static struct trace_rec ret_rec(uint64_t ts, unsigned tid, uint32_t f, unsigned depth, uint64_t dur)
{
	return (struct trace_rec){ rec_w0(ts, tid, REC_RETURN), rec_call_w1(f, depth), dur };
}

static bool write_ret(uint64_t ts, unsigned tid, uint32_t f, unsigned depth, uint64_t dur,
		      uint32_t entry)
{
	const struct trace_rec r = ret_rec(ts, tid, f, depth, dur);

	return ring_write_return(0, &r, entry);
}

static void test_leaves(void)
{
	uint32_t a = func_at(0x100), b = func_at(0x2000), c = func_at(0x3ffff0), e[4];
	struct ring_reader r;
	struct ring_stats st;

	TEST_CASE("ring: a call that returns while its entry is the last record becomes one slot");
	setup(RING_MIN_BYTES, false);
	/* a() { b(); c(); } with c's duration too long for a leaf; then b() again, its entry
	 * left last; its return later, after an other record. */
	CHECK(ring_write_at(0, rec_w0(1000, 5, REC_ENTRY), a, &e[0]));
	CHECK(ring_write_at(0, rec_w0(1010, 5, REC_ENTRY), b | 1ull << 32, &e[1]));
	CHECK(write_ret(1030, 5, b, 1, 20, e[1]));
	CHECK(ring_write_at(0, rec_w0(1040, 5, REC_ENTRY), c | 1ull << 32, &e[2]));
	CHECK(write_ret(1040 + 40000, 5, c, 1, 40000, e[2]));
	CHECK(write_ret(41050, 5, a, 0, 40050, e[0]));
	CHECK(ring_write_at(0, rec_w0(41060, 5, REC_ENTRY), b, &e[3]));
	ring_get_stats(0, &st);
	/* sync (2 slots), a, b leaf, c, c's return (40000 ticks after the last record, and at
	 * the depth of the last leaf: a two-slot W_LONG_RET), a's return (one slot: one level
	 * above c's), b: 9 slots, 7 events */
	CHECK_EQ(st.bytes, 9 * RING_SLOT_BYTES);
	CHECK_EQ(st.entries, 7);
	/* The consumer holds back the trailing entry: it may still become a leaf. */
	CHECK_EQ(ring_reader_open(&r, 0, true), 0);
	expect(&r, REC_ENTRY, 1000, 5, a);
	expect(&r, REC_ENTRY, 1010, 5, b | 1ull << 32);
	expect_return(&r, 1030, 5, b, 1, 20);
	expect(&r, REC_ENTRY, 1040, 5, c | 1ull << 32);
	expect_return(&r, 41040, 5, c, 1, 40000);
	expect_return(&r, 41050, 5, a, 0, 40050);
	CHECK(!ring_reader_peek(&r, &ev));
	CHECK(write_ret(41070, 5, b, 0, 10, e[3]));
	expect(&r, REC_ENTRY, 41060, 5, b);
	expect_return(&r, 41070, 5, b, 0, 10);
	CHECK(!ring_reader_peek(&r, &ev));
	/* Consumed: an entry the reader took is not rewritten (its slot is no longer last
	 * once anything follows, and the consumer did not take it while it was). */
	ring_reader_close(&r);
	ring_get_stats(0, &st);
	CHECK_EQ(st.read, 8);
	CHECK_EQ(st.written, 8);
	/* A clear between a call's entry and its return: the return is not merged into the
	 * cleared part, it is recorded on its own, at its depth. */
	CHECK(ring_write_at(0, rec_w0(50000, 5, REC_ENTRY), a | 3ull << 32, &e[0]));
	CHECK_EQ(ring_clear(), 0);
	CHECK(write_ret(50010, 5, a, 3, 10, e[0]));
	ring_get_stats(0, &st);
	CHECK_EQ(st.entries, 1);
	CHECK_EQ(ring_reader_open(&r, 0, false), 0);
	expect_return(&r, 50010, 5, a, 3, 10);
	CHECK(!ring_reader_peek(&r, &ev));
	ring_reader_close(&r);
	TEST_END();
}

static void test_sync_and_long(void)
{
	uint32_t f = func_at(0x40), far = func_at(0x400000); /* the first one past 4 MiB */
	struct trace_rec ret = ret_rec((1ull << 48) - 5, 2, f, 0, 9);
	struct ring_reader r;
	struct ring_stats st;

	TEST_CASE("ring: a new tid or a long gap starts with a W_SYNC, what does not fit is long");
	setup(RING_MIN_BYTES, false);
	/* a sync takes 2 slots */
	CHECK(ring_write(0, rec_w0(100, 1, REC_ENTRY), f));                    /* sync + 1 */
	CHECK(ring_write(0, rec_w0(200, 2, REC_ENTRY), f | 3ull << 32));       /* sync + 1 */
	CHECK(ring_write(0, rec_w0(200 + (1 << 28), 2, REC_ENTRY), f));        /* sync + 1 */
	CHECK(ring_write_rec(0, &ret, NULL)); /* sync + 2: no leaf or return one level below */
	CHECK(ring_write(0, rec_w0(3, 2, REC_FUNC), far | (uint64_t)f << 32)); /* across 2^48: long */
	CHECK(ring_write(0, rec_w0(10, 2, REC_SWITCH), 2 | 7 << 16 | 1ull << 32)); /* 1 */
	ret = ret_rec(20, 7, f, 0, 1ull << 30);
	CHECK(ring_write_rec(0, &ret, NULL)); /* long: 2 */
	CHECK(ring_write(0, rec_w0(25, 7, REC_ENTRY), f | 1ull << 40));        /* irq flag: 1 */
	ring_get_stats(0, &st);
	CHECK_EQ(st.bytes, (3 + 3 + 3 + 4 + 2 + 1 + 2 + 1) * RING_SLOT_BYTES);
	CHECK_EQ(ring_reader_open(&r, 0, false), 0);
	expect(&r, REC_ENTRY, 100, 1, f);
	expect(&r, REC_ENTRY, 200, 2, f | 3ull << 32);
	expect(&r, REC_ENTRY, 200 + (1 << 28), 2, f);
	expect_return(&r, (1ull << 48) - 5, 2, f, 0, 9);
	expect(&r, REC_FUNC, 3, 2, far | (uint64_t)f << 32);
	expect(&r, REC_SWITCH, 10, 2, 2 | 7 << 16 | 1ull << 32);
	expect_return(&r, 20, 7, f, 0, 1ull << 30);
	expect(&r, REC_ENTRY, 25, 7, f | 1ull << 40);
	CHECK(!ring_reader_peek(&r, &ev));
	ring_reader_close(&r);
	TEST_END();
}

/* A call tree of depth 0 to 5 at time *t, function f(d) at depth d: entries down to depth
 * 4, a leaf at 5, returns back up to 0; the first return of each round of `calls` follows
 * a return at depth 0 (or the leaf), so its depth is not implied. */
static uint32_t tree_func(unsigned d) { return func_at(0x100 + 0x40 * d); }

static void write_tree(uint64_t *t, unsigned tid, uint64_t dur_scale)
{
	uint32_t e[6];

	for (unsigned d = 0; d < 6; d++)
		CHECK(ring_write_at(0, rec_w0(*t += 3, tid, REC_ENTRY), rec_call_w1(tree_func(d), d),
				    &e[d]));
	for (int d = 5; d >= 0; d--) {
		*t += 7;
		CHECK(write_ret(*t, tid, tree_func((unsigned)d), (unsigned)d,
				(6 - (unsigned)d) * dur_scale, e[d]));
	}
}

/* Reads one tree back: every return at the depth of its entry. */
static void expect_tree(struct ring_reader *r, unsigned tid, uint64_t dur_scale)
{
	for (unsigned d = 0; d < 6; d++) {
		CHECK(ring_reader_peek(r, &ev));
		CHECK_EQ(rec_type(&ev.rec), REC_ENTRY);
		CHECK_EQ(rec_depth(&ev.rec), d);
		ring_reader_advance(r);
		if (d == 5)
			break;
	}
	for (int d = 5; d >= 0; d--) {
		CHECK(ring_reader_peek(r, &ev));
		CHECK_EQ(rec_type(&ev.rec), REC_RETURN);
		CHECK_EQ(rec_tid(&ev.rec), tid);
		CHECK_EQ(rec_func(&ev.rec), tree_func((unsigned)d));
		CHECK_EQ(rec_depth(&ev.rec), (unsigned)d);
		CHECK_EQ(rec_duration(&ev.rec), (6 - (unsigned)d) * dur_scale);
		ring_reader_advance(r);
	}
}

static void test_return_depth(void)
{
	struct ring_reader r;
	struct ring_stats st;
	uint64_t t = 1000;

	TEST_CASE("ring: returns carry their depth: one slot one level above the last leaf or "
		  "return, two slots otherwise, and every block's W_SYNC carries it");
	setup(RING_MIN_BYTES, true);
	write_tree(&t, 4, 1);
	ring_get_stats(0, &st);
	/* sync, 5 entries, the leaf, 5 returns each one slot */
	CHECK_EQ(st.bytes, (2 + 5 + 1 + 5) * RING_SLOT_BYTES);
	CHECK_EQ(ring_reader_open(&r, 0, false), 0);
	expect_tree(&r, 4, 1);
	CHECK(!ring_reader_peek(&r, &ev));
	ring_reader_close(&r);
	/* Overwrite until the oldest block's first record (after its W_SYNC) is a W_RETURN:
	 * a reader starts there, in the middle of a tree, and gets that return's depth from
	 * the W_SYNC alone. */
	for (;;) {
		uint32_t h = (uint32_t)ring.cpu[0].head;
		uint32_t q = (h - SLOTS_MIN + RING_BLOCK_SLOTS - 1) & ~(RING_BLOCK_SLOTS - 1);

		if (h > 2 * SLOTS_MIN && w_type(ring.cpu[0].slots[(q + 2) & ring.cpu[0].mask]) == W_RETURN)
			break;
		CHECK(h < 40 * SLOTS_MIN);
		write_tree(&t, 4, 1);
	}
	CHECK_EQ(ring_reader_open(&r, 0, false), 0);
	CHECK(ring_reader_peek(&r, &ev));
	CHECK_EQ(rec_type(&ev.rec), REC_RETURN);
	while (ring_reader_peek(&r, &ev)) {
		/* an event's function tells its depth */
		unsigned d = (rec_func(&ev.rec) - tree_func(0)) / 0x40;

		CHECK_EQ(rec_depth(&ev.rec), d);
		CHECK(d < 6);
		ring_reader_advance(&r);
	}
	ring_reader_close(&r);
	TEST_END();
}

static void test_long_durations(void)
{
	const uint64_t hz = 2600000000ull, five_h = 5 * 3600 * hz;
	uint32_t f = func_at(0x40), g = func_at(0x80), e[2];
	struct ring_reader r;
	uint64_t t = 1000;

	TEST_CASE("ring: durations past 2^32 ticks and of hours are exact");
	setup(RING_MIN_BYTES, false);
	CHECK(ring_write_at(0, rec_w0(t, 3, REC_ENTRY), rec_call_w1(f, 2), &e[0]));
	CHECK(ring_write_at(0, rec_w0(t + 5, 3, REC_ENTRY), rec_call_w1(g, 3), &e[1]));
	CHECK(write_ret(t + 5 + (1ull << 32) + 1, 3, g, 3, (1ull << 32) + 1, e[1]));
	CHECK(write_ret(t + five_h, 3, f, 2, five_h, e[0]));
	CHECK_EQ(ring_reader_open(&r, 0, false), 0);
	expect(&r, REC_ENTRY, t, 3, rec_call_w1(f, 2));
	expect(&r, REC_ENTRY, t + 5, 3, rec_call_w1(g, 3));
	expect_return(&r, t + 5 + (1ull << 32) + 1, 3, g, 3, (1ull << 32) + 1);
	expect_return(&r, t + five_h, 3, f, 2, five_h);
	CHECK(!ring_reader_peek(&r, &ev));
	ring_reader_close(&r);
	TEST_END();
}

static uint64_t fake_now;
static uint64_t fake_clock(void) { return fake_now; }

static void test_old_records(void)
{
	uint32_t f = func_at(0x40);
	/* Almost 2^47 ticks (15 h at 2.6 GHz) before now: records keep 48 bits of time. */
	const uint64_t t = (1ull << 50) - (1ull << 47) + 1000;
	const struct trace_rec ret = ret_rec(t + 10, 4, f, 0, 10);
	struct ring_reader r;

	TEST_CASE("ring: a record hours older than the reader's clock keeps its exact time");
	setup(RING_MIN_BYTES, false);
	fake_now = 1ull << 50;
	trace_host_set_clock(fake_clock, 2600000000ull);
	CHECK(ring_write(0, rec_w0(t, 4, REC_ENTRY), f));
	CHECK(ring_write_rec(0, &ret, NULL));
	CHECK_EQ(ring_reader_open(&r, 0, false), 0);
	CHECK(ring_reader_peek(&r, &ev));
	CHECK_EQ(ev.ts, t);
	ring_reader_advance(&r);
	CHECK(ring_reader_peek(&r, &ev));
	CHECK_EQ(ev.ts, t + 10);
	ring_reader_close(&r);
	trace_host_set_clock(NULL, 0);
	TEST_END();
}

/* wire_encode() of the record (w0, w1, w2) after a leaf or return at depth `last`. */
static uint64_t enc(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t delta, uint64_t base,
		    unsigned last)
{
	const struct trace_rec r = { w0, w1, w2 };

	return wire_encode(&r, delta, base, last);
}

static void test_wire_fields(void)
{
	const uint64_t base = 0x100000;
	struct wire_state st = { 1000, 3, 0 };
	struct trace_rec rec;
	uint64_t ts, w;

	TEST_CASE("ring: one-slot encodings keep every field, at the edges of their widths");
	w = enc(rec_w0(1000 + (1 << 28) - 1, 3, REC_ENTRY),
		(base + 0x3fffff) | 255ull << 32 | (uint64_t)REC_F_IRQ << 40, 0,
		(1 << 28) - 1, base, 0);
	CHECK(w != 0);
	CHECK_EQ(wire_decode1(w, 0, &st, &rec, &ts, base), 1);
	CHECK_EQ(rec.w1, (base + 0x3fffff) | 255ull << 32 | (uint64_t)REC_F_IRQ << 40);
	CHECK_EQ(ts, 1000 + (1 << 28) - 1);
	CHECK_EQ(st.depth, 0); /* entries leave a return's implied depth alone */
	CHECK_EQ(enc(rec_w0(0, 3, REC_ENTRY), base + 0x400000, 0, 0, base, 0), 0);
	CHECK_EQ(enc(rec_w0(0, 3, REC_ENTRY), base, 0, 1 << 28, base, 0), 0);
	CHECK_EQ(enc(rec_w0(0, 3, REC_ENTRY), base - 1, 0, 0, base, 0), 0);
	/* A return: one level above the last leaf or return (modulo 256), 24-bit duration */
	w = enc(rec_w0(0, 3, REC_RETURN), rec_call_w1(base, 6), (1ull << 24) - 1, 8191, base, 7);
	CHECK(w != 0);
	st = (struct wire_state){ 1000, 3, 7 };
	CHECK_EQ(wire_decode1(w, 0, &st, &rec, &ts, base), 1);
	CHECK_EQ(rec.w1, rec_call_w1(base, 6));
	CHECK_EQ(rec.w2, (1ull << 24) - 1);
	CHECK_EQ(ts, 1000 + 8191);
	CHECK_EQ(st.depth, 6);
	CHECK(enc(rec_w0(0, 3, REC_RETURN), rec_call_w1(base, 255), 1, 0, base, 0) != 0);
	CHECK_EQ(enc(rec_w0(0, 3, REC_RETURN), rec_call_w1(base, 6), 1, 0, base, 6), 0);
	CHECK_EQ(enc(rec_w0(0, 3, REC_RETURN), rec_call_w1(base, 6), 1, 0, base, 8), 0);
	CHECK_EQ(enc(rec_w0(0, 3, REC_RETURN), rec_call_w1(base, 6), 1ull << 24, 0, base, 7), 0);
	CHECK_EQ(enc(rec_w0(0, 3, REC_RETURN), rec_call_w1(base, 6), 1, 8192, base, 7), 0);
	CHECK_EQ(enc(rec_w0(0, 3, REC_FUNC), base | (base + 0x3fffff) << 32, 0, 32767, base, 0) != 0, 1);
	CHECK_EQ(enc(rec_w0(0, 3, REC_FUNC), base | (base + 0x400000) << 32, 0, 0, base, 0), 0);
	CHECK_EQ(enc(rec_w0(0, 3, REC_SWITCH), 0xfff | 0xfffull << 16 | 0xffull << 32, 0, 0, base, 0) != 0, 1);
	CHECK_EQ(enc(rec_w0(0, 3, REC_SWITCH), 0x1000, 0, 0, base, 0), 0);
	/* A leaf: the entry's delta and depth, duration up to 15 bits; not an irq's first call. */
	w = enc(rec_w0(0, 3, REC_ENTRY), (base + 8) | 7ull << 32, 0, (1 << 14) - 1, base, 0);
	CHECK(wire_leaf(w, (1 << 15) - 1) != 0);
	CHECK_EQ(wire_leaf(w, 1 << 15), 0);
	st = (struct wire_state){ 1000, 3, 0 };
	CHECK_EQ(wire_decode1(wire_leaf(w, 77), 0, &st, &rec, &ts, base), 2);
	CHECK_EQ(rec_type(&rec), REC_ENTRY);
	CHECK_EQ(rec.w1, (base + 8) | 7ull << 32);
	CHECK_EQ(ts, 1000 + (1 << 14) - 1);
	CHECK_EQ(wire_decode1(wire_leaf(w, 77), 1, &st, &rec, &ts, base), 2);
	CHECK_EQ(rec_type(&rec), REC_RETURN);
	CHECK_EQ(rec.w1, rec_call_w1(base + 8, 7));
	CHECK_EQ(rec.w2, 77);
	CHECK_EQ(ts, 1000 + (1 << 14) - 1 + 77);
	CHECK_EQ(st.ts, 1000 + (1 << 14) - 1); /* the next delta counts from the entry */
	CHECK_EQ(st.depth, 7);                 /* and a return's depth from the leaf's */
	w = enc(rec_w0(0, 3, REC_ENTRY), base + 8, 0, 1 << 14, base, 0);
	CHECK_EQ(wire_leaf(w, 1), 0);
	/* A long return: any function and depth, the duration's 48 bits, a 28-bit delta. */
	{
		const struct trace_rec r = { rec_w0(0, 3, REC_RETURN), rec_call_w1(0xfffffff0, 255),
					     REC_TSC_MASK };
		uint64_t second;

		w = wire_long(&r, (1 << 28) - 1, &second);
		CHECK_EQ(w_type(w), W_LONG_RET);
		CHECK_EQ(w_type(second), W_NONE); /* a continuation slot */
		st = (struct wire_state){ 1000, 3, 0 };
		wire_decode_long(w, second, &st, &rec, &ts);
		CHECK_EQ(rec_type(&rec), REC_RETURN);
		CHECK_EQ(rec.w1, rec_call_w1(0xfffffff0, 255));
		CHECK_EQ(rec.w2, REC_TSC_MASK);
		CHECK_EQ(ts, 1000 + (1 << 28) - 1);
		CHECK_EQ(st.depth, 255);
	}
	/* A long switch: the record is the previous tid's, the next one's from then on. */
	{
		const uint64_t sw = 3 | 7ull << 16 | 0x1ffull << 32; /* prev_state past 8 bits */
		const struct trace_rec r = { rec_w0(0, 3, REC_SWITCH), sw, 0 };
		uint64_t second;

		CHECK_EQ(enc(r.w0, r.w1, 0, 0, base, 0), 0);
		w = wire_long(&r, 5, &second);
		CHECK_EQ(w_type(w), W_LONG);
		st = (struct wire_state){ 1000, 3, 9 };
		wire_decode_long(w, second, &st, &rec, &ts);
		CHECK_EQ(rec_type(&rec), REC_SWITCH);
		CHECK_EQ(rec_tid(&rec), 3);
		CHECK_EQ(rec.w1, sw);
		CHECK_EQ(st.tid, 7);
		CHECK_EQ(st.depth, 9);
	}
	w = enc(rec_w0(0, 3, REC_ENTRY), (base + 8) | (uint64_t)REC_F_IRQ << 40, 0, 0, base, 0);
	CHECK_EQ(wire_leaf(w, 1), 0);
	TEST_END();
}

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
static void conc_run(bool overwrite, bool text, bool calls, const char *name)
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
static void test_conc_snapshot(bool calls, const char *name)
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
static void test_bounded_consumer(void)
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
static void test_bounded_endless(void)
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
