/* Network bring-up and the network thread: it drains the NIC, feeds lwIP and runs lwIP's
 * timers, then sleeps until the NIC interrupts or the next timer is due. */
#include <errno.h>
#include "kernel/init.h"
#include "kernel/printf.h"
#include "kernel/sched.h"
#include "kernel/waitq.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/sys.h"
#include "lwip/timeouts.h"
#include "net/internal.h"

#define NET_POLL_BUDGET 64 /* frames per lock hold, so socket calls get their turn */

struct netdev *net_dev;
static struct netif the_netif;
static struct spinlock wake_lock = SPINLOCK_INIT;
static struct waitq wake_wq;
static bool wake_pending;

void net_kick(void)
{
	uint64_t flags = spin_lock_irqsave(&wake_lock);

	wake_pending = true;
	spin_unlock_irqrestore(&wake_lock, flags);
	waitq_wake_one(&wake_wq);
}

static void dev_wake(struct netdev *dev)
{
	(void)dev;
	net_kick();
}

/* Sleeps until kicked or for sleep_ms (lwIP's next timer). */
static void wait_for_work(uint32_t sleep_ms)
{
	uint64_t timeout = sleep_ms == SYS_TIMEOUTS_SLEEPTIME_INFINITE ? 0 : sleep_ms * 1000000ull;
	uint64_t flags;

	if (sleep_ms == 0)
		return;
	flags = spin_lock_irqsave(&wake_lock);
	if (!wake_pending)
		waitq_wait(&wake_wq, &wake_lock, timeout);
	wake_pending = false;
	spin_unlock_irqrestore(&wake_lock, flags);
}

/* One round under the core lock. Returns true if more frames are waiting already. */
static bool net_round(uint32_t *sleep_ms)
{
	unsigned got;
	bool more;

	net_core_lock();
	got = net_dev->ops->poll(net_dev, NET_POLL_BUDGET);
	sys_check_timeouts();
	*sleep_ms = sys_timeouts_sleeptime();
	net_set_planned_wake(sys_now() + (*sleep_ms == SYS_TIMEOUTS_SLEEPTIME_INFINITE
					  ? 0x7fffffffu : *sleep_ms));
	more = got == NET_POLL_BUDGET || net_dev->ops->irq_on(net_dev);
	net_core_unlock();
	return more;
}

static void net_thread(void *arg)
{
	uint32_t sleep_ms;

	(void)arg;
	/* The trace server depends on this thread: it runs in the server's class. */
	thread_set_class(THREAD_CLASS_SERVER);
	net_set_net_thread();
	for (;;)
		if (!net_round(&sleep_ms))
			wait_for_work(sleep_ms);
}

/* Called once at boot before other threads use the network, so lwIP is set up here
 * without the core lock. */
void net_init(void)
{
	struct netdev *dev = plat_netdev_probe();
	struct thread *t;
	const uint8_t *m;

	if (!dev) {
		kprintf("net: no network device\n");
		return;
	}
	waitq_init_kind(&wake_wq, WAITQ_NET);
	net_port_init();
	lwip_init();
	dev->wake = dev_wake;
	if (net_netif_add(&the_netif, dev) || dev->ops->start(dev)) {
		kprintf("net: %s failed to start\n", dev->name);
		return;
	}
	net_netif_up(&the_netif);
	net_dev = dev;
	t = thread_create("net", net_thread, NULL, 0);
	if (!t) {
		kprintf("net: cannot create the network thread\n");
		net_dev = NULL;
		return;
	}
	/* The tid, so a user can pick the network thread in set_ftrace_pid or
	 * set_ftrace_notrace_pid (its work for the trace server is left out anyway:
	 * net/serves_trace.c). */
	m = dev->mac;
	kprintf("net: %s %02x:%02x:%02x:%02x:%02x:%02x, 10.0.2.15/24 via 10.0.2.2, thread %u\n",
		dev->name, m[0], m[1], m[2], m[3], m[4], m[5], thread_tid(t));
}
