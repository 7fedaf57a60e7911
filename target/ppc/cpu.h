/*
 * The POWER CPU's architected state and the models this emulator offers.
 * The CPU knows nothing of pseries: the machine reaches it only through the
 * virtual-hypervisor (vhyp) interface below.
 */
#ifndef TARGET_PPC_CPU_H
#define TARGET_PPC_CPU_H

#include "qemu/osdep.h"

/* MSR bits, named as in the ISA (bit numbers in big-endian order). */
#define MSR_SF PPC_BIT(0)
#define MSR_HV PPC_BIT(3)
#define MSR_VEC PPC_BIT(38)
#define MSR_VSX PPC_BIT(40)
#define MSR_EE PPC_BIT(48)
#define MSR_PR PPC_BIT(49)
#define MSR_FP PPC_BIT(50)
#define MSR_ME PPC_BIT(51)
#define MSR_FE0 PPC_BIT(52)
#define MSR_SE PPC_BIT(53)
#define MSR_BE PPC_BIT(54)
#define MSR_FE1 PPC_BIT(55)
#define MSR_IR PPC_BIT(58)
#define MSR_DR PPC_BIT(59)
#define MSR_RI PPC_BIT(62)
#define MSR_LE PPC_BIT(63)

/* Processor Version Register values (upper half: the processor family). */
#define CPU_POWERPC_POWER8_v20 0x004D0200
#define CPU_POWERPC_POWER9_v20 0x004E1200

typedef struct PowerPCCPUModel {
    const char *name;    /* "power9_v2.0" */
    const char *alias;   /* "power9" */
    const char *dt_name; /* "PowerPC,POWER9" */
    uint32_t pvr;
    bool has_radix;
    uint32_t l1_dcache_size, l1_icache_size, cache_line_size;
    uint32_t slb_size;
} PowerPCCPUModel;

typedef struct CPUPPCState {
    uint64_t gpr[32];
    uint64_t nip;
    uint64_t msr;
    uint32_t cr; /* eight 4-bit fields, CR0 in the top nibble */
    uint64_t lr;
    uint64_t ctr;
    uint64_t xer;
    uint64_t spr[1024];
    uint64_t tb_offset;
} CPUPPCState;

typedef struct PowerPCCPU PowerPCCPU;

/*
 * The virtual hypervisor: what a machine that runs the CPU as a partition
 * (pseries, or any board that serves `sc 1` itself) provides.  The CPU calls
 * hypercall() for `sc 1` in supervisor state; r3 holds the opcode, r4.. the
 * arguments, and the machine writes r3 and r4.. back.
 */
typedef struct PPCVirtualHypervisor PPCVirtualHypervisor;
typedef struct PPCVirtualHypervisorOps {
    void (*hypercall)(PPCVirtualHypervisor *vhyp, PowerPCCPU *cpu);
    /* More hooks (HPT access, partition-table entry) come with the MMU. */
} PPCVirtualHypervisorOps;

struct PowerPCCPU {
    CPUPPCState env;
    int cpu_index;
    const PowerPCCPUModel *model;
    PPCVirtualHypervisor *vhyp;
    const PPCVirtualHypervisorOps *vhyp_ops;
    bool halted;
};

/* Find a model by name or alias, case-insensitively ("POWER9", "power8"). */
const PowerPCCPUModel *ppc_cpu_model_find(const char *name);
const PowerPCCPUModel *ppc_cpu_model_default(void);
void ppc_cpu_list(FILE *out);

PowerPCCPU *ppc_cpu_create(const PowerPCCPUModel *model, int index);
void ppc_cpu_free(PowerPCCPU *cpu);
/* Architected reset state; the board then sets the entry point and r3. */
void ppc_cpu_reset(PowerPCCPU *cpu);
void ppc_cpu_set_vhyp(PowerPCCPU *cpu, PPCVirtualHypervisor *vhyp,
                      const PPCVirtualHypervisorOps *ops);

#endif
