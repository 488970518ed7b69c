/* The raw readers: contract in trace/raw_reader.h, format in docs/raw-transport.md. */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "trace/raw_reader.h"
#include "trace/env.h"
#include "trace/flow.h"
#include "kernel/printf.h"

/* A frame sent and not acknowledged yet: where it lies in the ring, and its flags. */
struct raw_sent {
	uint32_t pos;
	uint16_t slots;
	uint16_t flags;
};

/* A CPU's acknowledgement state, kept across requests (raw_reader.h). */
struct raw_cpu {
	bool started;
	bool gap;           /* the next new frame follows lost slots */
	const uint64_t *slots; /* the buffer the positions are in (a resize replaces it) */
	uint32_t freed;     /* the ring's consumer position as this reader last left it */
	uint32_t acked;     /* first slot of the oldest unacknowledged frame (`sent` if none) */
	uint32_t sent;      /* end of the newest frame */
	uint64_t acked_seq; /* seq of the oldest unacknowledged frame; the next new one is
			     * acked_seq + n */
	uint32_t first, n;  /* the window: win[first ..] modulo RAW_WINDOW_FRAMES, n frames */
	struct raw_sent win[RAW_WINDOW_FRAMES];
};

static struct raw_cpu raw_cpus[TRACE_MAX_CPUS];

/* Positions are slot indices modulo 2^32 (trace/ring.h). */
static bool before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static uint32_t block_of(uint32_t pos)
{
	return pos & ~(RING_BLOCK_SLOTS - 1);
}

/* Slots of the record whose committed header w is at pos, never past its block's end (a
 * torn header's length is checked by the overtaken test after the copy). */
static uint32_t record_slots(uint64_t w, uint32_t pos)
{
	uint32_t left = RING_BLOCK_SLOTS - (pos & (RING_BLOCK_SLOTS - 1)), n = 1;
	uint32_t text;

	switch (w_type(w)) {
	case W_SYNC:
		n = RING_SYNC_SLOTS;
		break;
	case W_LONG:
	case W_LONG_RET:
		n = 2;
		break;
	case W_PAD:
		n = (uint32_t)w_bits(w, 0, 32);
		break;
	case W_TEXT:
	case W_EVENT: /* its payload takes slots as a text does */
		text = (uint32_t)w_bits(w, W_TEXT_DELTA_BITS, W_TEXT_LEN_BITS);
		n = wire_text_slots(text);
		break;
	default:
		break;
	}
	if (n == 0)
		n = 1;
	return n < left ? n : left;
}

/* The end of what can be shipped from slot `from` of cpu: whole committed records up to
 * the end of from's block, head, and *limit if given. A consumer holds back a W_ENTRY that
 * is the last record while its call may still become a leaf (ring_entry_may_become_leaf()).
 * `from` if there is nothing, or if writers overtook it (then what was read may be
 * torn). */
static uint32_t ship_end(unsigned cpu, uint32_t from, const uint32_t *limit, bool hold_entry)
{
	const struct ring_cpu *rc = &ring.cpu[cpu];
	uint32_t h = (uint32_t)__atomic_load_n(&rc->head, __ATOMIC_ACQUIRE);
	uint32_t end = block_of(from) + RING_BLOCK_SLOTS, p = from;

	hold_entry = hold_entry && ring_entry_may_become_leaf(rc);

	if (before(h, end))
		end = h;
	if (limit && before(*limit, end))
		end = *limit;
	/* A block that ends at least a block before head's is complete: one writer at a time
	 * commits its records in order, and the one being written lies in head's block, or
	 * starts with the W_PAD that ends the block before it. No need to walk it. */
	if (end == block_of(from) + RING_BLOCK_SLOTS && !before(block_of(h), end + RING_BLOCK_SLOTS))
		p = end;
	while (before(p, end)) {
		uint64_t w = __atomic_load_n(ring_slot(rc, p), __ATOMIC_ACQUIRE);
		uint32_t n;

		if (!ring_committed(rc, w, p) || (hold_entry && w_type(w) == W_ENTRY && p + 1 == h))
			break;
		n = record_slots(w, p);
		if (before(end, p + n))
			break;
		p += n;
	}
	/* Acquire fence: the headers above were read before head is checked again. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return ring_pos_overtaken(cpu, from) ? from : p;
}

/* Copies a frame (its header, then slots [pos, pos + slots) of cpu) into the stage. False
 * if writers overtook the slots meanwhile: the copy may be torn. */
static bool stage_frame(struct raw_reader *r, unsigned cpu, uint64_t seq, uint32_t pos,
			uint32_t slots, uint32_t flags)
{
	const struct raw_frame_hdr h = { RAW_MAGIC, RAW_VERSION, (uint16_t)cpu, seq,
					 slots * RING_SLOT_BYTES, flags };

	memcpy(r->stage, &h, sizeof(h));
	memcpy(r->stage + sizeof(h), ring_slot(&ring.cpu[cpu], pos), slots * RING_SLOT_BYTES);
	/* Acquire fence: the slots were copied before head is checked. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (ring_pos_overtaken(cpu, pos))
		return false;
	r->stage_off = 0;
	r->stage_len = sizeof(h) + slots * RING_SLOT_BYTES;
	return true;
}

/* ---- acknowledged reading ---- */

/* Drops the window (its frames cannot be sent again: their seq numbers are skipped) and
 * goes on at slot start; the next frame says GAP. */
static void lose_window(struct raw_cpu *s, uint32_t start, uint32_t freed)
{
	s->acked_seq += s->n;
	s->first = s->n = 0;
	s->acked = s->sent = start;
	s->freed = freed;
	s->gap = true;
}

/* Brings cpu's state up to date with the ring: its first use, new buffers (a resize),
 * a consumer position that someone else moved past the window (a clear, a trace_pipe
 * reader, overwrite mode switched off), or writers that overtook the window (overwrite
 * mode). */
static void sync_cpu(unsigned cpu)
{
	struct raw_cpu *s = &raw_cpus[cpu];
	const struct ring_cpu *rc = &ring.cpu[cpu];
	uint32_t rd = __atomic_load_n(&rc->rd.pos, __ATOMIC_ACQUIRE), q;

	if (!s->started) {
		s->started = true;
		s->acked_seq = 1;
		s->first = s->n = 0;
		s->freed = s->acked = s->sent = rd;
		s->gap = false; /* nothing was shipped before: nothing is missing */
		s->slots = rc->slots;
	}
	if (s->slots != rc->slots || before((uint32_t)rc->head, s->sent)) {
		lose_window(s, rd, rd); /* new buffers: positions start again */
		s->slots = rc->slots;
	}
	if (rd != s->freed) {
		if (before(s->acked, rd))
			lose_window(s, before(s->sent, rd) ? rd : s->sent, rd);
		else
			s->freed = rd;
	}
	if (ring_pos_overtaken(cpu, s->acked) && ring_oldest_intact(cpu, &q))
		lose_window(s, before(s->sent, q) ? q : s->sent, s->freed);
}

static bool window_full(unsigned cpu)
{
	const struct raw_cpu *s = &raw_cpus[cpu];

	return s->n == RAW_WINDOW_FRAMES || s->sent - s->acked >= ring.nslots / 4;
}

/* Acknowledges cpu's frames below seq (acked_seq <= seq <= acked_seq + n): writers may
 * reuse the ring up to the start of the block that holds the oldest frame still kept. */
static void ack(unsigned cpu, uint64_t seq)
{
	struct raw_cpu *s = &raw_cpus[cpu];
	uint32_t k = (uint32_t)(seq - s->acked_seq), block;

	s->acked = k < s->n ? s->win[(s->first + k) % RAW_WINDOW_FRAMES].pos : s->sent;
	s->first = (s->first + k) % RAW_WINDOW_FRAMES;
	s->n -= k;
	s->acked_seq = seq;
	/* The consumer position must be a block start that was shipped (its W_SYNC is
	 * committed in this lap, so the ring knows its event number). */
	block = block_of(s->acked);
	if (block == s->sent)
		block -= RING_BLOCK_SLOTS;
	if (before(s->freed, block)) {
		ring_consumer_free(cpu, block);
		s->freed = block;
	}
}

/* Stages the next unacknowledged frame of cpu the reader is to send again, if any. */
static bool stage_resend(struct raw_reader *r, unsigned cpu)
{
	const struct raw_cpu *s = &raw_cpus[cpu];
	uint64_t seq = r->resend[cpu] < s->acked_seq ? s->acked_seq : r->resend[cpu];
	const struct raw_sent *f;

	if (seq >= s->acked_seq + s->n)
		return false;
	f = &s->win[(s->first + (seq - s->acked_seq)) % RAW_WINDOW_FRAMES];
	if (!stage_frame(r, cpu, seq, f->pos, f->slots, f->flags))
		return false;
	r->resend[cpu] = seq + 1;
	return true;
}

/* Stages a new frame of cpu, if its window has room and there is something to ship. A
 * full window ends the response: the client's next request acknowledges. */
static bool stage_new(struct raw_reader *r, unsigned cpu)
{
	struct raw_cpu *s = &raw_cpus[cpu];
	uint64_t seq = s->acked_seq + s->n;
	uint32_t end, flags;

	if (window_full(cpu)) {
		r->done = true;
		return false;
	}
	end = ship_end(cpu, s->sent, r->bounded ? &r->end[cpu] : NULL, true);
	if (end == s->sent) {
		/* Writers wait for the reader to free their ring (flow control): end the
		 * response now, so that the next request's acknowledgements come at once. */
		if (trace_flow_congested(cpu))
			r->done = true;
		return false;
	}
	flags = (s->gap ? RAW_F_GAP : 0) | (s->sent == block_of(s->sent) ? RAW_F_BLOCK_START : 0);
	if (!stage_frame(r, cpu, seq, s->sent, end - s->sent, flags))
		return false;
	s->win[(s->first + s->n) % RAW_WINDOW_FRAMES] =
		(struct raw_sent){ s->sent, (uint16_t)(end - s->sent), (uint16_t)flags };
	s->n++;
	s->sent = end;
	s->gap = false;
	r->resend[cpu] = seq + 1;
	return true;
}

static bool stage_consumed(struct raw_reader *r, unsigned cpu)
{
	sync_cpu(cpu);
	return stage_resend(r, cpu) || stage_new(r, cpu);
}

/* ---- snapshots ---- */

/* A snapshot of cpu starts at the block of the consumer's position (the oldest event not
 * consumed); at that position itself if stop-mode writers reused the block's start (a
 * clear leaves it at a W_SYNC); at the oldest intact block if writers overtook it. */
static void snapshot_start(struct raw_reader *r, unsigned cpu)
{
	uint32_t rd = ring.cpu[cpu].rd.pos, q = block_of(rd);

	if (ring_pos_overtaken(cpu, q))
		q = rd;
	if (ring_pos_overtaken(cpu, q) && !ring_oldest_intact(cpu, &q))
		q = r->end[cpu]; /* cannot be told now: an empty snapshot */
	r->snap_pos[cpu] = q;
	r->snap_seq[cpu] = 1;
}

static bool stage_snapshot(struct raw_reader *r, unsigned cpu)
{
	for (int tries = 0; tries < 4; tries++) {
		uint32_t from = r->snap_pos[cpu], end, q, flags;

		if (ring_pos_overtaken(cpu, from)) { /* overwrite mode: writers passed us */
			if (!ring_oldest_intact(cpu, &q))
				continue;
			r->snap_pos[cpu] = from = before(from, q) ? q : from;
			r->snap_gap[cpu] = true;
		}
		end = ship_end(cpu, from, &r->end[cpu], false);
		if (end == from)
			return false;
		flags = RAW_F_SNAPSHOT | (r->snap_gap[cpu] ? RAW_F_GAP : 0) |
			(from == block_of(from) ? RAW_F_BLOCK_START : 0);
		if (!stage_frame(r, cpu, r->snap_seq[cpu], from, end - from, flags))
			continue;
		r->snap_seq[cpu]++;
		r->snap_pos[cpu] = end;
		r->snap_gap[cpu] = false;
		return true;
	}
	return false;
}

/* ---- the API ---- */

int raw_reader_open(struct raw_reader *r, int cpu, bool consume, bool bounded)
{
	unsigned ncpus = ring_ncpus();

	if (cpu >= (int)ncpus)
		return -EINVAL;
	memset(r, 0, offsetof(struct raw_reader, stage));
	r->consume = consume;
	r->bounded = bounded;
	r->deadline = trace_env_clock() + trace_env_clock_hz() / 1000 * RAW_FOLLOW_MS;
	for (unsigned c = 0; c < ncpus; c++) {
		if (cpu >= 0 && c != (unsigned)cpu)
			continue;
		if (consume && !ring_consumer_claim(c)) {
			raw_reader_close(r);
			return -EBUSY;
		}
		r->cpus |= 1u << c;
		r->end[c] = (uint32_t)ring.cpu[c].head;
		if (consume) {
			trace_flow_reader_attach(c);
			sync_cpu(c);
			r->resend[c] = raw_cpus[c].acked_seq;
		} else {
			snapshot_start(r, c);
		}
	}
	return 0;
}

/* Reads a decimal number (at most 19 digits: no overflow) at *p, before end. */
static bool parse_u64(const char **p, const char *end, uint64_t *v)
{
	const char *s = *p;

	*v = 0;
	while (s < end && *s >= '0' && *s <= '9' && s - *p < 19)
		*v = *v * 10 + (uint64_t)(*s++ - '0');
	if (s == *p || (s < end && *s >= '0' && *s <= '9'))
		return false;
	*p = s;
	return true;
}

static int bad_from(char *why, size_t why_len, const char *reason)
{
	ksnprintf(why, why_len, "from: %s", reason);
	return -EINVAL;
}

/* Checks one "C:S" (or "S") of from= at *p and notes it in seq[] and *given. */
static int parse_from_item(const struct raw_reader *r, const char **p, const char *end,
			   uint64_t *seq, uint32_t *given, char *why, size_t why_len)
{
	uint64_t a, b;
	unsigned cpu;
	const struct raw_cpu *s;

	if (!parse_u64(p, end, &a))
		return bad_from(why, why_len, "expected CPU:SEQ[,CPU:SEQ...]");
	if (*p < end && **p == ':') {
		++*p;
		if (!parse_u64(p, end, &b))
			return bad_from(why, why_len, "expected a sequence number after CPU:");
	} else if (r->cpus & (r->cpus - 1)) {
		return bad_from(why, why_len, "a SEQ without CPU: is for per_cpu files only");
	} else {
		b = a;
		a = (uint64_t)__builtin_ctz(r->cpus);
	}
	if (a >= TRACE_MAX_CPUS || !(r->cpus >> a & 1))
		return bad_from(why, why_len, "no such CPU in this file");
	cpu = (unsigned)a;
	if (*given >> cpu & 1)
		return bad_from(why, why_len, "a CPU is listed twice");
	s = &raw_cpus[cpu];
	if (b == 0)
		return bad_from(why, why_len, "sequence numbers start at 1");
	if (b > s->acked_seq + s->n) {
		ksnprintf(why, why_len, "from: CPU %u seq %llu was never sent (the next new frame "
			  "is %llu)", cpu, (unsigned long long)b,
			  (unsigned long long)(s->acked_seq + s->n));
		return -EINVAL;
	}
	/* Below the window: those frames were acknowledged, or lost to a clear or to
	 * overwrite mode; nothing more to free, and what is kept comes from its start. */
	seq[cpu] = b < s->acked_seq ? s->acked_seq : b;
	*given |= 1u << cpu;
	return 0;
}

int raw_reader_from(struct raw_reader *r, const char *text, size_t len, char *why,
		    size_t why_len)
{
	const char *p = text, *end = text + len;
	uint64_t seq[TRACE_MAX_CPUS];
	uint32_t given = 0;

	if (!r->consume)
		return bad_from(why, why_len, "only trace_pipe_raw takes acknowledgements");
	if (!len)
		return bad_from(why, why_len, "empty");
	for (unsigned c = 0; c < TRACE_MAX_CPUS; c++)
		if (r->cpus >> c & 1)
			sync_cpu(c); /* a clear since the open drops the window first */
	for (;;) {
		int err = parse_from_item(r, &p, end, seq, &given, why, why_len);

		if (err)
			return err;
		if (p == end)
			break;
		if (*p++ != ',' || p == end)
			return bad_from(why, why_len, "expected CPU:SEQ[,CPU:SEQ...]");
	}
	for (unsigned c = 0; c < TRACE_MAX_CPUS; c++) {
		if (given >> c & 1) {
			ack(c, seq[c]);
			r->resend[c] = seq[c];
		}
	}
	return 0;
}

/* Stages the next frame of any CPU, the CPUs in turn. */
static bool stage_next(struct raw_reader *r)
{
	for (unsigned i = 0; i < TRACE_MAX_CPUS && !r->done; i++) {
		unsigned cpu = (r->turn + i) % TRACE_MAX_CPUS;

		if (!(r->cpus >> cpu & 1))
			continue;
		if (r->consume ? stage_consumed(r, cpu) : stage_snapshot(r, cpu)) {
			r->turn = cpu + 1;
			return true;
		}
	}
	return false;
}

long raw_reader_read(struct raw_reader *r, char *buf, size_t len)
{
	size_t n = 0;

	while (n < len) {
		size_t k;

		if (r->stage_off == r->stage_len) {
			if (!r->bounded && trace_env_clock() >= r->deadline)
				r->done = true;
			if (r->done || !stage_next(r))
				break;
		}
		k = r->stage_len - r->stage_off;
		k = k < len - n ? k : len - n;
		memcpy(buf + n, r->stage + r->stage_off, k);
		r->stage_off += k;
		n += k;
	}
	if (n)
		return (long)n;
	return r->done || r->bounded ? 0 : -EAGAIN;
}

void raw_reader_close(struct raw_reader *r)
{
	for (unsigned c = 0; c < TRACE_MAX_CPUS; c++)
		if (r->consume && (r->cpus >> c & 1)) {
			ring_consumer_release(c);
			trace_flow_reader_detach(c);
		}
	r->cpus = 0;
}

uint64_t raw_reader_seq(unsigned cpu)
{
	return raw_cpus[cpu].started ? raw_cpus[cpu].acked_seq : 1;
}

void raw_reader_reset(void)
{
	memset(raw_cpus, 0, sizeof(raw_cpus));
}
