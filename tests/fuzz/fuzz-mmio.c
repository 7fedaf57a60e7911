/*
 * libFuzzer target: the memory map as the guest sees it (exec/memory.h's
 * dispatch) over the PCI host bridge's windows, with the devices of
 * fuzz-pci.c behind their BARs: loads and stores of every size and byte
 * order, H_LOGICAL_CI_LOAD/STORE, the byte-range accessors of qtest and the
 * debugger, and config space through RTAS ibm,read/write-pci-config (which
 * places and enables the BARs).
 *
 * Input: a flags byte (bit 0: place every BAR first, as firmware does),
 * then up to 64 operations, each an opcode byte and its operands.  An
 * address is chosen relative to a device's BAR (a little before it, inside,
 * or past its end), to one of the bridge's windows, to the MSI window, to the
 * end of RAM, to a mapped region's edges, or raw.
 *
 * Per input only the host bridge's subtree and the input window are reset.
 */
#include "fuzz-pci.h"
#include "exec/guest-memory.h"
#include "exec/memory.h"
#include "hw/pci/pci_regs.h"
#include "hw/ppc/spapr_rtas.h"

#define MAX_OPS 64
#define MAX_REGIONS 64
#define SENTINEL 0x5a5a5a5a5a5a5a5aULL

enum {
    OP_CFG_WRITE,
    OP_CFG_READ,
    OP_LOAD,
    OP_STORE,
    OP_HCALL,
    OP_BYTES,
    OP_MAP_ALL,
    OP_PLACE_BAR,
    OP_CHANGE_MSI,
    OP_COUNT,
};

typedef struct Regions {
    hwaddr base[MAX_REGIONS];
    uint64_t size[MAX_REGIONS];
    unsigned n;
} Regions;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_pci();
    return 0;
}

static PCIDevice *pick_dev(FuzzInput *in)
{
    FuzzPci *pci = fuzz_pci();

    return pci->devs[fuzz_u8(in) % pci->ndevs];
}

/* A config address: a present device's usually, else any devfn, bus and extended register. */
static uint32_t pick_cfg_addr(FuzzInput *in)
{
    uint8_t sel = fuzz_u8(in);
    uint16_t reg = fuzz_u16(in);

    if (sel < 0xf0) {
        return fuzz_pci_cfg_addr(pick_dev(in), reg & 0xfff);
    }
    return fuzz_u32(in);
}

static uint32_t pick_cfg_size(FuzzInput *in)
{
    uint8_t s = fuzz_u8(in);

    return s < 0xf0 ? 1u << (s % 3) : s;
}

static void add_region(MemoryRegion *mr, void *opaque)
{
    Regions *r = opaque;

    if (r->n < MAX_REGIONS) {
        r->base[r->n] = memory_region_base(mr);
        r->size[r->n++] = memory_region_size(mr);
    }
}

static hwaddr pick_addr(FuzzInput *in)
{
    SpaprPhbState *phb = fuzz_pci()->phb;
    uint8_t sel = fuzz_u8(in);

    switch (sel % 6) {
    case 0: { /* around a BAR: 32 KiB either side of its start */
        PCIDevice *dev = pick_dev(in);
        hwaddr base = fuzz_pci_bar_cpu(dev, fuzz_u8(in) % PCI_NUM_REGIONS);

        if (base == PCI_BAR_UNMAPPED) {
            base = phb->mem_win_addr;
        }
        return base + (int16_t)fuzz_u16(in);
    }
    case 1: { /* anywhere in one of the windows */
        hwaddr bases[3] = { phb->io_win_addr, phb->mem_win_addr, phb->mem64_win_addr };
        uint64_t sizes[3] = { phb->io_win_size, phb->mem_win_size, phb->mem64_win_size };
        unsigned w = fuzz_u8(in) % 3;

        return bases[w] + fuzz_u64(in) % sizes[w];
    }
    case 2:
        return fuzz_u64(in);
    case 3:
        return SPAPR_PCI_MSI_WINDOW + fuzz_u16(in);
    case 4:
        return guest_ram_size() - fuzz_u8(in);
    default: { /* the edges of a mapped region */
        Regions r = { .n = 0 };
        unsigned k;

        memory_map_foreach(add_region, &r);
        if (!r.n) {
            return fuzz_u64(in);
        }
        k = fuzz_u8(in) % r.n;
        return r.base[k] + (fuzz_u8(in) & 1 ? r.size[k] : 0) + (int8_t)fuzz_u8(in);
    }
    }
}

static unsigned pick_size(FuzzInput *in)
{
    return 1u << (fuzz_u8(in) % 4);
}

static void op_hcall(FuzzInput *in)
{
    SpaprMachineState *spapr = fuzz_machine();
    uint8_t kind = fuzz_u8(in);
    uint8_t s = fuzz_u8(in);
    target_ulong args[SPAPR_HCALL_NARGS] = { 0 };
    target_ulong opcode = kind & 1 ? H_LOGICAL_CI_STORE : H_LOGICAL_CI_LOAD;

    /* Mostly sizes a guest uses, sometimes anything. */
    args[0] = s < 0xf0 ? 1u << (s % 4) : s;
    args[1] = pick_addr(in);
    args[2] = fuzz_u64(in);
    spapr_hypercall(spapr->cpus[kind >> 7], opcode, args);
}

static void op_bytes(FuzzInput *in)
{
    uint8_t kind = fuzz_u8(in);
    hwaddr addr = pick_addr(in);
    uint8_t buf[64];
    size_t len = fuzz_u8(in) % sizeof(buf) + 1;
    size_t got;
    const uint8_t *src = fuzz_bytes(in, len, &got);

    memset(buf, 0, sizeof(buf));
    memcpy(buf, src, got);
    switch (kind % 4) {
    case 0:
        memory_map_read_bytes(addr, buf, len);
        break;
    case 1:
        memory_map_write_bytes(addr, buf, len);
        break;
    case 2:
        memory_map_read_bytes_unassigned_zero(addr, buf, len);
        break;
    default:
        memory_map_write_bytes_unassigned_drop(addr, buf, len);
        break;
    }
}

/* BAR n of a device at a bus address the input gives, in the memory or I/O space. */
static void op_place_bar(FuzzInput *in)
{
    PCIDevice *dev = pick_dev(in);
    int n = fuzz_u8(in) % PCI_NUM_REGIONS;
    uint32_t reg = n == PCI_ROM_SLOT ? PCI_ROM_ADDRESS : PCI_BASE_ADDRESS_0 + 4 * n;
    uint32_t addr = fuzz_u32(in);
    uint8_t how = fuzz_u8(in);

    if (how & 1) { /* inside the 32-bit window, often on top of another BAR */
        addr = SPAPR_PCI_MEM_WIN_BUS_OFFSET + (addr & 0xfffff);
    }
    fuzz_pci_cfg_write(fuzz_pci_cfg_addr(dev, reg), 4, addr | (n == PCI_ROM_SLOT));
    if (how & 2) {
        fuzz_pci_cfg_write(fuzz_pci_cfg_addr(dev, reg + 4), 4, fuzz_u32(in));
    }
    fuzz_pci_cfg_write(fuzz_pci_cfg_addr(dev, PCI_COMMAND), 2, how >> 2);
}

/* ibm,change-msi: set up (or tear down) MSI or MSI-X, so device notifications have a target. */
static void op_change_msi(FuzzInput *in)
{
    uint32_t args[6] = { pick_cfg_addr(in), SPAPR_PCI_BASE_BUID >> 32,
                         (uint32_t)SPAPR_PCI_BASE_BUID };

    args[3] = fuzz_u8(in) % 6;
    args[4] = fuzz_u8(in) % 40;
    args[5] = fuzz_u8(in);
    fuzz_pci_rtas(RTAS_IBM_CHANGE_MSI, 6, 4, args, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzInput in = { data, size, 0 };
    uint8_t flags = fuzz_u8(&in);

    fuzz_pci_reset();
    if (flags & 1) {
        fuzz_pci_map_all();
    }
    for (unsigned n = 0; n < MAX_OPS && fuzz_left(&in); n++) {
        uint8_t op = fuzz_u8(&in) % OP_COUNT;
        uint32_t val;
        uint64_t v64;

        switch (op) {
        case OP_CFG_WRITE: {
            uint32_t addr = pick_cfg_addr(&in);
            uint32_t sz = pick_cfg_size(&in);

            fuzz_pci_cfg_write(addr, sz, fuzz_u32(&in));
            break;
        }
        case OP_CFG_READ: {
            uint32_t addr = pick_cfg_addr(&in);

            fuzz_pci_cfg_read(addr, pick_cfg_size(&in), &val);
            break;
        }
        case OP_LOAD: {
            bool be = fuzz_u8(&in) & 1;
            hwaddr addr = pick_addr(&in);
            unsigned sz = pick_size(&in);

            v64 = SENTINEL;
            /* A refused load leaves the value alone (exec/memory.h). */
            if (!memory_map_read(addr, sz, be, &v64)) {
                g_assert_cmphex(v64, ==, SENTINEL);
            } else if (sz < 8) {
                g_assert_cmphex(v64 >> (8 * sz), ==, 0);
            }
            break;
        }
        case OP_STORE: {
            bool be = fuzz_u8(&in) & 1;
            hwaddr addr = pick_addr(&in);
            unsigned sz = pick_size(&in);

            memory_map_write(addr, sz, be, fuzz_u64(&in));
            break;
        }
        case OP_HCALL:
            op_hcall(&in);
            break;
        case OP_BYTES:
            op_bytes(&in);
            break;
        case OP_MAP_ALL:
            fuzz_pci_map_all();
            break;
        case OP_PLACE_BAR:
            op_place_bar(&in);
            break;
        default:
            op_change_msi(&in);
            break;
        }
    }
    return 0;
}
