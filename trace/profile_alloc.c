/* Allocation events (kmem:alloc, kmem:free): heap and page allocations with their size and
 * stack, one of every alloc_every (per CPU, counted), and every free while kmem:free is on
 * (a reader matches frees to the recorded allocations by address: trace/profile_format.h).
 * Called by kernel/heap.c and kernel/page.c through trace/trace.h's inline checks, in any
 * context the allocators run in. */
#include <errno.h>
#include "trace/config.h"
#include "trace/env.h"
#include "trace/events.h"
#include "trace/profile.h"
#include "trace/profile_format.h"
#include "trace/ring.h"
#include "trace/trace.h"

static unsigned every = 1;
static struct {
	unsigned countdown;
} __attribute__((aligned(64))) cpus[TRACE_MAX_CPUS];

unsigned profile_alloc_every(void)
{
	return every;
}

int profile_set_alloc_every(unsigned n)
{
	if (!n || n > 65535)
		return -EINVAL;
	__atomic_store_n(&every, n, __ATOMIC_RELAXED);
	return 0;
}

__attribute__((noinline)) void trace_alloc_record(void *p, size_t bytes, unsigned kind)
{
	unsigned *left = &cpus[trace_env_cpu()].countdown, n = every;
	struct ev_alloc e;

	if (!trace_cfg.on)
		return;
	if (*left > 1 && *left <= n) {
		--*left;
		return;
	}
	*left = n;
	e.ptr = (uint64_t)(uintptr_t)p;
	e.bytes = bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes;
	e.stack_id = profile_current_stack(1); /* from the allocator that called us */
	e.every = (uint16_t)n;
	e.kind = (uint8_t)kind;
	trace_event_write(EV_ALLOC, &e, sizeof(e));
}

void trace_free_record(void *p, size_t bytes, unsigned kind)
{
	struct ev_free e = {
		.ptr = (uint64_t)(uintptr_t)p,
		.bytes = bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes,
		.kind = (uint8_t)kind,
	};

	trace_event_write(EV_FREE, &e, sizeof(e));
}
