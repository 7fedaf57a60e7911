/* STUB: RTAS (helper-owned; to be replaced). */
#include "hw/ppc/spapr_rtas.h"

uint64_t qtest_rtas_call(const char *name, uint32_t nargs, uint64_t args,
                         uint32_t nret, uint64_t rets) { return H_PARAMETER; }
int spapr_rtas_fdt(void *fdt, int rtas_node) { return 0; }
