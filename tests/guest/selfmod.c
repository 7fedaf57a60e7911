/* Self-modifying code: store a new instruction over one that has already run, make
 * it visible to instruction fetch (dcbst, sync, icbi, isync, as the ISA requires),
 * and check that the new instruction is the one that runs. */
#include "insn.h"

/* addi RT,0,SI ("li RT,SI"): primary opcode 14, RT in bits 6-10, SI in 16-31. */
#define LI(rt, si) ((14u << 26) | ((uint32_t)(rt) << 21) | ((uint32_t)(si)&0xffff))

/* A leaf function returning a constant: its first instruction is the patch site. */
uint64_t patched_fn(void);
asm(".text\n"
    ".globl patched_fn\n"
    ".type patched_fn,@function\n"
    "patched_fn:\n"
    "\tli 3,1\n"
    "\tblr\n"
    ".size patched_fn,.-patched_fn\n");

/* Instruction fetch sees a store only after this sequence (Power ISA Book II, 1.8). */
static void sync_icache(void *addr)
{
    asm volatile("dcbst 0,%0\n\tsync\n\ticbi 0,%0\n\tisync" : : "r"(addr) : "memory");
}

static void patch(void *site, uint32_t insn)
{
    /* Instructions are fetched in the same byte order as data in this mode. */
    *(volatile uint32_t *)site = insn;
    sync_icache(site);
}

static void test_patch_function(void)
{
    uint64_t (*volatile fn)(void) = patched_fn;
    uint64_t sum = 0;

    /* Run the original often enough for any translation cache to hold it. */
    for (int i = 0; i < 1000; i++) {
        sum += fn();
    }
    CHECK_EQ(sum, 1000);
    for (uint32_t v = 2; v <= 6; v++) {
        patch((void *)patched_fn, LI(3, v));
        CHECK_EQ(fn(), v);
    }
    /* Back to the original, then run it in a loop again. */
    patch((void *)patched_fn, LI(3, 1));
    sum = 0;
    for (int i = 0; i < 100; i++) {
        sum += fn();
    }
    CHECK_EQ(sum, 100);
}

/* Patch the instruction just ahead in the same straight-line sequence. */
static void test_patch_ahead(void)
{
    uint64_t t;

    asm volatile("lis 9,1f@ha\n\taddi 9,9,1f@l\n\t"
                 "stw %[new],0(9)\n\tdcbst 0,9\n\tsync\n\ticbi 0,9\n\tisync\n"
                 "1:\tli 10,1\n\t"
                 "mr %[t],10"
                 : [t] "=r"(t)
                 : [new] "r"((uint64_t)LI(10, 7))
                 : "r9", "r10", "memory");
    CHECK_EQ(t, 7);
}

int main(void *fdt)
{
    test_patch_function();
    test_patch_ahead();
    return 0;
}
