/* IDT setup and trap dispatch: exceptions print registers and a symbolized backtrace and
 * panic; other vectors go to registered handlers. */
#include "platform/platform.h"
#include "platform/pc/pc.h"
#include "platform/pc/layout.h"
#include "platform/pc/cpu.h"
#include "kernel/compiler.h"
#include "kernel/panic.h"
#include "kernel/printf.h"
#include "trace/events.h"

struct idt_entry {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, zero;
} __attribute__((packed));

static struct idt_entry idt[256] __attribute__((aligned(16)));
extern const uint64_t isr_table[256];

struct trap_handler {
	void (*fn)(struct trap_frame *f, void *arg);
	void *arg;
	const char *name;
};
static struct trap_handler handlers[256];

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
	"invalid opcode", "device not available", "double fault", "coprocessor overrun",
	"invalid TSS", "segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 FP", "alignment check", "machine check", "SIMD FP",
	"virtualization", "control protection",
};

void idt_init(void)
{
	for (unsigned v = 0; v < 256; v++) {
		uint64_t a = isr_table[v];
		idt[v] = (struct idt_entry){
			.off_lo = (uint16_t)a, .sel = GDT_KCODE, .ist = 0, .type = 0x8E,
			.off_mid = (uint16_t)(a >> 16), .off_hi = (uint32_t)(a >> 32),
		};
	}
	idt_load();
}

void idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" ::"m"(idtr));
}

void trap_set_handler(unsigned vector, void (*fn)(struct trap_frame *f, void *arg), void *arg,
		      const char *name)
{
	handlers[vector].arg = arg;
	handlers[vector].name = name;
	__atomic_store_n(&handlers[vector].fn, fn, __ATOMIC_RELEASE);
}

static void exception(struct trap_frame *f)
{
	const char *name = f->vector < 32 && exception_names[f->vector] ?
		exception_names[f->vector] : "exception";

	panic_prepare();
	kprintf("\n*** CPU %u: %s (vector %lu, error %#lx)\n", plat_cpu_id(), name, f->vector,
		f->error);
	kprintf("RIP %016lx  RSP %016lx  RFLAGS %08lx  CR2 %016lx\n", f->rip, f->rsp, f->rflags,
		read_cr2());
	kprintf("RAX %016lx  RBX %016lx  RCX %016lx  RDX %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
	kprintf("RSI %016lx  RDI %016lx  RBP %016lx  R8  %016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
	kprintf("R9  %016lx  R10 %016lx  R11 %016lx  R12 %016lx\n", f->r9, f->r10, f->r11, f->r12);
	kprintf("R13 %016lx  R14 %016lx  R15 %016lx\n", f->r13, f->r14, f->r15);
	panic_at(f->rip, f->rbp, f->rsp, "%s", name);
}

/* irq_handler_entry and irq_handler_exit (off the common path: callers check first). */
notrace __attribute__((noinline)) static void irq_event_entry(uint8_t vector, const char *name)
{
	struct ev_irq_entry e = { .vector = vector };

	trace_event_write_str(EV_IRQ_ENTRY, &e, sizeof(e), name ? name : "irq");
}

notrace __attribute__((noinline)) static void irq_event_exit(uint8_t vector)
{
	struct ev_irq_exit e = { .vector = vector, .handled = 1 };

	trace_event_write(EV_IRQ_EXIT, &e, sizeof(e));
}

void trap_dispatch(struct trap_frame *f)
{
	struct trap_handler *h = &handlers[f->vector];
	void (*fn)(struct trap_frame *, void *) = __atomic_load_n(&h->fn, __ATOMIC_ACQUIRE);

	if (fn) {
		/* The record's tid is the interrupted thread's: its interrupt time. A timer
		 * tick may switch threads inside fn: the exit is then recorded when the
		 * interrupted thread runs again (docs/events.md). */
		if (trace_event_on(EV_IRQ_ENTRY))
			irq_event_entry((uint8_t)f->vector, h->name);
		fn(f, h->arg);
		if (trace_event_on(EV_IRQ_EXIT))
			irq_event_exit((uint8_t)f->vector);
		if (f->vector >= 32)
			kernel_irq_exit();
		return;
	}
	if (f->vector < 32) {
		exception(f);
		return;
	}
	kprintf("CPU %u: unexpected interrupt vector %lu\n", plat_cpu_id(), f->vector);
	if (f->vector >= 0x20)
		lapic_eoi();
}
