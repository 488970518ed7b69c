/* The sched_switch event, when the trace has it (events/sched/sched_switch enabled next to
 * function_graph): the exact time a CPU went from one thread to the next, which
 * tools/lib/offcpu.c otherwise estimates from the threads' lines. Two spellings:
 *
 *   function_graph text, as a comment line:
 *     /- sched_switch: prev_comm=bash prev_pid=1977 prev_prio=120 prev_state=S ==>
 *        next_comm=swapper/1 next_pid=0 next_prio=120 -/
 *   trace-cmd report (its sched_switch plugin), after "sched_switch:":
 *     bash:1977 [120] S ==> swapper/1:0 [120]
 *
 * Pure: no state. */
#ifndef TOOLS_LIB_SCHEDSW_H
#define TOOLS_LIB_SCHEDSW_H

#include <stdbool.h>

#include "tools/lib/fgline.h"

/* The text of a function_graph comment, from its "/" "*": true and l->kind
 * FGL_CTX_SWITCH with prev/next comm and tid when it is a sched_switch event. */
bool schedsw_comment(const char *p, const char *e, struct fgl *l);

/* The event's text from its name on ("sched_switch: prev_comm=..."), as the function
 * (or nop) tracer prints it after the context columns. */
bool schedsw_event(const char *p, const char *e, struct fgl *l);

/* trace-cmd report's event text after "sched_switch:" (spaces allowed before). */
bool schedsw_tcmd(const char *p, const char *e, struct fgl *l);

#endif
