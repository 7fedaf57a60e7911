/* Loads and stores: every width, algebraic, update and indexed forms, byte-reversed,
 * unaligned, lmw/stmw and lswi/stswi (big-endian only: little-endian mode does not
 * allow them), lwarx/ldarx with stwcx./stdcx. success and failure, dcbz. */
#include "insn.h"

/* Expected value when the same bytes are read big-endian or little-endian. */
#ifdef __LITTLE_ENDIAN__
#define E(be, le) (le)
#else
#define E(be, le) (be)
#endif

static const uint8_t pattern[16] = {
    0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10,
};
/* dcbz works on 128-byte blocks: align to a block and span two. */
static uint8_t mem[256] __attribute__((aligned(128)));

static uint8_t *fresh(void)
{
    memset(mem, 0x55, sizeof(mem));
    memcpy(mem, pattern, sizeof(pattern));
    return mem;
}

/* The bytes at @p read big-endian, independently of the CPU's byte order. */
static uint64_t bytes_be(const uint8_t *p, int n)
{
    uint64_t v = 0;

    for (int i = 0; i < n; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

#define LOAD(tmpl, base, idx)                                                                      \
    ({                                                                                             \
        uint64_t t_;                                                                               \
        asm volatile(tmpl : [t] "=&r"(t_) : [a] "b"(base), [b] "r"((uint64_t)(idx)) : "memory");   \
        t_;                                                                                        \
    })
#define STORE(tmpl, val, base, idx)                                                                \
    asm volatile(tmpl                                                                              \
                 :                                                                                 \
                 : [s] "r"((uint64_t)(val)), [a] "b"(base), [b] "r"((uint64_t)(idx))               \
                 : "memory")

static void test_loads(void)
{
    uint8_t *m = fresh();

    CHECK_EQ(LOAD("lbz %[t],0(%[a])", m, 0), 0x81);
    CHECK_EQ(LOAD("lbzx %[t],%[a],%[b]", m, 9), 0x0a);
    CHECK_EQ(LOAD("lhz %[t],0(%[a])", m, 0), E(0x8182, 0x8281));
    CHECK_EQ(LOAD("lhzx %[t],%[a],%[b]", m, 8), E(0x090a, 0x0a09));
    CHECK_EQ(LOAD("lha %[t],0(%[a])", m, 0), E(0xffffffffffff8182ULL, 0xffffffffffff8281ULL));
    CHECK_EQ(LOAD("lhax %[t],%[a],%[b]", m, 8), E(0x090a, 0x0a09));
    CHECK_EQ(LOAD("lwz %[t],0(%[a])", m, 0), E(0x81828384, 0x84838281));
    CHECK_EQ(LOAD("lwzx %[t],%[a],%[b]", m, 8), E(0x090a0b0c, 0x0c0b0a09));
    CHECK_EQ(LOAD("lwa %[t],0(%[a])", m, 0), E(0xffffffff81828384ULL, 0xffffffff84838281ULL));
    CHECK_EQ(LOAD("lwax %[t],%[a],%[b]", m, 8), E(0x090a0b0c, 0x0c0b0a09));
    CHECK_EQ(LOAD("ld %[t],0(%[a])", m, 0), E(0x8182838485868788ULL, 0x8887868584838281ULL));
    CHECK_EQ(LOAD("ldx %[t],%[a],%[b]", m, 8), E(0x090a0b0c0d0e0f10ULL, 0x100f0e0d0c0b0a09ULL));
    /* Negative displacement and unaligned addresses. */
    CHECK_EQ(LOAD("lbz %[t],-1(%[a])", m + 4, 0), 0x84);
    CHECK_EQ(LOAD("lwz %[t],1(%[a])", m, 0), E(0x82838485, 0x85848382));
    CHECK_EQ(LOAD("ldx %[t],%[a],%[b]", m, 3), E(0x8485868788090a0bULL, 0x0b0a098887868584ULL));
    /* Byte-reversed loads use the other byte order. */
    CHECK_EQ(LOAD("lhbrx %[t],%[a],%[b]", m, 0), E(0x8281, 0x8182));
    CHECK_EQ(LOAD("lwbrx %[t],%[a],%[b]", m, 0), E(0x84838281, 0x81828384));
    CHECK_EQ(LOAD("ldbrx %[t],%[a],%[b]", m, 0), E(0x8887868584838281ULL, 0x8182838485868788ULL));
    /* RA = 0 means address 0 + D: the first word of crt0 at 0x100. */
    CHECK_EQ(LOAD("lwz %[t],0x100(0)", m, 0), E(0x7d6000a6, 0x08000048));
}

static void test_update_forms(void)
{
    uint8_t *m = fresh();
    uint64_t t;
    uint8_t *a;

    a = m;
    asm volatile("lbzu %[t],3(%[a])" : [t] "=&r"(t), [a] "+b"(a) : : "memory");
    CHECK_EQ(t, 0x84);
    CHECK(a == m + 3);
    a = m;
    asm volatile("lhau %[t],2(%[a])" : [t] "=&r"(t), [a] "+b"(a) : : "memory");
    CHECK_EQ(t, E(0xffffffffffff8384ULL, 0xffffffffffff8483ULL));
    CHECK(a == m + 2);
    a = m;
    asm volatile("lwzu %[t],4(%[a])" : [t] "=&r"(t), [a] "+b"(a) : : "memory");
    CHECK_EQ(t, E(0x85868788, 0x88878685));
    CHECK(a == m + 4);
    a = m;
    asm volatile("lwzux %[t],%[a],%[b]" : [t] "=&r"(t), [a] "+b"(a) : [b] "r"(8L) : "memory");
    CHECK_EQ(t, E(0x090a0b0c, 0x0c0b0a09));
    CHECK(a == m + 8);
    a = m + 16;
    asm volatile("ldu %[t],-8(%[a])" : [t] "=&r"(t), [a] "+b"(a) : : "memory");
    CHECK_EQ(t, E(0x090a0b0c0d0e0f10ULL, 0x100f0e0d0c0b0a09ULL));
    CHECK(a == m + 8);
    a = m;
    asm volatile("stbu %[s],5(%[a])" : [a] "+b"(a) : [s] "r"(0x77L) : "memory");
    CHECK_EQ(m[5], 0x77);
    CHECK(a == m + 5);
    a = m + 32;
    asm volatile("stdu %[s],-16(%[a])" : [a] "+b"(a) : [s] "r"(0x1122334455667788L) : "memory");
    CHECK_EQ(bytes_be(m + 16, 8), E(0x1122334455667788ULL, 0x8877665544332211ULL));
    CHECK(a == m + 16);
    a = m;
    asm volatile("stwux %[s],%[a],%[b]"
                 : [a] "+b"(a)
                 : [s] "r"(0xaabbccddL), [b] "r"(40L)
                 : "memory");
    CHECK_EQ(bytes_be(m + 40, 4), E(0xaabbccdd, 0xddccbbaa));
    CHECK(a == m + 40);
}

static void test_stores(void)
{
    uint8_t *m = fresh();

    /* Stores write the low bytes of RS. */
    STORE("stb %[s],0(%[a])", 0x1234567890abcdefULL, m, 0);
    CHECK_EQ(m[0], 0xef);
    CHECK_EQ(m[1], 0x82);
    STORE("sth %[s],2(%[a])", 0x1234567890abcdefULL, m, 0);
    CHECK_EQ(bytes_be(m + 2, 2), E(0xcdef, 0xefcd));
    STORE("stw %[s],4(%[a])", 0x1234567890abcdefULL, m, 0);
    CHECK_EQ(bytes_be(m + 4, 4), E(0x90abcdef, 0xefcdab90));
    CHECK_EQ(m[8], 0x09);
    STORE("std %[s],8(%[a])", 0x1234567890abcdefULL, m, 0);
    CHECK_EQ(bytes_be(m + 8, 8), E(0x1234567890abcdefULL, 0xefcdab9078563412ULL));
    STORE("stbx %[s],%[a],%[b]", 0x99, m, 17);
    CHECK_EQ(m[17], 0x99);
    CHECK_EQ(m[16], 0x55);
    CHECK_EQ(m[18], 0x55);
    STORE("sthx %[s],%[a],%[b]", 0xa1b2, m, 19);
    CHECK_EQ(bytes_be(m + 19, 2), E(0xa1b2, 0xb2a1));
    STORE("stwx %[s],%[a],%[b]", 0xa1b2c3d4, m, 21);
    CHECK_EQ(bytes_be(m + 21, 4), E(0xa1b2c3d4, 0xd4c3b2a1));
    STORE("stdx %[s],%[a],%[b]", 0x0102030405060708ULL, m, 33);
    CHECK_EQ(bytes_be(m + 33, 8), E(0x0102030405060708ULL, 0x0807060504030201ULL));
    STORE("sthbrx %[s],%[a],%[b]", 0xa1b2, m, 48);
    CHECK_EQ(bytes_be(m + 48, 2), E(0xb2a1, 0xa1b2));
    STORE("stwbrx %[s],%[a],%[b]", 0xa1b2c3d4, m, 52);
    CHECK_EQ(bytes_be(m + 52, 4), E(0xd4c3b2a1, 0xa1b2c3d4));
    STORE("stdbrx %[s],%[a],%[b]", 0x0102030405060708ULL, m, 56);
    CHECK_EQ(bytes_be(m + 56, 8), E(0x0807060504030201ULL, 0x0102030405060708ULL));
}

#ifndef __LITTLE_ENDIAN__
/* Load/store multiple and string instructions (big-endian mode only). */
static void test_multiple_string(void)
{
    uint8_t *m = fresh();
    uint64_t r[4];

    /* lmw loads words into r28..r31, zero-extended. */
    asm volatile("mr 9,%[a]\n\tlmw 28,0(9)\n\t"
                 "std 28,0(%[o])\n\tstd 29,8(%[o])\n\tstd 30,16(%[o])\n\tstd 31,24(%[o])"
                 :
                 : [a] "r"(m), [o] "b"(r)
                 : "r9", "r28", "r29", "r30", "r31", "memory");
    CHECK_EQ(r[0], 0x81828384);
    CHECK_EQ(r[1], 0x85868788);
    CHECK_EQ(r[2], 0x090a0b0c);
    CHECK_EQ(r[3], 0x0d0e0f10);
    /* stmw stores the low word of r29..r31. */
    r[0] = 0xdead000011223344ULL;
    r[1] = 0xdead000055667788ULL;
    r[2] = 0xdead000099aabbccULL;
    asm volatile("ld 29,0(%[o])\n\tld 30,8(%[o])\n\tld 31,16(%[o])\n\tmr 9,%[a]\n\t"
                 "stmw 29,64(9)"
                 :
                 : [a] "r"(m), [o] "b"(r)
                 : "r9", "r29", "r30", "r31", "memory");
    CHECK_EQ(bytes_be(m + 64, 8), 0x1122334455667788ULL);
    CHECK_EQ(bytes_be(m + 72, 4), 0x99aabbcc);
    CHECK_EQ(m[76], 0x55);
    /* lswi: 7 bytes fill r5 and the top three bytes of r6's low word; the rest is 0. */
    asm volatile("mr 9,%[a]\n\tlswi 5,9,7\n\tstd 5,0(%[o])\n\tstd 6,8(%[o])"
                 :
                 : [a] "r"(m), [o] "b"(r)
                 : "r5", "r6", "r9", "memory");
    CHECK_EQ(r[0], 0x81828384);
    CHECK_EQ(r[1], 0x85868700);
    /* stswi: 6 bytes from r5 then r6, left to right. */
    asm volatile("lis 5,0x1122\n\tori 5,5,0x3344\n\tlis 6,0x5566\n\tori 6,6,0x7788\n\t"
                 "mr 9,%[a]\n\tstswi 5,9,6"
                 :
                 : [a] "r"(m + 80)
                 : "r5", "r6", "r9", "memory");
    CHECK_EQ(bytes_be(m + 80, 6), 0x112233445566ULL);
    CHECK_EQ(m[86], 0x55);
}
#endif

static void test_reservations(void)
{
    static uint64_t word __attribute__((aligned(8))) = 41;
    static uint64_t scratch __attribute__((aligned(8)));
    static uint32_t half __attribute__((aligned(4))) = 7;
    uint64_t t, cr;

    /* ldarx / stdcx. with nothing in between: the store succeeds, CR0[EQ] = 1. */
    asm volatile("li %[c],0\n\tmtxer %[c]\n\t"
                 "ldarx %[t],0,%[a]\n\taddi %[t],%[t],1\n\tstdcx. %[t],0,%[a]\n\tmfcr %[c]"
                 : [t] "=&b"(t), [c] "=&r"(cr)
                 : [a] "r"(&word)
                 : "cr0", "xer", "memory");
    CHECK_EQ(CR_FIELD(cr, 0), CR_EQ);
    CHECK_EQ(word, 42);
    asm volatile("li %[c],0\n\tmtxer %[c]\n\t"
                 "lwarx %[t],0,%[a]\n\taddi %[t],%[t],1\n\tstwcx. %[t],0,%[a]\n\tmfcr %[c]"
                 : [t] "=&b"(t), [c] "=&r"(cr)
                 : [a] "r"(&half)
                 : "cr0", "xer", "memory");
    CHECK_EQ(CR_FIELD(cr, 0), CR_EQ);
    CHECK_EQ(half, 8);
    /* Any stdcx. ends the reservation, so the second one has none and must fail. */
    asm volatile("li %[c],0\n\tmtxer %[c]\n\tli %[t],99\n\t"
                 "stdcx. %[t],0,%[s]\n\tstdcx. %[t],0,%[a]\n\tmfcr %[c]"
                 : [t] "=&r"(t), [c] "=&r"(cr)
                 : [a] "r"(&word), [s] "r"(&scratch)
                 : "cr0", "xer", "memory");
    CHECK_EQ(CR_FIELD(cr, 0), 0);
    CHECK_EQ(word, 42);
}

static void test_dcbz(void)
{
    int outside = 0, inside = 0;

    memset(mem, 0xaa, sizeof(mem));
    /* dcbz clears the whole 128-byte block holding the address. */
    asm volatile("dcbz 0,%[a]" : : [a] "r"(mem + 128 + 5) : "memory");
    for (int i = 0; i < 128; i++) {
        outside += mem[i] == 0xaa;
        inside += mem[128 + i] == 0;
    }
    CHECK_EQ(outside, 128);
    CHECK_EQ(inside, 128);
}

int main(void *fdt)
{
    test_loads();
    test_update_forms();
    test_stores();
#ifndef __LITTLE_ENDIAN__
    test_multiple_string();
#endif
    test_reservations();
    test_dcbz();
    return 0;
}
