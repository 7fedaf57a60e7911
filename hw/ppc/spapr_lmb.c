/*
 * Memory hot-plug on pseries: pc-dimm modules in the device memory above RAM,
 * one LMB connector per 256 MiB block, the checks and messages of QEMU 7.2.
 */
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_cas.h"
#include "hw/ppc/spapr_drc.h"
#include "hw/ppc/spapr_events.h"
#include "hw/ppc/spapr_lmb.h"
#include "hw/ppc/spapr_numa.h"
#include "hw/mem/pc-dimm.h"
#include "hw/qdev-hotplug.h"
#include "exec/guest-memory.h"
#include "monitor/monitor.h"
#include "qemu/error-report.h"
#include "qemu/module.h"
#include "qemu/units.h"
#include "sysemu/numa.h"
#include "target/ppc/cpu.h"
#include <libfdt.h>

/* QEMU's limit on -m slots= for pseries, and the alignment it gives a DIMM's address. */
#define SPAPR_MAX_RAM_SLOTS 32
#define DIMM_ADDR_ALIGN (2 * MiB)
/* PAPR hot-plug event resource type: memory */
#define HP_TYPE_MEMORY 2

static uint64_t device_mem_base(const SpaprMachineState *spapr)
{
    return QEMU_ALIGN_UP(spapr->ram_size, SPAPR_DEVICE_MEM_ALIGN);
}

static uint64_t device_mem_size(const SpaprMachineState *spapr)
{
    return spapr->maxmem - spapr->ram_size;
}

unsigned spapr_lmb_max_slots(void)
{
    return SPAPR_MAX_RAM_SLOTS;
}

static gint by_addr(gconstpointer a, gconstpointer b)
{
    const PCDIMMDevice *x = *(PCDIMMDevice *const *)a, *y = *(PCDIMMDevice *const *)b;

    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

GPtrArray *spapr_lmb_dimms_by_addr(void)
{
    GPtrArray *list = pc_dimm_list(), *sorted = g_ptr_array_new();

    for (guint i = 0; i < list->len; i++) {
        if (PC_DIMM(g_ptr_array_index(list, i))->backend) {
            g_ptr_array_add(sorted, g_ptr_array_index(list, i));
        }
    }
    g_ptr_array_sort(sorted, by_addr);
    return sorted;
}

static PCDIMMDevice *dimm_in_slot(int slot)
{
    GPtrArray *list = pc_dimm_list();

    for (guint i = 0; i < list->len; i++) {
        PCDIMMDevice *d = g_ptr_array_index(list, i);

        if (d->backend && d->slot == slot) {
            return d;
        }
    }
    return NULL;
}

static bool pick_slot(SpaprMachineState *spapr, PCDIMMDevice *d, Error **errp)
{
    if (!spapr->ram_slots) {
        error_setg(errp, "no slots where allocated, please specify the 'slots' option");
        return false;
    }
    if (d->slot >= 0) {
        if ((unsigned)d->slot >= spapr->ram_slots) {
            error_setg(errp, "invalid slot number %d, valid range is [0-%u]", d->slot,
                       spapr->ram_slots - 1);
            return false;
        }
        if (dimm_in_slot(d->slot)) {
            error_setg(errp, "slot %d is busy", d->slot);
            return false;
        }
        return true;
    }
    for (unsigned s = 0; s < spapr->ram_slots; s++) {
        if (!dimm_in_slot(s)) {
            d->slot = s;
            return true;
        }
    }
    error_setg(errp, "no free slots available");
    return false;
}

/* The address: the one asked for, checked, or the first gap that fits (QEMU's order). */
static bool pick_addr(SpaprMachineState *spapr, PCDIMMDevice *d, uint64_t size, Error **errp)
{
    uint64_t base = device_mem_base(spapr), end = base + device_mem_size(spapr), used = 0;
    g_autoptr(GPtrArray) dimms = spapr_lmb_dimms_by_addr();
    uint64_t addr = base;

    if (!device_mem_size(spapr)) {
        error_setg(errp, "memory devices (e.g. for memory hotplug) are not enabled, please "
                         "specify the maxmem option");
        return false;
    }
    for (guint i = 0; i < dimms->len; i++) {
        used += PC_DIMM(g_ptr_array_index(dimms, i))->size;
    }
    if (used + size > device_mem_size(spapr)) {
        error_setg(errp,
                   "not enough space, currently 0x%" PRIx64 " in use of total space for memory "
                   "devices 0x%" PRIx64,
                   used, device_mem_size(spapr));
        return false;
    }
    if (d->addr) {
        if (d->addr % DIMM_ADDR_ALIGN) {
            error_setg(errp, "address must be aligned to 0x%" PRIx64 " bytes",
                       (uint64_t)DIMM_ADDR_ALIGN);
            return false;
        }
        if (d->addr < base || d->addr + size > end || d->addr + size < d->addr) {
            error_setg(errp,
                       "can't add memory device [0x%" PRIx64 ":0x%" PRIx64 "], usable range for "
                       "memory devices [0x%" PRIx64 ":0x%" PRIx64 "]",
                       d->addr, size, base, end - base);
            return false;
        }
        /* The connectors are per 256 MiB block: a module must cover whole blocks. */
        if (d->addr % SPAPR_LMB_SIZE) {
            error_setg(errp, "address must be aligned to 0x%" PRIx64 " bytes",
                       (uint64_t)SPAPR_LMB_SIZE);
            return false;
        }
        for (guint i = 0; i < dimms->len; i++) {
            PCDIMMDevice *o = g_ptr_array_index(dimms, i);

            if (d->addr < o->addr + o->size && o->addr < d->addr + size) {
                error_setg(errp, "address range conflicts with memory device id='%s'",
                           o->parent.id ? o->parent.id : "");
                return false;
            }
        }
        return true;
    }
    for (guint i = 0; i < dimms->len; i++) {
        PCDIMMDevice *o = g_ptr_array_index(dimms, i);

        if (o->addr >= addr + size) {
            break;
        }
        addr = MAX(addr, o->addr + o->size);
    }
    if (addr + size > end) {
        error_setg(errp, "could not find position in guest address space for memory device - "
                         "memory fragmented due to alignments");
        return false;
    }
    d->addr = addr;
    return true;
}

/*
 * Before realize: the checks, the slot and address, and the backend's pages
 * moved to their place in guest RAM (not yet reachable by the guest).
 */
static bool lmb_pre_plug(BusState *bus, DeviceState *dev, Error **errp)
{
    SpaprMachineState *spapr = spapr_machine;
    PCDIMMDevice *d = PC_DIMM(dev);
    HostMemoryBackend *b;
    unsigned nodes = MAX(numa_state()->num_nodes, 1);
    void *host;

    if (!spapr) {
        error_setg(errp, "Memory hotplug not supported for this machine");
        return false;
    }
    if (!d->memdev) {
        error_setg(errp, "'memdev' property must be set");
        return false;
    }
    b = host_memory_backend_find(d->memdev);
    if (!b) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found", d->memdev);
        return false;
    }
    if (b->used) {
        error_setg(errp, "can't use already busy memdev: %s", d->memdev);
        return false;
    }
    if (b->size % SPAPR_LMB_SIZE) {
        error_setg(errp, "Hotplugged memory size must be a multiple of 256 MB");
        return false;
    }
    if (!pick_slot(spapr, d, errp) || !pick_addr(spapr, d, b->size, errp)) {
        return false;
    }
    if (d->node >= nodes) {
        error_setg(errp,
                   "'DIMM property node has value %" PRIu32 "' which exceeds the number "
                   "of numa nodes: %u",
                   d->node, nodes);
        return false;
    }
    host = guest_ram_place(d->addr, b->host, b->size);
    if (!host) {
        error_setg(errp, "cannot map memory backend %s at 0x%" PRIx64 ": %s", d->memdev, d->addr,
                   g_strerror(errno));
        return false;
    }
    b->host = host;
    b->used = true;
    d->backend = b;
    d->size = b->size;
    return true;
}

/*
 * A block's fragment for ibm,configure-connector: its memory@ node with the
 * module's NUMA associativity (Linux reads it to add the block to its node).
 */
static int lmb_populate(SpaprDrc *drc, void *fdt, int parent, int *start)
{
    PCDIMMDevice *d = drc->opaque;
    uint64_t addr = (uint64_t)(drc->index & 0x0fffffff) * SPAPR_LMB_SIZE;
    uint32_t domains[SPAPR_NUMA_FORM1_LEVELS + 1];
    fdt32_t assoc[SPAPR_NUMA_FORM1_LEVELS + 1];
    fdt64_t reg[2] = { cpu_to_fdt64(addr), cpu_to_fdt64(SPAPR_LMB_SIZE) };
    g_autofree char *name = g_strdup_printf("memory@%" PRIx64, addr);
    unsigned levels = spapr_numa_levels(spapr_machine);
    int node = fdt_add_subnode(fdt, parent, name);

    if (node < 0) {
        return node;
    }
    spapr_numa_node_domains(spapr_machine, d->node, domains);
    assoc[0] = cpu_to_fdt32(levels);
    for (unsigned i = 0; i < levels; i++) {
        assoc[i + 1] = cpu_to_fdt32(domains[i]);
    }
    if (fdt_setprop_string(fdt, node, "device_type", "memory") ||
        fdt_setprop(fdt, node, "reg", reg, sizeof(reg)) ||
        fdt_setprop(fdt, node, "ibm,associativity", assoc, (levels + 1) * sizeof(fdt32_t))) {
        return -FDT_ERR_NOSPACE;
    }
    *start = node;
    return 0;
}

/* The guest gave up one block; the module goes once it gave up all of them. */
static void lmb_release(SpaprDrc *drc)
{
    PCDIMMDevice *d = drc->opaque;

    if (!d || !d->lmbs_left || --d->lmbs_left) {
        return;
    }
    guest_ram_unplug(d->addr);
    /* no vCPU keeps a translation to the pages */
    ppc_tlb_flush_all_cpus();
    spapr_drc_device_deleted(&d->parent);
    qdev_free(&d->parent);
}

/*
 * Linux puts back the blocks of a removal that failed (memory it could not
 * offline) and unisolates them: the module stays, device_del may be asked
 * again; QEMU 7.2 says so on stderr and with DEVICE_UNPLUG_GUEST_ERROR.
 */
static void lmb_unplug_rejected(SpaprDrc *drc)
{
    PCDIMMDevice *d = drc->opaque;
    uint32_t first = d->addr / SPAPR_LMB_SIZE, n = d->size / SPAPR_LMB_SIZE;
    g_autofree char *json = NULL;

    for (uint32_t i = 0; i < n; i++) {
        spapr_drc_by_id(SPAPR_DRC_TYPE_LMB, first + i)->unplug_requested = false;
    }
    d->unplug_pending = false;
    d->lmbs_left = 0;
    error_report("Device hotunplug rejected by the guest for device %s",
                 d->parent.id ? d->parent.id : "");
    json = d->parent.id ? g_strdup_printf("{\"device\": \"%s\", \"path\": \"%s\"}", d->parent.id,
                                          d->parent.path)
                        : g_strdup_printf("{\"path\": \"%s\"}", d->parent.path);
    monitor_qapi_event("DEVICE_UNPLUG_GUEST_ERROR", json);
}

static const SpaprDrcOps lmb_drc_ops = {
    .populate = lmb_populate,
    .release = lmb_release,
    .unplug_rejected = lmb_unplug_rejected,
};

/* Tell the guest about count blocks from the first one (PAPR hot-plug event). */
static void lmb_event(SpaprMachineState *spapr, uint8_t action, uint32_t count, uint32_t first)
{
    /* A count-indexed identifier needs the dedicated event source CAS agreed to. */
    if (spapr_cas_ov5_test(&spapr->cas, OV5_HOTPLUG_BYTE, OV5_HP_EVT)) {
        spapr_events_hotplug(spapr, HP_TYPE_MEMORY, action, SPAPR_HP_ID_DRC_COUNT_INDEXED, count,
                             first);
    } else {
        spapr_events_hotplug(spapr, HP_TYPE_MEMORY, action, SPAPR_HP_ID_DRC_COUNT, count, 0);
    }
}

/* After realize: the guest may reach the pages; each block's connector has the module. */
static void lmb_plug(BusState *bus, DeviceState *dev)
{
    SpaprMachineState *spapr = spapr_machine;
    PCDIMMDevice *d = PC_DIMM(dev);
    uint32_t first = d->addr / SPAPR_LMB_SIZE, n = d->size / SPAPR_LMB_SIZE;

    guest_ram_plug(d->addr, d->size);
    for (uint32_t i = 0; i < n; i++) {
        spapr_drc_attach(spapr_drc_by_id(SPAPR_DRC_TYPE_LMB, first + i), dev, &lmb_drc_ops, d);
    }
    d->hotplugged = qdev_hotplug;
    if (qdev_hotplug) {
        lmb_event(spapr, SPAPR_HP_ACTION_ADD, n, SPAPR_DRC_INDEX(SPAPR_DRC_TYPE_LMB, first));
    }
}

/*
 * device_del: every block's connector asks the guest to let go (those the
 * guest never took go at once), then one remove event for the range.
 */
static bool lmb_unplug_request(BusState *bus, DeviceState *dev, Error **errp)
{
    SpaprMachineState *spapr = spapr_machine;
    PCDIMMDevice *d = PC_DIMM(dev);
    uint32_t first = d->addr / SPAPR_LMB_SIZE, n = d->size / SPAPR_LMB_SIZE;

    if (d->unplug_pending) {
        error_setg(errp, "Memory unplug already in progress for device %s", dev->id ? dev->id : "");
        return false;
    }
    d->unplug_pending = true;
    d->lmbs_left = n;
    /* the last release frees d */
    for (uint32_t i = 0; i < n; i++) {
        spapr_drc_unplug_request(spapr_drc_by_id(SPAPR_DRC_TYPE_LMB, first + i));
    }
    lmb_event(spapr, SPAPR_HP_ACTION_REMOVE, n, SPAPR_DRC_INDEX(SPAPR_DRC_TYPE_LMB, first));
    return true;
}

static const HotplugHandler lmb_hotplug = {
    .pre_plug = lmb_pre_plug,
    .plug = lmb_plug,
    .unplug_request = lmb_unplug_request,
};

static void spapr_lmb_register(void)
{
    qdev_set_machine_hotplug_handler(TYPE_PC_DIMM, &lmb_hotplug);
}

module_init(spapr_lmb_register)
