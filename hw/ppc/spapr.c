/* STUB: the pseries machine (helper-owned; to be replaced). */
#include "hw/ppc/spapr.h"
#include "qemu/error-report.h"

SpaprMachineState *spapr_machine_init(const MachineOptions *o)
{
    error_exit("the pseries machine is not implemented yet");
}

void spapr_machine_list(FILE *out)
{
    fprintf(out, "Supported machines are:\n");
    fprintf(out, "none                 empty machine\n");
    fprintf(out, "pseries              pSeries Logical Partition (PAPR compliant)\n");
}

void spapr_machine_list_props(FILE *out) {}
bool spapr_machine_type_valid(const char *name) { return !strcmp(name, "pseries"); }
bool spapr_machine_check_opts(QemuOpts *opts, char **err) { return true; }
bool spapr_device_add(SpaprMachineState *spapr, QemuOpts *opts, char **err)
{
    *err = g_strdup("devices are not implemented yet");
    return false;
}
void spapr_device_list(FILE *out) {}
bool spapr_device_list_props(const char *name, FILE *out) { return false; }
void spapr_machine_reset(void *opaque) {}
void *spapr_build_fdt(SpaprMachineState *spapr, uint32_t *size) { return NULL; }

static const MachineTypeInfo types[] = {
    { "pseries-7.2", "pseries", "pSeries Logical Partition (PAPR compliant)", true },
    { "none", NULL, "empty machine", false },
};
const MachineTypeInfo *spapr_machine_types(size_t *count)
{
    *count = ARRAY_SIZE(types);
    return types;
}
