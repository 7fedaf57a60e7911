/* VSX in a partition: the facility-unavailable interrupts (FP 0x800, VMX 0xf20, VSX 0xf40)
 * with lazy enabling in the handler, VSX loads/stores with their byte-order rules, a
 * strlen and a memcpy built on lxvl/stxvl as glibc's POWER9 code is, enabled FP exceptions
 * from VSX scalar and vector ops, and the four rounding modes. Expected values are worked
 * out from Power ISA 3.0B (memory read back in the image's own byte order). */
#include "insn.h"

#define MSR_VEC PPC_BIT(38)
#define MSR_VSX PPC_BIT(40)
#define MSR_FP PPC_BIT(50)
#define MSR_FE0 PPC_BIT(52)
#define MSR_FE1 PPC_BIT(55)
#define MSR_FACILITIES (MSR_FP | MSR_VEC | MSR_VSX)
#define SRR1_FP PPC_BIT(43)
#define SRR1_ILLEGAL PPC_BIT(44)

/* FPSCR bits */
#define FX PPC_BIT(32)
#define FEX PPC_BIT(33)
#define VX PPC_BIT(34)
#define OX PPC_BIT(35)
#define ZX PPC_BIT(37)
#define XX PPC_BIT(38)
#define VXSNAN PPC_BIT(39)
#define FR PPC_BIT(45)
#define FI PPC_BIT(46)
#define FPRF(c) ((uint64_t)(c) << 12)
#define FPRF_MASK FPRF(0x1f)
#define VE PPC_BIT(56)
#define OE PPC_BIT(57)
#define ZE PPC_BIT(59)
#define RN_MASK 3ULL

#define ONE 0x3ff0000000000000ULL
#define TWO 0x4000000000000000ULL
#define THREE 0x4008000000000000ULL
#define SNAN 0x7ff0000000000123ULL
#define NEG1 0xbff0000000000000ULL
#define SENTINEL 0x5a5a5a5a5a5a5a5aULL

static void set_msr(uint64_t msr)
{
    asm volatile("mtmsrd %0\n\tisync" : : "r"(msr) : "memory");
}

static void facilities(uint64_t on)
{
    set_msr((guest_mfmsr() & ~MSR_FACILITIES) | on);
}

/* A VSR as the ISA numbers it: hi = doubleword 0 (bytes 0-7), lo = doubleword 1. */
struct v128 {
    uint64_t hi, lo;
};

/* mtvsrdd/mfvsrd/mfvsrld move whole doublewords: independent of the byte order. */
#define VSR_SET(n, h, l)                                                                           \
    asm volatile("mtvsrdd " #n ",%0,%1" : : "b"((uint64_t)(h)), "r"((uint64_t)(l)))
#define VSR_GET(n)                                                                                 \
    ({                                                                                             \
        struct v128 v_;                                                                            \
        asm volatile("mfvsrd %0," #n "\n\tmfvsrld %1," #n : "=r"(v_.hi), "=r"(v_.lo));             \
        v_;                                                                                        \
    })

static uint8_t vbyte(struct v128 v, int i)
{
    return i < 8 ? v.hi >> (56 - 8 * i) : v.lo >> (56 - 8 * (i - 8));
}

static uint16_t vhalf(struct v128 v, int i)
{
    return (uint16_t)(vbyte(v, 2 * i) << 8 | vbyte(v, 2 * i + 1));
}

static uint32_t vword(struct v128 v, int i)
{
    uint64_t d = i < 2 ? v.hi : v.lo;

    return (i & 1) ? (uint32_t)d : (uint32_t)(d >> 32);
}

/* Memory in the image's byte order (what a C load sees). */
static uint64_t ld64(const void *p)
{
    uint64_t v;

    __builtin_memcpy(&v, p, 8);
    return v;
}

static uint32_t ld32(const void *p)
{
    uint32_t v;

    __builtin_memcpy(&v, p, 4);
    return v;
}

static uint16_t ld16(const void *p)
{
    uint16_t v;

    __builtin_memcpy(&v, p, 2);
    return v;
}

static void st32(void *p, uint32_t v)
{
    __builtin_memcpy(p, &v, 4);
}

#ifdef __LITTLE_ENDIAN__
#define LE 1
#else
#define LE 0
#endif

/* ---- facility-unavailable interrupts and lazy enabling ---- */

static uint64_t fbuf[4];

static uint64_t mffs(void)
{
    uint64_t v;

    asm volatile("mffs 9\n\tmfvsrd %0,9" : "=r"(v));
    return v;
}

static void test_lazy_fp(void)
{
    struct guest_trap t;
    uint64_t pc;

    /* State set while the unit is on must survive the trip through the handler. */
    facilities(MSR_FACILITIES);
    fbuf[0] = ONE;
    fbuf[1] = TWO;
    asm volatile("lfd 1,0(%0)\n\tlfd 2,8(%0)\n\tmtfsfi 7,1" : : "b"(fbuf) : "memory");
    facilities(0);
    guest_trap_expect_lazy(MSR_FP);
    asm volatile("lnia %0\n\tfadd 3,1,2" : "=r"(pc));
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0x800);
    CHECK_EQ(t.srr0, pc);
    CHECK_EQ(t.srr1 & MSR_FACILITIES, 0);
    /* the handler turned FP on and the fadd ran again: its result is in f3 */
    CHECK_EQ(guest_mfmsr() & MSR_FACILITIES, MSR_FP);
    asm volatile("stfd 3,16(%0)" : : "b"(fbuf) : "memory");
    CHECK_EQ(fbuf[2], THREE);
    CHECK_EQ(mffs() & RN_MASK, 1);
    /* a store needs the unit too, and stores nothing before the interrupt */
    facilities(0);
    fbuf[3] = SENTINEL;
    guest_trap_expect();
    asm volatile("stfd 3,24(%0)" : : "b"(fbuf) : "memory");
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0x800);
    CHECK_EQ(fbuf[3], SENTINEL);
    /* VSX and VMX on, FP off: an FP instruction still wants FP */
    facilities(MSR_VEC | MSR_VSX);
    guest_trap_expect();
    asm volatile("fmr 4,3");
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0x800);
    facilities(MSR_FACILITIES);
    asm volatile("mtfsfi 7,0");
}

static void test_lazy_vec(void)
{
    struct guest_trap t;
    struct v128 r;
    uint64_t pc, vscr;

    facilities(MSR_FACILITIES);
    VSR_SET(34, 0x0102030405060708ULL, 0x090a0b0c0d0e0f10ULL); /* v2 */
    VSR_SET(35, 0x1010101010101010ULL, 0xf0f0f0f0f0f0f0f0ULL); /* v3 */
    VSR_SET(38, 0, 0x10000);                                   /* v6: VSCR[NJ] */
    asm volatile("mtvscr 6");
    facilities(0);
    guest_trap_expect_lazy(MSR_VEC);
    asm volatile("lnia %0\n\tvaddubm 4,2,3" : "=r"(pc));
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0xf20);
    CHECK_EQ(t.srr0, pc);
    CHECK_EQ(t.srr1 & MSR_FACILITIES, 0);
    CHECK_EQ(guest_mfmsr() & MSR_FACILITIES, MSR_VEC);
    facilities(MSR_FACILITIES);
    r = VSR_GET(36);
    CHECK_EQ(r.hi, 0x1112131415161718ULL);
    CHECK_EQ(r.lo, 0xf9fafbfcfdfeff00ULL);
    asm volatile("mfvscr 7\n\tmfvsrld %0,39" : "=r"(vscr));
    CHECK_EQ(vscr & 0xffffffff, 0x10000);
    /* VSX on, VMX off: a VMX instruction on VR 0-31 wants VMX */
    facilities(MSR_FP | MSR_VSX);
    guest_trap_expect();
    asm volatile("vor 4,2,2");
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0xf20);
    facilities(MSR_FACILITIES);
    VSR_SET(38, 0, 0);
    asm volatile("mtvscr 6");
}

static void test_lazy_vsx(void)
{
    struct guest_trap t;
    struct v128 r;
    uint64_t pc;

    /* doubleword 1 of the FPR half and VSRs 32-63 survive while VSX is off */
    facilities(MSR_FACILITIES);
    VSR_SET(0, ONE, TWO);
    VSR_SET(1, TWO, THREE);
    VSR_SET(40, 0x1111111111111111ULL, 0x2222222222222222ULL);
    facilities(MSR_FP | MSR_VEC);
    asm volatile("fadd 5,5,5"); /* the FP unit alone works */
    guest_trap_expect_lazy(MSR_VSX);
    asm volatile("lnia %0\n\txvadddp 2,0,1" : "=r"(pc));
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0xf40);
    CHECK_EQ(t.srr0, pc);
    CHECK_EQ(t.srr1 & MSR_VSX, 0);
    CHECK_EQ(t.srr1 & (MSR_FP | MSR_VEC), MSR_FP | MSR_VEC);
    CHECK_EQ(guest_mfmsr() & MSR_FACILITIES, MSR_FACILITIES);
    r = VSR_GET(2);
    CHECK_EQ(r.hi, THREE);
    CHECK_EQ(r.lo, 0x4014000000000000ULL); /* 2 + 3 */
    /* a VSX instruction on VSRs 32-63 too, then lazily */
    facilities(MSR_FP | MSR_VEC);
    guest_trap_expect_lazy(MSR_VSX);
    asm volatile("lnia %0\n\txxlxor 41,40,1" : "=r"(pc));
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0xf40);
    CHECK_EQ(t.srr0, pc);
    r = VSR_GET(41);
    CHECK_EQ(r.hi, 0x1111111111111111ULL ^ TWO);
    CHECK_EQ(r.lo, 0x2222222222222222ULL ^ THREE);
    /* VSX loads and stores: nothing moves before the interrupt */
    facilities(MSR_FP | MSR_VEC);
    fbuf[0] = fbuf[1] = SENTINEL;
    guest_trap_expect();
    asm volatile("stxvd2x 40,0,%0" : : "r"(fbuf) : "memory");
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0xf40);
    CHECK_EQ(fbuf[0], SENTINEL);
    CHECK_EQ(fbuf[1], SENTINEL);
    guest_trap_expect();
    asm volatile("lxvd2x 40,0,%0" : : "r"(fbuf) : "memory");
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0xf40);
    /* lxv on VSR 0-31 is VSX's; scalar DP arithmetic on an FPR is VSX's too */
    guest_trap_expect();
    asm volatile("lxv 3,0(%0)" : : "b"(fbuf) : "memory");
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0xf40);
    guest_trap_expect();
    asm volatile("xsadddp 3,1,1");
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0xf40);
    /* VSX on, FP and VMX off: VSX instructions need only MSR[VSX] */
    facilities(MSR_VSX);
    guest_trap_expect();
    asm volatile("xsadddp 3,1,1\n\txxlor 42,40,40\n\txvadddp 43,40,40");
    CHECK(!guest_trap_taken(&t));
    facilities(MSR_FACILITIES);
    r = VSR_GET(3);
    CHECK_EQ(r.hi, 0x4010000000000000ULL);
    r = VSR_GET(42);
    CHECK_EQ(r.lo, 0x2222222222222222ULL);
    /*
     * The ISA 2.07/3.0 forms that address the FPR or VR half check that half's unit:
     * mtvsrd (FP for VSR 0-31, VMX for 32-63), lxsd (VMX), lxv on VSR 32-63 (VMX);
     * MSR[VSX] alone does not let them run. QEMU 7.2 checks MSR[VSX] instead of
     * MSR[VEC] for lxsd (not for lxssp or stxsd).
     */
    facilities(MSR_VSX);
    guest_trap_expect();
    asm volatile("mtvsrd 6,%0" : : "r"(1));
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0x800);
    guest_trap_expect();
    asm volatile("mtvsrd 38,%0" : : "r"(1));
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0xf20);
    guest_trap_expect();
    asm volatile("lxsd 6,0(%0)" : : "b"(fbuf) : "memory");
    CHECK_EQ(guest_trap_taken(&t), !guest_oracle());
    CHECK_EQ(t.vector, guest_oracle() ? 0 : 0xf20);
    guest_trap_expect();
    asm volatile("lxv 38,0(%0)" : : "b"(fbuf) : "memory");
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0xf20);
    guest_trap_expect();
    asm volatile("lxssp 6,0(%0)" : : "b"(fbuf) : "memory");
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0xf20);
    fbuf[2] = SENTINEL;
    guest_trap_expect();
    asm volatile("stxsd 6,16(%0)" : : "b"(fbuf) : "memory");
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0xf20);
    CHECK_EQ(fbuf[2], SENTINEL);
    /* with VSX off they run on their own unit */
    facilities(MSR_FP | MSR_VEC);
    guest_trap_expect();
    asm volatile("mtvsrd 6,%0\n\tmtvsrd 38,%0" : : "r"(1));
    CHECK(!guest_trap_taken(&t));
    guest_trap_expect();
    asm volatile("lxsd 6,0(%0)" : : "b"(fbuf) : "memory");
    CHECK_EQ(guest_trap_taken(&t), guest_oracle());
    CHECK_EQ(t.vector, guest_oracle() ? 0xf40 : 0);
    guest_trap_expect();
    asm volatile("stxsd 6,16(%0)" : : "b"(fbuf) : "memory");
    CHECK(!guest_trap_taken(&t));
    facilities(MSR_FACILITIES);
}

/*
 * Words that are no instruction: illegal (0x700, SRR1[44]), not facility-unavailable,
 * under every combination of MSR[FP], [VEC] and [VSX]: an unassigned opcode-60 word
 * (not the VSX-unavailable interrupt) and 0x12345678.
 */
static void test_illegal(void)
{
    struct guest_trap t;

    for (int m = 0; m < 8; m++) {
        facilities((m & 1 ? MSR_FP : 0) | (m & 2 ? MSR_VEC : 0) | (m & 4 ? MSR_VSX : 0));
        guest_trap_expect();
        asm volatile(".long 0xf0000020"); /* opcode 60, XX3 XO 4: unassigned */
        CHECK(guest_trap_taken(&t));
        CHECK_EQ(t.vector, 0x700);
        CHECK_EQ(t.srr1 & (SRR1_ILLEGAL | SRR1_FP), SRR1_ILLEGAL);
        guest_trap_expect();
        asm volatile(".long 0x12345678");
        CHECK(guest_trap_taken(&t));
        CHECK_EQ(t.vector, 0x700);
        CHECK_EQ(t.srr1 & SRR1_ILLEGAL, SRR1_ILLEGAL);
    }
    facilities(MSR_FACILITIES);
}

/* ---- loads and stores ---- */

static uint8_t lmem[64] __attribute__((aligned(16)));
static uint8_t smem[64] __attribute__((aligned(16)));

#define VLOAD(insn, n, p)                                                                          \
    ({                                                                                             \
        VSR_SET(n, SENTINEL, SENTINEL);                                                            \
        asm volatile(insn " " #n ",0,%0" : : "r"(p) : "memory");                                   \
        VSR_GET(n);                                                                                \
    })

static void test_vector_loads(void)
{
    struct v128 r;
    unsigned bad;

    for (int i = 0; i < 64; i++) {
        lmem[i] = 0x40 + i * 3;
    }
    /* every misalignment; lxvd2x/lxvw4x/lxvh8x/lxvb16x take elements in the image's order */
    for (int off = 0; off < 16; off++) {
        const uint8_t *p = lmem + off;

        r = VLOAD("lxvd2x", 1, p);
        CHECK_EQ(r.hi, ld64(p));
        CHECK_EQ(r.lo, ld64(p + 8));
        r = VLOAD("lxvd2x", 33, p);
        CHECK_EQ(r.hi, ld64(p));
        CHECK_EQ(r.lo, ld64(p + 8));
        r = VLOAD("lxvw4x", 2, p);
        bad = 0;
        for (int i = 0; i < 4; i++) {
            bad += vword(r, i) != ld32(p + 4 * i);
        }
        CHECK_EQ(bad, 0);
        r = VLOAD("lxvh8x", 34, p);
        bad = 0;
        for (int i = 0; i < 8; i++) {
            bad += vhalf(r, i) != ld16(p + 2 * i);
        }
        CHECK_EQ(bad, 0);
        /* lxvb16x: byte i from EA + i in either order; lxvx: the quadword in the
         * image's order, so little-endian reverses all 16 bytes */
        r = VLOAD("lxvb16x", 3, p);
        bad = 0;
        for (int i = 0; i < 16; i++) {
            bad += vbyte(r, i) != p[i];
        }
        CHECK_EQ(bad, 0);
        r = VLOAD("lxvx", 35, p);
        bad = 0;
        for (int i = 0; i < 16; i++) {
            bad += vbyte(r, i) != p[LE ? 15 - i : i];
        }
        CHECK_EQ(bad, 0);
        VSR_SET(4, SENTINEL, SENTINEL);
        asm volatile("lxv 4,16(%0)" : : "b"(p - 16) : "memory");
        r = VSR_GET(4);
        bad = 0;
        for (int i = 0; i < 16; i++) {
            bad += vbyte(r, i) != p[LE ? 15 - i : i];
        }
        CHECK_EQ(bad, 0);
    }
    /* splats */
    r = VLOAD("lxvdsx", 5, lmem + 8);
    CHECK_EQ(r.hi, ld64(lmem + 8));
    CHECK_EQ(r.lo, ld64(lmem + 8));
    r = VLOAD("lxvwsx", 36, lmem + 4);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(vword(r, i), ld32(lmem + 4));
    }
}

static void test_scalar_loads(void)
{
    struct v128 r;

    for (int i = 0; i < 64; i++) {
        lmem[i] = 0x81 + i * 5;
    }
    /* doubleword 0 from memory in the image's order; doubleword 1 is undefined for the
     * X forms, so only doubleword 0 is checked */
    r = VLOAD("lxsdx", 6, lmem + 8);
    CHECK_EQ(r.hi, ld64(lmem + 8));
    r = VLOAD("lxsiwzx", 7, lmem + 4);
    CHECK_EQ(r.hi, ld32(lmem + 4));
    r = VLOAD("lxsiwax", 37, lmem + 4);
    CHECK_EQ(r.hi, (uint64_t)(int64_t)(int32_t)ld32(lmem + 4));
    CHECK(r.hi >> 63); /* the sign bit was set: the extension shows */
    r = VLOAD("lxsihzx", 8, lmem + 2);
    CHECK_EQ(r.hi, ld16(lmem + 2));
    r = VLOAD("lxsibzx", 38, lmem + 3);
    CHECK_EQ(r.hi, lmem[3]);
    /* lxsspx / lxssp: binary32 to binary64, 1.5 and -2^-149 (a denormal, exactly) */
    st32(lmem + 16, 0x3fc00000);
    st32(lmem + 20, 0x80000001);
    r = VLOAD("lxsspx", 9, lmem + 16);
    CHECK_EQ(r.hi, 0x3ff8000000000000ULL);
    VSR_SET(40, SENTINEL, SENTINEL);
    asm volatile("lxssp 8,20(%0)" : : "b"(lmem) : "memory"); /* VSR 40 */
    r = VSR_GET(40);
    CHECK_EQ(r.hi, 0xb6a0000000000000ULL);
    VSR_SET(41, SENTINEL, SENTINEL);
    asm volatile("lxsd 9,24(%0)" : : "b"(lmem) : "memory"); /* VSR 41 */
    r = VSR_GET(41);
    CHECK_EQ(r.hi, ld64(lmem + 24));
}

#define VSTORE(insn, n, p) asm volatile(insn " " #n ",0,%0" : : "r"(p) : "memory")

/* Bytes of smem outside [from, from + len) still hold 0xee. */
static unsigned untouched(int from, int len)
{
    unsigned bad = 0;

    for (int i = 0; i < 64; i++) {
        if (i < from || i >= from + len) {
            bad += smem[i] != 0xee;
        }
    }
    return bad;
}

static void test_stores(void)
{
    const uint64_t hi = 0x0011223344556677ULL, lo = 0x8899aabbccddeeffULL;
    struct v128 v = { hi, lo };
    unsigned bad;

    VSR_SET(10, hi, lo);
    VSR_SET(42, hi, lo);
    for (int off = 0; off < 16; off++) {
        uint8_t *p = smem + 16 + off;

        __builtin_memset(smem, 0xee, sizeof(smem));
        VSTORE("stxvd2x", 10, p);
        CHECK_EQ(ld64(p), hi);
        CHECK_EQ(ld64(p + 8), lo);
        CHECK_EQ(untouched(16 + off, 16), 0);

        __builtin_memset(smem, 0xee, sizeof(smem));
        VSTORE("stxvw4x", 42, p);
        bad = untouched(16 + off, 16);
        for (int i = 0; i < 4; i++) {
            bad += ld32(p + 4 * i) != vword(v, i);
        }
        CHECK_EQ(bad, 0);

        __builtin_memset(smem, 0xee, sizeof(smem));
        VSTORE("stxvh8x", 10, p);
        bad = untouched(16 + off, 16);
        for (int i = 0; i < 8; i++) {
            bad += ld16(p + 2 * i) != vhalf(v, i);
        }
        CHECK_EQ(bad, 0);

        __builtin_memset(smem, 0xee, sizeof(smem));
        VSTORE("stxvb16x", 42, p);
        bad = untouched(16 + off, 16);
        for (int i = 0; i < 16; i++) {
            bad += p[i] != vbyte(v, i);
        }
        CHECK_EQ(bad, 0);

        __builtin_memset(smem, 0xee, sizeof(smem));
        VSTORE("stxvx", 10, p);
        bad = untouched(16 + off, 16);
        for (int i = 0; i < 16; i++) {
            bad += p[LE ? 15 - i : i] != vbyte(v, i);
        }
        CHECK_EQ(bad, 0);

        __builtin_memset(smem, 0xee, sizeof(smem));
        asm volatile("stxv 42,-16(%0)" : : "b"(p + 16) : "memory");
        bad = untouched(16 + off, 16);
        for (int i = 0; i < 16; i++) {
            bad += p[LE ? 15 - i : i] != vbyte(v, i);
        }
        CHECK_EQ(bad, 0);
    }
    /* scalar stores: the low-order part of doubleword 0, in the image's order */
    __builtin_memset(smem, 0xee, sizeof(smem));
    VSTORE("stxsdx", 10, smem + 8);
    CHECK_EQ(ld64(smem + 8), hi);
    CHECK_EQ(untouched(8, 8), 0);
    __builtin_memset(smem, 0xee, sizeof(smem));
    asm volatile("stxsd 10,8(%0)" : : "b"(smem) : "memory"); /* VSR 42 */
    CHECK_EQ(ld64(smem + 8), hi);
    CHECK_EQ(untouched(8, 8), 0);
    __builtin_memset(smem, 0xee, sizeof(smem));
    VSTORE("stxsiwx", 42, smem + 4);
    CHECK_EQ(ld32(smem + 4), 0x44556677);
    CHECK_EQ(untouched(4, 4), 0);
    __builtin_memset(smem, 0xee, sizeof(smem));
    VSTORE("stxsihx", 10, smem + 2);
    CHECK_EQ(ld16(smem + 2), 0x6677);
    CHECK_EQ(untouched(2, 2), 0);
    __builtin_memset(smem, 0xee, sizeof(smem));
    VSTORE("stxsibx", 42, smem + 5);
    CHECK_EQ(smem[5], 0x77);
    CHECK_EQ(untouched(5, 1), 0);
    /* stxsspx / stxssp: binary64 to binary32 (1.5, and -3) */
    VSR_SET(11, 0x3ff8000000000000ULL, SENTINEL);
    VSR_SET(43, 0xc008000000000000ULL, SENTINEL);
    __builtin_memset(smem, 0xee, sizeof(smem));
    VSTORE("stxsspx", 11, smem + 8);
    asm volatile("stxssp 11,12(%0)" : : "b"(smem) : "memory"); /* VSR 43 */
    CHECK_EQ(ld32(smem + 8), 0x3fc00000);
    CHECK_EQ(ld32(smem + 12), 0xc0400000);
    CHECK_EQ(untouched(8, 8), 0);
}

/*
 * lxvl/stxvl move RB[0:7] bytes (16 at most), the rest of the register zero: big-endian
 * into bytes 0.., little-endian into bytes 15.. downwards, so the register reads like a
 * partial lxvx. lxvll/stxvll are left-justified in both orders.
 */
static void test_length_loads_stores(void)
{
    unsigned bad;

    for (int i = 0; i < 64; i++) {
        lmem[i] = 0x11 + i * 7;
    }
    for (uint64_t len = 0; len <= 18; len++) {
        const uint8_t *p = lmem + 3;
        struct v128 r, l;

        VSR_SET(12, SENTINEL, SENTINEL);
        VSR_SET(44, SENTINEL, SENTINEL);
        asm volatile("lxvl 12,%0,%1\n\tlxvll 44,%0,%1" : : "b"(p), "r"(len << 56) : "memory");
        r = VSR_GET(12);
        l = VSR_GET(44);
        bad = 0;
        for (uint64_t i = 0; i < 16; i++) {
            uint8_t want = i < len ? p[i] : 0;

            bad += vbyte(r, LE ? 15 - i : i) != want;
            bad += vbyte(l, i) != want;
        }
        CHECK_EQ(bad, 0);
        /* store them back: exactly len bytes, where they came from */
        __builtin_memset(smem, 0xee, sizeof(smem));
        asm volatile("stxvl 12,%0,%1" : : "b"(smem + 5), "r"(len << 56) : "memory");
        bad = untouched(5, len > 16 ? 16 : len);
        for (uint64_t i = 0; i < len && i < 16; i++) {
            bad += smem[5 + i] != p[i];
        }
        CHECK_EQ(bad, 0);
        __builtin_memset(smem, 0xee, sizeof(smem));
        asm volatile("stxvll 44,%0,%1" : : "b"(smem + 33), "r"(len << 56) : "memory");
        bad = untouched(33, len > 16 ? 16 : len);
        for (uint64_t i = 0; i < len && i < 16; i++) {
            bad += smem[33 + i] != p[i];
        }
        CHECK_EQ(bad, 0);
    }
    /* only RB[0:7] counts: low bits set change nothing */
    asm volatile("lxvl 12,%0,%1" : : "b"(lmem), "r"((2ULL << 56) | 0xffffff) : "memory");
    struct v128 r = VSR_GET(12);
    CHECK_EQ(LE ? r.lo : r.hi, LE ? (uint64_t)lmem[1] << 8 | lmem[0]
                                  : (uint64_t)lmem[0] << 56 | (uint64_t)lmem[1] << 48);
    CHECK_EQ(LE ? r.hi : r.lo, 0);
}

/* ---- strlen and memcpy as glibc's POWER9 code writes them ---- */

/*
 * The first step loads only up to the next 16-byte boundary (lxvl with that length:
 * the rest of the register is zero, which must not count as the terminator), the
 * following ones whole aligned quadwords. vcmpneb against zero then vnor marks the
 * zero bytes; vclzlsbb counts the bytes before the first one big-endian, vctzlsbb
 * little-endian (where byte 0 of memory is byte 15 of the register).
 */
static size_t strlen_lxvl(const char *s)
{
    size_t n = 0;
    uint64_t chunk = 16 - ((uint64_t)s & 15);

    asm volatile("vspltisb 0,0");
    for (;;) {
        uint64_t k;

        asm volatile("lxvl 33,%[p],%[l]\n\t"
                     "vcmpneb 2,1,0\n\t"
                     "vnor 2,2,2\n\t"
#ifdef __LITTLE_ENDIAN__
                     "vctzlsbb %[k],2"
#else
                     "vclzlsbb %[k],2"
#endif
                     : [k] "=r"(k)
                     : [p] "b"(s), [l] "r"(chunk << 56)
                     : "memory");
        if (k < chunk) {
            return n + k;
        }
        n += chunk;
        s += chunk;
        chunk = 16;
    }
}

/* The same with lxvll (left-justified in both orders: vclzlsbb always) and vcmpnezb of
 * the data with itself, 16 bytes at a time from any address. */
static size_t strlen_lxvll(const char *s)
{
    size_t n = 0;

    for (;;) {
        uint64_t k;

        asm volatile("lxvll 33,%[p],%[l]\n\t"
                     "vcmpnezb. 2,1,1\n\t"
                     "vclzlsbb %[k],2"
                     : [k] "=r"(k)
                     : [p] "b"(s), [l] "r"(16ULL << 56)
                     : "memory", "cr6");
        if (k < 16) {
            return n + k;
        }
        n += 16;
        s += 16;
    }
}

/* memcpy in steps of up to 16 bytes: lxvl/stxvl, or lxvll/stxvll. */
static void memcpy_lxvl(void *d, const void *s, size_t n, bool left)
{
    while (n > 0) {
        uint64_t l = n < 16 ? n : 16;

        if (left) {
            asm volatile("lxvll 34,%1,%2\n\tstxvll 34,%0,%2"
                         :
                         : "b"(d), "b"(s), "r"(l << 56)
                         : "memory");
        } else {
            asm volatile("lxvl 34,%1,%2\n\tstxvl 34,%0,%2"
                         :
                         : "b"(d), "b"(s), "r"(l << 56)
                         : "memory");
        }
        d = (uint8_t *)d + l;
        s = (const uint8_t *)s + l;
        n -= l;
    }
}

static char str_buf[160] __attribute__((aligned(16)));
static uint8_t cpy_src[160] __attribute__((aligned(16)));
static uint8_t cpy_dst[160] __attribute__((aligned(16)));

static void test_string_functions(void)
{
    unsigned bad_a = 0, bad_b = 0, bad_c = 0, bad_d = 0;

    for (int len = 0; len <= 100; len++) {
        for (int al = 0; al < 16; al++) {
            char *s = str_buf + al;

            for (int i = 0; i < (int)sizeof(str_buf); i++) {
                str_buf[i] = (char)(0x20 + (i * 13 + len) % 90);
            }
            s[len] = 0;
            bad_a += strlen_lxvl(s) != (size_t)len;
            bad_b += strlen_lxvll(s) != (size_t)len;
        }
    }
    CHECK_EQ(bad_a, 0);
    CHECK_EQ(bad_b, 0);
    for (int i = 0; i < (int)sizeof(cpy_src); i++) {
        cpy_src[i] = (uint8_t)(i * 29 + 7);
    }
    for (int len = 0; len <= 100; len++) {
        for (int sa = 0; sa < 16; sa++) {
            for (int da = 0; da < 16; da += (sa & 3) + 1) {
                for (int left = 0; left < 2; left++) {
                    unsigned bad = 0;

                    __builtin_memset(cpy_dst, 0xee, sizeof(cpy_dst));
                    memcpy_lxvl(cpy_dst + da, cpy_src + sa, len, left);
                    for (int i = 0; i < (int)sizeof(cpy_dst); i++) {
                        bool in = i >= da && i < da + len;

                        bad += cpy_dst[i] != (in ? cpy_src[sa + i - da] : 0xee);
                    }
                    if (left) {
                        bad_d += bad != 0;
                    } else {
                        bad_c += bad != 0;
                    }
                }
            }
        }
    }
    CHECK_EQ(bad_c, 0);
    CHECK_EQ(bad_d, 0);
}

/* ---- FP exceptions and rounding ---- */

struct xres {
    uint64_t hi, lo, fpscr;
};

/* VSR 1 = A, VSR 2 = B, VSR 0 = the sentinel, FPSCR = @fpscr; run @tmpl; VSR 0 and FPSCR. */
#define XOP(tmpl, a_h, a_l, b_h, b_l, fpscr_in)                                                    \
    ({                                                                                             \
        struct xres r_;                                                                            \
        uint64_t f_ = (fpscr_in);                                                                  \
        asm volatile("mtvsrdd 1,%[ah],%[al]\n\t"                                                   \
                     "mtvsrdd 2,%[bh],%[bl]\n\t"                                                   \
                     "mtvsrdd 0,%[s],%[s]\n\t"                                                     \
                     "mtvsrd 4,%[f]\n\t"                                                           \
                     "mtfsf 0xff,4,1,0\n\t" tmpl "\n\t"                                            \
                     "mffs 5\n\t"                                                                  \
                     "mfvsrd %[f],5\n\t"                                                           \
                     "mfvsrd %[h],0\n\t"                                                           \
                     "mfvsrld %[l],0"                                                              \
                     : [h] "=&r"(r_.hi), [l] "=&r"(r_.lo), [f] "+&r"(f_)                           \
                     : [ah] "b"((uint64_t)(a_h)), [al] "r"((uint64_t)(a_l)),                       \
                       [bh] "b"((uint64_t)(b_h)), [bl] "r"((uint64_t)(b_l)), [s] "b"(SENTINEL)     \
                     : "memory");                                                                  \
        r_.fpscr = f_;                                                                             \
        r_;                                                                                        \
    })

static void test_rounding_modes(void)
{
    /* 1 + 0.75 ulp and its negative; 3 * (1 + ulp) = 3 + 1.5 ulp (a tie, to even);
     * -(1 + ulp)^2 = -(1 + 2 ulp + ulp^2); 1 + 2^-24 + 2^-30 and -(1 + 2^-25) to single */
    static const uint64_t add_p[4] = { 0x3ff0000000000001ULL, ONE, 0x3ff0000000000001ULL, ONE };
    static const uint64_t add_n[4] = { 0xbff0000000000001ULL, 0xbff0000000000000ULL,
                                       0xbff0000000000000ULL, 0xbff0000000000001ULL };
    static const uint64_t mul_0[4] = { 0x4008000000000002ULL, 0x4008000000000001ULL,
                                       0x4008000000000002ULL, 0x4008000000000001ULL };
    static const uint64_t mul_1[4] = { 0xbff0000000000002ULL, 0xbff0000000000002ULL,
                                       0xbff0000000000002ULL, 0xbff0000000000003ULL };
    static const uint32_t cvt_p[4] = { 0x3f800001, 0x3f800000, 0x3f800001, 0x3f800000 };
    static const uint32_t cvt_n[4] = { 0xbf800000, 0xbf800000, 0xbf800000, 0xbf800001 };
    /* whether the magnitude was rounded up (FPSCR[FR]; QEMU 7.2 never sets it) */
    static const bool up_p[4] = { true, false, true, false };
    static const bool up_n[4] = { true, false, false, true };
    const uint64_t unit = 0x3ff0000000000001ULL;
    struct xres r;

    for (uint64_t rn = 0; rn < 4; rn++) {
        r = XOP("xsadddp 0,1,2", ONE, SENTINEL, 0x3ca8000000000000ULL, SENTINEL, rn);
        CHECK_EQ(r.hi, add_p[rn]);
        CHECK_EQ(r.fpscr, FX | XX | FI | (up_p[rn] && !guest_oracle() ? FR : 0) | FPRF(0x04) | rn);
        r = XOP("xsadddp 0,1,2", NEG1, SENTINEL, 0xbca8000000000000ULL, SENTINEL, rn);
        CHECK_EQ(r.hi, add_n[rn]);
        CHECK_EQ(r.fpscr, FX | XX | FI | (up_n[rn] && !guest_oracle() ? FR : 0) | FPRF(0x08) | rn);
        /* vector: each element rounded in the mode; FR, FI and FPRF are not changed */
        r = XOP("xvmuldp 0,1,2", THREE, unit, unit, unit | PPC_BIT(0), rn);
        CHECK_EQ(r.hi, mul_0[rn]);
        CHECK_EQ(r.lo, mul_1[rn]);
        CHECK_EQ(r.fpscr, FX | XX | rn);
        /* xscvdpsp: the binary32 value in word 0 (words 1-3 undefined) */
        r = XOP("xscvdpsp 0,2", 0, 0, 0x3ff0000010400000ULL, 0, rn);
        CHECK_EQ(r.hi >> 32, cvt_p[rn]);
        CHECK_EQ(r.fpscr, FX | XX | FI | (up_p[rn] && !guest_oracle() ? FR : 0) | FPRF(0x04) | rn);
        r = XOP("xscvdpsp 0,2", 0, 0, 0xbff0000008000000ULL, 0, rn);
        CHECK_EQ(r.hi >> 32, cvt_n[rn]);
        CHECK_EQ(r.fpscr & (XX | FI | FPRF_MASK), XX | FI | FPRF(0x08));
        /* an exact result: FI and FR cleared, the sticky XX kept */
        r = XOP("xsadddp 0,1,2", ONE, 0, ONE, 0, rn | XX | FI | FR);
        CHECK_EQ(r.hi, TWO);
        CHECK_EQ(r.fpscr, XX | FPRF(0x04) | rn | (guest_oracle() ? FR : 0));
    }
}

static void test_enabled_exceptions(void)
{
    struct guest_trap t;
    struct xres r;
    uint64_t msr = guest_mfmsr();

    /* ignore mode (FE0 = FE1 = 0): VE/ZE keep the target (QEMU 7.2 writes it) */
    r = XOP("xsdivdp 0,1,2", ONE, 0, 0, 0, ZE);
    CHECK_EQ(r.hi, guest_oracle() ? 0x7ff0000000000000ULL : SENTINEL);
    CHECK_EQ(r.fpscr, FX | FEX | ZX | ZE | (guest_oracle() ? FPRF(0x05) : 0));
    /* precise mode */
    set_msr(msr | MSR_FE0 | MSR_FE1);
    /* zero divide: the program interrupt, SRR1[43], SRR0 = the xsdivdp; target unchanged */
    guest_trap_expect();
    r = XOP("xsdivdp 0,1,2", ONE, 0, 0, 0, ZE);
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0x700);
    CHECK_EQ(t.srr1 & (SRR1_FP | SRR1_ILLEGAL), SRR1_FP);
    CHECK_EQ(*(uint32_t *)t.srr0, 0xf00111c0u); /* xsdivdp vs0,vs1,vs2 */
    CHECK_EQ(r.hi, SENTINEL);
    CHECK_EQ(r.lo, SENTINEL);
    CHECK_EQ(r.fpscr, FX | FEX | ZX | ZE);
    /* an sNaN operand with VE: VXSNAN, target unchanged */
    guest_trap_expect();
    r = XOP("xsadddp 0,1,2", SNAN, 0, ONE, 0, VE);
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0x700);
    CHECK_EQ(t.srr1 & (SRR1_FP | SRR1_ILLEGAL), SRR1_FP);
    CHECK_EQ(*(uint32_t *)t.srr0, 0xf0011100u); /* xsadddp vs0,vs1,vs2 */
    CHECK_EQ(r.hi, SENTINEL);
    CHECK_EQ(r.fpscr, FX | FEX | VX | VXSNAN | VE);
    /* a vector op: one invalid element with VE leaves the whole target unchanged */
    guest_trap_expect();
    r = XOP("xvadddp 0,1,2", ONE, SNAN, ONE, ONE, VE);
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0x700);
    CHECK_EQ(t.srr1 & SRR1_FP, SRR1_FP);
    CHECK_EQ(r.hi, SENTINEL);
    CHECK_EQ(r.lo, SENTINEL);
    CHECK_EQ(r.fpscr & (FEX | VX | VXSNAN), FEX | VX | VXSNAN);
    /* overflow with OE: the interrupt after the target got the result scaled by
     * 2^-1536 (2^1024 -> 2^-512) */
    guest_trap_expect();
    r = XOP("xsadddp 0,1,2", 0x7fe0000000000000ULL, 0, 0x7fe0000000000000ULL, 0, OE);
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, 0x700);
    CHECK_EQ(t.srr1 & (SRR1_FP | SRR1_ILLEGAL), SRR1_FP);
    CHECK_EQ(r.hi, 0x1ff0000000000000ULL);
    CHECK_EQ(r.fpscr, FX | FEX | OX | FPRF(0x04) | OE);
    /* nothing enabled: no interrupt even in precise mode */
    guest_trap_expect();
    r = XOP("xsdivdp 0,1,2", ONE, 0, 0, 0, 0);
    CHECK(!guest_trap_taken(&t));
    CHECK_EQ(r.hi, 0x7ff0000000000000ULL);
    set_msr(msr);
}

int main(void *fdt)
{
    facilities(MSR_FACILITIES);
    test_lazy_fp();
    test_lazy_vec();
    test_lazy_vsx();
    test_illegal();
    test_vector_loads();
    test_scalar_loads();
    test_stores();
    test_length_loads_stores();
    test_string_functions();
    test_rounding_modes();
    test_enabled_exceptions();
    return 0;
}
