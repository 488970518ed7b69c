/* Fixed addresses and selectors shared by boot.S and C. */
#ifndef PLATFORM_PC_LAYOUT_H
#define PLATFORM_PC_LAYOUT_H

#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_KCODE32 0x18

#define AP_TRAMPOLINE_ADDR 0x8000 /* SIPI vector 0x08 */
#define BOOT_STACK_SIZE 16384

#define LAPIC_BASE 0xFEE00000u

/* Interrupt vectors */
#define VEC_IRQ_BASE 0x30   /* IOAPIC pins 0..23 -> 0x30..0x47 */
#define VEC_TIMER 0xE0
#define VEC_RESCHED 0xF0
#define VEC_STOP 0xF1
#define VEC_HALT 0xF2
#define VEC_SPURIOUS 0xFF

#endif
