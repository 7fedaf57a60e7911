/* Branches and the condition register: bc with every BO form (CTR decrement and
 * CR tests), bclr/bcctr with link, CR logical ops, mfcr/mtcrf/mfocrf/mtocrf, mcrf,
 * isel, setb, mcrxrx. Expected values worked out by hand from Power ISA 3.0B. */
#include "insn.h"

/* CR bit numbers as the ISA counts them: bit 0 is CR0[LT], bit 2 is CR0[EQ]. */
#define CR0_EQ_SET 0x20000000ULL

struct bc_out {
    uint64_t taken;
    uint64_t ctr;
};

/* Run "bc BO,BI" with CR = @crin and CTR = @ctrin: was it taken, and CTR after. */
#define BC(bo, bi, crin, ctrin)                                                                    \
    ({                                                                                             \
        struct bc_out o_;                                                                          \
        uint64_t n_ = (ctrin), k_;                                                                 \
        asm volatile("mtcrf 0xff,%[c]\n\tmtctr %[n]\n\tli %[k],1\n\t"                              \
                     "bc " #bo "," #bi ",1f\n\tli %[k],0\n1:\tmfctr %[n]"                          \
                     : [k] "=&r"(k_), [n] "+&r"(n_)                                                \
                     : [c] "r"((uint64_t)(crin))                                                   \
                     : "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7", "ctr");             \
        o_.taken = k_;                                                                             \
        o_.ctr = n_;                                                                               \
        o_;                                                                                        \
    })

#define CHECK_BC(bo, bi, crin, ctrin, want_taken, want_ctr)                                        \
    do {                                                                                           \
        struct bc_out b_ = BC(bo, bi, crin, ctrin);                                                \
        CHECK_EQ(b_.taken, want_taken);                                                            \
        CHECK_EQ(b_.ctr, want_ctr);                                                                \
    } while (0)

/* Run @tmpl with the whole CR = @crin; returns RT (%[t]) and the CR after it. */
struct cr_out {
    uint64_t rt;
    uint64_t cr;
};
#define CROP(tmpl, va, vb, crin)                                                                   \
    ({                                                                                             \
        struct cr_out o_;                                                                          \
        uint64_t t_, c_ = (crin);                                                                  \
        asm volatile("mtcrf 0xff,%[c]\n\t" tmpl "\n\tmfcr %[c]"                                    \
                     : [t] "=&r"(t_), [c] "+&r"(c_)                                                \
                     : [a] "b"((uint64_t)(va)), [b] "r"((uint64_t)(vb))                            \
                     : "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7");                    \
        o_.rt = t_;                                                                                \
        o_.cr = c_;                                                                                \
        o_;                                                                                        \
    })

static void test_bc(void)
{
    /* BO 1z1zz: always. */
    CHECK_BC(20, 2, 0, 5, 1, 5);
    /* BO 011at / 001at: CR bit true / false, CTR untouched; "at" are only hints. */
    CHECK_BC(12, 2, CR0_EQ_SET, 5, 1, 5);
    CHECK_BC(12, 2, 0, 5, 0, 5);
    CHECK_BC(15, 2, CR0_EQ_SET, 5, 1, 5);
    CHECK_BC(4, 2, 0, 5, 1, 5);
    CHECK_BC(4, 2, CR0_EQ_SET, 5, 0, 5);
    CHECK_BC(12, 31, 1, 5, 1, 5);
    /* BO 1a00t: decrement CTR, branch if it is not zero (64-bit compare). */
    CHECK_BC(16, 0, 0, 2, 1, 1);
    CHECK_BC(16, 0, 0, 1, 0, 0);
    CHECK_BC(16, 0, 0, 0, 1, 0xffffffffffffffffULL);
    CHECK_BC(16, 0, 0, 0x100000001ULL, 1, 0x100000000ULL);
    CHECK_BC(25, 0, 0, 2, 1, 1);
    /* BO 1a01t: decrement, branch if zero. */
    CHECK_BC(18, 0, 0, 1, 1, 0);
    CHECK_BC(18, 0, 0, 2, 0, 1);
    /* BO 0100z / 0101z: decrement, CTR != 0 / == 0 and the CR bit true. */
    CHECK_BC(8, 2, CR0_EQ_SET, 2, 1, 1);
    CHECK_BC(8, 2, 0, 2, 0, 1);
    CHECK_BC(8, 2, CR0_EQ_SET, 1, 0, 0);
    CHECK_BC(10, 2, CR0_EQ_SET, 1, 1, 0);
    CHECK_BC(10, 2, 0, 1, 0, 0);
    /* BO 0000z / 0001z: decrement, CTR != 0 / == 0 and the CR bit false. */
    CHECK_BC(0, 2, 0, 2, 1, 1);
    CHECK_BC(0, 2, CR0_EQ_SET, 2, 0, 1);
    CHECK_BC(2, 2, 0, 1, 1, 0);
    CHECK_BC(2, 2, CR0_EQ_SET, 1, 0, 0);
}

/* bcctrl and bclrl: the target sees LR = the address after the branch. */
static void test_link(void)
{
    uint64_t want, got, ctr_after;

    asm volatile("lis %[w],1f@ha\n\taddi %[w],%[w],1f@l\n\t"
                 "lis %[g],2f@ha\n\taddi %[g],%[g],2f@l\n\tmtctr %[g]\n\t"
                 "bctrl\n"
                 "1:\tb 3f\n"
                 "2:\tmflr %[g]\n\tblr\n"
                 "3:"
                 : [w] "=&b"(want), [g] "=&b"(got)
                 :
                 : "ctr", "lr");
    CHECK_EQ(got, want);

    asm volatile("lis %[w],1f@ha\n\taddi %[w],%[w],1f@l\n\t"
                 "lis %[g],2f@ha\n\taddi %[g],%[g],2f@l\n\tmtlr %[g]\n\t"
                 "blrl\n"
                 "1:\tb 3f\n"
                 "2:\tmflr %[g]\n\tblr\n"
                 "3:"
                 : [w] "=&b"(want), [g] "=&b"(got)
                 :
                 : "lr");
    CHECK_EQ(got, want);

    /* bcl 20,31 to the next instruction: the usual way to read the program counter. */
    asm volatile("lis %[w],1f@ha\n\taddi %[w],%[w],1f@l\n\t"
                 "bcl 20,31,1f\n"
                 "1:\tmflr %[g]"
                 : [w] "=&b"(want), [g] "=&b"(got)
                 :
                 : "lr");
    CHECK_EQ(got, want);

    /* bdnzlr (bclr 16,0): decrements CTR and returns while it is not zero. */
    asm volatile("li %[g],0\n\tli %[c],2\n\tmtctr %[c]\n\t"
                 "lis %[w],2f@ha\n\taddi %[w],%[w],2f@l\n\tmtlr %[w]\n\t"
                 "bdnzlr\n\t"
                 "b 3f\n"
                 "2:\tli %[g],1\n"
                 "3:\tmfctr %[c]"
                 : [w] "=&b"(want), [g] "=&r"(got), [c] "=&r"(ctr_after)
                 :
                 : "ctr", "lr");
    CHECK_EQ(got, 1);
    CHECK_EQ(ctr_after, 1);

    /* bcctr 12,2 (beqctr) with CR0[EQ] clear falls through. */
    asm volatile("li %[g],0\n\tmtcrf 0x80,%[g]\n\t"
                 "lis %[w],2f@ha\n\taddi %[w],%[w],2f@l\n\tmtctr %[w]\n\t"
                 "bcctr 12,2\n\t"
                 "b 3f\n"
                 "2:\tli %[g],1\n"
                 "3:"
                 : [w] "=&b"(want), [g] "=&b"(got)
                 :
                 : "ctr", "cr0");
    CHECK_EQ(got, 0);
}

static void test_cr_logical(void)
{
    /* CR0 = LT and EQ (0b1010); each op writes one bit of another field. */
    const uint64_t cr = 0xa0000000;

    CHECK_EQ(CROP("crand 4,0,2", 0, 0, cr).cr, 0xa8000000);
    CHECK_EQ(CROP("cror 5,1,3", 0, 0, cr).cr, 0xa0000000);
    CHECK_EQ(CROP("cror 5,1,2", 0, 0, cr).cr, 0xa4000000);
    CHECK_EQ(CROP("crxor 0,0,0", 0, 0, cr).cr, 0x20000000);
    CHECK_EQ(CROP("crnor 7,1,3", 0, 0, cr).cr, 0xa1000000);
    CHECK_EQ(CROP("creqv 31,0,1", 0, 0, cr).cr, 0xa0000000);
    CHECK_EQ(CROP("creqv 31,0,2", 0, 0, cr).cr, 0xa0000001);
    CHECK_EQ(CROP("crandc 8,0,1", 0, 0, cr).cr, 0xa0800000);
    CHECK_EQ(CROP("crorc 9,1,0", 0, 0, cr).cr, 0xa0000000);
    CHECK_EQ(CROP("crnand 11,0,1", 0, 0, cr).cr, 0xa0100000);
    CHECK_EQ(CROP("crnand 11,0,2", 0, 0, cr).cr, 0xa0000000);
    CHECK_EQ(CROP("mcrf 7,0", 0, 0, cr).cr, 0xa000000a);
}

static void test_cr_moves(void)
{
    CHECK_EQ(CROP("mfcr %[t]", 0, 0, 0x12345678).rt, 0x12345678);
    /* mtcrf writes only the fields its mask selects. */
    CHECK_EQ(CROP("mtcrf 0x81,%[a]", 0x12345678, 0, 0).cr, 0x10000008);
    CHECK_EQ(CROP("mtocrf 0x04,%[a]", 0x12345678, 0, 0).cr, 0x00000600);
    /* mfocrf defines only the selected field of RT. */
    CHECK_EQ((CROP("mfocrf %[t],0x20", 0, 0, 0x12345678).rt >> 20) & 0xf, 3);
}

static void test_select(void)
{
    CHECK_EQ(CROP("isel %[t],%[a],%[b],2", 111, 222, CR0_EQ_SET).rt, 111);
    CHECK_EQ(CROP("isel %[t],%[a],%[b],2", 111, 222, 0).rt, 222);
    /* RA = 0 means the value 0, not register 0. */
    CHECK_EQ(CROP("isel %[t],0,%[b],2", 111, 222, CR0_EQ_SET).rt, 0);
    CHECK_EQ(CROP("isel %[t],%[a],%[b],31", 111, 222, 1).rt, 111);
    /* setb: -1 if LT, else 1 if GT, else 0. */
    CHECK_EQ(CROP("setb %[t],0", 0, 0, 0xc0000000).rt, 0xffffffffffffffffULL);
    CHECK_EQ(CROP("setb %[t],0", 0, 0, 0x40000000).rt, 1);
    CHECK_EQ(CROP("setb %[t],0", 0, 0, 0x20000000).rt, 0);
    CHECK_EQ(CROP("setb %[t],7", 0, 0, 0x8).rt, 0xffffffffffffffffULL);
    /* mcrxrx: CR field = OV, OV32, CA, CA32. */
    CHECK_EQ(INSN("mcrxrx 0", 0, 0, XER_OV | XER_CA32).cr, 0x9);
    CHECK_EQ(INSN("mcrxrx 0", 0, 0, XER_OV32 | XER_CA).cr, 0x6);
}

int main(void *fdt)
{
    test_bc();
    test_link();
    test_cr_logical();
    test_cr_moves();
    test_select();
    return 0;
}
