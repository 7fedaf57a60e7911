/* Difftest image start-up: entry at 0x100 (big-endian, real mode, r3 = device tree), the
 * config block the driver patches, the interrupt vectors, and dt_run/dt_exit, which run one
 * generated test blob in 64-bit or 32-bit mode. */
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
     * big-endian words that end here, which saves r10 and r11, switches back to
     * little-endian and enters dt_trap with r3-r5 (vector, SRR0, SRR1) intact.
     */
    .org    DT_TRAP_BE
    be_insn 0xf9400000 | DT_VSAVE_R10 /* std   r10, DT_VSAVE_R10(0) */
    be_insn 0xf9600000 | DT_VSAVE_R11 /* std   r11, DT_VSAVE_R11(0) */
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
    .long   DT_ST_FULL              /* DT_CFG_STATE: all of the FP/vector state */

/*
 * Interrupt vectors (real mode, no relocation: the vector is the address). A test that
 * faults, e.g. on an instruction the CPU does not implement, lands here; dt_trap reports
 * the vector, SRR0/SRR1 (or HSRR0/HSRR1 for the hypervisor vectors) and powers off, or,
 * for a program interrupt in a trap-class test, ends the test. The vector saves r3-r5 first
 * (RA=0 addressing needs no register), so that the test's state can be recorded.
 */
#ifdef __LITTLE_ENDIAN__
    /* std r3/r4/r5; mfspr r4, SRR0; mfspr r5, SRR1; li r3, vector; ba DT_TRAP_BE, all
     * big-endian */
    .macro  vector addr, srr0, srr1
    .org    \addr
    be_insn 0xf8600000 | DT_VSAVE_R3
    be_insn 0xf8800000 | DT_VSAVE_R4
    be_insn 0xf8a00000 | DT_VSAVE_R5
    be_insn 0x7c8002a6 | ((\srr0 & 31) << 16) | ((\srr0 >> 5) << 11)
    be_insn 0x7ca002a6 | ((\srr1 & 31) << 16) | ((\srr1 >> 5) << 11)
    be_insn 0x38600000 | \addr
    be_insn 0x48000002 | DT_TRAP_BE
    .endm
#else
    .macro  vector addr, srr0, srr1
    .org    \addr
    std     %r3, DT_VSAVE_R3(0)
    std     %r4, DT_VSAVE_R4(0)
    std     %r5, DT_VSAVE_R5(0)
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
    .globl  dt_state_in, dt_state_out, dt_scratch, dt_before, dt_trap_rec, dt_vec_in
    .globl  dt_vec_out
    .set    dt_trap_rec, DT_TRAP
    .set    dt_vec_in, DT_VEC_IN
    .set    dt_vec_out, DT_VEC_OUT
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

/*
 * Every vector ends here (64-bit mode: an interrupt sets MSR[SF]) with the vector, SRR0 and
 * SRR1 in r3-r5 and the test's r3-r5 (and r10, r11) saved. A program interrupt while a
 * trap-class test runs ends that test: the test's registers go to the state area as the
 * blob's tail would have stored them, and dt_exit returns to the harness. Anything else is
 * reported by dt_trap_report, which powers off.
 */
dt_trap:
    std     %r3, DT_TRAP_VEC(0)
    std     %r4, DT_TRAP_SRR0(0)
    std     %r5, DT_TRAP_SRR1(0)
    mfcr    %r3
    std     %r3, DT_VSAVE_CR(0)
    ld      %r3, DT_TRAP_ARMED(0)
    cmpdi   %r3, 0
    beq     1f
    cmpdi   %r3, 2
    bne     3f
    /*
     * Floating-point and vector classes (armed with 2): any interrupt ends the test. The
     * interrupt turned MSR[FP], [VEC] and [VSX] off; dt_exit needs them to store the VSRs.
     */
    mfmsr   %r3
    ori     %r3, %r3, 0x2000        /* MSR[FP], bit 50 */
    oris    %r3, %r3, 0x0280        /* MSR[VEC], bit 38, and MSR[VSX], bit 40 */
    mtmsrd  %r3, 0
    b       2f
3:  ld      %r3, DT_TRAP_VEC(0)
    cmpdi   %r3, 0x700
    beq     2f
    cmpdi   %r3, 0xc00
    bne     1f
2:
#ifdef __LITTLE_ENDIAN__
    ld      %r10, DT_VSAVE_R10(0)
    ld      %r11, DT_VSAVE_R11(0)
#endif
    ld      %r3, DT_VSAVE_CR(0)
    mtcrf   0xff, %r3
    ld      %r3, DT_VSAVE_R3(0)
    ld      %r4, DT_VSAVE_R4(0)
    ld      %r5, DT_VSAVE_R5(0)
    std     %r0, DT_STATE_OUT(0)
    mflr    %r0
    std     %r0, DT_STATE_OUT + DT_ST_LR(0)
    mfctr   %r0
    std     %r0, DT_STATE_OUT + DT_ST_CTR(0)
    b       dt_exit

/* dt_trap_report(vector, srr0, srr1) on the harness stack; it never returns. */
1:  li      %r1, DT_STACK_TOP
    li      %r0, 0
    stdu    %r0, -64(%r1)
    lis     %r2, .TOC.@ha
    addi    %r2, %r2, .TOC.@l
    ld      %r3, DT_TRAP_VEC(0)
    ld      %r4, DT_TRAP_SRR0(0)
    ld      %r5, DT_TRAP_SRR1(0)
    bl      dt_trap_report
1:  b       1b

/*
 * dt_run(blob, msr, armed, vecstate): save the harness registers and MSR, load the whole
 * test state (r0, LR and CTR are loaded by the blob itself; with vecstate non-zero also
 * the FPSCR, the VSCR and the 64 VSRs), arm the interrupt vectors (DT_TRAP_ARMED) and enter
 * the blob with rfid in the test's MSR (MSR[SF]=0 for 32-bit mode, FE0/FE1 for some
 * floating-point tests); the blob stores r0/LR/CTR and ends with "ba dt_exit", which
 * stores the rest and returns to the harness in its own MSR (64-bit mode).
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
    mfmsr   %r0
    std     %r0, DT_SAVE_MSR(0)
    mtsrr1  %r4
    mtsrr0  %r3
    std     %r6, DT_VECSTATE(0)
    /* r6: the DT_ST_* parts to load (0 for the fixed-point classes) */
    andi.   %r0, %r6, DT_ST_FPSCR
    beq     1f
    /* in the harness's MSR (FE0=FE1=0): writing the FPSCR raises nothing */
    lfd     %f0, DT_VEC_IN + DT_VEC_FPSCR(0)
    mtfsf   0xff, %f0, 1, 0
1:  andi.   %r0, %r6, DT_ST_VSCR
    beq     1f
    li      %r3, DT_VEC_IN + DT_VEC_VSCR
    lvx     %v0, 0, %r3
    mtvscr  %v0
1:  andi.   %r0, %r6, DT_ST_VSR
    beq     1f
    li      %r3, DT_VEC_IN
    .irp    n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, \
            21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, \
            41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, \
            61, 62, 63
    lxvd2x  \n, 0, %r3
    addi    %r3, %r3, 16
    .endr
1:  andi.   %r0, %r6, DT_ST_FPR
    beq     1f
    .irp    n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, \
            21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    lfd     \n, DT_VEC_IN + 16 * \n(0)
    .endr
1:  andi.   %r0, %r6, DT_ST_VR
    beq     1f
    .irp    n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, \
            21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    li      %r3, DT_VEC_IN + 16 * (32 + \n)
    lvx     \n, 0, %r3
    .endr
1:  std     %r5, DT_TRAP_ARMED(0)
    ld      %r0, DT_STATE_IN + DT_ST_XER(0)
    mtxer   %r0
    ld      %r0, DT_STATE_IN + DT_ST_CR(0)
    mtcrf   0xff, %r0
    .irp    n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, \
            17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    ld      \n, DT_STATE_IN + \n * 8(0)
    .endr
    rfid

    /* In the test's mode: every address here is below 2 GiB. */
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
    li      %r3, 0
    std     %r3, DT_TRAP_ARMED(0)   /* an interrupt from here on is the harness's */
    ld      %r3, DT_VECSTATE(0)
    andi.   %r3, %r3, DT_ST_VSR
    beq     1f
    li      %r3, DT_VEC_OUT
    .irp    n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, \
            21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, \
            41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, \
            61, 62, 63
    stxvd2x \n, 0, %r3
    addi    %r3, %r3, 16
    .endr
1:  ld      %r3, DT_VECSTATE(0)
    andi.   %r3, %r3, DT_ST_FPR
    beq     1f
    .irp    n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, \
            21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    stfd    \n, DT_VEC_OUT + 16 * \n(0)
    .endr
1:  ld      %r3, DT_VECSTATE(0)
    andi.   %r3, %r3, DT_ST_VR
    beq     1f
    li      %r3, DT_VEC_OUT + 16 * 32
    .irp    n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, \
            21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    stvx    \n, 0, %r3
    addi    %r3, %r3, 16
    .endr
    /* the FPSCR and the VSCR last: storing them takes f0 and v0 */
1:  ld      %r3, DT_VECSTATE(0)
    andi.   %r3, %r3, DT_ST_FPSCR
    beq     1f
    mffs    %f0
    stfd    %f0, DT_VEC_OUT + DT_VEC_FPSCR(0)
1:  ld      %r3, DT_VECSTATE(0)
    andi.   %r3, %r3, DT_ST_VSCR
    beq     1f
    mfvscr  %v0
    li      %r3, DT_VEC_OUT + DT_VEC_VSCR
    stvx    %v0, 0, %r3
1:  ld      %r3, DT_SAVE_MSR(0)
    mtsrr1  %r3
    lis     %r3, .Lback@ha
    addi    %r3, %r3, .Lback@l
    mtsrr0  %r3
    rfid
.Lback:
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
