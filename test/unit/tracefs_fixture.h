/* The tracefs tests' fixture (test/unit/tracefs_fixture.c). */
#ifndef TEST_UNIT_TRACEFS_FIXTURE_H
#define TEST_UNIT_TRACEFS_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HZ 2500000000ull

/* The fake patch layer: five sites; patch_apply() records what it was asked. */
struct fixture_site {
	uint64_t ip;
	const char *name;
};
#define NSITES 5
extern const struct fixture_site sites[NSITES];
extern bool patched[NSITES];
extern unsigned patch_calls;
/* Whether patch_apply() would hook return sites too (function_graph only). */
extern bool return_hooks;
/* "10110": which sites patch_apply() last turned into calls. */
const char *patched_str(void);

/* The clock the tracer reads (trace_host_set_clock(fake_clock, HZ)). */
extern uint64_t now_tsc;
uint64_t fake_clock(void);

/* The whole text of a file, read `chunk` bytes at a time; NULL if open failed. */
char *cat_chunked(const char *path, size_t chunk);
char *cat(const char *path);
/* `echo text > path` (append: >>); returns the write's result. */
long echo_mode(const char *path, const char *text, int mode, char *why, size_t why_len);
long echo(const char *path, const char *text);
long echo_append(const char *path, const char *text);

/* A call's entry and return records (ret: at depth 0) written straight into the ring. */
void entry(unsigned cpu, uint64_t tsc, unsigned tid, uint32_t func, unsigned depth);
bool ret_at(unsigned cpu, uint64_t tsc, unsigned tid, uint32_t func, unsigned depth,
	    uint64_t ticks);
void ret(unsigned cpu, uint64_t tsc, unsigned tid, uint32_t func, uint64_t ticks);

/* What the panic dump (trace/dump.c) printed through plat_console_write(). */
extern char console[1 << 16];
extern size_t console_len;

/* Two CPUs with the smallest buffers, the five sites as symbols, the fake clock, tracing
 * on: what every tracefs test starts from. 1 (and a "not ok" line) if the ring failed. */
int fixture_init(void);

#endif
