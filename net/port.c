/* lwIP's port for NO_SYS=1: sys_now, the random source, the assertion hook, and the core
 * lock every caller of lwIP holds (see lwipopts.h). */
#include "kernel/mutex.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "lwip/sys.h"
#include "lwip/timeouts.h"
#include "net/internal.h"
#include "platform/platform.h"

static struct mutex core_mutex;
static struct thread *net_thread;
static uint32_t planned_wake;

void net_port_init(void)
{
	mutex_init(&core_mutex);
}

u32_t sys_now(void)
{
	return (u32_t)(plat_now_ns() / 1000000);
}

uint32_t net_lwip_rand(void)
{
	uint64_t t = plat_tsc();

	return (uint32_t)(t ^ (t >> 29) ^ (t << 7));
}

void net_lwip_assert(const char *msg, const char *file, int line)
{
	panic("lwIP assertion \"%s\" failed at %s:%d", msg, file, line);
}

void net_core_lock(void)
{
	mutex_lock(&core_mutex);
}

/* Another thread may have started a lwIP timer (e.g. the TCP timer when a connection
 * becomes active) that is due before the network thread planned to wake. */
static bool timer_due_early(void)
{
	uint32_t sleep = sys_timeouts_sleeptime();

	return sleep != SYS_TIMEOUTS_SLEEPTIME_INFINITE &&
	       (int32_t)(sys_now() + sleep - planned_wake) < 0;
}

void net_core_unlock(void)
{
	bool kick = !net_in_net_thread() && timer_due_early();

	mutex_unlock(&core_mutex);
	if (kick)
		net_kick();
}

bool net_in_net_thread(void)
{
	return thread_current() == net_thread;
}

void net_set_net_thread(void)
{
	net_thread = thread_current();
}

void net_set_planned_wake(uint32_t ms)
{
	planned_wake = ms;
}
