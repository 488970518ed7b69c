/* Host implementation of trace/env.h and trace/internal.h for unit tests and the host
 * benchmark: thread-local fake CPU ids and tasks, the real TSC (or a fake clock), pages
 * from aligned_alloc, text patching through mprotect. Compiled without -pg. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <unistd.h>
#include "trace/env.h"
#include "trace/internal.h"
#include "trace/task.h"
#include "test/unit/trace_host_env.h"

#define HOST_SYMS 256
#define HOST_COMMS 64

/* Read by fentry.S too, %fs-relative (trace/hook.h). */
__thread unsigned trace_host_cpu, trace_host_tid, trace_host_irq_depth;
__thread struct trace_task *trace_host_cur_task; /* NULL until the thread's first use */
static __thread struct trace_task host_own_task;
static unsigned host_ncpus = 1;
static uint64_t (*host_clock)(void);
static uint64_t host_clock_hz;
unsigned trace_host_stop_calls;

static struct { uint64_t addr; const char *name; } host_syms[HOST_SYMS];
static unsigned host_nsyms;
static struct { unsigned tid; const char *name; } host_comms[HOST_COMMS];
static unsigned host_ncomms;

void trace_host_set_cpu(unsigned cpu) { trace_host_cpu = cpu; }
void trace_host_set_tid(unsigned tid) { trace_host_tid = tid; }
void trace_host_set_irq_depth(unsigned depth) { trace_host_irq_depth = depth; }

/* The thread's own task, zeroed but for stack[-1]'s slot (trace_task_init() is not linked
 * into every host test). */
static struct trace_task *host_own(void)
{
	host_own_task.no_frame_slot = UINT64_MAX;
	return &host_own_task;
}

void trace_host_set_task(struct trace_task *t) { trace_host_cur_task = t ? t : host_own(); }
void trace_host_set_ncpus(unsigned n) { host_ncpus = n; }

void trace_host_set_clock(uint64_t (*fn)(void), uint64_t hz)
{
	host_clock = fn;
	host_clock_hz = hz;
}

unsigned trace_env_cpu(void) { return trace_host_cpu; }
unsigned trace_env_ncpus(void) { return host_ncpus; }
unsigned trace_env_tid(void) { return trace_host_tid; }
unsigned trace_env_irq_depth(void) { return trace_host_irq_depth; }

struct trace_task *trace_env_task(void)
{
	if (!trace_host_cur_task)
		trace_host_cur_task = host_own();
	return trace_host_cur_task;
}

uint64_t trace_env_clock(void)
{
	uint32_t lo, hi;

	if (host_clock)
		return host_clock();
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t host_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Calibrates the TSC against CLOCK_MONOTONIC over 20 ms, once. */
uint64_t trace_env_clock_hz(void)
{
	if (!host_clock_hz) {
		uint64_t t0 = trace_env_clock(), n0 = host_ns();

		while (host_ns() - n0 < 20000000)
			;
		host_clock_hz = (trace_env_clock() - t0) * 1000000000u / (host_ns() - n0);
	}
	return host_clock_hz;
}

int trace_host_add_symbol(uint64_t addr, const char *name)
{
	unsigned i = host_nsyms;

	if (i == HOST_SYMS)
		return -1;
	for (; i > 0 && host_syms[i - 1].addr > addr; i--)
		host_syms[i] = host_syms[i - 1];
	host_syms[i].addr = addr;
	host_syms[i].name = name;
	host_nsyms++;
	return 0;
}

const char *trace_env_symbol(uint64_t addr, uint64_t *offset)
{
	const char *name = NULL;

	for (unsigned i = 0; i < host_nsyms && host_syms[i].addr <= addr; i++) {
		name = host_syms[i].name;
		*offset = addr - host_syms[i].addr;
	}
	return name;
}

int trace_host_set_comm(unsigned tid, const char *name)
{
	if (host_ncomms == HOST_COMMS)
		return -1;
	host_comms[host_ncomms].tid = tid;
	host_comms[host_ncomms++].name = name;
	return 0;
}

uint64_t trace_env_boot_tsc(void)
{
	return 0;
}

/* Sizes: up to the next symbol (the last one 16 bytes). */
bool trace_env_symbol_at(size_t i, uint64_t *addr, uint64_t *size, const char **name)
{
	if (i >= host_nsyms)
		return false;
	*addr = host_syms[i].addr;
	*size = i + 1 < host_nsyms ? host_syms[i + 1].addr - *addr : 16;
	*name = host_syms[i].name;
	return true;
}

/* The latest name set for tid, created at 0 and never exited. */
bool trace_env_thread(unsigned tid, uint64_t *created, uint64_t *exited, const char **name)
{
	*name = trace_env_comm(tid);
	*created = *exited = 0;
	return strcmp(*name, "<...>") != 0;
}

/* Earlier threads of reused tids, as a test sets them. */
static struct { unsigned tid; uint64_t created, exited; const char *name; } host_past[8];
static size_t host_npast;

int trace_host_add_past_thread(unsigned tid, uint64_t created, uint64_t exited,
			       const char *name)
{
	if (host_npast == 8)
		return -1;
	host_past[host_npast].tid = tid;
	host_past[host_npast].created = created;
	host_past[host_npast].exited = exited;
	host_past[host_npast++].name = name;
	return 0;
}

size_t trace_env_past_threads(void)
{
	return host_npast;
}

bool trace_env_past_thread(size_t i, unsigned *tid, uint64_t *created, uint64_t *exited,
			   char *name, size_t cap)
{
	if (i >= host_npast || !cap)
		return false;
	*tid = host_past[i].tid;
	*created = host_past[i].created;
	*exited = host_past[i].exited;
	snprintf(name, cap, "%s", host_past[i].name);
	return true;
}

const char *trace_env_comm(unsigned tid)
{
	for (unsigned i = host_ncomms; i > 0; i--)
		if (host_comms[i - 1].tid == tid)
			return host_comms[i - 1].name;
	return "<...>";
}

/* Pages full of set bits, as memory may hold anything: a reader that trusted slots no
 * writer zeroed or wrote (ring_alloc() leaves most of them) would find committed-looking
 * records of type 15. */
void *page_alloc(size_t npages)
{
	void *p = aligned_alloc(4096, npages * 4096);

	if (p)
		memset(p, 0xff, npages * 4096);
	return p;
}

void page_free(void *p, size_t npages)
{
	(void)npages;
	free(p);
}

void trace_stop_others(void) { trace_host_stop_calls++; }
void trace_release_others(void) {}

void trace_poke_text(void *dst, const void *src, size_t n)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)dst & ~(page - 1);
	uintptr_t end = ((uintptr_t)dst + n + page - 1) & ~(page - 1);

	if (mprotect((void *)start, end - start, PROT_READ | PROT_WRITE | PROT_EXEC)) {
		perror("trace_poke_text: mprotect");
		abort();
	}
	memcpy(dst, src, n);
}

void trace_fatal(const char *why)
{
	fprintf(stderr, "trace: fatal: %s\n", why);
	abort();
}

/* The profiler's environment. Stacks: the host's own pthread stack; stack ids: a small
 * table filled by the `stack` events the printer sees (the kernel's is trace/stackid.c). */
#include <pthread.h>

void trace_env_stack(uint64_t *lo, uint64_t *hi)
{
	pthread_attr_t a;
	void *addr = NULL;
	size_t size = 0;

	*lo = *hi = 0;
	if (pthread_getattr_np(pthread_self(), &a))
		return;
	if (!pthread_attr_getstack(&a, &addr, &size)) {
		*lo = (uint64_t)(uintptr_t)addr;
		*hi = *lo + size;
	}
	pthread_attr_destroy(&a);
}

unsigned trace_host_profile_hz; /* what the sampling timer was last set to */

uint64_t trace_env_func_start(uint64_t pc)
{
	return pc;
}

void trace_env_profile_timer(unsigned hz)
{
	trace_host_profile_hz = hz;
}

#define HOST_STACKS 256
static struct { unsigned n; uint32_t pcs[64]; } host_stacks[HOST_STACKS];

const uint32_t *trace_env_stack_frames(uint32_t id, unsigned *n)
{
	if (!id || id >= HOST_STACKS || !host_stacks[id].n)
		return NULL;
	*n = host_stacks[id].n;
	return host_stacks[id].pcs;
}

void trace_env_stack_define(uint32_t id, const uint32_t *pcs, unsigned n)
{
	if (!id || id >= HOST_STACKS || !n || n > 64)
		return;
	memcpy(host_stacks[id].pcs, pcs, n * sizeof(*pcs));
	host_stacks[id].n = n;
}
