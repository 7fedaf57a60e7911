/* STUB: VIO bus (helper-owned; to be replaced). */
#include "hw/ppc/spapr_vio.h"

void spapr_vio_list_types(FILE *out) {}
const SpaprVioDeviceType *spapr_vio_find_type(const char *name) { return NULL; }
