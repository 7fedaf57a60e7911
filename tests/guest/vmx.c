/* Vector (VMX) in a partition: the vector-unavailable interrupt and lazy enabling,
 * an lvsl/lvsr + lvx + vperm copy loop like the kernel's memcpy_power7, element
 * loads/stores in both byte orders, and saturating arithmetic with VSCR[SAT]. */
#include "insn.h"

#define VEC_PROGRAM 0x700
#define VEC_VMX_UNAVAIL 0xf20
#define MSR_VEC PPC_BIT(38)
#define SRR1_ILLEGAL PPC_BIT(44)

typedef struct {
    uint8_t b[16];
} __attribute__((aligned(16))) vec16;

static void vec_enable(bool on)
{
    uint64_t m = guest_mfmsr();

    m = on ? m | MSR_VEC : m & ~MSR_VEC;
    asm volatile("mtmsrd %0\n\tisync" : : "r"(m) : "memory");
}

/* vD = vA + vB (vaddubm) through memory; returns the address of the vaddubm. */
static uint64_t vaddubm_mem(vec16 *d, const vec16 *a, const vec16 *b)
{
    uint64_t pc;

    asm volatile("lvx 2,0,%[a]\n\t"
                 "lvx 3,0,%[b]\n\t"
                 "lnia %[pc]\n\t"
                 "vaddubm 1,2,3\n\t"
                 "stvx 1,0,%[d]"
                 : [pc] "=&r"(pc)
                 : [a] "r"(a), [b] "r"(b), [d] "r"(d)
                 : "memory");
    return pc;
}

/*
 * With MSR[VEC] off a vector instruction takes 0xf20 (SRR0 = it, SRR1 without
 * VEC), before anything else; a kernel then turns VEC on and runs it again.
 * An opcode-4 word that is no instruction is illegal (0x700) either way.
 */
static void test_unavailable(void)
{
    vec16 a, b, d;
    struct guest_trap t;
    uint64_t pc;

    for (int i = 0; i < 16; i++) {
        a.b[i] = i;
        b.b[i] = 0x10 * i;
        d.b[i] = 0xee;
    }
    vec_enable(false);
    guest_trap_expect();
    asm volatile("lvx 2,0,%0" : : "r"(&a) : "memory");
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_VMX_UNAVAIL);
    CHECK_EQ(t.srr1 & MSR_VEC, 0);

    guest_trap_expect();
    asm volatile("mfvscr 4");
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_VMX_UNAVAIL);

    /* not an instruction in any ISA version */
    guest_trap_expect();
    asm volatile(".long 0x12345678");
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_PROGRAM);
    CHECK(t.srr1 & SRR1_ILLEGAL);

    /* the data-stream hints need no vector unit */
    guest_trap_expect();
    asm volatile("dssall\n\tdss 1\n\tdst %0,%1,2\n\tdststt %0,%1,3" : : "b"(&a), "r"(64));
    CHECK(!guest_trap_taken(&t));

    /* lazy enabling: VEC on, the same code runs */
    vec_enable(true);
    guest_trap_expect();
    pc = vaddubm_mem(&d, &a, &b);
    CHECK(!guest_trap_taken(&t));
    for (int i = 0; i < 16; i++) {
        CHECK_EQ(d.b[i], (uint8_t)(0x11 * i));
    }
    /* the interrupt's SRR0 is the instruction: check it at a known address */
    vec_enable(false);
    guest_trap_expect();
    asm volatile("lnia %0\n\tvor 5,5,5" : "=r"(pc));
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.srr0, pc);
    vec_enable(true);
}

/*
 * The kernel's unaligned copy: a permute control from the source address
 * (lvsl big-endian; lvsr with vperm's operands swapped little-endian), aligned
 * lvx of consecutive blocks and one vperm per 16 bytes.
 */
static void vperm_copy(uint8_t *dst, const uint8_t *src, uint64_t blocks)
{
    asm volatile(
#ifdef __LITTLE_ENDIAN__
        "lvsr 16,0,%[s]\n\t"
#else
        "lvsl 16,0,%[s]\n\t"
#endif
        "lvx 0,0,%[s]\n\t"
        "mtctr %[n]\n\t"
        "li 9,16\n"
        "1:\n\t"
        "lvx 1,%[s],9\n\t"
#ifdef __LITTLE_ENDIAN__
        "vperm 8,1,0,16\n\t"
#else
        "vperm 8,0,1,16\n\t"
#endif
        "stvx 8,0,%[d]\n\t"
        "vor 0,1,1\n\t"
        "addi %[s],%[s],16\n\t"
        "addi %[d],%[d],16\n\t"
        "bdnz 1b"
        : [s] "+b"(src), [d] "+b"(dst)
        : [n] "r"(blocks)
        : "r9", "ctr", "memory");
}

static uint8_t copy_src[4096 + 64] __attribute__((aligned(16)));
static uint8_t copy_dst[4096 + 64] __attribute__((aligned(16)));

static void test_copy(void)
{
    for (unsigned i = 0; i < sizeof(copy_src); i++) {
        copy_src[i] = (uint8_t)(i * 7 + (i >> 8) * 13 + 1);
    }
    for (unsigned off = 0; off < 16; off++) {
        unsigned blocks = 256 - off;
        unsigned bad = 0;

        for (unsigned i = 0; i < sizeof(copy_dst); i++) {
            copy_dst[i] = 0x5a;
        }
        vperm_copy(copy_dst, copy_src + off, blocks);
        for (unsigned i = 0; i < 16 * blocks; i++) {
            bad += copy_dst[i] != copy_src[off + i];
        }
        for (unsigned i = 16 * blocks; i < sizeof(copy_dst); i++) {
            bad += copy_dst[i] != 0x5a;
        }
        CHECK_EQ(bad, 0);
    }
}

/*
 * Element loads and stores take the element the EA selects; in little-endian
 * mode element numbers run from the right, so the byte lands where memory had it.
 */
static void test_elements(void)
{
    vec16 m, r;
    uint64_t v;

    for (int i = 0; i < 16; i++) {
        m.b[i] = 0xa0 + i;
        r.b[i] = 0;
    }
    /* lvebx from byte 5, stvebx back to a zeroed buffer at the same offset */
    asm volatile("lvebx 6,0,%[p]\n\tstvebx 6,0,%[q]"
                 :
                 : [p] "r"(&m.b[5]), [q] "r"(&r.b[5])
                 : "memory");
    CHECK_EQ(r.b[5], 0xa5);
    CHECK_EQ(r.b[4], 0);
    CHECK_EQ(r.b[6], 0);
    /* lvewx of an unaligned address uses the aligned word; stvewx likewise */
    asm volatile("lvewx 6,0,%[p]\n\tstvewx 6,0,%[q]"
                 :
                 : [p] "r"(&m.b[9]), [q] "r"(&r.b[10])
                 : "memory");
    CHECK_EQ(r.b[8], 0xa8);
    CHECK_EQ(r.b[11], 0xab);
    /*
     * lvehx of byte 6: halfword element 3 big-endian (bytes 6-7 of the register,
     * value 0xa6a7), element 8 - 1 - 3 = 4 little-endian (bytes 8-9, 0xa7a6).
     */
#ifdef __LITTLE_ENDIAN__
    asm volatile("lvehx 6,0,%[p]\n\tli 9,8\n\tvextuhlx %[v],9,6"
                 : [v] "=r"(v)
                 : [p] "r"(&m.b[6])
                 : "r9", "memory");
    CHECK_EQ(v, 0xa7a6);
#else
    asm volatile("lvehx 6,0,%[p]\n\tli 9,6\n\tvextuhlx %[v],9,6"
                 : [v] "=r"(v)
                 : [p] "r"(&m.b[6])
                 : "r9", "memory");
    CHECK_EQ(v, 0xa6a7);
#endif
    /* lvx ignores the low four bits of the address */
    asm volatile("lvx 6,0,%[p]\n\tstvx 6,0,%[q]" : : [p] "r"(&m.b[7]), [q] "r"(&r) : "memory");
    for (int i = 0; i < 16; i++) {
        CHECK_EQ(r.b[i], 0xa0 + i);
    }
}

static uint32_t vscr_read(void)
{
    vec16 v;
    uint32_t w;

    asm volatile("mfvscr 7\n\tstvx 7,0,%0" : : "r"(&v) : "memory");
    /* VSCR is word 3 of the register: the last word in memory big-endian, the first LE */
#ifdef __LITTLE_ENDIAN__
    w = v.b[0] | v.b[1] << 8 | v.b[2] << 16 | (uint32_t)v.b[3] << 24;
#else
    w = (uint32_t)v.b[12] << 24 | v.b[13] << 16 | v.b[14] << 8 | v.b[15];
#endif
    return w;
}

static void vscr_write(uint32_t w)
{
    vec16 v = { { 0 } };

#ifdef __LITTLE_ENDIAN__
    v.b[0] = w;
    v.b[1] = w >> 8;
    v.b[2] = w >> 16;
    v.b[3] = w >> 24;
#else
    v.b[12] = w >> 24;
    v.b[13] = w >> 16;
    v.b[14] = w >> 8;
    v.b[15] = w;
#endif
    asm volatile("lvx 7,0,%0\n\tmtvscr 7" : : "r"(&v) : "memory");
}

#define VSCR_NJ 0x10000
#define VSCR_SAT 0x1

/* One VX-form operation on memory operands (the mnemonic is a literal). */
#define VOP(mn, d, a, b)                                                                           \
    asm volatile("lvx 2,0,%1\n\tlvx 3,0,%2\n\t" mn " 1,2,3\n\tstvx 1,0,%0"                         \
                 :                                                                                 \
                 : "r"(d), "r"(a), "r"(b)                                                          \
                 : "memory")

static void test_saturation(void)
{
    vec16 a, b, d;

    vscr_write(0);
    CHECK_EQ(vscr_read(), 0);
    for (int i = 0; i < 16; i++) {
        a.b[i] = 0x70 + i;
        b.b[i] = 0x08;
    }
    /* no byte exceeds 0xff: no saturation */
    VOP("vaddubs", &d, &a, &b);
    CHECK_EQ(d.b[15], 0x87);
    CHECK_EQ(vscr_read() & VSCR_SAT, 0);
    /* signed: 0x78 + 8 and up exceed 0x7f */
    VOP("vaddsbs", &d, &a, &b);
    CHECK_EQ(d.b[0], 0x78);
    CHECK_EQ(d.b[7], 0x7f);
    CHECK_EQ(d.b[15], 0x7f);
    CHECK_EQ(vscr_read() & VSCR_SAT, VSCR_SAT);
    /* SAT is sticky: a later non-saturating one keeps it */
    VOP("vaddubm", &d, &a, &b);
    CHECK_EQ(vscr_read() & VSCR_SAT, VSCR_SAT);
    /* mtvscr clears it and sets NJ */
    vscr_write(VSCR_NJ);
    CHECK_EQ(vscr_read(), VSCR_NJ);
    /* unsigned subtraction below zero saturates to 0 */
    VOP("vsububs", &d, &b, &a);
    CHECK_EQ(d.b[3], 0);
    CHECK_EQ(vscr_read(), VSCR_NJ | VSCR_SAT);
    vscr_write(0);
}

int main(void *fdt)
{
    guest_trap_init();
    vec_enable(true);
    test_unavailable();
    test_copy();
    test_elements();
    test_saturation();
    return 0;
}
