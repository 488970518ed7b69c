/* IRQ-safe spinlocks. Taking a spinlock disables interrupts on this CPU, so a lock shared
 * with an interrupt handler can never deadlock against it. Host builds (GLASS_HOST, unit
 * tests) get a pthread-free single-threaded stand-in with the same API. */
#ifndef KERNEL_LOCK_H
#define KERNEL_LOCK_H

#include <stdint.h>

struct spinlock {
	volatile uint32_t locked;
};
#define SPINLOCK_INIT { 0 }

#ifdef GLASS_HOST
static inline uint64_t spin_lock_irqsave(struct spinlock *l) { l->locked = 1; return 0; }
static inline void spin_unlock_irqrestore(struct spinlock *l, uint64_t f) { (void)f; l->locked = 0; }
#else
#include "platform/platform.h"

static inline void spin_lock_raw(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			plat_cpu_relax();
}
static inline void spin_unlock_raw(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}
static inline uint64_t spin_lock_irqsave(struct spinlock *l)
{
	uint64_t flags = plat_irq_save();
	spin_lock_raw(l);
	return flags;
}
static inline void spin_unlock_irqrestore(struct spinlock *l, uint64_t flags)
{
	spin_unlock_raw(l);
	plat_irq_restore(flags);
}
#endif

#endif
