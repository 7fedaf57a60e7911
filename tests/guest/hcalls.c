/* The CPU-facing hypercalls from the partition: H_SET_SPRG0, H_SET_DABR/XDABR,
 * H_PAGE_INIT (also on code that then runs), H_RANDOM, H_GET_CPU_CHARACTERISTICS
 * and the H_LOGICAL_* debug calls; every refusal leaving memory as it was. */
#include "insn.h"

#define H_SET_SPRG0 0x24
#define H_SET_DABR 0x28
#define H_PAGE_INIT 0x2c
#define H_LOGICAL_CI_LOAD 0x3c
#define H_LOGICAL_CI_STORE 0x40
#define H_LOGICAL_CACHE_LOAD 0x44
#define H_LOGICAL_CACHE_STORE 0x48
#define H_LOGICAL_ICBI 0x4c
#define H_LOGICAL_DCBF 0x50
#define H_SET_XDABR 0x134
#define H_GET_CPU_CHARACTERISTICS 0x1c8
#define H_RANDOM 0x300

#define H_HARDWARE (-1)
#define H_FUNCTION (-2)
#define H_PARAMETER (-4)

/* H_PAGE_INIT flags */
#define H_ICACHE_INVALIDATE PPC_BIT(40)
#define H_ICACHE_SYNCHRONIZE PPC_BIT(41)
#define H_ZERO_PAGE PPC_BIT(48)
#define H_COPY_PAGE PPC_BIT(49)
#define PAGE_INIT_FLAGS (H_ICACHE_INVALIDATE | H_ICACHE_SYNCHRONIZE | H_ZERO_PAGE | H_COPY_PAGE)

/* DABRX: problem state, privileged state, hypervisor state, translation enable. */
#define DABRX_USER 0x1
#define DABRX_KERNEL 0x2
#define DABRX_HYP 0x4
#define DABRX_BTI 0x8

/* H_GET_CPU_CHARACTERISTICS bits (PAPR; Linux's H_CPU_CHAR_* and H_CPU_BEHAV_*). */
#define CHAR_SPEC_BAR_ORI31 PPC_BIT(0)
#define CHAR_BCCTRL_SERIALISED PPC_BIT(1)
#define CHAR_L1D_FLUSH_ORI30 PPC_BIT(2)
#define CHAR_L1D_FLUSH_TRIG2 PPC_BIT(3)
#define CHAR_L1D_THREAD_PRIV PPC_BIT(4)
#define CHAR_BRANCH_HINTS_HONORED PPC_BIT(5)
#define CHAR_COUNT_CACHE_DISABLED PPC_BIT(7)
#define CHAR_BCCTR_FLUSH_ASSIST PPC_BIT(9)
#define BEHAV_FAVOUR_SECURITY PPC_BIT(0)
#define BEHAV_L1D_FLUSH_PR PPC_BIT(1)
#define BEHAV_BNDS_CHK_SPEC_BAR PPC_BIT(2)
#define BEHAV_FLUSH_COUNT_CACHE PPC_BIT(5)

#define PAGE 4096
/* run-guest.sh gives the machine 1 GiB. */
#define RAM_END 0x40000000ULL

#define VEC_PROGRAM 0x700
#define SRR1_ILLEGAL PPC_BIT(44)

/* Instructions: li r3,N; blr. */
#define LI_R3(n) (0x38600000u | (uint16_t)(n))
#define BLR 0x4e800020u

static uint8_t pg[6][PAGE] __attribute__((aligned(PAGE)));
static uint8_t snapshot[6][PAGE];

static int64_t hcall3(uint64_t opcode, uint64_t a, uint64_t b, uint64_t c, uint64_t *out)
{
    uint64_t regs[9] = { a, b, c };
    int64_t rc = guest_hcall(opcode, regs);

    if (out) {
        *out = regs[0];
    }
    return rc;
}

static uint64_t addr_of(const void *p)
{
    return (uintptr_t)p;
}

/* A pointer to guest-physical @pa (real mode: the same address). */
static uint8_t *phys(uint64_t pa)
{
    uint8_t *p;

    asm("" : "=r"(p) : "0"(pa));
    return p;
}

static void fill(int seed)
{
    for (int i = 0; i < 6; i++) {
        for (int j = 0; j < PAGE; j++) {
            pg[i][j] = (uint8_t)(seed + i * 53 + j * 13 + (j >> 8));
        }
    }
}

static void remember(void)
{
    memcpy(snapshot, pg, sizeof(pg));
}

static bool unchanged(void)
{
    return memcmp(snapshot, pg, sizeof(pg)) == 0;
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i]) {
            return false;
        }
    }
    return true;
}

/* @n bytes at @p as a big-endian number. */
static uint64_t be_read(const uint8_t *p, int n)
{
    uint64_t v = 0;

    for (int i = 0; i < n; i++) {
        v = v << 8 | p[i];
    }
    return v;
}

static void be_write(uint8_t *p, int n, uint64_t v)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = v;
        v >>= 8;
    }
}

/* ---- H_SET_SPRG0 ---- */

#define MFSPR(n)                                                                                   \
    ({                                                                                             \
        uint64_t v_;                                                                               \
        asm volatile("mfspr %0, " #n : "=r"(v_));                                                  \
        v_;                                                                                        \
    })
#define MTSPR(n, v) asm volatile("mtspr " #n ", %0" ::"r"((uint64_t)(v)))

static void test_set_sprg0(void)
{
    static const uint64_t values[] = { 0x0123456789abcdefULL, 0, ~0ULL, 0x8000000000000001ULL };

    /* The runtime's interrupt handler uses SPRG0/1; none comes here. */
    MTSPR(273, 0x1111);
    MTSPR(274, 0x2222);
    MTSPR(275, 0x3333);
    for (unsigned i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        CHECK_EQ(hcall3(H_SET_SPRG0, values[i], 0, 0, NULL), 0);
        CHECK_EQ(MFSPR(272), values[i]);
    }
    /* Only SPRG0 moves. */
    CHECK_EQ(MFSPR(273), 0x1111);
    CHECK_EQ(MFSPR(274), 0x2222);
    CHECK_EQ(MFSPR(275), 0x3333);
}

/* ---- H_SET_DABR, H_SET_XDABR ---- */

/*
 * QEMU 7.2's POWER9 has no DABR: both calls answer H_HARDWARE before looking at
 * their arguments. We keep DABR/DABRX for the partition (as KVM does) and check
 * DABRX. On both, mfspr of DABR (1013) is a no-op for a POWER9 partition, so
 * what the calls stored cannot be read back.
 */
static void test_set_dabr(void)
{
    static const uint64_t good[] = { DABRX_USER, DABRX_KERNEL, DABRX_USER | DABRX_KERNEL,
                                     DABRX_USER | DABRX_BTI,
                                     DABRX_USER | DABRX_KERNEL | DABRX_BTI };
    /* Neither problem nor privileged state, hypervisor state, or a bit beyond the four. */
    static const uint64_t bad[] = { 0,    DABRX_BTI,  DABRX_HYP,        0x7,  0xf,
                                    0x13, 0x10 | 0x3, PPC_BIT(0) | 0x3, ~0ULL };

    CHECK_EQ(hcall3(H_SET_DABR, 0x12345678 | 0x7, 0, 0, NULL), guest_oracle() ? H_HARDWARE : 0);
    CHECK_EQ(hcall3(H_SET_DABR, 0, 0, 0, NULL), guest_oracle() ? H_HARDWARE : 0);
    for (unsigned i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        CHECK_EQ(hcall3(H_SET_XDABR, 0x10000 | 0x6, good[i], 0, NULL),
                 guest_oracle() ? H_HARDWARE : 0);
    }
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_EQ(hcall3(H_SET_XDABR, 0x20000 | 0x6, bad[i], 0, NULL),
                 guest_oracle() ? H_HARDWARE : H_PARAMETER);
    }
    /* Leave no breakpoint behind. */
    CHECK_EQ(hcall3(H_SET_XDABR, 0, DABRX_USER | DABRX_KERNEL, 0, NULL),
             guest_oracle() ? H_HARDWARE : 0);
}

/* ---- H_PAGE_INIT ---- */

static int64_t page_init(uint64_t flags, uint64_t dst, uint64_t src)
{
    return hcall3(H_PAGE_INIT, flags, dst, src, NULL);
}

/* A refused H_PAGE_INIT: H_PARAMETER and no byte of the pages changed. */
static void page_init_refused(uint64_t flags, uint64_t dst, uint64_t src)
{
    remember();
    CHECK_EQ(page_init(flags, dst, src), H_PARAMETER);
    CHECK(unchanged());
}

static void test_page_init_data(void)
{
    fill(1);
    remember();
    CHECK_EQ(page_init(H_ZERO_PAGE, addr_of(pg[1]), 0), 0);
    CHECK(all_zero(pg[1], PAGE));
    /* Only that page. */
    memset(snapshot[1], 0, PAGE);
    CHECK(unchanged());

    fill(2);
    remember();
    CHECK_EQ(page_init(H_COPY_PAGE, addr_of(pg[1]), addr_of(pg[4])), 0);
    CHECK(memcmp(pg[1], snapshot[4], PAGE) == 0);
    memcpy(snapshot[1], snapshot[4], PAGE);
    CHECK(unchanged());

    /* Both: the copy wins. */
    fill(3);
    remember();
    CHECK_EQ(page_init(H_COPY_PAGE | H_ZERO_PAGE, addr_of(pg[2]), addr_of(pg[0])), 0);
    memcpy(snapshot[2], snapshot[0], PAGE);
    CHECK(unchanged());

    /* Copy with the cache flags, and a page onto itself. */
    fill(4);
    remember();
    CHECK_EQ(page_init(PAGE_INIT_FLAGS, addr_of(pg[0]), addr_of(pg[5])), 0);
    memcpy(snapshot[0], snapshot[5], PAGE);
    CHECK(unchanged());
    CHECK_EQ(page_init(H_COPY_PAGE, addr_of(pg[3]), addr_of(pg[3])), 0);
    CHECK(unchanged());

    /* Zeroing ignores r6, even when it is no page at all. */
    CHECK_EQ(page_init(H_ZERO_PAGE, addr_of(pg[5]), 0x123), 0);
    memset(snapshot[5], 0, PAGE);
    CHECK(unchanged());

    /* No flags, or only the cache ones: nothing is written. */
    fill(5);
    remember();
    CHECK_EQ(page_init(0, addr_of(pg[0]), addr_of(pg[1])), 0);
    CHECK_EQ(page_init(H_ICACHE_INVALIDATE, addr_of(pg[0]), 0), 0);
    CHECK_EQ(page_init(H_ICACHE_SYNCHRONIZE, addr_of(pg[1]), 0), 0);
    CHECK_EQ(page_init(H_ICACHE_INVALIDATE | H_ICACHE_SYNCHRONIZE, addr_of(pg[2]), 7), 0);
    CHECK(unchanged());

    /* The last page of RAM. */
    *phys(RAM_END - 1) = 0x5a;
    CHECK_EQ(page_init(H_ZERO_PAGE, RAM_END - PAGE, 0), 0);
    CHECK_EQ(*phys(RAM_END - 1), 0);
}

static void test_page_init_errors(void)
{
    fill(6);
    /* Every flag bit that is not one of the four, alone and with a valid zero. */
    for (int bit = 0; bit < 64; bit++) {
        if (PAGE_INIT_FLAGS & PPC_BIT(bit)) {
            continue;
        }
        page_init_refused(PPC_BIT(bit), addr_of(pg[0]), addr_of(pg[1]));
        page_init_refused(H_ZERO_PAGE | PPC_BIT(bit), addr_of(pg[0]), 0);
        page_init_refused(H_COPY_PAGE | PPC_BIT(bit), addr_of(pg[0]), addr_of(pg[1]));
    }
    page_init_refused(~0ULL, addr_of(pg[0]), addr_of(pg[1]));

    /* A destination that is not a page of RAM. */
    page_init_refused(H_ZERO_PAGE, addr_of(pg[0]) + 8, 0);
    page_init_refused(H_ZERO_PAGE, addr_of(pg[0]) + PAGE / 2, 0);
    page_init_refused(H_ZERO_PAGE, addr_of(pg[0]) + 1, 0);
    page_init_refused(H_COPY_PAGE, addr_of(pg[0]) + 0x100, addr_of(pg[1]));
    page_init_refused(H_ZERO_PAGE, RAM_END, 0);
    page_init_refused(H_ZERO_PAGE, RAM_END - PAGE / 2, 0);
    page_init_refused(H_ZERO_PAGE, 1ULL << 40, 0);
    page_init_refused(H_ZERO_PAGE, ~0ULL << 12, 0);
    page_init_refused(0, RAM_END, 0);
    page_init_refused(H_ICACHE_INVALIDATE, addr_of(pg[0]) + 0x80, 0);
    /* When copying, a source that is not a page of RAM. */
    page_init_refused(H_COPY_PAGE, addr_of(pg[0]), addr_of(pg[1]) + 8);
    page_init_refused(H_COPY_PAGE, addr_of(pg[0]), addr_of(pg[1]) + PAGE / 2);
    page_init_refused(H_COPY_PAGE, addr_of(pg[0]), RAM_END);
    page_init_refused(H_COPY_PAGE, addr_of(pg[0]), 1ULL << 40);
    page_init_refused(H_COPY_PAGE | H_ZERO_PAGE, addr_of(pg[0]), RAM_END);
    page_init_refused(PAGE_INIT_FLAGS, addr_of(pg[0]), addr_of(pg[1]) + 4);
}

/*
 * Call the code at @addr with r3 = 0xdead; an interrupt there resumes at
 * hcalls_code_return with r3 as it was.
 */
static uint64_t __attribute__((noinline)) call_code(uint64_t addr)
{
    register uint64_t r3 asm("r3") = 0xdead;

    asm volatile("mtctr %1\n\t"
                 "bctrl\n"
                 ".globl hcalls_code_return\n"
                 "hcalls_code_return:\n"
                 : "+r"(r3)
                 : "r"(addr)
                 : "r0", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "cr1",
                   "cr5", "cr6", "cr7", "ctr", "lr", "xer", "memory");
    return r3;
}

extern char hcalls_code_return[];

/* Plain stores of code, with no dcbst/icbi after them. */
static void put_code(uint8_t *page, uint32_t off, uint32_t value)
{
    uint32_t *p = (uint32_t *)(page + off);

    p[0] = LI_R3(value);
    p[1] = BLR;
}

static void make_visible(const void *p)
{
    asm volatile("dcbst 0,%0; sync; icbi 0,%0; isync" ::"r"(p) : "memory");
}

/* H_PAGE_INIT on a page of code that has run: the processor fetches the new code. */
static void test_page_init_code(void)
{
    struct guest_trap t;
    uint8_t *code = pg[0];

    fill(7);
    put_code(code, 0, 1);
    put_code(code, 0x800, 11);
    make_visible(code);
    make_visible(code + 0x800);
    CHECK_EQ(call_code(addr_of(code)), 1);
    CHECK_EQ(call_code(addr_of(code) + 0x800), 11);

    /* Copied over it, with each cache flag, both, and neither. */
    put_code(pg[1], 0, 2);
    put_code(pg[1], 0x800, 12);
    CHECK_EQ(page_init(H_COPY_PAGE | H_ICACHE_SYNCHRONIZE, addr_of(code), addr_of(pg[1])), 0);
    CHECK_EQ(call_code(addr_of(code)), 2);
    CHECK_EQ(call_code(addr_of(code) + 0x800), 12);
    put_code(pg[2], 0, 3);
    CHECK_EQ(page_init(H_COPY_PAGE | H_ICACHE_INVALIDATE, addr_of(code), addr_of(pg[2])), 0);
    CHECK_EQ(call_code(addr_of(code)), 3);
    put_code(pg[1], 0, 4);
    CHECK_EQ(page_init(PAGE_INIT_FLAGS, addr_of(code), addr_of(pg[1])), 0);
    CHECK_EQ(call_code(addr_of(code)), 4);
    put_code(pg[2], 0, 5);
    CHECK_EQ(page_init(H_COPY_PAGE, addr_of(code), addr_of(pg[2])), 0);
    CHECK_EQ(call_code(addr_of(code)), 5);

    /* Stores of new code, then only an instruction-cache flag. */
    put_code(code, 0, 6);
    CHECK_EQ(page_init(H_ICACHE_INVALIDATE, addr_of(code), 0), 0);
    CHECK_EQ(call_code(addr_of(code)), 6);
    put_code(code, 0, 7);
    CHECK_EQ(page_init(H_ICACHE_SYNCHRONIZE, addr_of(code), 0), 0);
    CHECK_EQ(call_code(addr_of(code)), 7);

    /* A refused call leaves the code that runs as it was. */
    put_code(pg[1], 0, 8);
    CHECK_EQ(page_init(H_COPY_PAGE | H_ICACHE_SYNCHRONIZE, addr_of(code), addr_of(pg[1]) + 4),
             H_PARAMETER);
    CHECK_EQ(call_code(addr_of(code)), 7);

    /* Zeroed: the first word is now an illegal instruction. */
    CHECK_EQ(page_init(H_ZERO_PAGE | H_ICACHE_INVALIDATE, addr_of(code), 0), 0);
    guest_trap_expect_resume((void (*)(void))hcalls_code_return, 0);
    CHECK_EQ(call_code(addr_of(code)), 0xdead);
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_PROGRAM);
    CHECK_EQ(t.srr0, addr_of(code));
    CHECK(t.srr1 & SRR1_ILLEGAL);
}

/* ---- H_RANDOM ---- */

/* QEMU 7.2 serves H_RANDOM only with an spapr-rng device; we always do. */
static void test_random(void)
{
    uint64_t v[16];

    for (int i = 0; i < 16; i++) {
        v[i] = 0x5a5a;
        CHECK_EQ(hcall3(H_RANDOM, 0, 0, 0, &v[i]), guest_oracle() ? H_FUNCTION : 0);
    }
    if (guest_oracle()) {
        return;
    }
    /* 64 random bits: two equal values among 16 would be a 1 in 2^57 chance. */
    for (int i = 0; i < 16; i++) {
        for (int j = i + 1; j < 16; j++) {
            CHECK(v[i] != v[j]);
        }
    }
}

/* ---- H_GET_CPU_CHARACTERISTICS ---- */

/* The default pseries machine: cap-cfpc, -sbbc, -ibs = workaround, cap-ccf-assist=on. */
static void test_cpu_characteristics(void)
{
    uint64_t regs[9] = { 0x11, 0x22, 0x33 };

    CHECK_EQ(guest_hcall(H_GET_CPU_CHARACTERISTICS, regs), 0);
    CHECK_EQ(regs[0], CHAR_SPEC_BAR_ORI31 | CHAR_L1D_FLUSH_ORI30 | CHAR_L1D_FLUSH_TRIG2 |
                          CHAR_L1D_THREAD_PRIV | CHAR_BRANCH_HINTS_HONORED |
                          CHAR_BCCTR_FLUSH_ASSIST);
    CHECK_EQ(regs[1], BEHAV_FAVOUR_SECURITY | BEHAV_L1D_FLUSH_PR | BEHAV_BNDS_CHK_SPEC_BAR |
                          BEHAV_FLUSH_COUNT_CACHE);
    /* Never both ways of a mitigation. */
    CHECK(!(regs[0] & (CHAR_BCCTRL_SERIALISED | CHAR_COUNT_CACHE_DISABLED)));
}

/* ---- H_LOGICAL_* ---- */

static const uint64_t loads[2] = { H_LOGICAL_CI_LOAD, H_LOGICAL_CACHE_LOAD };
static const uint64_t stores[2] = { H_LOGICAL_CI_STORE, H_LOGICAL_CACHE_STORE };

static void test_logical_load(void)
{
    uint8_t *buf = pg[3];
    uint64_t v;

    fill(8);
    remember();
    for (int k = 0; k < 2; k++) {
        for (int size = 1; size <= 8; size *= 2) {
            for (int off = 0; off < 64; off += size) {
                v = 0;
                CHECK_EQ(hcall3(loads[k], size, addr_of(buf + off), 0, &v), 0);
                CHECK_EQ(v, be_read(buf + off, size));
            }
        }
        /* The first and last bytes of RAM. */
        CHECK_EQ(hcall3(loads[k], 8, 0, 0, &v), 0);
        CHECK_EQ(v, be_read(phys(0), 8));
        *phys(RAM_END - 1) = 0xa5;
        CHECK_EQ(hcall3(loads[k], 1, RAM_END - 1, 0, &v), 0);
        CHECK_EQ(v, 0xa5);
        CHECK_EQ(hcall3(loads[k], 8, RAM_END - 8, 0, &v), 0);
        CHECK_EQ(v, be_read(phys(RAM_END - 8), 8));
    }
    CHECK(unchanged());
}

static void test_logical_store(void)
{
    static const uint64_t value = 0x8877665544332211ULL;
    uint8_t *buf = pg[3];
    uint32_t *code = (uint32_t *)pg[4];
    uint32_t insn;

    for (int k = 0; k < 2; k++) {
        for (int size = 1; size <= 8; size *= 2) {
            for (int off = 0; off < 64; off += size) {
                fill(9 + off);
                remember();
                CHECK_EQ(hcall3(stores[k], size, addr_of(buf + off), value + off, NULL), 0);
                /* The low @size bytes of r6, big-endian, and nothing else. */
                be_write(snapshot[3] + off, size, value + off);
                CHECK(unchanged());
            }
        }
        *phys(RAM_END - 8) = 0;
        CHECK_EQ(hcall3(stores[k], 8, RAM_END - 8, value, NULL), 0);
        CHECK_EQ(be_read(phys(RAM_END - 8), 8), value);
    }

    /* A store into code that has run, then H_LOGICAL_ICBI: the new code runs. */
    code[0] = LI_R3(20);
    code[1] = BLR;
    make_visible(code);
    CHECK_EQ(call_code(addr_of(code)), 20);
    insn = LI_R3(21);
#ifdef __LITTLE_ENDIAN__
    insn = __builtin_bswap32(insn);
#endif
    CHECK_EQ(hcall3(H_LOGICAL_CI_STORE, 4, addr_of(code), insn, NULL), 0);
    CHECK_EQ(hcall3(H_LOGICAL_DCBF, addr_of(code), 0, 0, NULL), 0);
    CHECK_EQ(hcall3(H_LOGICAL_ICBI, addr_of(code), 0, 0, NULL), 0);
    CHECK_EQ(call_code(addr_of(code)), 21);
}

static void test_logical_errors(void)
{
    static const uint64_t bad_sizes[] = { 0, 3, 5, 6, 7, 9, 16, 32, 64, 0x101, ~0ULL, 1ULL << 32 };
    uint8_t *buf = pg[3];
    uint64_t v;

    fill(10);
    for (int k = 0; k < 2; k++) {
        for (unsigned i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++) {
            remember();
            /* A refused load leaves r4 (the size) as it was. */
            CHECK_EQ(hcall3(loads[k], bad_sizes[i], addr_of(buf), 0, &v), H_PARAMETER);
            CHECK_EQ(v, bad_sizes[i]);
            CHECK_EQ(hcall3(stores[k], bad_sizes[i], addr_of(buf), ~0ULL, NULL), H_PARAMETER);
            CHECK(unchanged());
        }

        /*
         * Not a multiple of the size: QEMU 7.2 does the access anyway, we refuse
         * it (r4 then keeps the size).
         */
        for (int size = 2; size <= 8; size *= 2) {
            for (int off = 1; off < size; off++) {
                fill(11 + off);
                remember();
                CHECK_EQ(hcall3(loads[k], size, addr_of(buf + off), 0, &v),
                         guest_oracle() ? 0 : H_PARAMETER);
                CHECK_EQ(v, guest_oracle() ? be_read(buf + off, size) : (uint64_t)size);
                CHECK_EQ(hcall3(stores[k], size, addr_of(buf + off), 0xfedcba9876543210ULL, NULL),
                         guest_oracle() ? 0 : H_PARAMETER);
                if (guest_oracle()) {
                    be_write(snapshot[3] + off, size, 0xfedcba9876543210ULL);
                }
                CHECK(unchanged());
            }
        }

        /*
         * Outside RAM: QEMU 7.2 reads zeros and drops the store; we refuse both.
         * Running past the end of RAM is also misaligned here.
         */
        remember();
        for (int size = 1; size <= 8; size *= 2) {
            CHECK_EQ(hcall3(loads[k], size, RAM_END, 0, &v), guest_oracle() ? 0 : H_PARAMETER);
            CHECK_EQ(v, guest_oracle() ? 0 : (uint64_t)size);
            CHECK_EQ(hcall3(loads[k], size, 1ULL << 40, 0, &v), guest_oracle() ? 0 : H_PARAMETER);
            CHECK_EQ(v, guest_oracle() ? 0 : (uint64_t)size);
            CHECK_EQ(hcall3(stores[k], size, RAM_END, 0x77, NULL),
                     guest_oracle() ? 0 : H_PARAMETER);
            CHECK_EQ(hcall3(stores[k], size, RAM_END + 0x1000, 0x77, NULL),
                     guest_oracle() ? 0 : H_PARAMETER);
        }
        CHECK(unchanged());
        /* The store to no memory left nothing to read back. */
        CHECK_EQ(hcall3(loads[k], 8, RAM_END, 0, &v), guest_oracle() ? 0 : H_PARAMETER);
        CHECK_EQ(v, guest_oracle() ? 0 : 8);
    }
}

/* The cache operations: nothing to do, whatever the arguments, and nothing changes. */
static void test_logical_cache_ops(void)
{
    const uint64_t args[] = { 0, addr_of(pg[0]), addr_of(pg[2]) + 3, RAM_END, ~0ULL };

    fill(12);
    remember();
    for (unsigned i = 0; i < sizeof(args) / sizeof(args[0]); i++) {
        CHECK_EQ(hcall3(H_LOGICAL_ICBI, args[i], args[i], args[i], NULL), 0);
        CHECK_EQ(hcall3(H_LOGICAL_DCBF, args[i], args[i], args[i], NULL), 0);
    }
    CHECK(unchanged());
}

/* The machine has the 1 GiB of RAM the program assumes. */
static void check_ram(const void *fdt)
{
    int mem = guest_fdt_node(fdt, "/memory@0");
    const uint8_t *reg;
    uint32_t len = 0;

    reg = mem >= 0 ? guest_fdt_prop(fdt, mem, "reg", &len) : NULL;
    CHECK_EQ(len, 16);
    CHECK(reg && guest_be32(reg) == 0 && guest_be32(reg + 4) == 0);
    CHECK(reg && guest_be32(reg + 8) == RAM_END >> 32 && guest_be32(reg + 12) == (uint32_t)RAM_END);
}

int main(void *fdt)
{
    check_ram(fdt);
    test_set_sprg0();
    test_set_dabr();
    test_page_init_data();
    test_page_init_errors();
    test_page_init_code();
    test_random();
    test_cpu_characteristics();
    test_logical_load();
    test_logical_store();
    test_logical_errors();
    test_logical_cache_ops();
    return 0;
}
