/* Logical, sign-extension, count, rotate and shift instructions, with the carry that
 * algebraic shifts produce. Expected values worked out by hand from Power ISA 3.0B. */
#include "insn.h"

#define MIN64 0x8000000000000000ULL
#define ALL64 0xffffffffffffffffULL
#define A 0xf0f0f0f0f0f0f0f0ULL
#define B 0xff00ff00ff00ff00ULL

static void test_logical(void)
{
    CHECK_EQ(RT("and %[t],%[a],%[b]", A, B), 0xf000f000f000f000ULL);
    CHECK_EQ(RT("or %[t],%[a],%[b]", A, B), 0xfff0fff0fff0fff0ULL);
    CHECK_EQ(RT("xor %[t],%[a],%[b]", A, B), 0x0ff00ff00ff00ff0ULL);
    CHECK_EQ(RT("nand %[t],%[a],%[b]", A, B), 0x0fff0fff0fff0fffULL);
    CHECK_EQ(RT("nor %[t],%[a],%[b]", A, B), 0x000f000f000f000fULL);
    CHECK_EQ(RT("eqv %[t],%[a],%[b]", A, B), 0xf00ff00ff00ff00fULL);
    CHECK_EQ(RT("andc %[t],%[a],%[b]", A, B), 0x00f000f000f000f0ULL);
    CHECK_EQ(RT("orc %[t],%[a],%[b]", A, B), 0xf0fff0fff0fff0ffULL);
    /* Record forms compare the whole 64-bit result with zero. */
    CHECK_EQ(INSN("and. %[t],%[a],%[b]", MIN64, ALL64, 0).cr, CR_LT);
    CHECK_EQ(INSN("andi. %[t],%[a],0x8000", 0x18000, 0, 0).cr, CR_GT);
    CHECK_EQ(INSN("andi. %[t],%[a],0x8000", 0x10000, 0, 0).cr, CR_EQ);
    CHECK_EQ(RT("andis. %[t],%[a],0x8000", 0xffffffffULL, 0), 0x80000000ULL);
    CHECK_EQ(INSN("andis. %[t],%[a],0x8000", 0xffffffffULL, 0, 0).cr, CR_GT);
    CHECK_EQ(RT("oris %[t],%[a],0xffff", 0, 0), 0xffff0000ULL);
    CHECK_EQ(RT("xoris %[t],%[a],0xffff", 0xffffffffULL, 0), 0xffff);
    CHECK_EQ(RT("xori %[t],%[a],0xffff", 0x1ffffULL, 0), 0x10000);
}

static void test_extend_count(void)
{
    CHECK_EQ(RT("extsb %[t],%[a]", 0x80, 0), 0xffffffffffffff80ULL);
    CHECK_EQ(RT("extsh %[t],%[a]", 0x12348000, 0), 0xffffffffffff8000ULL);
    CHECK_EQ(RT("extsw %[t],%[a]", 0x80000000ULL, 0), 0xffffffff80000000ULL);
    CHECK_EQ(RT("extsw %[t],%[a]", 0xffffffff7fffffffULL, 0), 0x7fffffff);
    CHECK_EQ(INSN("extsw. %[t],%[a]", 0x100000000ULL, 0, 0).cr, CR_EQ);
    /* Word forms look at the low word only. */
    CHECK_EQ(RT("cntlzw %[t],%[a]", 0x00010000, 0), 15);
    CHECK_EQ(RT("cntlzw %[t],%[a]", 0, 0), 32);
    CHECK_EQ(RT("cntlzw %[t],%[a]", 0xffffffff00000001ULL, 0), 31);
    CHECK_EQ(RT("cntlzd %[t],%[a]", 0, 0), 64);
    CHECK_EQ(RT("cntlzd %[t],%[a]", 1, 0), 63);
    CHECK_EQ(RT("cntlzd %[t],%[a]", MIN64, 0), 0);
    CHECK_EQ(RT("cnttzw %[t],%[a]", 0x80000000ULL, 0), 31);
    CHECK_EQ(RT("cnttzw %[t],%[a]", 0x100000000ULL, 0), 32);
    CHECK_EQ(RT("cnttzd %[t],%[a]", 0x100000000ULL, 0), 32);
    CHECK_EQ(RT("cnttzd %[t],%[a]", 0, 0), 64);
    CHECK_EQ(RT("popcntd %[t],%[a]", A, 0), 32);
    CHECK_EQ(RT("popcntw %[t],%[a]", 0xff00000000000001ULL, 0), 0x0000000800000001ULL);
    CHECK_EQ(RT("popcntb %[t],%[a]", 0x0103070f, 0), 0x01020304);
    /* cmpb: 0xff in each byte where the two registers' bytes are equal. */
    CHECK_EQ(RT("cmpb %[t],%[a],%[b]", 0x1122334455667788ULL, 0x11ff33ff55ff77ffULL),
             0xff00ff00ff00ff00ULL);
    /* bpermd: byte i of RS selects bit RS[i] of RB (none if >= 64) for result bit 56+i. */
    CHECK_EQ(RT("bpermd %[t],%[a],%[b]", 0x003f014000000000ULL, 0x8000000000000001ULL), 0xcf);
}

static void test_rotate(void)
{
    /* Word rotates rotate the low word doubled (x || x); the mask may wrap. */
    CHECK_EQ(RT("rlwinm %[t],%[a],8,24,31", 0x12345678, 0), 0x12);
    CHECK_EQ(RT("rlwinm %[t],%[a],0,28,3", ALL64, 0), 0xfffffffff000000fULL);
    CHECK_EQ(RT("rlwinm %[t],%[a],4,28,3", 0x12345678, 0), 0x2345678120000001ULL);
    CHECK_EQ(INSN("rlwinm. %[t],%[a],0,0,0", 0x80000000ULL, 0, 0).cr, CR_GT);
    CHECK_EQ(RT("rlwnm %[t],%[a],%[b],0,31", 0x80000001ULL, 33), 3);
    CHECK_EQ(RT("mr %[t],%[b]\n\trlwimi %[t],%[a],16,0,15", 0xabcd, 0x1111222233334444ULL),
             0x11112222abcd4444ULL);
    CHECK_EQ(RT("rldicl %[t],%[a],8,56", 0x1234567890abcdefULL, 0), 0x12);
    CHECK_EQ(RT("rldicl %[t],%[a],0,32", ALL64, 0), 0xffffffffULL);
    CHECK_EQ(RT("rldicr %[t],%[a],4,59", 0x1234567890abcdefULL, 0), 0x234567890abcdef0ULL);
    CHECK_EQ(RT("rldic %[t],%[a],8,16", 0xffff, 0), 0xffff00);
    CHECK_EQ(RT("mr %[t],%[b]\n\trldimi %[t],%[a],32,0", 0x11223344, 0xaaaaaaaabbbbbbbbULL),
             0x11223344bbbbbbbbULL);
    CHECK_EQ(RT("rldcl %[t],%[a],%[b],0", 0x8000000000000001ULL, 65), 3);
    CHECK_EQ(RT("rldcr %[t],%[a],%[b],7", 0x0123456789abcdefULL, 8), 0x2300000000000000ULL);
}

static void test_shift(void)
{
    /* Logical word shifts use 6 bits of RB: 32..63 give 0. */
    CHECK_EQ(RT("slw %[t],%[a],%[b]", 0xffffffff80000001ULL, 1), 2);
    CHECK_EQ(RT("slw %[t],%[a],%[b]", 0xffffffffULL, 32), 0);
    CHECK_EQ(RT("slw %[t],%[a],%[b]", 0x80000001ULL, 0x40), 0x80000001ULL);
    CHECK_EQ(RT("srw %[t],%[a],%[b]", 0x80000000ULL, 31), 1);
    CHECK_EQ(RT("srw %[t],%[a],%[b]", 0xffffffff00000010ULL, 4), 1);
    /* Doubleword shifts use 7 bits: 64..127 give 0. */
    CHECK_EQ(RT("sld %[t],%[a],%[b]", 1, 63), MIN64);
    CHECK_EQ(RT("sld %[t],%[a],%[b]", 1, 64), 0);
    CHECK_EQ(RT("sld %[t],%[a],%[b]", 5, 128), 5);
    CHECK_EQ(RT("srd %[t],%[a],%[b]", MIN64, 63), 1);
    /* Algebraic shifts: CA (and CA32) = negative source and 1-bits shifted out. */
    struct insn_out o = INSN("sraw %[t],%[a],%[b]", 0x80000000ULL, 4, 0);
    CHECK_EQ(o.rt, 0xfffffffff8000000ULL);
    CHECK_EQ(o.xer, 0);
    o = INSN("sraw %[t],%[a],%[b]", 0xfffffff1ULL, 4, 0);
    CHECK_EQ(o.rt, ALL64);
    CHECK_EQ(o.xer, XER_CA | XER_CA32);
    o = INSN("sraw %[t],%[a],%[b]", 0x7fffffff, 4, XER_CA);
    CHECK_EQ(o.rt, 0x07ffffff);
    CHECK_EQ(o.xer, 0);
    o = INSN("sraw %[t],%[a],%[b]", 0x80000000ULL, 32, 0);
    CHECK_EQ(o.rt, ALL64);
    CHECK_EQ(o.xer, XER_CA | XER_CA32);
    o = INSN("srawi %[t],%[a],1", 0xffffffffULL, 0, 0);
    CHECK_EQ(o.rt, ALL64);
    CHECK_EQ(o.xer, XER_CA | XER_CA32);
    o = INSN("srad %[t],%[a],%[b]", -15, 4, 0);
    CHECK_EQ(o.rt, ALL64);
    CHECK_EQ(o.xer, XER_CA | XER_CA32);
    o = INSN("srad %[t],%[a],%[b]", -16, 4, 0);
    CHECK_EQ(o.rt, ALL64);
    CHECK_EQ(o.xer, 0);
    o = INSN("srad %[t],%[a],%[b]", MIN64, 64, 0);
    CHECK_EQ(o.rt, ALL64);
    CHECK_EQ(o.xer, XER_CA | XER_CA32);
    o = INSN("sradi %[t],%[a],63", MIN64 | 1, 0, 0);
    CHECK_EQ(o.rt, ALL64);
    CHECK_EQ(o.xer, XER_CA | XER_CA32);
    o = INSN("sradi %[t],%[a],4", 0x123, 0, XER_CA);
    CHECK_EQ(o.rt, 0x12);
    CHECK_EQ(o.xer, 0);
    CHECK_EQ(RT("extswsli %[t],%[a],4", 0x80000000ULL, 0), 0xfffffff800000000ULL);
}

int main(void *fdt)
{
    test_logical();
    test_extend_count();
    test_rotate();
    test_shift();
    return 0;
}
