/*
 * PCI hot-plug on sPAPR PHBs: one physical connector per devfn, device_add
 * and device_del through them, as QEMU 7.2's pseries does it.
 */
#include "hw/pci/spapr_pci.h"
#include "hw/ppc/spapr_drc.h"
#include "hw/qdev-hotplug.h"

#define PHB_DRC_ID(phb, devfn) ((phb)->index << 16 | (devfn))

static SpaprPhbState *bus_phb(BusState *bus)
{
    return (SpaprPhbState *)bus->parent;
}

static SpaprDrc *dev_drc(SpaprPhbState *phb, PCIDevice *pdev)
{
    return spapr_drc_by_id(SPAPR_DRC_TYPE_PCI, PHB_DRC_ID(phb, pdev->devfn));
}

static int pci_populate(SpaprDrc *drc, void *fdt, int parent, int *start)
{
    int node = spapr_pci_dt_device(drc->opaque, (PCIDevice *)drc->dev, fdt, parent);

    *start = node;
    return node < 0 ? node : 0;
}

/* The guest let the device go (or reset came after device_del): it is deleted. */
static void pci_release(SpaprDrc *drc)
{
    DeviceState *dev = drc->dev;

    spapr_drc_device_deleted(dev);
    qdev_free(dev);
}

static const SpaprDrcOps pci_drc_ops = {
    .populate = pci_populate,
    .release = pci_release,
};

/*
 * Before the bus takes the devfn: a function other than 0 cannot be added
 * once function 0 is there (the guest scans a slot when function 0 comes).
 */
static bool phb_pre_plug(BusState *bus, DeviceState *dev, Error **errp)
{
    PCIBus *pbus = (PCIBus *)bus;
    PCIDevice *pdev = (PCIDevice *)dev, *f0;

    if (pdev->devfn < 0 || !PCI_FUNC(pdev->devfn)) {
        return true;
    }
    f0 = pbus->devices[PCI_DEVFN(PCI_SLOT(pdev->devfn), 0)];
    if (f0) {
        error_setg(errp,
                   "PCI: slot %d function 0 already occupied by %s, additional functions can no "
                   "longer be exposed to guest.",
                   PCI_SLOT(pdev->devfn), f0->qdev.cls->name);
        return false;
    }
    return true;
}

/* Plugged: the connector holds it; function 0 announces every function of the slot. */
static void phb_plug(BusState *bus, DeviceState *dev)
{
    SpaprPhbState *phb = bus_phb(bus);
    PCIDevice *pdev = (PCIDevice *)dev;
    SpaprDrc *drc = dev_drc(phb, pdev);

    spapr_drc_attach(drc, dev, &pci_drc_ops, phb);
    if (PCI_FUNC(pdev->devfn)) {
        return;
    }
    for (unsigned f = 0; f < PCI_FUNC_MAX; f++) {
        SpaprDrc *fd = spapr_drc_by_id(SPAPR_DRC_TYPE_PCI,
                                       PHB_DRC_ID(phb, PCI_DEVFN(PCI_SLOT(pdev->devfn), f)));

        if (fd->present) {
            spapr_hotplug_req_add_by_index(phb->spapr, fd);
        }
    }
}

/*
 * device_del: another function is only marked; function 0 takes the whole
 * slot with it, the last function first, and the guest hears about each
 * one it still holds (as QEMU 7.2 does).
 */
static bool phb_unplug_request(BusState *bus, DeviceState *dev, Error **errp)
{
    SpaprPhbState *phb = bus_phb(bus);
    PCIDevice *pdev = (PCIDevice *)dev;
    SpaprDrc *drc = dev_drc(phb, pdev);
    unsigned slot = PCI_SLOT(pdev->devfn);

    if (!drc || drc->dev != dev) {
        error_setg(errp, "No DRC for device %s", dev->id ? dev->id : dev->cls->name);
        return false;
    }
    if (drc->unplug_requested) {
        error_setg(errp, "PCI device unplug already in progress for device %s",
                   dev->id ? dev->id : "");
        return false;
    }
    if (PCI_FUNC(pdev->devfn)) {
        drc->unplug_requested = true;
        return true;
    }
    for (int f = PCI_FUNC_MAX - 1; f >= 0; f--) {
        SpaprDrc *fd = spapr_drc_by_id(SPAPR_DRC_TYPE_PCI, PHB_DRC_ID(phb, PCI_DEVFN(slot, f)));

        if (!fd->present) {
            continue;
        }
        /* Released at once when the guest never took it: then there is nothing to tell. */
        spapr_drc_unplug_request(fd);
        if (fd->present) {
            spapr_hotplug_req_remove_by_index(phb->spapr, fd);
        }
    }
    return true;
}

static const HotplugHandler phb_hotplug = {
    .pre_plug = phb_pre_plug,
    .plug = phb_plug,
    .unplug_request = phb_unplug_request,
};

void spapr_pci_hotplug_init(SpaprPhbState *phb)
{
    SpaprDrc *drc;

    if (!phb->dr_enabled) {
        return;
    }
    for (unsigned devfn = 0; devfn < PCI_DEVFN_MAX; devfn++) {
        spapr_drc_new(SPAPR_DRC_TYPE_PCI, PHB_DRC_ID(phb, devfn));
    }
    qbus_set_hotplug_handler(&phb->bus->qbus, &phb_hotplug);
    /* The PHB itself sits in its connector (present, configured at reset). */
    drc = spapr_drc_by_id(SPAPR_DRC_TYPE_PHB, phb->index);
    if (drc && !drc->present) {
        spapr_drc_attach(drc, &phb->qdev, NULL, NULL);
    }
}

void spapr_pci_hotplug_fini(SpaprPhbState *phb)
{
    SpaprDrc *drc = spapr_drc_by_id(SPAPR_DRC_TYPE_PHB, phb->index);

    qbus_set_hotplug_handler(&phb->bus->qbus, NULL);
    if (drc && drc->dev == &phb->qdev) {
        drc->present = false;
        drc->dev = NULL;
    }
    for (unsigned devfn = 0; phb->dr_enabled && devfn < PCI_DEVFN_MAX; devfn++) {
        spapr_drc_free(spapr_drc_by_id(SPAPR_DRC_TYPE_PCI, PHB_DRC_ID(phb, devfn)));
    }
}

static void phb_attach_cold(SpaprPhbState *phb, void *opaque)
{
    for (unsigned devfn = 0; phb->dr_enabled && devfn < PCI_DEVFN_MAX; devfn++) {
        PCIDevice *pdev = phb->bus->devices[devfn];
        SpaprDrc *drc = spapr_drc_by_id(SPAPR_DRC_TYPE_PCI, PHB_DRC_ID(phb, devfn));

        if (pdev && drc && !drc->present) {
            spapr_drc_attach(drc, &pdev->qdev, &pci_drc_ops, phb);
        }
    }
}

void spapr_pci_hotplug_reset(void)
{
    spapr_pci_foreach_phb(phb_attach_cold, NULL);
}
