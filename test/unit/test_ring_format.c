/* Ring buffer tests, the slot format: one-slot records, leaves merged in place, W_SYNC
 * and W_LONG, return depths, long durations, records older than a W_SYNC's range. */
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

void test_leaves(void)
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
	/* Once no return is recorded any more (tracing off: no tracer active, no writer in the
	 * ring), a trailing entry is final: the consumer takes it (trace_pipe drains all). */
	CHECK(ring_write_at(0, rec_w0(41080, 5, REC_ENTRY), c | 1ull << 32, &e[0]));
	CHECK(!ring_reader_peek(&r, &ev));
	trace_cfg.active = TRACER_NOP;
	expect(&r, REC_ENTRY, 41080, 5, c | 1ull << 32);
	CHECK(!ring_reader_peek(&r, &ev));
	trace_cfg.active = TRACER_GRAPH;
	/* Consumed: an entry the reader took is not rewritten (its slot is no longer last
	 * once anything follows, and the consumer did not take it while it was). */
	ring_reader_close(&r);
	ring_get_stats(0, &st);
	CHECK_EQ(st.read, 9);
	CHECK_EQ(st.written, 9);
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

void test_sync_and_long(void)
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

void test_return_depth(void)
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

void test_long_durations(void)
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

void test_old_records(void)
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

void test_wire_fields(void)
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
