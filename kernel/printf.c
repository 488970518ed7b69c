/* printf-style formatting for the kernel and its host tests. One core, fmt_vformat, parses
 * the format and hands characters to an emit callback; the snprintf family and kprintf
 * are thin sinks over it, so every caller gets exactly the same conversions. */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kernel/printf.h"
#ifndef GLASS_HOST
#include "platform/platform.h"
#endif

enum {
	F_MINUS = 1,	/* left-justify */
	F_ZERO = 2,	/* pad numbers with zeros */
	F_PLUS = 4,	/* always a sign on signed conversions */
	F_SPACE = 8,	/* space in place of a plus sign */
	F_ALT = 16,	/* '#': 0x prefix for %x, leading zero for %o */
};

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_PTRDIFF, LEN_MAX };

struct spec {
	unsigned flags;
	int width;
	int prec;	/* -1: none given */
	enum length len;
	char conv;
};

struct out {
	void (*emit)(char c, void *arg);
	void *arg;
	size_t count;
};

static void put(struct out *o, char c)
{
	o->emit(c, o->arg);
	o->count++;
}

static void put_n(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static void put_str(struct out *o, const char *s, size_t n)
{
	while (n--)
		put(o, *s++);
}

/* Space padding around a body of len characters, for a right- or left-justified field. */
static void pad_before(struct out *o, const struct spec *sp, int len)
{
	if (!(sp->flags & F_MINUS))
		put_n(o, ' ', sp->width - len);
}

static void pad_after(struct out *o, const struct spec *sp, int len)
{
	if (sp->flags & F_MINUS)
		put_n(o, ' ', sp->width - len);
}

static void fmt_string(struct out *o, const struct spec *sp, const char *s)
{
	int len;

	if (!s)
		s = "(null)";
	len = (int)strnlen(s, sp->prec < 0 ? (size_t)INT_MAX : (size_t)sp->prec);
	pad_before(o, sp, len);
	put_str(o, s, len);
	pad_after(o, sp, len);
}

static unsigned conv_base(char conv)
{
	if (conv == 'o')
		return 8;
	if (conv == 'x' || conv == 'X' || conv == 'p')
		return 16;
	return 10;
}

/* The sign or radix prefix of a number; returns its length. */
static int number_prefix(const struct spec *sp, unsigned long long v, bool neg, char *pre)
{
	bool is_signed = sp->conv == 'd' || sp->conv == 'i';

	if (neg)
		pre[0] = '-';
	else if (is_signed && (sp->flags & F_PLUS))
		pre[0] = '+';
	else if (is_signed && (sp->flags & F_SPACE))
		pre[0] = ' ';
	else if (sp->conv == 'p' || (v && (sp->flags & F_ALT) && conv_base(sp->conv) == 16)) {
		pre[0] = '0';
		pre[1] = sp->conv == 'X' ? 'X' : 'x';
		return 2;
	} else
		return 0;
	return 1;
}

static void fmt_number(struct out *o, const struct spec *sp, unsigned long long v, bool neg)
{
	const char *digit = sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	unsigned base = conv_base(sp->conv);
	char buf[24], pre[2];	/* 22 octal digits hold 64 bits */
	int nd = 0, npre = number_prefix(sp, v, neg, pre), zeros, len;

	for (unsigned long long x = v; x; x /= base)
		buf[nd++] = digit[x % base];
	/* Precision is the minimum digit count (default 1, so 0 prints as "0"). */
	zeros = (sp->prec < 0 ? 1 : sp->prec) - nd;
	if (zeros < 0)
		zeros = 0;
	if ((sp->flags & F_ALT) && base == 8 && !zeros)
		zeros = 1;
	len = npre + zeros + nd;
	if ((sp->flags & (F_ZERO | F_MINUS)) == F_ZERO && sp->prec < 0 && sp->width > len) {
		zeros += sp->width - len;
		len = sp->width;
	}
	pad_before(o, sp, len);
	put_str(o, pre, npre);
	put_n(o, '0', zeros);
	while (nd)
		put(o, buf[--nd]);
	pad_after(o, sp, len);
}

static long long fetch_signed(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_CHAR:		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:		return (short)va_arg(*ap, int);
	case LEN_LONG:		return va_arg(*ap, long);
	case LEN_LLONG:		return va_arg(*ap, long long);
	case LEN_SIZE:		return va_arg(*ap, long);	/* ssize_t */
	case LEN_PTRDIFF:	return va_arg(*ap, ptrdiff_t);
	case LEN_MAX:		return va_arg(*ap, intmax_t);
	default:		return va_arg(*ap, int);
	}
}

static unsigned long long fetch_unsigned(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_CHAR:		return (unsigned char)va_arg(*ap, unsigned);
	case LEN_SHORT:		return (unsigned short)va_arg(*ap, unsigned);
	case LEN_LONG:		return va_arg(*ap, unsigned long);
	case LEN_LLONG:		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:		return va_arg(*ap, size_t);
	case LEN_PTRDIFF:	return (unsigned long)va_arg(*ap, ptrdiff_t);
	case LEN_MAX:		return va_arg(*ap, uintmax_t);
	default:		return va_arg(*ap, unsigned);
	}
}

static void fmt_char(struct out *o, const struct spec *sp, char c)
{
	pad_before(o, sp, 1);
	put(o, c);
	pad_after(o, sp, 1);
}

static void fmt_pointer(struct out *o, struct spec *sp, void *p)
{
	if (!p) {
		sp->prec = -1;
		fmt_string(o, sp, "(nil)");
		return;
	}
	fmt_number(o, sp, (uintptr_t)p, false);
}

/* Formats one conversion whose spec has been parsed. */
static void fmt_conv(struct out *o, struct spec *sp, va_list *ap)
{
	long long sv;

	switch (sp->conv) {
	case 'd':
	case 'i':
		sv = fetch_signed(sp->len, ap);
		fmt_number(o, sp, sv < 0 ? 0ULL - (unsigned long long)sv : (unsigned long long)sv,
			   sv < 0);
		break;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		fmt_number(o, sp, fetch_unsigned(sp->len, ap), false);
		break;
	case 'c':
		fmt_char(o, sp, (char)va_arg(*ap, int));
		break;
	case 's':
		fmt_string(o, sp, va_arg(*ap, const char *));
		break;
	case 'p':
		fmt_pointer(o, sp, va_arg(*ap, void *));
		break;
	default:
		put(o, '%');
		put(o, sp->conv);
	}
}

static unsigned parse_flags(const char **fmt)
{
	unsigned flags = 0;

	for (;; (*fmt)++) {
		switch (**fmt) {
		case '-': flags |= F_MINUS; break;
		case '0': flags |= F_ZERO; break;
		case '+': flags |= F_PLUS; break;
		case ' ': flags |= F_SPACE; break;
		case '#': flags |= F_ALT; break;
		default: return flags;
		}
	}
}

/* A decimal field or `*` (taken from the arguments) into *v; false if neither is there. */
static bool parse_field(const char **fmt, va_list *ap, int *v)
{
	if (**fmt == '*') {
		(*fmt)++;
		*v = va_arg(*ap, int);
		return true;
	}
	if (**fmt < '0' || **fmt > '9')
		return false;
	for (*v = 0; **fmt >= '0' && **fmt <= '9'; (*fmt)++)
		if (*v < INT_MAX / 10)
			*v = *v * 10 + (**fmt - '0');
	return true;
}

static enum length parse_length(const char **fmt)
{
	const char *f = *fmt;
	enum length len = LEN_INT;

	switch (*f++) {
	case 'h': len = *f == 'h' ? (f++, LEN_CHAR) : LEN_SHORT; break;
	case 'l': len = *f == 'l' ? (f++, LEN_LLONG) : LEN_LONG; break;
	case 'z': len = LEN_SIZE; break;
	case 't': len = LEN_PTRDIFF; break;
	case 'j': len = LEN_MAX; break;
	default: return LEN_INT;
	}
	*fmt = f;
	return len;
}

/* Parses the spec after a '%'; leaves *fmt on the conversion character. */
static void parse_spec(const char **fmt, struct spec *sp, va_list *ap)
{
	sp->flags = parse_flags(fmt);
	if (!parse_field(fmt, ap, &sp->width))
		sp->width = 0;
	if (sp->width < 0) {
		/* A negative `*` width means left-justify. */
		sp->flags |= F_MINUS;
		sp->width = sp->width == INT_MIN ? INT_MAX : -sp->width;
	}
	sp->prec = -1;
	if (**fmt == '.') {
		(*fmt)++;
		/* "%.d" means precision zero; a negative `*` precision means none. */
		if (!parse_field(fmt, ap, &sp->prec))
			sp->prec = 0;
		else if (sp->prec < 0)
			sp->prec = -1;
	}
	sp->len = parse_length(fmt);
	sp->conv = **fmt;
}

int fmt_vformat(void (*emit)(char c, void *arg), void *arg, const char *fmt, va_list ap)
{
	struct out o = { .emit = emit, .arg = arg, .count = 0 };
	struct spec sp;
	va_list args;

	/* A va_list parameter is an array type on x86-64; copy it to pass it by pointer. */
	va_copy(args, ap);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		parse_spec(&fmt, &sp, &args);
		if (!sp.conv)
			break;	/* a lone '%' at the end */
		if (sp.conv == '%')
			put(&o, '%');
		else
			fmt_conv(&o, &sp, &args);
	}
	va_end(args);
	return o.count > INT_MAX ? INT_MAX : (int)o.count;
}

struct sbuf {
	char *buf;
	size_t size;
	size_t pos;
};

static void sbuf_emit(char c, void *arg)
{
	struct sbuf *b = arg;

	if (b->pos + 1 < b->size)
		b->buf[b->pos] = c;
	b->pos++;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sbuf b = { .buf = buf, .size = size, .pos = 0 };
	int n = fmt_vformat(sbuf_emit, &b, fmt, ap);

	if (size)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

#ifndef GLASS_HOST
/* kprintf collects output on the stack and writes it in chunks, so a typical message goes
 * to the console in one plat_console_write call and does not interleave with other CPUs. */
struct chunk {
	char buf[256];
	size_t n;
};

static void chunk_emit(char c, void *arg)
{
	struct chunk *ch = arg;

	ch->buf[ch->n++] = c;
	if (ch->n == sizeof(ch->buf)) {
		plat_console_write(ch->buf, ch->n);
		ch->n = 0;
	}
}

int kvprintf(const char *fmt, va_list ap)
{
	struct chunk ch;
	int n;

	ch.n = 0;
	n = fmt_vformat(chunk_emit, &ch, fmt, ap);
	if (ch.n)
		plat_console_write(ch.buf, ch.n);
	return n;
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}
#endif
