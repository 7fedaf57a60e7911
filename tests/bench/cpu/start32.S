/*
 * Entry of the CPU benchmark guest built for 32-bit mode (-m32 -mpowerpc64): as
 * start.S, but MSR[SF] stays 0 as firmware is entered, and the calls follow the
 * 32-bit ABI (a 64-bit argument or result in a register pair, high word first;
 * the fifth and later 64-bit arguments on the stack from 8(r1)).
 */
    .section .text.entry, "ax"
    .globl _start
_start:
    lis     1, __stack_top@ha
    addi    1, 1, __stack_top@l
    li      0, 0
    stwu    0, -16(1)
    bl      cpubench_main
1:  b       1b

/* uint64_t cpubench_hcall(opcode, a1..a6): the pairs joined into r3..r9 for sc 1. */
    .text
    .globl cpubench_hcall
cpubench_hcall:
    rldimi  4, 3, 32, 0
    mr      3, 4
    rldimi  6, 5, 32, 0
    mr      4, 6
    rldimi  8, 7, 32, 0
    mr      5, 8
    rldimi  10, 9, 32, 0
    mr      6, 10
    ld      7, 8(1)
    ld      8, 16(1)
    ld      9, 24(1)
    sc      1
    mr      4, 3
    srdi    3, 3, 32
    clrldi  4, 4, 32
    blr

/* uint64_t cpubench_mftb(void): the 64-bit timebase (SPR 268), as a pair. */
    .globl cpubench_mftb
cpubench_mftb:
    mfspr   4, 268
    srdi    3, 4, 32
    clrldi  4, 4, 32
    blr

    .section .note.GNU-stack, "", @progbits
