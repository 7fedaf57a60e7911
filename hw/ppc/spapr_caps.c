/*
 * The pseries machine's properties as one typed table (parsing, help, the
 * machine and CPU hooks), and QEMU 7.2's machine types as one chain of defaults.
 */
#include "hw/ppc/spapr_caps.h"
#include "sysemu/kvm.h"
#ifdef CONFIG_KVM
#include "sysemu/kvm-ppc.h"
#endif
#include "hw/boards.h"
#include "hw/ppc/spapr.h"
#include "qemu/error-report.h"
#include "qtest/qtest.h"
#include "sysemu/kvm.h"
#include "target/ppc/mmu-hash64.h"

/* ---- Machine types: one chain, newest to oldest ----------------------- */

/* Fields of a version that are not -machine properties: unchanged, on or off. */
#define UNCHANGED 0
#define TURN_ON 1
#define TURN_OFF 2

struct SpaprVersion {
    const char *name;
    unsigned number;      /* X * 100 + Y */
    const char *based_on; /* NULL: the next newer entry that is not a variant */
    /* What changed from the newer machine type, in -machine syntax */
    const char *props;
    const char *cpu; /* the default CPU model, NULL: unchanged */
    uint8_t hotpluggable_cpus, numa_mem_supported;
};

/*
 * QEMU 7.2's pseries machine types as -machine properties show them (qom-get
 * on each type): the newest states every default, each older one only what
 * its own class options change.  QEMU's other per-version differences (PCI
 * windows, NUMA, migration formats) have no device here yet.
 */
static const SpaprVersion versions[] = {
    { "pseries-7.2", 702, NULL,
      "cap-htm=off,cap-vsx=on,cap-dfp=on,cap-cfpc=workaround,cap-sbbc=workaround,"
      "cap-ibs=workaround,cap-hpt-max-page-size=64k,cap-nested-hv=off,cap-large-decr=on,"
      "cap-ccf-assist=on,cap-fwnmi=on,cap-rpt-invalidate=off,ic-mode=dual,"
      "resize-hpt=enabled,modern-hotplug-events=on,suppress-vmdesc=off,x-vof=off,usb=off,"
      "dump-guest-core=on,mem-merge=on,graphics=on,kvm-type=auto",
      "power9_v2.0", TURN_ON, TURN_OFF },
    { "pseries-7.1", 701 },
    { "pseries-7.0", 700 },
    { "pseries-6.2", 602 },
    { "pseries-6.1", 601 },
    { "pseries-6.0", 600 },
    { "pseries-5.2", 502 },
    { "pseries-5.1", 501 },
    { "pseries-5.0", 500, .numa_mem_supported = TURN_ON },
    { "pseries-4.2", 402, NULL, "cap-ccf-assist=off,cap-fwnmi=off" },
    { "pseries-4.1", 401 },
    { "pseries-4.0", 400, NULL, "ic-mode=xics" },
    { "pseries-3.1", 301, NULL, "cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-large-decr=off",
      "power8_v2.0" },
    { "pseries-3.0", 300, NULL, "ic-mode=legacy" },
    { "pseries-2.12", 212, NULL, "cap-hpt-max-page-size=16G" },
    { "pseries-2.12-sxxm", 212, "pseries-2.12",
      "cap-cfpc=workaround,cap-sbbc=workaround,"
      "cap-ibs=fixed-ccd" },
    { "pseries-2.11", 211, NULL, "cap-htm=on" },
    { "pseries-2.10", 210 },
    { "pseries-2.9", 209, NULL, "resize-hpt=disabled" },
    { "pseries-2.8", 208 },
    { "pseries-2.7", 207, NULL, "modern-hotplug-events=off", "power7_v2.3" },
    { "pseries-2.6", 206, .hotpluggable_cpus = TURN_OFF },
    { "pseries-2.5", 205 },
    { "pseries-2.4", 204 },
    { "pseries-2.3", 203 },
    { "pseries-2.2", 202, NULL, "suppress-vmdesc=on" },
    { "pseries-2.1", 201 },
};

#define NEWEST (&versions[0])

const SpaprVersion *spapr_version_find(const char *name)
{
    if (name && !strcmp(name, "pseries")) {
        return NEWEST;
    }
    for (size_t i = 0; name && i < ARRAY_SIZE(versions); i++) {
        if (!strcmp(versions[i].name, name)) {
            return &versions[i];
        }
    }
    return NULL;
}

const char *spapr_version_name(const SpaprVersion *v)
{
    return v->name;
}

unsigned spapr_version_number(const SpaprVersion *v)
{
    return v->number;
}

/* The entry v's changes apply to, or NULL for the newest. */
static const SpaprVersion *version_parent(const SpaprVersion *v)
{
    if (v->based_on) {
        return spapr_version_find(v->based_on);
    }
    for (const SpaprVersion *p = v - 1; p >= versions; p--) {
        if (!p->based_on) {
            return p;
        }
    }
    return NULL;
}

const char *spapr_version_default_cpu(const SpaprVersion *v)
{
    for (; v; v = version_parent(v)) {
        if (v->cpu) {
            return v->cpu;
        }
    }
    return NULL;
}

/* The newest statement about a version flag along v's chain. */
static bool version_flag(const SpaprVersion *v, size_t offset)
{
    for (; v; v = version_parent(v)) {
        uint8_t f = *((const uint8_t *)v + offset);

        if (f != UNCHANGED) {
            return f == TURN_ON;
        }
    }
    return false;
}

bool spapr_version_hotpluggable_cpus(const SpaprVersion *v)
{
    return version_flag(v, offsetof(SpaprVersion, hotpluggable_cpus));
}

bool spapr_version_numa_mem_supported(const SpaprVersion *v)
{
    return version_flag(v, offsetof(SpaprVersion, numa_mem_supported));
}

void spapr_version_foreach(void (*fn)(const SpaprVersion *v, void *opaque), void *opaque)
{
    for (size_t i = 0; i < ARRAY_SIZE(versions); i++) {
        fn(&versions[i], opaque);
    }
}

/* ---- Compatibility levels --------------------------------------------- */

/* Oldest first: a level's index is its rank (logical PVRs do not sort). */
static const struct {
    const char *name;
    uint32_t pvr;
} compat_levels[] = {
    { "power6", SPAPR_PVR_COMPAT_2_05 },       { "power7", SPAPR_PVR_COMPAT_2_06 },
    { "power7+", SPAPR_PVR_COMPAT_2_06_PLUS }, { "power8", SPAPR_PVR_COMPAT_2_07 },
    { "power9", SPAPR_PVR_COMPAT_3_00 },       { "power10", SPAPR_PVR_COMPAT_3_10 },
};

/* 1 + the index of a level, 0 for "none"; an unknown PVR ranks above all. */
static unsigned compat_rank(uint32_t pvr)
{
    if (!pvr) {
        return ARRAY_SIZE(compat_levels) + 1;
    }
    for (size_t i = 0; i < ARRAY_SIZE(compat_levels); i++) {
        if (compat_levels[i].pvr == pvr) {
            return i + 1;
        }
    }
    return ARRAY_SIZE(compat_levels) + 1;
}

uint32_t spapr_caps_cpu_max_pvr(const char *name)
{
    if (!name) {
        return 0;
    }
    if (g_str_has_prefix(name, "power9")) {
        return SPAPR_PVR_COMPAT_3_00;
    }
    if (g_str_has_prefix(name, "power8")) {
        return SPAPR_PVR_COMPAT_2_07;
    }
    if (g_str_has_prefix(name, "power7")) {
        return SPAPR_PVR_COMPAT_2_06;
    }
    return 0;
}

/* The level the partition's processors run at: the CPU's, capped by max-cpu-compat. */
static unsigned caps_level(uint32_t cpu_max_pvr, const SpaprCaps *caps)
{
    return MIN(compat_rank(cpu_max_pvr), compat_rank(caps->max_compat_pvr));
}

static unsigned spapr_level(SpaprMachineState *spapr)
{
    return caps_level(spapr_caps_cpu_max_pvr(spapr->cpu_model->name), &spapr->caps);
}

/* ---- The property table ----------------------------------------------- */

typedef enum SpaprCapType {
    CAP_BOOL,
    CAP_MODE,     /* broken / workaround / fixed, any case */
    CAP_MODE_IBS, /* ... and fixed-ibs / fixed-ccd / fixed-na */
    CAP_ENUM,     /* one of values[], exactly */
    CAP_UINT32,
    CAP_INT64,
    CAP_PAGE_SIZE, /* a power-of-two size, kept as its log2 */
    CAP_STR,
    CAP_COMPAT, /* a compatibility level name, kept as its logical PVR */
    CAP_OBJECT, /* structured: not settable as key=value */
    CAP_LINK,   /* names an object that cannot exist here */
} SpaprCapType;

typedef struct SpaprCapInfo {
    const char *name;
    SpaprCapType type;
    size_t offset;         /* of the value in SpaprCaps */
    const char *help_type; /* "-machine pseries,help" shows name=<help_type>; NULL: hidden */
    const char *desc;
    const char *const *values; /* CAP_ENUM: names by value */
    const char *error;         /* CAP_ENUM: format (name, value); CAP_LINK: format (value) */
    unsigned since;            /* the oldest machine type that has it; 0: all */
    /* Before the value is parsed: may the machine type take it at all? */
    bool (*check)(const SpaprVersion *v, char **err);
    /*
     * On the effective values, at every machine reset (QEMU 7.2 checks its
     * capabilities there, so after -device errors and again at each
     * system_reset), or once at creation with at_create: refuse or warn.
     */
    bool (*apply)(SpaprMachineState *spapr, char **err);
    bool at_create;
    const char *hint; /* the line QEMU prints after apply's error, if any */
    /* At every CPU reset. */
    void (*apply_cpu)(const SpaprCaps *caps, PowerPCCPU *cpu);
} SpaprCapInfo;

static const char *const mode_names[] = {
    [SPAPR_CAP_BROKEN] = "broken",       [SPAPR_CAP_WORKAROUND] = "workaround",
    [SPAPR_CAP_FIXED] = "fixed",         [SPAPR_CAP_FIXED_IBS] = "fixed-ibs",
    [SPAPR_CAP_FIXED_CCD] = "fixed-ccd", [SPAPR_CAP_FIXED_NA] = "fixed-na",
};
static const char *const ic_mode_names[] = {
    [SPAPR_IC_MODE_XICS] = "xics",
    [SPAPR_IC_MODE_XIVE] = "xive",
    [SPAPR_IC_MODE_DUAL] = "dual",
    [SPAPR_IC_MODE_LEGACY] = "legacy",
    NULL,
};
static const char *const resize_hpt_names[] = { "default", "disabled", "enabled", "required",
                                                NULL };
static const char *const nvdimm_names[] = { "cpu", "mem-ctrl", NULL };

/* pseries-3.0 and older number interrupts the legacy way and refuse ic-mode. */
static bool check_ic_mode(const SpaprVersion *v, char **err)
{
    SpaprCaps caps;
    bool legacy;

    spapr_caps_defaults(&caps, v);
    legacy = caps.ic_mode == SPAPR_IC_MODE_LEGACY;
    spapr_caps_free(&caps);
    if (legacy) {
        *err = g_strdup("This machine only uses the legacy XICS backend, don't pass ic-mode");
        return false;
    }
    return true;
}

static bool apply_ic_mode(SpaprMachineState *spapr, char **err)
{
    if (spapr->caps.ic_mode == SPAPR_IC_MODE_XIVE &&
        spapr_level(spapr) < compat_rank(SPAPR_PVR_COMPAT_3_00)) {
        *err = g_strdup("XIVE-only machines require a POWER9 CPU");
        return false;
    }
    return true;
}

/*
 * The speculation mitigations: TCG emulates no speculation, so a mode other
 * than broken (and the flush assist instruction) is only a promise QEMU
 * warns about, under TCG only (not KVM, not -accel qtest).
 */
static void warn_tcg_mode(const char *name, const char *value)
{
    if (!kvm_enabled() && !qtest_enabled()) {
        warn_report("TCG doesn't support requested feature, %s=%s", name, value);
    }
}

static bool apply_cfpc(SpaprMachineState *spapr, char **err)
{
    if (spapr->caps.cfpc != SPAPR_CAP_BROKEN) {
        warn_tcg_mode("cap-cfpc", mode_names[spapr->caps.cfpc]);
    }
    return true;
}

static bool apply_sbbc(SpaprMachineState *spapr, char **err)
{
    if (spapr->caps.sbbc != SPAPR_CAP_BROKEN) {
        warn_tcg_mode("cap-sbbc", mode_names[spapr->caps.sbbc]);
    }
    return true;
}

static bool apply_ibs(SpaprMachineState *spapr, char **err)
{
    if (spapr->caps.ibs != SPAPR_CAP_BROKEN) {
        warn_tcg_mode("cap-ibs", mode_names[spapr->caps.ibs]);
    }
    return true;
}

static bool apply_ccf_assist(SpaprMachineState *spapr, char **err)
{
    if (spapr->caps.ccf_assist) {
        warn_tcg_mode("cap-ccf-assist", "on");
    }
    return true;
}

/* TCG has no transactional memory; QEMU refuses the capability (a hint follows there). */
static bool apply_htm(SpaprMachineState *spapr, char **err)
{
    if (spapr->caps.htm && !kvm_enabled()) {
        *err = g_strdup("No Transactional Memory support in TCG");
        return false;
    }
    return true;
}

static bool apply_hpt_max_page_size(SpaprMachineState *spapr, char **err)
{
    if (spapr->caps.hpt_max_page_shift < 12) {
        *err = g_strdup("Require at least 4kiB hpt-max-page-size");
        return false;
    }
    if (spapr->caps.hpt_max_page_shift < 16) {
        warn_report("Many guests require at least 64kiB hpt-max-page-size");
    }
    return true;
}

/* The hash MMU's page size tables (ibm,segment-page-sizes, slbmte, H_ENTER) follow it. */
static void apply_cpu_hpt_max_page_size(const SpaprCaps *caps, PowerPCCPU *cpu)
{
    ppc_hash64_set_max_page_shift(cpu, caps->hpt_max_page_shift);
}

/* Nested KVM needs the POWER9 hypervisor facilities of the processor itself. */
static bool apply_nested_hv(SpaprMachineState *spapr, char **err)
{
    if (spapr->caps.nested_hv && !spapr->cpu_model->has_radix) {
        *err = g_strdup("Nested-HV only supported on POWER9 and later");
        return false;
    }
    return true;
}

static bool apply_large_decr(SpaprMachineState *spapr, char **err)
{
    if (spapr->caps.large_decr && spapr_level(spapr) < compat_rank(SPAPR_PVR_COMPAT_3_00)) {
        *err = g_strdup("Large decrementer only supported on POWER9");
        return false;
    }
    return true;
}

/* LPCR[LD]: the decrementer is as wide as ibm,dec-bits says, not 32 bits. */
static void apply_cpu_large_decr(const SpaprCaps *caps, PowerPCCPU *cpu)
{
    uint64_t lpcr = ppc_lpcr(&cpu->env) & ~LPCR_LD;

    ppc_store_lpcr(cpu, lpcr | (caps->large_decr ? LPCR_LD : 0));
}

static bool apply_rpt_invalidate(SpaprMachineState *spapr, char **err)
{
    if (spapr->caps.rpt_invalidate && !kvm_enabled()) {
        *err = g_strdup("No H_RPT_INVALIDATE support in TCG");
        return false;
    }
    return true;
}

/* A processor runs its own level and the older ones, never a newer one. */
static bool apply_max_cpu_compat(SpaprMachineState *spapr, char **err)
{
    uint32_t pvr = spapr->caps.max_compat_pvr;
    uint32_t cpu_max = spapr_caps_cpu_max_pvr(spapr->cpu_model->name);

    if (pvr && compat_rank(pvr) > compat_rank(cpu_max)) {
        *err = g_strdup_printf("Compatibility PVR 0x%08x not valid for CPU", pvr);
        return false;
    }
    return true;
}

#define F(field) offsetof(SpaprCaps, field)

/*
 * Every property QEMU 7.2's pseries takes.  The order is the order of the
 * machine hooks (QEMU's: interrupt controller, capabilities, CPU compat);
 * help output is sorted by name.
 */
static const SpaprCapInfo cap_table[] = {
    { "ic-mode", CAP_ENUM, F(ic_mode), .values = ic_mode_names,
      .error = "Bad value for \"%s\" property", .check = check_ic_mode, .apply = apply_ic_mode,
      .at_create = true },
    { "cap-htm", CAP_BOOL, F(htm), "bool", "Allow Hardware Transactional Memory (HTM)",
      .apply = apply_htm, .hint = "Try appending -machine cap-htm=off" },
    { "cap-vsx", CAP_BOOL, F(vsx), "bool", "Allow Vector Scalar Extensions (VSX)" },
    { "cap-dfp", CAP_BOOL, F(dfp), "bool", "Allow Decimal Floating Point (DFP)" },
    { "cap-cfpc", CAP_MODE, F(cfpc), "string",
      "Cache Flush on Privilege Change (broken, workaround, fixed)", .apply = apply_cfpc },
    { "cap-sbbc", CAP_MODE, F(sbbc), "string",
      "Speculation Barrier Bounds Checking (broken, workaround, fixed)", .apply = apply_sbbc },
    { "cap-ibs", CAP_MODE_IBS, F(ibs), "string",
      "Indirect Branch Speculation (broken, workaround, fixed-ibs,fixed-ccd, fixed-na)",
      .apply = apply_ibs },
    { "cap-hpt-max-page-size", CAP_PAGE_SIZE, F(hpt_max_page_shift), "int",
      "Maximum page size for Hash Page Table guests", .apply = apply_hpt_max_page_size,
      .apply_cpu = apply_cpu_hpt_max_page_size },
    { "cap-nested-hv", CAP_BOOL, F(nested_hv), "bool", "Allow Nested KVM-HV",
      .apply = apply_nested_hv, .hint = "Try appending -machine cap-nested-hv=off" },
    { "cap-large-decr", CAP_BOOL, F(large_decr), "bool", "Allow Large Decrementer",
      .apply = apply_large_decr, .apply_cpu = apply_cpu_large_decr, .hint = "Try -cpu POWER9" },
    { "cap-ccf-assist", CAP_BOOL, F(ccf_assist), "bool",
      "Count Cache Flush Assist via HW Instruction", .apply = apply_ccf_assist },
    { "cap-fwnmi", CAP_BOOL, F(fwnmi), "bool", "Implements PAPR FWNMI option" },
    { "cap-rpt-invalidate", CAP_BOOL, F(rpt_invalidate), "bool", "Allow H_RPT_INVALIDATE",
      .apply = apply_rpt_invalidate, .hint = "Try appending -machine cap-rpt-invalidate=off" },
    { "max-cpu-compat", CAP_COMPAT, F(max_compat_pvr), .apply = apply_max_cpu_compat },
    { "resize-hpt", CAP_ENUM, F(resize_hpt), .values = resize_hpt_names,
      .error = "Bad value for \"%s\" property" },
    { "x-vof", CAP_BOOL, F(x_vof) },
    { "vsmt", CAP_UINT32, F(vsmt) },
    { "modern-hotplug-events", CAP_BOOL, F(modern_hotplug_events) },
    { "kvm-type", CAP_STR, F(kvm_type) },
    { "host-model", CAP_STR, F(host_model) },
    { "host-serial", CAP_STR, F(host_serial) },
    { "kernel-irqchip", CAP_STR, F(kernel_irqchip) },
    { "nvdimm-persistence", CAP_ENUM, F(nvdimm_persistence), .values = nvdimm_names,
      .error = "-machine %s=%s: unsupported option", .since = 500 },
    /* Every machine's own properties (hw/core/machine.c lists them in help) */
    { "append", CAP_STR, F(append) },
    { "boot", CAP_OBJECT },
    { "confidential-guest-support", CAP_LINK, .error = "Device '%s' not found" },
    { "dt-compatible", CAP_STR, F(dt_compatible) },
    { "dtb", CAP_STR, F(dtb) },
    { "dump-guest-core", CAP_BOOL, F(dump_guest_core) },
    { "dumpdtb", CAP_STR, F(dumpdtb) },
    { "firmware", CAP_STR, F(firmware) },
    { "graphics", CAP_BOOL, F(graphics) },
    { "initrd", CAP_STR, F(initrd) },
    { "kernel", CAP_STR, F(kernel) },
    { "mem-merge", CAP_BOOL, F(mem_merge) },
    { "memory-backend", CAP_LINK, .error = "Memory backend '%s' not found" },
    { "memory-encryption", CAP_LINK, .error = "No such memory encryption object '%s'" },
    { "memory", CAP_OBJECT },
    { "phandle-start", CAP_INT64, F(phandle_start) },
    { "smp", CAP_OBJECT },
    { "suppress-vmdesc", CAP_BOOL, F(suppress_vmdesc) },
    { "usb", CAP_BOOL, F(usb) },
};

#undef F

G_STATIC_ASSERT(ARRAY_SIZE(cap_table) <= 64);

static const SpaprCapInfo *cap_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(cap_table); i++) {
        if (!strcmp(cap_table[i].name, name)) {
            return &cap_table[i];
        }
    }
    return NULL;
}

static uint64_t cap_bit(const SpaprCapInfo *c)
{
    return 1ULL << (c - cap_table);
}

/* ---- Parsing values --------------------------------------------------- */

static bool parse_int(const SpaprCapInfo *c, const char *v, int64_t *out, char **err)
{
    bool neg = v[0] == '-';
    uint64_t n;

    if (!qemu_strtou64(neg ? v + 1 : v, &n)) {
        *err = g_strdup_printf("Parameter '%s' expects integer", c->name);
        return false;
    }
    if (c->type == CAP_UINT32 && (neg || n > UINT32_MAX)) {
        *err = g_strdup_printf("Parameter '%s' expects uint32_t", c->name);
        return false;
    }
    if (n > (neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX)) {
        *err = g_strdup_printf("Parameter '%s' expects int64", c->name);
        return false;
    }
    *out = neg ? (int64_t)(0 - n) : (int64_t)n;
    return true;
}

static bool parse_page_size(const SpaprCapInfo *c, const char *v, unsigned *shift, char **err)
{
    uint64_t n;

    if (!qemu_strtosz(v, 1, &n)) {
        *err = g_strdup_printf("Parameter '%s' expects size", c->name);
        return false;
    }
    if (n == 0 || (n & (n - 1))) {
        *err = g_strdup_printf("%s must be a power of 2", c->name);
        return false;
    }
    /* Too small a size is refused or warned about by the machine hook. */
    *shift = __builtin_ctzll(n);
    return true;
}

static bool parse_mode(const SpaprCapInfo *c, const char *v, int *mode, char **err)
{
    bool ibs = c->type == CAP_MODE_IBS;

    for (int i = 0; i < (int)ARRAY_SIZE(mode_names); i++) {
        /* Indirect branch speculation is fixed in one of three named ways. */
        bool offered = ibs ? i != SPAPR_CAP_FIXED : i <= SPAPR_CAP_FIXED;

        if (offered && !g_ascii_strcasecmp(mode_names[i], v)) {
            *mode = i;
            return true;
        }
    }
    *err = g_strdup_printf("Invalid capability mode \"%s\" for %s", v, c->name);
    return false;
}

static bool parse_enum(const SpaprCapInfo *c, const char *v, int *out, char **err)
{
    for (int i = 0; c->values[i]; i++) {
        if (!strcmp(c->values[i], v)) {
            *out = i;
            return true;
        }
    }
    *err = g_strdup_printf(c->error, c->name, v);
    return false;
}

static bool parse_compat(const char *v, uint32_t *pvr, char **err)
{
    for (size_t i = 0; i < ARRAY_SIZE(compat_levels); i++) {
        if (!strcmp(compat_levels[i].name, v)) {
            *pvr = compat_levels[i].pvr;
            return true;
        }
    }
    *err = g_strdup_printf("Invalid compatibility mode \"%s\"", v);
    return false;
}

/* Parse v into c's field of caps; the messages are QEMU's. */
static bool cap_parse_value(const SpaprCapInfo *c, const char *v, SpaprCaps *caps, char **err)
{
    void *field = (char *)caps + c->offset;
    int64_t n;

    switch (c->type) {
    case CAP_BOOL:
        if (!qemu_parse_bool(v, field)) {
            *err = g_strdup_printf("Parameter '%s' expects 'on' or 'off'", c->name);
            return false;
        }
        return true;
    case CAP_MODE:
    case CAP_MODE_IBS:
        return parse_mode(c, v, field, err);
    case CAP_ENUM:
        return parse_enum(c, v, field, err);
    case CAP_UINT32:
        if (!parse_int(c, v, &n, err)) {
            return false;
        }
        *(uint32_t *)field = n;
        return true;
    case CAP_INT64:
        return parse_int(c, v, field, err);
    case CAP_PAGE_SIZE:
        return parse_page_size(c, v, field, err);
    case CAP_STR:
        g_free(*(char **)field);
        *(char **)field = g_strdup(v);
        return true;
    case CAP_COMPAT:
        return parse_compat(v, field, err);
    case CAP_OBJECT:
        *err = g_strdup_printf("Invalid parameter type for '%s', expected: object", c->name);
        return false;
    case CAP_LINK:
        *err = g_strdup_printf(c->error, v);
        return false;
    }
    return false;
}

/* Copy c's value from src to dst. */
static void cap_copy_value(const SpaprCapInfo *c, SpaprCaps *dst, const SpaprCaps *src)
{
    void *d = (char *)dst + c->offset;
    const void *s = (const char *)src + c->offset;

    switch (c->type) {
    case CAP_BOOL:
        *(bool *)d = *(const bool *)s;
        break;
    case CAP_MODE:
    case CAP_MODE_IBS:
    case CAP_ENUM:
        *(int *)d = *(const int *)s;
        break;
    case CAP_UINT32:
    case CAP_COMPAT:
        *(uint32_t *)d = *(const uint32_t *)s;
        break;
    case CAP_INT64:
        *(int64_t *)d = *(const int64_t *)s;
        break;
    case CAP_PAGE_SIZE:
        *(unsigned *)d = *(const unsigned *)s;
        break;
    case CAP_STR:
        g_free(*(char **)d);
        *(char **)d = g_strdup(*(char *const *)s);
        break;
    case CAP_OBJECT:
    case CAP_LINK:
        break;
    }
}

void spapr_caps_copy(SpaprCaps *dst, const SpaprCaps *src)
{
    memset(dst, 0, sizeof(*dst));
    for (size_t i = 0; i < ARRAY_SIZE(cap_table); i++) {
        cap_copy_value(&cap_table[i], dst, src);
    }
    dst->given = src->given;
}

void spapr_caps_free(SpaprCaps *caps)
{
    for (size_t i = 0; i < ARRAY_SIZE(cap_table); i++) {
        if (cap_table[i].type == CAP_STR) {
            char **s = (char **)((char *)caps + cap_table[i].offset);

            g_free(*s);
            *s = NULL;
        }
    }
}

bool spapr_caps_parse(SpaprCaps *user, const SpaprVersion *v, QemuOpts *opts, char **err)
{
    memset(user, 0, sizeof(*user));
    for (guint i = 0; opts && i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);
        const SpaprCapInfo *c;

        if (!strcmp(opt->name, "type") || !strcmp(opt->name, "accel")) {
            continue;
        }
        c = cap_find(opt->name);
        if (!c || (c->since && v->number < c->since)) {
            *err = g_strdup_printf("Property '%s-machine.%s' not found", v->name, opt->name);
            goto fail;
        }
        if ((c->check && !c->check(v, err)) || !cap_parse_value(c, opt->value, user, err)) {
            goto fail;
        }
        /* Only the table's own defaults may name the legacy interrupt numbering. */
        if (c->offset == offsetof(SpaprCaps, ic_mode) && user->ic_mode == SPAPR_IC_MODE_LEGACY) {
            *err = g_strdup_printf(c->error, c->name, opt->value);
            goto fail;
        }
        user->given |= cap_bit(c);
        opt->used = true;
    }
    return true;

fail:
    spapr_caps_free(user);
    memset(user, 0, sizeof(*user));
    return false;
}

/* ---- Defaults, effective values, hooks -------------------------------- */

/* Apply a version's changes (trusted text: a mistake in the chain aborts). */
static void caps_apply_changes(SpaprCaps *caps, const char *props)
{
    g_auto(GStrv) items = g_strsplit(props ? props : "", ",", -1);

    for (char **p = items; *p && **p; p++) {
        g_auto(GStrv) kv = g_strsplit(*p, "=", 2);
        const SpaprCapInfo *c = cap_find(kv[0]);
        g_autofree char *err = NULL;

        if (!c || !kv[1] || !cap_parse_value(c, kv[1], caps, &err)) {
            g_error("spapr machine type chain: bad default '%s'", *p);
        }
    }
}

void spapr_caps_defaults(SpaprCaps *caps, const SpaprVersion *v)
{
    const SpaprVersion *chain[ARRAY_SIZE(versions)];
    size_t n = 0;

    for (; v && n < ARRAY_SIZE(chain); v = version_parent(v)) {
        chain[n++] = v;
    }
    memset(caps, 0, sizeof(*caps));
    while (n--) {
        caps_apply_changes(caps, chain[n]->props);
    }
}

void spapr_caps_resolve(SpaprCaps *eff, const SpaprVersion *v, const SpaprCaps *user,
                        uint32_t cpu_max_pvr)
{
    unsigned level = caps_level(cpu_max_pvr, user);

    spapr_caps_defaults(eff, v);
    /* Defaults a processor running at an older level does not get (QEMU's rules). */
    if (level < compat_rank(SPAPR_PVR_COMPAT_3_00)) {
        eff->large_decr = false;
    }
    if (level < compat_rank(SPAPR_PVR_COMPAT_2_07)) {
        eff->htm = false;
        eff->cfpc = SPAPR_CAP_BROKEN;
    }
    if (level < compat_rank(SPAPR_PVR_COMPAT_2_06_PLUS)) {
        eff->sbbc = SPAPR_CAP_BROKEN;
    }
    if (level < compat_rank(SPAPR_PVR_COMPAT_2_06)) {
        eff->vsx = eff->dfp = false;
        eff->ibs = SPAPR_CAP_BROKEN;
    }
    for (size_t i = 0; i < ARRAY_SIZE(cap_table); i++) {
        if (user->given & cap_bit(&cap_table[i])) {
            cap_copy_value(&cap_table[i], eff, user);
        }
    }
    eff->given = user->given;
    /* Only POWER9 can choose XIVE at CAS time: "dual" is XICS before it. */
    if (eff->ic_mode == SPAPR_IC_MODE_DUAL && level < compat_rank(SPAPR_PVR_COMPAT_3_00)) {
        eff->ic_mode = SPAPR_IC_MODE_XICS;
    }
}

static bool caps_apply(SpaprMachineState *spapr, bool at_create, char **err, const char **hint)
{
    for (size_t i = 0; i < ARRAY_SIZE(cap_table); i++) {
        const SpaprCapInfo *c = &cap_table[i];

        if (c->apply && c->at_create == at_create && !c->apply(spapr, err)) {
            if (hint) {
                *hint = c->hint;
            }
            return false;
        }
    }
#ifdef CONFIG_KVM
    /* Under KVM the host decides what the guest may have (cap-htm, cap-cfpc...). */
    if (kvm_enabled()) {
        KvmPpcHostCaps host;

        kvm_ppc_host_caps(&host);
        return kvm_ppc_check_caps(&spapr->caps, &host, err);
    }
#endif
    return true;
}

bool spapr_caps_apply_create(SpaprMachineState *spapr, char **err)
{
    return caps_apply(spapr, true, err, NULL);
}

bool spapr_caps_apply_reset(SpaprMachineState *spapr, char **err, const char **hint)
{
    return caps_apply(spapr, false, err, hint);
}

bool spapr_caps_apply(SpaprMachineState *spapr, char **err)
{
    return spapr_caps_apply_create(spapr, err) && spapr_caps_apply_reset(spapr, err, NULL);
}

void spapr_caps_apply_cpu(const SpaprCaps *caps, PowerPCCPU *cpu)
{
    for (size_t i = 0; i < ARRAY_SIZE(cap_table); i++) {
        if (cap_table[i].apply_cpu) {
            cap_table[i].apply_cpu(caps, cpu);
        }
    }
}

/* ---- Help ------------------------------------------------------------- */

/* The board's own listed properties, then every machine's (hw/core), sorted. */
void spapr_caps_print_help(const SpaprVersion *v, FILE *out)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);

    for (size_t i = 0; i < ARRAY_SIZE(cap_table); i++) {
        const SpaprCapInfo *c = &cap_table[i];
        g_autofree char *left = NULL;

        if (c->help_type) {
            left = g_strdup_printf("%s=<%s>", c->name, c->help_type);
            g_ptr_array_add(lines, g_strdup_printf("  %-22s - %s", left, c->desc));
        }
    }
    machine_generic_props_help(lines);
    machine_print_props(v->name, lines, out);
}

/* ---- The machine interface's view of types and properties ------------- */

#define SPAPR_DESC "pSeries Logical Partition (PAPR compliant)"
/* QOM type suffix of a PowerPC 64-bit CPU model */
#define PPC64_CPU_TYPE_SUFFIX "-powerpc64-cpu"

static void add_type_info(const SpaprVersion *v, void *opaque)
{
    GArray *types = opaque;
    bool newest = v == NEWEST;
    MachineTypeInfo t = {
        .name = v->name,
        .alias = newest ? "pseries" : NULL,
        .desc = SPAPR_DESC,
        .is_default = newest,
        .default_cpu_type = g_strconcat(spapr_version_default_cpu(v), PPC64_CPU_TYPE_SUFFIX, NULL),
        .default_ram_id = "ppc_spapr.ram",
        .cpu_max = 4096,
        .hotpluggable_cpus = spapr_version_hotpluggable_cpus(v),
        .numa_mem_supported = spapr_version_numa_mem_supported(v),
        .smp_prefer_sockets = spapr_version_number(v) <= 601,
    };

    g_array_append_val(types, t);
}

const MachineTypeInfo *spapr_machine_types(size_t *count)
{
    static GArray *types;

    if (!types) {
        types = g_array_new(FALSE, TRUE, sizeof(MachineTypeInfo));
        spapr_version_foreach(add_type_info, types);
    }
    *count = types->len;
    return (const MachineTypeInfo *)types->data;
}

void *spapr_machine_parse_props(const char *type, QemuOpts *opts, char **err)
{
    const SpaprVersion *v = spapr_version_find(type);
    SpaprCaps *user = g_new0(SpaprCaps, 1);

    if (!v || !spapr_caps_parse(user, v, opts, err)) {
        g_free(user);
        return NULL;
    }
    return user;
}

void spapr_machine_free_props(void *props)
{
    spapr_caps_free(props);
    g_free(props);
}

void spapr_machine_print_props(const char *type, FILE *out)
{
    const SpaprVersion *v = spapr_version_find(type);

    spapr_caps_print_help(v ? v : NEWEST, out);
}
