/* What the ring buffer tests share (test/unit/ring_fixture.h): writers of events whose
 * contents a reader can check, and a consumer that checks them. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>
#include "test/unit/check.h"
#include "test/unit/trace_host_env.h"
#include "trace/config.h"
#include "trace/ring.h"
#include "test/unit/ring_fixture.h"

/* Whether every 7th event of write_k() takes two slots (W_LONG) instead of one. */
bool mix_long;

/* Event k of writer tid: the timestamp is k and w1 a hash of both, so a reader can tell
 * a torn or stale record from an intact one. Its function and parent lie in the first
 * 4 MiB of text (one slot), or anywhere (every 7th event if mix_long: a W_LONG). */
uint64_t pattern(uint64_t k, unsigned tid)
{
	uint64_t x = (k + 1) * 0x9e3779b97f4a7c15ull ^ ((uint64_t)tid << 17);

	x ^= x >> 29;
	if (mix_long && k % 7 == 3) /* an offset of at least 2 GiB from text */
		return (uint32_t)(ring.text_base + 0x80000000u + (uint32_t)(x & 0x7fffffff)) |
		       (x & ~0xffffffffull);
	return (uint32_t)(ring.text_base + (x & 0x3fffff)) |
	       (uint64_t)(uint32_t)(ring.text_base + ((x >> 22) & 0x3fffff)) << 32;
}

bool write_k(unsigned cpu, unsigned tid, uint64_t k)
{
	return ring_write(cpu, rec_w0(k, tid, REC_FUNC), pattern(k, tid));
}

/* Text of event k: length k % 53, bytes derived from k. */
size_t text_k(uint64_t k, char *buf)
{
	size_t len = k % 53;

	for (size_t i = 0; i < len; i++)
		buf[i] = (char)('a' + (k + i) % 26);
	return len;
}

bool write_text_k(unsigned cpu, unsigned tid, uint64_t k)
{
	char buf[64];

	return ring_write_text(cpu, k, tid, buf, text_k(k, buf));
}

/* The function at depth d in the call tree of event k (call_k()): every 7th tree's lie
 * 2 GiB past text, so their entries and returns take W_LONGs. */
uint32_t call_func(uint64_t k, unsigned d)
{
	return (uint32_t)ring.text_base + ((k / 12) % 7 == 3 ? 0x80000000u : 0) + 0x40 * d;
}

/* Event k of a call-tree writer: trees of 12 events, entries from depth 0 down to 5, then
 * the returns back up (the deepest call a leaf). Event k is at time k, so the return at
 * depth d lasts 11 - 2d ticks. *at[d]: the slot of the entry at depth d. */
bool write_call_k(unsigned cpu, unsigned tid, uint64_t k, uint32_t at[6])
{
	unsigned i = k % 12, d = i < 6 ? i : 11 - i;
	const struct trace_rec r = { rec_w0(k, tid, i < 6 ? REC_ENTRY : REC_RETURN),
				     rec_call_w1(call_func(k, d), d), i < 6 ? 0 : 11 - 2 * d };

	if (i < 6)
		return ring_write_rec(cpu, &r, &at[d]);
	return ring_write_return(cpu, &r, at[d]);
}

/* Whether ev is an intact event k of writer tid (text, call or not). */
bool intact(const struct ring_event *ev, unsigned tid)
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

struct ring_event ev;

void setup(size_t bytes, bool overwrite)
{
	/* as while function_graph records: a consumer holds a trailing entry back, since its
	 * call may still become a leaf (ring_entry_may_become_leaf()) */
	trace_cfg.active = TRACER_GRAPH;
	ring_set_overwrite(overwrite);
	if (ring_init(2, bytes) != 0) {
		printf("not ok - ring_init failed\n");
		exit(1);
	}
}

/* Consumes everything on cpu; checks that events run k = next, next+1, ... with gaps
 * exactly as reported lost. Returns events read; *lost_sum gets the losses reported. */
uint64_t consume_all(unsigned cpu, unsigned tid, uint64_t *next, uint64_t *lost_sum)
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
