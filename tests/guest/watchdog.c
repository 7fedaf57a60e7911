/* H_WATCHDOG (hcall-watchdog): query, start and stop with their errors, and a
 * watchdog expiring with the dump-restart action, a system reset at 0x100, which
 * stops the other watchdogs unless told to leave them running.  Then FWNMI: after
 * ibm,nmi-register the system resets (the watchdog's, H_SIGNAL_SYS_RESET) enter
 * the registered handler with r3 pointing at the saved r3 in the RTAS area. */
#include "insn.h"

#define H_WATCHDOG 0x45c
#define H_SIGNAL_SYS_RESET 0x380
#define H_PARAMETER (-4)
#define H_P2 (-55)
#define H_P3 (-56)
#define H_NOOP (-63)

/* r4: operation in bits 48:55, action in 56:63, leave-the-others in bit 47 */
#define OP_START (1ULL << 8)
#define OP_STOP (2ULL << 8)
#define OP_QUERY (3ULL << 8)
#define OP_QUERY_LPM (4ULL << 8)
#define ACT_POWER_OFF 1ULL
#define ACT_DUMP_RESTART 3ULL
#define LEAVE_OTHERS PPC_BIT(47)
#define ALL_WATCHDOGS (~0ULL)

#define VEC_SYSTEM_RESET 0x100
#define TB_PER_MS 512000ULL

static int64_t wdt(uint64_t flags, uint64_t number, uint64_t ms, uint64_t *r4)
{
    uint64_t regs[9] = { flags, number, ms };
    int64_t rc = guest_hcall(H_WATCHDOG, regs);

    if (r4) {
        *r4 = regs[0];
    }
    return rc;
}

static void test_query_and_errors(void)
{
    uint64_t r4;

    /* One millisecond at least, four watchdogs. */
    CHECK_EQ(wdt(OP_QUERY, 1, 0, &r4), H_SUCCESS);
    CHECK_EQ(r4, 0x0001000400000000ULL);
    CHECK_EQ(wdt(OP_QUERY_LPM, 1, 0, &r4), H_SUCCESS);
    CHECK_EQ(r4, 2); /* need not be stopped before a migration */
    CHECK_EQ(wdt(OP_QUERY_LPM, 5, 0, &r4), H_P2);
    CHECK_EQ(r4, OP_QUERY_LPM); /* r4 untouched */

    /* Nothing running: stopping is a no-op. */
    CHECK_EQ(wdt(OP_STOP, 1, 0, NULL), H_NOOP);
    CHECK_EQ(wdt(OP_STOP, ALL_WATCHDOGS, 0, NULL), H_NOOP);
    CHECK_EQ(wdt(OP_STOP, 5, 0, NULL), H_P2);
    CHECK_EQ(wdt(OP_STOP, -2ULL, 0, NULL), H_P2);

    /* Start: the number, then the timeout (more than 1 ms), then the action. */
    CHECK_EQ(wdt(OP_START | ACT_POWER_OFF, 5, 1000, NULL), H_P2);
    CHECK_EQ(wdt(OP_START | ACT_POWER_OFF, 1, 1, NULL), H_P3);
    CHECK_EQ(wdt(OP_START | ACT_POWER_OFF, 1, 0, NULL), H_P3);
    CHECK_EQ(wdt(OP_START | 0, 1, 1000, NULL), H_PARAMETER);
    CHECK_EQ(wdt(OP_START | 4, 1, 1000, NULL), H_PARAMETER);
    /* Reserved flag bits, unknown operations. */
    CHECK_EQ(wdt(OP_START | ACT_POWER_OFF | PPC_BIT(46), 1, 1000, NULL), H_PARAMETER);
    CHECK_EQ(wdt(0, 1, 1000, NULL), H_PARAMETER);
    CHECK_EQ(wdt(5ULL << 8, 1, 1000, NULL), H_PARAMETER);
    CHECK_EQ(wdt(OP_STOP, 1, 0, NULL), H_NOOP); /* none of those started it */

    /* Started (100 s: never expires here), stopped once. */
    CHECK_EQ(wdt(OP_START | ACT_POWER_OFF | LEAVE_OTHERS, 1, 100000, NULL), H_SUCCESS);
    CHECK_EQ(wdt(OP_STOP, 1, 0, NULL), H_SUCCESS);
    CHECK_EQ(wdt(OP_STOP, 1, 0, NULL), H_NOOP);
    /* Stopping them all answers H_NOOP even when one was running (QEMU 7.2). */
    CHECK_EQ(wdt(OP_START | ACT_POWER_OFF, 4, 100000, NULL), H_SUCCESS);
    CHECK_EQ(wdt(OP_STOP, ALL_WATCHDOGS, 0, NULL), H_NOOP);
    CHECK_EQ(wdt(OP_STOP, 4, 0, NULL), H_NOOP);
}

/* Labels inside the asm below: where the reset interrupt resumes. */
extern const char wdt_spin_loop[], wdt_spin_landing[];

/* r3 while spinning: FWNMI must hand it back through the save area. */
#define SPIN_R3 0x5a5a1234a5a5c3c3ULL

/* Spin until the time base reaches @deadline; a system reset lands after the loop. */
static void __attribute__((noinline)) spin(uint64_t deadline)
{
    register uint64_t r3 asm("r3") = SPIN_R3;

    asm volatile(".globl wdt_spin_loop\n"
                 "wdt_spin_loop:\n\t"
                 "mfspr %%r4, 268\n\t"
                 "cmpld %%r4, %1\n\t"
                 "blt wdt_spin_loop\n"
                 ".globl wdt_spin_landing\n"
                 "wdt_spin_landing:\n"
                 : "+r"(r3)
                 : "r"(deadline)
                 : "r4", "cr0", "memory");
}

/*
 * A system-reset vector that hands over to the runtime's common handler at
 * 0x1000: mtsprg0 r3; mtsprg1 r4; li r3,0x100; b 0x1000 (big-endian).
 */
static const uint32_t reset_vector[4] = {
    0x7c7043a6,
    0x7c9143a6,
    0x38600100,
    0x48000000 | ((0x1000 - 0x10c) & 0x03fffffc),
};

/*
 * Store n instruction words at dst (big-endian when be, else as they are) and
 * make fetches see them; the old words go to saved if not NULL.
 */
static void put_words(volatile uint32_t *dst, const uint32_t *words, int n, uint32_t *saved,
                      bool be)
{
    for (int i = 0; i < n; i++) {
        uint32_t v = words[i];

        if (saved) {
            saved[i] = dst[i];
        }
#ifdef __LITTLE_ENDIAN__
        if (be) {
            v = __builtin_bswap32(v);
        }
#endif
        dst[i] = v;
        asm volatile("dcbst 0,%0; sync; icbi 0,%0" ::"r"(&dst[i]) : "memory");
    }
    asm volatile("isync" ::: "memory");
}

static uint64_t be64(const volatile uint64_t *p)
{
    return ((uint64_t)guest_be32((const void *)p) << 32) |
           guest_be32((const void *)((const volatile uint32_t *)p + 1));
}

/* Start watchdog 1 with dump-restart after 20 ms and wait for its system reset. */
static struct guest_trap expire_dump_restart(uint64_t flags)
{
    struct guest_trap t;
    uint64_t start = guest_mftb();

    CHECK_EQ(wdt(OP_START | ACT_DUMP_RESTART | flags, 1, 20, NULL), H_SUCCESS);
    guest_trap_expect_resume((void (*)(void))wdt_spin_landing, 0);
    spin(start + 5000 * TB_PER_MS);
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_SYSTEM_RESET);
    CHECK(t.srr0 >= (uintptr_t)wdt_spin_loop && t.srr0 < (uintptr_t)wdt_spin_landing);
    CHECK(guest_mftb() - start >= 20 * TB_PER_MS);
    /* It fired: nothing left to stop. */
    CHECK_EQ(wdt(OP_STOP, 1, 0, NULL), H_NOOP);
    return t;
}

static void test_expiry(void)
{
    volatile uint32_t *vec;
    uint32_t saved[4];

    /* The entry code at 0x100 is not needed any more: a vector there, for a while. */
    asm("" : "=r"(vec) : "0"((uintptr_t)VEC_SYSTEM_RESET));
    put_words(vec, reset_vector, 4, saved, true);

    /* Without leave-the-others, the expiry stops watchdog 2 too. */
    CHECK_EQ(wdt(OP_START | ACT_POWER_OFF, 2, 100000, NULL), H_SUCCESS);
    expire_dump_restart(0);
    CHECK_EQ(wdt(OP_STOP, 2, 0, NULL), H_NOOP);
    /* With it, watchdog 3 keeps running. */
    CHECK_EQ(wdt(OP_START | ACT_POWER_OFF, 3, 100000, NULL), H_SUCCESS);
    expire_dump_restart(LEAVE_OTHERS);
    CHECK_EQ(wdt(OP_STOP, 3, 0, NULL), H_SUCCESS);

    put_words(vec, saved, 4, NULL, false);
}

/*
 * The FWNMI handler: keep the r3 the platform gives in SPRG2, restore the
 * interrupted r3 from the block it points at (what Linux does), then hand over
 * to the runtime's common handler at 0x1000 as vector 0x100:
 * mtsprg2 r3; ld r3,0(r3); mtsprg0 r3; mtsprg1 r4; li r3,0x100; b 0x1000.
 * Stored big-endian (interrupts run big-endian); the branch is filled in.
 */
static uint32_t fwnmi_handler[6] __attribute__((aligned(16)));
static const uint32_t fwnmi_words[5] = { 0x7c7243a6, 0xe8630000, 0x7c7043a6, 0x7c9143a6,
                                         0x38600100 };

static uint64_t mfsprg2(void)
{
    uint64_t v;

    asm volatile("mfsprg2 %0" : "=r"(v));
    return v;
}

/* H_SIGNAL_SYS_RESET on this processor; the interrupt resumes at fwnmi_sc_return. */
extern const char fwnmi_sc_return[];
static int64_t __attribute__((noinline)) signal_self(void)
{
    register uint64_t r3 asm("r3") = H_SIGNAL_SYS_RESET;
    register uint64_t r4 asm("r4") = 0;

    asm volatile("sc 1\n"
                 ".globl fwnmi_sc_return\n"
                 "fwnmi_sc_return:\n"
                 : "+r"(r3), "+r"(r4)
                 :
                 : "r0", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "cr1", "cr5",
                   "cr6", "cr7", "ctr", "xer", "memory");
    return (int64_t)r3;
}

static void test_fwnmi(const void *fdt)
{
    uint32_t args[2], ret, base = 0;
    uint64_t handler = (uintptr_t)fwnmi_handler, block;
    volatile uint64_t *save;
    struct guest_trap t;
    uint32_t words[6];

    /*
     * QEMU 7.2's tree for a -bios image has no linux,rtas-base (its firmware
     * would add it), and without it QEMU takes an FWNMI reset as a guest
     * panic; ours publishes the RTAS area it placed.
     */
    CHECK_EQ(guest_fdt_u32(fdt, "/rtas", "linux,rtas-base", &base), !guest_oracle());
    if (guest_oracle()) {
        guest_printf("watchdog: fwnmi not run (no linux,rtas-base on QEMU 7.2)\n");
        return;
    }
    for (int i = 0; i < 5; i++) {
        words[i] = fwnmi_words[i];
    }
    words[5] = 0x48000000 | ((0x1000 - (handler + 20)) & 0x03fffffc);
    put_words(fwnmi_handler, words, 6, NULL, true);

    args[0] = handler; /* system reset */
    args[1] = handler; /* machine check (never taken here) */
    CHECK_EQ(guest_rtas("ibm,nmi-register", 2, 1, args, &ret), 0);
    CHECK_EQ(ret, 0);

    /* The watchdog's reset: the handler, r3 -> { the spinning r3, 0 } for CPU 0. */
    t = expire_dump_restart(0);
    block = mfsprg2();
    CHECK_EQ(block, (uint64_t)base + 2048);
    save = (volatile uint64_t *)block;
    CHECK_EQ(be64(save), SPIN_R3);
    CHECK_EQ(be64(save + 1), 0);
    CHECK(t.srr0 >= (uintptr_t)wdt_spin_loop && t.srr0 < (uintptr_t)wdt_spin_landing);

    /* H_SIGNAL_SYS_RESET goes there too; the interrupted r3 is the hcall's status. */
    guest_trap_expect_resume((void (*)(void))fwnmi_sc_return, 0);
    CHECK_EQ(signal_self(), H_SUCCESS);
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_SYSTEM_RESET);
    CHECK_EQ(t.srr0, (uintptr_t)fwnmi_sc_return);
    CHECK_EQ(mfsprg2(), (uint64_t)base + 2048);
    CHECK_EQ(be64(save), H_SUCCESS);
}

int main(void *fdt)
{
    test_query_and_errors();
    test_expiry();
    test_fwnmi(fdt);
    return 0;
}
