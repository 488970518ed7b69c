/* The tracer as the kernel sees it: calls the kernel makes into trace/ at the right
 * moments. Without TRACE=ftrace (CONFIG_TRACE unset) every one is an empty inline stub, so
 * call sites need no #ifdef. */
#ifndef TRACE_TRACE_H
#define TRACE_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "trace/events.h"
#include "trace/profile_format.h"
#include "trace/task.h"

#ifdef CONFIG_TRACE
/* Once, on the boot CPU, after the page allocator and heap work and before other CPUs
 * start: allocates per-CPU buffers for ncpus, patches call sites per TRACE_ON_BOOT. */
void trace_init(unsigned ncpus);
/* A new thread's tracer state (shadow stack empty, pid filters applied). */
void trace_task_init(struct trace_task *t, unsigned tid);
/* The scheduler switches from thread prev (prev_tid, the current one) to next on this CPU
 * (interrupts off). */
void trace_sched_switch(struct trace_task *prev, unsigned prev_tid, struct trace_task *next,
			unsigned next_tid, int prev_state);
/* Panic path: stop recording first thing, so the buffers keep what led to the panic and
 * not the panic's own printing; later print the last lines of every CPU's buffer. */
void trace_stop_on_panic(void);
void trace_dump_on_panic(void);
/* The current thread starts (ends) the trace server's own work: serving /ftrace requests,
 * or the network thread processing a segment of such a connection. Unless the trace-server
 * option is on, that work is not recorded, so streaming a trace does not trace its own
 * sending. Calls nest; interrupts nesting on the thread count as its work. */
void trace_server_work_begin(void);
void trace_server_work_end(void);
/* The sampling interrupt (interrupts off) interrupted the current thread at pc with
 * frame pointer rbp and stack pointer rsp: records a profile sample (trace/profile.c). */
void trace_profile_sample(uint64_t pc, uint64_t rbp, uint64_t rsp);
/* Every tick: the sampling timer follows the profile_sample event's enable state. */
void trace_profile_tick(void);
/* Allocators: p (bytes long, EV_ALLOC_HEAP or EV_ALLOC_PAGE) was allocated / is freed
 * (trace/profile_alloc.c). One load each while kmem:alloc and kmem:free are off. */
void trace_alloc_record(void *p, size_t bytes, unsigned kind);
void trace_free_record(void *p, size_t bytes, unsigned kind);
static inline void trace_alloc(void *p, size_t bytes, unsigned kind)
{
	if (trace_event_on(EV_ALLOC) && p)
		trace_alloc_record(p, bytes, kind);
}
static inline void trace_free(void *p, size_t bytes, unsigned kind)
{
	if (trace_event_on(EV_FREE) && p)
		trace_free_record(p, bytes, kind);
}
/* Sockets: bytes sent (tx) or received on the connection laddr:lport - raddr:rport
 * (IPv4 addresses in network order, ports in host order; proto 6 TCP, 17 UDP). */
void trace_net_io_record(uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport,
			 size_t bytes, bool tx, uint8_t proto);
static inline bool trace_net_io_on(void)
{
	return trace_event_on(EV_NET_IO);
}
#else
static inline void trace_init(unsigned ncpus) { (void)ncpus; }
static inline void trace_task_init(struct trace_task *t, unsigned tid) { (void)t; (void)tid; }
static inline void trace_sched_switch(struct trace_task *p, unsigned pt, struct trace_task *n,
				      unsigned nt, int s)
{
	(void)p; (void)pt; (void)n; (void)nt; (void)s;
}
static inline void trace_stop_on_panic(void) {}
static inline void trace_dump_on_panic(void) {}
static inline void trace_server_work_begin(void) {}
static inline void trace_server_work_end(void) {}
static inline void trace_profile_sample(uint64_t pc, uint64_t rbp, uint64_t rsp)
{
	(void)pc; (void)rbp; (void)rsp;
}
static inline void trace_profile_tick(void) {}
static inline void trace_alloc(void *p, size_t bytes, unsigned kind)
{
	(void)p; (void)bytes; (void)kind;
}
static inline void trace_free(void *p, size_t bytes, unsigned kind)
{
	(void)p; (void)bytes; (void)kind;
}
static inline void trace_net_io_record(uint32_t la, uint16_t lp, uint32_t ra, uint16_t rp,
				       size_t bytes, bool tx, uint8_t proto)
{
	(void)la; (void)lp; (void)ra; (void)rp; (void)bytes; (void)tx; (void)proto;
}
static inline bool trace_net_io_on(void) { return false; }
#endif

#if defined(CONFIG_TRACE) && !CONFIG_FGRAPH_RETHOOK
/* For unwinders (Linux: ftrace_graph_ret_addr()): the return address `pc` read from the
 * current thread's stack slot `slot` (its address), or, when function_graph replaced it
 * with return_to_handler, the real one from the thread's shadow return stack. */
uint64_t trace_graph_ret_addr(uint64_t pc, uint64_t slot);
#else
/* No return address on the stack is ever rewritten (FGRAPH=rethook, or no tracer). */
static inline uint64_t trace_graph_ret_addr(uint64_t pc, uint64_t slot) { (void)slot; return pc; }
#endif

#endif
