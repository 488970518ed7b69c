/* The sampling profiler and the stacks other events record (trace/profile.c): the
 * sampling frequency, the per-CPU counts of samples taken and lost, and recording the
 * current stack as a stack id. */
#ifndef TRACE_PROFILE_H
#define TRACE_PROFILE_H

#include <stdbool.h>
#include <stdint.h>
#include "trace/stackwalk.h"

#define PROFILE_DEFAULT_HZ 99
#define PROFILE_MAX_HZ 20000

struct profile_counts {
	uint64_t taken; /* sampling interrupts that found the event on */
	uint64_t lost;  /* of those, samples the ring refused (full, or a nested writer) */
};

/* The sampling frequency (Hz) while profile_sample is enabled. */
unsigned profile_hz(void);
/* Sets it: 1 .. PROFILE_MAX_HZ; -EINVAL otherwise. */
int profile_set_hz(unsigned hz);
/* Starts or stops the sampling timer as the profile_sample event says: called when
 * events are switched and on every tick (cheap: one compare). */
void profile_sync(void);
/* CPU cpu's counts since boot. */
void profile_get_counts(unsigned cpu, struct profile_counts *out);

/* Allocation events: one allocation of every alloc_every is recorded (1 .. 65535). */
unsigned profile_alloc_every(void);
int profile_set_alloc_every(unsigned n);

/* The stack id of the walk in (writing the `stack` event if the stack is new); 0 when
 * there is no stack or the table is full. *flags gets the walk's STACK_* flags. */
uint32_t profile_stack_id(const struct stack_walk_in *in, unsigned *flags);
/* The stack id of the current stack, from the caller of this function (skip 0), or from
 * skip frames further out (the recording code's own frames left out). */
uint32_t profile_current_stack(unsigned skip);

/* The scheduler switches prev out (in prev_state, kernel/thread.h's) and next in, which
 * was switched out at TSC left (0: never) and comes back at now: the offcpu_stack event
 * (called from trace_sched_switch()). */
struct trace_task;
void profile_switch_out(struct trace_task *prev, unsigned prev_tid, int prev_state);
void profile_switch_in(struct trace_task *next, unsigned next_tid, uint64_t left, uint64_t now);

#endif
