/*
 * VOF: the built-in Open Firmware client interface (IEEE 1275 services on a
 * flattened device tree), shared by the pseries machine and its unit tests.
 */
#ifndef HW_PPC_VOF_H
#define HW_PPC_VOF_H

#include "qemu/osdep.h"

/* The client interface's failure value: the cell -1. */
#define VOF_ERROR 0xffffffffu

/* An argument block holds at most this many argument and result cells. */
#define VOF_MAX_CELLS 10
/* Longest service name, property name, path and method the client may pass (with the NUL). */
#define VOF_MAX_SERVICE 64
#define VOF_MAX_PROPNAME 64
#define VOF_MAX_PATH 256
#define VOF_MAX_METHOD 256
/* setprop accepts values up to this size. */
#define VOF_MAX_SETPROPLEN 2048
/* What the firmware keeps at the bottom of RAM (QEMU's vof.bin is this big) and its stack. */
#define VOF_FW_SIZE 0xda0
#define VOF_STACK_SIZE 0x8000

typedef struct Vof Vof;

/* A claimed range of memory (real addresses). */
typedef struct VofClaim {
    uint64_t start;
    uint64_t size;
} VofClaim;

/* An open device instance: what its ihandle names. */
typedef struct VofInstance {
    uint32_t phandle;
    char *path;
} VofInstance;

/*
 * What the machine does for the firmware.  Every hook is optional: a NULL
 * hook makes the service fail with VOF_ERROR (setprop: accepted).
 */
typedef struct VofMachineOps {
    /* setprop on the node at path: false to refuse (nothing is stored then). */
    bool (*setprop)(Vof *vof, const char *path, const char *name, const void *val, uint32_t len);
    /* Output to the device at path: the bytes taken, or -1. */
    int64_t (*write)(Vof *vof, const char *path, const uint8_t *buf, uint32_t len);
    /* Input from the device at path: the bytes read (0: none waiting), or -1. */
    int64_t (*read)(Vof *vof, const char *path, uint8_t *buf, uint32_t len);
    /*
     * call-method "ibm,client-architecture-support" on the root: the vector
     * at vec; returns the method's result (0: success) and may replace the
     * tree with vof_adopt_tree().
     */
    uint32_t (*cas)(Vof *vof, uint32_t vec);
    /* call-method "instantiate-rtas" on /rtas: place RTAS at base; false if it does not fit. */
    bool (*instantiate_rtas)(Vof *vof, uint32_t base, uint32_t *entry);
    /* Virtual milliseconds since the machine started. */
    uint32_t (*milliseconds)(Vof *vof);
    /* The client is about to take over the machine. */
    void (*quiesce)(Vof *vof);
    /* "exit": the client gives up; "boot": it asks for a new boot. */
    void (*exit)(Vof *vof);
    void (*boot)(Vof *vof, const char *bootspec);
} VofMachineOps;

struct Vof {
    const VofMachineOps *ops;
    void *opaque; /* the machine */

    /* The tree served: a buffer of fdt_bufsize bytes with room for setprop. */
    void *fdt;
    uint32_t fdt_bufsize;
    bool quiesced;

    /* Claimed memory, sorted by start; claims are searched from claimed_base. */
    GArray *claimed; /* of VofClaim */
    uint64_t claimed_base;
    /* Aligned claims stay below this (the real mode area, at most 4 GiB). */
    uint64_t top_addr;
    /* Explicit claims stay below this (RAM, at most 4 GiB: addresses are cells). */
    uint64_t ram_top;

    /* The firmware's stack (VOF_STACK_SIZE bytes), claimed at start. */
    uint64_t stack;

    /* ihandle -> VofInstance; ihandles count up from 1 and are not reused. */
    GHashTable *instances;
    uint32_t last_ihandle;

    /* "bootargs" as the client set it, kept across a tree rebuild; NULL: the tree's. */
    char *bootargs;
    /* The path of the node /chosen "stdout" opens at every (re)build; NULL: none. */
    char *stdout_path;
};

/*
 * (Re)start the firmware: forget instances and claims.  ram_top and
 * top_addr bound claims as above (both capped at 4 GiB here).
 */
void vof_init(Vof *vof, const VofMachineOps *ops, void *opaque, uint64_t ram_top,
              uint64_t top_addr);
void vof_cleanup(Vof *vof);

/*
 * Serve tree fdt (a valid flattened tree, not freed here): copied into a
 * buffer with room for the client's changes, every node given a phandle
 * (counting up from the largest one present), /memory@0 "available" from
 * the claims, "bootargs" as the client set it, /chosen "stdout" an ihandle
 * of stdout_path.  Used at reset and when the machine rebuilds the tree
 * (CAS).  False if the tree is unusable (vof->fdt unchanged).
 */
bool vof_adopt_tree(Vof *vof, const void *fdt);

/*
 * One client-interface call: the argument block at args (big-endian cells:
 * service name address, nargs, nret, arguments, results).  False when the
 * block cannot be read or written, or its counts are impossible: nothing is
 * written then.  Otherwise the results (the first is the service's status,
 * VOF_ERROR for an unknown service or bad arguments) are stored.
 */
bool vof_client_call(Vof *vof, uint64_t args);

/* ---- Pieces the services share (hw/ppc/vof*.c) --------------------------- */

/*
 * Claim [virt, virt + size), or with align != 0 the first fit from
 * claimed_base: the address, or VOF_CLAIM_FAILED.
 */
#define VOF_CLAIM_FAILED UINT64_MAX
uint64_t vof_claim(Vof *vof, uint64_t virt, uint64_t size, uint64_t align);
/* Release a range exactly as claimed: 0 or VOF_ERROR. */
uint32_t vof_release(Vof *vof, uint64_t virt, uint64_t size);
/* Rewrite /memory@0 "available": the gaps between claims up to the end of its "reg". */
void vof_update_available(Vof *vof);

/* Open the node at path: a new ihandle, or VOF_ERROR. */
uint32_t vof_open_path(Vof *vof, const char *path);
VofInstance *vof_instance(Vof *vof, uint32_t ihandle);

/* Node offset of a phandle, of a path (unit addresses in any case), or < 0. */
int vof_node_of_phandle(Vof *vof, uint32_t phandle);
int vof_node_of_path(Vof *vof, const char *path);
/* The full path of node offset into buf: its length with the NUL, or < 0. */
int vof_node_path(Vof *vof, int offset, char *buf, int size);

/*
 * The full path of node offset into the client's buffer, at most buflen
 * bytes: its length without the NUL, or VOF_ERROR.
 */
uint32_t vof_node_to_client_path(Vof *vof, int node, uint32_t buf, uint32_t buflen);

/* A NUL-terminated guest string of at most size bytes (with the NUL) into buf. */
bool vof_read_string(uint64_t addr, char *buf, size_t size);

/*
 * The services.  Each takes the argument cells and fills the results after
 * the first (rets[0] is the second result); it returns the first result.
 */
typedef uint32_t (*VofServiceFn)(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                                 uint32_t nret);
uint32_t vof_finddevice(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                        uint32_t nret);
uint32_t vof_getprop(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets, uint32_t nret);
uint32_t vof_getproplen(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                        uint32_t nret);
uint32_t vof_setprop(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets, uint32_t nret);
uint32_t vof_nextprop(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                      uint32_t nret);
uint32_t vof_peer(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets, uint32_t nret);
uint32_t vof_child(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets, uint32_t nret);
uint32_t vof_parent(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets, uint32_t nret);
uint32_t vof_package_to_path(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                             uint32_t nret);
uint32_t vof_canon(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets, uint32_t nret);
uint32_t vof_claim_service(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                           uint32_t nret);
uint32_t vof_release_service(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                             uint32_t nret);

/* ---- The pseries machine with x-vof=on (hw/ppc/vof_spapr.c) ------------- */

typedef struct SpaprMachineState SpaprMachineState;
/*
 * At machine reset, after the tree is built: claims, the tree served (it
 * replaces spapr->fdt_blob), the guest stub at 0.
 */
void spapr_vof_reset(SpaprMachineState *spapr);
/* After the CPUs' reset: CPU 0's entry state for the stub. */
void spapr_vof_setup_cpu(SpaprMachineState *spapr);

#endif
