/*
 * The pseries machine: machine types and properties, RAM, CPUs, the VIO bus
 * and consoles, boot images, -device, and the reset that builds the device
 * tree and points CPU 0 at it.
 */
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_rtas.h"
#include "hw/ppc/spapr_vio.h"
#include "hw/loader.h"
#include "exec/guest-memory.h"
#include "qemu/error-report.h"
#include "qemu/module.h"
#include "qemu/units.h"
#include "sysemu/runstate.h"
#include "target/ppc/mmu-hash64.h"
#include <libfdt.h>

/* RAM is handed out to partitions in logical memory blocks of 256 MiB. */
#define SPAPR_MEMORY_BLOCK_SIZE (256 * MiB)
/* The boot firmware needs this much real-mode memory. */
#define SPAPR_MIN_RMA (128 * MiB)
/* The device tree stays below 2 GiB so 32-bit real-mode code can read it. */
#define FDT_MAX_ADDR (2 * GiB)
#define FDT_MAX_SIZE SPAPR_FDT_MAX_SIZE
/* Room kept below the device tree for the RTAS stub and its error log. */
#define RTAS_MAX_SIZE (64 * KiB)
#define RTAS_ERROR_LOG_SIZE 2048
/* Kernel and initrd must leave this much below the top of the RMA. */
#define FW_OVERHEAD 0x2800000

#define SPAPR_DEFAULT_TYPE "pseries-7.2"
#define SPAPR_DESC "pSeries Logical Partition (PAPR compliant)"

/* ---- Machine types ---------------------------------------------------- */

static const MachineTypeInfo spapr_types[] = {
    { "pseries-2.1", NULL, SPAPR_DESC, false },
    { "pseries-2.10", NULL, SPAPR_DESC, false },
    { "pseries-2.11", NULL, SPAPR_DESC, false },
    { "pseries-2.12", NULL, SPAPR_DESC, false },
    { "pseries-2.12-sxxm", NULL, SPAPR_DESC, false },
    { "pseries-2.2", NULL, SPAPR_DESC, false },
    { "pseries-2.3", NULL, SPAPR_DESC, false },
    { "pseries-2.4", NULL, SPAPR_DESC, false },
    { "pseries-2.5", NULL, SPAPR_DESC, false },
    { "pseries-2.6", NULL, SPAPR_DESC, false },
    { "pseries-2.7", NULL, SPAPR_DESC, false },
    { "pseries-2.8", NULL, SPAPR_DESC, false },
    { "pseries-2.9", NULL, SPAPR_DESC, false },
    { "pseries-3.0", NULL, SPAPR_DESC, false },
    { "pseries-3.1", NULL, SPAPR_DESC, false },
    { "pseries-4.0", NULL, SPAPR_DESC, false },
    { "pseries-4.1", NULL, SPAPR_DESC, false },
    { "pseries-4.2", NULL, SPAPR_DESC, false },
    { "pseries-5.0", NULL, SPAPR_DESC, false },
    { "pseries-5.1", NULL, SPAPR_DESC, false },
    { "pseries-5.2", NULL, SPAPR_DESC, false },
    { "pseries-6.0", NULL, SPAPR_DESC, false },
    { "pseries-6.1", NULL, SPAPR_DESC, false },
    { "pseries-6.2", NULL, SPAPR_DESC, false },
    { "pseries-7.0", NULL, SPAPR_DESC, false },
    { "pseries-7.1", NULL, SPAPR_DESC, false },
    { SPAPR_DEFAULT_TYPE, "pseries", SPAPR_DESC, true },
    { "none", NULL, "empty machine", false },
};

const MachineTypeInfo *spapr_machine_types(size_t *count)
{
    *count = ARRAY_SIZE(spapr_types);
    return spapr_types;
}

static gint machine_info_cmp(gconstpointer a, gconstpointer b)
{
    const MachineTypeInfo *ma = *(const MachineTypeInfo *const *)a;
    const MachineTypeInfo *mb = *(const MachineTypeInfo *const *)b;

    return strcmp(ma->name, mb->name);
}

/* QEMU's format: sorted by name, an alias on its own line before its type. */
void spapr_machine_list(FILE *out)
{
    g_autoptr(GPtrArray) sorted = g_ptr_array_new();

    for (size_t i = 0; i < ARRAY_SIZE(spapr_types); i++) {
        g_ptr_array_add(sorted, (gpointer)&spapr_types[i]);
    }
    g_ptr_array_sort(sorted, machine_info_cmp);
    fprintf(out, "Supported machines are:\n");
    for (guint i = 0; i < sorted->len; i++) {
        const MachineTypeInfo *m = g_ptr_array_index(sorted, i);

        if (m->alias) {
            fprintf(out, "%-20s %s (alias of %s)\n", m->alias, m->desc, m->name);
        }
        fprintf(out, "%-20s %s%s\n", m->name, m->desc, m->is_default ? " (default)" : "");
    }
}

/* The versioned type a name stands for, or NULL ("none" is not ours). */
static const char *spapr_type_resolve(const char *name)
{
    for (size_t i = 0; name && i < ARRAY_SIZE(spapr_types); i++) {
        const MachineTypeInfo *m = &spapr_types[i];

        if (!strcmp(m->name, "none")) {
            continue;
        }
        if (!strcmp(m->name, name) || (m->alias && !strcmp(m->alias, name))) {
            return m->name;
        }
    }
    return NULL;
}

bool spapr_machine_type_valid(const char *name)
{
    return spapr_type_resolve(name) != NULL;
}

/* ---- Machine properties ----------------------------------------------- */

typedef enum PropKind {
    PROP_BOOL,
    PROP_STR, /* any string */
    PROP_INT, /* signed integer */
    PROP_UINT32,
    PROP_SIZE,     /* a power-of-two size (cap-hpt-max-page-size) */
    PROP_CAP_MODE, /* broken / workaround / fixed */
    PROP_CAP_IBS,  /* broken / workaround / fixed-ibs / fixed-ccd / fixed-na */
    PROP_ENUM,     /* one of prop->values */
    PROP_COMPAT,   /* a max-cpu-compat level */
    PROP_OBJECT,   /* structured: not settable as key=value */
    PROP_LINK,     /* names an object we cannot create */
    PROP_NVDIMM,   /* cpu / mem-ctrl */
} PropKind;

typedef struct MachineProp {
    const char *name;
    PropKind kind;
    const char *type; /* for -machine pseries,help; NULL: not listed */
    const char *desc;
    /*
     * PROP_ENUM: "a|b|c"; PROP_LINK: the error format; PROP_BOOL: the error
     * for "on" when we cannot emulate the feature.
     */
    const char *values;
} MachineProp;

static const MachineProp machine_props[] = {
    { "append", PROP_STR, "string", "Linux kernel command line" },
    { "boot", PROP_OBJECT, "BootConfiguration", "Boot configuration" },
    { "cap-ccf-assist", PROP_BOOL, "bool", "Count Cache Flush Assist via HW Instruction" },
    { "cap-cfpc", PROP_CAP_MODE, "string",
      "Cache Flush on Privilege Change (broken, workaround, fixed)" },
    { "cap-dfp", PROP_BOOL, "bool", "Allow Decimal Floating Point (DFP)" },
    { "cap-fwnmi", PROP_BOOL, "bool", "Implements PAPR FWNMI option" },
    { "cap-hpt-max-page-size", PROP_SIZE, "int", "Maximum page size for Hash Page Table guests" },
    { "cap-htm", PROP_BOOL, "bool", "Allow Hardware Transactional Memory (HTM)",
      "No Transactional Memory support in TCG" },
    { "cap-ibs", PROP_CAP_IBS, "string",
      "Indirect Branch Speculation (broken, workaround, fixed-ibs,fixed-ccd, "
      "fixed-na)" },
    { "cap-large-decr", PROP_BOOL, "bool", "Allow Large Decrementer" },
    { "cap-nested-hv", PROP_BOOL, "bool", "Allow Nested KVM-HV" },
    { "cap-rpt-invalidate", PROP_BOOL, "bool", "Allow H_RPT_INVALIDATE",
      "No H_RPT_INVALIDATE support in TCG" },
    { "cap-sbbc", PROP_CAP_MODE, "string",
      "Speculation Barrier Bounds Checking (broken, workaround, fixed)" },
    { "cap-vsx", PROP_BOOL, "bool", "Allow Vector Scalar Extensions (VSX)" },
    { "confidential-guest-support", PROP_LINK, "link<confidential-guest-support>",
      "Set confidential guest scheme to support", "Device '%s' not found" },
    { "dt-compatible", PROP_STR, "string",
      "Overrides the \"compatible\" property of the dt root node" },
    { "dtb", PROP_STR, "string", "Linux kernel device tree file" },
    { "dump-guest-core", PROP_BOOL, "bool", "Include guest memory in a core dump" },
    { "dumpdtb", PROP_STR, "string", "Dump current dtb to a file and quit" },
    { "firmware", PROP_STR, "string", "Firmware image" },
    { "graphics", PROP_BOOL, "bool", "Set on/off to enable/disable graphics emulation" },
    { "initrd", PROP_STR, "string", "Linux initial ramdisk file" },
    { "kernel", PROP_STR, "string", "Linux kernel image file" },
    { "mem-merge", PROP_BOOL, "bool", "Enable/disable memory merge support" },
    { "memory-backend", PROP_LINK, "link<memory-backend>",
      "Set RAM backendValid value is ID of hostmem based backend",
      "Memory backend '%s' not found" },
    { "memory-encryption", PROP_LINK, "string", "Set memory encryption object to use",
      "No such memory encryption object '%s'" },
    { "memory", PROP_OBJECT, "MemorySizeConfiguration", "Memory size configuration" },
    { "phandle-start", PROP_INT, "int", "The first phandle ID we may generate dynamically" },
    { "smp", PROP_OBJECT, "SMPConfiguration", "CPU topology" },
    { "suppress-vmdesc", PROP_BOOL, "bool", "Set on to disable self-describing migration" },
    { "usb", PROP_BOOL, "bool", "Set on/off to enable/disable usb" },
    /* Instance properties: accepted, not listed by -machine pseries,help */
    { "ic-mode", PROP_ENUM, NULL, NULL, "xics|xive|dual" },
    { "resize-hpt", PROP_ENUM, NULL, NULL, "default|disabled|enabled|required" },
    { "max-cpu-compat", PROP_COMPAT },
    { "vsmt", PROP_UINT32 },
    { "modern-hotplug-events", PROP_BOOL },
    { "x-vof", PROP_BOOL },
    { "kvm-type", PROP_STR },
    { "host-model", PROP_STR },
    { "host-serial", PROP_STR },
    { "kernel-irqchip", PROP_ENUM, NULL, NULL, "on|off|split" },
    { "nvdimm-persistence", PROP_NVDIMM },
};

void spapr_machine_list_props(FILE *out)
{
    fprintf(out, "%s-machine options:\n", SPAPR_DEFAULT_TYPE);
    for (size_t i = 0; i < ARRAY_SIZE(machine_props); i++) {
        const MachineProp *p = &machine_props[i];
        g_autofree char *left = NULL;

        if (!p->type) {
            continue;
        }
        left = g_strdup_printf("%s=<%s>", p->name, p->type);
        fprintf(out, "  %-22s - %s\n", left, p->desc);
    }
}

static const MachineProp *machine_prop_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(machine_props); i++) {
        if (!strcmp(machine_props[i].name, name)) {
            return &machine_props[i];
        }
    }
    return NULL;
}

/* Processor compatibility levels (PAPR "logical PVR"s) by name. */
typedef struct CompatLevel {
    const char *name;
    uint32_t pvr;
} CompatLevel;

#define PVR_COMPAT_2_05 0x0f000002 /* POWER6 */
#define PVR_COMPAT_2_06 0x0f000003 /* POWER7 */
#define PVR_COMPAT_2_07 0x0f000004 /* POWER8 */
#define PVR_COMPAT_3_00 0x0f000005 /* POWER9 */
#define PVR_COMPAT_3_10 0x0f000006 /* POWER10 */

static const CompatLevel compat_levels[] = {
    { "power6", PVR_COMPAT_2_05 }, { "power7", PVR_COMPAT_2_06 }, { "power7+", PVR_COMPAT_2_06 },
    { "power8", PVR_COMPAT_2_07 }, { "power9", PVR_COMPAT_3_00 }, { "power10", PVR_COMPAT_3_10 },
};

static const CompatLevel *compat_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(compat_levels); i++) {
        if (!strcmp(compat_levels[i].name, name)) {
            return &compat_levels[i];
        }
    }
    return NULL;
}

static bool enum_has(const char *values, const char *v)
{
    g_auto(GStrv) list = g_strsplit(values, "|", -1);

    return g_strv_contains((const char *const *)list, v);
}

static bool check_bool(const MachineProp *p, const char *v, char **err)
{
    bool b;

    if (!qemu_parse_bool(v, &b)) {
        *err = g_strdup_printf("Parameter '%s' expects 'on' or 'off'", p->name);
        return false;
    }
    if (b && p->values) {
        *err = g_strdup(p->values);
        return false;
    }
    return true;
}

static bool check_int(const MachineProp *p, const char *v, char **err)
{
    uint64_t n;
    bool neg = v[0] == '-';

    if (!qemu_strtou64(neg ? v + 1 : v, &n)) {
        *err = g_strdup_printf("Parameter '%s' expects integer", p->name);
        return false;
    }
    if (p->kind == PROP_UINT32 && (neg || n > UINT32_MAX)) {
        *err = g_strdup_printf("Parameter '%s' expects uint32_t", p->name);
        return false;
    }
    if (p->kind == PROP_INT && n > (neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX)) {
        *err = g_strdup_printf("Parameter '%s' expects int64", p->name);
        return false;
    }
    return true;
}

static bool check_size(const MachineProp *p, const char *v, char **err)
{
    uint64_t n;

    if (!qemu_strtosz(v, 1, &n)) {
        *err = g_strdup_printf("Parameter '%s' expects size", p->name);
        return false;
    }
    if (n == 0 || (n & (n - 1))) {
        *err = g_strdup_printf("%s must be a power of 2", p->name);
        return false;
    }
    /* Too small a size is refused (or warned about) with the CPUs: spapr_apply_hpt_page_size */
    return true;
}

static bool check_cap_mode(const MachineProp *p, const char *v, char **err)
{
    static const char *const modes[] = { "broken", "workaround", "fixed" };
    static const char *const ibs[] = { "broken", "workaround", "fixed-ibs", "fixed-ccd",
                                       "fixed-na" };
    const char *const *list = p->kind == PROP_CAP_IBS ? ibs : modes;
    size_t n = p->kind == PROP_CAP_IBS ? ARRAY_SIZE(ibs) : ARRAY_SIZE(modes);

    for (size_t i = 0; i < n; i++) {
        if (!g_ascii_strcasecmp(list[i], v)) {
            return true;
        }
    }
    *err = g_strdup_printf("Invalid capability mode \"%s\" for %s", v, p->name);
    return false;
}

/* Check one property's value; the messages are QEMU's. */
static bool machine_prop_check(const MachineProp *p, const char *v, char **err)
{
    switch (p->kind) {
    case PROP_BOOL:
        return check_bool(p, v, err);
    case PROP_STR:
        return true;
    case PROP_INT:
    case PROP_UINT32:
        return check_int(p, v, err);
    case PROP_SIZE:
        return check_size(p, v, err);
    case PROP_CAP_MODE:
    case PROP_CAP_IBS:
        return check_cap_mode(p, v, err);
    case PROP_ENUM:
        if (!enum_has(p->values, v)) {
            *err = g_strdup_printf("Bad value for \"%s\" property", p->name);
            return false;
        }
        return true;
    case PROP_COMPAT:
        if (!compat_find(v)) {
            *err = g_strdup_printf("Invalid compatibility mode \"%s\"", v);
            return false;
        }
        return true;
    case PROP_OBJECT:
        *err = g_strdup_printf("Invalid parameter type for '%s', expected: "
                               "object",
                               p->name);
        return false;
    case PROP_LINK:
        *err = g_strdup_printf(p->values, v);
        return false;
    case PROP_NVDIMM:
        if (strcmp(v, "cpu") && strcmp(v, "mem-ctrl")) {
            *err = g_strdup_printf("-machine nvdimm-persistence=%s: "
                                   "unsupported option",
                                   v);
            return false;
        }
        return true;
    }
    return false;
}

bool spapr_machine_check_opts(QemuOpts *opts, char **err)
{
    const char *type = spapr_type_resolve(qemu_opt_get(opts, "type"));

    if (!type) {
        type = SPAPR_DEFAULT_TYPE;
    }
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);
        const MachineProp *p;

        if (!strcmp(opt->name, "type") || !strcmp(opt->name, "accel")) {
            continue;
        }
        p = machine_prop_find(opt->name);
        if (!p) {
            *err = g_strdup_printf("Property '%s-machine.%s' not found", type, opt->name);
            return false;
        }
        if (!machine_prop_check(p, opt->value, err)) {
            return false;
        }
        opt->used = true;
    }
    return true;
}

/* ---- Building the machine --------------------------------------------- */

static const char *machine_prop(SpaprMachineState *spapr, const char *name)
{
    return g_hash_table_lookup(spapr->props, name);
}

static bool machine_prop_on(SpaprMachineState *spapr, const char *name)
{
    const char *v = machine_prop(spapr, name);
    bool b = false;

    return v && qemu_parse_bool(v, &b) && b;
}

/* The largest compatibility level a processor model can run in. */
static uint32_t cpu_max_compat(const PowerPCCPUModel *model)
{
    return model->has_radix ? PVR_COMPAT_3_00 : PVR_COMPAT_2_07;
}

/*
 * cap-hpt-max-page-size: the largest hash MMU page the partition may use.
 * QEMU 7.2's default is 64 KiB, 16 GiB (all sizes) up to pseries-2.12.
 * Checked as QEMU applies its capabilities, after the memory checks:
 * below 4 KiB is an error, below 64 KiB a warning.  The CPUs' page size
 * tables (and so ibm,segment-page-sizes, slbmte, H_ENTER) follow it.
 */
static void spapr_apply_hpt_page_size(SpaprMachineState *spapr)
{
    const char *v = machine_prop(spapr, "cap-hpt-max-page-size");
    unsigned major, minor, shift = PPC_HASH64_DEFAULT_MAX_PAGE_SHIFT;
    uint64_t size;

    if (v && qemu_strtosz(v, 1, &size)) {
        shift = __builtin_ctzll(size);
        if (shift < 12) {
            error_exit("Require at least 4kiB hpt-max-page-size");
        }
        if (shift < 16) {
            warn_report("Many guests require at least 64kiB hpt-max-page-size");
        }
    } else if (sscanf(spapr->machine_name, "pseries-%u.%u", &major, &minor) == 2 &&
               major * 100 + minor < 300) {
        shift = 34;
    }
    for (unsigned i = 0; i < spapr->smp_cpus; i++) {
        ppc_hash64_set_max_page_shift(spapr->cpus[i], shift);
    }
}

/* Checks that need the CPU model: compat level and nested-HV. */
static void spapr_check_cpu_props(SpaprMachineState *spapr)
{
    const char *compat = machine_prop(spapr, "max-cpu-compat");

    if (compat && compat_find(compat)->pvr > cpu_max_compat(spapr->cpu_model)) {
        error_exit("Compatibility PVR 0x%08x not valid for CPU", compat_find(compat)->pvr);
    }
    if (machine_prop_on(spapr, "cap-nested-hv") && !spapr->cpu_model->has_radix) {
        error_exit("Nested-HV only supported on POWER9 and later");
    }
}

/*
 * The real mode area: what the guest can touch with translation off.  It is
 * all of RAM up to 1 TiB; hash-only processors (POWER8) reach 16 GiB.
 */
static hwaddr spapr_rma_size(uint64_t ram_size, const PowerPCCPUModel *model)
{
    hwaddr rma = MIN(ram_size, 1 * TiB);

    if (!model->has_radix) {
        rma = MIN(rma, 16 * GiB);
    }
    return rma;
}

static void spapr_check_memory(SpaprMachineState *spapr)
{
    if (spapr->rma_size < SPAPR_MIN_RMA) {
        error_exit("pSeries SLOF firmware requires >= %" PRId64 "MiB guest RMA "
                   "(Real Mode Area memory)",
                   SPAPR_MIN_RMA / MiB);
    }
    if (!QEMU_IS_ALIGNED(spapr->ram_size, SPAPR_MEMORY_BLOCK_SIZE)) {
        error_exit("Memory size 0x%" PRIx64 " is not aligned to 256 MiB", spapr->ram_size);
    }
    if (!QEMU_IS_ALIGNED(spapr->maxmem, SPAPR_MEMORY_BLOCK_SIZE)) {
        error_exit("Maximum memory size 0x%" PRIx64 " is not aligned to "
                   "256 MiB",
                   spapr->maxmem);
    }
}

/* Machine versions before 4.0 are POWER8 machines unless -cpu says otherwise (QEMU 7.2). */
static const PowerPCCPUModel *spapr_default_cpu_model(SpaprMachineState *spapr)
{
    unsigned major, minor;

    if (sscanf(spapr->machine_name, "pseries-%u.%u", &major, &minor) == 2 && major < 4) {
        return ppc_cpu_model_find("power8");
    }
    return ppc_cpu_model_default();
}

static void spapr_create_cpus(SpaprMachineState *spapr, const char *name)
{
    spapr->cpu_model = name ? ppc_cpu_model_find(name) : spapr_default_cpu_model(spapr);
    if (!spapr->cpu_model) {
        error_exit("unable to find CPU model '%s'", name);
    }
    spapr->cpus = g_new0(PowerPCCPU *, spapr->smp_cpus);
    for (unsigned i = 0; i < spapr->smp_cpus; i++) {
        spapr->cpus[i] = ppc_cpu_create(spapr->cpu_model, i);
        ppc_cpu_set_vhyp(spapr->cpus[i], (PPCVirtualHypervisor *)spapr, &spapr_vhyp_ops);
    }
}

static void spapr_create_consoles(SpaprMachineState *spapr, const MachineOptions *o)
{
    for (guint i = 0; o->serials && i < o->serials->len; i++) {
        char *err = NULL;

        if (!spapr_vty_create(spapr->vio_bus, g_ptr_array_index(o->serials, i), &err)) {
            error_exit("%s", err);
        }
    }
}

/* Kernels are linked at 0xc000...; QEMU loads them at 0x400000 upward. */
static uint64_t translate_kernel_address(void *opaque, uint64_t addr)
{
    return (addr & 0x0fffffff) + KERNEL_LOAD_ADDR;
}

/* The highest address a kernel or initrd may reach. */
static hwaddr spapr_load_limit(SpaprMachineState *spapr)
{
    return MIN(spapr->rma_size, FDT_MAX_ADDR) - FW_OVERHEAD;
}

static void spapr_load_kernel(SpaprMachineState *spapr)
{
    uint64_t entry, low, high;
    char *err = NULL;
    int64_t size;

    size = load_elf(spapr->kernel_filename, translate_kernel_address, NULL, &entry, &low, &high,
                    &spapr->kernel_le, &err);
    if (size == -2) {
        error_exit("error loading %s: %s", spapr->kernel_filename, err);
    }
    if (size >= 0) {
        spapr->kernel_entry = entry;
        spapr->kernel_size = size;
        if (low != KERNEL_LOAD_ADDR) {
            warn_report("spapr: kernel_addr changed from 0x%x to 0x%" PRIx64, KERNEL_LOAD_ADDR,
                        low);
        }
        spapr->kernel_addr = low;
        return;
    }
    g_free(err);
    err = NULL;
    /* Not ELF: a raw image, entered at its first byte. */
    size = load_image_targphys(spapr->kernel_filename, KERNEL_LOAD_ADDR,
                               spapr_load_limit(spapr) - KERNEL_LOAD_ADDR, &err);
    if (size < 0) {
        error_exit("could not load kernel '%s': %s", spapr->kernel_filename, err);
    }
    spapr->kernel_addr = KERNEL_LOAD_ADDR;
    spapr->kernel_entry = KERNEL_LOAD_ADDR;
    spapr->kernel_size = size;
}

/* The initrd follows the kernel, 64 KiB aligned with at least 64 KiB gap. */
static void spapr_load_initrd(SpaprMachineState *spapr)
{
    hwaddr limit = spapr_load_limit(spapr);
    char *err = NULL;
    int64_t size = -1;

    spapr->initrd_base =
        QEMU_ALIGN_DOWN(spapr->kernel_addr + spapr->kernel_size + 0x1ffff, 0x10000);
    if (spapr->initrd_base < limit) {
        size = load_image_targphys(spapr->initrd_filename, spapr->initrd_base,
                                   limit - spapr->initrd_base, &err);
    }
    if (size < 0) {
        error_exit("could not load initial ram disk '%s': %s", spapr->initrd_filename,
                   err ? err : "no room after the kernel");
    }
    spapr->initrd_size = size;
}

static void spapr_load_firmware(SpaprMachineState *spapr)
{
    char *err = NULL;

    if (!g_file_test(spapr->bios_name, G_FILE_TEST_IS_REGULAR)) {
        error_exit("Could not find LPAR firmware '%s'", spapr->bios_name);
    }
    if (load_image_targphys(spapr->bios_name, 0, FW_MAX_SIZE, &err) < 0) {
        error_exit("Could not load LPAR firmware '%s': %s", spapr->bios_name, err);
    }
}

/* -kernel and friends, or their -machine property spellings. */
static char *image_opt(const MachineOptions *o, const char *given, const char *prop)
{
    return g_strdup(given ? given : qemu_opt_get(o->machine, prop));
}

static void spapr_load_images(SpaprMachineState *spapr, const MachineOptions *o)
{
    spapr->bios_name = image_opt(o, o->bios, "firmware");
    spapr->kernel_filename = image_opt(o, o->kernel, "kernel");
    spapr->initrd_filename = image_opt(o, o->initrd, "initrd");
    spapr->kernel_cmdline = image_opt(o, o->append, "append");
    if (!spapr->kernel_filename && spapr->initrd_filename) {
        error_exit("-initrd only allowed with -kernel option");
    }
    if (!spapr->kernel_filename && spapr->kernel_cmdline) {
        error_exit("-append only allowed with -kernel option");
    }
    if (spapr->bios_name) {
        spapr_load_firmware(spapr);
    }
    if (spapr->kernel_filename) {
        spapr_load_kernel(spapr);
    }
    if (spapr->initrd_filename) {
        spapr_load_initrd(spapr);
    }
}

static void spapr_keep_props(SpaprMachineState *spapr, QemuOpts *opts)
{
    spapr->props = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (guint i = 0; opts && i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);

        g_hash_table_insert(spapr->props, g_strdup(opt->name), g_strdup(opt->value));
    }
    spapr->dumpdtb = g_strdup(machine_prop(spapr, "dumpdtb"));
}

SpaprMachineState *spapr_machine_init(const MachineOptions *o)
{
    SpaprMachineState *spapr = g_new0(SpaprMachineState, 1);
    const char *type = spapr_type_resolve(o->type ? o->type : "pseries");

    spapr->machine_name = g_strdup(type ? type : SPAPR_DEFAULT_TYPE);
    spapr->ram_size = o->ram_size;
    spapr->maxmem = MAX(o->maxmem, o->ram_size);
    spapr->smp_cpus = MAX(o->smp_cpus, 1);
    spapr->max_cpus = MAX(o->max_cpus, spapr->smp_cpus);
    spapr->rtc_offset = o->rtc_offset;
    spapr_keep_props(spapr, o->machine);

    spapr_create_cpus(spapr, o->cpu_model);
    /* Memory first, then the CPU properties: QEMU 7.2 reports them in that order. */
    spapr->rma_size = spapr_rma_size(spapr->ram_size, spapr->cpu_model);
    spapr_check_memory(spapr);
    spapr_check_cpu_props(spapr);
    spapr_apply_hpt_page_size(spapr);
    guest_ram_init(spapr->ram_size);

    spapr->vio_bus = spapr_vio_bus_new();
    spapr_create_consoles(spapr, o);
    spapr_load_images(spapr, o);

    spapr_machine = spapr;
    qemu_register_reset(spapr_machine_reset, spapr);
    return spapr;
}

/* ---- -device ---------------------------------------------------------- */

bool spapr_device_add(SpaprMachineState *spapr, QemuOpts *opts, char **err)
{
    const char *driver = qemu_opt_get(opts, "driver");
    const SpaprVioDeviceType *type = spapr_vio_find_type(driver);

    if (!type) {
        *err = g_strdup_printf("'%s' is not a valid device model name", driver ? driver : "");
        return false;
    }
    return spapr_vio_create(spapr->vio_bus, type, opts, err) != NULL;
}

/* Help requests come before start-up: make sure device types are known. */
void spapr_device_list(FILE *out)
{
    module_call_init();
    spapr_vio_list_types(out);
}

bool spapr_device_list_props(const char *name, FILE *out)
{
    const SpaprVioDeviceType *type;

    module_call_init();
    type = spapr_vio_find_type(name);
    if (!type) {
        return false;
    }
    spapr_vio_list_props(type, out);
    return true;
}

/* ---- Reset ------------------------------------------------------------ */

/* -machine dumpdtb=FILE: write the tree and stop, as QEMU does. */
static void spapr_dump_dtb(SpaprMachineState *spapr)
{
    if (!g_file_set_contents(spapr->dumpdtb, spapr->fdt_blob, spapr->fdt_size, NULL)) {
        error_exit("qemu_fdt_dumpdtb: Failed dumping dtb to %s", spapr->dumpdtb);
    }
    info_report("dtb dumped to %s. Exiting.", spapr->dumpdtb);
    exit(0);
}

/*
 * Where the firmware interfaces go: the device tree just below the top of
 * the RMA or 2 GiB, whichever is lower, and the RTAS stub below it.
 */
static void spapr_place_fdt_rtas(SpaprMachineState *spapr)
{
    spapr->fdt_addr = MIN(spapr->rma_size, FDT_MAX_ADDR) - FDT_MAX_SIZE;
    spapr->rtas_addr = spapr->fdt_addr - RTAS_MAX_SIZE;
    spapr->rtas_size = RTAS_ERROR_LOG_SIZE + spapr_rtas_stub_len;
}

static void spapr_copy_rtas_stub(SpaprMachineState *spapr)
{
    unsigned words = spapr_rtas_stub_len / sizeof(uint32_t);

    guest_memset(spapr->rtas_addr, 0, spapr->rtas_size);
    for (unsigned i = 0; i < words; i++) {
        guest_stl_be(spapr->rtas_addr + 4 * i, spapr_rtas_stub[i]);
    }
}

/*
 * A partition starts with CPU 0 at the entry point, in real mode and
 * big-endian, with r3 holding the device tree's address; the other CPUs
 * wait for RTAS start-cpu.
 */
static void spapr_reset_cpus(SpaprMachineState *spapr)
{
    /* The large decrementer (cap-large-decr, on by default where the CPU has it). */
    const char *large_decr = machine_prop(spapr, "cap-large-decr");
    bool on = true;
    uint64_t lpcr;

    if (large_decr) {
        qemu_parse_bool(large_decr, &on);
    }
    lpcr = spapr->cpu_model->has_radix && on ? LPCR_LD : 0;
    for (unsigned i = 0; i < spapr->smp_cpus; i++) {
        ppc_cpu_reset(spapr->cpus[i]);
        ppc_store_lpcr(spapr->cpus[i], lpcr);
    }
    spapr_cpu_states_reset(spapr);
    if (spapr->smp_cpus) {
        CPUPPCState *env = &spapr->cpus[0]->env;

        env->nip = SPAPR_ENTRY_POINT;
        env->gpr[3] = spapr->fdt_addr;
        env->gpr[5] = 0;
    }
}

void spapr_machine_reset(void *opaque)
{
    SpaprMachineState *spapr = opaque;

    spapr_vio_bus_reset(spapr->vio_bus);
    spapr_place_fdt_rtas(spapr);
    g_free(spapr->fdt_blob);
    spapr->fdt_blob = spapr_build_fdt(spapr, &spapr->fdt_size);
    if (!spapr->fdt_blob) {
        error_exit("could not build the device tree");
    }
    if (spapr->dumpdtb) {
        spapr_dump_dtb(spapr);
    }
    spapr_copy_rtas_stub(spapr);
    spapr_hpt_reset(spapr);
    spapr_proc_tbl_reset(spapr);
    if (!guest_write(spapr->fdt_addr, spapr->fdt_blob, spapr->fdt_size)) {
        error_exit("device tree does not fit in RAM");
    }
    spapr_reset_cpus(spapr);
}
