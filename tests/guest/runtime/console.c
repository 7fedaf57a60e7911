/* Guest console output: bytes are batched and sent to the spapr-vty with
 * H_PUT_TERM_CHAR, up to 16 per hypercall; a small printf on top. */
#include "guest.h"

/* H_PUT_TERM_CHAR takes at most 16 bytes, packed big-endian in r6 and r7. */
#define VTY_BATCH 16

static char pending[VTY_BATCH];
static unsigned npending;

static uint64_t pack_be64(const char *b, unsigned n)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < 8; i++) {
        v = (v << 8) | (i < n ? (uint8_t)b[i] : 0);
    }
    return v;
}

void guest_flush(void)
{
    uint64_t regs[9] = { 0 };

    if (npending == 0) {
        return;
    }
    regs[0] = GUEST_VTY_UNIT;
    regs[1] = npending;
    regs[2] = pack_be64(pending, npending);
    regs[3] = npending > 8 ? pack_be64(pending + 8, npending - 8) : 0;
    /* Nothing sensible to do on an error: the console is our only output. */
    guest_hcall(H_PUT_TERM_CHAR, regs);
    npending = 0;
}

/* H_GET_TERM_CHAR hands over up to 16 bytes: the rest wait here. */
static uint8_t typed[VTY_BATCH];
static unsigned ntyped, typed_next;

int guest_getc(void)
{
    if (typed_next == ntyped) {
        uint64_t regs[9] = { GUEST_VTY_UNIT };

        if (guest_hcall(H_GET_TERM_CHAR, regs) != H_SUCCESS || regs[0] == 0) {
            return -1;
        }
        ntyped = regs[0] > VTY_BATCH ? VTY_BATCH : (unsigned)regs[0];
        typed_next = 0;
        for (unsigned i = 0; i < ntyped; i++) {
            typed[i] = (uint8_t)(regs[1 + i / 8] >> (56 - 8 * (i % 8)));
        }
    }
    return typed[typed_next++];
}

bool guest_typed(char c)
{
    int got;

    while ((got = guest_getc()) >= 0) {
        if (got == (uint8_t)c) {
            return true;
        }
    }
    return false;
}

void guest_putc(char c)
{
    pending[npending++] = c;
    if (npending == VTY_BATCH || c == '\n') {
        guest_flush();
    }
}

void guest_puts(const char *s)
{
    while (*s) {
        guest_putc(*s++);
    }
}

struct spec {
    bool left;
    char pad;
    int width;
};

static void emit_padded(const struct spec *sp, const char *s, int len)
{
    int fill = sp->width > len ? sp->width - len : 0;

    if (!sp->left) {
        /* Zero padding goes after a sign. */
        if (sp->pad == '0' && len > 0 && s[0] == '-') {
            guest_putc(*s++);
            len--;
        }
        while (fill--) {
            guest_putc(sp->pad);
        }
    }
    for (int i = 0; i < len; i++) {
        guest_putc(s[i]);
    }
    while (sp->left && fill-- > 0) {
        guest_putc(' ');
    }
}

static void emit_number(const struct spec *sp, uint64_t v, unsigned base, bool neg, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    int i = sizeof(buf);

    do {
        buf[--i] = digits[v % base];
        v /= base;
    } while (v);
    if (neg) {
        buf[--i] = '-';
    }
    emit_padded(sp, buf + i, (int)sizeof(buf) - i);
}

/* Fetch an integer argument of the size given by the length modifier count. */
static uint64_t arg_unsigned(va_list *ap, int longs)
{
    return longs ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int);
}

static int64_t arg_signed(va_list *ap, int longs)
{
    return longs ? va_arg(*ap, long) : va_arg(*ap, int);
}

/* One conversion starting after '%'; returns the rest of the format. */
static const char *convert(const char *f, va_list *ap)
{
    struct spec sp = { false, ' ', 0 };
    int longs = 0;
    const char *s;
    int64_t sv;
    char c;

    for (; *f == '-' || *f == '0'; f++) {
        if (*f == '-') {
            sp.left = true;
        } else {
            sp.pad = '0';
        }
    }
    for (; *f >= '0' && *f <= '9'; f++) {
        sp.width = sp.width * 10 + (*f - '0');
    }
    for (; *f == 'l' || *f == 'z'; f++) {
        longs++;
    }
    switch (*f) {
    case 'd':
    case 'i':
        sv = arg_signed(ap, longs);
        emit_number(&sp, sv < 0 ? -(uint64_t)sv : (uint64_t)sv, 10, sv < 0, false);
        break;
    case 'u':
        emit_number(&sp, arg_unsigned(ap, longs), 10, false, false);
        break;
    case 'x':
    case 'X':
        emit_number(&sp, arg_unsigned(ap, longs), 16, false, *f == 'X');
        break;
    case 'p':
        guest_puts("0x");
        emit_number(&sp, (uintptr_t)va_arg(*ap, void *), 16, false, false);
        break;
    case 's':
        s = va_arg(*ap, const char *);
        s = s ? s : "(null)";
        emit_padded(&sp, s, (int)strlen(s));
        break;
    case 'c':
        c = (char)va_arg(*ap, int);
        emit_padded(&sp, &c, 1);
        break;
    case '%':
        guest_putc('%');
        break;
    default:
        /* Unknown conversion: show it rather than guess at its argument. */
        guest_putc('%');
        if (!*f) {
            return f;
        }
        guest_putc(*f);
        break;
    }
    return f + 1;
}

void guest_vprintf(const char *fmt, va_list ap)
{
    va_list aq;

    va_copy(aq, ap);
    while (*fmt) {
        if (*fmt == '%') {
            fmt = convert(fmt + 1, &aq);
        } else {
            guest_putc(*fmt++);
        }
    }
    va_end(aq);
}

void guest_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    guest_vprintf(fmt, ap);
    va_end(ap);
}
