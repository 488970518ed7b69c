/* The payloads of the profile events (ids in trace/event_format.h): packed little-endian
 * structs shared by the kernel's writers, its printer (trace/profile_print.c) and the host
 * tools. Stacks are named by stack id (trace/stackid.h); code addresses are 32 bits (kernel
 * text lies below 4 GiB). Payloads may only grow at their end. */
#ifndef TRACE_PROFILE_FORMAT_H
#define TRACE_PROFILE_FORMAT_H

#include <stdint.h>

#define EV_STACK_MAX_DEPTH 48 /* = STACK_MAX_DEPTH (trace/stackwalk.h) */

/* profile_sample: the sampling interrupt found the record's thread running on the
 * record's CPU, on stack stack_id (0: none could be recorded). 7 bytes: with the W_EVENT
 * header, 16 bytes of ring. */
struct ev_profile_sample {
	uint32_t stack_id;
	uint16_t hz;   /* the sampling frequency: the sample stands for 1/hz seconds */
	uint8_t flags; /* STACK_TRUNCATED, STACK_BAD_FRAME (trace/stackwalk.h) */
} __attribute__((packed));

/* stack: stack id is pcs[0..depth), innermost first. Written once, when the stack is
 * first seen, just before the event that uses it. */
struct ev_stack {
	uint32_t id;
	uint8_t depth;
	uint8_t flags;
	uint32_t pcs[EV_STACK_MAX_DEPTH];
} __attribute__((packed));
#define EV_STACK_SIZE(depth) (6 + 4 * (depth))

/* offcpu_stack: the record's thread is back on its CPU after away_ns off it; it had left
 * in state (enum trace_task_state, trace/event_format.h: preempted, sleep, waitq, mutex,
 * net ...) on stack stack_id. */
struct ev_offcpu_stack {
	uint32_t stack_id;
	uint8_t state;
	uint64_t away_ns;
} __attribute__((packed));

#define EV_ALLOC_HEAP 0 /* kmalloc & co */
#define EV_ALLOC_PAGE 1 /* page_alloc */

/* alloc: bytes at ptr were allocated on stack stack_id; one allocation of every `every`
 * is recorded (its values stand for `every` such). */
struct ev_alloc {
	uint64_t ptr;
	uint32_t bytes;
	uint32_t stack_id;
	uint16_t every;
	uint8_t kind; /* EV_ALLOC_* */
} __attribute__((packed));

/* free: the allocation at ptr (bytes long) was freed. Recorded for the allocations that
 * were recorded. */
struct ev_free {
	uint64_t ptr;
	uint32_t bytes;
	uint8_t kind;
} __attribute__((packed));

/* net_io: bytes sent (dir 1) or received (dir 0) on the TCP or UDP connection
 * laddr:lport - raddr:rport (IPv4, network order as bytes a.b.c.d), on stack stack_id. */
struct ev_net_io {
	uint32_t stack_id;
	uint32_t bytes;
	uint8_t laddr[4], raddr[4];
	uint16_t lport, rport;
	uint8_t dir;
	uint8_t proto; /* 6 TCP, 17 UDP */
} __attribute__((packed));

#endif
