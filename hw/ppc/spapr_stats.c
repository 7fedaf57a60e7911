/*
 * The PAPR interface's profile: per hypercall opcode and RTAS token, the
 * number of calls, the host time spent serving them and the errors returned
 * (QMP x-query-hcalls, HMP info hcalls).
 *
 * Each vCPU counts in a table of its own with plain (relaxed atomic) loads
 * and stores, so the dispatch paths take no lock and no locked instruction;
 * a reader adds the tables up.
 */
#include "hw/ppc/spapr_stats.h"
#include "hw/ppc/spapr_rtas.h"
#include "qapi/qapi-commands.h"
#include "qemu/module.h"

#define STATS_PAPR_SLOTS (MAX_HCALL_OPCODE / 4 + 1)
#define STATS_HCALL_SLOTS (STATS_PAPR_SLOTS + KVMPPC_HCALL_MAX - KVMPPC_HCALL_BASE + 1)
#define STATS_RTAS_SLOTS (RTAS_TOKEN_MAX - RTAS_TOKEN_BASE)
/* vCPU indexes with a table of their own; calls without a vCPU (qtest) share the last. */
#define STATS_MAX_CPUS 2048

typedef struct CpuStats {
    SpaprStat hcall[STATS_HCALL_SLOTS];
    SpaprStat rtas[STATS_RTAS_SLOTS];
} CpuStats;

static CpuStats *cpu_stats[STATS_MAX_CPUS + 1];
/* Clock and monotonic time at start-up: the ticks-to-ns ratio when read. */
static uint64_t clock0, mono0;

static const struct {
    target_ulong opcode;
    const char *name;
} hcall_names[] = {
    { H_REMOVE, "H_REMOVE" },
    { H_ENTER, "H_ENTER" },
    { H_READ, "H_READ" },
    { H_CLEAR_MOD, "H_CLEAR_MOD" },
    { H_CLEAR_REF, "H_CLEAR_REF" },
    { H_PROTECT, "H_PROTECT" },
    { H_GET_TCE, "H_GET_TCE" },
    { H_PUT_TCE, "H_PUT_TCE" },
    { H_SET_SPRG0, "H_SET_SPRG0" },
    { H_SET_DABR, "H_SET_DABR" },
    { H_PAGE_INIT, "H_PAGE_INIT" },
    { H_SET_ASR, "H_SET_ASR" },
    { H_ASR_ON, "H_ASR_ON" },
    { H_ASR_OFF, "H_ASR_OFF" },
    { H_LOGICAL_CI_LOAD, "H_LOGICAL_CI_LOAD" },
    { H_LOGICAL_CI_STORE, "H_LOGICAL_CI_STORE" },
    { H_LOGICAL_CACHE_LOAD, "H_LOGICAL_CACHE_LOAD" },
    { H_LOGICAL_CACHE_STORE, "H_LOGICAL_CACHE_STORE" },
    { H_LOGICAL_ICBI, "H_LOGICAL_ICBI" },
    { H_LOGICAL_DCBF, "H_LOGICAL_DCBF" },
    { H_GET_TERM_CHAR, "H_GET_TERM_CHAR" },
    { H_PUT_TERM_CHAR, "H_PUT_TERM_CHAR" },
    { H_REAL_TO_LOGICAL, "H_REAL_TO_LOGICAL" },
    { H_HYPERVISOR_DATA, "H_HYPERVISOR_DATA" },
    { H_EOI, "H_EOI" },
    { H_CPPR, "H_CPPR" },
    { H_IPI, "H_IPI" },
    { H_IPOLL, "H_IPOLL" },
    { H_XIRR, "H_XIRR" },
    { H_PERFMON, "H_PERFMON" },
    { H_MIGRATE_DMA, "H_MIGRATE_DMA" },
    { H_REGISTER_VPA, "H_REGISTER_VPA" },
    { H_CEDE, "H_CEDE" },
    { H_CONFER, "H_CONFER" },
    { H_PROD, "H_PROD" },
    { H_GET_PPP, "H_GET_PPP" },
    { H_SET_PPP, "H_SET_PPP" },
    { H_PURR, "H_PURR" },
    { H_PIC, "H_PIC" },
    { H_REG_CRQ, "H_REG_CRQ" },
    { H_FREE_CRQ, "H_FREE_CRQ" },
    { H_VIO_SIGNAL, "H_VIO_SIGNAL" },
    { H_SEND_CRQ, "H_SEND_CRQ" },
    { H_COPY_RDMA, "H_COPY_RDMA" },
    { H_REGISTER_LOGICAL_LAN, "H_REGISTER_LOGICAL_LAN" },
    { H_FREE_LOGICAL_LAN, "H_FREE_LOGICAL_LAN" },
    { H_ADD_LOGICAL_LAN_BUFFER, "H_ADD_LOGICAL_LAN_BUFFER" },
    { H_SEND_LOGICAL_LAN, "H_SEND_LOGICAL_LAN" },
    { H_BULK_REMOVE, "H_BULK_REMOVE" },
    { H_MULTICAST_CTRL, "H_MULTICAST_CTRL" },
    { H_SET_XDABR, "H_SET_XDABR" },
    { H_STUFF_TCE, "H_STUFF_TCE" },
    { H_PUT_TCE_INDIRECT, "H_PUT_TCE_INDIRECT" },
    { H_CHANGE_LOGICAL_LAN_MAC, "H_CHANGE_LOGICAL_LAN_MAC" },
    { H_VTERM_PARTNER_INFO, "H_VTERM_PARTNER_INFO" },
    { H_REGISTER_VTERM, "H_REGISTER_VTERM" },
    { H_FREE_VTERM, "H_FREE_VTERM" },
    { H_JOIN, "H_JOIN" },
    { H_ENABLE_CRQ, "H_ENABLE_CRQ" },
    { H_HOME_NODE_ASSOCIATIVITY, "H_HOME_NODE_ASSOCIATIVITY" },
    { H_XIRR_X, "H_XIRR_X" },
    { H_RANDOM, "H_RANDOM" },
    { H_SET_MODE, "H_SET_MODE" },
    { H_CLEAR_HPT, "H_CLEAR_HPT" },
    { H_RESIZE_HPT_PREPARE, "H_RESIZE_HPT_PREPARE" },
    { H_RESIZE_HPT_COMMIT, "H_RESIZE_HPT_COMMIT" },
    { H_REGISTER_PROC_TBL, "H_REGISTER_PROC_TBL" },
    { H_SIGNAL_SYS_RESET, "H_SIGNAL_SYS_RESET" },
    { H_GET_CPU_CHARACTERISTICS, "H_GET_CPU_CHARACTERISTICS" },
    { H_WATCHDOG, "H_WATCHDOG" },
    { KVMPPC_H_RTAS, "KVMPPC_H_RTAS" },
    { KVMPPC_H_LOGICAL_MEMOP, "KVMPPC_H_LOGICAL_MEMOP" },
    { KVMPPC_H_CAS, "KVMPPC_H_CAS" },
    { KVMPPC_H_UPDATE_DT, "KVMPPC_H_UPDATE_DT" },
    { KVMPPC_H_VOF_CLIENT, "KVMPPC_H_VOF_CLIENT" },
};

const char *spapr_hcall_name(target_ulong opcode)
{
    for (size_t i = 0; i < G_N_ELEMENTS(hcall_names); i++) {
        if (hcall_names[i].opcode == opcode) {
            return hcall_names[i].name;
        }
    }
    return NULL;
}

static int hcall_index(target_ulong opcode)
{
    if (opcode <= MAX_HCALL_OPCODE) {
        return (opcode & 3) ? -1 : (int)(opcode / 4);
    }
    if (opcode >= KVMPPC_HCALL_BASE && opcode <= KVMPPC_HCALL_MAX) {
        return (int)STATS_PAPR_SLOTS + (int)(opcode - KVMPPC_HCALL_BASE);
    }
    return -1;
}

static target_ulong hcall_opcode(int index)
{
    if (index < (int)STATS_PAPR_SLOTS) {
        return (target_ulong)index * 4;
    }
    return KVMPPC_HCALL_BASE + (target_ulong)(index - (int)STATS_PAPR_SLOTS);
}

/* The caller's table, made on its first call (only its own thread writes it). */
static CpuStats *stats_of(PowerPCCPU *cpu)
{
    int i = cpu && cpu->cpu_index >= 0 && cpu->cpu_index < STATS_MAX_CPUS ? cpu->cpu_index
                                                                          : STATS_MAX_CPUS;
    CpuStats *s = __atomic_load_n(&cpu_stats[i], __ATOMIC_ACQUIRE);

    if (!s) {
        s = g_new0(CpuStats, 1);
        __atomic_store_n(&cpu_stats[i], s, __ATOMIC_RELEASE);
    }
    return s;
}

void spapr_stats_time(SpaprStat *st, uint64_t t0)
{
    uint64_t dt = (spapr_stats_clock() | 1) - t0;

    spapr_stats_add(&st->timed, 1);
    spapr_stats_add(&st->total, dt);
    if (dt > __atomic_load_n(&st->max, __ATOMIC_RELAXED)) {
        __atomic_store_n(&st->max, dt, __ATOMIC_RELAXED);
    }
}

SpaprStat *spapr_stats_hcall_slot(PowerPCCPU *cpu, target_ulong opcode)
{
    int i = hcall_index(opcode);

    return i >= 0 ? &stats_of(cpu)->hcall[i] : NULL;
}

SpaprStat *spapr_stats_rtas_slot(PowerPCCPU *cpu, uint32_t token)
{
    if (token < RTAS_TOKEN_BASE || token >= RTAS_TOKEN_MAX) {
        return NULL;
    }
    return &stats_of(cpu)->rtas[token - RTAS_TOKEN_BASE];
}

/* ---- Reading ----------------------------------------------------------- */

static uint64_t mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Nanoseconds per clock tick, measured over the process's life so far. */
static double ns_per_tick(void)
{
#if defined(__x86_64__) || defined(__i386__)
    uint64_t ticks = spapr_stats_clock() - clock0;
    uint64_t ns = mono_ns() - mono0;

    return ticks ? (double)ns / (double)ticks : 0;
#else
    return 1;
#endif
}

static void sum_slot(bool rtas, int i, SpaprStat *sum)
{
    *sum = (SpaprStat){ 0 };
    for (int c = 0; c <= STATS_MAX_CPUS; c++) {
        CpuStats *s = __atomic_load_n(&cpu_stats[c], __ATOMIC_ACQUIRE);
        SpaprStat *st;
        uint64_t max;

        if (!s) {
            continue;
        }
        st = rtas ? &s->rtas[i] : &s->hcall[i];
        sum->count += __atomic_load_n(&st->count, __ATOMIC_RELAXED);
        sum->errors += __atomic_load_n(&st->errors, __ATOMIC_RELAXED);
        sum->timed += __atomic_load_n(&st->timed, __ATOMIC_RELAXED);
        sum->total += __atomic_load_n(&st->total, __ATOMIC_RELAXED);
        max = __atomic_load_n(&st->max, __ATOMIC_RELAXED);
        sum->max = MAX(sum->max, max);
    }
}

/* Sampled calls stand for the others: the total is scaled up by count / timed. */
static void add_entry(JsonArray *arr, const char *name, int64_t number, const SpaprStat *st,
                      double scale)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "name", name);
    json_object_set_int_member(o, "number", number);
    json_object_set_int_member(o, "count", st->count);
    json_object_set_int_member(
        o, "total-ns", st->timed ? (int64_t)(st->total * scale * st->count / st->timed) : 0);
    json_object_set_int_member(o, "max-ns", (int64_t)(st->max * scale));
    json_object_set_int_member(o, "errors", st->errors);
    json_object_set_int_member(o, "timed", st->timed);
    json_array_add_object_element(arr, o);
}

JsonNode *qmp_x_query_hcalls(JsonObject *args, QmpError *err)
{
    JsonObject *ret = json_object_new();
    JsonArray *hcalls = json_array_new();
    JsonArray *rtas = json_array_new();
    double scale = ns_per_tick();
    SpaprStat st;

    for (int i = 0; i < (int)STATS_HCALL_SLOTS; i++) {
        target_ulong opcode = hcall_opcode(i);
        const char *name = spapr_hcall_name(opcode);
        g_autofree char *fallback = NULL;

        sum_slot(false, i, &st);
        if (!st.count) {
            continue;
        }
        if (!name) {
            fallback = g_strdup_printf("hcall-0x%" PRIx64, (uint64_t)opcode);
        }
        add_entry(hcalls, name ? name : fallback, opcode, &st, scale);
    }
    for (int i = 0; i < (int)STATS_RTAS_SLOTS; i++) {
        const char *name = spapr_rtas_name(RTAS_TOKEN_BASE + i);
        g_autofree char *fallback = NULL;

        sum_slot(true, i, &st);
        if (!st.count) {
            continue;
        }
        if (!name) {
            fallback = g_strdup_printf("token-0x%x", RTAS_TOKEN_BASE + i);
        }
        add_entry(rtas, name ? name : fallback, RTAS_TOKEN_BASE + i, &st, scale);
    }
    json_object_set_array_member(ret, "hcalls", hcalls);
    json_object_set_array_member(ret, "rtas", rtas);
    return qmp_node_object(ret);
}

static void spapr_stats_init(void)
{
    clock0 = spapr_stats_clock();
    mono0 = mono_ns();
}

module_init(spapr_stats_init)
