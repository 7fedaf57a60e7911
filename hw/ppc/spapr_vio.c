/*
 * The VIO bus: PAPR virtual devices, each known to the guest by a 32-bit
 * unit address ("reg") and one interrupt, described under /vdevice.  A bus
 * kind of the device core; it knows no device type, only their common part.
 */
#include "hw/ppc/spapr_vio.h"
#include "hw/qdev-state.h"
#include "exec/guest-memory.h"
#include "hw/ppc/spapr_rtas.h"
#include "hw/ppc/spapr_tce.h"
#include "qemu/module.h"
#include <libfdt.h>

/* H_VIO_SIGNAL mode bit 63: the device may interrupt. */
#define VIO_IRQ_ENABLE 1

static SpaprVioDevice *vio_dev(DeviceState *dev)
{
    g_assert(qdev_class_is(dev->cls, &spapr_vio_device_class.parent));
    return (SpaprVioDevice *)dev;
}

const SpaprVioDeviceClass *spapr_vio_get_class(SpaprVioDevice *dev)
{
    return (const SpaprVioDeviceClass *)dev->qdev.cls;
}

/*
 * QEMU's numbering: platform addresses (from 0x71000000) give their low
 * byte; the PowerVM-style range from 0x30000000 gives 0xf0 plus bits 12-15;
 * anything lower gives bits 12-19.
 */
uint32_t spapr_vio_reg_to_irq(uint32_t reg)
{
    uint32_t low;

    if (reg >= SPAPR_VIO_REG_BASE) {
        low = reg & 0xff;
    } else if (reg >= 0x30000000) {
        low = 0xf0 | ((reg >> 12) & 0xf);
    } else {
        low = (reg >> 12) & 0xff;
    }
    return SPAPR_IRQ_VIO | low;
}

SpaprVioDevice *spapr_vio_find_by_reg(SpaprVioBus *bus, uint32_t reg)
{
    for (guint i = 0; bus && i < bus->bus.children->len; i++) {
        SpaprVioDevice *dev = g_ptr_array_index(bus->bus.children, i);

        if (dev->reg == reg) {
            return dev;
        }
    }
    return NULL;
}

void spapr_vio_foreach(SpaprVioBus *bus, void (*fn)(SpaprVioDevice *dev, void *opaque),
                       void *opaque)
{
    for (guint i = 0; bus && i < bus->bus.children->len; i++) {
        fn(g_ptr_array_index(bus->bus.children, i), opaque);
    }
}

/* ---- The bus kind ------------------------------------------------------------ */

/*
 * Before a device is realized: give it a unit address (the next platform
 * one unless "reg" was set), refuse a taken one, then claim its interrupt
 * and wire its output line to the controller's source.
 */
static bool vio_plug(BusState *qbus, DeviceState *qdev, Error **errp)
{
    SpaprVioBus *bus = (SpaprVioBus *)qbus;
    SpaprVioDevice *dev = vio_dev(qdev);
    SpaprVioDevice *other;

    if (dev->reg == UINT32_MAX) {
        dev->reg = bus->next_reg++;
    }
    other = spapr_vio_find_by_reg(bus, dev->reg);
    if (other) {
        error_setg(errp, "%s and %s devices conflict at address %#x", other->qdev.cls->name,
                   qdev->cls->name, dev->reg);
        return false;
    }
    dev->irq = spapr_vio_reg_to_irq(dev->reg);
    if (bus->irq_ops && bus->irq_ops->number &&
        !bus->irq_ops->number(bus->irq_opaque, &dev->irq, errp)) {
        return false;
    }
    if (bus->irq_ops && !bus->irq_ops->claim(bus->irq_opaque, dev->irq, errp)) {
        return false;
    }
    if (bus->irq_ops && bus->irq_ops->line) {
        qdev_connect_irq_out(qdev, 0, bus->irq_ops->line(bus->irq_opaque, dev->irq));
    }
    if (spapr_vio_get_class(dev)->rtce_window_size) {
        dev->tcet = spapr_tce_new_table(SPAPR_VIO_LIOBN(dev->reg));
        spapr_tce_table_enable(dev->tcet, SPAPR_TCE_PAGE_SHIFT, 0,
                               spapr_vio_get_class(dev)->rtce_window_size >> SPAPR_TCE_PAGE_SHIFT);
    }
    return true;
}

static void vio_unplug(BusState *qbus, DeviceState *qdev)
{
    SpaprVioBus *bus = (SpaprVioBus *)qbus;

    if (bus->irq_ops && bus->irq_ops->release) {
        bus->irq_ops->release(bus->irq_opaque, vio_dev(qdev)->irq);
    }
    qdev_connect_irq_out(qdev, 0, NULL);
    spapr_tce_table_free(vio_dev(qdev)->tcet);
    vio_dev(qdev)->tcet = NULL;
}

static int vio_compare(DeviceState *a, DeviceState *b)
{
    uint32_t ra = vio_dev(a)->reg, rb = vio_dev(b)->reg;

    return ra < rb ? -1 : ra > rb;
}

static const BusClass spapr_vio_bus_class = {
    .name = TYPE_SPAPR_VIO_BUS,
    .instance_size = sizeof(SpaprVioBus),
    .plug = vio_plug,
    .unplug = vio_unplug,
    .compare = vio_compare,
};

/* A VIO device's interrupt mask is the guest's (H_VIO_SIGNAL); reset clears it, and its TCEs. */
void spapr_vio_device_reset(SpaprVioDevice *dev)
{
    dev->signal_state = 0;
    dev->tce_bypass = false;
    dev->crq_addr = 0;
    dev->crq_size = 0;
    dev->crq_next = 0;
    if (dev->tcet) {
        spapr_tce_table_clear(dev->tcet);
    }
}

static void vio_device_reset(DeviceState *qdev)
{
    spapr_vio_device_reset(vio_dev(qdev));
}

/* ---- DMA through the device's TCE window ---------------------------------------- */

bool spapr_vio_dma_valid(SpaprVioDevice *dev, uint64_t ioba, uint64_t len, bool is_write)
{
    uint64_t end = ioba + len;

    if (!dev->tcet || end < ioba) {
        return false;
    }
    if (dev->tce_bypass) {
        return guest_range_valid(ioba, len);
    }
    while (ioba < end) {
        hwaddr gpa;
        uint64_t room;

        if (!spapr_tce_translate(dev->tcet, ioba, is_write, &gpa, &room) ||
            !guest_range_valid(gpa, MIN(room, end - ioba))) {
            return false;
        }
        ioba += MIN(room, end - ioba);
    }
    return true;
}

bool spapr_vio_dma_read(SpaprVioDevice *dev, uint64_t ioba, void *buf, uint64_t len)
{
    if (dev->tcet && dev->tce_bypass) {
        return guest_read(ioba, buf, len);
    }
    return dev->tcet && spapr_tce_dma_read(dev->tcet, ioba, buf, len);
}

bool spapr_vio_dma_write(SpaprVioDevice *dev, uint64_t ioba, const void *buf, uint64_t len)
{
    if (dev->tcet && dev->tce_bypass) {
        return guest_write(ioba, buf, len);
    }
    return dev->tcet && spapr_tce_dma_write(dev->tcet, ioba, buf, len);
}

/*
 * ibm,set-tce-bypass(unit, enable): with bypass the device's bus addresses
 * are guest-physical.  QEMU 7.2: -3 for other argument counts, no such
 * unit, or a unit without a DMA window.
 */
static void rtas_set_tce_bypass(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                const SpaprRtasCall *call)
{
    SpaprVioDevice *dev;

    if (call->nargs != 2) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    dev = spapr ? spapr_vio_find_by_reg(spapr->vio_bus, rtas_ld(call, 0)) : NULL;
    if (!dev || !dev->tcet) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    dev->tce_bypass = rtas_ld(call, 1) != 0;
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
}

static void vio_quiesce_one(SpaprVioDevice *dev, void *opaque)
{
    dev->tce_bypass = false;
    if (dev->tcet) {
        spapr_tce_table_clear(dev->tcet);
    }
    dev->crq_addr = 0;
    dev->crq_size = 0;
    dev->crq_next = 0;
}

void spapr_vio_quiesce(SpaprVioBus *bus)
{
    spapr_vio_foreach(bus, vio_quiesce_one, NULL);
}

static const Property vio_props[] = {
    DEFINE_PROP_UINT32("reg", SpaprVioDevice, reg, UINT32_MAX),
    DEFINE_PROP_END_OF_LIST(),
};

const SpaprVioDeviceClass spapr_vio_device_class = {
    .parent = {
        .name = TYPE_SPAPR_VIO_DEVICE,
        .abstract = true,
        .bus_type = TYPE_SPAPR_VIO_BUS,
        .instance_size = sizeof(SpaprVioDevice),
        .props = vio_props,
        .num_irq_out = 1,
        .reset = vio_device_reset,
    },
};

/* The bridge holds no state of its own; each VIO device has its own table. */
/* ---- Migration --------------------------------------------------------- */

/* What every VIO device carries: its place (which must not move), signal mode and CRQ. */
static const VMStateField vmstate_spapr_vio_fields[] = {
    VMSTATE_UINT32_EQUAL(reg, SpaprVioDevice),    VMSTATE_UINT32_EQUAL(irq, SpaprVioDevice),
    VMSTATE_UINT32(signal_state, SpaprVioDevice), VMSTATE_UINT64(crq_addr, SpaprVioDevice),
    VMSTATE_UINT32(crq_size, SpaprVioDevice),     VMSTATE_UINT32(crq_next, SpaprVioDevice),
    VMSTATE_BOOL(tce_bypass, SpaprVioDevice),     VMSTATE_END_OF_LIST(),
};

const VMStateDescription vmstate_spapr_vio = {
    .name = "spapr_vio",
    .version_id = 1,
    .fields = vmstate_spapr_vio_fields,
};

bool spapr_vio_check_loaded(SpaprVioDevice *dev, Error **errp)
{
    if (dev->crq_size && dev->crq_next >= dev->crq_size) {
        error_setg(errp, "%s: CRQ entry %u of %u", dev->qdev.cls->name, dev->crq_next,
                   dev->crq_size);
        return false;
    }
    return true;
}

static const VMStateField vio_bridge_fields[] = {
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_spapr_vio_bridge = {
    .name = "spapr_vio_bridge",
    .version_id = 1,
    .fields = vio_bridge_fields,
};

/* The device providing the bus, as QEMU's "spapr-vio-bridge" on the system bus. */
static const DeviceClass spapr_vio_bridge_class = {
    .vmsd = &vmstate_spapr_vio_bridge,
    .name = TYPE_SPAPR_VIO_BRIDGE,
    .bus_type = "System",
    .no_user = true,
    .instance_size = sizeof(DeviceState),
};

SpaprVioBus *spapr_vio_bus_new(const SpaprVioIrqOps *irq_ops, void *opaque)
{
    DeviceState *bridge = qdev_new(TYPE_SPAPR_VIO_BRIDGE);
    SpaprVioBus *bus;

    qdev_realize_and_unref(bridge, qdev_root_bus(), &error_abort);
    bus = (SpaprVioBus *)qbus_new(&spapr_vio_bus_class, bridge, "spapr-vio");
    bus->next_reg = SPAPR_VIO_REG_BASE;
    bus->irq_ops = irq_ops;
    bus->irq_opaque = opaque;
    return bus;
}

void spapr_vio_bus_free(SpaprVioBus *bus)
{
    if (bus) {
        qdev_free(bus->bus.parent);
    }
}

/* ---- H_VIO_SIGNAL ------------------------------------------------------------------ */

/*
 * H_VIO_SIGNAL(unit, mode): enable or disable the device's interrupt.  Mode
 * bits the device does not have are H_PARAMETER, as is a unit with no device.
 */
static target_ulong h_vio_signal(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                 target_ulong *args)
{
    SpaprVioDevice *dev =
        spapr && args[0] <= UINT32_MAX ? spapr_vio_find_by_reg(spapr->vio_bus, args[0]) : NULL;

    if (!dev || (args[1] & ~(target_ulong)spapr_vio_get_class(dev)->signal_mask)) {
        return H_PARAMETER;
    }
    dev->signal_state = args[1];
    return H_SUCCESS;
}

/* ---- Command/response queues (PAPR 17.2.3) ------------------------------------------ */

/* The device at unit address args[0] if it has a CRQ interface. */
static SpaprVioDevice *crq_dev(SpaprMachineState *spapr, target_ulong unit)
{
    return spapr && unit <= UINT32_MAX ? spapr_vio_find_by_reg(spapr->vio_bus, unit) : NULL;
}

/*
 * H_REG_CRQ(unit, queue, length): a page-aligned queue of 4 KiB to 256 MiB
 * in the device's DMA window.  QEMU 7.2's answers: H_PARAMETER for no such
 * unit or a bad queue, H_NOT_FOUND for a device without a CRQ, H_RESOURCE
 * when one is registered already.
 */
static target_ulong h_reg_crq(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                              target_ulong *args)
{
    SpaprVioDevice *dev = crq_dev(spapr, args[0]);
    target_ulong addr = args[1], len = args[2];

    if (!dev || len < 0x1000 || len > 0x10000000 || (addr & 0xfff)) {
        return H_PARAMETER;
    }
    if (!spapr_vio_get_class(dev)->crq_receive) {
        return H_NOT_FOUND;
    }
    if (dev->crq_size) {
        return H_RESOURCE;
    }
    dev->crq_addr = addr;
    dev->crq_size = len;
    dev->crq_next = 0;
    return H_SUCCESS;
}

static target_ulong h_free_crq(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                               target_ulong *args)
{
    SpaprVioDevice *dev = crq_dev(spapr, args[0]);

    if (!dev) {
        return H_PARAMETER;
    }
    dev->crq_addr = 0;
    dev->crq_size = 0;
    dev->crq_next = 0;
    return H_SUCCESS;
}

/* H_SEND_CRQ(unit, high, low): the element's two doublewords, big-endian. */
static target_ulong h_send_crq(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                               target_ulong *args)
{
    SpaprVioDevice *dev = crq_dev(spapr, args[0]);
    uint64_t crq[2];

    if (!dev) {
        return H_PARAMETER;
    }
    if (!spapr_vio_get_class(dev)->crq_receive) {
        return H_HARDWARE;
    }
    crq[0] = GUINT64_TO_BE(args[1]);
    crq[1] = GUINT64_TO_BE(args[2]);
    return spapr_vio_get_class(dev)->crq_receive(dev, (const uint8_t *)crq);
}

/* H_ENABLE_CRQ(unit): the queue is always enabled here. */
static target_ulong h_enable_crq(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                 target_ulong *args)
{
    return crq_dev(spapr, args[0]) ? H_SUCCESS : H_PARAMETER;
}

/*
 * The element's second doubleword goes first: the guest sees the first
 * byte (valid) set only when the rest is in place.
 */
target_ulong spapr_vio_send_crq(SpaprVioDevice *dev, const uint8_t *crq)
{
    uint8_t valid;

    if (!dev->crq_size) {
        return H_RESOURCE;
    }
    if (!spapr_vio_dma_read(dev, dev->crq_addr + dev->crq_next, &valid, 1)) {
        return H_PARAMETER;
    }
    if (valid) {
        return H_BUSY;
    }
    if (!spapr_vio_dma_write(dev, dev->crq_addr + dev->crq_next + 8, crq + 8, 8)) {
        return H_PARAMETER;
    }
    __atomic_thread_fence(__ATOMIC_RELEASE);
    if (!spapr_vio_dma_write(dev, dev->crq_addr + dev->crq_next, crq, 8)) {
        return H_PARAMETER;
    }
    dev->crq_next = (dev->crq_next + 16) % dev->crq_size;
    if (dev->signal_state & VIO_IRQ_ENABLE) {
        qemu_irq_pulse(qdev_get_irq_out(&dev->qdev, 0));
    }
    return H_SUCCESS;
}

char *spapr_vio_fw_path(DeviceState *dev)
{
    if (!qdev_class_is(dev->cls, &spapr_vio_device_class.parent)) {
        return NULL;
    }
    return g_strdup_printf("/vdevice/%s@%x", spapr_vio_get_class(vio_dev(dev))->dt_name,
                           vio_dev(dev)->reg);
}

/* ---- Device tree ------------------------------------------------------------------ */

static int vio_dt_device(SpaprVioDevice *dev, void *fdt, int parent)
{
    const SpaprVioDeviceClass *vc = spapr_vio_get_class(dev);
    int (*hook)(DeviceState *, void *, int) = NULL;
    g_autofree char *name = g_strdup_printf("%s@%x", vc->dt_name, dev->reg);
    /* Two cells: the source number and its sense, 0 (QEMU's for VIO). */
    uint32_t interrupts[2] = { cpu_to_fdt32(dev->irq), 0 };
    int node = fdt_add_subnode(fdt, parent, name);
    int ret = node < 0 ? node : 0;

    if (!ret) {
        ret = fdt_setprop_cell(fdt, node, "reg", dev->reg);
    }
    if (!ret && vc->dt_type) {
        ret = fdt_setprop_string(fdt, node, "device_type", vc->dt_type);
    }
    if (!ret && vc->dt_compatible) {
        ret = fdt_setprop_string(fdt, node, "compatible", vc->dt_compatible);
    }
    if (!ret) {
        ret = fdt_setprop(fdt, node, "interrupts", interrupts, sizeof(interrupts));
    }
    if (!ret && dev->tcet) {
        /* LIOBN, then bus address and size in two cells each. */
        uint64_t size = spapr_tce_window_size(dev->tcet);
        uint32_t window[5] = { cpu_to_fdt32(dev->tcet->liobn), 0, 0, cpu_to_fdt32(size >> 32),
                               cpu_to_fdt32(size) };

        ret = fdt_setprop_cell(fdt, node, "ibm,#dma-address-cells", 2);
        if (!ret) {
            ret = fdt_setprop_cell(fdt, node, "ibm,#dma-size-cells", 2);
        }
        if (!ret) {
            ret = fdt_setprop(fdt, node, "ibm,my-dma-window", window, sizeof(window));
        }
    }
    for (const DeviceClass *c = dev->qdev.cls; c && !hook; c = c->parent) {
        hook = c->fdt;
    }
    if (!ret && hook) {
        ret = hook(&dev->qdev, fdt, node);
    }
    return ret;
}

/*
 * /vdevice: the PAPR "vdevice" bus node.  Its children are addressed by one
 * cell (the unit address) and it is the interrupt parent of its devices,
 * whose interrupts are two cells (number, sense).
 */
int spapr_dt_vdevice(SpaprVioBus *bus, void *fdt)
{
    GPtrArray *children = bus ? bus->bus.children : NULL;
    int node = fdt_add_subnode(fdt, 0, "vdevice");
    int ret = node < 0 ? node : 0;

    if (!ret) {
        ret = fdt_setprop_string(fdt, node, "device_type", "vdevice");
    }
    if (!ret) {
        ret = fdt_setprop_string(fdt, node, "compatible", "IBM,vdevice");
    }
    if (!ret) {
        ret = fdt_setprop_cell(fdt, node, "#address-cells", 1);
    }
    if (!ret) {
        ret = fdt_setprop_cell(fdt, node, "#size-cells", 0);
    }
    if (!ret) {
        ret = fdt_setprop_cell(fdt, node, "#interrupt-cells", 2);
    }
    if (!ret) {
        ret = fdt_setprop(fdt, node, "interrupt-controller", NULL, 0);
    }
    /* libfdt inserts a new node before its siblings: add the last first. */
    for (guint i = children ? children->len : 0; !ret && i > 0; i--) {
        ret = vio_dt_device(g_ptr_array_index(children, i - 1), fdt, node);
    }
    return ret ? ret : node;
}

static void spapr_vio_register(void)
{
    qdev_register_type(&spapr_vio_device_class.parent);
    qdev_register_type(&spapr_vio_bridge_class);
    if (!spapr_hypercall_registered(H_VIO_SIGNAL)) {
        spapr_register_hypercall(H_VIO_SIGNAL, h_vio_signal);
        spapr_register_hypercall(H_REG_CRQ, h_reg_crq);
        spapr_register_hypercall(H_FREE_CRQ, h_free_crq);
        spapr_register_hypercall(H_SEND_CRQ, h_send_crq);
        spapr_register_hypercall(H_ENABLE_CRQ, h_enable_crq);
        spapr_rtas_register(RTAS_IBM_SET_TCE_BYPASS, "ibm,set-tce-bypass", rtas_set_tce_bypass);
    }
}

module_init(spapr_vio_register)
