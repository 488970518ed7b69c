/* Names for trace readers (never called on the hook path). */
#include "trace/env.h"
#include "kernel/ksyms.h"
#include "kernel/sched.h"

const char *trace_env_symbol(uint64_t addr, uint64_t *offset)
{
	uint64_t size;
	return ksym_lookup(addr, offset, &size);
}

const char *trace_env_comm(unsigned tid)
{
	return thread_name_of(tid);
}
