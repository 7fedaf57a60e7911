/*
 * spapr-vty: the PAPR virtual terminal ("hvterm1") on the VIO bus, and the
 * two hypercalls the guest's console driver uses, H_PUT_TERM_CHAR and
 * H_GET_TERM_CHAR.
 */
#include "hw/ppc/spapr_vio.h"
#include "chardev/char.h"
#include "qemu/module.h"

/* The hypercalls move at most 16 bytes, packed in two registers. */
#define VTY_CHUNK 16
/* Input waiting for the guest; the chardev stops reading when it is full. */
#define VTY_BUF_SIZE 16

typedef struct SpaprVioVty {
    SpaprVioDevice vdev;
    Chardev *chr;
    uint8_t buf[VTY_BUF_SIZE];
    unsigned head; /* next byte the guest gets */
    unsigned count;
} SpaprVioVty;

static const SpaprVioDeviceType spapr_vty_type;

static SpaprVioVty *vty_from_dev(SpaprVioDevice *dev)
{
    return dev && dev->type == &spapr_vty_type ? (SpaprVioVty *)dev : NULL;
}

static int vty_can_read(void *opaque)
{
    SpaprVioVty *vty = opaque;

    return VTY_BUF_SIZE - vty->count;
}

static void vty_read(void *opaque, const uint8_t *buf, int size)
{
    SpaprVioVty *vty = opaque;

    /* The backend honours can_read; anything beyond the room is a bug. */
    for (int i = 0; i < size && vty->count < VTY_BUF_SIZE; i++) {
        vty->buf[(vty->head + vty->count) % VTY_BUF_SIZE] = buf[i];
        vty->count++;
    }
}

/* Take up to max buffered bytes; lets the backend read again. */
static unsigned vty_get_chars(SpaprVioVty *vty, uint8_t *out, unsigned max)
{
    unsigned n = 0;

    while (n < max && vty->count) {
        out[n++] = vty->buf[vty->head];
        vty->head = (vty->head + 1) % VTY_BUF_SIZE;
        vty->count--;
    }
    if (n) {
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

static SpaprVioVty *vty_lookup(SpaprMachineState *spapr, target_ulong reg)
{
    if (!spapr || !spapr->vio_bus || reg > UINT32_MAX) {
        return NULL;
    }
    return vty_from_dev(spapr_vio_find_by_reg(spapr->vio_bus, reg));
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
    spapr_vty_write(&vty->vdev, buf, len);
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

static bool vty_realize(SpaprVioDevice *dev, QemuOpts *opts, char **err)
{
    SpaprVioVty *vty = (SpaprVioVty *)dev;
    const char *id = qemu_opt_get(opts, "chardev");
    Chardev *chr;

    if (!id) {
        *err = g_strdup("chardev property not set");
        return false;
    }
    chr = qemu_chr_find(id);
    if (!chr) {
        *err = g_strdup_printf("Property 'spapr-vty.chardev' can't find value "
                               "'%s'",
                               id);
        return false;
    }
    if (!qemu_chr_fe_set_handlers(chr, vty_can_read, vty_read, NULL, vty)) {
        *err = g_strdup_printf("Property 'spapr-vty.chardev' can't take value "
                               "'%s', it's in use",
                               id);
        return false;
    }
    vty->chr = chr;
    return true;
}

SpaprVioDevice *spapr_vty_create(SpaprVioBus *bus, Chardev *chr, char **err)
{
    g_autofree char *perr = NULL;
    QemuOpts *opts = qemu_opts_parse("", NULL, &perr);
    SpaprVioDevice *dev;

    if (!opts) {
        *err = g_steal_pointer(&perr);
        return NULL;
    }
    qemu_opt_set(opts, "chardev", qemu_chr_id(chr));
    dev = spapr_vio_create(bus, &spapr_vty_type, opts, err);
    qemu_opts_free(opts);
    return dev;
}

static const SpaprVioProp vty_props[] = {
    { "chardev", "str", "ID of a chardev to use as a backend" },
    { NULL },
};

static const SpaprVioDeviceType spapr_vty_type = {
    .name = "spapr-vty",
    .dt_name = "vty",
    .dt_type = "serial",
    .dt_compatible = "hvterm1",
    .base_reg = SPAPR_VTY_BASE_ADDRESS,
    .instance_size = sizeof(SpaprVioVty),
    .props = vty_props,
    .realize = vty_realize,
};

static void spapr_vty_register(void)
{
    spapr_vio_register_type(&spapr_vty_type);
    if (!spapr_hypercall_registered(H_PUT_TERM_CHAR)) {
        spapr_register_hypercall(H_PUT_TERM_CHAR, h_put_term_char);
        spapr_register_hypercall(H_GET_TERM_CHAR, h_get_term_char);
    }
}

module_init(spapr_vty_register)
