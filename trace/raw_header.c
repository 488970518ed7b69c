/* /ftrace/raw_header (trace/raw_header.h; format in docs/raw-transport.md). The cursor
 * walks the parts in order: the settings, the options, the notes, one line per CPU, the
 * symbol table (one step per line), then the thread table, where it holds THREADS_PHASE,
 * the lines still to list and the next position (thread_line()): the table may grow
 * while it is read (it never shrinks), and
 * exactly the count announced is listed. Then the profiler's counts (PROFILE_PHASE and a
 * step) and the stack table (STACKS_PHASE, the lines left and the next id), the same way. */
#include <stdint.h>
#include "trace/raw_header.h"
#include "trace/config.h"
#include "trace/core.h"
#include "trace/env.h"
#include "trace/profile.h"
#include "trace/stackid.h"
#include "trace/tracefs_file.h"
#include "trace/raw_frame.h"
#include "trace/raw_reader.h"
#include "trace/ring.h"
#include "kernel/printf.h"

#define MAX_TID REC_TID_MASK /* tids fit the record's 12 bits (trace/codec.h) */
#define THREADS_PHASE (1ull << 63)
#define PROFILE_PHASE (1ull << 62)
#define STACKS_PHASE (1ull << 61)

static size_t settings(char *s, size_t cap, const struct raw_header_src *src)
{
	return (size_t)ksnprintf(s, cap,
		"glass-raw %u\ntsc_hz %llu\ntsc_boot %llu\ntext_base 0x%llx\ncpus %u\n"
		"buffer_bytes %llu\nblock_bytes %u\nslot_bytes %u\ncodec_version %u\ntracer %s\n",
		RAW_HEADER_VERSION, (unsigned long long)trace_env_clock_hz(),
		(unsigned long long)trace_env_boot_tsc(), (unsigned long long)ring.text_base,
		ring_ncpus(), (unsigned long long)ring_size(),
		RING_BLOCK_SLOTS * RING_SLOT_BYTES, RING_SLOT_BYTES, CODEC_VERSION, src->tracer);
}

/* "trace_options a b c": trace_options' lines on one line. */
static size_t options(char *s, size_t cap, const struct raw_header_src *src)
{
	size_t n = (size_t)ksnprintf(s, cap, "trace_options ");

	n += src->show_options(s + n, cap - n - 1);
	if (n > cap - 2)
		n = cap - 2;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n')
			s[i] = ' ';
	while (n && s[n - 1] == ' ')
		n--;
	s[n++] = '\n';
	s[n] = 0;
	return n;
}

/* "untraced R O A": calls the hooks left untraced, summed over the CPUs (the text header's
 * note), then "stopped REASON" if the tracer stopped itself. */
static size_t notes(char *s, size_t cap)
{
	struct trace_cpu_counts sum = { 0 }, c;
	const char *stopped = trace_stopped_reason();
	size_t n;

	for (unsigned cpu = 0; cpu < ring_ncpus(); cpu++) {
		trace_get_counts(cpu, &c);
		sum.recursion += c.recursion;
		sum.overflow += c.overflow;
		sum.abandoned += c.abandoned;
	}
	n = (size_t)ksnprintf(s, cap, "untraced %llu %llu %llu\n",
			      (unsigned long long)sum.recursion, (unsigned long long)sum.overflow,
			      (unsigned long long)sum.abandoned);
	if (stopped && n < cap)
		n += (size_t)ksnprintf(s + n, cap - n, "stopped %.200s\n", stopped);
	return n;
}

/* Per CPU: lost and overrun since the buffers were allocated (boot, or the last
 * buffer_size_kb change), the definition of the W_LOST markers' totals, so a reader can
 * take the drops after the stream's last marker as lost minus that marker's total; then
 * the seq; then the two counts as they were at the last clear (a clear keeps the totals
 * and only moves these), so lost - lost_at_clear is per_cpu/cpuN/stats' `dropped`. */
static size_t cpu_line(char *s, size_t cap, unsigned cpu)
{
	const struct ring_cpu *rc = &ring.cpu[cpu];
	struct ring_stats st;
	uint64_t lost_base, overrun_base;

	ring_get_stats(cpu, &st);
	lost_base = rc->slots ? rc->base_dropped : 0;
	overrun_base = rc->slots ? rc->base_overrun : 0;
	return (size_t)ksnprintf(s, cap, "cpu %u lost %llu overrun %llu seq %llu "
				 "lost_at_clear %llu overrun_at_clear %llu\n", cpu,
				 (unsigned long long)(st.dropped + lost_base),
				 (unsigned long long)(st.overrun + overrun_base),
				 (unsigned long long)raw_reader_seq(cpu),
				 (unsigned long long)lost_base, (unsigned long long)overrun_base);
}

static size_t count_symbols(void)
{
	uint64_t addr, size;
	const char *name;
	size_t n = 0;

	while (trace_env_symbol_at(n, &addr, &size, &name))
		n++;
	return n;
}

static size_t symbol_line(char *s, size_t cap, size_t i)
{
	uint64_t addr, size;
	const char *name;

	if (!trace_env_symbol_at(i, &addr, &size, &name))
		return 0;
	return (size_t)ksnprintf(s, cap, "%llx %llu %.200s\n", (unsigned long long)addr,
				 (unsigned long long)size, name);
}

static unsigned count_threads(void)
{
	uint64_t created, exited;
	const char *name;
	unsigned n = 0;

	for (unsigned tid = 0; tid <= MAX_TID; tid++)
		n += trace_env_thread(tid, &created, &exited, &name);
	return n + (unsigned)trace_env_past_threads();
}

static size_t put_thread(char *s, size_t cap, unsigned tid, uint64_t created,
			 uint64_t exited, const char *name)
{
	char word[32];
	size_t k = 0;

	for (; name[k] && k < sizeof(word) - 1; k++) /* one word: spaces become '_' */
		word[k] = name[k] == ' ' || name[k] == '\t' ? '_' : name[k];
	word[k] = 0;
	if (!exited)
		return (size_t)ksnprintf(s, cap, "%u %llu - %s\n", tid,
					 (unsigned long long)created, k ? word : "-");
	return (size_t)ksnprintf(s, cap, "%u %llu %llu %s\n", tid, (unsigned long long)created,
				 (unsigned long long)exited, k ? word : "-");
}

/* The line at position *at, which moves past it: positions 0..MAX_TID are tids (each
 * tid's latest thread; the first known tid at or after *at), then the earlier threads of
 * reused tids, oldest first. 0 past the end. */
static size_t thread_line(char *s, size_t cap, unsigned *at)
{
	uint64_t created, exited;
	const char *name;
	char past_name[32];
	unsigned tid;

	for (; *at <= MAX_TID; ++*at)
		if (trace_env_thread(*at, &created, &exited, &name))
			return put_thread(s, cap, (*at)++, created, exited, name);
	if (!trace_env_past_thread(*at - MAX_TID - 1, &tid, &created, &exited, past_name,
				   sizeof(past_name)))
		return 0;
	++*at;
	return put_thread(s, cap, tid, created, exited, past_name);
}

/* "profile_hz H", "profile_cpu C samples N lost M" per CPU, "stacks N" (which starts the
 * stack table's lines). */
static size_t next_profile(size_t *cursor, char *s, size_t cap)
{
	unsigned step = (uint32_t)*cursor, ncpus = ring_ncpus();
	struct profile_counts c;
	uint32_t count;

	if (step == 0) {
		*cursor = PROFILE_PHASE | 1;
		return (size_t)ksnprintf(s, cap, "profile_hz %u\n", profile_hz());
	}
	if (step <= ncpus) {
		profile_get_counts(step - 1, &c);
		*cursor = PROFILE_PHASE | (step + 1);
		return (size_t)ksnprintf(s, cap, "profile_cpu %u samples %llu lost %llu\n", step - 1,
					 (unsigned long long)c.taken, (unsigned long long)c.lost);
	}
	count = stackid_count();
	*cursor = STACKS_PHASE | (uint64_t)count << 32 | 1;
	return (size_t)ksnprintf(s, cap, "stacks %u\n", count);
}

/* The next stack line: exactly the count announced, though the table may grow. */
static size_t next_stack(size_t *cursor, char *s, size_t cap)
{
	uint32_t left = (uint32_t)(*cursor >> 32) & 0x1fffffff, id = (uint32_t)*cursor;
	size_t n;

	if (!left || !(n = profile_stack_line(s, cap, id)))
		return 0;
	*cursor = STACKS_PHASE | (uint64_t)(left - 1) << 32 | (id + 1);
	return n;
}

/* The next thread line; the cursor holds the lines still to list and the next tid. */
static size_t next_thread(size_t *cursor, char *s, size_t cap)
{
	uint32_t left = (uint32_t)(*cursor >> 32) & 0x7fffffff;
	unsigned tid = (uint32_t)*cursor;
	size_t n;

	if (!left || !(n = thread_line(s, cap, &tid))) {
		*cursor = PROFILE_PHASE;
		return next_profile(cursor, s, cap);
	}
	*cursor = THREADS_PHASE | (uint64_t)(left - 1) << 32 | tid;
	return n;
}

size_t raw_header_next(size_t *cursor, char *s, size_t cap, const struct raw_header_src *src)
{
	uint64_t c = *cursor;
	size_t ncpus = ring_ncpus(), n;

	if (c & THREADS_PHASE)
		return next_thread(cursor, s, cap);
	if (c & PROFILE_PHASE)
		return next_profile(cursor, s, cap);
	if (c & STACKS_PHASE)
		return next_stack(cursor, s, cap);
	if (c == 0)
		n = settings(s, cap, src);
	else if (c == 1)
		n = options(s, cap, src);
	else if (c == 2)
		n = notes(s, cap);
	else if (c < 3 + ncpus)
		n = cpu_line(s, cap, (unsigned)(c - 3));
	else if (c == 3 + ncpus)
		n = (size_t)ksnprintf(s, cap, "symbols %llu\n", (unsigned long long)count_symbols());
	else if (!(n = symbol_line(s, cap, c - 4 - ncpus))) {
		unsigned total = count_threads();

		*cursor = THREADS_PHASE | (uint64_t)total << 32; /* from tid 0 */
		return (size_t)ksnprintf(s, cap, "threads %u\n", total);
	}
	*cursor = c + 1;
	return n;
}
