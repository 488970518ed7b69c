/* Dynamic patching of the -pg call sites. Every instrumented function starts with a 5-byte
 * NOP (0f 1f 44 00 00) whose address the compiler records in __mcount_loc; a site is
 * turned into `call __fentry__` (e8 rel32) while it is traced and back into the NOP when
 * not, so untraced functions cost one NOP. With FGRAPH=rethook every `ret` of such a
 * function is preceded by another 5-byte NOP, recorded in __return_loc, which becomes
 * `call __fexit__` while the function's entry is a call and return hooks are on
 * (function_graph): entry and return sites of a function are patched together.
 *
 * Patching runs in process context, one caller at a time (tracefs holds its lock). It
 * changes code that other CPUs may be running: each batch of writes happens with those
 * CPUs stopped (spinning with interrupts off) and interrupts off here; they serialize
 * their instruction stream before they go on. */
#ifndef TRACE_PATCH_H
#define TRACE_PATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "trace/fgraph_mode.h"

/* Makes site ip a call iff wanted(ip, arg); the caller's filter decides everything (it
 * returns false for every site to switch all tracing off). wanted must not sleep; it runs
 * with the other CPUs going on. Returns 0, or -EINVAL if a site held unexpected bytes:
 * then the tracer stops (trace_stop) and that site is left alone. */
int patch_apply(bool (*wanted)(uint64_t ip, void *arg), void *arg);

#if CONFIG_FGRAPH_RETHOOK
#define PATCH_MAX_SITES 16384 /* entry sites beyond this own no return site */
/* Whether the next patch_apply() hooks the return sites of the functions it patches (the
 * function_graph tracer) or leaves them NOPs (function, nop). Return hooks go on before
 * their entries and off after them. A return site not followed by `ret` stops the tracer. */
void patch_set_return_hooks(bool on);
size_t patch_return_sites(void);
size_t patch_return_sites_on(void);
/* The entry site of the function a return site is in (0 if none). */
uint64_t patch_return_owner(uint64_t ret_site);
#else
static inline void patch_set_return_hooks(bool on) { (void)on; }
#endif

/* The call sites, in __mcount_loc order (available_filter_functions, numeric filters). */
size_t patch_sites(void);
uint64_t patch_site(size_t i);
/* Whether site i is a call now (enabled_functions), and how many are. */
bool patch_site_on(size_t i);
size_t patch_sites_on(void);

/* Host builds have no __mcount_loc of their own: tests and the benchmark give theirs. */
#ifdef GLASS_HOST
void patch_set_sites(const uint64_t *begin, const uint64_t *end);
#if CONFIG_FGRAPH_RETHOOK
void patch_set_return_sites(const uint64_t *begin, const uint64_t *end);
#endif
#endif

#endif
