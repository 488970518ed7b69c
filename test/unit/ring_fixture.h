/* The ring buffer tests' shared part (test/unit/ring_fixture.c) and the tests of each
 * file: test_ring.c (policies, text, clear, resize, nesting), test_ring_format.c (the
 * slot format), test_ring_conc.c (concurrent writers and readers). */
#ifndef TEST_UNIT_RING_FIXTURE_H
#define TEST_UNIT_RING_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "trace/ring.h"

#define SLOTS_MIN (RING_MIN_BYTES / RING_SLOT_BYTES)
/* One-slot events that fit in a buffer of n slots: every block starts with a W_SYNC (two
 * slots: the header and the TSC). */
#define RECS(n) ((n) - 2 * ((n) / RING_BLOCK_SLOTS))
#define RECS_MIN RECS(SLOTS_MIN)

/* Whether every 7th event of write_k() takes two slots (W_LONG) instead of one. */
extern bool mix_long;
extern struct ring_event ev;
uint64_t pattern(uint64_t k, unsigned tid);
bool write_k(unsigned cpu, unsigned tid, uint64_t k);
size_t text_k(uint64_t k, char *buf);
bool write_text_k(unsigned cpu, unsigned tid, uint64_t k);
uint32_t call_func(uint64_t k, unsigned d);
bool write_call_k(unsigned cpu, unsigned tid, uint64_t k, uint32_t at[6]);
bool intact(const struct ring_event *ev, unsigned tid);
void setup(size_t bytes, bool overwrite);
uint64_t consume_all(unsigned cpu, unsigned tid, uint64_t *next, uint64_t *lost_sum);

/* the slot format (test_ring_format.c) */
void test_leaves(void);
void test_sync_and_long(void);
void test_return_depth(void);
void test_long_durations(void);
void test_old_records(void);
void test_wire_fields(void);

/* concurrent writers and readers (test_ring_conc.c) */
void conc_run(bool overwrite, bool text, bool calls, const char *name);
void test_conc_snapshot(bool calls, const char *name);
void test_bounded_consumer(void);
void test_bounded_endless(void);

#endif
