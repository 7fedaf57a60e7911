/*
 * The pseries machine's typed properties and capabilities (-machine pseries,cap-htm=off,...)
 * and the versioned machine types (pseries-7.2 ... pseries-2.1) that give their defaults.
 */
#ifndef HW_PPC_SPAPR_CAPS_H
#define HW_PPC_SPAPR_CAPS_H

#include "qemu/osdep.h"
#include "qemu/option.h"

typedef struct SpaprMachineState SpaprMachineState;
typedef struct PowerPCCPU PowerPCCPU;

/* cap-cfpc, cap-sbbc, cap-ibs: how a speculation side channel is handled. */
typedef enum SpaprCapMode {
    SPAPR_CAP_BROKEN,
    SPAPR_CAP_WORKAROUND,
    SPAPR_CAP_FIXED,
    /* cap-ibs only: how indirect branch speculation is fixed */
    SPAPR_CAP_FIXED_IBS, /* bcctr is serialising */
    SPAPR_CAP_FIXED_CCD, /* the count cache is disabled */
    SPAPR_CAP_FIXED_NA,  /* the processor is not affected */
} SpaprCapMode;

/*
 * ic-mode: the interrupt controller(s) the partition is offered.  DUAL lets
 * the guest choose at CAS time; it becomes XICS when the processor (or
 * max-cpu-compat) is older than POWER9.  LEGACY is XICS as pseries-3.0 and
 * older number their interrupts; those machines refuse ic-mode.
 */
typedef enum SpaprIcMode {
    SPAPR_IC_MODE_XICS,
    SPAPR_IC_MODE_XIVE,
    SPAPR_IC_MODE_DUAL,
    SPAPR_IC_MODE_LEGACY,
} SpaprIcMode;

/* resize-hpt: whether the guest may resize its hashed page table. */
typedef enum SpaprResizeHpt {
    SPAPR_RESIZE_HPT_DEFAULT,
    SPAPR_RESIZE_HPT_DISABLED,
    SPAPR_RESIZE_HPT_ENABLED,
    SPAPR_RESIZE_HPT_REQUIRED,
} SpaprResizeHpt;

/* Processor compatibility levels (PAPR logical PVRs), max-cpu-compat= */
#define SPAPR_PVR_COMPAT_2_05 0x0f000002      /* POWER6 */
#define SPAPR_PVR_COMPAT_2_06 0x0f000003      /* POWER7 */
#define SPAPR_PVR_COMPAT_2_06_PLUS 0x0f100003 /* POWER7+ */
#define SPAPR_PVR_COMPAT_2_07 0x0f000004      /* POWER8 */
#define SPAPR_PVR_COMPAT_3_00 0x0f000005      /* POWER9 */
#define SPAPR_PVR_COMPAT_3_10 0x0f000006      /* POWER10 */

/*
 * Every -machine property of pseries, typed.  The machine holds the
 * effective values (version defaults, adjusted for the CPU, then the
 * command line) in spapr->caps; nothing re-reads option strings.
 */
typedef struct SpaprCaps {
    /* cap-*: what the partition is offered, in QEMU's capability order */
    bool htm;                    /* cap-htm: transactional memory */
    bool vsx;                    /* cap-vsx */
    bool dfp;                    /* cap-dfp: decimal floating point */
    SpaprCapMode cfpc;           /* cap-cfpc: cache flush on privilege change */
    SpaprCapMode sbbc;           /* cap-sbbc: speculation barrier bounds checking */
    SpaprCapMode ibs;            /* cap-ibs: indirect branch speculation */
    unsigned hpt_max_page_shift; /* cap-hpt-max-page-size, log2 bytes */
    bool nested_hv;              /* cap-nested-hv */
    bool large_decr;             /* cap-large-decr: LPCR[LD], ibm,dec-bits */
    bool ccf_assist;             /* cap-ccf-assist: count cache flush assist */
    bool fwnmi;                  /* cap-fwnmi: firmware-assisted NMI */
    bool rpt_invalidate;         /* cap-rpt-invalidate: H_RPT_INVALIDATE */

    /* Machine properties */
    SpaprIcMode ic_mode;
    SpaprResizeHpt resize_hpt;
    uint32_t max_compat_pvr; /* max-cpu-compat, 0 when not given */
    bool x_vof;              /* the built-in Open Firmware client interface */
    bool modern_hotplug_events;
    bool suppress_vmdesc;
    bool usb;
    bool dump_guest_core;
    bool mem_merge;
    bool graphics;
    uint32_t vsmt;
    int64_t phandle_start;
    unsigned nvdimm_persistence; /* 0 cpu, 1 mem-ctrl (when given) */
    char *kvm_type;
    char *host_model;
    char *host_serial;
    char *kernel_irqchip; /* an accelerator property: accepted, unused by TCG */
    char *dt_compatible;  /* NULL: "qemu,pseries" */
    char *kernel, *initrd, *append, *firmware, *dtb, *dumpdtb;

    uint64_t given; /* bit i: property i of the table came from the command line */
} SpaprCaps;

/* One machine type: QEMU 7.2's pseries-X.Y, see spapr_caps.c for the chain. */
typedef struct SpaprVersion SpaprVersion;

/* The versioned type a name stands for ("pseries" is the newest), or NULL. */
const SpaprVersion *spapr_version_find(const char *name);
const char *spapr_version_name(const SpaprVersion *v);
/* X * 100 + Y for pseries-X.Y (pseries-2.12-sxxm: 212). */
unsigned spapr_version_number(const SpaprVersion *v);
/* The CPU model QEMU's machine type defaults to ("power9_v2.0"). */
const char *spapr_version_default_cpu(const SpaprVersion *v);
bool spapr_version_hotpluggable_cpus(const SpaprVersion *v);
bool spapr_version_numa_mem_supported(const SpaprVersion *v);
/* Call fn for every machine type, newest first. */
void spapr_version_foreach(void (*fn)(const SpaprVersion *v, void *opaque), void *opaque);

/*
 * Parse -machine properties (all but "type" and "accel") for machine type v
 * into user: the values given, with their bits in user->given.  false and
 * *err (one line, QEMU's text) on an unknown property or a bad value.
 */
bool spapr_caps_parse(SpaprCaps *user, const SpaprVersion *v, QemuOpts *opts, char **err);
/* The defaults of machine type v, before the CPU is known. */
void spapr_caps_defaults(SpaprCaps *caps, const SpaprVersion *v);
/*
 * The effective values: v's defaults, those the CPU cannot have turned off
 * (cpu_max_pvr: the highest logical PVR the CPU model runs, then capped by
 * max-cpu-compat), then the user's values on top.
 */
void spapr_caps_resolve(SpaprCaps *eff, const SpaprVersion *v, const SpaprCaps *user,
                        uint32_t cpu_max_pvr);
/* The highest compatibility level of a CPU model by QEMU name, 0 if unknown. */
uint32_t spapr_caps_cpu_max_pvr(const char *cpu_model_name);
/*
 * Run the machine hooks on spapr->caps: refuse what cannot be emulated, warn
 * as QEMU does.  false + *err.  _create: the ones QEMU 7.2 runs while it
 * builds the machine (after the memory checks); _reset: the others, at every
 * machine reset (the TCG warnings repeat at each system_reset, as QEMU's),
 * with *hint (if hint) the line QEMU prints after the error, or NULL;
 * spapr_caps_apply: both.
 */
bool spapr_caps_apply_create(SpaprMachineState *spapr, char **err);
bool spapr_caps_apply_reset(SpaprMachineState *spapr, char **err, const char **hint);
bool spapr_caps_apply(SpaprMachineState *spapr, char **err);
/* Per-CPU hooks, at every CPU reset: hash page sizes, LPCR[LD]. */
void spapr_caps_apply_cpu(const SpaprCaps *caps, PowerPCCPU *cpu);
/* Copy (deep) and free the strings of a caps struct. */
void spapr_caps_copy(SpaprCaps *dst, const SpaprCaps *src);
void spapr_caps_free(SpaprCaps *caps);
/* "-machine pseries-X.Y,help": the listed properties, sorted by name. */
void spapr_caps_print_help(const SpaprVersion *v, FILE *out);

#endif
