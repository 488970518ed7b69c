/* Trace events' write side (trace/events.h): the enable mask and the one writer every
 * event goes through. */
#include <errno.h>
#include <string.h>
#include "trace/events.h"
#include "trace/hook.h"
#include "trace/ring.h"

volatile uint64_t trace_events_enabled;

bool trace_event_write(enum trace_event_id id, const void *payload, size_t len)
{
	struct trace_task *t;
	bool ok;

	if (!trace_event_on(id) || !trace_cfg.on || trace_cfg.stopped)
		return false;
	t = trace_hook_begin();
	if (!t)
		return false;
	ok = ring_write_event(trace_env_cpu(), trace_env_clock(), trace_env_tid(), id, payload,
			      len);
	trace_hook_end(t);
	return ok;
}

bool trace_event_write_str(enum trace_event_id id, const void *fixed, size_t fixed_len,
			   const char *str)
{
	char buf[64 + EV_NAME_MAX];
	size_t n;

	if (!trace_event_on(id) || fixed_len > 64)
		return false;
	n = strnlen(str, EV_NAME_MAX); /* longer names are cut (trace/event_format.h) */
	memcpy(buf, fixed, fixed_len);
	memcpy(buf + fixed_len, str, n);
	return trace_event_write(id, buf, fixed_len + n);
}

int trace_event_set(unsigned id, bool on)
{
	if (id == EV_NONE || id >= EV_MAX)
		return -EINVAL;
	if (on)
		__atomic_or_fetch(&trace_events_enabled, 1ull << id, __ATOMIC_RELAXED);
	else
		__atomic_and_fetch(&trace_events_enabled, ~(1ull << id), __ATOMIC_RELAXED);
	return 0;
}
