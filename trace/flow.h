/* Flow control of the trace stream (trace_options `flow-control`, off by default; `glass
 * record` turns it on): so that a streaming reader loses nothing even when it drains more
 * slowly than the threads write, a thread writing to a CPU whose ring is nearly full is
 * parked until the reader has caught up, as LTTng's blocking channels do.
 *
 * A CPU is congested while the option is on, tracing is on (and the tracer did not stop
 * itself), its ring is in stop mode, a streaming reader is attached and its ring holds at
 * least FLOW_HIGH of its slots not yet freed by the reader; it stays congested until the
 * reader has freed it down to FLOW_LOW. A streaming reader is a trace_pipe_raw reader of
 * the CPU (the all-CPU file or the CPU's own): one
 * open now, or one closed less than FLOW_READER_GRACE_MS ago (a follow reader closes after
 * each response and comes back with its acknowledgements). The text trace_pipe does not
 * count: its reads free one event at a time, without the wake-up below.
 *
 * The kernel parks the current thread of a congested CPU when an interrupt returns to it
 * (kernel/sched_flow.c): thread context, no spinlock (taking one masks interrupts), no
 * mutex held, not inside the tracer, not a trace server thread, not idle. Interrupts never
 * wait: the slots above FLOW_HIGH absorb what they and the tick's latency write. Parked
 * threads wake when the reader frees the CPU's ring below FLOW_LOW, when flow control,
 * tracing or the reader goes away (each parked thread also looks again every tick), so
 * none stays parked without a reader that drains.
 *
 * The high mark is low so that the rest of the ring absorbs a few ticks of writing: a
 * thread is parked only at an interrupt, and on a busy host (QEMU under TCG with its
 * timer thread starved) interrupts come late. The reader's window (RAW_WINDOW_FRAMES, a
 * quarter of the ring) is no larger than the high mark: a response that has shipped all
 * of a congested CPU ends at once, so its acknowledgement frees the ring.
 *
 * Locking: none. Every field is one aligned word; a racing reader sees the old or the new
 * value, and a parked thread that missed a change sees it at its next look. */
#ifndef TRACE_FLOW_H
#define TRACE_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#define FLOW_HIGH_PERCENT 25 /* congested from here (of the ring's slots) ... */
#define FLOW_LOW_PERCENT 10  /* ... until the reader has freed it down to here */
#define FLOW_READER_GRACE_MS 1000

#ifdef CONFIG_TRACE
/* The option flow-control. Off wakes every parked thread. */
void trace_flow_set(bool on);
bool trace_flow_enabled(void);
/* A trace_pipe_raw reader of cpu opens or closes; a close starts the grace period. A CPU
 * no reader reads (glass record --cpu of another one) never waits. */
void trace_flow_reader_attach(unsigned cpu);
void trace_flow_reader_detach(unsigned cpu);
/* Whether the threads writing to cpu must wait now (and its state updated). */
bool trace_flow_congested(unsigned cpu);
/* The reader freed slots of cpu: wakes its parked threads if it is no longer congested. */
void trace_flow_freed(unsigned cpu);
/* Wakes every parked thread to look again (tracing off, a clear, a resize). */
void trace_flow_kick(void);
/* Who wakes cpu's parked threads (the kernel: kernel/sched_flow.c; tests: a counter). */
void trace_flow_set_waker(void (*wake)(unsigned cpu));
#else
static inline bool trace_flow_congested(unsigned cpu) { (void)cpu; return false; }
#endif

#endif
