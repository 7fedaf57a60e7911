/* The system-call benchmark guest: user code (problem state, radix, one 1G
 * page) doing `sc` in a loop, a kernel that answers with rfid, interrupts at the
 * AIL=3 vectors with translation on, as Linux runs. Prints ns per round trip;
 * scripts/bench.sh runs it on ours and on QEMU. */
#include "../../guest/runtime/radix-map.h"

#define H_SET_MODE 0x31c
#define RES_AIL 3
#define CALLS 1000000ULL
#define TB_PER_US 512ULL

#define TABLES 0x2000000ULL
/* The kernel's vector page: EA 0xc000000000004000 (AIL=3) -> this real page. */
#define VEC_EA 0xc000000000004000ULL
#define VEC_RA 0x3000000ULL
#define MSR_PR PPC_BIT(49)
#define MSR_IR PPC_BIT(58)
#define MSR_DR PPC_BIT(59)

/* rfid; and the way back to supervisor state (mfsprg2 r4; mtsrr0 r4; mfsprg3 r4;
 * mtsrr1 r4; rfid), all big-endian: interrupts run with LPCR[ILE] = 0. */
#define RFID 0x4c000024u
static const uint32_t back_to_supervisor[] = { 0x7c9242a6, 0x7c9a03a6, 0x7c9342a6, 0x7c9b03a6,
                                               RFID };

static void store_be32(uint64_t ra, uint32_t v)
{
    volatile uint32_t *p;

#ifdef __LITTLE_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    asm("" : "=r"(p) : "0"(ra));
    *p = v;
}

extern const char syscall_user_loop[], syscall_back[];

/*
 * Run @n system calls in problem state: rfid into a loop of sc; bdnz, which
 * ends in a trap (0x700) whose vector rfids back to syscall_back here.
 */
static void __attribute__((noinline)) run_user(uint64_t n, uint64_t user_msr)
{
    asm volatile("mtctr %0\n\t"
                 "mtspr 274, %1\n\t" /* SPRG2: where the trap returns */
                 "mfmsr %%r4\n\t"
                 "mtspr 275, %%r4\n\t" /* SPRG3: the supervisor MSR */
                 "mtsrr0 %2\n\t"
                 "mtsrr1 %3\n\t"
                 "rfid\n"
                 ".globl syscall_user_loop\n"
                 "syscall_user_loop:\n\t"
                 "sc\n\t"
                 "bdnz syscall_user_loop\n\t"
                 "tw 31, 0, 0\n"
                 ".globl syscall_back\n"
                 "syscall_back:\n"
                 :
                 : "r"(n), "r"((uintptr_t)syscall_back), "r"((uintptr_t)syscall_user_loop),
                   "r"(user_msr)
                 : "r4", "ctr", "memory");
}

int main(void *fdt)
{
    uint64_t regs[9] = { RES_AIL, RES_AIL, 0, 0 }, *root0, *root1, msr, t0, ticks;

    /* Tables; user: 1 GiB at 0 (PID 1, non-privileged); kernel: the vector page. */
    radix_tables_init(TABLES);
    root0 = radix_new_tree();
    root1 = radix_new_tree();
    radix_set_process(0, root0);
    radix_set_process(1, root1);
    radix_map(root1, 0, 0, RADIX_1G, RPTE_RW | RPTE_EX | RPTE_R | RPTE_C);
    radix_map(root0, VEC_EA, VEC_RA, RADIX_4K, RPTE_PRIV | RPTE_RD | RPTE_EX | RPTE_R | RPTE_C);
    store_be32(VEC_RA + 0xc00, RFID);
    for (unsigned i = 0; i < sizeof(back_to_supervisor) / 4; i++) {
        store_be32(VEC_RA + 0x700 + 4 * i, back_to_supervisor[i]);
    }
    CHECK_EQ(radix_register(), 0);
    regs[0] = 3; /* mflags: AIL = 3 */
    CHECK_EQ(guest_hcall(H_SET_MODE, regs), 0);

    radix_set_pidr(1);
    asm volatile("mfmsr %0" : "=r"(msr));
    t0 = guest_mftb();
    run_user(CALLS, msr | MSR_PR | MSR_IR | MSR_DR);
    ticks = guest_mftb() - t0;
    regs[0] = 0;
    regs[1] = RES_AIL;
    CHECK_EQ(guest_hcall(H_SET_MODE, regs), 0);

    guest_printf("# ticks %lu\n", (unsigned long)ticks);
    guest_printf("system call round trip: %lu.%lu ns\n",
                 (unsigned long)(ticks * 1000 / TB_PER_US / CALLS),
                 (unsigned long)(ticks * 10000 / TB_PER_US / CALLS % 10));
    return 0;
}
