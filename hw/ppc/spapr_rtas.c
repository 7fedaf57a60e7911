/*
 * RTAS core: the table of services by token, argument-block checking, the
 * H_RTAS hypercall, the qtest entry point, /rtas properties and the stub.
 */
#include "hw/ppc/spapr_rtas.h"
#include "exec/guest-memory.h"
#include "hw/ppc/spapr_stats.h"
#include "qemu/log.h"
#include "qemu/module.h"

#include <libfdt.h>

#define RTAS_TABLE_SIZE (RTAS_TOKEN_MAX - RTAS_TOKEN_BASE)

/*
 * Some early Linux debug code calls display-character with token 0xa (its
 * value on some IBM machines) without reading /rtas; QEMU accepts it too.
 */
#define RTAS_LEGACY_DISPLAY_CHARACTER 0xa

/* Bytes of the block header before args[]: token, nargs, nret. */
#define RTAS_BLOCK_HEADER 12

typedef struct RtasService {
    const char *name;
    spapr_rtas_fn fn;
} RtasService;

static RtasService rtas_table[RTAS_TABLE_SIZE];

uint32_t rtas_ld(const SpaprRtasCall *call, unsigned i)
{
    uint32_t val = 0;

    if (i < call->nargs) {
        guest_ldl_be(call->args + 4ULL * i, &val);
    }
    return val;
}

void rtas_st(const SpaprRtasCall *call, unsigned i, uint32_t val)
{
    if (i < call->nret) {
        guest_stl_be(call->rets + 4ULL * i, val);
    }
}

static RtasService *rtas_service(int token)
{
    if (token < RTAS_TOKEN_BASE || token >= RTAS_TOKEN_MAX) {
        return NULL;
    }
    return &rtas_table[token - RTAS_TOKEN_BASE];
}

void spapr_rtas_register(int token, const char *name, spapr_rtas_fn fn)
{
    RtasService *svc = rtas_service(token);

    if (!svc || !name || !fn) {
        fprintf(stderr, "spapr_rtas_register: bad token 0x%x\n", token);
        abort();
    }
    if (svc->fn || spapr_rtas_token(name) >= 0) {
        fprintf(stderr, "spapr_rtas_register: %s (0x%x) registered twice\n", name, token);
        abort();
    }
    svc->name = name;
    svc->fn = fn;
}

int spapr_rtas_token(const char *name)
{
    for (int i = 0; i < RTAS_TABLE_SIZE; i++) {
        if (rtas_table[i].fn && !strcmp(rtas_table[i].name, name)) {
            return RTAS_TOKEN_BASE + i;
        }
    }
    return -1;
}

const char *spapr_rtas_name(int token)
{
    RtasService *svc = rtas_service(token);

    return svc && svc->fn ? svc->name : NULL;
}

void spapr_rtas_table_clear(void)
{
    memset(rtas_table, 0, sizeof(rtas_table));
}

target_ulong spapr_rtas_call(PowerPCCPU *cpu, SpaprMachineState *spapr, uint32_t token,
                             uint32_t nargs, hwaddr args, uint32_t nret, hwaddr rets)
{
    SpaprRtasCall call = {
        .token = token,
        .nargs = nargs,
        .nret = nret,
        .args = args,
        .rets = rets,
    };
    RtasService *svc = rtas_service(token);

    /* Both arrays must be RAM before anything is read or written. */
    if (!guest_range_valid(args, 4ULL * nargs) || !guest_range_valid(rets, 4ULL * nret)) {
        return H_PARAMETER;
    }
    if (!svc || !svc->fn) {
        if (token == RTAS_LEGACY_DISPLAY_CHARACTER) {
            svc = rtas_service(RTAS_DISPLAY_CHARACTER);
        }
    }
    if (svc && svc->fn) {
        SpaprStat *st = spapr_stats_rtas_slot(cpu, RTAS_TOKEN_BASE + (uint32_t)(svc - rtas_table));
        uint64_t t0 = spapr_stats_begin(st, true);
        uint32_t status = 0;

        svc->fn(cpu, spapr, &call);
        if (nret) {
            guest_ldl_be(rets, &status);
        }
        spapr_stats_end(st, t0, (int32_t)status);
        return H_SUCCESS;
    }
    qemu_log_mask(LOG_GUEST_ERROR, "Unknown RTAS token 0x%x\n", token);
    rtas_st(&call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
    return H_PARAMETER;
}

static PowerPCCPU *rtas_first_cpu(SpaprMachineState *spapr)
{
    return spapr && spapr->cpus && spapr->smp_cpus ? spapr->cpus[0] : NULL;
}

uint64_t qtest_rtas_call(const char *name, uint32_t nargs, uint64_t args, uint32_t nret,
                         uint64_t rets)
{
    int token = spapr_rtas_token(name);

    if (token < 0) {
        return (uint64_t)H_PARAMETER;
    }
    return spapr_rtas_call(rtas_first_cpu(spapr_machine), spapr_machine, token, nargs, args, nret,
                           rets);
}

/*
 * H_RTAS: r4 holds the guest address of the argument block, big-endian
 * cells: token, nargs, nret, args[nargs], rets[nret].
 */
static target_ulong h_rtas(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                           target_ulong *args)
{
    hwaddr block = args[0];
    uint32_t token, nargs, nret;

    if (!guest_range_valid(block, RTAS_BLOCK_HEADER)) {
        return H_PARAMETER;
    }
    guest_ldl_be(block, &token);
    guest_ldl_be(block + 4, &nargs);
    guest_ldl_be(block + 8, &nret);
    return spapr_rtas_call(cpu, spapr, token, nargs, block + RTAS_BLOCK_HEADER, nret,
                           block + RTAS_BLOCK_HEADER + 4ULL * nargs);
}

/*
 * The hcall sets advertised in ibm,hypertas-functions, in QEMU's order.  A
 * set is published when every opcode listed for it is registered, so the
 * guest never picks an hcall family we only half serve.
 */

typedef struct HypertasSet {
    const char *name;
    target_ulong opcodes[6];
} HypertasSet;

static const HypertasSet hypertas_sets[] = {
    { "hcall-pft", { H_REMOVE, H_ENTER, H_READ, H_PROTECT } },
    { "hcall-term", { H_GET_TERM_CHAR, H_PUT_TERM_CHAR } },
    { "hcall-dabr", { H_SET_DABR } },
    { "hcall-interrupt", { H_EOI, H_CPPR, H_IPI, H_XIRR } },
    { "hcall-tce", { H_GET_TCE, H_PUT_TCE } },
    { "hcall-vio", { H_VIO_SIGNAL } },
    { "hcall-splpar", { H_REGISTER_VPA, H_CEDE } },
    { "hcall-join", { H_JOIN } },
    { "hcall-bulk", { H_BULK_REMOVE } },
    { "hcall-set-mode", { H_SET_MODE } },
    { "hcall-sprg0", { H_SET_SPRG0 } },
    { "hcall-copy", { H_PAGE_INIT } },
    { "hcall-debug", { H_LOGICAL_CI_LOAD, H_LOGICAL_CI_STORE } },
    { "hcall-vphn", { H_HOME_NODE_ASSOCIATIVITY } },
    { "hcall-multi-tce", { H_PUT_TCE_INDIRECT, H_STUFF_TCE } },
    { "hcall-hpt-resize", { H_RESIZE_HPT_PREPARE, H_RESIZE_HPT_COMMIT } },
    { "hcall-watchdog", { H_WATCHDOG } },
};

static bool hypertas_set_served(const HypertasSet *set)
{
    for (size_t i = 0; i < ARRAY_SIZE(set->opcodes) && set->opcodes[i]; i++) {
        if (!spapr_hypercall_registered(set->opcodes[i])) {
            return false;
        }
    }
    return true;
}

/* Device-tree string list: each string followed by its NUL. */
static int rtas_fdt_hypertas(void *fdt, int node)
{
    GString *list = g_string_new(NULL);
    int ret = 0;

    for (size_t i = 0; i < ARRAY_SIZE(hypertas_sets); i++) {
        if (hypertas_set_served(&hypertas_sets[i])) {
            g_string_append_len(list, hypertas_sets[i].name, strlen(hypertas_sets[i].name) + 1);
        }
    }
    if (list->len) {
        ret = fdt_setprop(fdt, node, "ibm,hypertas-functions", list->str, list->len);
    }
    g_string_free(list, TRUE);
    if (!ret && spapr_hypercall_registered(KVMPPC_H_LOGICAL_MEMOP)) {
        ret = fdt_setprop_string(fdt, node, "qemu,hypertas-functions", "hcall-memop1");
    }
    return ret;
}

int spapr_rtas_fdt(void *fdt, int rtas_node)
{
    int ret = rtas_fdt_hypertas(fdt, rtas_node);

    if (!ret) {
        ret = fdt_setprop_u32(fdt, rtas_node, "rtas-error-log-max", RTAS_ERROR_LOG_MAX);
    }
    if (!ret) {
        ret = fdt_setprop_u32(fdt, rtas_node, "rtas-event-scan-rate", RTAS_EVENT_SCAN_RATE);
    }
    if (!ret && spapr_rtas_token("ibm,change-msi") >= 0) {
        /* ibm,change-msi sets up MSI-X too (functions 3 and 4) */
        ret = fdt_setprop(fdt, rtas_node, "ibm,change-msix-capable", NULL, 0);
    }
    if (!ret && spapr_rtas_token("ibm,os-term") >= 0) {
        /* ibm,os-term returns to the caller; the guest may then power off */
        ret = fdt_setprop(fdt, rtas_node, "ibm,extended-os-term", NULL, 0);
    }
    for (int i = 0; i < RTAS_TABLE_SIZE && !ret; i++) {
        if (rtas_table[i].fn) {
            ret = fdt_setprop_u32(fdt, rtas_node, rtas_table[i].name, RTAS_TOKEN_BASE + i);
        }
    }
    return ret;
}

/*
 * Encodings from the Power ISA (primary opcode in the top 6 bits):
 * or (31/444) for mr, addis (15) for lis, ori (24), sc (17) with LEV = 1,
 * bclr (19/16) with BO = 0b10100 for blr.
 */
#define PPC_INSN_MR(ra, rs) (0x7c000378U | (rs) << 21 | (ra) << 16 | (rs) << 11)
#define PPC_INSN_LIS(rt, imm) (0x3c000000U | (rt) << 21 | ((imm)&0xffff))
#define PPC_INSN_ORI(ra, rs, imm) (0x60000000U | (rs) << 21 | (ra) << 16 | ((imm)&0xffff))
#define PPC_INSN_SC(lev) (0x44000002U | (lev) << 5)
#define PPC_INSN_BLR 0x4e800020U

const uint32_t spapr_rtas_stub[] = {
    PPC_INSN_MR(4, 3),                    /* r4 = argument block */
    PPC_INSN_LIS(3, KVMPPC_H_RTAS >> 16), /* r3 = H_RTAS */
    PPC_INSN_ORI(3, 3, KVMPPC_H_RTAS & 0xffff),
    PPC_INSN_SC(1), /* to the hypervisor */
    PPC_INSN_BLR,
};
const unsigned spapr_rtas_stub_len = sizeof(spapr_rtas_stub);

static void spapr_rtas_init(void)
{
    spapr_register_hypercall(KVMPPC_H_RTAS, h_rtas);
}

module_init(spapr_rtas_init)
