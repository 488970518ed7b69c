/* 16550 UART on COM1, polled. The console lock keeps lines from different CPUs whole. */
#include "platform/platform.h"
#include "platform/pc/pc.h"
#include "kernel/lock.h"

#define COM1 0x3f8
#define LSR_THR_EMPTY 0x20

static struct spinlock console_lock = SPINLOCK_INIT;
static bool panic_mode; /* after a panic: write without the lock a halted CPU may hold */

void serial_init(void)
{
	plat_outb(COM1 + 1, 0x00); /* no interrupts */
	plat_outb(COM1 + 3, 0x80); /* DLAB */
	plat_outb(COM1 + 0, 0x01); /* 115200 baud */
	plat_outb(COM1 + 1, 0x00);
	plat_outb(COM1 + 3, 0x03); /* 8N1 */
	plat_outb(COM1 + 2, 0xC7); /* FIFO on, cleared */
	plat_outb(COM1 + 4, 0x03); /* DTR, RTS */
}

static void serial_putc(char c)
{
	while (!(plat_inb(COM1 + 5) & LSR_THR_EMPTY))
		plat_cpu_relax();
	plat_outb(COM1, (uint8_t)c);
}

static void serial_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

void plat_console_write(const char *s, size_t n)
{
	if (__atomic_load_n(&panic_mode, __ATOMIC_RELAXED)) {
		serial_write(s, n);
		return;
	}
	uint64_t flags = spin_lock_irqsave(&console_lock);
	serial_write(s, n);
	spin_unlock_irqrestore(&console_lock, flags);
}

void serial_panic_mode(void)
{
	__atomic_store_n(&panic_mode, true, __ATOMIC_RELAXED);
}
