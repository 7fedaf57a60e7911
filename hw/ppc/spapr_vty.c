/* STUB: spapr-vty console (helper-owned; to be replaced). */
#include "hw/ppc/spapr_vio.h"
