/*
 * The machine interface: what a board (pseries, none, ...) gives the generic
 * front ends (the command line, QMP, qtest), so that none of them knows a board.
 */
#ifndef HW_BOARDS_H
#define HW_BOARDS_H

#include "qemu/osdep.h"
#include "qemu/option.h"
#include "sysemu/sysemu.h"

typedef struct MachineState MachineState;
typedef struct MachineClassOps MachineClassOps;

/* One machine type, as -machine help and query-machines show it. */
typedef struct MachineTypeInfo {
    const char *name;  /* "pseries-7.2" */
    const char *alias; /* "pseries", or NULL */
    const char *desc;
    bool is_default;
    const char *default_cpu_type; /* "power9_v2.0-powerpc64-cpu", or NULL */
    const char *default_ram_id;   /* the RAM backend's id ("ppc_spapr.ram") */
    unsigned cpu_max;
    bool hotpluggable_cpus;
    bool numa_mem_supported;
    /* -smp N fills sockets before cores (QEMU's machine types before 6.2) */
    bool smp_prefer_sockets;
} MachineTypeInfo;

/* What the command line asks of the machine, all checked before it is created. */
typedef struct MachineOptions {
    const char *type;   /* the versioned type ("pseries-7.2"), aliases resolved */
    void *props;        /* the board's -machine properties, from its parse_props */
    uint64_t ram_size;  /* bytes, from -m (default 512 MiB) */
    uint64_t maxmem;    /* -m maxmem=, or ram_size */
    uint64_t ram_slots; /* -m slots=: hot-pluggable memory modules */
    unsigned smp_cpus;  /* -smp */
    unsigned max_cpus;
    unsigned smp_sockets, smp_cores, smp_threads; /* the topology, all filled in */
    const char *cpu_model;                        /* -cpu, or NULL for the type's default */
    const char *bios;
    const char *kernel;
    const char *initrd;
    const char *append;
    int64_t rtc_offset;      /* -rtc base=: seconds added to host UTC */
    GPtrArray *serials;      /* struct Chardev *: the board's default consoles */
    const BootOptions *boot; /* -boot */
} MachineOptions;

/* One CPU as query-cpus-fast describes it. */
typedef struct MachineCpuInfo {
    int cpu_index;
    int core_id; /* the hot-pluggable unit it belongs to */
    int node_id;
    char *qom_path;     /* g_free it */
    const char *target; /* "ppc64" */
    int thread_id;      /* its host thread; 0: none (qtest runs no vCPU threads) */
} MachineCpuInfo;

/* One hot-pluggable CPU slot (a core on pseries), as query-hotpluggable-cpus shows it. */
typedef struct MachineCoreSlot {
    char *type; /* "power9_v2.0-spapr-cpu-core"; g_free it */
    unsigned vcpus_count;
    int core_id;
    int node_id;
    char *qom_path; /* the plugged core's path, NULL when the slot is empty; g_free it */
} MachineCoreSlot;

/* The argument and result registers of a hypercall after the opcode (r4..r12 on PAPR). */
#define MACHINE_HCALL_NARGS 9

/*
 * A board.  Optional hooks may be NULL (a board without CPUs has no
 * hypercalls).  Errors are one line in *err, allocated, for the caller to print.
 */
struct MachineClassOps {
    const char *name; /* the board family, "pseries" */

    /* ---- Types and properties (before anything is created) ---- */
    /* The board's machine types; *count of them. */
    const MachineTypeInfo *(*types)(size_t *count);
    /* -machine TYPE,help: the type's properties. */
    void (*print_props)(const char *type, FILE *out);
    /* Check and convert -machine properties (all but type and accel) once. */
    void *(*parse_props)(const char *type, QemuOpts *opts, char **err);
    /* Frees what parse_props returned when no machine is created with it (--preconfig quit). */
    void (*free_props)(void *props);

    /* ---- Life cycle ---- */
    /* Build the machine: RAM, CPUs, default devices, boot images.  Exits on error. */
    MachineState *(*create)(const MachineOptions *o);
    /* Back to power-on state (device tree, CPU entry state): every system reset. */
    void (*reset)(MachineState *m);

    /* Devices (-device) are the device core's (hw/qdev-core.h): the board makes the buses. */

    /* ---- CPUs ---- */
    unsigned (*cpu_count)(MachineState *m);
    /* The i-th CPU, for query-cpus-fast. */
    void (*cpu_info)(MachineState *m, unsigned i, MachineCpuInfo *info);
    /* Hot-pluggable slots (0: the machine type has none), and the i-th, for QMP. */
    unsigned (*core_slots)(MachineState *m);
    void (*core_slot)(MachineState *m, unsigned i, MachineCoreSlot *slot);
    /* Start the vCPU threads; they run while the VM runs. */
    void (*cpus_start)(MachineState *m);

    /* ---- Firmware interfaces, for qtest ---- */
    /* Hypercall opcode from the first CPU: args in, outputs out; returns r3. */
    uint64_t (*hcall)(MachineState *m, uint64_t opcode, uint64_t args[MACHINE_HCALL_NARGS]);
    /* RTAS service name with an argument block in guest memory; returns its status. */
    uint64_t (*rtas)(MachineState *m, const char *name, uint32_t nargs, uint64_t args,
                     uint32_t nret, uint64_t rets);

    /*
     * Migration (migration/): the machine's own section, and one for present
     * CPU i (the cpu_info order).  A load checks everything before it changes
     * anything: false + errp.  NULL: the machine cannot be migrated.
     */
    void (*state_save)(MachineState *m, GByteArray *out);
    bool (*state_load)(MachineState *m, const uint8_t *buf, size_t len, struct Error **errp);
    void (*cpu_state_save)(MachineState *m, unsigned i, GByteArray *out);
    bool (*cpu_state_load)(MachineState *m, unsigned i, const uint8_t *buf, size_t len,
                           struct Error **errp);
    /*
     * The machine's large tables, sent ahead of its section (pre-copy, while
     * the guest runs) and again where they changed.  Big lock held for the
     * first three.  state_iter_begin: all of them are to be sent (a new
     * stream); state_iter_save: append one part of at most about max bytes
     * of what changed since it was sent, false when nothing is left;
     * state_iter_pending: bytes still to send (an upper bound);
     * state_iter_load: one part, on the incoming side (any thread, before
     * state_load, which checks that the parts make a whole).  NULL: none.
     */
    void (*state_iter_begin)(MachineState *m);
    bool (*state_iter_save)(MachineState *m, GByteArray *out, size_t max);
    uint64_t (*state_iter_pending)(MachineState *m);
    bool (*state_iter_load)(MachineState *m, const uint8_t *buf, size_t len, struct Error **errp);
};

/* The part of every board's state the front ends see (first member of the board's state). */
struct MachineState {
    const MachineClassOps *ops;
    const char *type;  /* "pseries-7.2" */
    uint64_t ram_size; /* -m, bytes */
};

/* The machine being run; NULL before machine_create(). */
extern MachineState *current_machine;

/* A board registers itself from a module_init() function. */
void machine_register(const MachineClassOps *ops);
/* The board that builds machine type name (or alias), and the versioned name; NULL. */
const MachineClassOps *machine_find(const char *name, const char **type);
/* The type info of a versioned type name (from machine_find), or NULL. */
const MachineTypeInfo *machine_type_info(const char *type);
/* The default machine type ("pseries-7.2"). */
const char *machine_default_type(void);
/* Call fn for every machine type of every board, in registration order. */
void machine_foreach_type(void (*fn)(const MachineTypeInfo *t, void *opaque), void *opaque);
/* "-machine help": every type, sorted, QEMU's format. */
void machine_print_list(FILE *out);
/*
 * The properties every machine type takes (append, dumpdtb, usb...), for
 * -machine TYPE,help: adds "  name=<type>  - description" lines to lines.
 */
void machine_generic_props_help(GPtrArray *lines);
/* True when name is one of those generic properties. */
bool machine_generic_prop_known(const char *name);
/* Print "TYPE-machine options:" and lines sorted as QEMU does. */
void machine_print_props(const char *type, GPtrArray *lines, FILE *out);
/*
 * Build the machine with ops (exits on error), make it current_machine and
 * register its reset.
 */
MachineState *machine_create(const MachineClassOps *ops, const MachineOptions *o);

#endif
