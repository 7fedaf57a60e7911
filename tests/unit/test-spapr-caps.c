/*
 * Unit tests of the pseries machine properties: defaults per machine type
 * (QEMU 7.2's, read with qom-get on Debian's qemu-system-ppc64), parsing and
 * its one-line errors, the CPU rules, the machine hooks, -machine help.
 */
#include "hw/boards.h"
#include "hw/ppc/spapr.h"
#include "qemu/module.h"

/* Parse "a=b,c=d" for machine type; NULL on success, else the error (g_free it). */
static char *parse(const char *type, const char *props, SpaprCaps *user)
{
    QemuOpts *opts = qemu_opts_parse(props, NULL, NULL);
    char *err = NULL;

    g_assert_nonnull(opts);
    if (!spapr_caps_parse(user, spapr_version_find(type), opts, &err)) {
        g_assert_nonnull(err);
    }
    qemu_opts_free(opts);
    return err;
}

/* The effective values for type, props and a CPU model. */
static void resolve(SpaprCaps *eff, const char *type, const char *props, const char *cpu)
{
    SpaprCaps user;
    g_autofree char *err = parse(type, props, &user);

    g_assert_null(err);
    spapr_caps_resolve(eff, spapr_version_find(type), &user, spapr_caps_cpu_max_pvr(cpu));
    spapr_caps_free(&user);
}

/* What QEMU 7.2 reports for each machine type (POWER9 for the newer, its own default CPU). */
typedef struct VersionDefaults {
    const char *type;
    bool htm, ccf_assist, fwnmi, large_decr, modern_hotplug, suppress_vmdesc;
    SpaprCapMode cfpc, sbbc, ibs;
    unsigned hpt_shift;
    SpaprIcMode ic;
    SpaprResizeHpt resize;
} VersionDefaults;

#define W SPAPR_CAP_WORKAROUND
#define B SPAPR_CAP_BROKEN
static const VersionDefaults version_defaults[] = {
    { "pseries-7.2", false, true, true, true, true, false, W, W, W, 16, SPAPR_IC_MODE_DUAL,
      SPAPR_RESIZE_HPT_ENABLED },
    { "pseries-5.0", false, true, true, true, true, false, W, W, W, 16, SPAPR_IC_MODE_DUAL,
      SPAPR_RESIZE_HPT_ENABLED },
    { "pseries-4.2", false, false, false, true, true, false, W, W, W, 16, SPAPR_IC_MODE_DUAL,
      SPAPR_RESIZE_HPT_ENABLED },
    { "pseries-4.0", false, false, false, true, true, false, W, W, W, 16, SPAPR_IC_MODE_XICS,
      SPAPR_RESIZE_HPT_ENABLED },
    { "pseries-3.1", false, false, false, false, true, false, B, B, B, 16, SPAPR_IC_MODE_XICS,
      SPAPR_RESIZE_HPT_ENABLED },
    { "pseries-3.0", false, false, false, false, true, false, B, B, B, 16, SPAPR_IC_MODE_LEGACY,
      SPAPR_RESIZE_HPT_ENABLED },
    { "pseries-2.12", false, false, false, false, true, false, B, B, B, 34, SPAPR_IC_MODE_LEGACY,
      SPAPR_RESIZE_HPT_ENABLED },
    { "pseries-2.12-sxxm", false, false, false, false, true, false, W, W, SPAPR_CAP_FIXED_CCD, 34,
      SPAPR_IC_MODE_LEGACY, SPAPR_RESIZE_HPT_ENABLED },
    /* QEMU refuses this one under TCG: cap-htm is on. */
    { "pseries-2.11", true, false, false, false, true, false, B, B, B, 34, SPAPR_IC_MODE_LEGACY,
      SPAPR_RESIZE_HPT_ENABLED },
    { "pseries-2.9", true, false, false, false, true, false, B, B, B, 34, SPAPR_IC_MODE_LEGACY,
      SPAPR_RESIZE_HPT_DISABLED },
    { "pseries-2.7", true, false, false, false, false, false, B, B, B, 34, SPAPR_IC_MODE_LEGACY,
      SPAPR_RESIZE_HPT_DISABLED },
    { "pseries-2.2", true, false, false, false, false, true, B, B, B, 34, SPAPR_IC_MODE_LEGACY,
      SPAPR_RESIZE_HPT_DISABLED },
    { "pseries-2.1", true, false, false, false, false, true, B, B, B, 34, SPAPR_IC_MODE_LEGACY,
      SPAPR_RESIZE_HPT_DISABLED },
};
#undef W
#undef B

static void test_version_defaults(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(version_defaults); i++) {
        const VersionDefaults *d = &version_defaults[i];
        SpaprCaps c;

        g_test_message("%s", d->type);
        spapr_caps_defaults(&c, spapr_version_find(d->type));
        g_assert_cmpint(c.htm, ==, d->htm);
        g_assert_true(c.vsx && c.dfp && !c.nested_hv && !c.rpt_invalidate && !c.x_vof);
        g_assert_cmpint(c.ccf_assist, ==, d->ccf_assist);
        g_assert_cmpint(c.fwnmi, ==, d->fwnmi);
        g_assert_cmpint(c.large_decr, ==, d->large_decr);
        g_assert_cmpint(c.modern_hotplug_events, ==, d->modern_hotplug);
        g_assert_cmpint(c.suppress_vmdesc, ==, d->suppress_vmdesc);
        g_assert_cmpint(c.cfpc, ==, d->cfpc);
        g_assert_cmpint(c.sbbc, ==, d->sbbc);
        g_assert_cmpint(c.ibs, ==, d->ibs);
        g_assert_cmpuint(c.hpt_max_page_shift, ==, d->hpt_shift);
        g_assert_cmpint(c.ic_mode, ==, d->ic);
        g_assert_cmpint(c.resize_hpt, ==, d->resize);
        g_assert_true(!c.usb && c.dump_guest_core && c.mem_merge && c.graphics);
        g_assert_cmpuint(c.given, ==, 0);
        spapr_caps_free(&c);
    }
}

/* The machine types as query-machines shows them on QEMU 7.2. */
static void test_machine_types(void)
{
    static const struct {
        const char *name, *cpu;
        bool hotplug, numa;
    } types[] = {
        { "pseries-7.2", "power9_v2.0-powerpc64-cpu", true, false },
        { "pseries-5.1", "power9_v2.0-powerpc64-cpu", true, false },
        { "pseries-5.0", "power9_v2.0-powerpc64-cpu", true, true },
        { "pseries-4.0", "power9_v2.0-powerpc64-cpu", true, true },
        { "pseries-3.1", "power8_v2.0-powerpc64-cpu", true, true },
        { "pseries-2.12-sxxm", "power8_v2.0-powerpc64-cpu", true, true },
        { "pseries-2.8", "power8_v2.0-powerpc64-cpu", true, true },
        { "pseries-2.7", "power7_v2.3-powerpc64-cpu", true, true },
        { "pseries-2.6", "power7_v2.3-powerpc64-cpu", false, true },
        { "pseries-2.1", "power7_v2.3-powerpc64-cpu", false, true },
    };
    size_t n;
    const MachineTypeInfo *t = spapr_machine_types(&n);
    const char *type = NULL;

    g_assert_cmpuint(n, ==, 27);
    g_assert_cmpstr(t[0].name, ==, "pseries-7.2");
    g_assert_cmpstr(t[0].alias, ==, "pseries");
    g_assert_true(t[0].is_default);
    for (size_t i = 0; i < G_N_ELEMENTS(types); i++) {
        const MachineTypeInfo *m = NULL;

        for (size_t j = 0; j < n; j++) {
            if (!strcmp(t[j].name, types[i].name)) {
                m = &t[j];
            }
        }
        g_assert_nonnull(m);
        g_assert_cmpstr(m->default_cpu_type, ==, types[i].cpu);
        g_assert_cmpint(m->hotpluggable_cpus, ==, types[i].hotplug);
        g_assert_cmpint(m->numa_mem_supported, ==, types[i].numa);
        g_assert_cmpuint(m->cpu_max, ==, 4096);
        g_assert_cmpstr(m->default_ram_id, ==, "ppc_spapr.ram");
        g_assert_true(m == &t[0] || (!m->alias && !m->is_default));
    }

    /* The registry: every board's types, aliases resolved. */
    g_assert_true(machine_find("pseries", &type) == &spapr_machine_ops);
    g_assert_cmpstr(type, ==, "pseries-7.2");
    g_assert_true(machine_find("pseries-2.12-sxxm", &type) == &spapr_machine_ops);
    g_assert_cmpstr(type, ==, "pseries-2.12-sxxm");
    g_assert_nonnull(machine_find("none", &type));
    g_assert_true(machine_find("none", &type) != &spapr_machine_ops);
    g_assert_null(machine_find("pseries-7.3", &type));
    g_assert_null(machine_find("pseries-2.0", &type));
    g_assert_null(machine_find(NULL, &type));
    g_assert_cmpstr(machine_default_type(), ==, "pseries-7.2");
}

/* Processors running an older level lose the defaults they cannot have. */
static void test_cpu_rules(void)
{
    SpaprCaps c;

    /* POWER8: no large decrementer, and dual becomes XICS. */
    resolve(&c, "pseries", "", "power8_v2.0");
    g_assert_false(c.large_decr);
    g_assert_cmpint(c.ic_mode, ==, SPAPR_IC_MODE_XICS);
    g_assert_cmpint(c.cfpc, ==, SPAPR_CAP_WORKAROUND);
    spapr_caps_free(&c);

    /* POWER9 held to POWER7: what QEMU 7.2 shows (only cap-ibs stays a workaround). */
    resolve(&c, "pseries", "max-cpu-compat=power7", "power9_v2.0");
    g_assert_cmpuint(c.max_compat_pvr, ==, SPAPR_PVR_COMPAT_2_06);
    g_assert_cmpint(c.cfpc, ==, SPAPR_CAP_BROKEN);
    g_assert_cmpint(c.sbbc, ==, SPAPR_CAP_BROKEN);
    g_assert_cmpint(c.ibs, ==, SPAPR_CAP_WORKAROUND);
    g_assert_true(c.vsx && c.dfp && c.ccf_assist);
    g_assert_false(c.large_decr);
    spapr_caps_free(&c);

    /* power7+ keeps the speculation barrier. */
    resolve(&c, "pseries", "max-cpu-compat=power7+", "power9_v2.0");
    g_assert_cmpint(c.sbbc, ==, SPAPR_CAP_WORKAROUND);
    g_assert_cmpint(c.cfpc, ==, SPAPR_CAP_BROKEN);
    spapr_caps_free(&c);

    /* pseries-2.7 defaults to POWER7: no HTM although pseries-2.11 turned it on. */
    resolve(&c, "pseries-2.7", "", spapr_version_default_cpu(spapr_version_find("pseries-2.7")));
    g_assert_false(c.htm);
    spapr_caps_free(&c);
    resolve(&c, "pseries-2.7", "", "power8_v2.0");
    g_assert_true(c.htm);
    spapr_caps_free(&c);

    /* What the user gives wins over the CPU's defaults (the hooks judge it). */
    resolve(&c, "pseries", "cap-large-decr=on,ic-mode=xive", "power8_v2.0");
    g_assert_true(c.large_decr);
    g_assert_cmpint(c.ic_mode, ==, SPAPR_IC_MODE_XIVE);
    spapr_caps_free(&c);
    /* ... but "dual" is still XICS before POWER9, given or not (as QEMU). */
    resolve(&c, "pseries", "ic-mode=dual", "power8_v2.0");
    g_assert_cmpint(c.ic_mode, ==, SPAPR_IC_MODE_XICS);
    spapr_caps_free(&c);
}

static void test_parse_good(void)
{
    SpaprCaps c;

    resolve(&c, "pseries-4.2",
            "cap-cfpc=FIXED,cap-ibs=Fixed-Na,cap-ccf-assist=y,cap-fwnmi=yes,usb=on,"
            "cap-hpt-max-page-size=16M,vsmt=8,phandle-start=-5,kvm-type=HV,x-vof=true,"
            "max-cpu-compat=power9,resize-hpt=required,dt-compatible=foo,dumpdtb=/x,"
            "kernel-irqchip=whatever,type=pseries,accel=tcg",
            "power9_v2.0");
    g_assert_cmpint(c.cfpc, ==, SPAPR_CAP_FIXED);
    g_assert_cmpint(c.ibs, ==, SPAPR_CAP_FIXED_NA);
    g_assert_true(c.ccf_assist && c.fwnmi && c.usb && c.x_vof);
    g_assert_cmpuint(c.hpt_max_page_shift, ==, 24);
    g_assert_cmpuint(c.vsmt, ==, 8);
    g_assert_cmpint(c.phandle_start, ==, -5);
    g_assert_cmpstr(c.kvm_type, ==, "HV");
    g_assert_cmpuint(c.max_compat_pvr, ==, SPAPR_PVR_COMPAT_3_00);
    g_assert_cmpint(c.resize_hpt, ==, SPAPR_RESIZE_HPT_REQUIRED);
    g_assert_cmpstr(c.dt_compatible, ==, "foo");
    g_assert_cmpstr(c.dumpdtb, ==, "/x");
    /* Not given: the type's default. */
    g_assert_cmpint(c.sbbc, ==, SPAPR_CAP_WORKAROUND);
    g_assert_false(c.rpt_invalidate);
    spapr_caps_free(&c);
}

/* Bad values: QEMU 7.2's one-line messages. */
static void test_parse_bad(void)
{
    static const struct {
        const char *type, *props, *err;
    } cases[] = {
        { "pseries", "foo=1", "Property 'pseries-7.2-machine.foo' not found" },
        { "pseries-6.0", "cap-ail-mode-3=on",
          "Property 'pseries-6.0-machine.cap-ail-mode-3' not found" },
        { "pseries-4.2", "nvdimm-persistence=cpu",
          "Property 'pseries-4.2-machine.nvdimm-persistence' not found" },
        { "pseries", "nvdimm-persistence=x", "-machine nvdimm-persistence=x: unsupported option" },
        { "pseries", "cap-htm=1", "Parameter 'cap-htm' expects 'on' or 'off'" },
        { "pseries", "usb=Y", "Parameter 'usb' expects 'on' or 'off'" },
        { "pseries", "cap-cfpc=x", "Invalid capability mode \"x\" for cap-cfpc" },
        { "pseries", "cap-sbbc=fixed-ccd", "Invalid capability mode \"fixed-ccd\" for cap-sbbc" },
        { "pseries", "cap-ibs=fixed", "Invalid capability mode \"fixed\" for cap-ibs" },
        { "pseries", "cap-hpt-max-page-size=x", "Parameter 'cap-hpt-max-page-size' expects size" },
        { "pseries", "cap-hpt-max-page-size=3k", "cap-hpt-max-page-size must be a power of 2" },
        { "pseries", "cap-hpt-max-page-size=0", "cap-hpt-max-page-size must be a power of 2" },
        { "pseries", "ic-mode=XIVE", "Bad value for \"ic-mode\" property" },
        { "pseries", "ic-mode=legacy", "Bad value for \"ic-mode\" property" },
        { "pseries-3.0", "ic-mode=xics",
          "This machine only uses the legacy XICS backend, don't pass ic-mode" },
        { "pseries-2.1", "ic-mode=foo",
          "This machine only uses the legacy XICS backend, don't pass ic-mode" },
        { "pseries", "resize-hpt=x", "Bad value for \"resize-hpt\" property" },
        { "pseries", "max-cpu-compat=power5", "Invalid compatibility mode \"power5\"" },
        { "pseries", "max-cpu-compat=help", "Invalid compatibility mode \"help\"" },
        { "pseries", "phandle-start=x", "Parameter 'phandle-start' expects integer" },
        { "pseries", "phandle-start=99999999999999999999",
          "Parameter 'phandle-start' expects integer" },
        { "pseries", "vsmt=-1", "Parameter 'vsmt' expects uint32_t" },
        { "pseries", "vsmt=0x100000000", "Parameter 'vsmt' expects uint32_t" },
        { "pseries", "memory-backend=m0", "Memory backend 'm0' not found" },
        { "pseries", "confidential-guest-support=s", "Device 's' not found" },
        { "pseries", "memory-encryption=e", "No such memory encryption object 'e'" },
        { "pseries", "smp=2", "Invalid parameter type for 'smp', expected: object" },
        /* The first bad property is reported, and nothing of a failed parse is kept. */
        { "pseries", "usb=on,cap-vsx=x,foo=1", "Parameter 'cap-vsx' expects 'on' or 'off'" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        SpaprCaps user;
        g_autofree char *err = parse(cases[i].type, cases[i].props, &user);

        g_assert_cmpstr(err, ==, cases[i].err);
        g_assert_null(strchr(err, '\n'));
        g_assert_cmpuint(user.given, ==, 0);
    }
}

/* The machine hooks on effective values, in QEMU's order. */
static char *apply(const char *type, const char *props, const char *cpu)
{
    SpaprMachineState spapr = { 0 };
    char *err = NULL;

    spapr.version = spapr_version_find(type);
    spapr.cpu_model = ppc_cpu_model_find(cpu);
    g_assert_nonnull(spapr.cpu_model);
    resolve(&spapr.caps, type, props, spapr.cpu_model->name);
    if (spapr_caps_apply(&spapr, &err)) {
        g_assert_null(err);
    } else {
        g_assert_nonnull(err);
        g_assert_null(strchr(err, '\n'));
    }
    spapr_caps_free(&spapr.caps);
    return err;
}

static void test_apply(void)
{
    static const struct {
        const char *type, *props, *cpu, *err;
    } cases[] = {
        { "pseries", "", "power9", NULL },
        { "pseries", "", "power8", NULL },
        /* QEMU refuses it too: pseries-2.1 runs POWER7 by default, HTM is on from 2.11 down. */
        { "pseries-2.1", "", "power8", "No Transactional Memory support in TCG" },
        { "pseries", "cap-htm=on", "power9", "No Transactional Memory support in TCG" },
        { "pseries-2.11", "", "power8", "No Transactional Memory support in TCG" },
        { "pseries-2.8", "", "power9", "No Transactional Memory support in TCG" },
        { "pseries-2.8", "cap-htm=off", "power8", NULL },
        { "pseries", "cap-rpt-invalidate=on", "power9", "No H_RPT_INVALIDATE support in TCG" },
        { "pseries", "cap-nested-hv=on", "power9", NULL },
        { "pseries", "cap-nested-hv=on,max-cpu-compat=power8", "power9", NULL },
        { "pseries", "cap-nested-hv=on", "power8", "Nested-HV only supported on POWER9 and later" },
        { "pseries", "cap-large-decr=on", "power8", "Large decrementer only supported on POWER9" },
        { "pseries", "cap-large-decr=on,max-cpu-compat=power8", "power9",
          "Large decrementer only supported on POWER9" },
        { "pseries", "ic-mode=xive", "power8", "XIVE-only machines require a POWER9 CPU" },
        { "pseries", "ic-mode=xive,max-cpu-compat=power8", "power9",
          "XIVE-only machines require a POWER9 CPU" },
        { "pseries", "ic-mode=xive", "power9", NULL },
        { "pseries-4.0", "ic-mode=dual", "power8", NULL },
        { "pseries", "max-cpu-compat=power10", "power9",
          "Compatibility PVR 0x0f000006 not valid for CPU" },
        { "pseries", "max-cpu-compat=power9", "power8",
          "Compatibility PVR 0x0f000005 not valid for CPU" },
        { "pseries", "max-cpu-compat=power7+", "power8", NULL },
        { "pseries", "cap-hpt-max-page-size=2k", "power9",
          "Require at least 4kiB hpt-max-page-size" },
        /* QEMU's order: interrupt controller, capabilities in table order, CPU compat. */
        { "pseries", "max-cpu-compat=power10,cap-htm=on,ic-mode=xive", "power8",
          "XIVE-only machines require a POWER9 CPU" },
        { "pseries", "max-cpu-compat=power10,cap-rpt-invalidate=on,cap-htm=on", "power9",
          "No Transactional Memory support in TCG" },
        { "pseries", "max-cpu-compat=power10,cap-nested-hv=on", "power8",
          "Nested-HV only supported on POWER9 and later" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *err = apply(cases[i].type, cases[i].props, cases[i].cpu);

        g_test_message("%s,%s -cpu %s", cases[i].type, cases[i].props, cases[i].cpu);
        g_assert_cmpstr(err, ==, cases[i].err);
    }
}

/* The names QEMU 7.2 lists for -machine pseries,help, in its order. */
static const char *const qemu_help_names[] = {
    "append",
    "boot",
    "cap-ccf-assist",
    "cap-cfpc",
    "cap-dfp",
    "cap-fwnmi",
    "cap-hpt-max-page-size",
    "cap-htm",
    "cap-ibs",
    "cap-large-decr",
    "cap-nested-hv",
    "cap-rpt-invalidate",
    "cap-sbbc",
    "cap-vsx",
    "confidential-guest-support",
    "dt-compatible",
    "dtb",
    "dump-guest-core",
    "dumpdtb",
    "firmware",
    "graphics",
    "initrd",
    "kernel",
    "mem-merge",
    "memory-backend",
    "memory-encryption",
    "memory",
    "phandle-start",
    "smp",
    "suppress-vmdesc",
    "usb",
};

static char *help_text(const char *type)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    spapr_machine_ops.print_props(type, f);
    fclose(f);
    return buf;
}

static void test_help(void)
{
    g_autofree char *text = help_text("pseries-2.1");
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

    g_assert_cmpstr(lines[0], ==, "pseries-2.1-machine options:");
    g_assert_cmpuint(g_strv_length(lines), ==, G_N_ELEMENTS(qemu_help_names) + 2);
    for (size_t i = 0; i < G_N_ELEMENTS(qemu_help_names); i++) {
        g_autofree char *prefix = g_strdup_printf("  %s=<", qemu_help_names[i]);
        g_auto(GStrv) kv = NULL;
        SpaprCaps user;
        g_autofree char *err = NULL;
        g_autofree char *props = NULL;

        g_assert_true(g_str_has_prefix(lines[i + 1], prefix));
        /* Every listed property is one the parser knows. */
        props = g_strdup_printf("%s=x", qemu_help_names[i]);
        err = parse("pseries", props, &user);
        g_assert_true(!err || !g_str_has_prefix(err, "Property "));
        spapr_caps_free(&user);
    }
    g_assert_cmpstr(lines[G_N_ELEMENTS(qemu_help_names) + 1], ==, "");
    g_assert_nonnull(strstr(text, "\n  cap-htm=<bool>         - Allow Hardware Transactional "
                                  "Memory (HTM)\n"));
    g_assert_nonnull(strstr(text, "\n  cap-hpt-max-page-size=<int> - Maximum page size for Hash "
                                  "Page Table guests\n"));
    g_free(text);
    text = help_text("pseries");
    g_assert_true(g_str_has_prefix(text, "pseries-7.2-machine options:\n"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    module_call_init();
    g_test_add_func("/spapr-caps/version-defaults", test_version_defaults);
    g_test_add_func("/spapr-caps/machine-types", test_machine_types);
    g_test_add_func("/spapr-caps/cpu-rules", test_cpu_rules);
    g_test_add_func("/spapr-caps/parse-good", test_parse_good);
    g_test_add_func("/spapr-caps/parse-bad", test_parse_bad);
    g_test_add_func("/spapr-caps/apply", test_apply);
    g_test_add_func("/spapr-caps/help", test_help);
    return g_test_run();
}
