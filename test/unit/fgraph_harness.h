/* What test_fgraph's files share (fgraph_harness.c): the traced functions of
 * test_fgraph_funcs.c by name, CPU 0's records rendered as one string, patch filters, and
 * setup() of a clean tracer. */
#ifndef TEST_UNIT_FGRAPH_HARNESS_H
#define TEST_UNIT_FGRAPH_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include "trace/config.h"
#include "trace/ring.h"

#define SLOTS_MIN (RING_MIN_BYTES / RING_SLOT_BYTES)
#define FG_NAMES 10

struct fg_name {
	void *fn;
	const char *name;
};
extern const struct fg_name names[FG_NAMES];

/* The traced function starting at ip, or the one whose code contains a return address. */
const char *name_of(uint32_t ip, bool inside);

/* Scratch for a test's own reading of the buffer. */
extern struct ring_event ev;

/* Consumes CPU 0 and renders each record: "E<func>@<depth>[!irq]", "R<func>@<depth>",
 * "F<func><<parent>", "S<prev>><next>". */
const char *records(void);

/* patch_apply() filters: every site, none, the one at arg. */
bool all_sites(uint64_t ip, void *arg);
bool no_site(uint64_t ip, void *arg);
bool only_site(uint64_t ip, void *arg);

/* A clean tracer: empty buffer, default settings, every site patched for tracer t. */
void setup(enum trace_tracer t);

/* test_fgraph_tasks.c */
void test_interrupts(void);
void test_context_switch(void);
void test_sleep_time(void);

/* test_fgraph_far.c */
void test_far_sites(void);

#endif
