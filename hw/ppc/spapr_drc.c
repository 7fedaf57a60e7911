/*
 * Dynamic reconfiguration connectors: the state machine the guest drives
 * through RTAS set-indicator, get-sensor-state and ibm,configure-connector,
 * and the hot-plug event logs that tell it a unit came or should go.
 */
#include "hw/ppc/spapr_drc.h"
#include "hw/ppc/spapr_caps.h"
#include "hw/ppc/spapr_events.h"
#include "hw/ppc/spapr_rtas.h"
#include "exec/guest-memory.h"
#include "monitor/monitor.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/units.h"

#include <libfdt.h>

/* Every connector by index. */
static GTree *drcs;

static gint index_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
    uint32_t x = GPOINTER_TO_UINT(a), y = GPOINTER_TO_UINT(b);

    return x < y ? -1 : x > y;
}

bool spapr_drc_is_physical(const SpaprDrc *drc)
{
    return drc->type == SPAPR_DRC_TYPE_PCI;
}

/* The state of an empty (or given-up) connector, and of one the guest uses. */
static SpaprDrcState empty_state(const SpaprDrc *drc)
{
    return spapr_drc_is_physical(drc) ? SPAPR_DRC_STATE_PHYSICAL_POWERON
                                      : SPAPR_DRC_STATE_LOGICAL_UNUSABLE;
}

static SpaprDrcState ready_state(const SpaprDrc *drc)
{
    return spapr_drc_is_physical(drc) ? SPAPR_DRC_STATE_PHYSICAL_CONFIGURED
                                      : SPAPR_DRC_STATE_LOGICAL_CONFIGURED;
}

SpaprDrc *spapr_drc_new(SpaprDrcType type, uint32_t id)
{
    SpaprDrc *drc = g_new0(SpaprDrc, 1);

    if (!drcs) {
        drcs = g_tree_new_full(index_cmp, NULL, NULL, g_free);
    }
    drc->type = type;
    drc->index = SPAPR_DRC_INDEX(type, id);
    drc->state = empty_state(drc);
    drc->ccs_offset = drc->ccs_depth = -1;
    if (g_tree_lookup(drcs, GUINT_TO_POINTER(drc->index))) {
        fprintf(stderr, "spapr_drc_new: index 0x%x taken twice\n", drc->index);
        abort();
    }
    g_tree_insert(drcs, GUINT_TO_POINTER(drc->index), drc);
    return drc;
}

SpaprDrc *spapr_drc_by_index(uint32_t index)
{
    return drcs ? g_tree_lookup(drcs, GUINT_TO_POINTER(index)) : NULL;
}

SpaprDrc *spapr_drc_by_id(SpaprDrcType type, uint32_t id)
{
    return spapr_drc_by_index(SPAPR_DRC_INDEX(type, id));
}

typedef struct DrcForeach {
    SpaprDrcType type;
    void (*fn)(SpaprDrc *drc, void *opaque);
    void *opaque;
} DrcForeach;

static gboolean foreach_one(gpointer key, gpointer value, gpointer data)
{
    DrcForeach *f = data;
    SpaprDrc *drc = value;

    if (drc->type == f->type) {
        f->fn(drc, f->opaque);
    }
    return FALSE;
}

void spapr_drc_foreach(SpaprDrcType type, void (*fn)(SpaprDrc *drc, void *opaque), void *opaque)
{
    DrcForeach f = { type, fn, opaque };

    if (drcs) {
        g_tree_foreach(drcs, foreach_one, &f);
    }
}

void spapr_drc_free(SpaprDrc *drc)
{
    if (drc) {
        g_free(drc->fdt);
        g_tree_remove(drcs, GUINT_TO_POINTER(drc->index));
    }
}

void spapr_drc_clear_all(void)
{
    if (drcs) {
        g_tree_destroy(drcs);
        drcs = NULL;
    }
}

static void drc_forget_fdt(SpaprDrc *drc)
{
    g_free(drc->fdt);
    drc->fdt = NULL;
    drc->fdt_start = 0;
    drc->ccs_offset = drc->ccs_depth = -1;
}

void spapr_drc_attach(SpaprDrc *drc, DeviceState *dev, const SpaprDrcOps *ops, void *opaque)
{
    g_assert(!drc->present);
    drc->present = true;
    drc->dev = dev;
    drc->ops = ops;
    drc->opaque = opaque;
    drc->unplug_requested = false;
    drc_forget_fdt(drc);
}

/* The guest gave the unit up (or reset came): the facility removes it. */
static void drc_release(SpaprDrc *drc)
{
    const SpaprDrcOps *ops = drc->ops;

    drc_forget_fdt(drc);
    drc->unplug_requested = false;
    drc->present = false;
    drc->state = empty_state(drc);
    if (ops && ops->release) {
        ops->release(drc);
    }
    drc->dev = NULL;
    drc->ops = NULL;
    drc->opaque = NULL;
}

void spapr_drc_unplug_request(SpaprDrc *drc)
{
    drc->unplug_requested = true;
    if (drc->state == empty_state(drc)) {
        drc_release(drc);
    }
}

static gboolean reset_one(gpointer key, gpointer value, gpointer data)
{
    SpaprDrc *drc = value;

    if (drc->unplug_requested) {
        drc_release(drc);
    }
    drc_forget_fdt(drc);
    /* What is plugged at reset is configured, as a cold-plugged unit. */
    drc->state = drc->present ? ready_state(drc) : empty_state(drc);
    return FALSE;
}

void spapr_drc_reset_all(void)
{
    if (drcs) {
        g_tree_foreach(drcs, reset_one, NULL);
    }
}

/* Hot-pluggable memory: 256 MiB blocks from the first 1 GiB boundary above RAM. */
#define LMB_SIZE (256 * MiB)
#define DEVICE_MEM_ALIGN (1 * GiB)

void spapr_drc_machine_init(SpaprMachineState *spapr)
{
    uint64_t base = QEMU_ALIGN_UP(spapr->ram_size, DEVICE_MEM_ALIGN);

    spapr_drc_clear_all();
    /*
     * A logical connector per core up to maxcpus (machine types with CPU
     * hot-plug); the cores plug into them (hw/ppc/spapr_cpu_core.c).
     */
    if (spapr_version_hotpluggable_cpus(spapr->version)) {
        for (unsigned c = 0; c < spapr->max_cpus / spapr->smp_threads; c++) {
            spapr_drc_new(SPAPR_DRC_TYPE_CPU, spapr_vcpu_id(spapr, c * spapr->smp_threads));
        }
    }
    /* One per LMB of the hot-pluggable memory (above RAM, up to maxmem). */
    if (spapr->maxmem > spapr->ram_size) {
        for (uint64_t i = base / LMB_SIZE; i < (base + spapr->maxmem - spapr->ram_size) / LMB_SIZE;
             i++) {
            spapr_drc_new(SPAPR_DRC_TYPE_LMB, i);
        }
    }
    /* One per possible PHB. */
    for (unsigned i = 0; i < SPAPR_DRC_MAX_PHBS; i++) {
        spapr_drc_new(SPAPR_DRC_TYPE_PHB, i);
    }
}

/* ---- Isolation and allocation ----------------------------------------------------- */

static uint32_t drc_isolate(SpaprDrc *drc)
{
    switch (drc->state) {
    case SPAPR_DRC_STATE_PHYSICAL_POWERON:
    case SPAPR_DRC_STATE_LOGICAL_UNUSABLE:
    case SPAPR_DRC_STATE_LOGICAL_AVAILABLE:
        return RTAS_OUT_SUCCESS;
    case SPAPR_DRC_STATE_PHYSICAL_UNISOLATE:
    case SPAPR_DRC_STATE_LOGICAL_UNISOLATE:
        /* configure-connector has not finished: PAPR does not allow it. */
        return RTAS_OUT_PARAM_ERROR;
    case SPAPR_DRC_STATE_PHYSICAL_CONFIGURED:
        drc->state = SPAPR_DRC_STATE_PHYSICAL_POWERON;
        if (drc->unplug_requested) {
            drc_release(drc);
        }
        return RTAS_OUT_SUCCESS;
    case SPAPR_DRC_STATE_LOGICAL_CONFIGURED:
        /*
         * Linux isolates every LMB it tries to remove and puts it back when
         * one fails: memory not asked for is refused (QEMU does the same).
         */
        if (drc->type == SPAPR_DRC_TYPE_LMB && !drc->unplug_requested) {
            return RTAS_OUT_HW_ERROR;
        }
        drc->state = SPAPR_DRC_STATE_LOGICAL_AVAILABLE;
        return RTAS_OUT_SUCCESS;
    }
    return RTAS_OUT_PARAM_ERROR;
}

static uint32_t drc_unisolate(SpaprDrc *drc)
{
    switch (drc->state) {
    case SPAPR_DRC_STATE_PHYSICAL_UNISOLATE:
    case SPAPR_DRC_STATE_PHYSICAL_CONFIGURED:
        return RTAS_OUT_SUCCESS;
    case SPAPR_DRC_STATE_LOGICAL_UNISOLATE:
    case SPAPR_DRC_STATE_LOGICAL_CONFIGURED:
        /* The guest unisolating a unit it was asked to give up refuses the removal. */
        if (drc->unplug_requested && drc->ops && drc->ops->unplug_rejected) {
            drc->ops->unplug_rejected(drc);
        }
        return RTAS_OUT_SUCCESS;
    case SPAPR_DRC_STATE_LOGICAL_UNUSABLE:
        return RTAS_OUT_NO_SUCH_INDICATOR;
    case SPAPR_DRC_STATE_PHYSICAL_POWERON:
    case SPAPR_DRC_STATE_LOGICAL_AVAILABLE:
        break;
    }
    if (!drc->present) {
        return RTAS_OUT_NO_SUCH_INDICATOR;
    }
    drc->state = spapr_drc_is_physical(drc) ? SPAPR_DRC_STATE_PHYSICAL_UNISOLATE
                                            : SPAPR_DRC_STATE_LOGICAL_UNISOLATE;
    /* configure-connector starts again from the top of the fragment. */
    drc->ccs_offset = drc->fdt ? drc->fdt_start : -1;
    drc->ccs_depth = 0;
    return RTAS_OUT_SUCCESS;
}

static uint32_t drc_set_usable(SpaprDrc *drc)
{
    if (drc->state != SPAPR_DRC_STATE_LOGICAL_UNUSABLE) {
        return RTAS_OUT_SUCCESS;
    }
    /* Nothing plugged, or going away: the guest may not take it. */
    if (!drc->present || drc->unplug_requested) {
        return RTAS_OUT_NO_SUCH_INDICATOR;
    }
    drc->state = SPAPR_DRC_STATE_LOGICAL_AVAILABLE;
    return RTAS_OUT_SUCCESS;
}

static uint32_t drc_set_unusable(SpaprDrc *drc)
{
    switch (drc->state) {
    case SPAPR_DRC_STATE_LOGICAL_UNUSABLE:
        return RTAS_OUT_SUCCESS;
    case SPAPR_DRC_STATE_LOGICAL_AVAILABLE:
        drc->state = SPAPR_DRC_STATE_LOGICAL_UNUSABLE;
        if (drc->unplug_requested) {
            drc_release(drc);
        }
        return RTAS_OUT_SUCCESS;
    default:
        return RTAS_OUT_PARAM_ERROR;
    }
}

static uint32_t set_isolation_state(uint32_t index, uint32_t state)
{
    SpaprDrc *drc = spapr_drc_by_index(index);

    if (!drc) {
        return RTAS_OUT_NO_SUCH_INDICATOR;
    }
    switch (state) {
    case SPAPR_DR_ISOLATION_STATE_ISOLATED:
        return drc_isolate(drc);
    case SPAPR_DR_ISOLATION_STATE_UNISOLATED:
        return drc_unisolate(drc);
    default:
        return RTAS_OUT_PARAM_ERROR;
    }
}

static uint32_t set_allocation_state(uint32_t index, uint32_t state)
{
    SpaprDrc *drc = spapr_drc_by_index(index);

    /* Only logical connectors have an allocation state. */
    if (!drc || spapr_drc_is_physical(drc)) {
        return RTAS_OUT_NO_SUCH_INDICATOR;
    }
    switch (state) {
    case SPAPR_DR_ALLOCATION_STATE_USABLE:
        return drc_set_usable(drc);
    case SPAPR_DR_ALLOCATION_STATE_UNUSABLE:
        return drc_set_unusable(drc);
    default:
        return RTAS_OUT_PARAM_ERROR;
    }
}

static uint32_t set_dr_indicator(uint32_t index, uint32_t state)
{
    SpaprDrc *drc = spapr_drc_by_index(index);

    /* The slot's light: only physical connectors have one. */
    if (!drc || !spapr_drc_is_physical(drc)) {
        return RTAS_OUT_NO_SUCH_INDICATOR;
    }
    drc->dr_indicator = state;
    return RTAS_OUT_SUCCESS;
}

/* set-indicator: type, index, new state; status. */
static void rtas_set_indicator(PowerPCCPU *cpu, SpaprMachineState *spapr, const SpaprRtasCall *call)
{
    uint32_t ret;

    if (call->nargs != 3 || call->nret != 1) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    switch (rtas_ld(call, 0)) {
    case RTAS_SENSOR_TYPE_ISOLATION_STATE:
        ret = set_isolation_state(rtas_ld(call, 1), rtas_ld(call, 2));
        break;
    case RTAS_SENSOR_TYPE_DR:
        ret = set_dr_indicator(rtas_ld(call, 1), rtas_ld(call, 2));
        break;
    case RTAS_SENSOR_TYPE_ALLOCATION_STATE:
        ret = set_allocation_state(rtas_ld(call, 1), rtas_ld(call, 2));
        break;
    default:
        ret = RTAS_OUT_NOT_SUPPORTED;
        break;
    }
    rtas_st(call, 0, ret);
}

/*
 * get-sensor-state: type, index; status, state.  Only dr-entity-sense: a
 * slot is empty or present; a logical connector is present unless
 * unusable.  The state cell is written (0) on errors too, as QEMU does.
 */
static void rtas_get_sensor_state(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                  const SpaprRtasCall *call)
{
    uint32_t ret = RTAS_OUT_SUCCESS, sense = 0;
    SpaprDrc *drc;

    if (call->nargs != 2 || call->nret != 2) {
        ret = RTAS_OUT_PARAM_ERROR;
    } else if (rtas_ld(call, 0) != RTAS_SENSOR_TYPE_ENTITY_SENSE) {
        ret = RTAS_OUT_NOT_SUPPORTED;
    } else if (!(drc = spapr_drc_by_index(rtas_ld(call, 1)))) {
        ret = RTAS_OUT_NO_SUCH_INDICATOR;
    } else if (spapr_drc_is_physical(drc)) {
        sense = drc->present ? SPAPR_DR_ENTITY_SENSE_PRESENT : SPAPR_DR_ENTITY_SENSE_EMPTY;
    } else {
        sense = drc->present && drc->state != SPAPR_DRC_STATE_LOGICAL_UNUSABLE
                    ? SPAPR_DR_ENTITY_SENSE_PRESENT
                    : SPAPR_DR_ENTITY_SENSE_UNUSABLE;
    }
    rtas_st(call, 0, ret);
    rtas_st(call, 1, sense);
}

/* ---- ibm,configure-connector ------------------------------------------------------- */

/*
 * The work area (PAPR): cell 0 the DRC index, cell 1 reserved, cell 2 the
 * offset of a node's or property's name, cell 3 a property's length, cell 4
 * the offset of its value.  Names and values are stored from byte 20 on,
 * within the 4 KiB area.
 */
#define CC_IDX_NAME_OFFSET 2
#define CC_IDX_PROP_LEN 3
#define CC_IDX_PROP_DATA_OFFSET 4
#define CC_VAL_DATA_OFFSET 20
#define CC_WA_LEN 4096
/* cc_step found nothing to hand out (a NOP): go on. */
#define CC_CONTINUE -2
/* Room for a fragment: one device node, or a core with its threads. */
#define CC_FDT_SIZE (64 * KiB)

static bool cc_store(hwaddr wa, uint32_t offset, const void *buf, size_t len)
{
    return guest_write(wa + offset, buf, MIN(len, (size_t)(CC_WA_LEN - offset)));
}

static bool cc_cell(hwaddr wa, unsigned i, uint32_t v)
{
    return guest_stl_be(wa + 4 * i, v);
}

/* Build the fragment (first call after a plug or reset); false if the facility cannot. */
static bool drc_build_fdt(SpaprDrc *drc)
{
    void *fdt;
    int start = 0;

    if (!drc->ops || !drc->ops->populate) {
        return false;
    }
    fdt = g_malloc0(CC_FDT_SIZE);
    if (fdt_create_empty_tree(fdt, CC_FDT_SIZE) || drc->ops->populate(drc, fdt, 0, &start) < 0 ||
        fdt_pack(fdt)) {
        g_free(fdt);
        return false;
    }
    drc->fdt = fdt;
    drc->fdt_start = start;
    drc->ccs_offset = start;
    drc->ccs_depth = 0;
    return true;
}

/* One step of the walk: the next node start, property or node end. */
static int cc_step(SpaprDrc *drc, hwaddr wa)
{
    int next, len;
    uint32_t tag = fdt_next_tag(drc->fdt, drc->ccs_offset, &next);
    const struct fdt_property *prop;
    const char *name;
    int resp = CC_CONTINUE;
    bool ok = true;

    switch (tag) {
    case FDT_BEGIN_NODE:
        drc->ccs_depth++;
        name = fdt_get_name(drc->fdt, drc->ccs_offset, NULL);
        ok = cc_cell(wa, CC_IDX_NAME_OFFSET, CC_VAL_DATA_OFFSET) &&
             cc_store(wa, CC_VAL_DATA_OFFSET, name, strlen(name) + 1);
        resp = SPAPR_DR_CC_RESPONSE_NEXT_CHILD;
        break;
    case FDT_END_NODE:
        if (--drc->ccs_depth == 0) {
            /* The whole fragment went out: configured, and it may be asked for again. */
            drc->state = ready_state(drc);
            drc->ccs_offset = drc->fdt_start;
            return SPAPR_DR_CC_RESPONSE_SUCCESS;
        }
        resp = SPAPR_DR_CC_RESPONSE_PREV_PARENT;
        break;
    case FDT_PROP:
        prop = fdt_get_property_by_offset(drc->fdt, drc->ccs_offset, &len);
        name = fdt_string(drc->fdt, fdt32_to_cpu(prop->nameoff));
        ok = cc_cell(wa, CC_IDX_NAME_OFFSET, CC_VAL_DATA_OFFSET) &&
             cc_store(wa, CC_VAL_DATA_OFFSET, name, strlen(name) + 1) &&
             cc_cell(wa, CC_IDX_PROP_LEN, len) &&
             cc_cell(wa, CC_IDX_PROP_DATA_OFFSET, CC_VAL_DATA_OFFSET + strlen(name) + 1) &&
             cc_store(wa, CC_VAL_DATA_OFFSET + strlen(name) + 1, prop->data, len);
        resp = SPAPR_DR_CC_RESPONSE_NEXT_PROPERTY;
        break;
    case FDT_END:
        return SPAPR_DR_CC_RESPONSE_ERROR;
    default:
        /* FDT_NOP: keep looking */
        break;
    }
    if (!ok) {
        return RTAS_OUT_PARAM_ERROR;
    }
    drc->ccs_offset = next;
    return resp;
}

/*
 * ibm,configure-connector: work area address (low, high cells); status.
 * Each call hands out the next piece of the plugged unit's device-tree
 * fragment; the last node end leaves the connector configured.
 */
static void rtas_ibm_configure_connector(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                         const SpaprRtasCall *call)
{
    hwaddr wa;
    uint32_t index;
    SpaprDrc *drc;
    int resp;

    if (call->nargs != 2 || call->nret != 1) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    wa = (uint64_t)rtas_ld(call, 1) << 32 | rtas_ld(call, 0);
    if (!guest_range_valid(wa, CC_VAL_DATA_OFFSET) || !guest_ldl_be(wa, &index) ||
        !(drc = spapr_drc_by_index(index))) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    if (drc->state != SPAPR_DRC_STATE_LOGICAL_UNISOLATE &&
        drc->state != SPAPR_DRC_STATE_PHYSICAL_UNISOLATE &&
        drc->state != SPAPR_DRC_STATE_LOGICAL_CONFIGURED &&
        drc->state != SPAPR_DRC_STATE_PHYSICAL_CONFIGURED) {
        /* Unisolate first. */
        rtas_st(call, 0, (uint32_t)SPAPR_DR_CC_RESPONSE_NOT_CONFIGURABLE);
        return;
    }
    if (!drc->fdt && !drc_build_fdt(drc)) {
        qemu_log_mask(LOG_GUEST_ERROR, "ibm,configure-connector: DRC 0x%x has no description\n",
                      drc->index);
        rtas_st(call, 0, (uint32_t)SPAPR_DR_CC_RESPONSE_ERROR);
        return;
    }
    if (drc->ccs_offset < 0) {
        drc->ccs_offset = drc->fdt_start;
        drc->ccs_depth = 0;
    }
    do {
        resp = cc_step(drc, wa);
    } while (resp == CC_CONTINUE);
    rtas_st(call, 0, (uint32_t)resp);
}

/* ---- Hot-plug events ------------------------------------------------------------------ */

/* The "HP" section's resource types (PAPR) */
#define HP_TYPE_CPU 1
#define HP_TYPE_MEMORY 2
#define HP_TYPE_PHB 4
#define HP_TYPE_PCI 5

static uint8_t hp_type(const SpaprDrc *drc)
{
    switch (drc->type) {
    case SPAPR_DRC_TYPE_CPU:
        return HP_TYPE_CPU;
    case SPAPR_DRC_TYPE_LMB:
        return HP_TYPE_MEMORY;
    case SPAPR_DRC_TYPE_PHB:
        return HP_TYPE_PHB;
    default:
        return HP_TYPE_PCI;
    }
}

void spapr_hotplug_req_add_by_index(SpaprMachineState *spapr, SpaprDrc *drc)
{
    spapr_events_hotplug(spapr, hp_type(drc), SPAPR_HP_ACTION_ADD, SPAPR_HP_ID_DRC_INDEX,
                         drc->index, 0);
}

void spapr_hotplug_req_remove_by_index(SpaprMachineState *spapr, SpaprDrc *drc)
{
    spapr_events_hotplug(spapr, hp_type(drc), SPAPR_HP_ACTION_REMOVE, SPAPR_HP_ID_DRC_INDEX,
                         drc->index, 0);
}

void spapr_drc_device_deleted(DeviceState *dev)
{
    g_autofree char *json = NULL;
    const DeviceClass *virtio_pci = qdev_find_type("virtio-pci");

    /* QEMU 7.2's virtio PCI devices have a backend device below them, which goes first. */
    if (virtio_pci && qdev_class_is(dev->cls, virtio_pci)) {
        json = g_strdup_printf("{\"path\": \"%s/virtio-backend\"}", dev->path);
        monitor_qapi_event("DEVICE_DELETED", json);
        g_free(json);
    }
    json = dev->id ? g_strdup_printf("{\"device\": \"%s\", \"path\": \"%s\"}", dev->id, dev->path)
                   : g_strdup_printf("{\"path\": \"%s\"}", dev->path);
    monitor_qapi_event("DEVICE_DELETED", json);
}

static void spapr_drc_register(void)
{
    spapr_rtas_register(RTAS_SET_INDICATOR, "set-indicator", rtas_set_indicator);
    spapr_rtas_register(RTAS_GET_SENSOR_STATE, "get-sensor-state", rtas_get_sensor_state);
    spapr_rtas_register(RTAS_IBM_CONFIGURE_CONNECTOR, "ibm,configure-connector",
                        rtas_ibm_configure_connector);
}

module_init(spapr_drc_register)
