/*
 * Entry of the bare-metal CPU benchmark guest: the pseries firmware entry at 0x100
 * (big-endian, real mode, r3 = device tree), a stack and the TOC, then C.
 */
    .section .text.entry, "ax"
    .globl _start
_start:
    /* QEMU enters firmware with MSR = 0: switch to 64-bit mode (MSR[SF]) first. */
    mfmsr   11
    li      12, 1
    rldicr  12, 12, 63, 0
    or      11, 11, 12
#ifdef FPBENCH
    /* The FP benchmark's code uses FP, VMX and VSX: MSR[FP], [VEC] and [VSX] on. */
    lis     12, 0x0280          /* VEC (bit 38) | VSX (bit 40) */
    ori     12, 12, 0x2000      /* FP (bit 50) */
    or      11, 11, 12
#endif
    mtmsrd  11
    /* The image lies below 2 GiB: two-instruction absolute addresses suffice. */
    lis     1, __stack_top@ha
    addi    1, 1, __stack_top@l
    lis     2, .TOC.@ha
    addi    2, 2, .TOC.@l
    /* An ELFv2 caller frame (back chain 0) for the C entry to save its LR into. */
    li      0, 0
    stdu    0, -64(1)
    bl      cpubench_main
1:  b       1b

/* uint64_t cpubench_hcall(opcode, a1..a6): r3..r9 in, r3 out, all volatile. */
    .text
    .globl cpubench_hcall
cpubench_hcall:
    sc      1
    blr

/* uint64_t cpubench_mftb(void): the 64-bit timebase (SPR 268). */
    .globl cpubench_mftb
cpubench_mftb:
    mfspr   3, 268
    blr
