/* Private to the ring buffer's files: trace/ring_write.c (writers), trace/ring_read.c
 * (readers) and trace/ring.c (statistics and control). The protocol is in trace/ring.h;
 * every record is encoded and decoded by the codec (trace/codec.h). */
#ifndef TRACE_RING_INTERNAL_H
#define TRACE_RING_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "trace/internal.h"
#include "trace/ring.h"

/* Widens the low 32 bits s of an event number against seq_base, which is never more
 * than 2^31 events away from any number still in the buffer. */
static inline uint64_t ring_seq64(const struct ring_cpu *rc, uint32_t s)
{
	uint64_t ref = rc->seq_base;

	return ref + (uint64_t)(int64_t)(int32_t)(s - (uint32_t)ref);
}

/* Whether a writer reserved slot pos again since it was written (head passed pos + size):
 * then what a reader copied from it may be torn. */
static inline bool ring_overtaken(const struct ring_cpu *rc, uint32_t pos)
{
	return (uint32_t)rc->head - pos > rc->mask + 1;
}

/* The oldest block no writer has started to overwrite, and its first event's number;
 * false if that cannot be told right now (trace/ring_read.c). */
bool ring_oldest_block(const struct ring_cpu *rc, uint32_t *pos, uint64_t *seq);

/* The fast paths' limit with head at h (trace/ring_write.c). */
void ring_set_room(struct ring_cpu *rc, uint32_t h);

/* Moves a read position that writers overtook to the oldest intact block, adding the
 * events it missed to p->lost; false if the oldest block cannot be told now
 * (trace/ring_read.c). */
bool ring_catch_up(const struct ring_cpu *rc, struct ring_pos *p);

enum ring_fetch_result {
	FETCH_EVENT, FETCH_SKIP, FETCH_LOST, FETCH_EMPTY, FETCH_HELD, FETCH_OVERTAKEN
};

/* Reads the record at p->pos the slow way: into ev an event (and where it leaves the
 * position into r->next*), or what else is there (trace/ring_read.c). */
enum ring_fetch_result ring_fetch(struct ring_reader *r, const struct ring_cpu *rc,
				  const struct ring_pos *p, struct ring_event *ev,
				  uint64_t *lost_total);

#endif
