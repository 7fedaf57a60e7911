/*
 * -boot for the pseries firmware: which drive letters SLOF tries (/chosen
 * qemu,boot-device) and whether it shows its boot menu (qemu,boot-menu).
 */
#include "hw/ppc/spapr.h"

void spapr_boot_init(SpaprMachineState *spapr, const BootOptions *boot)
{
    if (!boot) {
        return;
    }
    spapr->boot_menu = boot->menu;
    spapr->boot_order = g_strdup(boot->order);
    /*
     * QEMU 7.2 tells the firmware only about once= at power-on; order= alone
     * is not published.  After the first reset once= gives way to order=.
     */
    spapr->boot_device = boot->once;
}

void spapr_boot_reset(SpaprMachineState *spapr)
{
    if (spapr->boot_reset_seen && spapr->boot_device != spapr->boot_order) {
        spapr->boot_device = spapr->boot_order;
    }
    spapr->boot_reset_seen = true;
}
