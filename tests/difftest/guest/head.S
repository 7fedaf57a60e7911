/* Difftest image start-up: entry at 0x100 (big-endian, real mode, r3 = device tree), the
 * config block the driver patches, and dt_run, which runs one generated test blob. */
#include "layout.h"

    .section .head, "ax"

/* A big-endian instruction word, whatever the byte order of the image. */
    .macro  be_insn word
    .byte   ((\word) >> 24) & 0xff, ((\word) >> 16) & 0xff
    .byte   ((\word) >> 8) & 0xff, (\word) & 0xff
    .endm

    .org    0x100
#ifdef __LITTLE_ENDIAN__
    /*
     * The CPU starts big-endian. tdi 0,0,0x48 (never traps) reads as "b .+8" when fetched
     * big-endian, so a big-endian CPU runs the big-endian trampoline, which sets MSR[LE]
     * and MSR[SF] (QEMU 7.2 enters a -bios image in 32-bit mode) through SRR1 and resumes
     * at 1: with rfid; a little-endian CPU takes "b 1f".
     */
    tdi     0, 0, 0x48
    b       1f
    be_insn 0x7d6000a6              /* mfmsr   r11 */
    be_insn 0x616b0001              /* ori     r11, r11, 1 (MSR[LE]) */
    be_insn 0x39800001              /* li      r12, 1 */
    be_insn 0x798cf806              /* sldi    r12, r12, 63 (MSR[SF]) */
    be_insn 0x7d6b6378              /* or      r11, r11, r12 */
    be_insn 0x429f0005              /* bcl     20, 31, .+4 */
    be_insn 0x7d4802a6              /* mflr    r10 */
    be_insn 0x394a0014              /* addi    r10, r10, 20 (label 1) */
    be_insn 0x7d5a03a6              /* mtsrr0  r10 */
    be_insn 0x7d7b03a6              /* mtsrr1  r11 */
    be_insn 0x4c000024              /* rfid */
1:  b       dt_start

    /*
     * Interrupts are delivered big-endian (LPCR[ILE] stays 0): the vectors below are
     * big-endian words that end here, which switches back to little-endian and enters
     * dt_trap_le with r3-r5 (vector, SRR0, SRR1) intact.
     */
    .org    DT_TRAP_BE
    be_insn 0x7d6000a6              /* mfmsr   r11 */
    be_insn 0x616b0001              /* ori     r11, r11, 1 */
    be_insn 0x7d7b03a6              /* mtsrr1  r11 */
    be_insn 0x39400000 | DT_TRAP_LE /* li      r10, DT_TRAP_LE */
    be_insn 0x7d5a03a6              /* mtsrr0  r10 */
    be_insn 0x4c000024              /* rfid */
    .org    DT_TRAP_LE
    b       dt_trap
#else
    /* QEMU 7.2 enters a -bios image in 32-bit mode: set MSR[SF] with rfid. */
    mfmsr   %r11
    li      %r12, 1
    sldi    %r12, %r12, 63
    or      %r11, %r11, %r12
    bcl     20, 31, 2f
2:  mflr    %r10
    addi    %r10, %r10, 1f - 2b
    mtsrr0  %r10
    mtsrr1  %r11
    rfid
1:  b       dt_start
#endif
    .org    DT_CONFIG
    .globl  dt_config
dt_config:
    .long   0xffffffff              /* DT_CFG_DUMP: no dump, run every test */
    .long   DT_MAGIC

/*
 * Interrupt vectors (real mode, no relocation: the vector is the address). A test that
 * faults, e.g. on an instruction the CPU does not implement, lands here; dt_trap reports
 * the vector, SRR0/SRR1 (or HSRR0/HSRR1 for the hypervisor vectors) and powers off.
 */
#ifdef __LITTLE_ENDIAN__
    /* mfspr r4, SRR0; mfspr r5, SRR1; li r3, vector; ba DT_TRAP_BE, all big-endian */
    .macro  vector addr, srr0, srr1
    .org    \addr
    be_insn 0x7c8002a6 | ((\srr0 & 31) << 16) | ((\srr0 >> 5) << 11)
    be_insn 0x7ca002a6 | ((\srr1 & 31) << 16) | ((\srr1 >> 5) << 11)
    be_insn 0x38600000 | \addr
    be_insn 0x48000002 | DT_TRAP_BE
    .endm
#else
    .macro  vector addr, srr0, srr1
    .org    \addr
    mfspr   %r4, \srr0
    mfspr   %r5, \srr1
    li      %r3, \addr
    ba      dt_trap
    .endm
#endif
    .irp    v, 0x200, 0x300, 0x380, 0x400, 0x480, 0x500, 0x600, 0x700, 0x800, 0x900, 0xc00
    vector  \v, 26, 27
    .endr
    .irp    v, 0xe00, 0xe20, 0xe40, 0xe60, 0xe80
    vector  \v, 314, 315
    .endr
    .irp    v, 0xf00, 0xf20, 0xf40, 0xf60, 0xf80
    vector  \v, 26, 27
    .endr

    /* The fixed data areas, as symbols for the harness. */
    .globl  dt_state_in, dt_state_out, dt_scratch, dt_before
    .set    dt_state_in, DT_STATE_IN
    .set    dt_state_out, DT_STATE_OUT
    .set    dt_scratch, DT_SCRATCH
    .set    dt_before, DT_BEFORE

    .text
    .globl  dt_start
dt_start:
    li      %r1, DT_STACK_TOP
    li      %r0, 0
    stdu    %r0, -64(%r1)           /* ABI frame with a NULL back chain */
    lis     %r2, .TOC.@ha
    addi    %r2, %r2, .TOC.@l
    bl      dt_main
1:  b       1b

/* dt_trap(vector, srr0, srr1) on the harness stack; it never returns. */
dt_trap:
    li      %r1, DT_STACK_TOP
    li      %r0, 0
    stdu    %r0, -64(%r1)
    lis     %r2, .TOC.@ha
    addi    %r2, %r2, .TOC.@l
    bl      dt_trap_report
1:  b       1b

/*
 * dt_run(blob): save the harness registers, load the whole test state (r0, LR and CTR are
 * loaded by the blob itself, since dt_run branches through CTR), enter the blob; the blob
 * stores r0/LR/CTR and ends with "ba dt_exit", which stores the rest and returns.
 */
    .globl  dt_run
dt_run:
    std     %r1, DT_SAVE + 1 * 8(0)
    std     %r2, DT_SAVE + 2 * 8(0)
    .irp    n, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    std     \n, DT_SAVE + \n * 8(0)
    .endr
    mflr    %r0
    std     %r0, DT_SAVE_LR(0)
    mfcr    %r0
    std     %r0, DT_SAVE_CR(0)
    mtctr   %r3
    ld      %r0, DT_STATE_IN + DT_ST_XER(0)
    mtxer   %r0
    ld      %r0, DT_STATE_IN + DT_ST_CR(0)
    mtcrf   0xff, %r0
    .irp    n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, \
            17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    ld      \n, DT_STATE_IN + \n * 8(0)
    .endr
    bctr

    .globl  dt_exit
dt_exit:
    .irp    n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, \
            17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    std     \n, DT_STATE_OUT + \n * 8(0)
    .endr
    mfcr    %r3
    std     %r3, DT_STATE_OUT + DT_ST_CR(0)
    mfxer   %r3
    std     %r3, DT_STATE_OUT + DT_ST_XER(0)
    ld      %r1, DT_SAVE + 1 * 8(0)
    ld      %r2, DT_SAVE + 2 * 8(0)
    .irp    n, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    ld      \n, DT_SAVE + \n * 8(0)
    .endr
    ld      %r0, DT_SAVE_CR(0)
    mtcrf   0xff, %r0
    ld      %r0, DT_SAVE_LR(0)
    mtlr    %r0
    blr
