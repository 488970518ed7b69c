/* The tracer core as tracefs and the panic dump see it, beyond the settings (config.h),
 * the buffers (ring.h) and the call sites (patch.h). */
#ifndef TRACE_CORE_H
#define TRACE_CORE_H

#include <stddef.h>
#include <stdint.h>

/* trace_marker: writes text (cut to RING_TEXT_MAX bytes) as a REC_TEXT event on this CPU's
 * buffer, while tracing is on. Returns 0, -EBUSY if tracing is off or the buffer is full
 * (stop mode: counted as dropped), or -EAGAIN when called from inside the tracer. */
int trace_marker_write(const char *s, size_t len);

/* Calls the hooks had to leave untraced on one CPU (e.g. for a `# ...` header line). */
struct trace_cpu_counts {
	uint64_t recursion; /* a hook was entered from inside the tracer (e.g. an interrupt) */
	uint64_t overflow;  /* a call nested deeper than the shadow stack (TRACE_STACK_DEPTH) */
	uint64_t abandoned; /* shadow stack frames whose call left without returning */
};
void trace_get_counts(unsigned cpu, struct trace_cpu_counts *out);

#endif
