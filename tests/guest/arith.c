/* Fixed-point arithmetic: add/subtract with carry and overflow (XER CA/OV and the
 * ISA 3.0 CA32/OV32), multiply, divide, modulo and compares. Expected values are
 * worked out by hand from Power ISA 3.0B; results it calls undefined are not checked. */
#include "insn.h"

#define MIN64 0x8000000000000000ULL
#define MAX64 0x7fffffffffffffffULL
#define ALL64 0xffffffffffffffffULL
#define LOW32(x) ((x)&0xffffffffULL)

/* RT and XER of one instruction (CR0 is left to CHECK_REC, for record forms). */
#define CHECK_XO(o, want_rt, want_xer)                                                             \
    do {                                                                                           \
        struct insn_out p_ = (o);                                                                  \
        CHECK_EQ(p_.rt, want_rt);                                                                  \
        CHECK_EQ(p_.xer, want_xer);                                                                \
    } while (0)
#define CHECK_REC(o, want_rt, want_xer, want_cr0)                                                  \
    do {                                                                                           \
        struct insn_out p_ = (o);                                                                  \
        CHECK_EQ(p_.rt, want_rt);                                                                  \
        CHECK_EQ(p_.xer, want_xer);                                                                \
        CHECK_EQ(p_.cr, want_cr0);                                                                 \
    } while (0)

static void test_add(void)
{
    CHECK_XO(INSN("add %[t],%[a],%[b]", 5, 7, 0), 12, 0);
    /* Carry out of bit 0 sets CA; carry out of bit 32 sets CA32. */
    CHECK_XO(INSN("addc %[t],%[a],%[b]", ALL64, 1, 0), 0, XER_CA | XER_CA32);
    CHECK_XO(INSN("addc %[t],%[a],%[b]", 0xffffffff, 1, 0), 0x100000000ULL, XER_CA32);
    CHECK_XO(INSN("addc %[t],%[a],%[b]", 2, 3, XER_CA), 5, 0);
    CHECK_XO(INSN("adde %[t],%[a],%[b]", 1, 2, XER_CA), 4, 0);
    CHECK_XO(INSN("adde %[t],%[a],%[b]", ALL64, 0, XER_CA), 0, XER_CA | XER_CA32);
    /* Signed overflow: OV (and SO, which sticks) for 64 bits, OV32 for the low word. */
    CHECK_XO(INSN("addo %[t],%[a],%[b]", MAX64, 1, 0), MIN64, XER_SO | XER_OV);
    CHECK_REC(INSN("addo. %[t],%[a],%[b]", MAX64, 1, 0), MIN64, XER_SO | XER_OV, CR_LT | CR_SO);
    CHECK_XO(INSN("addo %[t],%[a],%[b]", 0x7fffffff, 1, 0), 0x80000000ULL, XER_OV32);
    CHECK_XO(INSN("addo %[t],%[a],%[b]", 1, 1, XER_SO | XER_OV), 2, XER_SO);
    CHECK_REC(INSN("add. %[t],%[a],%[b]", 5, -5, 0), 0, 0, CR_EQ);
    CHECK_REC(INSN("add. %[t],%[a],%[b]", 1, 1, XER_SO), 2, XER_SO, CR_GT | CR_SO);
    CHECK_REC(INSN("add. %[t],%[a],%[b]", 0x7fffffff, 1, 0), 0x80000000ULL, 0, CR_GT);
    CHECK_XO(INSN("addi %[t],%[a],-32768", 0x10000, 0, 0), 0x8000, 0);
    CHECK_XO(INSN("addis %[t],%[a],-1", 0, 0, 0), 0xffffffffffff0000ULL, 0);
    CHECK_XO(INSN("addic %[t],%[a],-1", 0, 0, 0), ALL64, 0);
    CHECK_XO(INSN("addic %[t],%[a],-1", 1, 0, 0), 0, XER_CA | XER_CA32);
    CHECK_REC(INSN("addic. %[t],%[a],1", ALL64, 0, 0), 0, XER_CA | XER_CA32, CR_EQ);
    CHECK_XO(INSN("addze %[t],%[a]", 5, 0, XER_CA), 6, 0);
    CHECK_XO(INSN("addme %[t],%[a]", 5, 0, 0), 4, XER_CA | XER_CA32);
    CHECK_XO(INSN("addme %[t],%[a]", 0, 0, 0), ALL64, 0);
    CHECK_XO(INSN("addme %[t],%[a]", 0, 0, XER_CA), 0, XER_CA | XER_CA32);
}

static void test_subtract(void)
{
    /* subf RT,RA,RB computes RB - RA as ~RA + RB + 1. */
    CHECK_XO(INSN("subf %[t],%[a],%[b]", 3, 10, 0), 7, 0);
    CHECK_XO(INSN("subfc %[t],%[a],%[b]", 5, 3, 0), (uint64_t)-2, 0);
    CHECK_XO(INSN("subfc %[t],%[a],%[b]", 3, 5, 0), 2, XER_CA | XER_CA32);
    CHECK_XO(INSN("subfc %[t],%[a],%[b]", 0, 0, 0), 0, XER_CA | XER_CA32);
    CHECK_XO(INSN("subfe %[t],%[a],%[b]", 1, 5, 0), 3, XER_CA | XER_CA32);
    CHECK_XO(INSN("subfe %[t],%[a],%[b]", 1, 5, XER_CA), 4, XER_CA | XER_CA32);
    CHECK_XO(INSN("subfe %[t],%[a],%[b]", 5, 1, XER_CA), (uint64_t)-4, 0);
    CHECK_XO(INSN("subfo %[t],%[a],%[b]", 1, MIN64, 0), MAX64, XER_SO | XER_OV);
    CHECK_XO(INSN("subfo %[t],%[a],%[b]", 1, 0x80000000ULL, 0), 0x7fffffff, XER_OV32);
    CHECK_XO(INSN("subfic %[t],%[a],10", 3, 0, 0), 7, XER_CA | XER_CA32);
    CHECK_XO(INSN("subfic %[t],%[a],10", 11, 0, 0), ALL64, 0);
    CHECK_XO(INSN("subfze %[t],%[a]", 0, 0, XER_CA), 0, XER_CA | XER_CA32);
    CHECK_XO(INSN("subfze %[t],%[a]", 0, 0, 0), ALL64, 0);
    CHECK_XO(INSN("subfme %[t],%[a]", 0, 0, XER_CA), ALL64, XER_CA | XER_CA32);
    CHECK_XO(INSN("neg %[t],%[a]", 5, 0, 0), (uint64_t)-5, 0);
    CHECK_XO(INSN("nego %[t],%[a]", MIN64, 0, 0), MIN64, XER_SO | XER_OV);
    CHECK_REC(INSN("neg. %[t],%[a]", 0, 0, 0), 0, 0, CR_EQ);
    CHECK_REC(INSN("neg. %[t],%[a]", 1, 0, 0), ALL64, 0, CR_LT);
}

static void test_multiply(void)
{
    /* mullw: the full 64-bit product of the sign-extended low words. */
    CHECK_XO(INSN("mullw %[t],%[a],%[b]", 0xffffffff, 2, 0), (uint64_t)-2, 0);
    CHECK_XO(INSN("mullw %[t],%[a],%[b]", 0x10000, 0x10000, 0), 0x100000000ULL, 0);
    CHECK_XO(INSN("mullw %[t],%[a],%[b]", 0x1234567800000003ULL, 0xffffffff00000005ULL, 0), 15, 0);
    CHECK_XO(INSN("mullwo %[t],%[a],%[b]", 0x10000, 0x10000, 0), 0x100000000ULL,
             XER_SO | XER_OV | XER_OV32);
    CHECK_XO(INSN("mullwo %[t],%[a],%[b]", 0x7fff, 0x10000, 0), 0x7fff0000, 0);
    CHECK_XO(INSN("mulld %[t],%[a],%[b]", 0x100000000ULL, 0x100000000ULL, 0), 0, 0);
    CHECK_XO(INSN("mulld %[t],%[a],%[b]", -3, 7, 0), (uint64_t)-21, 0);
    CHECK_EQ(INSN("mulldo %[t],%[a],%[b]", 0x100000000ULL, 0x100000000ULL, 0).xer &
                 (XER_SO | XER_OV),
             XER_SO | XER_OV);
    CHECK_EQ(INSN("mulldo %[t],%[a],%[b]", MAX64, 1, 0).xer & (XER_SO | XER_OV), 0);
    CHECK_REC(INSN("mulld. %[t],%[a],%[b]", -1, 1, 0), ALL64, 0, CR_LT);
    CHECK_XO(INSN("mulli %[t],%[a],-3", 7, 0, 0), (uint64_t)-21, 0);
    /* mulhw/mulhwu define only the low word of RT. */
    CHECK_EQ(LOW32(RT("mulhw %[t],%[a],%[b]", 0x80000000ULL, 2)), 0xffffffff);
    CHECK_EQ(LOW32(RT("mulhw %[t],%[a],%[b]", 0x40000000ULL, 8)), 2);
    CHECK_EQ(LOW32(RT("mulhwu %[t],%[a],%[b]", 0xffffffff, 0xffffffff)), 0xfffffffe);
    CHECK_EQ(RT("mulhd %[t],%[a],%[b]", -1, 1), ALL64);
    CHECK_EQ(RT("mulhd %[t],%[a],%[b]", 0x4000000000000000ULL, 4), 1);
    CHECK_EQ(RT("mulhd %[t],%[a],%[b]", MIN64, 2), ALL64);
    CHECK_EQ(RT("mulhdu %[t],%[a],%[b]", ALL64, ALL64), 0xfffffffffffffffeULL);
    CHECK_EQ(RT("mulhdu %[t],%[a],%[b]", MIN64, 2), 1);
}

static void test_divide(void)
{
    /* Quotients truncate toward zero; the word forms define only RT's low word. */
    CHECK_EQ(LOW32(RT("divw %[t],%[a],%[b]", -7, 2)), 0xfffffffd);
    CHECK_EQ(LOW32(RT("divw %[t],%[a],%[b]", 0x1200000007ULL, -2)), 0xfffffffd);
    CHECK_EQ(LOW32(RT("divwu %[t],%[a],%[b]", 0xffffffff, 2)), 0x7fffffff);
    CHECK_EQ(LOW32(INSN("divwo %[t],%[a],%[b]", 6, 3, 0).rt), 2);
    CHECK_EQ(INSN("divwo %[t],%[a],%[b]", 6, 3, 0).xer, 0);
    /* Overflow (INT_MIN / -1, or / 0): quotient undefined, OV set. */
    CHECK_EQ(INSN("divwo %[t],%[a],%[b]", 0x80000000ULL, -1, 0).xer & (XER_SO | XER_OV),
             XER_SO | XER_OV);
    CHECK_EQ(INSN("divwo %[t],%[a],%[b]", 5, 0, 0).xer & (XER_SO | XER_OV), XER_SO | XER_OV);
    CHECK_EQ(INSN("divwuo %[t],%[a],%[b]", 5, 0, 0).xer & (XER_SO | XER_OV), XER_SO | XER_OV);
    CHECK_EQ(RT("divd %[t],%[a],%[b]", -7, 2), (uint64_t)-3);
    CHECK_EQ(RT("divd %[t],%[a],%[b]", 7, -2), (uint64_t)-3);
    CHECK_EQ(RT("divd %[t],%[a],%[b]", MIN64, 2), 0xc000000000000000ULL);
    CHECK_EQ(RT("divdu %[t],%[a],%[b]", ALL64, 2), MAX64);
    CHECK_EQ(RT("divdu %[t],%[a],%[b]", 100, 7), 14);
    CHECK_EQ(INSN("divdo %[t],%[a],%[b]", MIN64, -1, 0).xer & (XER_SO | XER_OV), XER_SO | XER_OV);
    CHECK_EQ(INSN("divduo %[t],%[a],%[b]", 1, 0, 0).xer & (XER_SO | XER_OV), XER_SO | XER_OV);
    CHECK_XO(INSN("divduo %[t],%[a],%[b]", 9, 3, 0), 3, 0);
}

static void test_modulo(void)
{
    /* The remainder takes the sign of the dividend; word forms define the low word. */
    CHECK_EQ(LOW32(RT("modsw %[t],%[a],%[b]", -7, 2)), 0xffffffff);
    CHECK_EQ(LOW32(RT("modsw %[t],%[a],%[b]", 7, -2)), 1);
    CHECK_EQ(LOW32(RT("moduw %[t],%[a],%[b]", 0xffffffff00000007ULL, 3)), 1);
    CHECK_EQ(LOW32(RT("moduw %[t],%[a],%[b]", 0xffffffff, 10)), 5);
    CHECK_EQ(RT("modsd %[t],%[a],%[b]", -17, 5), (uint64_t)-2);
    CHECK_EQ(RT("modsd %[t],%[a],%[b]", 17, -5), 2);
    CHECK_EQ(RT("modud %[t],%[a],%[b]", 17, 5), 2);
    CHECK_EQ(RT("modud %[t],%[a],%[b]", ALL64, 10), 5);
}

static void test_compare(void)
{
    /* Compares set LT/GT/EQ in the CR field and copy XER[SO]. */
    CHECK_EQ(INSN("cmpd 0,%[a],%[b]", 1, 2, 0).cr, CR_LT);
    CHECK_EQ(INSN("cmpd 0,%[a],%[b]", -1, 1, 0).cr, CR_LT);
    CHECK_EQ(INSN("cmpld 0,%[a],%[b]", -1, 1, 0).cr, CR_GT);
    CHECK_EQ(INSN("cmpd 0,%[a],%[b]", 0x100000000ULL, 0, 0).cr, CR_GT);
    CHECK_EQ(INSN("cmpw 0,%[a],%[b]", 0x100000000ULL, 0, 0).cr, CR_EQ);
    CHECK_EQ(INSN("cmpw 0,%[a],%[b]", 0xffffffff, 1, 0).cr, CR_LT);
    CHECK_EQ(INSN("cmplw 0,%[a],%[b]", 0xffffffff, 1, 0).cr, CR_GT);
    CHECK_EQ(INSN("cmpdi 0,%[a],-1", -1, 0, 0).cr, CR_EQ);
    CHECK_EQ(INSN("cmpwi 0,%[a],-1", 0xffffffff, 0, 0).cr, CR_EQ);
    CHECK_EQ(INSN("cmpldi 0,%[a],3", 5, 0, 0).cr, CR_GT);
    CHECK_EQ(INSN("cmplwi 0,%[a],0xffff", 0x1ffffffffULL, 0, 0).cr, CR_GT);
    CHECK_EQ(INSN("cmpd 0,%[a],%[b]", 1, 1, XER_SO).cr, CR_EQ | CR_SO);
}

int main(void *fdt)
{
    test_add();
    test_subtract();
    test_multiply();
    test_divide();
    test_modulo();
    test_compare();
    return 0;
}
