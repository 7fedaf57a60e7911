/* Interrupt vectors of guest test programs (0x200-0xfff, real mode): each one records
 * the vector, SRR0, SRR1, DAR and DSISR in its processor's trap record, then resumes. */

/*
 * The CPU delivers every interrupt big-endian (LPCR[ILE] = 0), so this code is
 * stored big-endian in both images: each instruction is assembled by a macro from
 * its ISA fields and emitted one byte at a time, most significant first. In the
 * big-endian image that is what the assembler would emit anyway.
 *
 * Each processor has a record of its own, which r13 points at, as Linux's r13
 * points at its PACA (the ELFv2 ABI reserves r13: the compiler never uses it).
 * crt0.S points the boot processor's at guest_trap_record, guest_secondary_start()
 * a secondary's at the one in its struct guest_cpu. So several processors can
 * take interrupts at once.
 *
 * The handler resumes at (SRR0 & mask) + offset, both read from the record:
 * guest_trap_expect() sets mask = ~0 and offset = 4 (the instruction after the
 * interrupted one); guest_trap_expect_resume() sets mask = 0 and offset = where to
 * resume, and an AND mask for SRR1 (to come back with EE off, say). The handler
 * then puts back mask = 0, offset = the address of guest_trap_unexpected_entry
 * and the SRR1 masks ~0 and 0, so any other interrupt ends the program with a report. rfid restores the interrupted MSR (LE and SF included) from SRR1.
 * Hypervisor vectors (0x980, 0xe00-0xea0, 0xf80) are not installed: a partition
 * never takes them.
 */

/* Where the linker script puts .text.vectors (it asserts guest_vectors == 0x200). */
#define VECTORS_BASE 0x200
/* Where the boot processor's record is (problem.c's copy of 0-0x2000 includes it). */
#define RECORD 0x1080

/* Doubleword fields of a record (offsets from r13), big-endian; struct trap_record (trap.c). */
#define REC_VECTOR 0
#define REC_SRR0 8
#define REC_SRR1 16
#define REC_DAR 24
#define REC_DSISR 32
#define REC_MASK 40
#define REC_OFFSET 48
#define REC_UNEXPECTED 56
#define REC_SRR1_AND 64
#define REC_SRR1_OR 72
#define REC_SIZE 80

/* SPR numbers (Book III) */
#define SPR_DSISR 18
#define SPR_DAR 19
#define SPR_SRR0 26
#define SPR_SRR1 27
#define SPR_SPRG0 272
#define SPR_SPRG1 273

    .macro be_word w
    .byte   ((\w) >> 24) & 0xff, ((\w) >> 16) & 0xff, ((\w) >> 8) & 0xff, (\w) & 0xff
    .endm

    /* XFX form: the SPR number's two 5-bit halves are swapped in bits 11:20. */
    .macro be_mtspr spr, rs
    be_word (31 << 26) | ((\rs) << 21) | (((\spr) & 0x1f) << 16) | (((\spr) >> 5) << 11) | (467 << 1)
    .endm
    .macro be_mfspr rt, spr
    be_word (31 << 26) | ((\rt) << 21) | (((\spr) & 0x1f) << 16) | (((\spr) >> 5) << 11) | (339 << 1)
    .endm
    /* DS form with RA = r13 (the record): ld RT,DS(r13), std RS,DS(r13) */
    .macro be_ld rt, ds
    be_word (58 << 26) | ((\rt) << 21) | (13 << 16) | ((\ds) & 0xfffc)
    .endm
    .macro be_std rs, ds
    be_word (62 << 26) | ((\rs) << 21) | (13 << 16) | ((\ds) & 0xfffc)
    .endm
    /* addi RT,0,SI */
    .macro be_li rt, si
    be_word (14 << 26) | ((\rt) << 21) | ((\si) & 0xffff)
    .endm
    /* and RA,RS,RB (X form, XO 28), or RA,RS,RB (XO 444), add RT,RA,RB (XO form, XO 266) */
    .macro be_and ra, rs, rb
    be_word (31 << 26) | ((\rs) << 21) | ((\ra) << 16) | ((\rb) << 11) | (28 << 1)
    .endm
    .macro be_or ra, rs, rb
    be_word (31 << 26) | ((\rs) << 21) | ((\ra) << 16) | ((\rb) << 11) | (444 << 1)
    .endm
    .macro be_add rt, ra, rb
    be_word (31 << 26) | ((\rt) << 21) | ((\ra) << 16) | ((\rb) << 11) | (266 << 1)
    .endm
    .macro be_b target
.Lbe_b\@:
    be_word (18 << 26) | (((\target) - .Lbe_b\@) & 0x03fffffc)
    .endm
    .macro be_rfid
    be_word (19 << 26) | (18 << 1)
    .endm

    /* A vector: free r3 and r4 (into SPRG0/1), r3 = the vector, on to the common code. */
    .macro vector addr
    .org    (\addr) - VECTORS_BASE
    be_mtspr SPR_SPRG0, 3
    be_mtspr SPR_SPRG1, 4
    be_li   3, \addr
    be_b    trap_common
    .endm

    .section .text.vectors, "ax"
    .globl guest_vectors
guest_vectors:
    vector  0x200       /* machine check (e.g. an access outside RAM) */
    vector  0x300       /* data storage */
    vector  0x380       /* data segment */
    vector  0x400       /* instruction storage */
    vector  0x480       /* instruction segment */
    vector  0x500       /* external */
    vector  0x600       /* alignment */
    vector  0x700       /* program */
    vector  0x800       /* floating-point unavailable */
    vector  0x900       /* decrementer */
    vector  0xa00       /* directed privileged doorbell */
    vector  0xc00       /* system call */
    vector  0xd00       /* trace */
    vector  0xf00       /* performance monitor */
    vector  0xf20       /* vector unavailable */
    vector  0xf40       /* VSX unavailable */
    vector  0xf60       /* facility unavailable */

    .org    0x1000 - VECTORS_BASE
trap_common:
    be_std  3, REC_VECTOR
    be_mfspr 3, SPR_SRR1
    be_std  3, REC_SRR1
    be_mfspr 3, SPR_DAR
    be_std  3, REC_DAR
    be_mfspr 3, SPR_DSISR
    be_std  3, REC_DSISR
    be_mfspr 4, SPR_SRR0
    be_std  4, REC_SRR0
    /* SRR0 = (SRR0 & mask) + offset */
    be_ld   3, REC_MASK
    be_and  4, 4, 3
    be_ld   3, REC_OFFSET
    be_add  4, 4, 3
    be_mtspr SPR_SRR0, 4
    /* SRR1 &= srr1_and: e.g. resume with EE off after an asynchronous interrupt;
     * then SRR1 |= srr1_or: a facility turned on, as a lazy FP/vector handler does. */
    be_mfspr 4, SPR_SRR1
    be_ld   3, REC_SRR1_AND
    be_and  4, 4, 3
    be_ld   3, REC_SRR1_OR
    be_or   4, 4, 3
    be_mtspr SPR_SRR1, 4
    /* Disarm: the next interrupt is unexpected. */
    be_li   3, 0
    be_std  3, REC_MASK
    be_std  3, REC_SRR1_OR
    be_ld   3, REC_UNEXPECTED
    be_std  3, REC_OFFSET
    be_li   3, -1
    be_std  3, REC_SRR1_AND
    be_mfspr 3, SPR_SPRG0
    be_mfspr 4, SPR_SPRG1
    be_rfid

    .org    RECORD - VECTORS_BASE
    .globl guest_trap_record
guest_trap_record:
    .space  REC_SIZE

/*
 * Where an unexpected interrupt resumes, in the interrupted MSR (so in the image's
 * byte order) with its registers: leave the interrupted function's stack alone
 * (ELFv2 lets a leaf use 288 bytes below r1), reload the TOC and report.
 */
    .text
    .globl guest_trap_unexpected_entry
guest_trap_unexpected_entry:
    addi    %r1, %r1, -512
    clrrdi  %r1, %r1, 4
    lis     %r2, .TOC.@ha
    addi    %r2, %r2, .TOC.@l
    bl      guest_trap_unexpected
    /* guest_trap_unexpected never returns */
1:  b       1b
