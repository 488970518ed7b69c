/* Names for trace readers (never called on the hook path). */
#include <string.h>
#include "trace/env.h"
#include "kernel/ksyms.h"
#include "kernel/sched.h"
#include "kernel/thread_past.h"
#include "platform/platform.h"

const char *trace_env_symbol(uint64_t addr, uint64_t *offset)
{
	uint64_t size;
	return ksym_lookup(addr, offset, &size);
}

const char *trace_env_comm(unsigned tid)
{
	return thread_name_of(tid);
}

uint64_t trace_env_boot_tsc(void)
{
	return plat_boot_tsc();
}

bool trace_env_symbol_at(size_t i, uint64_t *addr, uint64_t *size, const char **name)
{
	if (i >= ksym_num)
		return false;
	*addr = ksym_addrs[i];
	*size = ksym_sizes[i];
	*name = ksym_names + ksym_name_offs[i];
	return true;
}

bool trace_env_thread(unsigned tid, uint64_t *created, uint64_t *exited, const char **name)
{
	return thread_record(tid, created, exited, name);
}

size_t trace_env_past_threads(void)
{
	return thread_past_count();
}

bool trace_env_past_thread(size_t i, unsigned *tid, uint64_t *created, uint64_t *exited,
			   char *name, size_t cap)
{
	struct thread_past t;

	if (!cap || !thread_past_get(i, &t))
		return false;
	*tid = t.tid;
	*created = t.created;
	*exited = t.exited;
	strncpy(name, t.name, cap - 1);
	name[cap - 1] = 0;
	return true;
}
#ifdef CONFIG_TRACE
#include "trace/stackid.h"

const uint32_t *trace_env_stack_frames(uint32_t id, unsigned *n)
{
	return stackid_frames(id, n);
}

void trace_env_stack_define(uint32_t id, const uint32_t *pcs, unsigned n)
{
	(void)id, (void)pcs, (void)n; /* the table is the kernel's own */
}
#endif
