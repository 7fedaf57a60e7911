/* H_SET_MODE: little-endian interrupts (resource 4), the alternate interrupt
 * location (resource 3) in real mode, the breakpoint registers (1, 2: absent), and every
 * argument error, each leaving the modes as they were. */
#include "insn.h"

#define H_SET_MODE 0x31c
#define H_P2 (-55)
#define H_P3 (-56)
#define H_P4 (-57)
#define H_UNSUPPORTED_FLAG (-256)

#define RES_CIABR 1
#define RES_DAWR0 2
#define RES_AIL 3
#define RES_LE 4

#define VEC_PROGRAM 0x700
#define SRR1_TRAP PPC_BIT(46)
#define MSR_SF PPC_BIT(0)
#define MSR_EE PPC_BIT(48)
#define MSR_PR PPC_BIT(49)
#define MSR_IR PPC_BIT(58)
#define MSR_DR PPC_BIT(59)
#define MSR_LE PPC_BIT(63)

static int64_t set_mode(uint64_t mflags, uint64_t resource, uint64_t v1, uint64_t v2)
{
    uint64_t regs[9] = { mflags, resource, v1, v2 };

    return guest_hcall(H_SET_MODE, regs);
}

/* A trap goes to the runtime's (big-endian) handler at 0x700, unrelocated. */
static bool trap_is_big_endian_at_0x700(void)
{
    struct guest_trap t;

    guest_trap_expect();
    asm volatile("tw 31, 0, 0" ::: "memory");
    return guest_trap_taken(&t) && t.vector == VEC_PROGRAM && (t.srr1 & SRR1_TRAP);
}

/*
 * A little-endian program handler: mtsprg0 r3; mfmsr r3; mtsprg2 r3 (the MSR it
 * runs with); mfsrr0 r3; addi r3,r3,4; mtsrr0 r3; mfsprg0 r3; rfid.
 */
static const uint32_t le_handler[8] = {
    0x7c7043a6, 0x7c6000a6, 0x7c7243a6, 0x7c7a02a6, 0x38630004, 0x7c7a03a6, 0x7c7042a6, 0x4c000024,
};

static void store_le32(volatile uint32_t *p, uint32_t v)
{
#ifndef __LITTLE_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    *p = v;
    asm volatile("dcbst 0,%0; sync; icbi 0,%0" ::"r"(p) : "memory");
}

static void test_little_endian_interrupts(void)
{
    volatile uint32_t *vec;
    uint32_t saved[8];
    uint64_t msr_in_handler;

    asm("" : "=r"(vec) : "0"((uintptr_t)VEC_PROGRAM));
    for (int i = 0; i < 8; i++) {
        saved[i] = vec[i];
        store_le32(&vec[i], le_handler[i]);
    }
    asm volatile("isync" ::: "memory");

    CHECK_EQ(set_mode(1, RES_LE, 0, 0), 0);
    asm volatile("mtspr 274, %0" ::"r"(0ULL));
    asm volatile("tw 31, 0, 0" ::: "memory");
    asm volatile("mfspr %0, 274" : "=r"(msr_in_handler));
    /* The handler ran little-endian, 64-bit, in real mode with EE and PR off. */
    CHECK_EQ(msr_in_handler & (MSR_LE | MSR_SF | MSR_EE | MSR_PR | MSR_IR | MSR_DR),
             MSR_LE | MSR_SF);
    /* rfid came back in the program's own byte order. */
    CHECK_EQ(guest_mfmsr() & MSR_LE,
#ifdef __LITTLE_ENDIAN__
             MSR_LE
#else
             0
#endif
    );

    /* Refused changes leave the interrupts little-endian. */
    CHECK_EQ(set_mode(2, RES_LE, 0, 0), H_UNSUPPORTED_FLAG);
    CHECK_EQ(set_mode(0, RES_LE, 1, 0), H_P3);
    CHECK_EQ(set_mode(0, RES_LE, 0, 1), H_P4);
    asm volatile("mtspr 274, %0" ::"r"(0ULL));
    asm volatile("tw 31, 0, 0" ::: "memory");
    asm volatile("mfspr %0, 274" : "=r"(msr_in_handler));
    CHECK(msr_in_handler & MSR_LE);

    CHECK_EQ(set_mode(0, RES_LE, 0, 0), 0);
    for (int i = 0; i < 8; i++) {
        vec[i] = saved[i];
        asm volatile("dcbst 0,%0; sync; icbi 0,%0" ::"r"(&vec[i]) : "memory");
    }
    asm volatile("isync" ::: "memory");
    CHECK(trap_is_big_endian_at_0x700());

    /* Refused changes leave them big-endian. */
    CHECK_EQ(set_mode(1, RES_LE, 1, 0), H_P3);
    CHECK_EQ(set_mode(1, RES_LE, 0, 1), H_P4);
    CHECK(trap_is_big_endian_at_0x700());
}

/* AIL relocates only interrupts taken with translation on: in real mode nothing moves. */
static void test_ail(void)
{
    CHECK_EQ(set_mode(1, RES_AIL, 0, 0), H_UNSUPPORTED_FLAG);
    /*
     * Not an AIL value: refused here. QEMU 7.2 returns H_SUCCESS and ORs the
     * value, shifted to the AIL field, into LPCR unmasked: 4 lands on LPCR[ILE],
     * so interrupts become little-endian there. Put them back (on ours this
     * changes nothing) and check they are big-endian.
     */
    CHECK_EQ(set_mode(4, RES_AIL, 0, 0), guest_oracle() ? 0 : H_UNSUPPORTED_FLAG);
    CHECK_EQ(set_mode(0, RES_LE, 0, 0), 0);
    CHECK(trap_is_big_endian_at_0x700());
    CHECK_EQ(set_mode(3, RES_AIL, 1, 0), H_P3);
    CHECK_EQ(set_mode(3, RES_AIL, 0, 1), H_P4);
    CHECK_EQ(set_mode(3, RES_AIL, 0, 0), 0);
    CHECK(trap_is_big_endian_at_0x700());
    CHECK_EQ(set_mode(2, RES_AIL, 0, 0), 0);
    CHECK(trap_is_big_endian_at_0x700());
    CHECK_EQ(set_mode(0, RES_AIL, 0, 0), 0);
    CHECK(trap_is_big_endian_at_0x700());
}

/* The breakpoint resources, and the resources that do not exist. */
static void test_other_resources(void)
{
    CHECK_EQ(set_mode(0, 0, 0, 0), H_P2);
    CHECK_EQ(set_mode(0, 5, 0, 0), H_P2);
    CHECK_EQ(set_mode(0, ~0ULL, 0, 0), H_P2);

    /* The breakpoint resources: this CPU has no CIABR or DAWR (nor has QEMU 7.2's). */
    CHECK_EQ(set_mode(0, RES_CIABR, 0x10001, 0), H_P2);
    CHECK_EQ(set_mode(0, RES_DAWR0, 0x20000, 0x3), H_P2);
}

int main(void *fdt)
{
    test_little_endian_interrupts();
    test_ail();
    test_other_resources();
    return 0;
}
