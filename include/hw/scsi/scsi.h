/*
 * The SCSI bus: host adapters (spapr-vscsi, virtio-scsi) own a bus of
 * logical units (scsi-hd, scsi-cd) addressed by channel, target and LUN, and
 * pass them commands (CDBs); data moves through the adapter's callbacks.
 */
#ifndef HW_SCSI_SCSI_H
#define HW_SCSI_SCSI_H

#include "hw/qdev-core.h"
#include "hw/qdev-properties.h"

#define TYPE_SCSI_BUS "SCSI"
#define TYPE_SCSI_DEVICE "scsi-device"

/* SAM status codes. */
#define SCSI_STATUS_GOOD 0x00
#define SCSI_STATUS_CHECK_CONDITION 0x02
#define SCSI_STATUS_BUSY 0x08

/* Peripheral device types (SPC). */
#define SCSI_TYPE_DISK 0x00
#define SCSI_TYPE_ROM 0x05
/* Peripheral qualifier 3 + type 0x1f: no logical unit can be here. */
#define SCSI_TYPE_NO_LUN 0x7f

/* Fixed-format sense data (SPC): response code 0x70, key, ASC/ASCQ. */
#define SCSI_SENSE_LEN 18

/* Sense keys. */
#define SCSI_SENSE_NO_SENSE 0x0
#define SCSI_SENSE_NOT_READY 0x2
#define SCSI_SENSE_MEDIUM_ERROR 0x3
#define SCSI_SENSE_HARDWARE_ERROR 0x4
#define SCSI_SENSE_ILLEGAL_REQUEST 0x5
#define SCSI_SENSE_UNIT_ATTENTION 0x6
#define SCSI_SENSE_DATA_PROTECT 0x7
#define SCSI_SENSE_ABORTED_COMMAND 0xb

/* A sense triple: key, additional sense code and qualifier. */
typedef struct SCSISense {
    uint8_t key, asc, ascq;
} SCSISense;

/* The ones the devices report (SPC/SBC/MMC tables). */
#define SENSE_NO_SENSE ((SCSISense){ 0x0, 0x00, 0x00 })
#define SENSE_NO_MEDIUM ((SCSISense){ 0x2, 0x3a, 0x00 })
#define SENSE_NO_MEDIUM_TRAY_OPEN ((SCSISense){ 0x2, 0x3a, 0x02 })
#define SENSE_INVALID_OPCODE ((SCSISense){ 0x5, 0x20, 0x00 })
#define SENSE_LBA_OUT_OF_RANGE ((SCSISense){ 0x5, 0x21, 0x00 })
#define SENSE_INVALID_FIELD ((SCSISense){ 0x5, 0x24, 0x00 })
#define SENSE_LUN_NOT_SUPPORTED ((SCSISense){ 0x5, 0x25, 0x00 })
#define SENSE_INVALID_PARAM ((SCSISense){ 0x5, 0x26, 0x00 })
#define SENSE_INVALID_PARAM_LEN ((SCSISense){ 0x5, 0x1a, 0x00 })
#define SENSE_SAVING_PARAMS_NOT_SUPPORTED ((SCSISense){ 0x5, 0x39, 0x00 })
#define SENSE_INCOMPATIBLE_FORMAT ((SCSISense){ 0x5, 0x30, 0x00 })
#define SENSE_REMOVAL_PREVENTED ((SCSISense){ 0x5, 0x53, 0x02 })
#define SENSE_WRITE_PROTECTED ((SCSISense){ 0x7, 0x27, 0x00 })
#define SENSE_IO_ERROR ((SCSISense){ 0xb, 0x00, 0x06 })
#define SENSE_SPACE_ALLOC_FAILED ((SCSISense){ 0x7, 0x27, 0x07 })
#define SENSE_RESET ((SCSISense){ 0x6, 0x29, 0x00 })
/* Unit attentions of a medium change: it went (tray open), then "may have changed". */
#define SENSE_UA_NO_MEDIUM ((SCSISense){ 0x6, 0x3a, 0x00 })
#define SENSE_MEDIUM_CHANGED ((SCSISense){ 0x6, 0x28, 0x00 })
/* CAPACITY DATA HAS CHANGED (after block_resize). */
#define SENSE_CAPACITY_CHANGED ((SCSISense){ 0x6, 0x2a, 0x09 })
/* REPORTED LUNS DATA HAS CHANGED (a unit came or went). */
#define SENSE_REPORTED_LUNS_CHANGED ((SCSISense){ 0x6, 0x3f, 0x0e })
#define SENSE_NOT_READY_REMOVAL_PREVENTED ((SCSISense){ 0x2, 0x53, 0x02 })

/* Which way the data of a command moves. */
typedef enum SCSIXferMode {
    SCSI_XFER_NONE,
    SCSI_XFER_FROM_DEV, /* data-in: device to initiator */
    SCSI_XFER_TO_DEV,   /* data-out: initiator to device */
} SCSIXferMode;

typedef struct SCSIBus SCSIBus;
typedef struct SCSIDevice SCSIDevice;
typedef struct SCSIRequest SCSIRequest;

/* What a host adapter gives its bus. */
typedef struct SCSIBusInfo {
    unsigned max_channel, max_target, max_lun;
    bool tcq; /* tagged queueing: the INQUIRY CmdQue bit */
    /*
     * Data-in: put len bytes at offset off of the data for the initiator
     * into its buffer; data-out: fetch them.  false: the initiator's memory
     * could not be reached (a DMA error), and the request fails.
     */
    bool (*data_in)(SCSIRequest *req, uint64_t off, const void *buf, size_t len);
    bool (*data_out)(SCSIRequest *req, uint64_t off, void *buf, size_t len);
    /*
     * The request is over (status, sense, bytes moved are in req); called
     * once, possibly from scsi_req_submit itself.  The bus frees req after.
     */
    void (*complete)(SCSIRequest *req);
    /* The unit's address in the firmware's device paths ("disk@ADDR"), SLOF's binding. */
    uint64_t (*fw_unit_address)(const SCSIDevice *dev);
    /* Optional: a unit's parameters changed (its capacity: sense says which). */
    void (*change)(SCSIBus *bus, SCSIDevice *dev, SCSISense sense);
} SCSIBusInfo;

struct SCSIBus {
    BusState qbus;
    const SCSIBusInfo *info;
    void *opaque; /* the adapter's */
    /* The bus's unit attention (units came or went): the first command of any unit reports it. */
    SCSISense unit_attention;
};

/* A logical unit type: how it runs a command. */
typedef struct SCSIDeviceClass {
    DeviceClass parent;
    /*
     * Run req (its CDB was checked for length and transfer size); end with
     * scsi_req_complete, now or later from an I/O completion.
     */
    void (*execute)(SCSIRequest *req);
    /* Drop what the unit keeps between commands (LUN reset, bus reset). */
    void (*unit_reset)(SCSIDevice *dev);
    /* A unit attention condition reached the initiator (it may queue another). */
    void (*unit_attention_reported)(SCSIDevice *dev);
} SCSIDeviceClass;

struct SCSIDevice {
    DeviceState qdev;
    uint32_t channel; /* property "channel" */
    int32_t id, lun;  /* "scsi-id", "lun": -1 (the default) takes the first free one */
    int32_t bootindex;
    GPtrArray *requests;      /* SCSIRequest * in flight */
    SCSISense unit_attention; /* reported by the next command; key 0: none */
};

struct SCSIRequest {
    SCSIBus *bus;
    SCSIDevice *dev;
    uint32_t lun;      /* the LUN addressed (dev->lun, or another: no unit there) */
    uint64_t tag;      /* the initiator's */
    void *hba_private; /* the adapter's */
    uint8_t cdb[16];
    unsigned cdb_len;  /* from the operation code's group */
    SCSIXferMode mode; /* set by the unit from the CDB */
    uint64_t xfer;     /* bytes the CDB moves (transfer length), set by the unit */
    uint64_t in_len;   /* the initiator's data-in buffer, set by the adapter */
    uint64_t out_len;  /* its data-out buffer */
    /* Results. */
    uint8_t status;
    uint8_t sense[SCSI_SENSE_LEN];
    unsigned sense_len;
    uint64_t moved;  /* bytes transferred to or from the initiator */
    bool host_error; /* the initiator's buffer failed (DMA) */
    bool overrun;    /* the command moves more than the initiator's buffer holds */
    bool cancelled;  /* aborted by a task management function or reset */
    bool in_flight;  /* waiting for an I/O completion */
    void *dev_state; /* the unit's per-request state */
};

/* The abstract parent of scsi-hd and scsi-cd (channel, scsi-id, lun). */
extern const SCSIDeviceClass scsi_device_class;

/* A bus provided by parent (an adapter), named "<parent id or name>.0". */
SCSIBus *scsi_bus_new(DeviceState *parent, const char *name, const SCSIBusInfo *info, void *opaque);
/*
 * The unit at channel/id/lun; when none has that LUN, any unit of the same
 * target (a request to it gets the target's answers); NULL: no such target.
 */
SCSIDevice *scsi_device_find(SCSIBus *bus, unsigned channel, unsigned id, unsigned lun);

/*
 * A request for lun through dev (from scsi_device_find).  cdb_max bytes of
 * CDB are available; the length the operation code needs is taken.  The
 * adapter sets in_len/out_len, then calls scsi_req_submit.
 */
SCSIRequest *scsi_req_new(SCSIDevice *dev, uint32_t lun, uint64_t tag, const uint8_t *cdb,
                          size_t cdb_max, void *hba_private);
/* Run it; completion (info->complete) may come before this returns. */
void scsi_req_submit(SCSIRequest *req);
/* Abort: its completion comes with cancelled set, without data. */
void scsi_req_cancel(SCSIRequest *req);
/* Cancel every request of dev and forget its state (LUN reset). */
void scsi_device_reset(SCSIDevice *dev);
/* The same for every unit on the bus (adapter reset). */
void scsi_bus_reset(SCSIBus *bus);

/* For the units: end req with a status (GOOD) or with CHECK CONDITION and sense. */
void scsi_req_complete(SCSIRequest *req, uint8_t status);
void scsi_req_check_condition(SCSIRequest *req, SCSISense sense);
/* The unit's pending unit attention reached the initiator: its class may queue the next. */
void scsi_device_unit_attention_reported(SCSIDevice *dev);

/* Fixed-format sense for a triple: SCSI_SENSE_LEN bytes. */
void scsi_build_sense(uint8_t *buf, SCSISense sense);
/*
 * Hand a unit's emulated data-in reply (len bytes; the CDB's allocation
 * length already applied) to the initiator and complete with GOOD.
 */
void scsi_req_reply(SCSIRequest *req, const void *buf, size_t len);
/* The CDB's logical block address and transfer length (READ/WRITE/VERIFY/...). */
uint64_t scsi_cdb_lba(const uint8_t *cdb);
uint32_t scsi_cdb_xfer_blocks(const uint8_t *cdb);
/*
 * The CDB length of an operation code (6, 10, 12, 16), 0 for the groups
 * SPC reserves or leaves vendor-specific.
 */
unsigned scsi_cdb_length(uint8_t opcode);

/*
 * The firmware path of a SCSI unit (for bootindex): ADAPTER_PATH(its
 * adapter) + "/disk@ADDR"; NULL when dev is no SCSI unit or the adapter has
 * no path.
 */
char *scsi_unit_fw_path(DeviceState *dev, char *(*adapter_path)(DeviceState *adapter));

/*
 * -drive if=scsi: one unit per drive given for bus number busnr (unit N
 * becomes scsi-id N), scsi-cd for media=cdrom.  false + errp.
 */
bool scsi_bus_legacy_handle_cmdline(SCSIBus *bus, int busnr, Error **errp);

/*
 * Migration.  A unit carries vmstate_scsi_device (its unit attention, and
 * the number of its requests in flight, which must be 0: migration drains
 * the block layer first, so a stream with requests is refused); an adapter
 * carries its bus's unit attention (VMSTATE_STRUCT_POINTER(bus, ...,
 * vmstate_scsi_bus, SCSIBus)).
 */
extern const VMStateDescription vmstate_scsi_device;
extern const VMStateDescription vmstate_scsi_bus;

#endif
