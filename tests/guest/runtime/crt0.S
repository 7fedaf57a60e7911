/* Entry point of guest test programs: the firmware jumps here (0x100) in real mode,
 * big-endian, with r3 = the device tree; we end in guest_start(fdt, entry MSR). */

#ifdef __LITTLE_ENDIAN__
    .macro be_insn word
    .byte   ((\word) >> 24) & 0xff, ((\word) >> 16) & 0xff
    .byte   ((\word) >> 8) & 0xff, (\word) & 0xff
    .endm
    /*
     * This image is little-endian but the CPU starts big-endian. The first word,
     * tdi 0,0,0x48 (never traps), reads as "b .+8" when fetched big-endian, so a
     * big-endian CPU skips the "b 1f" below and runs the trampoline, which is
     * stored big-endian: it sets MSR[LE] through SRR1 and resumes at 1: with rfid.
     * A CPU already little-endian takes the "b 1f". r11 gets the MSR.
     */
    .macro to_little_endian
    tdi     0, 0, 0x48
    b       1f
    be_insn 0x7d6000a6      /* mfmsr   r11 */
    be_insn 0x616b0001      /* ori     r11, r11, 1 (MSR[LE] is bit 63) */
    be_insn 0x429f0005      /* bcl     20, 31, .+4 (LR = address of the mflr) */
    be_insn 0x7d4802a6      /* mflr    r10 */
    be_insn 0x394a0014      /* addi    r10, r10, 20 (5 words on: label 1) */
    be_insn 0x7d5a03a6      /* mtsrr0  r10 */
    be_insn 0x7d7b03a6      /* mtsrr1  r11 */
    be_insn 0x4c000024      /* rfid */
1:
    .endm
#endif

    .section .text.entry, "ax"
    .globl _start
_start:
#ifdef __LITTLE_ENDIAN__
    to_little_endian
#endif
    /*
     * Make sure we run in 64-bit mode: QEMU 7.2 enters a -bios image with MSR[SF]
     * clear. rfid with SRR1 = MSR | SF (bit 0) sets it without needing mtmsrd.
     * r11 keeps the entry MSR for guest_start.
     */
    mfmsr   %r11
    rldicl. %r12, %r11, 1, 63       /* SF to the low bit */
    bne     5f
    li      %r12, 1
    sldi    %r12, %r12, 63
    or      %r12, %r11, %r12
    lis     %r10, 5f@ha
    addi    %r10, %r10, 5f@l
    mtsrr0  %r10
    mtsrr1  %r12
    rfid
5:
    /* r3 (the device tree) and r11 are kept for guest_start; r4-r6 are scratch. */
    lis     %r1, __stack_top@ha
    addi    %r1, %r1, __stack_top@l
    li      %r0, 0
    stdu    %r0, -64(%r1)           /* ABI frame with a NULL back chain */
    lis     %r2, .TOC.@ha
    addi    %r2, %r2, .TOC.@l

    /* .bss is 16-byte aligned and sized by the linker script. */
    lis     %r4, __bss_start@ha
    addi    %r4, %r4, __bss_start@l
    lis     %r5, __bss_end@ha
    addi    %r5, %r5, __bss_end@l
2:  cmpld   %r4, %r5
    bge     3f
    std     %r0, 0(%r4)
    addi    %r4, %r4, 8
    b       2b
3:
    /* r13: the boot processor's trap record (runtime/vectors.S) */
    lis     %r13, guest_trap_record@ha
    addi    %r13, %r13, guest_trap_record@l
    mr      %r4, %r11
    bl      guest_start
    /* guest_start never returns; stop here if it ever does. */
4:  b       4b

/*
 * Where RTAS start-cpu sends a secondary CPU (runtime/smp.c): big-endian, real
 * mode, 64-bit, r3 = its struct guest_cpu. It records the MSR it was started
 * with, takes its own stack and goes on in guest_secondary_start(cpu).
 */
    .text
    .globl guest_secondary_entry
    .p2align 2
guest_secondary_entry:
#ifdef __LITTLE_ENDIAN__
    /* The trampoline left the entry MSR in r11, with LE added. */
    to_little_endian
    rldicr  %r12, %r11, 0, 62
#else
    mfmsr   %r12
#endif
    std     %r12, 8(%r3)            /* struct guest_cpu: entry_msr */
    ld      %r1, 0(%r3)             /* struct guest_cpu: stack_top */
    li      %r0, 0
    stdu    %r0, -64(%r1)
    lis     %r2, .TOC.@ha
    addi    %r2, %r2, .TOC.@l
    bl      guest_secondary_start
6:  b       6b
