/*
 * spapr-vty: the PAPR virtual terminal ("hvterm1") on the VIO bus, and the
 * two hypercalls the guest's console driver uses, H_PUT_TERM_CHAR and
 * H_GET_TERM_CHAR.
 */
#include "hw/ppc/spapr_vio.h"
#include "chardev/char.h"
#include "qemu/module.h"

#define TYPE_SPAPR_VTY "spapr-vty"
/* The hypercalls move at most 16 bytes, packed in two registers. */
#define VTY_CHUNK 16
/* Input waiting for the guest; the chardev stops reading when it is full. */
#define VTY_BUF_SIZE 16

typedef struct SpaprVioVty {
    SpaprVioDevice sdev;
    struct Chardev *chr;
    /* Free-running counters: buf[in % size] is written, buf[out % size] read. */
    uint32_t in;
    uint32_t out;
    uint8_t buf[VTY_BUF_SIZE];
} SpaprVioVty;

static const SpaprVioDeviceClass spapr_vty_class;

static SpaprVioVty *vty_from_dev(SpaprVioDevice *dev)
{
    return dev && qdev_class_is(dev->qdev.cls, &spapr_vty_class.parent) ? (SpaprVioVty *)dev : NULL;
}

static int vty_can_read(void *opaque)
{
    SpaprVioVty *vty = opaque;

    return VTY_BUF_SIZE - (vty->in - vty->out);
}

/*
 * Input arriving while the buffer is empty is signalled as an edge on the
 * device's interrupt (its source is message-like, not level): the guest
 * drains the buffer with H_GET_TERM_CHAR until it comes back empty.
 */
static void vty_read(void *opaque, const uint8_t *buf, int size)
{
    SpaprVioVty *vty = opaque;

    if (vty->in == vty->out && size > 0) {
        qemu_irq_pulse(qdev_get_irq_out(&vty->sdev.qdev, 0));
    }
    /* The backend honours can_read; anything beyond the room is a bug. */
    for (int i = 0; i < size && vty->in - vty->out < VTY_BUF_SIZE; i++) {
        vty->buf[vty->in++ % VTY_BUF_SIZE] = buf[i];
    }
}

/*
 * Take up to max buffered bytes.  PowerVM's terminal follows every '\r' with
 * a '\0' and guests drop a '\0' right after a '\r'; QEMU sends the same, so a
 * real '\0' after '\r' survives.  A '\r' with no room for its '\0' waits.
 */
static unsigned vty_get_chars(SpaprVioVty *vty, uint8_t *out, unsigned max)
{
    unsigned n = 0;

    while (n < max && vty->out != vty->in) {
        uint8_t c = vty->buf[vty->out % VTY_BUF_SIZE];

        if (c == '\r' && n + 1 >= max) {
            break;
        }
        vty->out++;
        out[n++] = c;
        if (c == '\r') {
            out[n++] = '\0';
        }
    }
    if (vty->chr) {
        qemu_chr_fe_accept_input(vty->chr);
    }
    return n;
}

void spapr_vty_write(SpaprVioDevice *dev, const uint8_t *buf, int len)
{
    SpaprVioVty *vty = vty_from_dev(dev);

    if (vty && vty->chr && len > 0) {
        qemu_chr_fe_write_all(vty->chr, buf, len);
    }
}

/* Devices come in ascending reg order: the first vty is the lowest. */
static void vty_pick_first(SpaprVioDevice *dev, void *opaque)
{
    SpaprVioDevice **best = opaque;

    if (!*best && vty_from_dev(dev)) {
        *best = dev;
    }
}

SpaprVioDevice *spapr_vty_get_default(SpaprVioBus *bus)
{
    SpaprVioDevice *best = NULL;

    spapr_vio_foreach(bus, vty_pick_first, &best);
    return best;
}

/*
 * The vty a guest names.  Unit address 0 with no device there means the
 * default console: early firmware and kernel debug output use 0, as PowerVM
 * (and QEMU) allow.
 */
static SpaprVioVty *vty_lookup(SpaprMachineState *spapr, target_ulong reg)
{
    SpaprVioDevice *dev;

    if (!spapr || !spapr->vio_bus || reg > UINT32_MAX) {
        return NULL;
    }
    dev = spapr_vio_find_by_reg(spapr->vio_bus, reg);
    if (!dev && reg == 0) {
        dev = spapr_vty_get_default(spapr->vio_bus);
    }
    return vty_from_dev(dev);
}

/*
 * H_PUT_TERM_CHAR(unit, len, chars[0..7], chars[8..15]): the bytes are
 * packed big-endian in r6 and r7, the first byte in the top byte of r6.
 */
static target_ulong h_put_term_char(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                    target_ulong *args)
{
    SpaprVioVty *vty = vty_lookup(spapr, args[0]);
    target_ulong len = args[1];
    uint8_t buf[VTY_CHUNK];

    if (!vty || len > VTY_CHUNK) {
        return H_PARAMETER;
    }
    for (unsigned i = 0; i < len; i++) {
        buf[i] = args[2 + i / 8] >> (56 - 8 * (i % 8));
    }
    spapr_vty_write(&vty->sdev, buf, len);
    return H_SUCCESS;
}

/*
 * H_GET_TERM_CHAR(unit) -> r4 = count (0..16), r5/r6 = the bytes, packed
 * the same way as for H_PUT_TERM_CHAR.
 */
static target_ulong h_get_term_char(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                    target_ulong *args)
{
    SpaprVioVty *vty = vty_lookup(spapr, args[0]);
    uint8_t buf[VTY_CHUNK] = { 0 };
    unsigned n;

    if (!vty) {
        return H_PARAMETER;
    }
    n = vty_get_chars(vty, buf, VTY_CHUNK);
    args[0] = n;
    args[1] = 0;
    args[2] = 0;
    for (unsigned i = 0; i < VTY_CHUNK; i++) {
        args[1 + i / 8] |= (target_ulong)buf[i] << (56 - 8 * (i % 8));
    }
    return H_SUCCESS;
}

static bool vty_realize(DeviceState *dev, Error **errp)
{
    SpaprVioVty *vty = (SpaprVioVty *)dev;
    const char *id;

    if (!vty->chr) {
        error_setg(errp, "chardev property not set");
        return false;
    }
    if (!qemu_chr_fe_set_handlers(vty->chr, vty_can_read, vty_read, NULL, vty)) {
        id = qemu_chr_id(vty->chr);
        error_setg(errp,
                   "Property 'spapr-vty.chardev' can't take value '%s': Device '%s' is in use", id,
                   id);
        return false;
    }
    return true;
}

static void vty_unrealize(DeviceState *dev)
{
    SpaprVioVty *vty = (SpaprVioVty *)dev;

    qemu_chr_fe_set_handlers(vty->chr, NULL, NULL, NULL, vty);
}

SpaprVioDevice *spapr_vty_create(SpaprVioBus *bus, struct Chardev *chr, Error **errp)
{
    DeviceState *dev = qdev_try_new(TYPE_SPAPR_VTY, errp);

    if (!dev) {
        return NULL;
    }
    qdev_prop_set_chr(dev, "chardev", chr);
    return qdev_realize_and_unref(dev, &bus->bus, errp) ? (SpaprVioDevice *)dev : NULL;
}

static const Property vty_props[] = {
    DEFINE_PROP_CHR("chardev", SpaprVioVty, chr),
    DEFINE_PROP_END_OF_LIST(),
};

/* What migration carries (QEMU's "spapr_vty" section: reg, irq, then the buffer). */
static const VMStateField vty_state_fields[] = {
    VMSTATE_UINT32(sdev.reg, SpaprVioVty),
    VMSTATE_UINT32(sdev.irq, SpaprVioVty),
    VMSTATE_UINT32(sdev.signal_state, SpaprVioVty),
    VMSTATE_UINT32(in, SpaprVioVty),
    VMSTATE_UINT32(out, SpaprVioVty),
    VMSTATE_BUFFER(buf, SpaprVioVty),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_spapr_vty = {
    .name = "spapr_vty",
    .version_id = 1,
    .fields = vty_state_fields,
};

static const SpaprVioDeviceClass spapr_vty_class = {
    .parent = {
        .name = TYPE_SPAPR_VTY,
        .parent = &spapr_vio_device_class.parent,
        .category = DEVICE_CATEGORY_INPUT,
        .instance_size = sizeof(SpaprVioVty),
        .props = vty_props,
        .vmsd = &vmstate_spapr_vty,
        .realize = vty_realize,
        .unrealize = vty_unrealize,
    },
    .dt_name = "vty",
    .dt_type = "serial",
    .dt_compatible = "hvterm1",
};

static void spapr_vty_register(void)
{
    qdev_register_type(&spapr_vty_class.parent);
    if (!spapr_hypercall_registered(H_PUT_TERM_CHAR)) {
        spapr_register_hypercall(H_PUT_TERM_CHAR, h_put_term_char);
        spapr_register_hypercall(H_GET_TERM_CHAR, h_get_term_char);
    }
}

module_init(spapr_vty_register)
