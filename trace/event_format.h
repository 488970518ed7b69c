/* Trace events: the ids and payloads of REC_EVENT records (trace/codec_format.h, W_EVENT),
 * part of the record format like the slot layouts. Shared by the kernel's writers, its
 * printer and the host tools. A payload is a packed little-endian struct, then (for some)
 * a string that runs to the end of the payload, not NUL-terminated. Readers check the
 * length: a payload shorter than its struct is printed as malformed, never read past.
 *
 * Ids are stable: a new event takes a new id; a payload may only grow at its end (readers
 * take the fields they know). Linux names the events these follow in the comments. */
#ifndef TRACE_EVENT_FORMAT_H
#define TRACE_EVENT_FORMAT_H

#include <stdint.h>

enum trace_event_id {
	EV_NONE = 0,
	EV_SCHED_WAKEUP = 1,   /* sched:sched_wakeup */
	EV_THREAD_CREATE = 2,  /* task:task_newtask */
	EV_THREAD_RENAME = 3,  /* task:task_rename */
	EV_THREAD_EXIT = 4,    /* sched:sched_process_exit */
	EV_IRQ_ENTRY = 5,      /* irq:irq_handler_entry */
	EV_IRQ_EXIT = 6,       /* irq:irq_handler_exit */
	EV_SPAN_BEGIN = 7,     /* app: a named span begins (trace/app_events.h) */
	EV_SPAN_END = 8,
	EV_INSTANT = 9,
	EV_COUNTER = 10,
	EV_SCHED_SWITCH = 11,  /* sched:sched_switch: no W_EVENT of its own; while enabled the
				* switch records (W_SWITCH) carry TS_EVENT and print as it */
	EV_PROFILE_SAMPLE = 16, /* profile: a stack sample */
	EV_STACK = 17,          /* profile: a stack id's definition */
	EV_OFFCPU_STACK = 18,   /* profile: the stack of a thread leaving the CPU */
	EV_ALLOC = 19,
	EV_FREE = 20,
	EV_NET_IO = 21,
	EV_MAX = 64 /* ids are below this: the enable state is one 64-bit mask */
};

/* An event's tracefs group and name ("sched", "sched_wakeup"), NULL for an id no event
 * has (trace/out_event.c). */
const char *trace_event_group(unsigned id);
const char *trace_event_name(unsigned id);

/* The state a thread leaves its CPU in: a switch record's prev_state (8 bits). Linux's
 * letters (trace_task_state_letter()) are coarser: several glass states print alike, and
 * the switch line carries glass's own name of the state too (docs/events.md). */
enum trace_task_state {
	TS_RUNNING = 0,   /* R: gave the CPU up and stays runnable (yield; an idle thread) */
	TS_PREEMPTED = 1, /* R+: preempted (the timer tick, or a thread an interrupt woke) */
	TS_SLEEP = 2,     /* S: a timed sleep (thread_sleep_ns) */
	TS_WAITQ = 3,     /* S: waiting on a wait queue (joins, servers' queues) */
	TS_MUTEX = 4,     /* D: waiting for a mutex */
	TS_NET = 5,       /* S: waiting for the network (a socket or the stack's thread) */
	TS_DEAD = 6,      /* X: the thread ended */
	TS_STATE_MASK = 0x7f,
	TS_EVENT = 0x80   /* flag: sched_switch was enabled, print the record as that event */
};

/* Linux's prev_state text of a state ("R", "R+", "S", "D", "X") and glass's name of it
 * ("yield", "preempt", "sleep", "waitq", "mutex", "net", "exit"); "?" for an unknown
 * value. (trace/out_event.c) */
const char *trace_task_state_letter(unsigned state);
const char *trace_task_state_name(unsigned state);

#define EV_NAME_MAX 64 /* longest thread, irq, span or counter name a payload carries */

/* sched_wakeup: the current thread (the record's tid) makes thread `pid` runnable on
 * target_cpu. */
struct ev_sched_wakeup {
	uint16_t pid;
	uint8_t target_cpu;
	uint8_t pad;
} __attribute__((packed));

/* thread_create: the current thread (the parent) created thread `pid`, to run `entry`
 * (a kernel text address); then its name. */
struct ev_thread_create {
	uint16_t pid;
	uint16_t pad;
	uint32_t entry;
	/* char name[] */
} __attribute__((packed));

/* thread_rename: thread `pid` is now called; then the new name. */
struct ev_thread_rename {
	uint16_t pid;
	/* char name[] */
} __attribute__((packed));

/* thread_exit: thread `pid` (the current one) ends with status. */
struct ev_thread_exit {
	uint16_t pid;
	uint16_t pad;
	int32_t status;
} __attribute__((packed));

/* irq_entry: a hardware interrupt's handler starts; then the vector's name ("timer",
 * "virtio-net", "ipi-call" ...). */
struct ev_irq_entry {
	uint8_t vector;
	/* char name[] */
} __attribute__((packed));

/* irq_exit: the handler of vector ends; handled is 0 if nothing claimed it. */
struct ev_irq_exit {
	uint8_t vector;
	uint8_t handled;
} __attribute__((packed));

/* span_begin and instant: the name, then (optionally) a space and `key=value` arguments
 * separated by spaces: "GET /ftrace/trace status=200". span_end: the name only. A span
 * ends with the innermost open span of the same name on its thread. */

/* counter: a named value at this time; then the name. */
struct ev_counter {
	int64_t value;
	/* char name[] */
} __attribute__((packed));

#endif
