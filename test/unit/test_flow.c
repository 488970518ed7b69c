/* Host tests of flow control's watermarks (trace/flow.c) over the real ring and raw reader:
 * a CPU becomes congested at FLOW_HIGH only while the option, tracing and a streaming
 * reader are there; it stays congested until the reader's acknowledgements free it down
 * to FLOW_LOW, which wakes its parked threads; a follow response that shipped all of a
 * congested CPU ends at once (its acknowledgement must come); the reader's
 * going away releases after the grace period; tracing off, the option off and overwrite
 * mode release at once. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include "test/unit/check.h"
#include "test/unit/trace_host_env.h"
#include "trace/flow.h"
#include "trace/raw_reader.h"

#define BUF_BYTES (64 * 1024) /* 8192 slots, a window of 2048 */
#define HZ 1000000000ull

static unsigned char body[1 << 20];
static struct raw_reader rr;
static uint64_t next_seq[2], fake_now = 1;
static unsigned wakes[2];

static uint64_t fake_clock(void) { return fake_now; }
static void count_wake(unsigned cpu) { wakes[cpu < 2 ? cpu : 0]++; }

static void setup(void)
{
	trace_host_set_clock(fake_clock, HZ);
	ring_set_overwrite(false);
	if (ring_init(2, BUF_BYTES) != 0) {
		printf("not ok - ring_init failed\n");
		exit(1);
	}
	raw_reader_reset();
	next_seq[0] = next_seq[1] = 1;
	wakes[0] = wakes[1] = 0;
	trace_set_on(true);
	trace_flow_set_waker(count_wake);
	trace_flow_set(true);
}

static uint32_t used(unsigned cpu)
{
	return (uint32_t)ring.cpu[cpu].head - ring.cpu[cpu].rd.pos;
}

/* n one-slot events on cpu. */
static void write_n(unsigned cpu, unsigned n)
{
	static uint64_t k;

	for (unsigned i = 0; i < n; i++, k++) {
		uint64_t f = ring.text_base + (k * 64) % 0x100000;

		CHECK(ring_write(cpu, rec_w0(k, 1, REC_FUNC), f | (f + 8) << 32));
	}
}

/* One follow response: opens with the acknowledgements of all taken so far, reads until
 * the reader says the response is complete (0) or has nothing now (-EAGAIN, returned),
 * and notes the seq after each CPU's last frame. Returns the reader's last result; the
 * reader stays open. */
static long respond(void)
{
	char from[64], why[160];
	size_t n = 0, off = 0;
	long k;

	snprintf(from, sizeof(from), "0:%llu,1:%llu", (unsigned long long)next_seq[0],
		 (unsigned long long)next_seq[1]);
	CHECK_EQ(raw_reader_open(&rr, -1, true, false), 0);
	CHECK_EQ(raw_reader_from(&rr, from, strlen(from), why, sizeof(why)), 0);
	while ((k = raw_reader_read(&rr, (char *)body + n, sizeof(body) - n)) > 0)
		n += (size_t)k;
	while (off + sizeof(struct raw_frame_hdr) <= n) {
		struct raw_frame_hdr h;

		memcpy(&h, body + off, sizeof(h));
		next_seq[h.cpu] = h.seq + 1;
		off += sizeof(h) + h.len;
	}
	CHECK_EQ(off, n);
	return k;
}

#define NSLOTS (BUF_BYTES / 8)
#define HIGH (NSLOTS * FLOW_HIGH_PERCENT / 100)
#define LOW (NSLOTS * FLOW_LOW_PERCENT / 100)

static void test_watermarks(void)
{
	TEST_CASE("flow congested from the high watermark to the low one, then wakes");
	setup();
	write_n(0, HIGH - 200);
	CHECK(!trace_flow_congested(0)); /* no reader yet */
	write_n(0, 300);
	CHECK(!trace_flow_congested(0));
	CHECK_EQ(respond(), 0);           /* a full window (a quarter: 2048 slots) ends it */
	CHECK(trace_flow_congested(0));   /* the reader is here, nothing acknowledged */
	CHECK(!trace_flow_congested(1));
	raw_reader_close(&rr);
	/* Acknowledges the window, which frees all but the last block shipped: between the
	 * marks, so still congested; the rest is shipped and, the writers waiting, the
	 * response ends at once (not after RAW_FOLLOW_MS) for the acknowledgement. */
	CHECK_EQ(respond(), 0);
	CHECK(used(0) > LOW && used(0) < HIGH);
	CHECK(trace_flow_congested(0));
	CHECK_EQ(wakes[0], 0);
	raw_reader_close(&rr);
	CHECK_EQ(respond(), -EAGAIN);     /* acknowledges the rest: nothing more to ship */
	CHECK(used(0) <= LOW);
	CHECK_EQ(wakes[0], 1);
	CHECK(!trace_flow_congested(0));
	raw_reader_close(&rr);
	TEST_END();
}

static void test_reader_gone(void)
{
	TEST_CASE("flow releases once the reader is gone for the grace period");
	setup();
	CHECK_EQ(raw_reader_open(&rr, -1, true, false), 0);
	write_n(1, HIGH + 100);
	CHECK(trace_flow_congested(1));
	raw_reader_close(&rr);
	fake_now += HZ / 1000 * FLOW_READER_GRACE_MS - 1;
	CHECK(trace_flow_congested(1));  /* a follow reader between two requests */
	fake_now += 2;
	CHECK(!trace_flow_congested(1));
	CHECK_EQ(raw_reader_open(&rr, -1, true, false), 0);
	CHECK(trace_flow_congested(1));  /* back: waits again */
	raw_reader_close(&rr);
	TEST_END();
}

/* A reader of one CPU's file: the other CPU, which nobody reads, never waits. */
static void test_per_cpu_reader(void)
{
	TEST_CASE("flow: only the CPUs a reader reads wait");
	setup();
	CHECK_EQ(raw_reader_open(&rr, 0, true, false), 0);
	write_n(0, HIGH + 100);
	write_n(1, HIGH + 100);
	CHECK(trace_flow_congested(0));
	CHECK(!trace_flow_congested(1));
	raw_reader_close(&rr);
	TEST_END();
}

static void test_release(void)
{
	TEST_CASE("flow off, tracing off, overwrite mode: released at once");
	setup();
	CHECK_EQ(raw_reader_open(&rr, -1, true, false), 0);
	write_n(0, HIGH + 100);
	CHECK(trace_flow_congested(0));
	trace_flow_set(false);
	CHECK(!trace_flow_congested(0));
	CHECK(wakes[0] >= 1 && wakes[1] >= 1); /* every CPU's parked threads look again */
	trace_flow_set(true);
	CHECK(trace_flow_congested(0));
	trace_set_on(false);
	CHECK(!trace_flow_congested(0));
	trace_set_on(true);
	ring_set_overwrite(true);
	CHECK(!trace_flow_congested(0));
	ring_set_overwrite(false);
	raw_reader_close(&rr);
	trace_flow_set(false);
	TEST_END();
}

int main(void)
{
	test_watermarks();
	test_reader_gone();
	test_per_cpu_reader();
	test_release();
	return test_exit_status();
}
