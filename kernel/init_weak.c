/* Defaults for optional subsystems (see init.h). */
#include "kernel/init.h"

__attribute__((weak)) void net_init(void) {}
__attribute__((weak)) void httpd_init(void) {}
__attribute__((weak)) void trace_console_dump(void) {}
__attribute__((weak)) void trace_apply_boot_params(void) {}
