/* Stack ids: each distinct stack (a list of up to STACK_MAX_DEPTH 32-bit code addresses,
 * innermost first) is stored once in a table that lives as long as the kernel, and named
 * by its id (1, 2, ... in order of first sight; 0 means none) afterwards, so that a sample
 * of a known stack costs its event header and one payload slot of ring.
 *
 * Readers resolve ids through the table itself: the printer (`trace`, `trace_pipe`)
 * expands them, /ftrace/stack_table lists it, and raw_header carries it (`stacks N`), so a
 * capture file can resolve every id it holds, and a reader whose ring was lapped, or that
 * attached late, misses no definition. The `stack` event (id 17) in the ring, written when
 * a stack is first seen, lets a streaming reader resolve ids as they come. The table is
 * never emptied: an id, once given, means the same stack until reboot. When it is full,
 * new stacks get no id (0) and are counted (stackid_full).
 *
 * Concurrency: lookups take no lock (entries are published with release stores after
 * they are complete); insertions serialize on a spinlock taken with interrupts off, so
 * any context may call, the sampling interrupt included. */
#ifndef TRACE_STACKID_H
#define TRACE_STACKID_H

#include <stdbool.h>
#include <stdint.h>

#define STACKID_MAX 16384            /* ids 1 .. STACKID_MAX - 1 */
#define STACKID_FRAMES (256u * 1024) /* frames over all stacks */

/* The id of the stack pcs[0..n) (n >= 1), adding it if new: *is_new then says so.
 * 0 if the table is full (counted). */
uint32_t stackid_get(const uint32_t *pcs, unsigned n, bool *is_new);
/* The frames of id (innermost first) and their count in *n; NULL if id is not defined. */
const uint32_t *stackid_frames(uint32_t id, unsigned *n);
/* Ids given so far: valid ids are 1 .. stackid_count(). */
uint32_t stackid_count(void);
/* Stacks that got no id because the table was full. */
uint64_t stackid_full(void);
/* Empties the table (host tests only: ids must stay stable in the kernel). */
void stackid_reset(void);

#endif
