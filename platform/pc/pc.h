/* Internal interfaces between the files of platform/pc. */
#ifndef PLATFORM_PC_PC_H
#define PLATFORM_PC_PC_H

#include <stdint.h>
#include <stddef.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/* serial.c */
void serial_init(void);
void serial_panic_mode(void);

/* pvh.c: the boot information QEMU's PVH loader passed */
void pvh_parse(uint32_t start_info_paddr);
uint64_t pvh_rsdp(void);

/* idt.c */
void idt_init(void);
void idt_load(void);
/* Routes vector to fn(frame, arg); name is the vector's name in irq_handler_entry trace
 * events ("timer", "virtio-net", "ipi-resched"). */
void trap_set_handler(unsigned vector, void (*fn)(struct trap_frame *f, void *arg), void *arg,
		      const char *name);

/* tsc.c */
void tsc_calibrate(void);

/* acpi.c: CPUs and IOAPICs from the MADT */
struct acpi_info {
	unsigned ncpus;
	uint8_t apic_ids[32];
	uint32_t ioapic_addr;
	uint32_t ioapic_gsi_base;
	/* ISA IRQ -> GSI overrides (identity unless overridden) and their polarity/trigger */
	uint32_t isa_gsi[16];
	uint16_t isa_flags[16];
};
void acpi_init(struct acpi_info *out);

/* lapic.c */
void lapic_init(void);
void lapic_eoi(void);
uint32_t lapic_id(void);
void lapic_send_ipi(uint32_t apic_id, uint32_t icr_low);
void lapic_timer_calibrate(void);
void lapic_timer_start(void);

/* ioapic.c */
void ioapic_init(const struct acpi_info *acpi);

/* smp.c */
void smp_start_aps(const struct acpi_info *acpi);
void smp_init_stop_vector(void);
uint32_t smp_apic_id_of(unsigned cpu);

/* Entry points into the kernel proper (kernel/main.c) and its per-CPU blocks. */
void kernel_main(void);
void kernel_ap_main(void);
struct plat_cpu_local *kernel_cpu_local(unsigned cpu);

#endif
