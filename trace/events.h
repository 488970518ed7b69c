/* Trace events (Linux's events/<group>/<event>/enable): records beyond function calls,
 * each a REC_EVENT (trace/codec.h) with an id and payload from trace/event_format.h.
 * Kernel code writes one with trace_event_write() where it happens; tracefs switches each
 * on and off (available_events, set_event, events/.../enable; boot parameter
 * trace_event=). An event is recorded while tracing is on and it is enabled, whatever the
 * current tracer (nop included), on the current CPU's buffer. Without TRACE=ftrace the
 * calls are empty stubs. */
#ifndef TRACE_EVENTS_H
#define TRACE_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "trace/event_format.h"

#ifdef CONFIG_TRACE
/* Bit id set: event id is enabled. Written by tracefs only (trace_event_set()). */
extern volatile uint64_t trace_events_enabled;

/* Whether event id would be recorded if written now: one load, for callers that must
 * gather the payload first. */
static inline bool trace_event_on(enum trace_event_id id)
{
	return (trace_events_enabled >> id) & 1;
}

/* Records event id with len bytes of payload (at most W_TEXT_MAX) on this CPU, if enabled
 * and tracing is on. Safe from interrupt handlers and the scheduler; a call from inside
 * the tracer itself (an interrupt nesting on a hook) is dropped and counted. Returns
 * whether it was recorded. */
bool trace_event_write(enum trace_event_id id, const void *payload, size_t len);
/* The same for an event whose payload is a struct followed by a string (a name). */
bool trace_event_write_str(enum trace_event_id id, const void *fixed, size_t fixed_len,
			   const char *str);

/* tracefs: enables or disables event id (-EINVAL if out of range). */
int trace_event_set(unsigned id, bool on);
#else
static inline bool trace_event_on(enum trace_event_id id) { (void)id; return false; }
static inline bool trace_event_write(enum trace_event_id id, const void *p, size_t len)
{
	(void)id; (void)p; (void)len;
	return false;
}
static inline bool trace_event_write_str(enum trace_event_id id, const void *f, size_t n,
					 const char *str)
{
	(void)id; (void)f; (void)n; (void)str;
	return false;
}
#endif

#endif
