/* Exit statuses written to QEMU's isa-debug-exit; QEMU exits with (status << 1) | 1, and
 * scripts/run-qemu.sh turns that into its own documented status (docs/writing-apps.md).
 * Odd and non-zero on purpose: a triple fault under -no-reboot makes QEMU exit 0. */
#ifndef KERNEL_EXIT_H
#define KERNEL_EXIT_H

#define GLASS_EXIT_OK 0x10    /* QEMU 33, run-qemu.sh 0: the app returned 0 */
#define GLASS_EXIT_FAIL 0x11  /* QEMU 35, run-qemu.sh 1: the app returned non-zero */
#define GLASS_EXIT_PANIC 0x12 /* QEMU 37, run-qemu.sh 3: kernel panic */

/* Whether the command line asked to power off when the app ends (`exit=1`). */
int kernel_exit_requested(void);

#endif
