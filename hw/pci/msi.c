/*
 * Message-signalled interrupts of PCI devices: the MSI capability (one
 * address/data pair, up to 32 vectors) and MSI-X (a table of address/data
 * pairs with per-vector masks and a pending-bit array, in a BAR).
 */
#include "hw/pci/pci.h"
#include "hw/qdev-state.h"

struct PCIMsixState {
    unsigned nvec;
    int table_bar, pba_bar;
    uint32_t table_offset, pba_offset;
    uint8_t *table; /* nvec entries of 16 bytes, little-endian */
    uint8_t *pba;   /* one bit per vector */
};

static void pci_send_msi(PCIDevice *dev, uint64_t addr, uint32_t data)
{
    if (dev->bus && dev->bus->ops && dev->bus->ops->msi) {
        dev->bus->ops->msi(dev->bus->opaque, addr, data);
    }
}

/* ---- MSI ------------------------------------------------------------------------------ */

bool msi_init(PCIDevice *dev, uint8_t offset, unsigned nvectors, Error **errp)
{
    unsigned log2 = 0;
    uint8_t cap;

    while ((1u << log2) < nvectors) {
        log2++;
    }
    g_assert(nvectors && (1u << log2) == nvectors && log2 <= 5);
    cap = pci_add_capability(dev, PCI_CAP_ID_MSI, offset, PCI_MSI_SIZEOF_64, errp);
    if (!cap) {
        return false;
    }
    dev->msi_cap = cap;
    dev->msi_vectors = nvectors;
    pci_set_word(dev->config + cap + PCI_MSI_FLAGS, PCI_MSI_FLAGS_64BIT | log2 << 1);
    pci_set_word(dev->wmask + cap + PCI_MSI_FLAGS, PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE);
    pci_set_long(dev->wmask + cap + PCI_MSI_ADDRESS_LO, 0xfffffffc);
    pci_set_long(dev->wmask + cap + PCI_MSI_ADDRESS_HI, 0xffffffff);
    pci_set_word(dev->wmask + cap + PCI_MSI_DATA_64, 0xffff);
    return true;
}

bool msi_enabled(const PCIDevice *dev)
{
    return dev->msi_cap &&
           (pci_get_word(dev->config + dev->msi_cap + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_ENABLE);
}

unsigned msi_nr_vectors_allocated(const PCIDevice *dev)
{
    unsigned qsize;

    if (!dev->msi_cap) {
        return 0;
    }
    qsize = (pci_get_word(dev->config + dev->msi_cap + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_QSIZE) >> 4;
    return MIN(1u << qsize, dev->msi_vectors);
}

/* With n vectors enabled the device puts the vector number in the low log2(n) data bits. */
void msi_notify(PCIDevice *dev, unsigned vector)
{
    const uint8_t *c = dev->config + dev->msi_cap;
    unsigned n = msi_nr_vectors_allocated(dev);
    uint64_t addr;
    uint32_t data;

    if (!msi_enabled(dev) || vector >= n) {
        return;
    }
    addr = pci_get_long(c + PCI_MSI_ADDRESS_LO) | (uint64_t)pci_get_long(c + PCI_MSI_ADDRESS_HI)
                                                      << 32;
    data = (pci_get_word(c + PCI_MSI_DATA_64) & ~(n - 1)) | vector;
    pci_send_msi(dev, addr, data);
}

void msi_set_message(PCIDevice *dev, uint64_t addr, uint32_t data)
{
    uint8_t *c = dev->config + dev->msi_cap;

    if (!dev->msi_cap) {
        return;
    }
    pci_set_long(c + PCI_MSI_ADDRESS_LO, addr);
    pci_set_long(c + PCI_MSI_ADDRESS_HI, addr >> 32);
    pci_set_word(c + PCI_MSI_DATA_64, data);
}

/* ---- MSI-X ---------------------------------------------------------------------------- */

static uint16_t msix_flags(const PCIDevice *dev)
{
    return pci_get_word(dev->config + dev->msix_cap + PCI_MSIX_FLAGS);
}

bool msix_enabled(const PCIDevice *dev)
{
    return dev->msix && (msix_flags(dev) & PCI_MSIX_FLAGS_ENABLE);
}

unsigned msix_nr_vectors(const PCIDevice *dev)
{
    return dev->msix ? dev->msix->nvec : 0;
}

static bool msix_masked(const PCIDevice *dev, unsigned v)
{
    const uint8_t *e = dev->msix->table + v * PCI_MSIX_ENTRY_SIZE;

    return (msix_flags(dev) & PCI_MSIX_FLAGS_MASKALL) ||
           (e[PCI_MSIX_ENTRY_VECTOR_CTRL] & PCI_MSIX_ENTRY_CTRL_MASKBIT);
}

static void msix_send(PCIDevice *dev, unsigned v)
{
    const uint8_t *e = dev->msix->table + v * PCI_MSIX_ENTRY_SIZE;
    uint64_t addr = pci_get_long(e + PCI_MSIX_ENTRY_LOWER_ADDR) |
                    (uint64_t)pci_get_long(e + PCI_MSIX_ENTRY_UPPER_ADDR) << 32;

    pci_send_msi(dev, addr, pci_get_long(e + PCI_MSIX_ENTRY_DATA));
}

void msix_notify(PCIDevice *dev, unsigned vector)
{
    if (!msix_enabled(dev) || vector >= dev->msix->nvec) {
        return;
    }
    if (msix_masked(dev, vector)) {
        dev->msix->pba[vector / 8] |= 1 << (vector % 8);
        return;
    }
    msix_send(dev, vector);
}

/* A vector the guest unmasked while it was pending is sent now (PCI 3.0, 6.8.2.9). */
static void msix_deliver_pending(PCIDevice *dev)
{
    if (!msix_enabled(dev)) {
        return;
    }
    for (unsigned v = 0; v < dev->msix->nvec; v++) {
        if ((dev->msix->pba[v / 8] & (1 << (v % 8))) && !msix_masked(dev, v)) {
            dev->msix->pba[v / 8] &= ~(1 << (v % 8));
            msix_send(dev, v);
        }
    }
}

void msix_set_message(PCIDevice *dev, unsigned vector, uint64_t addr, uint32_t data)
{
    uint8_t *e;

    if (!dev->msix || vector >= dev->msix->nvec) {
        return;
    }
    e = dev->msix->table + vector * PCI_MSIX_ENTRY_SIZE;
    pci_set_long(e + PCI_MSIX_ENTRY_LOWER_ADDR, addr);
    pci_set_long(e + PCI_MSIX_ENTRY_UPPER_ADDR, addr >> 32);
    pci_set_long(e + PCI_MSIX_ENTRY_DATA, data);
}

bool msix_init(PCIDevice *dev, unsigned nvectors, int table_bar, uint32_t table_offset, int pba_bar,
               uint32_t pba_offset, uint8_t cap_offset, Error **errp)
{
    uint64_t table_size = (uint64_t)nvectors * PCI_MSIX_ENTRY_SIZE;
    uint64_t pba_size = QEMU_ALIGN_UP(nvectors, 64) / 8;
    PCIMsixState *m;
    uint8_t cap;

    if (!nvectors || nvectors > 2048 || table_bar < 0 || table_bar > 5 || pba_bar < 0 ||
        pba_bar > 5 || (table_offset & 7) || (pba_offset & 7) ||
        table_offset + table_size > dev->io_regions[table_bar].size ||
        pba_offset + pba_size > dev->io_regions[pba_bar].size) {
        error_setg(errp, "msi-x: table or PBA does not fit its BAR");
        return false;
    }
    cap = pci_add_capability(dev, PCI_CAP_ID_MSIX, cap_offset, PCI_CAP_MSIX_SIZEOF, errp);
    if (!cap) {
        return false;
    }
    m = g_new0(PCIMsixState, 1);
    m->nvec = nvectors;
    m->table_bar = table_bar;
    m->table_offset = table_offset;
    m->pba_bar = pba_bar;
    m->pba_offset = pba_offset;
    m->table = g_malloc0(table_size);
    m->pba = g_malloc0(pba_size);
    dev->msix = m;
    dev->msix_cap = cap;
    pci_set_word(dev->config + cap + PCI_MSIX_FLAGS, nvectors - 1);
    pci_set_word(dev->wmask + cap + PCI_MSIX_FLAGS, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
    pci_set_long(dev->config + cap + PCI_MSIX_TABLE, table_offset | table_bar);
    pci_set_long(dev->config + cap + PCI_MSIX_PBA, pba_offset | pba_bar);
    pci_msix_reset(dev);
    return true;
}

/* QEMU's layout: the table at 0, the PBA at half the BAR, the BAR at least 4 KiB. */
bool msix_init_exclusive_bar(PCIDevice *dev, unsigned nvectors, int bar, Error **errp)
{
    uint64_t table = (uint64_t)nvectors * PCI_MSIX_ENTRY_SIZE;
    uint64_t size = 4096;

    while (size < 2 * table) {
        size *= 2;
    }
    pci_register_bar(dev, bar, PCI_BASE_ADDRESS_SPACE_MEMORY, size, NULL, NULL);
    return msix_init(dev, nvectors, bar, 0, bar, size / 2, 0, errp);
}

bool pci_msix_bar_access(PCIDevice *dev, int bar, hwaddr off, uint64_t *val, unsigned size,
                         bool is_write)
{
    PCIMsixState *m = dev->msix;
    uint64_t table_size, pba_size;
    uint8_t *base;

    if (!m) {
        return false;
    }
    table_size = (uint64_t)m->nvec * PCI_MSIX_ENTRY_SIZE;
    pba_size = QEMU_ALIGN_UP(m->nvec, 64) / 8;
    if (bar == m->table_bar && off >= m->table_offset &&
        off + size <= m->table_offset + table_size) {
        base = m->table + (off - m->table_offset);
    } else if (bar == m->pba_bar && off >= m->pba_offset &&
               off + size <= m->pba_offset + pba_size) {
        base = m->pba + (off - m->pba_offset);
        if (is_write) {
            return true; /* the PBA is read-only */
        }
    } else {
        return false;
    }
    if (!is_write) {
        *val = 0;
        for (unsigned i = 0; i < size; i++) {
            *val |= (uint64_t)base[i] << (8 * i);
        }
        return true;
    }
    for (unsigned i = 0; i < size; i++) {
        base[i] = *val >> (8 * i);
    }
    msix_deliver_pending(dev);
    return true;
}

/* Config writes that touch the capabilities: MSI-X enable or unmask sends what waits. */
void pci_msi_write_config(PCIDevice *dev, uint32_t addr, unsigned len)
{
    if (dev->msix_cap && addr < dev->msix_cap + 4u && addr + len > dev->msix_cap + 2u) {
        msix_deliver_pending(dev);
    }
}

void pci_msix_reset(PCIDevice *dev)
{
    if (dev->msi_cap) {
        uint8_t *c = dev->config + dev->msi_cap;

        pci_set_word(c + PCI_MSI_FLAGS, pci_get_word(c + PCI_MSI_FLAGS) &
                                            ~(PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE));
        memset(c + PCI_MSI_ADDRESS_LO, 0, PCI_MSI_SIZEOF_64 - PCI_MSI_ADDRESS_LO);
    }
    if (dev->msix) {
        uint8_t *c = dev->config + dev->msix_cap;

        pci_set_word(c + PCI_MSIX_FLAGS, pci_get_word(c + PCI_MSIX_FLAGS) &
                                             ~(PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL));
        memset(dev->msix->table, 0, (size_t)dev->msix->nvec * PCI_MSIX_ENTRY_SIZE);
        for (unsigned v = 0; v < dev->msix->nvec; v++) {
            dev->msix->table[v * PCI_MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_VECTOR_CTRL] =
                PCI_MSIX_ENTRY_CTRL_MASKBIT;
        }
        memset(dev->msix->pba, 0, QEMU_ALIGN_UP(dev->msix->nvec, 64) / 8);
    }
}

void pci_msi_free(PCIDevice *dev)
{
    if (dev->msix) {
        g_free(dev->msix->table);
        g_free(dev->msix->pba);
        g_free(dev->msix);
        dev->msix = NULL;
    }
    dev->msix_cap = dev->msi_cap = 0;
}

/* ---- Migration: the MSI-X table and pending bits (the capability is in config) --- */

static size_t msix_pba_bytes(const PCIMsixState *m)
{
    return QEMU_ALIGN_UP(m->nvec, 64) / 8;
}

static size_t msix_state_size(const void *member)
{
    const PCIMsixState *m = *(PCIMsixState *const *)member;

    return m ? (size_t)m->nvec * PCI_MSIX_ENTRY_SIZE + msix_pba_bytes(m) : 0;
}

static void msix_state_save(const void *member, GByteArray *out)
{
    const PCIMsixState *m = *(PCIMsixState *const *)member;

    if (m) {
        g_byte_array_append(out, m->table, (size_t)m->nvec * PCI_MSIX_ENTRY_SIZE);
        g_byte_array_append(out, m->pba, msix_pba_bytes(m));
    }
}

static void msix_state_load(void *member, const uint8_t *buf, size_t len)
{
    PCIMsixState *m = *(PCIMsixState **)member;
    size_t table = m ? (size_t)m->nvec * PCI_MSIX_ENTRY_SIZE : 0;

    if (m) {
        g_assert(len == table + msix_pba_bytes(m));
        memcpy(m->table, buf, table);
        memcpy(m->pba, buf + table, len - table);
    }
}

/* The stream's length is the instance's (nvec is a property): no other check. */
const VMStateCustom vmstate_pci_msix = {
    .size = msix_state_size,
    .save = msix_state_save,
    .load = msix_state_load,
};
