/* Per-CPU ring buffers of trace records (wire format: trace/record.h).
 *
 * Layout. Each CPU has a power-of-two array of 16-byte slots cut into blocks of
 * RING_BLOCK_SLOTS. A record is one slot, or a REC_TEXT header plus payload slots; it
 * never straddles a block: a writer that would cross a block end first fills the rest of
 * the block with a REC_PAD. Positions are slot indices modulo 2^32 (a buffer has at most
 * 2^26 slots, so differences between live positions are exact). Every record but the
 * internal REC_PAD/REC_LOST is an "event"; events are numbered per CPU from 0.
 *
 * Writers: code on the buffer's own CPU (threads and the interrupts nesting on them),
 * with no lock and no locked instruction, Linux reserve/commit style:
 *   1. reserve: one *unlocked* cmpxchg on head = slot index | event number << 32. One
 *      instruction cannot be split by an interrupt and no other CPU writes head, so
 *      nested writers get disjoint slots and event numbers in slot order;
 *   2. fill w1 and the payload;
 *   3. commit: store w0 last, with release ordering. w0 holds the type (never 0) and, in
 *      bit 63, the lap parity of the slot index: a reader tells a committed record of this
 *      lap from a stale one of the previous lap, or from a slot still being written.
 * A writer must stay on its CPU from reserve to commit: interrupts may nest, but the
 * thread must not migrate, and should not be preempted (see trace_task_in_hook()).
 *
 * Full buffer. Stop mode (default): a record that would overwrite unread ones is refused
 * and counted (dropped); the next record that fits is preceded by a REC_LOST marker with
 * the drop total, so readers report the loss exactly where it happened (drops after the
 * newest event are reported when a reader reaches the end). Overwrite mode (the
 * flight recorder): writers go on over the oldest block; a reader that finds it was
 * overtaken skips to the oldest intact block and reports the exact number of events it
 * missed (from the event number stored per block).
 *
 * Every slot is rewritten on every lap, and the slots that are not record headers (text
 * payload, padding) are written with type 0. So a slot not yet rewritten on this lap holds
 * either a header of the previous lap (wrong lap bit) or type 0: never a forged record.
 *
 * Readers: any CPU, concurrently with writers, through struct ring_reader. A reader copies
 * a record, then re-reads head: if a writer has reserved that slot again since, the copy
 * may be torn and is thrown away. A slot not yet committed ends what is readable now.
 * So readers never return a torn or half-written record. Non-destructive readers
 * (`trace`) walk a snapshot from the oldest event to what was written when they opened;
 * the one destructive reader per CPU (`trace_pipe`) frees the slots it consumed.
 *
 * Control (ring_init, ring_resize, ring_clear, ring_set_overwrite, stats, opening a
 * consumer) is for process context; the caller serializes these calls with each other
 * and with consuming reads (tracefs holds one lock for them). */
#ifndef TRACE_RING_H
#define TRACE_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "trace/config.h"
#include "trace/record.h"

#define RING_BLOCK_SHIFT 10
#define RING_BLOCK_SLOTS (1u << RING_BLOCK_SHIFT) /* 16 KiB blocks */
#define RING_TEXT_MAX 4096                        /* longest REC_TEXT payload */
#define RING_MIN_BYTES (2ul * RING_BLOCK_SLOTS * sizeof(struct trace_rec))
#define RING_MAX_BYTES (1ul << 30)
#define RING_LAP_BIT (1ull << 63)

/* A read position: next slot, number of the event there, events lost just before it,
 * and the CPU's drop total already accounted for (REC_LOST markers carry totals). */
struct ring_pos {
	volatile uint32_t pos;
	uint64_t seq;
	uint64_t lost;
	uint64_t drops;
};

struct ring_cpu {
	/* Written by this CPU's writers only. */
	volatile uint64_t head;          /* next slot (low 32) | next event number (high 32) */
	volatile uint64_t seq_base;      /* full number of a recent block's first event: the
					  * reference that widens 32-bit event numbers */
	volatile uint64_t dropped;       /* all refused events */
	volatile uint64_t dropped_noted; /* `dropped` when the last REC_LOST was written */
	volatile uint32_t writing;       /* writers between reserve and commit */
	volatile uint32_t enabled;       /* 0 while the buffer is absent or being resized */
	volatile uint32_t wrapped;       /* the writer went round the buffer at least once */
	uint32_t mask;                   /* slots - 1 */
	uint32_t lap_shift;              /* log2(slots) */
	struct trace_rec *slots;
	uint32_t *blk_seq;               /* per block: low 32 bits of its first event number */
	/* The destructive reader (stop-mode writers read rd.pos: they may not pass it). */
	struct ring_pos rd __attribute__((aligned(64)));
	uint64_t overrun;                /* events the consumer found overwritten */
	uint64_t consumed;               /* events consumed */
	int consumer;                    /* a consuming reader is open */
	uint64_t base_written, base_dropped, base_overrun, base_consumed; /* at last clear */
};

struct ring {
	unsigned ncpus;
	uint32_t nslots;
	volatile bool overwrite;
	struct ring_cpu cpu[TRACE_MAX_CPUS];
};

extern struct ring ring;

/* ---- writer side: hook path, this CPU only ---- */

/* *p += v, atomic against interrupts on this CPU only (one instruction, no lock prefix):
 * the counters it is used on are written by this CPU alone. */
static inline void ring_local_add(volatile uint64_t *p, uint64_t v)
{
	__asm__ volatile("addq %1, %0" : "+m"(*p) : "er"(v) : "cc");
}

/* Unlocked compare-and-swap: atomic against interrupts on this CPU, not against other
 * CPUs, which only read *p. Orders the reservation before the record stores that follow
 * (a reader that sees new record data then sees the new head): x86 makes stores visible
 * in program order, and the "memory" clobber keeps the compiler from moving them. */
static inline bool ring_cmpxchg_local(volatile uint64_t *p, uint64_t old, uint64_t new)
{
	uint64_t prev = old;

	__asm__ volatile("cmpxchgq %2, %1" : "+a"(prev), "+m"(*p) : "r"(new) : "memory", "cc");
	return prev == old;
}

static inline uint64_t ring_lap(const struct ring_cpu *rc, uint32_t pos)
{
	return (uint64_t)((pos >> rc->lap_shift) & 1) << 63;
}

static inline struct trace_rec *ring_slot(const struct ring_cpu *rc, uint32_t pos)
{
	return &rc->slots[pos & rc->mask];
}

/* Commits a reserved slot: w1 first, then w0 with its lap bit. Release: a reader that
 * sees w0 (acquire) also sees w1, the payload and the block's event number. */
static inline void ring_commit(struct ring_cpu *rc, uint32_t pos, uint64_t w0, uint64_t w1)
{
	struct trace_rec *r = ring_slot(rc, pos);

	*(volatile uint64_t *)&r->w1 = w1;
	__atomic_store_n(&r->w0, w0 | ring_lap(rc, pos), __ATOMIC_RELEASE);
}

/* Slow paths of the writer (ring.c). */
void ring_note_pad(struct ring_cpu *rc, uint32_t pos, uint32_t n);
void ring_note_block(struct ring_cpu *rc, uint32_t pos, uint32_t seq);
void ring_note_drop(struct ring_cpu *rc);
uint32_t ring_note_lost(struct ring_cpu *rc, uint32_t pos);

/* Padding needed before n slots at idx so that they do not straddle a block. */
static inline uint32_t ring_pad(uint32_t idx, uint32_t n)
{
	uint32_t off = idx & (RING_BLOCK_SLOTS - 1);

	return off + n > RING_BLOCK_SLOTS ? RING_BLOCK_SLOTS - off : 0;
}

/* Reserves n slots (n <= RING_BLOCK_SLOTS - 1) plus, if events were dropped since the last
 * REC_LOST marker, one more marker in front of them. Returns the first of the n slots, or
 * false when the buffer is full (stop mode; counted as dropped). */
bool ring_reserve(struct ring_cpu *rc, uint32_t n, uint32_t *pos);

/* ring_reserve() for one slot, inlined for the common case: no marker due, room left
 * (or overwrite mode), no interrupt in between; everything else takes ring_reserve().
 * One slot never needs padding. */
static inline __attribute__((always_inline)) bool ring_reserve1(struct ring_cpu *rc,
								uint32_t *pos)
{
	uint64_t h = rc->head;
	uint32_t idx = (uint32_t)h;

	if (__builtin_expect(rc->dropped != rc->dropped_noted, 0) ||
	    (!ring.overwrite && idx + 1 - rc->rd.pos > rc->mask + 1) ||
	    !ring_cmpxchg_local(&rc->head, h, (h & ~0xffffffffull) + (1ull << 32) +
						   (uint32_t)(idx + 1)))
		return ring_reserve(rc, 1, pos);
	if (__builtin_expect(!(idx & (RING_BLOCK_SLOTS - 1)), 0))
		ring_note_block(rc, idx, (uint32_t)(h >> 32));
	*pos = idx;
	return true;
}

/* Writes one 16-byte event on this CPU's buffer. Returns false if it was not recorded
 * (buffer full in stop mode, or no buffer). In the kernel every writer must run with its
 * task's `busy` set (trace_hook_begin()): fentry.S's fast paths reserve with a plain
 * load and store of head, which relies on no other writer nesting on this CPU. */
static inline __attribute__((always_inline)) bool ring_write(unsigned cpu, uint64_t w0, uint64_t w1)
{
	struct ring_cpu *rc = &ring.cpu[cpu];
	uint32_t pos;
	bool ok = false;

	rc->writing++;
	/* Compiler barrier: the count is raised before `enabled` is read. ring_resize()
	 * interrupts every CPU (stop_others) before it trusts the counts it reads. */
	__asm__ volatile("" ::: "memory");
	if (rc->enabled && ring_reserve1(rc, &pos)) {
		ring_commit(rc, pos, w0, w1);
		ok = true;
	}
	/* Compiler barrier: the record is complete before the count drops. */
	__asm__ volatile("" ::: "memory");
	rc->writing--;
	return ok;
}

/* Writes a REC_TEXT event (trace_marker) of len bytes (cut to RING_TEXT_MAX). Any
 * context; same rules as ring_write(). */
bool ring_write_text(unsigned cpu, uint64_t tsc, unsigned tid, const char *s, size_t len);

/* ---- reader side ---- */

/* One event as a reader returns it. */
struct ring_event {
	struct trace_rec rec; /* lap bit cleared; REC_NONE: no event, only `lost` */
	uint64_t ts;          /* rec's timestamp widened to the full TSC */
	uint64_t lost;        /* events this CPU lost just before this one */
	unsigned text_len;    /* REC_TEXT: bytes in text (not NUL-terminated) */
	char text[RING_TEXT_MAX];
};

#define RING_BATCH 128 /* records a reader copies and checks at once */

struct ring_reader {
	unsigned cpu;
	bool consume;
	bool bounded;        /* stops at end: snapshots always, consumers if ring_reader_bound() */
	bool peeked;
	struct ring_pos own; /* a snapshot's position (a consumer uses the CPU's rd) */
	uint32_t end;        /* head when the reader was opened (or bounded) */
	uint32_t next;       /* slot after the peeked event */
	/* A batch: the one-slot events at [bpos, bpos + bn), copied in one pass and checked
	 * against overtaking writers once; batch[bi] is the event at the read position. Time
	 * stamps are widened against bclock, the clock read once per batch. */
	uint32_t bpos;
	uint32_t bi, bn;
	uint64_t bclock;
	struct trace_rec batch[RING_BATCH];
};

/* Opens a reader of one CPU. consume: the destructive reader (-EBUSY if one is open);
 * otherwise a snapshot from the oldest event to the newest one committed now.
 * Returns 0, -EINVAL (no such CPU) or -EBUSY. */
int ring_reader_open(struct ring_reader *r, unsigned cpu, bool consume);
/* Makes a consumer stop where the buffer ends now, like a snapshot: what writers add
 * later is left for the next reader (trace_pipe without follow, which must end even while
 * the system, or the act of sending the trace, keeps writing). */
void ring_reader_bound(struct ring_reader *r);
/* A 48-bit record timestamp widened against a recent clock reading `now` (the record may
 * lie on either side of it, by less than half the 48-bit range). */
static inline uint64_t ring_widen_ts(uint64_t ts48, uint64_t now)
{
	uint64_t back = (now - ts48) & REC_TSC_MASK;

	if (back > REC_TSC_MASK / 2)
		return now + (REC_TSC_MASK + 1 - back);
	return now - back;
}

/* The slow paths of ring_reader_peek() and ring_reader_advance() (ring.c). */
bool ring_reader_peek_slow(struct ring_reader *r, struct ring_event *ev);
void ring_reader_advance_slow(struct ring_reader *r);

static inline struct ring_pos *ring_reader_pos(struct ring_reader *r)
{
	return r->consume ? &ring.cpu[r->cpu].rd : &r->own;
}

/* Fills ev with the reader's next event without consuming it; false if there is none now
 * (a bounded reader: none left before its end). An event with rec type REC_NONE carries
 * only a loss count (events lost after the last event in the buffer). Repeating peek
 * returns the same event unless a writer overtook it (overwrite mode), then the oldest
 * intact one. Inline for the common case, an event of the current batch: the printer
 * calls this for every event, and under QEMU TCG every call and return costs. The batch
 * is valid while the position is where the batch says: ring_clear() and
 * ring_set_overwrite() may move a consumer's position under it. */
/* Hands out the batch's current event, the one at p->pos (ring.c's slow path too). */
static inline bool ring_batch_event(struct ring_reader *r, const struct ring_pos *p,
				    struct ring_event *ev)
{
	const struct trace_rec *rec = &r->batch[r->bi];

	ev->rec = *rec;
	ev->ts = ring_widen_ts(rec->w0 & REC_TSC_MASK, r->bclock);
	ev->lost = p->lost;
	ev->text_len = 0;
	r->next = p->pos + 1;
	r->peeked = true;
	return true;
}

static inline bool ring_reader_peek(struct ring_reader *r, struct ring_event *ev)
{
	struct ring_pos *p = ring_reader_pos(r);

	if (__builtin_expect(r->bi >= r->bn || r->bpos + r->bi != p->pos, 0))
		return ring_reader_peek_slow(r, ev);
	return ring_batch_event(r, p, ev);
}

/* Moves past the event peek returned; a consumer frees its slots for writers. Inline for
 * an event of the batch (never a count-only event: those are handed out with no batch). */
static inline void ring_reader_advance(struct ring_reader *r)
{
	struct ring_pos *p = ring_reader_pos(r);

	if (__builtin_expect(!r->peeked || r->bi >= r->bn, 0)) {
		ring_reader_advance_slow(r);
		return;
	}
	r->peeked = false;
	r->bi++;
	p->lost = 0;
	p->seq++;
	if (r->consume)
		ring.cpu[r->cpu].consumed++;
	/* Release: the event was copied out before writers may reuse its slots. */
	__atomic_store_n(&p->pos, r->next, __ATOMIC_RELEASE);
}

void ring_reader_close(struct ring_reader *r);

/* What Linux shows in per_cpu/cpuN/stats, since the last clear. */
struct ring_stats {
	uint64_t entries;        /* events in the buffer, not consumed */
	uint64_t overrun;        /* events overwritten before being read (overwrite mode) */
	uint64_t commit_overrun; /* always 0 here */
	uint64_t bytes;          /* bytes of buffer those events use */
	uint64_t oldest_ts;      /* TSC of the oldest event in the buffer, 0 if none */
	uint64_t now_ts;         /* TSC now */
	uint64_t dropped;        /* events refused because the buffer was full (stop mode) */
	uint64_t read;           /* events consumed by the destructive reader */
	uint64_t written;        /* events recorded: entries + overrun + read */
};
void ring_get_stats(unsigned cpu, struct ring_stats *st);

/* ---- control ---- */

/* Allocates ncpus buffers of bytes each (rounded down to a power of two, at least
 * RING_MIN_BYTES). Returns 0 or -ENOMEM / -EINVAL. */
int ring_init(unsigned ncpus, size_t bytes);
/* buffer_size_kb: new empty buffers of bytes each (rounded as by ring_init). Clears all
 * events. On -ENOMEM the old buffers stay; -EBUSY if a writer did not leave in time. */
int ring_resize(size_t bytes);
/* Bytes per CPU buffer. */
size_t ring_size(void);
unsigned ring_ncpus(void);
/* Drops all events of every CPU and resets the statistics (`echo > trace`). */
void ring_clear(void);
/* The overwrite option. */
void ring_set_overwrite(bool on);

#endif
