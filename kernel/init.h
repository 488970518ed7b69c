/* Subsystems that start after SMP and before the app (network, HTTP server). Each is a
 * weak no-op unless linked in, so the kernel needs no #ifdef for them. */
#ifndef KERNEL_INIT_H
#define KERNEL_INIT_H

void net_init(void);   /* net/: NIC, TCP/IP */
void httpd_init(void); /* httpd/: the /ftrace server */

static inline void kernel_late_init(void)
{
	net_init();
	httpd_init();
}

#endif
