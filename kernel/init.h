/* Subsystems that start after SMP and before the app (network, HTTP server). Each is a
 * weak no-op unless linked in, so the kernel needs no #ifdef for them. */
#ifndef KERNEL_INIT_H
#define KERNEL_INIT_H

void net_init(void);   /* net/: NIC, TCP/IP */
void httpd_init(void); /* httpd/: the /ftrace server */
void trace_console_dump(void); /* TRACE=ftrace: print the trace file to the console */
void trace_apply_boot_params(void); /* TRACE=ftrace: ftrace_filter= etc. from the cmdline */

static inline void kernel_late_init(void)
{
	net_init();
	httpd_init();
}

#endif
