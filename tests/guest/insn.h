/* Helpers for guest CPU tests: run one instruction from an asm template with
 * known XER input, and capture its result, XER and CR; ISA bit names. */
#ifndef GUEST_INSN_H
#define GUEST_INSN_H

#include "runtime/guest.h"

/* Bits of a 64-bit register in the ISA's big-endian numbering (bit 0 = MSB). */
#define PPC_BIT(n) (1ULL << (63 - (n)))

/* XER: summary overflow, overflow, carry, and ISA 3.0's 32-bit OV32/CA32. */
#define XER_SO PPC_BIT(32)
#define XER_OV PPC_BIT(33)
#define XER_CA PPC_BIT(34)
#define XER_OV32 PPC_BIT(44)
#define XER_CA32 PPC_BIT(45)
#define XER_FLAGS (XER_SO | XER_OV | XER_CA | XER_OV32 | XER_CA32)

/* One 4-bit CR field: less than, greater than, equal, summary overflow. */
#define CR_LT 8
#define CR_GT 4
#define CR_EQ 2
#define CR_SO 1
/* Field n (0..7) of a whole CR as read by mfcr. */
#define CR_FIELD(cr, n) (((cr) >> (28 - 4 * (n))) & 0xf)

struct insn_out {
    uint64_t rt;
    uint64_t xer;
    uint32_t cr;
};

/*
 * Run @tmpl with XER = @xin; the template names its target %[t] and its sources
 * %[a] (never r0, so "addi %[t], %[a], 1" adds) and %[b]. Returns RT, the XER
 * flags and CR0 after it.
 */
#define INSN(tmpl, va, vb, xin)                                                                    \
    ({                                                                                             \
        struct insn_out o_;                                                                        \
        uint64_t x_ = (xin), cr_;                                                                  \
        asm volatile("mtxer %[x]\n\t" tmpl "\n\tmfcr %[c]\n\tmfxer %[x]"                           \
                     : [t] "=&r"(o_.rt), [x] "+&r"(x_), [c] "=&r"(cr_)                             \
                     : [a] "b"((uint64_t)(va)), [b] "r"((uint64_t)(vb))                            \
                     : "cr0", "xer");                                                              \
        o_.xer = x_ & XER_FLAGS;                                                                   \
        o_.cr = CR_FIELD(cr_, 0);                                                                  \
        o_;                                                                                        \
    })

/* Just RT of a template as above, with XER cleared first. */
#define RT(tmpl, va, vb) (INSN(tmpl, va, vb, 0).rt)

#endif
