/*
 * pseries CPU cores as devices (<model>-spapr-cpu-core): a core plugged with
 * -device or device_add brings its threads into the partition through the
 * core's DR connector; device_del gives them back once the guest let go.
 */
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_drc.h"
#include "hw/ppc/spapr_irq.h"
#include "hw/qdev-hotplug.h"
#include "hw/qdev-properties.h"
#include "monitor/monitor.h"
#include "qemu/module.h"
#include "sysemu/cpus.h"
#include "sysemu/numa.h"
#include "target/ppc/cpu-models.h"

#include <libfdt.h>

#define TYPE_CPU_CORE "cpu-core"
#define TYPE_SPAPR_CPU_CORE "spapr-cpu-core"

/* A core: core-id is the CPU index of its first thread, as QEMU numbers them. */
typedef struct SpaprCpuCore {
    DeviceState qdev;
    int64_t core_id;    /* QEMU's "int" properties: int64 */
    int64_t nr_threads; /* the machine's threads per core unless given */
    int32_t node_id;    /* -1: the slot's node */
    bool pre_3_0_migration;
} SpaprCpuCore;

/* The machine is making its boot cores: they skip the hot-plug checks. */
static bool making_boot_cores;

char *spapr_cpu_core_type(SpaprMachineState *spapr)
{
    return g_strdup_printf("%s-spapr-cpu-core", spapr->cpu_model->name);
}

/* The core's first CPU index. */
static unsigned core_first(SpaprDrc *drc)
{
    return GPOINTER_TO_UINT(drc->opaque);
}

/* configure-connector's fragment: the core's /cpus node, plus "name" as QEMU 7.2 adds it. */
static int core_populate(SpaprDrc *drc, void *fdt, int parent, int *start)
{
    int node = spapr_dt_core(spapr_machine, fdt, parent, core_first(drc));
    const char *name;

    if (node < 0) {
        return node;
    }
    name = fdt_get_name(fdt, node, NULL);
    *start = node;
    return fdt_setprop_string(fdt, node, "name", name);
}

/*
 * The threads leave the partition: in PAPR's stopped state for good (a
 * guest that did not stop-self them first loses them anyway), their
 * presenters go.
 */
static void core_remove_cpus(SpaprMachineState *spapr, unsigned first, unsigned n)
{
    for (unsigned i = first; i < first + n; i++) {
        PowerPCCPU *cpu = spapr->cpus[i];

        spapr_cpu_state(spapr, cpu)->stopped = true;
        cpu->halted = true;
        ppc_request_exit(&cpu->env);
        cpus_wait_parked(cpu);
        spapr_irq_cpu_remove(spapr, i);
        spapr_cpu_set_present(spapr, i, false);
    }
}

/*
 * The guest gave the core up (or a reset came after device_del): its
 * threads go, and QEMU 7.2's DEVICE_DELETED events follow, each thread's
 * presenters and the thread, then the core.
 */
static void core_release(SpaprDrc *drc)
{
    SpaprMachineState *spapr = spapr_machine;
    DeviceState *dev = drc->dev;
    unsigned threads = spapr->smp_threads;

    core_remove_cpus(spapr, core_first(drc), threads);
    spapr->core_devs[core_first(drc) / threads] = NULL;
    for (unsigned t = 0; t < threads; t++) {
        g_autofree char *icp = g_strdup_printf("{\"path\": \"%s/thread[%u]/icp\"}", dev->path, t);
        g_autofree char *tctx =
            g_strdup_printf("{\"path\": \"%s/thread[%u]/xive-tctx\"}", dev->path, t);
        g_autofree char *thread = g_strdup_printf("{\"path\": \"%s/thread[%u]\"}", dev->path, t);

        monitor_qapi_event("DEVICE_DELETED", icp);
        /* ic-mode=dual makes QEMU give every thread a XIVE context too. */
        if (spapr->caps.ic_mode == SPAPR_IC_MODE_DUAL) {
            monitor_qapi_event("DEVICE_DELETED", tctx);
        }
        monitor_qapi_event("DEVICE_DELETED", thread);
    }
    spapr_drc_device_deleted(dev);
    qdev_free(dev);
}

static const SpaprDrcOps core_drc_ops = {
    .populate = core_populate,
    .release = core_release,
};

static SpaprDrc *core_drc(SpaprMachineState *spapr, unsigned first)
{
    return spapr_drc_by_id(SPAPR_DRC_TYPE_CPU, spapr_vcpu_id(spapr, first));
}

/*
 * QEMU 7.2's checks, in its order: the property's own (a negative
 * core-id), hot-plug support, the type, the slot (a multiple of threads,
 * within maxcpus, empty), the thread count and the NUMA node.
 */
static bool core_pre_plug(BusState *bus, DeviceState *dev, Error **errp)
{
    SpaprMachineState *spapr = spapr_machine;
    SpaprCpuCore *core = (SpaprCpuCore *)dev;
    g_autofree char *type = NULL;
    unsigned threads;
    int node;

    if (making_boot_cores) {
        return true;
    }
    if (core->core_id < 0) {
        error_setg(errp, "Invalid core id %" PRId64, core->core_id);
        return false;
    }
    if (!spapr || !spapr->cpus) {
        error_setg(errp, "Device '%s' can not be hotplugged on this machine", dev->cls->name);
        return false;
    }
    threads = spapr->smp_threads;
    if (qdev_hotplug && !spapr_version_hotpluggable_cpus(spapr->version)) {
        error_setg(errp, "CPU hotplug not supported for this machine");
        return false;
    }
    type = spapr_cpu_core_type(spapr);
    if (strcmp(type, dev->cls->name)) {
        error_setg(errp, "CPU core type should be %s", type);
        return false;
    }
    if (core->core_id % threads) {
        error_setg(errp, "invalid core id %" PRId64, core->core_id);
        return false;
    }
    if (!qdev_prop_is_set(dev, "nr-threads")) {
        core->nr_threads = threads;
    }
    if (core->nr_threads != (int64_t)threads) {
        error_setg(errp, "invalid nr-threads %" PRId64 ", must be %u", core->nr_threads, threads);
        return false;
    }
    if (core->core_id >= (int64_t)spapr->max_cpus) {
        error_setg(errp, "core id %" PRId64 " out of range", core->core_id);
        return false;
    }
    if (spapr_cpu_present(spapr, core->core_id)) {
        error_setg(errp, "core %" PRId64 " already populated", core->core_id);
        return false;
    }
    node = numa_core_node(core->core_id / threads);
    if (core->node_id != -1 && core->node_id != node) {
        error_setg(errp, "invalid node-id, must be %d", node);
        return false;
    }
    core->node_id = node;
    return true;
}

/*
 * Plugged: the threads join the partition, stopped, with their presenters;
 * the connector holds the core.  Cold-plugged, the next reset configures it
 * (it is in the boot device tree); hot-plugged, the guest hears of it and
 * takes it through the connector, then start-cpu's each thread.
 */
static void core_plug(BusState *bus, DeviceState *dev)
{
    SpaprMachineState *spapr = spapr_machine;
    SpaprCpuCore *core = (SpaprCpuCore *)dev;
    unsigned first = core->core_id, threads = spapr->smp_threads;
    SpaprDrc *drc = core_drc(spapr, first);

    if (making_boot_cores) {
        return;
    }
    for (unsigned i = first; i < first + threads; i++) {
        spapr_cpu_core_reset_cpu(spapr, spapr->cpus[i]);
        spapr_cpu_set_present(spapr, i, true);
        spapr_irq_cpu_add(spapr, i, dev->path + strlen("/machine/"));
    }
    spapr->core_devs[first / threads] = dev;
    if (!drc) {
        return;
    }
    spapr_drc_attach(drc, dev, &core_drc_ops, GUINT_TO_POINTER(first));
    if (qdev_hotplug) {
        spapr_hotplug_req_add_by_index(spapr, drc);
    }
}

/*
 * device_del: the guest is asked to give the core back (again at each
 * request, as QEMU does); a core it never took goes at once.  The boot
 * core stays.
 */
static bool core_unplug_request(BusState *bus, DeviceState *dev, Error **errp)
{
    SpaprMachineState *spapr = spapr_machine;
    SpaprCpuCore *core = (SpaprCpuCore *)dev;
    SpaprDrc *drc = core_drc(spapr, core->core_id);

    if (!spapr_version_hotpluggable_cpus(spapr->version)) {
        error_setg(errp, "CPU hot unplug not supported on this machine");
        return false;
    }
    if (core->core_id == 0) {
        error_setg(errp, "Boot CPU core may not be unplugged");
        return false;
    }
    if (!drc || drc->dev != dev) {
        error_setg(errp, "Unable to find CPU core with core-id: %" PRId64, core->core_id);
        return false;
    }
    if (!drc->unplug_requested) {
        spapr_drc_unplug_request(drc);
    }
    if (drc->present) {
        spapr_hotplug_req_remove_by_index(spapr, drc);
    }
    return true;
}

static const HotplugHandler core_hotplug = {
    .pre_plug = core_pre_plug,
    .plug = core_plug,
    .unplug_request = core_unplug_request,
};

/*
 * A boot core is a device as in QEMU (/machine/unattached/device[N], after
 * the interrupt controller's slot), its threads already present: device_del
 * takes it away as a plugged one, core 0 excepted.
 */
static DeviceState *boot_core_new(SpaprMachineState *spapr, unsigned first)
{
    unsigned threads = spapr->smp_threads;
    g_autofree char *type = spapr_cpu_core_type(spapr);
    g_autofree char *name =
        g_strdup_printf("unattached/device[%u]", spapr->irq->first_core + first / threads);
    DeviceState *dev = qdev_new(type);
    SpaprCpuCore *core = (SpaprCpuCore *)dev;

    core->core_id = first;
    core->nr_threads = threads;
    core->node_id = numa_core_node(first / threads);
    qdev_set_child_name(dev, name);
    making_boot_cores = true;
    qdev_realize(dev, NULL, &error_fatal);
    making_boot_cores = false;
    return dev;
}

/* The boot cores sit in their connectors (configured at reset); cores are hot-pluggable. */
void spapr_cpu_core_machine_init(SpaprMachineState *spapr)
{
    unsigned threads = spapr->smp_threads;

    for (unsigned first = 0; first < spapr->smp_cpus; first += threads) {
        SpaprDrc *drc = core_drc(spapr, first);
        DeviceState *dev = boot_core_new(spapr, first);

        spapr->core_devs[first / threads] = dev;
        if (drc) {
            spapr_drc_attach(drc, dev, &core_drc_ops, GUINT_TO_POINTER(first));
        }
    }
    qdev_set_machine_hotplug_handler(TYPE_SPAPR_CPU_CORE, &core_hotplug);
}

/* ---- Types ---------------------------------------------------------------- */

static const Property cpu_core_props[] = {
    { .name = "nr-threads",
      .type = PROP_TYPE_INT64,
      .offset = offsetof(SpaprCpuCore, nr_threads),
      .type_name = "int" },
    { .name = "core-id",
      .type = PROP_TYPE_INT64,
      .offset = offsetof(SpaprCpuCore, core_id),
      .type_name = "int" },
    DEFINE_PROP_END_OF_LIST(),
};

/* A core's threads are the stream's CPU sections (target/ppc/machine.c): none of its own. */
static const VMStateField cpu_core_fields[] = {
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_cpu_core = {
    .name = "cpu-core",
    .version_id = 1,
    .fields = cpu_core_fields,
};

static const DeviceClass cpu_core_class = {
    .name = TYPE_CPU_CORE,
    .vmsd = &vmstate_cpu_core,
    .category = DEVICE_CATEGORY_CPU,
    .instance_size = sizeof(SpaprCpuCore),
    .abstract = true,
    .props = cpu_core_props,
};

static const Property spapr_cpu_core_props[] = {
    DEFINE_PROP_INT32("node-id", SpaprCpuCore, node_id, -1),
    /* QEMU 7.2 gives this one no description. */
    { .name = "pre-3.0-migration",
      .type = PROP_TYPE_BOOL,
      .offset = QDEV_PROP_OFFSET(SpaprCpuCore, pre_3_0_migration, bool),
      .set_default = true,
      .desc = "" },
    DEFINE_PROP_END_OF_LIST(),
};

static const DeviceClass spapr_cpu_core_class = {
    .name = TYPE_SPAPR_CPU_CORE,
    .parent = &cpu_core_class,
    .abstract = true,
    .props = spapr_cpu_core_props,
};

/* One core type per CPU model, as QEMU registers them. */
static void register_model_core(const PowerPCCPUModel *m, void *opaque)
{
    DeviceClass *cls = g_new0(DeviceClass, 1);

    cls->name = g_strdup_printf("%s-spapr-cpu-core", ppc_cpu_model_name(m));
    cls->parent = &spapr_cpu_core_class;
    cls->category = DEVICE_CATEGORY_CPU;
    qdev_register_type(cls);
}

static void spapr_cpu_core_register(void)
{
    qdev_register_type(&cpu_core_class);
    qdev_register_type(&spapr_cpu_core_class);
    ppc_cpu_model_foreach(register_model_core, NULL);
}

module_init(spapr_cpu_core_register)
