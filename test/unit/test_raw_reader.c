/* Host tests of the raw readers (trace/raw_reader.c) over the real ring: frames carry the
 * ring's slots, unacknowledged frames are sent again byte for byte, from= frees what it
 * acknowledges, a reader cut at random points resumes to exactly the events written (none
 * lost, none twice), a trailing entry waits until it is final, a clear skips seq numbers
 * with GAP, bad from= lists change nothing, snapshots consume nothing, and the consumer
 * is exclusive. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include "test/unit/check.h"
#include "test/unit/trace_host_env.h"
#include "trace/raw_reader.h"

#define BUF_BYTES (64 * 1024) /* 8 blocks: small enough to wrap many times */
#define MAX_BODY (4 << 20)
#define MAX_EVENTS 400000

static unsigned char body[MAX_BODY];
static struct raw_reader rr;

struct frame {
	struct raw_frame_hdr h;
	const unsigned char *payload;
};

/* The client's view of one CPU: its slot stream and the next seq it wants. */
struct stream {
	uint64_t slots[MAX_EVENTS * 2];
	size_t n;
	uint64_t next;
};

static struct stream streams[2];

static void setup(void)
{
	ring_set_overwrite(false);
	if (ring_init(2, BUF_BYTES) != 0) {
		printf("not ok - ring_init failed\n");
		exit(1);
	}
	raw_reader_reset();
	memset(streams, 0, sizeof(streams));
	streams[0].next = streams[1].next = 1;
}

/* Event k on cpu: a `function` record at time k, functions inside text (one slot). */
static void write_k(unsigned cpu, uint64_t k)
{
	uint64_t f = ring.text_base + (k * 64) % 0x100000;

	CHECK(ring_write(cpu, rec_w0(k, 1, REC_FUNC), f | (f + 8) << 32));
}

/* Reads the reader to its end, or to `cut` bytes (a connection that broke there). */
static size_t read_body(size_t cut)
{
	size_t n = 0;
	long k;

	while (n < cut && (k = raw_reader_read(&rr, (char *)body + n,
					       cut - n < 1000 ? cut - n : 1000)) > 0)
		n += (size_t)k;
	return n;
}

/* The whole frames of body[0, n); checks every header. */
static size_t parse(size_t n, struct frame *fr, size_t max)
{
	size_t off = 0, count = 0;

	while (off + sizeof(struct raw_frame_hdr) <= n && count < max) {
		struct frame *f = &fr[count];

		memcpy(&f->h, body + off, sizeof(f->h));
		CHECK_EQ(f->h.magic, RAW_MAGIC);
		CHECK_EQ(f->h.version, RAW_VERSION);
		CHECK(f->h.len % 8 == 0 && f->h.len <= RING_BLOCK_SLOTS * 8 && f->h.cpu < 2);
		if (off + sizeof(f->h) + f->h.len > n)
			break;
		f->payload = body + off + sizeof(f->h);
		off += sizeof(f->h) + f->h.len;
		count++;
	}
	return count;
}

/* Appends the frames to the client's streams: each must be the seq it wants. */
static void take(const struct frame *fr, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		struct stream *s = &streams[fr[i].h.cpu];

		CHECK_EQ(fr[i].h.seq, s->next);
		CHECK(!(fr[i].h.flags & RAW_F_GAP));
		memcpy(&s->slots[s->n], fr[i].payload, fr[i].h.len);
		s->n += fr[i].h.len / 8;
		s->next = fr[i].h.seq + 1;
	}
}

/* "0:S,1:S" from the streams. */
static const char *from_text(void)
{
	static char text[64];

	snprintf(text, sizeof(text), "0:%llu,1:%llu", (unsigned long long)streams[0].next,
		 (unsigned long long)streams[1].next);
	return text;
}

static int open_from(const char *from, bool bounded)
{
	char why[160];
	int err = raw_reader_open(&rr, -1, true, bounded);

	if (!err && from && (err = raw_reader_from(&rr, from, strlen(from), why, sizeof(why))))
		raw_reader_close(&rr);
	return err;
}

/* Decodes a slot stream with the codec (trace/codec.h): the times of its events into ks; -1 if a
 * record is not what the writers wrote. */
static long decode(const uint64_t *s, size_t n, uint64_t *ks)
{
	struct wire_state st = { 0 };
	bool synced = false;
	long count = 0;

	for (size_t i = 0; i < n;) {
		uint64_t w = s[i] & ~W_LAP_BIT, ts;
		struct trace_rec rec;

		switch (w_type(w)) {
		case W_SYNC:
			st.ts = s[i + 1] & REC_TSC_MASK;
			st.tid = (uint32_t)w_bits(w, 0, 12);
			synced = true;
			i += 2;
			break;
		case W_PAD:
			i += w_bits(w, 0, 32);
			break;
		case W_FUNC:
		case W_LEAF:
		case W_ENTRY:
			if (!synced)
				return -1;
			wire_decode1(w, 0, &st, &rec, &ts, ring.text_base);
			ks[count++] = ts;
			i++;
			break;
		default:
			return -1;
		}
	}
	return count;
}

static uint64_t ks[MAX_EVENTS];

/* The stream of cpu decodes to events 0 .. n-1. */
static void check_events(unsigned cpu, uint64_t n)
{
	long got = decode(streams[cpu].slots, streams[cpu].n, ks);
	bool in_order = got == (long)n;

	for (long i = 0; in_order && i < got; i++)
		in_order = ks[i] == (uint64_t)i;
	CHECK_EQ(got, n);
	CHECK(in_order);
}

static void test_frames(void)
{
	struct frame fr[64];
	size_t n, count;

	TEST_CASE("raw: frames carry the ring's slots: seq from 1, a block at most, BLOCK_START");
	setup();
	for (uint64_t k = 0; k < 1800; k++) /* less than the window (a quarter of the buffer) */
		write_k(0, k);
	CHECK_EQ(open_from(NULL, true), 0);
	n = read_body(MAX_BODY);
	raw_reader_close(&rr);
	count = parse(n, fr, 64);
	CHECK_EQ(count, 2);
	CHECK(fr[0].h.flags & RAW_F_BLOCK_START);
	CHECK(fr[1].h.flags & RAW_F_BLOCK_START);
	for (size_t i = 0; i < count; i++)
		CHECK(memcmp(fr[i].payload, ring.cpu[0].slots + (i * RING_BLOCK_SLOTS),
			     fr[i].h.len) == 0);
	take(fr, count);
	check_events(0, 1800);
	CHECK_EQ(streams[1].n, 0);
	TEST_END();
}

static void test_resend(void)
{
	static unsigned char first[MAX_BODY];
	struct frame fr[64];
	size_t n, n2, count;
	char why[160];

	TEST_CASE("raw: unacknowledged frames are sent again byte for byte; from= frees the rest; "
		  "a seq below the window resumes at its start");
	setup();
	for (uint64_t k = 0; k < 2000; k++) {
		write_k(0, k);
		write_k(1, k);
	}
	CHECK_EQ(open_from(NULL, true), 0);
	n = read_body(MAX_BODY);
	raw_reader_close(&rr);
	memcpy(first, body, n);
	CHECK_EQ(open_from(NULL, true), 0); /* no from: everything again */
	n2 = read_body(MAX_BODY);
	raw_reader_close(&rr);
	CHECK_EQ(n2, n);
	CHECK(memcmp(first, body, n) == 0);
	count = parse(n, fr, 64);
	CHECK(count >= 4);
	/* Acknowledge CPU 0's first frame only: CPU 0 resumes at seq 2 with the same bytes. */
	CHECK_EQ(open_from("0:2", true), 0);
	n2 = read_body(MAX_BODY);
	raw_reader_close(&rr);
	CHECK_EQ(n2, n - sizeof(struct raw_frame_hdr) - fr[0].h.len);
	CHECK_EQ(raw_reader_seq(0), 2);
	CHECK_EQ(raw_reader_seq(1), 1);
	/* Below the acknowledged seq: nothing more to free, sent from the oldest kept. */
	CHECK_EQ(open_from("0:1", true), 0);
	CHECK_EQ(read_body(MAX_BODY), n2);
	raw_reader_close(&rr);
	CHECK_EQ(raw_reader_seq(0), 2);
	/* Never sent: refused with the reason, nothing changed. */
	CHECK_EQ(raw_reader_open(&rr, -1, true, true), 0);
	CHECK_EQ(raw_reader_from(&rr, "0:99", 4, why, sizeof(why)), -EINVAL);
	CHECK(strncmp(why, "from: CPU 0 seq 99 was never sent", 33) == 0);
	raw_reader_close(&rr);
	CHECK_EQ(raw_reader_seq(0), 2);
	TEST_END();
}

/* One round of the cut test: a session broken at a random byte, then one to the end. */
static void cut_round(void)
{
	static struct frame fr[4096];
	static unsigned char seen[MAX_BODY];
	size_t n, count, seen_n;

	CHECK_EQ(open_from(from_text(), true), 0);
	n = read_body((size_t)rand() % 30000);
	raw_reader_close(&rr);
	/* What the broken session got must come again, the same bytes (it was not kept). */
	memcpy(seen, body, n);
	seen_n = n;
	CHECK_EQ(open_from(from_text(), true), 0);
	n = read_body(MAX_BODY);
	raw_reader_close(&rr);
	CHECK(memcmp(seen, body, seen_n < n ? seen_n : n) == 0);
	count = parse(n, fr, 4096);
	take(fr, count);
}

static void test_cut(void)
{
	const uint64_t rounds = 200, per_round = 700;
	struct ring_stats st;

	TEST_CASE("raw: a reader cut at random points 200 times resumes with from=: every "
		  "event once, none lost, seq contiguous");
	setup();
	srand(13);
	for (uint64_t r = 0; r < rounds; r++) {
		for (uint64_t k = r * per_round; k < (r + 1) * per_round; k++) {
			write_k(0, k);
			if (k % 3)
				write_k(1, k / 3 * 2 + k % 3 - 1);
		}
		cut_round();
	}
	cut_round(); /* the last round's frames */
	ring_get_stats(0, &st);
	CHECK_EQ(st.dropped, 0);
	ring_get_stats(1, &st);
	CHECK_EQ(st.dropped, 0);
	check_events(0, rounds * per_round);
	check_events(1, rounds * per_round / 3 * 2 + (rounds * per_round % 3 == 2));
	CHECK(ring.cpu[0].head > 4 * (BUF_BYTES / 8)); /* the buffer wrapped several times */
	TEST_END();
}

static void test_window(void)
{
	struct frame fr[64];
	size_t n, count, slots = 0;

	TEST_CASE("raw: a response ends once a quarter of the buffer waits for acknowledgement");
	setup();
	for (uint64_t k = 0; k < 7000; k++)
		write_k(0, k);
	CHECK_EQ(open_from(NULL, true), 0);
	n = read_body(MAX_BODY);
	raw_reader_close(&rr);
	count = parse(n, fr, 64);
	for (size_t i = 0; i < count; i++)
		slots += fr[i].h.len / 8;
	CHECK(slots >= BUF_BYTES / 8 / 4 && slots < BUF_BYTES / 8 / 4 + RING_BLOCK_SLOTS);
	take(fr, count);
	while (count) { /* the client's next requests acknowledge and go on */
		CHECK_EQ(open_from(from_text(), true), 0);
		n = read_body(MAX_BODY);
		raw_reader_close(&rr);
		count = parse(n, fr, 64);
		take(fr, count);
	}
	check_events(0, 7000);
	TEST_END();
}

static void test_held_entry(void)
{
	const struct trace_rec entry = { rec_w0(100, 1, REC_ENTRY),
					 rec_call_w1((uint32_t)ring.text_base + 0x40, 0), 0 };
	const struct trace_rec ret = { rec_w0(103, 1, REC_RETURN),
				       rec_call_w1((uint32_t)ring.text_base + 0x40, 0), 3 };
	struct frame fr[8];
	uint32_t at;
	size_t count;

	TEST_CASE("raw: a last W_ENTRY waits until it is final (here: a leaf)");
	setup();
	trace_set_tracer(TRACE_GRAPH);
	trace_set_on(true); /* function_graph records returns: the entry may become a leaf */
	for (uint64_t k = 0; k < 100; k++)
		write_k(0, k);
	CHECK(ring_write_rec(0, &entry, &at));
	CHECK_EQ(open_from(NULL, true), 0);
	count = parse(read_body(MAX_BODY), fr, 8);
	raw_reader_close(&rr);
	take(fr, count);
	CHECK_EQ(streams[0].n, 102); /* W_SYNC (2 slots) and 100 events, not the entry */
	CHECK(ring_write_return(0, &ret, at));
	CHECK_EQ(open_from(from_text(), true), 0);
	count = parse(read_body(MAX_BODY), fr, 8);
	raw_reader_close(&rr);
	CHECK_EQ(count, 1);
	take(fr, count);
	CHECK_EQ(streams[0].n, 103);
	CHECK_EQ(w_type(streams[0].slots[102]), W_LEAF);
	trace_set_on(false);
	TEST_END();
}

static void test_entry_final_when_off(void)
{
	const struct trace_rec entry = { rec_w0(100, 1, REC_ENTRY),
					 rec_call_w1((uint32_t)ring.text_base + 0x40, 0), 0 };
	struct frame fr[8];
	uint32_t at;
	size_t count;

	TEST_CASE("raw: with tracing off a last W_ENTRY is final: shipped, not held back");
	setup();
	trace_set_tracer(TRACE_GRAPH);
	trace_set_on(true);
	for (uint64_t k = 0; k < 100; k++)
		write_k(0, k);
	CHECK(ring_write_rec(0, &entry, &at));
	trace_set_on(false);
	CHECK_EQ(open_from(NULL, true), 0);
	count = parse(read_body(MAX_BODY), fr, 8);
	raw_reader_close(&rr);
	take(fr, count);
	CHECK_EQ(streams[0].n, 103); /* W_SYNC, 100 events and the entry */
	CHECK_EQ(w_type(streams[0].slots[102]), W_ENTRY);
	/* a writer inside the ring could still merge it: held while one is */
	setup();
	trace_set_on(false);
	CHECK(ring_write_rec(0, &entry, &at));
	ring.cpu[0].writing = 1;
	CHECK_EQ(open_from(NULL, true), 0);
	count = parse(read_body(MAX_BODY), fr, 8);
	raw_reader_close(&rr);
	ring.cpu[0].writing = 0;
	take(fr, count);
	CHECK_EQ(streams[0].n, 2); /* only the W_SYNC */
	TEST_END();
}

static void test_event_records(void)
{
	static const char payload[40] = "an event's payload, five slots long....";
	struct frame fr[8];
	size_t count;

	TEST_CASE("raw: a W_EVENT (several slots) ships whole, and what follows it too");
	setup();
	for (uint64_t k = 0; k < 50; k++)
		write_k(0, k);
	CHECK(ring_write_event(0, 60, 1, 3, payload, sizeof(payload)));
	for (uint64_t k = 70; k < 120; k++)
		write_k(0, k);
	CHECK_EQ(open_from(NULL, true), 0);
	count = parse(read_body(MAX_BODY), fr, 8);
	raw_reader_close(&rr);
	take(fr, count);
	/* W_SYNC (2), 50 events, the event (1 + 40 bytes in 7-byte slots), 50 events */
	CHECK_EQ(streams[0].n, 2 + 50 + wire_text_slots(sizeof(payload)) + 50);
	CHECK_EQ(w_type(streams[0].slots[52]), W_EVENT);
	TEST_END();
}

static void test_clear(void)
{
	struct frame fr[8];
	size_t count;
	uint64_t seq;

	TEST_CASE("raw: a clear or a resize loses the unacknowledged frames: seqs skipped, the "
		  "next has GAP");
	setup();
	for (uint64_t k = 0; k < 100; k++)
		write_k(0, k);
	CHECK_EQ(open_from(NULL, true), 0);
	count = parse(read_body(MAX_BODY), fr, 8);
	raw_reader_close(&rr);
	CHECK_EQ(count, 1);
	seq = fr[0].h.seq;
	CHECK_EQ(ring_clear(), 0);
	for (uint64_t k = 1000; k < 1050; k++)
		write_k(0, k);
	CHECK_EQ(open_from(NULL, true), 0);
	count = parse(read_body(MAX_BODY), fr, 8);
	raw_reader_close(&rr);
	CHECK_EQ(count, 1);
	CHECK_EQ(fr[0].h.seq, seq + 1);
	CHECK(fr[0].h.flags & RAW_F_GAP);
	CHECK_EQ(decode((const uint64_t *)fr[0].payload, fr[0].h.len / 8, ks), 50);
	CHECK_EQ(ks[0], 1000);
	/* A clear between the open and the acknowledgement: the window is dropped first, so
	 * the acknowledgement cannot move the consumer back before the clear. */
	{
		char why[160], from[32];
		uint32_t rd;

		CHECK_EQ(raw_reader_open(&rr, -1, true, true), 0);
		CHECK_EQ(ring_clear(), 0);
		rd = ring.cpu[0].rd.pos;
		snprintf(from, sizeof(from), "0:%llu", (unsigned long long)(seq + 2));
		CHECK_EQ(raw_reader_from(&rr, from, strlen(from), why, sizeof(why)), 0);
		raw_reader_close(&rr);
		CHECK_EQ(ring.cpu[0].rd.pos, rd);
	}
	/* New buffers (buffer_size_kb) start the positions again: the same, after a GAP. */
	CHECK_EQ(ring_resize(2 * BUF_BYTES), 0);
	for (uint64_t k = 2000; k < 2010; k++)
		write_k(0, k);
	CHECK_EQ(open_from(NULL, true), 0);
	count = parse(read_body(MAX_BODY), fr, 8);
	raw_reader_close(&rr);
	CHECK_EQ(count, 1);
	CHECK_EQ(fr[0].h.seq, seq + 2); /* the frame after the first clear: acknowledged */
	CHECK(fr[0].h.flags & RAW_F_GAP);
	CHECK_EQ(decode((const uint64_t *)fr[0].payload, fr[0].h.len / 8, ks), 10);
	CHECK_EQ(ks[0], 2000);
	TEST_END();
}

static void test_overwrite(void)
{
	static struct frame fr[4096];
	size_t count;
	long n;

	TEST_CASE("raw: in overwrite mode, frames writers overtook are skipped with GAP; the "
		  "rest decodes to the newest events in order");
	setup();
	ring_set_overwrite(true);
	for (uint64_t k = 0; k < 1000; k++)
		write_k(0, k);
	CHECK_EQ(open_from(NULL, true), 0);
	count = parse(read_body(MAX_BODY), fr, 4096);
	raw_reader_close(&rr);
	take(fr, count);
	for (uint64_t k = 1000; k < 50000; k++) /* the buffer wraps: the window is overwritten */
		write_k(0, k);
	CHECK_EQ(open_from(from_text(), true), 0);
	count = parse(read_body(MAX_BODY), fr, 4096);
	raw_reader_close(&rr);
	CHECK(count >= 1);
	CHECK(fr[0].h.seq > streams[0].next - 1);
	CHECK(fr[0].h.flags & RAW_F_GAP);
	CHECK(fr[0].h.flags & RAW_F_BLOCK_START);
	streams[0].n = 0;
	for (size_t i = 0; i < count; i++) {
		memcpy(&streams[0].slots[streams[0].n], fr[i].payload, fr[i].h.len);
		streams[0].n += fr[i].h.len / 8;
	}
	n = decode(streams[0].slots, streams[0].n, ks);
	CHECK(n > 1000);
	for (long i = 1; i < n; i++)
		if (ks[i] != ks[i - 1] + 1) {
			CHECK_EQ(ks[i], ks[i - 1] + 1);
			break;
		}
	ring_set_overwrite(false);
	TEST_END();
}

static void test_bad_from(void)
{
	static const char *const bad[] = { "", "x", "0:", ":1", "0:1,0:1", "2:1", "0:0", "0:5",
					   "1", "0:1,", "0;1", "0:1 ", "0:99999999999999999999" };
	char why[160];

	TEST_CASE("raw: bad from= lists are refused with a reason and change nothing");
	setup();
	for (uint64_t k = 0; k < 100; k++)
		write_k(0, k);
	CHECK_EQ(open_from(NULL, true), 0);
	read_body(MAX_BODY);
	raw_reader_close(&rr);
	CHECK_EQ(raw_reader_open(&rr, -1, true, true), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = 0;
		CHECK_EQ(raw_reader_from(&rr, bad[i], strlen(bad[i]), why, sizeof(why)), -EINVAL);
		CHECK(strncmp(why, "from: ", 6) == 0);
	}
	CHECK_EQ(raw_reader_seq(0), 1);
	CHECK_EQ(raw_reader_from(&rr, "0:2,1:1", 7, why, sizeof(why)), 0);
	CHECK_EQ(raw_reader_seq(0), 2);
	raw_reader_close(&rr);
	CHECK_EQ(raw_reader_open(&rr, 1, true, true), 0); /* per-CPU: a bare SEQ */
	CHECK_EQ(raw_reader_from(&rr, "1", 1, why, sizeof(why)), 0);
	CHECK_EQ(raw_reader_from(&rr, "0:2", 3, why, sizeof(why)), -EINVAL);
	raw_reader_close(&rr);
	TEST_END();
}

static void test_snapshot_and_busy(void)
{
	static unsigned char first[MAX_BODY];
	struct ring_reader r;
	struct frame fr[64];
	size_t n, count;

	TEST_CASE("raw: trace_raw is non-destructive and numbered per response; one consumer");
	setup();
	for (uint64_t k = 0; k < 3000; k++)
		write_k(1, k);
	CHECK_EQ(raw_reader_open(&rr, -1, false, true), 0);
	n = read_body(MAX_BODY);
	raw_reader_close(&rr);
	memcpy(first, body, n);
	count = parse(n, fr, 64);
	CHECK(count >= 3);
	for (size_t i = 0; i < count; i++) {
		CHECK_EQ(fr[i].h.seq, i + 1);
		CHECK(fr[i].h.flags & RAW_F_SNAPSHOT);
	}
	CHECK_EQ(raw_reader_open(&rr, 1, false, true), 0);
	CHECK_EQ(read_body(MAX_BODY), n);
	raw_reader_close(&rr);
	CHECK(memcmp(first, body, n) == 0);
	CHECK_EQ(raw_reader_open(&rr, -1, true, true), 0);
	CHECK_EQ(ring_reader_open(&r, 1, true), -EBUSY);
	CHECK_EQ(raw_reader_open(&(struct raw_reader){ 0 }, 1, true, true), -EBUSY);
	raw_reader_close(&rr);
	CHECK_EQ(ring_reader_open(&r, 1, true), 0);
	CHECK_EQ(raw_reader_open(&rr, -1, true, true), -EBUSY);
	ring_reader_close(&r);
	CHECK_EQ(raw_reader_open(&rr, 2, true, true), -EINVAL);
	TEST_END();
}

int main(void)
{
	trace_host_set_ncpus(2);
	test_frames();
	test_resend();
	test_cut();
	test_window();
	test_held_entry();
	test_entry_final_when_off();
	test_event_records();
	test_clear();
	test_overwrite();
	test_bad_from();
	test_snapshot_and_busy();
	return test_exit_status();
}
