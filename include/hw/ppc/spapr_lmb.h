/*
 * Memory hot-plug on pseries (hw/ppc/spapr_lmb.c): the DIMMs in the device
 * memory, for the device tree and the monitor.
 */
#ifndef HW_PPC_SPAPR_LMB_H
#define HW_PPC_SPAPR_LMB_H

#include "qemu/osdep.h"

/* The plugged pc-dimm devices (PCDIMMDevice *) by ascending address; the caller frees the array. */
GPtrArray *spapr_lmb_dimms_by_addr(void);
/* The most -m slots= the machine takes (QEMU: 32). */
unsigned spapr_lmb_max_slots(void);

#endif
