/*
 * A pseries machine built by hand for unit tests of hypercalls: RAM, a few
 * CPUs, a machine type and properties, installed as spapr_machine so that
 * spapr_hypercall() hands it to the handlers.
 */
#ifndef TESTS_UNIT_SPAPR_TEST_MACHINE_H
#define TESTS_UNIT_SPAPR_TEST_MACHINE_H

#include "hw/ppc/spapr.h"
#include "exec/guest-memory.h"
#include "qemu/module.h"

/*
 * ram bytes of zeroed RAM, ncpus CPUs of the default model, machine type
 * (NULL: pseries-7.2) and properties as "name=value" strings (NULL-ended
 * array, or NULL).
 */
static inline SpaprMachineState *test_machine_new(uint64_t ram, unsigned ncpus, const char *type,
                                                  const char *const *props)
{
    SpaprMachineState *m = g_new0(SpaprMachineState, 1);
    QemuOpts *opts = qemu_opts_parse("", NULL, NULL);
    SpaprCaps user;
    char *err = NULL;

    module_call_init();
    guest_ram_init(ram);
    m->ram_size = ram;
    m->version = spapr_version_find(type ? type : "pseries-7.2");
    g_assert_nonnull(m->version);
    m->smp_cpus = m->max_cpus = ncpus;
    m->cpus = g_new0(PowerPCCPU *, ncpus);
    for (unsigned i = 0; i < ncpus; i++) {
        m->cpus[i] = ppc_cpu_create(ppc_cpu_model_default(), i);
    }
    m->cpu_model = ppc_cpu_model_default();
    for (size_t i = 0; props && props[i]; i++) {
        g_auto(GStrv) kv = g_strsplit(props[i], "=", 2);

        qemu_opt_set(opts, kv[0], kv[1]);
    }
    if (!spapr_caps_parse(&user, m->version, opts, &err)) {
        g_error("test machine properties: %s", err);
    }
    spapr_caps_resolve(&m->caps, m->version, &user, spapr_caps_cpu_max_pvr(m->cpu_model->name));
    spapr_caps_free(&user);
    qemu_opts_free(opts);
    spapr_machine = m;
    return m;
}

static inline void test_machine_free(SpaprMachineState *m)
{
    for (unsigned i = 0; i < m->smp_cpus; i++) {
        ppc_cpu_free(m->cpus[i]);
    }
    g_free(m->cpus);
    g_free(m->cpu_states);
    spapr_caps_free(&m->caps);
    g_free(m);
    spapr_machine = NULL;
    guest_ram_free();
}

/* Call opcode as CPU cpu_index would, with up to 9 arguments. */
static inline target_ulong test_hcall(SpaprMachineState *m, unsigned cpu_index, target_ulong opcode,
                                      target_ulong *args)
{
    return spapr_hypercall(m->cpus[cpu_index], opcode, args);
}

#endif
