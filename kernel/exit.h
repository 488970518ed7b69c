/* Exit statuses written to QEMU's isa-debug-exit; QEMU exits with (status << 1) | 1.
 * Odd and non-zero on purpose: a triple fault under -no-reboot makes QEMU exit 0. */
#ifndef KERNEL_EXIT_H
#define KERNEL_EXIT_H

#define GLASS_EXIT_OK 0x10    /* QEMU exit status 33 */
#define GLASS_EXIT_FAIL 0x11  /* 35: the app returned non-zero */
#define GLASS_EXIT_PANIC 0x12 /* 37 */

/* Whether the command line asked to power off when the app ends (`exit=1`). */
int kernel_exit_requested(void);

#endif
