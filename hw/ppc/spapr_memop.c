/* STUB: H_LOGICAL_MEMOP (helper-owned; to be replaced). */
#include "hw/ppc/spapr.h"
