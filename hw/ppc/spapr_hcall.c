/*
 * The hypercall table: two ranges (PAPR opcodes, QEMU's private range from
 * 0xf000), one dispatch function for every caller; each vCPU counts its calls
 * in its own profile (spapr_stats.c, x-query-hcalls).
 */
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_stats.h"
#include "qemu/log.h"

#define PAPR_SLOTS (MAX_HCALL_OPCODE / 4 + 1)
#define PRIVATE_SLOTS (KVMPPC_HCALL_MAX - KVMPPC_HCALL_BASE + 1)

typedef struct HcallSlot {
    spapr_hcall_fn fn;
} HcallSlot;

SpaprMachineState *spapr_machine;

static HcallSlot papr_table[PAPR_SLOTS];
static HcallSlot private_table[PRIVATE_SLOTS];

/* The slot for opcode, or NULL when the opcode is in no range. */
static HcallSlot *hcall_slot(target_ulong opcode)
{
    if (opcode <= MAX_HCALL_OPCODE) {
        return (opcode & 3) ? NULL : &papr_table[opcode / 4];
    }
    if (opcode >= KVMPPC_HCALL_BASE && opcode <= KVMPPC_HCALL_MAX) {
        return &private_table[opcode - KVMPPC_HCALL_BASE];
    }
    return NULL;
}

void spapr_register_hypercall(target_ulong opcode, spapr_hcall_fn fn)
{
    HcallSlot *slot = hcall_slot(opcode);

    if (!slot || opcode == 0 || !fn) {
        fprintf(stderr,
                "spapr_register_hypercall: opcode 0x" TARGET_FMT_lx
                " is outside the hypercall ranges\n",
                opcode);
        abort();
    }
    if (slot->fn) {
        fprintf(stderr, "spapr_register_hypercall: opcode 0x" TARGET_FMT_lx " registered twice\n",
                opcode);
        abort();
    }
    slot->fn = fn;
}

target_ulong spapr_hypercall(PowerPCCPU *cpu, target_ulong opcode, target_ulong *args)
{
    HcallSlot *slot = hcall_slot(opcode);
    SpaprStat *st = spapr_stats_hcall_slot(cpu, opcode);
    uint64_t t0 = spapr_stats_begin(st, false);
    target_ulong ret;

    if (slot && slot->fn) {
        ret = slot->fn(cpu, spapr_machine, opcode, args);
    } else {
        qemu_log_mask(LOG_UNIMP, "Unimplemented SPAPR hcall 0x" TARGET_FMT_lx "\n", opcode);
        ret = H_FUNCTION;
    }
    spapr_stats_end(st, t0, (int64_t)ret);
    return ret;
}

bool spapr_hypercall_registered(target_ulong opcode)
{
    HcallSlot *slot = hcall_slot(opcode);

    return slot && slot->fn;
}

void spapr_hypercall_foreach(void (*fn)(target_ulong opcode, void *opaque), void *opaque)
{
    for (target_ulong i = 0; i < PAPR_SLOTS; i++) {
        if (papr_table[i].fn) {
            fn(i * 4, opaque);
        }
    }
    for (target_ulong i = 0; i < PRIVATE_SLOTS; i++) {
        if (private_table[i].fn) {
            fn(KVMPPC_HCALL_BASE + i, opaque);
        }
    }
}

void spapr_hypercall_table_clear(void)
{
    memset(papr_table, 0, sizeof(papr_table));
    memset(private_table, 0, sizeof(private_table));
}

/* `sc 1` from the CPU: r3 = opcode, r4..r12 = arguments and results. */
static void spapr_vhyp_hypercall(PPCVirtualHypervisor *vhyp, PowerPCCPU *cpu)
{
    CPUPPCState *env = &cpu->env;

    (void)vhyp;
    env->gpr[3] = spapr_hypercall(cpu, env->gpr[3], &env->gpr[4]);
}

const PPCVirtualHypervisorOps spapr_vhyp_ops = {
    .hypercall = spapr_vhyp_hypercall,
    .hpt = spapr_vhyp_hpt,
    .hpte_rc_set = spapr_vhyp_hpte_rc_set,
    .get_pate = spapr_vhyp_get_pate,
    .cpu_exec_enter = spapr_vpa_exec_enter,
    .cpu_exec_exit = spapr_vpa_exec_exit,
    .system_reset = spapr_fwnmi_system_reset,
};
