/* The profiler's tracefs files: profile_frequency (the sampling rate while
 * events/profile/profile_sample is enabled), alloc_every (kmem:alloc records one
 * allocation of every N), profile_stats (samples taken and lost per
 * CPU, the stack table's fill) and stack_table (every stack id's frames: what a reader
 * that missed a `stack` event resolves ids with; raw_header carries the same lines). */
#include <errno.h>
#include "trace/profile.h"
#include "trace/stackid.h"
#include "trace/ring.h"
#include "trace/tracefs_file.h"
#include "kernel/printf.h"

size_t tf_profile_freq_show(struct tracefs_file *f, char *s, size_t cap)
{
	(void)f;
	return (size_t)ksnprintf(s, cap, "%u\n", profile_hz());
}

int tf_profile_freq_write(struct tracefs_file *f, const char *buf, size_t len)
{
	uint64_t v;

	if (tf_number(f, buf, len, &v))
		return -EINVAL;
	if (!v || v > PROFILE_MAX_HZ || profile_set_hz((unsigned)v))
		return tf_fail(f, -EINVAL, "profile_frequency: 1 to 20000 (Hz)");
	return 0;
}

size_t tf_alloc_every_show(struct tracefs_file *f, char *s, size_t cap)
{
	(void)f;
	return (size_t)ksnprintf(s, cap, "%u\n", profile_alloc_every());
}

int tf_alloc_every_write(struct tracefs_file *f, const char *buf, size_t len)
{
	uint64_t v;

	if (tf_number(f, buf, len, &v))
		return -EINVAL;
	if (!v || v > 65535 || profile_set_alloc_every((unsigned)v))
		return tf_fail(f, -EINVAL, "alloc_every: 1 to 65535");
	return 0;
}

size_t tf_profile_stats_show(struct tracefs_file *f, char *s, size_t cap)
{
	size_t n = 0;

	(void)f;
	for (unsigned cpu = 0; cpu < ring_ncpus() && n < cap; cpu++) {
		struct profile_counts c;

		profile_get_counts(cpu, &c);
		n += (size_t)ksnprintf(s + n, cap - n, "cpu %u samples %llu lost %llu\n", cpu,
				       (unsigned long long)c.taken, (unsigned long long)c.lost);
	}
	if (n < cap)
		n += (size_t)ksnprintf(s + n, cap - n, "stacks %u full %llu\n", stackid_count(),
				       (unsigned long long)stackid_full());
	return n;
}

size_t profile_stack_line(char *s, size_t cap, uint32_t id)
{
	unsigned n;
	const uint32_t *pcs = stackid_frames(id, &n);
	size_t k;

	if (!pcs)
		return 0;
	k = (size_t)ksnprintf(s, cap, "%u %u", id, n);
	for (unsigned i = 0; i < n && k < cap; i++)
		k += (size_t)ksnprintf(s + k, cap - k, " %x", pcs[i]);
	if (k < cap)
		k += (size_t)ksnprintf(s + k, cap - k, "\n");
	return k < cap ? k : cap;
}

/* One line per stack: "ID DEPTH PC..." (hex, innermost first). */
size_t tf_stack_table_show(struct tracefs_file *f, char *s, size_t cap)
{
	size_t n;

	if (f->cursor >= stackid_count())
		return 0;
	n = profile_stack_line(s, cap, (uint32_t)f->cursor + 1);
	f->cursor++;
	return n;
}
