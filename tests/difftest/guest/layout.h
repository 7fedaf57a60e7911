/* Fixed guest addresses shared by the difftest start-up code, the harness and the generated
 * test blobs: all below 0x8000 so that D-form accesses with RA=0 reach them directly. */
#ifndef DIFFTEST_LAYOUT_H
#define DIFFTEST_LAYOUT_H

/* Patched by the driver in the image file: index of the one test to dump, or all ones. */
#define DT_CONFIG 0x180
#define DT_CFG_DUMP (DT_CONFIG + 0)
#define DT_CFG_MAGIC (DT_CONFIG + 4)
#define DT_MAGIC 0x44544346 /* "DTCF" */
/* Which floating-point/vector state the harness moves in and out (the driver's --state):
 * the FPRs alone (lfd/stfd), the VRs alone (lvx/stvx), all 64 VSRs (lxvd2x/stxvd2x, which
 * covers both), the FPSCR (mtfsf/mffs), the VSCR (mtvscr/mfvscr). Only that is compared. */
#define DT_CFG_STATE (DT_CONFIG + 8)
#define DT_ST_FPR 1
#define DT_ST_VR 2
#define DT_ST_VSR 4
#define DT_ST_FPSCR 8
#define DT_ST_VSCR 16
#define DT_ST_FULL (DT_ST_VSR | DT_ST_FPSCR | DT_ST_VSCR)
#define DT_ST_ALL 31

/* Little-endian images only: where the big-endian interrupt vectors go to switch back to
 * little-endian, and the little-endian code that then reaches dt_trap. */
#define DT_TRAP_BE 0x140
#define DT_TRAP_LE 0x160

/* The harness's own registers while a test runs (r1, r2, r13-r31, LR, CR, MSR). */
#define DT_SAVE 0x1000
#define DT_SAVE_LR (DT_SAVE + 32 * 8)
#define DT_SAVE_CR (DT_SAVE + 33 * 8)
#define DT_SAVE_MSR (DT_SAVE + 34 * 8)

/* What an interrupt vector overwrites, saved first: r3, r4, r5, then (little-endian images,
 * on the way back to little-endian) r10, r11, then CR. */
#define DT_VSAVE 0x1180
#define DT_VSAVE_R3 (DT_VSAVE + 0)
#define DT_VSAVE_R4 (DT_VSAVE + 8)
#define DT_VSAVE_R5 (DT_VSAVE + 16)
#define DT_VSAVE_R10 (DT_VSAVE + 24)
#define DT_VSAVE_R11 (DT_VSAVE + 32)
#define DT_VSAVE_CR (DT_VSAVE + 40)

/* The last interrupt: vector, SRR0, SRR1. While DT_TRAP_ARMED is non-zero (a test of the trap
 * class runs), a program interrupt ends the test instead of stopping the run. */
#define DT_TRAP 0x11c0
#define DT_TRAP_ARMED (DT_TRAP + 0)
#define DT_TRAP_VEC (DT_TRAP + 8)
#define DT_TRAP_SRR0 (DT_TRAP + 16)
#define DT_TRAP_SRR1 (DT_TRAP + 24)
#define DT_TRAP_WORDS 4
/* Non-zero while a test of a floating-point/vector class runs: dt_run loaded, and dt_exit
 * stores, the VSRs, FPSCR and VSCR too. */
#define DT_VECSTATE (DT_TRAP + 32)

/* Register state before and after a test: r0-r31, CR, XER, LR, CTR (64-bit each). */
#define DT_STATE_IN 0x1200
#define DT_STATE_OUT 0x1400
#define DT_ST_CR (32 * 8)
#define DT_ST_XER (33 * 8)
#define DT_ST_LR (34 * 8)
#define DT_ST_CTR (35 * 8)
#define DT_ST_WORDS 36

/* Floating-point and vector state before and after a test of those classes: the 64 VSRs
 * (doubleword 0, then 1; FPR i is doubleword 0 of VSR i, VR i is VSR 32 + i), the FPSCR (64
 * bits) and a quadword whose low-order word is the VSCR. */
#define DT_VEC_IN 0x2000
#define DT_VEC_OUT 0x2800
#define DT_VEC_FPSCR (64 * 16)
#define DT_VEC_VSCR (DT_VEC_FPSCR + 16)
#define DT_VEC_WORDS (DT_VEC_VSCR / 8 + 2)

/* The 4 KiB buffer that load/store tests address, and its copy before the test. */
#define DT_SCRATCH 0x4000
#define DT_SCRATCH_SIZE 0x1000
#define DT_BEFORE 0x5000

/* The harness stack grows down from here; the image itself starts at 0x8000. */
#define DT_STACK_TOP 0x7f00
#define DT_TEXT 0x8000

#endif
