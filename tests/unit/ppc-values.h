/*
 * Expected-value names shared by the instruction-class unit tests: XER and
 * CR0 bits as mfxer/mfcr show them, and the edge values the cases use.
 */
#ifndef TESTS_UNIT_PPC_VALUES_H
#define TESTS_UNIT_PPC_VALUES_H

/* XER status bits as mfxer shows them */
#define SO 0x80000000ULL
#define OV 0x40000000ULL
#define CA 0x20000000ULL
#define OV32 0x00080000ULL
#define CA32 0x00040000ULL

/* CR0 values (the whole CR, other fields zero) */
#define CR0_LT 0x80000000u
#define CR0_GT 0x40000000u
#define CR0_EQ 0x20000000u
#define CR0_SO 0x10000000u

#define POISON 0x5a5a5a5a5a5a5a5aULL
#define I64MIN 0x8000000000000000ULL
#define ALL1 0xffffffffffffffffULL

#endif
