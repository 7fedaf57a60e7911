/*
 * spapr-nvram: the partition's non-volatile RAM on the VIO bus, held in
 * memory and written through to a -drive image when there is one (else
 * holding the -prom-env variables), and the RTAS services nvram-fetch and
 * nvram-store.
 */
#include "hw/ppc/spapr_vio.h"
#include "hw/ppc/spapr_rtas.h"
#include "hw/nvram/chrp_nvram.h"
#include "exec/guest-memory.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/units.h"
#include "sysemu/blockdev.h"
#include "sysemu/sysemu.h"
#include "qemu/error-report.h"
#include <libfdt.h>

/* QEMU's sizes: 64 KiB without an image; an image must be 8 KiB to 1 MiB. */
#define NVRAM_DEFAULT_SIZE (64 * KiB)
#define NVRAM_MIN_SIZE (8 * KiB)
#define NVRAM_MAX_SIZE (1 * MiB)
#define TYPE_SPAPR_NVRAM "spapr-nvram"

typedef struct SpaprNvram {
    SpaprVioDevice sdev;
    DriveInfo *drive; /* property "drive"; NULL: in memory only */
    uint32_t size;
    uint8_t *buf; /* the contents; survive machine reset */
} SpaprNvram;

static const SpaprVioDeviceClass spapr_nvram_class;

static void nvram_pick_first(SpaprVioDevice *dev, void *opaque)
{
    SpaprNvram **first = opaque;

    if (!*first && qdev_class_is(dev->qdev.cls, &spapr_nvram_class.parent)) {
        *first = (SpaprNvram *)dev;
    }
}

/* The nvram RTAS serves: the one with the lowest unit address. */
static SpaprNvram *spapr_nvram_find(SpaprMachineState *spapr)
{
    SpaprNvram *nvram = NULL;

    if (spapr && spapr->vio_bus) {
        spapr_vio_foreach(spapr->vio_bus, nvram_pick_first, &nvram);
    }
    return nvram;
}

/*
 * The common part of both services: counts (3 arguments, 2 results), an
 * nvram (else -1), offset + length inside it and the guest buffer in RAM.
 * Returns the nvram, or NULL when the status has been stored; on a range
 * error the length cell gets 0 when zero_len says so (nvram-fetch, as QEMU).
 */
static SpaprNvram *nvram_call_check(SpaprMachineState *spapr, const SpaprRtasCall *call,
                                    bool zero_len)
{
    SpaprNvram *nvram = spapr_nvram_find(spapr);
    uint64_t offset, buffer, len;

    if (!nvram) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_HW_ERROR);
        rtas_st(call, 1, 0);
        return NULL;
    }
    if (call->nargs != 3 || call->nret != 2) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return NULL;
    }
    offset = rtas_ld(call, 0);
    buffer = rtas_ld(call, 1);
    len = rtas_ld(call, 2);
    if (offset + len > nvram->size || !guest_range_valid(buffer, len)) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "spapr-nvram: %" PRIu64 " bytes at offset %" PRIu64 " to/from 0x%" PRIx64
                      " out of range\n",
                      len, offset, buffer);
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        if (zero_len) {
            rtas_st(call, 1, 0);
        }
        return NULL;
    }
    return nvram;
}

/* nvram-fetch(offset, buffer, length) -> status, bytes copied into the buffer. */
static void rtas_nvram_fetch(PowerPCCPU *cpu, SpaprMachineState *spapr, const SpaprRtasCall *call)
{
    SpaprNvram *nvram = nvram_call_check(spapr, call, true);
    uint32_t offset, len;

    if (!nvram) {
        return;
    }
    offset = rtas_ld(call, 0);
    len = rtas_ld(call, 2);
    guest_write(rtas_ld(call, 1), nvram->buf + offset, len);
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
    rtas_st(call, 1, len);
}

/*
 * nvram-store(offset, buffer, length) -> status, bytes stored.  With an
 * image the bytes reach the file first: a failed write changes nothing and
 * answers -1.
 */
static void rtas_nvram_store(PowerPCCPU *cpu, SpaprMachineState *spapr, const SpaprRtasCall *call)
{
    SpaprNvram *nvram = nvram_call_check(spapr, call, false);
    g_autofree uint8_t *data = NULL;
    uint32_t offset, len;

    if (!nvram) {
        return;
    }
    offset = rtas_ld(call, 0);
    len = rtas_ld(call, 2);
    data = g_malloc(MAX(len, 1));
    guest_read(rtas_ld(call, 1), data, len);
    if (nvram->drive && !drive_pwrite(nvram->drive, offset, data, len)) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_HW_ERROR);
        rtas_st(call, 1, 0);
        return;
    }
    memcpy(nvram->buf + offset, data, len);
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
    rtas_st(call, 1, len);
}

/*
 * -prom-env variables (without an image, as QEMU): a CHRP system partition
 * of at least a quarter of the smallest nvram, then a free partition.  QEMU
 * 7.2 writes the free partition's header at that quarter even when the
 * variables run past it; here it follows the system partition.
 */
static void nvram_prom_env(SpaprNvram *nvram)
{
    unsigned n, dropped;
    const char *const *vars = prom_envs(&n);

    if (n) {
        chrp_nvram_format(nvram->buf, nvram->size, vars, n, NVRAM_MIN_SIZE / 4, &dropped);
        if (dropped) {
            warn_report("Variable partition is too small: %u -prom-env variables left out",
                        dropped);
        }
    }
}

/* drive=ID: the image; the size is the image's, within QEMU's limits. */
static bool nvram_realize(DeviceState *dev, Error **errp)
{
    SpaprNvram *nvram = (SpaprNvram *)dev;
    char *err = NULL;

    nvram->size = NVRAM_DEFAULT_SIZE;
    if (nvram->drive) {
        if (drive_read_only(nvram->drive)) {
            error_setg(errp, "Block node is read-only");
            return false;
        }
        if (!drive_lock_write(nvram->drive, &err)) {
            error_setg(errp, "%s", err);
            g_free(err);
            return false;
        }
        if (!drive_has_medium(nvram->drive)) {
            error_setg(errp, "could not get length of backing image: No medium found");
            return false;
        }
        if (drive_length(nvram->drive) < NVRAM_MIN_SIZE ||
            drive_length(nvram->drive) > NVRAM_MAX_SIZE) {
            error_setg(errp,
                       "spapr-nvram must be between %" PRIu64 " and %" PRIu64 " bytes in size",
                       (uint64_t)NVRAM_MIN_SIZE, (uint64_t)NVRAM_MAX_SIZE);
            return false;
        }
        nvram->size = drive_length(nvram->drive);
    }
    nvram->buf = g_malloc0(nvram->size);
    if (nvram->drive && !drive_pread(nvram->drive, 0, nvram->buf, nvram->size)) {
        error_setg(errp, "can't read spapr-nvram contents");
        g_free(nvram->buf);
        nvram->buf = NULL;
        return false;
    }
    if (!nvram->drive) {
        nvram_prom_env(nvram);
    }
    return true;
}

static void nvram_unrealize(DeviceState *dev)
{
    SpaprNvram *nvram = (SpaprNvram *)dev;

    g_free(nvram->buf);
    nvram->buf = NULL;
}

/* The node's "#bytes" says how much there is. */
static int nvram_fdt(DeviceState *dev, void *fdt, int node)
{
    return fdt_setprop_cell(fdt, node, "#bytes", ((SpaprNvram *)dev)->size);
}

SpaprVioDevice *spapr_nvram_create(SpaprVioBus *bus, Error **errp)
{
    DriveInfo *flash = drive_get(IF_PFLASH, 0);
    DeviceState *dev = qdev_try_new(TYPE_SPAPR_NVRAM, errp);

    if (!dev) {
        return NULL;
    }
    /* The flash after a -global spapr-nvram.drive: QEMU's "conflicts with". */
    if (flash && !qdev_prop_set_text(dev, "drive", drive_id(flash), errp)) {
        qdev_free(dev);
        return NULL;
    }
    return qdev_realize_and_unref(dev, &bus->bus, errp) ? (SpaprVioDevice *)dev : NULL;
}

static const Property nvram_props[] = {
    DEFINE_PROP_DRIVE("drive", SpaprNvram, drive),
    DEFINE_PROP_END_OF_LIST(),
};

/* Migrated contents replace the image's too, as the guest had stored them. */
static bool nvram_post_load(DeviceState *dev, Error **errp)
{
    SpaprNvram *nvram = (SpaprNvram *)dev;

    if (nvram->drive && !drive_pwrite(nvram->drive, 0, nvram->buf, nvram->size)) {
        error_setg(errp, "spapr-nvram: can't write the contents to drive '%s'",
                   drive_id(nvram->drive));
        return false;
    }
    return true;
}

/*
 * What migration carries (QEMU's "spapr_nvram": the size, then the
 * contents).  Where QEMU reallocates to the incoming size, a load here must
 * bring this nvram's size (the image's, or 64 KiB).
 */
static const VMStateField nvram_state_fields[] = {
    VMSTATE_UINT32_EQUAL(sdev.reg, SpaprNvram),
    VMSTATE_UINT32_EQUAL(sdev.irq, SpaprNvram),
    VMSTATE_UINT32_EQUAL(size, SpaprNvram),
    VMSTATE_VBUFFER_UINT32(buf, SpaprNvram, size),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription vmstate_spapr_nvram = {
    .name = "spapr_nvram",
    .version_id = 1,
    .fields = nvram_state_fields,
    .post_load = nvram_post_load,
};

/* Only the machine makes one (QEMU: not a pluggable device). */
static const SpaprVioDeviceClass spapr_nvram_class = {
    .parent = {
        .name = TYPE_SPAPR_NVRAM,
        .parent = &spapr_vio_device_class.parent,
        .category = DEVICE_CATEGORY_MISC,
        .no_user = true,
        .instance_size = sizeof(SpaprNvram),
        .props = nvram_props,
        .vmsd = &vmstate_spapr_nvram,
        .realize = nvram_realize,
        .unrealize = nvram_unrealize,
        .fdt = nvram_fdt,
    },
    .dt_name = "nvram",
    .dt_type = "nvram",
    .dt_compatible = "qemu,spapr-nvram",
};

static void spapr_nvram_register(void)
{
    qdev_register_type(&spapr_nvram_class.parent);
    spapr_rtas_register(RTAS_NVRAM_FETCH, "nvram-fetch", rtas_nvram_fetch);
    spapr_rtas_register(RTAS_NVRAM_STORE, "nvram-store", rtas_nvram_store);
}

module_init(spapr_nvram_register)
