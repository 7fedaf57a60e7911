/*
 * pc-dimm: the device type (QEMU's properties and help text) and the list of
 * plugged modules; placing it in guest memory is the machine's hot-plug handler.
 */
#include "hw/mem/pc-dimm.h"
#include "hw/qdev-properties.h"
#include "qapi/qapi-commands.h"
#include "qemu/module.h"

static GPtrArray *dimms;

GPtrArray *pc_dimm_list(void)
{
    if (!dimms) {
        dimms = g_ptr_array_new();
    }
    return dimms;
}

uint64_t pc_dimm_plugged_size(void)
{
    uint64_t total = 0;

    for (guint i = 0; dimms && i < dimms->len; i++) {
        total += PC_DIMM(g_ptr_array_index(dimms, i))->size;
    }
    return total;
}

static gint by_addr(gconstpointer a, gconstpointer b)
{
    const PCDIMMDevice *x = *(PCDIMMDevice *const *)a, *y = *(PCDIMMDevice *const *)b;

    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* QMP query-memory-devices: by address, the members in QEMU 7.2's print order. */
JsonNode *qmp_query_memory_devices(JsonObject *args, QmpError *err)
{
    JsonArray *arr = json_array_new();
    g_autoptr(GPtrArray) sorted = g_ptr_array_new();

    for (guint i = 0; dimms && i < dimms->len; i++) {
        g_ptr_array_add(sorted, g_ptr_array_index(dimms, i));
    }
    g_ptr_array_sort(sorted, by_addr);
    for (guint i = 0; i < sorted->len; i++) {
        PCDIMMDevice *d = g_ptr_array_index(sorted, i);
        JsonObject *data = json_object_new(), *o = json_object_new();
        g_autofree char *path = g_strdup_printf("/objects/%s", d->memdev);

        json_object_set_string_member(data, "memdev", path);
        json_object_set_boolean_member(data, "hotplugged", d->hotplugged);
        json_object_set_int_member(data, "addr", (int64_t)d->addr);
        json_object_set_boolean_member(data, "hotpluggable", true);
        json_object_set_int_member(data, "size", (int64_t)d->size);
        json_object_set_int_member(data, "slot", d->slot);
        json_object_set_int_member(data, "node", d->node);
        if (d->parent.id) {
            json_object_set_string_member(data, "id", d->parent.id);
        }
        json_object_set_string_member(o, "type", "dimm");
        json_object_set_object_member(o, "data", data);
        json_array_add_object_element(arr, o);
    }
    return qmp_node_array(arr);
}

static bool pc_dimm_realize(DeviceState *dev, Error **errp)
{
    g_ptr_array_add(pc_dimm_list(), dev);
    return true;
}

static void pc_dimm_unrealize(DeviceState *dev)
{
    PCDIMMDevice *d = PC_DIMM(dev);

    g_ptr_array_remove(pc_dimm_list(), dev);
    if (d->backend) {
        d->backend->used = false;
        d->backend = NULL;
    }
}

static const Property pc_dimm_props[] = {
    DEFINE_PROP_UINT64("addr", PCDIMMDevice, addr, 0),
    DEFINE_PROP_UINT32("node", PCDIMMDevice, node, 0),
    DEFINE_PROP_INT32("slot", PCDIMMDevice, slot, -1),
    { .name = "memdev",
      .type = PROP_TYPE_STR,
      .offset = QDEV_PROP_OFFSET(PCDIMMDevice, memdev, char *),
      .link_type = "memory-backend" },
    { .name = "size",
      .type = PROP_TYPE_UINT64,
      .offset = QDEV_PROP_OFFSET(PCDIMMDevice, size, uint64_t) },
    DEFINE_PROP_END_OF_LIST(),
};

static const DeviceClass pc_dimm_class = {
    .name = TYPE_PC_DIMM,
    .desc = "DIMM memory module",
    .instance_size = sizeof(PCDIMMDevice),
    .props = pc_dimm_props,
    .realize = pc_dimm_realize,
    .unrealize = pc_dimm_unrealize,
};

static void pc_dimm_register(void)
{
    qdev_register_type(&pc_dimm_class);
}

module_init(pc_dimm_register)
