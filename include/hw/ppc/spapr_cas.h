/*
 * ibm,client-architecture-support (H_CAS and H_UPDATE_DT): the option vectors a
 * guest sends, what the pseries machine agrees to, and the state that agreement leaves.
 */
#ifndef HW_PPC_SPAPR_CAS_H
#define HW_PPC_SPAPR_CAS_H

#include "qemu/osdep.h"

typedef struct SpaprMachineState SpaprMachineState;
typedef struct PowerPCCPU PowerPCCPU;

/*
 * Option vector 5 (LoPAPR B.6.2.3) as bytes: byte 1 is the first byte after the
 * length, and bit 0 of a byte is its most significant bit.  Room for the
 * bytes this machine knows about; longer guest vectors are cut there.
 */
#define SPAPR_OV5_BYTES 32
#define SPAPR_OV5_BIT(bit) (0x80 >> (bit))

/* Vector 5 fields: (byte, mask) as the guest and the tree encode them. */
#define OV5_DRCONF_MEMORY_BYTE 2 /* ibm,dynamic-reconfiguration-memory */
#define OV5_DRCONF_MEMORY SPAPR_OV5_BIT(2)
#define OV5_AFFINITY_BYTE 5
#define OV5_FORM1_AFFINITY SPAPR_OV5_BIT(0)
#define OV5_FORM2_AFFINITY SPAPR_OV5_BIT(2)
#define OV5_HOTPLUG_BYTE 6
#define OV5_HP_EVT SPAPR_OV5_BIT(5)     /* a dedicated hot-plug event source */
#define OV5_HPT_RESIZE SPAPR_OV5_BIT(7) /* H_RESIZE_HPT_* */
#define OV5_DRMEM_V2_BYTE 22
#define OV5_DRMEM_V2 SPAPR_OV5_BIT(0) /* ibm,dynamic-memory-v2 */
#define OV5_INTC_BYTE 23
#define OV5_XIVE_BOTH SPAPR_OV5_BIT(0)    /* platform: either controller */
#define OV5_XIVE_EXPLOIT SPAPR_OV5_BIT(1) /* guest: XIVE exploitation mode */
#define OV5_MMU_BYTE 24
#define OV5_MMU_BOTH SPAPR_OV5_BIT(0)      /* platform: hash or radix */
#define OV5_MMU_RADIX_300 SPAPR_OV5_BIT(1) /* radix (ISA 3.00) */
#define OV5_RADIX_GTSE_BYTE 26
#define OV5_MMU_RADIX_GTSE SPAPR_OV5_BIT(1) /* guest tlbie with radix */

/* Option vector 1 byte 3: the ISA 3.00 level (LoPAPR B.6.2.1). */
#define OV1_ISA3_BYTE 3
#define OV1_PPC_3_00 SPAPR_OV5_BIT(0)

/* What ibm,client-architecture-support decided; back to the defaults at every reset. */
typedef struct SpaprCasState {
    /* The logical PVR the processors run at; 0: their own (raw) PVR. */
    uint32_t compat_pvr;
    /* Vector 5 agreed (what both sides listed); ov5[i] is byte i, ov5[0] unused. */
    uint8_t ov5[SPAPR_OV5_BYTES + 1];
    /* The guest did not list ISA 3.00 in vector 1. */
    bool pre_isa3_guest;
    /* A negotiation happened since the last reset. */
    bool done;
} SpaprCasState;

/*
 * Negotiate with the option vectors at guest address vec_addr (the PVR list,
 * then the vectors) as cpu's ibm,client-architecture-support: pick the logical
 * PVR, the MMU and interrupt modes, and rebuild spapr->fdt_blob (packed) for
 * what was agreed.  H_SUCCESS, or H_PARAMETER (vectors outside RAM, malformed,
 * no vector 1 or 5), H_HARDWARE (no processor level both sides accept),
 * H_MULTI_THREADS_ACTIVE (another processor is running); nothing changes
 * then.  A guest asking for a mode the machine cannot run (both MMUs, both
 * controllers, XIVE) ends the machine with QEMU's message, as QEMU 7.2 does.
 * The built-in Open Firmware calls this for its call-method service.
 */
target_ulong spapr_cas_negotiate(SpaprMachineState *spapr, PowerPCCPU *cpu, target_ulong vec_addr);

/* Back to the state before any negotiation (machine reset, before the tree is built). */
void spapr_cas_reset(SpaprMachineState *spapr);

/* Vector 5 as the machine offers it (ov5[i] is byte i), for this machine's settings. */
void spapr_cas_ov5_offered(SpaprMachineState *spapr, uint8_t ov5[SPAPR_OV5_BYTES + 1]);

/*
 * Whether the partition's processors can run ISA 3.00 at the current
 * compatibility level: a POWER9 not held back by max-cpu-compat or the
 * negotiated logical PVR.  Radix and the 3.00 features depend on it.
 */
bool spapr_cas_isa300(SpaprMachineState *spapr);

/* Whether vector 5 byte has mask set in what was agreed. */
static inline bool spapr_cas_ov5_test(const SpaprCasState *cas, unsigned byte, uint8_t mask)
{
    return byte <= SPAPR_OV5_BYTES && (cas->ov5[byte] & mask);
}

#endif
