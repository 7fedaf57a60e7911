/*
 * -numa node|dist|cpu: the guest's NUMA nodes, their memory, the node of each
 * CPU slot and the distances, with QEMU 7.2's checks, messages and defaults.
 */
#include "sysemu/numa.h"
#include "qemu/error-report.h"
#include "qemu/option.h"
#include "qom/user-creatable.h"
#include "sysemu/preconfig.h"
#include "exec/guest-memory.h"

static NumaState numa;
static unsigned max_nodeid; /* highest node id given + 1 */
static bool have_mem, have_memdevs;
static bool ram_from_backend; /* -machine memory-backend= */

static HostMemoryBackend *ram_backend_obj;
static char *ram_backend_id;

void numa_set_ram_backend(HostMemoryBackend *b, const char *id)
{
    ram_backend_obj = b;
    g_free(ram_backend_id);
    ram_backend_id = g_strdup(id);
}

const char *numa_ram_backend_id(void)
{
    return ram_backend_id;
}

static void place_backend(HostMemoryBackend *b, hwaddr addr)
{
    void *host = guest_ram_place(addr, b->host, b->size);

    if (!host) {
        error_exit("cannot map a memory backend into guest RAM at 0x%" PRIx64 ": %s", addr,
                   g_strerror(errno));
    }
    b->host = host;
}

void numa_place_ram_backends(void)
{
    hwaddr addr = 0;

    if (ram_backend_obj) {
        place_backend(ram_backend_obj, 0);
        return;
    }
    /* QEMU lays the nodes out one after the other, in node order. */
    for (unsigned i = 0; i < numa.num_nodes; i++) {
        if (numa.nodes[i].memdev) {
            place_backend(host_memory_backend_find(numa.nodes[i].memdev), addr);
        }
        addr += numa.nodes[i].mem;
    }
}

bool current_machine_ram_from_backends(void)
{
    return ram_from_backend || have_memdevs;
}

const NumaState *numa_state(void)
{
    return &numa;
}

unsigned numa_core_node(unsigned slot)
{
    if (!numa.num_nodes || slot >= numa.core_slots || numa.core_node[slot] < 0) {
        return 0;
    }
    return numa.core_node[slot];
}

unsigned numa_cpu_node(unsigned cpu_index)
{
    return numa.num_nodes ? numa_core_node(cpu_index / numa.threads) : 0;
}

/*
 * An unsigned member as QEMU's keyval visitor reads it: "expects a uint64
 * value" for what is not a number, "expects uint16_t" (or the width named)
 * above the member's range.
 */
static uint64_t opt_uint(QemuOpts *opts, const char *name, uint64_t max, const char *type,
                         bool *given)
{
    const char *s = qemu_opt_get(opts, name);
    uint64_t v;

    *given = s != NULL;
    if (!s) {
        return 0;
    }
    if (!s[0] || s[0] == '-' || !qemu_strtou64(s, &v)) {
        error_exit("Parameter '%s' expects a uint64 value", name);
    }
    if (v > max) {
        error_exit("Parameter '%s' expects %s", name, type);
    }
    return v;
}

static int64_t opt_int(QemuOpts *opts, const char *name, bool *given)
{
    const char *s = qemu_opt_get(opts, name);
    char *end;
    int64_t v;

    *given = s != NULL;
    if (!s) {
        return 0;
    }
    errno = 0;
    v = g_ascii_strtoll(s, &end, 0);
    if (!s[0] || *end || errno) {
        error_exit("Parameter '%s' expects an int64 value", name);
    }
    return v;
}

static void check_unused(QemuOpts *opts)
{
    if (qemu_opts_first_unused(opts)) {
        error_exit("Invalid parameter '%s'", qemu_opts_first_unused(opts));
    }
}

/*
 * Put the core slots matching core_id (all of them when has_core is false) in
 * node; QEMU refuses a slot already in another node, and a match of none.
 */
static void set_cpu_node(bool has_core, int64_t core_id, unsigned node)
{
    bool match = false;

    for (unsigned i = 0; i < numa.core_slots; i++) {
        if (has_core && (int64_t)i * numa.threads != core_id) {
            continue;
        }
        if (numa.core_node[i] >= 0 && numa.core_node[i] != (int)node) {
            error_exit("CPU is already assigned to node-id: %d", numa.core_node[i]);
        }
        numa.core_node[i] = node;
        match = true;
    }
    if (!match) {
        error_exit("no match found");
    }
}

/* "A" or "A-B", each a uint16 CPU index, B >= A. */
static void parse_cpu_range(const char *s, uint64_t *lo, uint64_t *hi)
{
    g_autofree char *copy = g_strdup(s);
    char *dash = strchr(copy, '-');

    if (dash) {
        *dash = 0;
    }
    if (!copy[0] || !qemu_strtou64(copy, lo) ||
        (dash && (!dash[1] || dash[1] == '-' || !qemu_strtou64(dash + 1, hi) || *hi < *lo))) {
        error_exit("Parameter 'cpus' expects a uint64 value or range");
    }
    if (!dash) {
        *hi = *lo;
    } else if (*hi > UINT16_MAX) {
        error_exit("Parameter 'cpus' expects a uint64 value or range");
    }
    if (*lo > UINT16_MAX) {
        error_exit("Parameter 'null' expects uint16_t");
    }
}

/* warned: set-numa-node has printed the mem= warning already. */
static void numa_node_parse(QemuOpts *opts, const MachineOptions *mo, const MachineTypeInfo *info,
                            bool warned)
{
    bool has_nodeid, has_mem = false;
    uint64_t nodeid = opt_uint(opts, "nodeid", UINT16_MAX, "uint16_t", &has_nodeid);
    uint64_t mem = 0;
    const char *memdev;
    GArray *cpus = g_array_new(false, false, sizeof(uint64_t) * 2);

    /* The members in the schema's order (nodeid, cpus, mem, memdev, initiator). */
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);
        uint64_t r[2];

        if (!strcmp(o->name, "cpus")) {
            o->used = true;
            parse_cpu_range(o->value, &r[0], &r[1]);
            g_array_append_val(cpus, r);
        }
    }
    if (qemu_opt_get(opts, "mem")) {
        has_mem = true;
        if (!qemu_strtosz(qemu_opt_get(opts, "mem"), 1, &mem)) {
            error_exit("Parameter 'mem' expects a size value");
        }
    }
    memdev = qemu_opt_get(opts, "memdev");
    if (qemu_opt_get(opts, "initiator")) {
        error_exit("ACPI Heterogeneous Memory Attribute Table (HMAT) is disabled, enable it "
                   "with -machine hmat=on before using any of hmat specific options");
    }
    check_unused(opts);

    if (!has_nodeid) {
        nodeid = numa.num_nodes;
    }
    if (nodeid >= NUMA_MAX_NODES) {
        error_exit("Max number of NUMA nodes reached: %u", (unsigned)nodeid);
    }
    if (numa.nodes[nodeid].present) {
        error_exit("Duplicate NUMA nodeid: %u", (unsigned)nodeid);
    }
    for (guint i = 0; i < cpus->len; i++) {
        const uint64_t *r = &g_array_index(cpus, uint64_t, 2 * i);

        for (uint64_t cpu = r[0]; cpu <= r[1]; cpu++) {
            if (cpu >= mo->max_cpus) {
                error_exit("CPU index (%u) should be smaller than maxcpus (%u)", (unsigned)cpu,
                           mo->max_cpus);
            }
            set_cpu_node(true, (int64_t)(cpu / numa.threads * numa.threads), nodeid);
        }
    }
    g_array_free(cpus, true);
    have_mem |= has_mem;
    have_memdevs |= memdev != NULL;
    if ((has_mem && have_memdevs) || (memdev && have_mem)) {
        error_exit("numa configuration should use either mem= or memdev=,mixing both is "
                   "not allowed");
    }
    if (has_mem) {
        if (!info || !info->numa_mem_supported) {
            error_report("Parameter -numa node,mem is not supported by this machine type");
            fprintf(stderr, "Use -numa node,memdev instead\n");
            error_exit_status(1);
        }
        numa.nodes[nodeid].mem = mem;
        if (!warned) {
            warn_report("Parameter -numa node,mem is deprecated, use -numa node,memdev instead");
        }
    }
    if (memdev) {
        HostMemoryBackend *b = host_memory_backend_find(memdev);

        if (!b) {
            error_exit("memdev=%s is ambiguous", memdev);
        }
        numa.nodes[nodeid].mem = b->size;
        numa.nodes[nodeid].memdev = g_strdup(memdev);
    }
    numa.nodes[nodeid].present = true;
    max_nodeid = MAX(max_nodeid, nodeid + 1);
    numa.num_nodes++;
}

static void numa_dist_parse(QemuOpts *opts)
{
    bool has_src, has_dst, has_val;
    uint64_t src = opt_uint(opts, "src", UINT16_MAX, "uint16_t", &has_src);
    uint64_t dst, val;

    if (!has_src) {
        error_exit("Parameter 'src' is missing");
    }
    dst = opt_uint(opts, "dst", UINT16_MAX, "uint16_t", &has_dst);
    if (!has_dst) {
        error_exit("Parameter 'dst' is missing");
    }
    val = opt_uint(opts, "val", UINT8_MAX, "uint8_t", &has_val);
    if (!has_val) {
        error_exit("Parameter 'val' is missing");
    }
    check_unused(opts);
    if (src >= NUMA_MAX_NODES || dst >= NUMA_MAX_NODES) {
        error_exit("Parameter '%s' expects an integer between 0 and %d",
                   src >= NUMA_MAX_NODES ? "src" : "dst", NUMA_MAX_NODES - 1);
    }
    if (!numa.nodes[src].present || !numa.nodes[dst].present) {
        error_exit("Source/Destination NUMA node is missing. Please use '-numa node' option "
                   "to declare it first.");
    }
    if (val < NUMA_DISTANCE_MIN) {
        error_exit("NUMA distance (%u) is invalid, it shouldn't be less than %d.", (unsigned)val,
                   NUMA_DISTANCE_MIN);
    }
    if (src == dst && val != NUMA_DISTANCE_MIN) {
        error_exit("Local distance of node %u should be %d.", (unsigned)src, NUMA_DISTANCE_MIN);
    }
    numa.nodes[src].distance[dst] = val;
    numa.have_distance = true;
}

/* A pseries core slot has a core-id only: the other ids are refused by name. */
static void numa_cpu_parse(QemuOpts *opts)
{
    static const char *const ids[] = { "socket-id", "die-id", "cluster-id", "core-id",
                                       "thread-id" };
    bool has_node, has[ARRAY_SIZE(ids)];
    int64_t node = opt_int(opts, "node-id", &has_node), core = 0;

    for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
        int64_t v = opt_int(opts, ids[i], &has[i]);

        if (!strcmp(ids[i], "core-id")) {
            core = v;
        }
    }
    check_unused(opts);
    if (!has_node) {
        error_exit("Missing mandatory node-id property");
    }
    if (node >= (int64_t)NUMA_MAX_NODES || (node >= 0 && !numa.nodes[node].present)) {
        error_exit("Invalid node-id=%" PRId64 ", NUMA node must be defined with -numa "
                   "node,nodeid=ID before it's used with -numa cpu,node-id=ID",
                   node);
    }
    for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
        if (has[i] && strcmp(ids[i], "core-id")) {
            error_exit("%s is not supported", ids[i]);
        }
    }
    if (node < 0) {
        return; /* QEMU takes a negative node-id and places nothing */
    }
    set_cpu_node(has[3], core, node);
}

/* QEMU's rules for the distance table: one direction of each pair is enough. */
static void numa_complete_distances(void)
{
    bool asymmetric = false;

    for (unsigned src = 0; src < numa.num_nodes; src++) {
        for (unsigned dst = src; dst < numa.num_nodes; dst++) {
            uint8_t there = numa.nodes[src].distance[dst], back = numa.nodes[dst].distance[src];

            if (!there && !back && src != dst) {
                error_exit("The distance between node %u and %u is missing, at least one "
                           "distance value between each nodes should be provided.",
                           src, dst);
            }
            if (there && back && there != back) {
                asymmetric = true;
            }
        }
    }
    for (unsigned src = 0; asymmetric && src < numa.num_nodes; src++) {
        for (unsigned dst = 0; dst < numa.num_nodes; dst++) {
            if (src != dst && !numa.nodes[src].distance[dst]) {
                error_exit("At least one asymmetrical pair of distances is given, please "
                           "provide distances for both directions of all node pairs.");
            }
        }
    }
    for (unsigned src = 0; src < numa.num_nodes; src++) {
        for (unsigned dst = 0; dst < numa.num_nodes; dst++) {
            uint8_t *d = &numa.nodes[src].distance[dst];

            if (!*d) {
                *d = src == dst ? NUMA_DISTANCE_MIN : numa.nodes[dst].distance[src];
            }
        }
    }
}

/*
 * CPU slots no option placed: when none was placed, by socket round-robin
 * over the nodes (QEMU's pseries default); otherwise in node 0, with QEMU's
 * warnings naming them.
 */
static void numa_complete_cpus(unsigned cores_per_socket)
{
    g_autoptr(GString) missing = g_string_new(NULL);
    bool any = false;

    for (unsigned i = 0; i < numa.core_slots; i++) {
        any |= numa.core_node[i] >= 0;
    }
    for (unsigned i = 0; i < numa.core_slots; i++) {
        if (numa.core_node[i] >= 0) {
            continue;
        }
        if (!any) {
            numa.core_node[i] = i / MAX(cores_per_socket, 1) % numa.num_nodes;
            continue;
        }
        numa.core_node[i] = 0;
        g_string_append_printf(missing, "%sCPU %u [core-id: %u]", missing->len ? ", " : "", i,
                               i * numa.threads);
    }
    if (missing->len) {
        warn_report("CPU(s) not present in any NUMA nodes: %s", missing->str);
        warn_report("All CPU(s) up to maxcpus should be described in NUMA config, ability to "
                    "start up with partial NUMA mappings is obsoleted and will be removed in "
                    "future");
    }
}

/*
 * The -numa being read: its checks exit with it still in use, and it stays
 * reachable then (freed by the next one, or numa_reset()).
 */
static QemuOpts *numa_opts;

void numa_reset(void)
{
    g_clear_pointer(&numa_opts, qemu_opts_free);
    g_free(numa.core_node);
    memset(&numa, 0, sizeof(numa));
    max_nodeid = 0;
    have_mem = have_memdevs = ram_from_backend = false;
}

void numa_configure(GPtrArray *args, const MachineOptions *mo, const MachineTypeInfo *info,
                    bool ram_backend)
{
    uint64_t total = 0;

    ram_from_backend = ram_backend;
    if (!args || !args->len) {
        return;
    }
    numa.threads = MAX(mo->smp_threads, 1);
    numa.core_slots = mo->max_cpus / numa.threads;
    numa.core_node = g_new(int, numa.core_slots);
    for (unsigned i = 0; i < numa.core_slots; i++) {
        numa.core_node[i] = -1;
    }
    for (guint i = 0; i < args->len; i++) {
        const char *arg = g_ptr_array_index(args, i);
        g_autofree char *err = NULL;
        QemuOpts *opts;
        const char *type;

        loc_set_cmdline("-numa", arg);
        qemu_opts_free(numa_opts);
        numa_opts = opts = qemu_opts_parse(arg, "type", &err);
        if (!opts) {
            error_exit_take(g_steal_pointer(&err));
        }
        type = qemu_opt_get(opts, "type");
        if (!type) {
            error_exit("Parameter 'type' is missing");
        }
        if (!strcmp(type, "node")) {
            numa_node_parse(opts, mo, info, preconfig_numa_arg_checked(arg));
        } else if (!strcmp(type, "dist")) {
            numa_dist_parse(opts);
        } else if (!strcmp(type, "cpu")) {
            numa_cpu_parse(opts);
        } else if (!strcmp(type, "hmat-lb") || !strcmp(type, "hmat-cache")) {
            error_exit("ACPI Heterogeneous Memory Attribute Table (HMAT) is disabled, enable it "
                       "with -machine hmat=on before using any of hmat specific options");
        } else {
            error_exit("Parameter 'type' does not accept value '%s'", type);
        }
        g_clear_pointer(&numa_opts, qemu_opts_free);
        loc_clear();
    }

    /* Node ids must be dense: the highest missing one is named. */
    for (int i = (int)max_nodeid - 1; i >= 0; i--) {
        if (!numa.nodes[i].present) {
            error_exit("numa: Node ID missing: %d", i);
        }
    }
    if (ram_backend && have_memdevs) {
        error_exit("'-machine memory-backend' and '-numa memdev' properties are mutually "
                   "exclusive");
    }
    for (unsigned i = 0; i < numa.num_nodes; i++) {
        total += numa.nodes[i].mem;
    }
    if (total != mo->ram_size) {
        error_exit("total memory for NUMA nodes (0x%" PRIx64 ") should equal RAM size (0x%" PRIx64
                   ")",
                   total, mo->ram_size);
    }
    if (numa.have_distance) {
        numa_complete_distances();
    }
    numa_complete_cpus(mo->smp_cores);
    for (unsigned i = 0; i < numa.num_nodes; i++) {
        HostMemoryBackend *b =
            numa.nodes[i].memdev ? host_memory_backend_find(numa.nodes[i].memdev) : NULL;

        if (b && b->used) {
            error_exit("memory backend %s can't be used multiple times.", numa.nodes[i].memdev);
        }
        if (b) {
            b->used = true;
        }
    }
}
