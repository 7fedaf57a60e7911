/*
 * The pseries device tree, built with libfdt at every reset: root, /chosen,
 * /cpus, /memory, /rtas and /vdevice, with QEMU's property values.
 */
#include "sysemu/sysemu.h"
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_cas.h"
#include "hw/pci/spapr_pci.h"
#include "hw/ppc/spapr_irq.h"
#include "hw/ppc/spapr_lmb.h"
#include "hw/mem/pc-dimm.h"
#include "hw/ppc/spapr_numa.h"
#include "sysemu/numa.h"
#include "hw/ppc/spapr_events.h"
#include "hw/ppc/spapr_rtas.h"
#include "hw/ppc/spapr_vio.h"
#include "hw/scsi/scsi.h"
#include "qemu/units.h"
#include "target/ppc/mmu-hash64.h"
#include <libfdt.h>

/* A tree under construction; the first libfdt error sticks. */
typedef struct DtBuild {
    void *fdt;
    int err;
} DtBuild;

static void dt_prop(DtBuild *b, int node, const char *name, const void *val, int len)
{
    if (!b->err) {
        b->err = fdt_setprop(b->fdt, node, name, val, len);
    }
}

static void dt_u32(DtBuild *b, int node, const char *name, uint32_t val)
{
    fdt32_t cell = cpu_to_fdt32(val);

    dt_prop(b, node, name, &cell, sizeof(cell));
}

/* A list of 32-bit cells. */
static void dt_cells(DtBuild *b, int node, const char *name, const uint32_t *vals, unsigned n)
{
    fdt32_t cells[32];

    g_assert(n <= ARRAY_SIZE(cells));
    for (unsigned i = 0; i < n; i++) {
        cells[i] = cpu_to_fdt32(vals[i]);
    }
    dt_prop(b, node, name, cells, n * sizeof(fdt32_t));
}

/* 64-bit values, each as two cells (high first). */
static void dt_u64s(DtBuild *b, int node, const char *name, const uint64_t *vals, unsigned n)
{
    uint32_t cells[8];

    g_assert(n <= ARRAY_SIZE(cells) / 2);
    for (unsigned i = 0; i < n; i++) {
        cells[2 * i] = vals[i] >> 32;
        cells[2 * i + 1] = (uint32_t)vals[i];
    }
    dt_cells(b, node, name, cells, 2 * n);
}

static void dt_str(DtBuild *b, int node, const char *name, const char *val)
{
    dt_prop(b, node, name, val, strlen(val) + 1);
}

static void dt_flag(DtBuild *b, int node, const char *name)
{
    dt_prop(b, node, name, NULL, 0);
}

static int dt_node(DtBuild *b, int parent, const char *name)
{
    int node;

    if (b->err) {
        return -1;
    }
    node = fdt_add_subnode(b->fdt, parent, name);
    if (node < 0) {
        b->err = node;
    }
    return node;
}

/* ---- CPUs ------------------------------------------------------------- */

/*
 * Segment and page sizes the hash MMU offers (PAPR "ibm,segment-page-sizes"),
 * the CPU's table as cap-hpt-max-page-size trims it: per base page size,
 * its shift, SLB encoding and number of actual sizes, then each actual
 * size's shift and PTE encoding (by default 4 KiB and 64 KiB pages; with
 * 16M also 16 MiB pages, in 4 KiB and 64 KiB segments and in their own).
 */
#define SEGMENT_PAGE_SIZES_MAX 32

static unsigned segment_page_sizes(unsigned max_shift, uint32_t *cells)
{
    size_t count;
    const PPCHash64PageSize *t = ppc_hash64_page_size_table(&count);
    unsigned n = 0, seg = 0;

    for (size_t i = 0; i < count; i++) {
        if (!ppc_hash64_page_size_allowed(max_shift, &t[i])) {
            continue;
        }
        if (n == 0 || t[i].seg_shift != cells[seg]) {
            /* A new segment size (its base size is listed first). */
            seg = n;
            cells[n++] = t[i].seg_shift;
            cells[n++] = t[i].slb_llp;
            cells[n++] = 0;
        }
        g_assert(n + 2 <= SEGMENT_PAGE_SIZES_MAX);
        cells[seg + 2]++;
        cells[n++] = t[i].shift;
        cells[n++] = t[i].pte_enc;
    }
    return n;
}

/* The limit the machine gave its CPUs (a tree built without CPUs: the default). */
static unsigned hpt_max_page_shift(SpaprMachineState *spapr)
{
    if (spapr->cpus && spapr->cpus[0]) {
        return ppc_hash64_max_page_shift(spapr->cpus[0]);
    }
    return PPC_HASH64_DEFAULT_MAX_PAGE_SHIFT;
}

/* Radix page sizes: AP field in the top 3 bits, then the shift. */
static const uint32_t radix_ap_encodings[] = {
    0x0000000c,
    0xa0000010,
    0x20000015,
    0x4000001e,
};

static const uint32_t processor_segment_sizes[] = {
    28, 40, 0xffffffff, 0xffffffff, /* 256 MiB and 1 TiB segments */
};

/*
 * ibm,pa-features: processor architecture features, a length byte, a zero,
 * then feature bytes (LoPAPR "ibm,pa-features" table), as QEMU starts a
 * guest before it negotiates with CAS.
 */
static const uint8_t pa_features_207[] = {
    24,   0x00, 0xf6, 0x3f, 0xc7, 0xc0, 0x80, 0xf0, 0x80, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x00, 0x00,
};

static const uint8_t pa_features_300[] = {
    66,   0x00, 0xf6, 0x3f, 0xc7, 0xc0, 0x80, 0xf0, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x00, 0x00, 0x80, 0x00,
    0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0xc0, 0x00, 0x80, 0x00, 0x80, 0x00,
    0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00,
    0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x00, 0x00,
};

/* Feature byte 1 (after the two header bytes), bit 2: cache-inhibited large pages. */
#define PA_FEATURES_CI_LARGE_BYTE 3
#define PA_FEATURES_CI_LARGE 0x20
/*
 * Feature byte 40, bit 0: radix.  QEMU hides it from a guest that did not
 * list ISA 3.00 at CAS: such kernels would try radix without supporting it.
 */
#define PA_FEATURES_RADIX_BYTE (40 + 2)
#define PA_FEATURES_RADIX 0x80

/* Decrementer width with the large decrementer (POWER9). */
#define LARGE_DEC_BITS 56

/*
 * The hashed page table the guest may ask for: 1/128 of RAM rounded up to a
 * power of two, between 256 KiB and 64 TiB (log2 values).
 */
static void spapr_dt_cpu_caches(DtBuild *b, int node, const PowerPCCPUModel *m)
{
    dt_u32(b, node, "d-cache-block-size", m->cache_line_size);
    dt_u32(b, node, "d-cache-line-size", m->cache_line_size);
    dt_u32(b, node, "i-cache-block-size", m->cache_line_size);
    dt_u32(b, node, "i-cache-line-size", m->cache_line_size);
    dt_u32(b, node, "d-cache-size", m->l1_dcache_size);
    dt_u32(b, node, "i-cache-size", m->l1_icache_size);
}

static void spapr_dt_cpu_mmu(DtBuild *b, int node, SpaprMachineState *spapr)
{
    const PowerPCCPUModel *m = spapr->cpu_model;
    uint32_t pft[2] = { 0, spapr_hpt_initial_shift(spapr) };
    unsigned max_shift = hpt_max_page_shift(spapr);
    /* The 3.00 features at the 3.00 level only (not under a 2.07 compatibility mode). */
    bool isa300 = spapr_cas_isa300(spapr);
    size_t pa_len = isa300 ? sizeof(pa_features_300) : sizeof(pa_features_207);
    uint32_t sps[SEGMENT_PAGE_SIZES_MAX];
    uint8_t pa[sizeof(pa_features_300)];

    dt_u32(b, node, "slb-size", m->slb_size);
    dt_u32(b, node, "ibm,slb-size", m->slb_size);
    dt_cells(b, node, "ibm,processor-segment-sizes", processor_segment_sizes,
             ARRAY_SIZE(processor_segment_sizes));
    dt_cells(b, node, "ibm,segment-page-sizes", sps, segment_page_sizes(max_shift, sps));
    dt_cells(b, node, "ibm,pft-size", pft, 2);
    memcpy(pa, isa300 ? pa_features_300 : pa_features_207, pa_len);
    if (max_shift < 16) {
        /* Without 64 KiB pages, no cache-inhibited large pages either. */
        pa[PA_FEATURES_CI_LARGE_BYTE] &= ~PA_FEATURES_CI_LARGE;
    }
    if (spapr->cas.pre_isa3_guest && pa_len > PA_FEATURES_RADIX_BYTE) {
        pa[PA_FEATURES_RADIX_BYTE] &= ~PA_FEATURES_RADIX;
    }
    dt_prop(b, node, "ibm,pa-features", pa, pa_len);
    if (m->has_radix) {
        dt_cells(b, node, "ibm,processor-radix-AP-encodings", radix_ap_encodings,
                 ARRAY_SIZE(radix_ap_encodings));
    }
}

/*
 * The processor's node domains then its vCPU id, led by their count; QEMU
 * gives them only when there are several nodes.
 */
static void spapr_dt_cpu_associativity(DtBuild *b, int node, SpaprMachineState *spapr,
                                       unsigned index)
{
    uint32_t assoc[SPAPR_NUMA_FORM1_LEVELS + 2];

    if (numa_state()->num_nodes <= 1) {
        return;
    }
    assoc[0] = spapr_numa_cpu_domains(spapr, index, assoc + 1);
    dt_cells(b, node, "ibm,associativity", assoc, assoc[0] + 1);
}

/*
 * A node per core, named and numbered by its first thread's vCPU id, listing
 * the interrupt server of every thread (the group servers all point back at
 * server 0, as QEMU's do).  Cores are hot-pluggable units with a DRC from
 * pseries-2.7 on.
 */
static void spapr_dt_cpu(DtBuild *b, int parent, SpaprMachineState *spapr, unsigned index)
{
    const PowerPCCPUModel *m = spapr->cpu_model;
    uint32_t id = spapr_vcpu_id(spapr, index);
    g_autofree char *name = g_strdup_printf("%s@%x", m->dt_name, id);
    unsigned threads = MAX(spapr->smp_threads, 1);
    uint32_t servers[SPAPR_MAX_THREADS], gservers[2 * SPAPR_MAX_THREADS];
    int node = dt_node(b, parent, name);
    unsigned per_socket = MAX(spapr->smp_cores, 1) * threads;

    g_assert(threads <= SPAPR_MAX_THREADS);
    for (unsigned t = 0; t < threads; t++) {
        servers[t] = id + t;
        gservers[2 * t] = id + t;
        gservers[2 * t + 1] = 0;
    }
    dt_u32(b, node, "reg", id);
    dt_str(b, node, "device_type", "cpu");
    /* The logical PVR when the processors run in a compatibility mode. */
    dt_u32(b, node, "cpu-version", spapr->cas.compat_pvr ? spapr->cas.compat_pvr : m->pvr);
    if (spapr_version_hotpluggable_cpus(spapr->version)) {
        dt_u32(b, node, "ibm,my-drc-index", SPAPR_DRC_CPU_INDEX(id));
    }
    spapr_dt_cpu_caches(b, node, m);
    dt_u32(b, node, "timebase-frequency", SPAPR_TIMEBASE_FREQ);
    dt_u32(b, node, "clock-frequency", SPAPR_CLOCK_FREQ);
    dt_str(b, node, "status", "okay");
    dt_flag(b, node, "64-bit");
    dt_u32(b, node, "ibm,purr", 1);
    dt_u32(b, node, "ibm,spurr", 1);
    /* ibm,vmx 2: VMX and VSX; 1: VMX only */
    dt_u32(b, node, "ibm,vmx", spapr->caps.vsx ? 2 : 1);
    if (spapr->caps.dfp) {
        dt_u32(b, node, "ibm,dfp", 1);
    }
    /* The chip is the socket. */
    dt_u32(b, node, "ibm,chip-id", index / per_socket);
    dt_cells(b, node, "ibm,ppc-interrupt-server#s", servers, threads);
    dt_cells(b, node, "ibm,ppc-interrupt-gserver#s", gservers, 2 * threads);
    spapr_dt_cpu_associativity(b, node, spapr, index);
    spapr_dt_cpu_mmu(b, node, spapr);
    if (spapr->caps.large_decr) {
        dt_u32(b, node, "ibm,dec-bits", LARGE_DEC_BITS);
    }
}

int spapr_dt_core(SpaprMachineState *spapr, void *fdt, int parent, unsigned index)
{
    DtBuild b = { fdt, 0 };

    spapr_dt_cpu(&b, parent, spapr, index);
    /* libfdt puts a new node before its siblings. */
    return b.err ? b.err : fdt_first_subnode(fdt, parent);
}

/* A list property: its entry count as a cell, then the entries. */
static void dt_counted(DtBuild *b, int node, const char *name, GByteArray *entries, unsigned n)
{
    fdt32_t count = cpu_to_fdt32(n);

    g_byte_array_prepend(entries, (const guint8 *)&count, sizeof(count));
    dt_prop(b, node, name, entries->data, entries->len);
}

/*
 * The CPU dynamic-reconfiguration connectors, one per core up to maxcpus:
 * index, power domain (-1: live insertion), name "CPU <id>" and type.
 * QEMU lists them in the order of its object table's hash; here they come
 * in core order (the guest looks them up by index).
 */
static void spapr_dt_cpu_drcs(DtBuild *b, int node, SpaprMachineState *spapr)
{
    unsigned threads = MAX(spapr->smp_threads, 1), cores = spapr->max_cpus / threads;
    GByteArray *indexes = g_byte_array_new(), *domains = g_byte_array_new();
    GByteArray *names = g_byte_array_new(), *types = g_byte_array_new();

    for (unsigned c = 0; c < cores; c++) {
        uint32_t id = spapr_vcpu_id(spapr, c * threads);
        fdt32_t index = cpu_to_fdt32(SPAPR_DRC_CPU_INDEX(id)), domain = cpu_to_fdt32(-1);
        g_autofree char *name = g_strdup_printf("CPU %u", id);

        g_byte_array_append(indexes, (const guint8 *)&index, sizeof(index));
        g_byte_array_append(domains, (const guint8 *)&domain, sizeof(domain));
        g_byte_array_append(names, (const guint8 *)name, strlen(name) + 1);
        g_byte_array_append(types, (const guint8 *)"CPU", sizeof("CPU"));
    }
    dt_counted(b, node, "ibm,drc-indexes", indexes, cores);
    dt_counted(b, node, "ibm,drc-power-domains", domains, cores);
    dt_counted(b, node, "ibm,drc-names", names, cores);
    dt_counted(b, node, "ibm,drc-types", types, cores);
    g_byte_array_free(indexes, true);
    g_byte_array_free(domains, true);
    g_byte_array_free(names, true);
    g_byte_array_free(types, true);
}

static void spapr_dt_cpus(DtBuild *b, SpaprMachineState *spapr)
{
    int node = dt_node(b, 0, "cpus");

    dt_u32(b, node, "#address-cells", 1);
    dt_u32(b, node, "#size-cells", 0);
    if (spapr_version_hotpluggable_cpus(spapr->version)) {
        spapr_dt_cpu_drcs(b, node, spapr);
    }
    /* libfdt puts a new node first: add the last core first; threads share their core's. */
    for (unsigned i = spapr_cpu_slots(spapr); i > 0; i--) {
        if (spapr_cpu_present(spapr, i - 1) &&
            spapr_vcpu_id(spapr, i - 1) % MAX(spapr->vsmt, 1) == 0) {
            spapr_dt_cpu(b, node, spapr, i - 1);
        }
    }
}

/* ---- Memory, RTAS, /chosen -------------------------------------------- */

/* A memory node: reg, and the associativity: the count of domains, then the NUMA node's. */
static void spapr_dt_memory_node(DtBuild *b, SpaprMachineState *spapr, unsigned numa_node,
                                 uint64_t start, uint64_t size)
{
    uint32_t assoc[SPAPR_NUMA_FORM1_LEVELS + 1];
    uint64_t reg[2] = { start, size };
    g_autofree char *name = g_strdup_printf("memory@%" PRIx64, start);
    int node = dt_node(b, 0, name);

    assoc[0] = spapr_numa_levels(spapr);
    spapr_numa_node_domains(spapr, numa_node, assoc + 1);
    dt_str(b, node, "device_type", "memory");
    dt_u64s(b, node, "reg", reg, 2);
    dt_cells(b, node, "ibm,associativity", assoc, assoc[0] + 1);
}

/*
 * RAM as QEMU describes it: the NUMA nodes' memory one after the other (all
 * of it in node 0 without -numa; nodes without memory have none), the real
 * mode area first, then each node's rest in naturally aligned power-of-two
 * blocks (1536 MiB: 1 GiB at 0, 512 MiB at 1 GiB).
 */
static void spapr_dt_memory(DtBuild *b, SpaprMachineState *spapr)
{
    const NumaState *ns = numa_state();
    unsigned nodes = ns->num_nodes ? ns->num_nodes : 1;
    uint64_t start = 0;

    for (unsigned n = 0; n < nodes; n++) {
        uint64_t left = ns->num_nodes ? ns->nodes[n].mem : spapr->ram_size;

        if (!left) {
            continue;
        }
        left = start >= spapr->ram_size ? 0 : MIN(left, spapr->ram_size - start);
        if (!start && left) {
            uint64_t rma = MIN(spapr->rma_size, left);

            spapr_dt_memory_node(b, spapr, n, 0, rma ? rma : left);
            start = rma ? rma : left;
            left -= start;
        }
        while (left) {
            uint64_t size = 1ULL << (63 - __builtin_clzll(left));

            size = MIN(size, start & -start);
            spapr_dt_memory_node(b, spapr, n, start, size);
            start += size;
            left -= size;
        }
    }
}

/* ibm,dynamic-memory flags of a logical memory block (LoPAPR "ibm,dynamic-memory") */
#define DRCONF_MEM_ASSIGNED 0x00000008
#define DRCONF_MEM_DRC_INVALID 0x00000020
#define DRCONF_MEM_RESERVED 0x00000080
/* The DRC index of LMB n: connector type LMB in the top nibble. */
#define LMB_DRC_INDEX(n) (0x80000000u | (n))

/*
 * ibm,associativity-lookup-arrays: how many arrays and their length, then
 * each NUMA node's domains (a block's associativity index names one).
 */
static void spapr_dt_lookup_arrays(DtBuild *b, int node, SpaprMachineState *spapr)
{
    unsigned nodes = spapr_numa_nodes(), levels = spapr_numa_levels(spapr);
    g_autofree uint32_t *cells = g_new(uint32_t, 2 + (size_t)nodes * levels);

    cells[0] = nodes;
    cells[1] = levels;
    for (unsigned n = 0; n < nodes; n++) {
        spapr_numa_node_domains(spapr, n, cells + 2 + (size_t)n * levels);
    }
    dt_cells(b, node, "ibm,associativity-lookup-arrays", cells, 2 + nodes * levels);
}

/* One ibm,dynamic-memory-v2 run: blocks, first address (2 cells), first DRC, node, flags. */
static void drmem_v2_run(GArray *runs, uint32_t n, uint64_t addr, uint32_t drc, uint32_t node,
                         uint32_t flags)
{
    uint32_t cells[6] = { n, addr >> 32, (uint32_t)addr, drc, node, flags };

    g_array_append_vals(runs, cells, 6);
}

/* The plugged module holding addr, or NULL. */
static PCDIMMDevice *dimm_at(GPtrArray *dimms, uint64_t addr)
{
    for (guint i = 0; i < dimms->len; i++) {
        PCDIMMDevice *d = g_ptr_array_index(dimms, i);

        if (addr >= d->addr && addr - d->addr < d->size) {
            return d;
        }
    }
    return NULL;
}

/*
 * /ibm,dynamic-reconfiguration-memory, when CAS agreed to it and memory can
 * be plugged (maxmem above RAM): RAM and the gap to the 1 GiB boundary as
 * reserved blocks without a connector, then the hot-pluggable blocks, those
 * of plugged modules assigned to the module's node, in the v2 form (runs of
 * blocks, as QEMU groups them) when agreed, else one entry per block.
 */
static void spapr_dt_drconf_memory(DtBuild *b, SpaprMachineState *spapr)
{
    static const uint32_t lmb_size[2] = { 0, SPAPR_LMB_SIZE };
    uint64_t base = QEMU_ALIGN_UP(spapr->ram_size, SPAPR_DEVICE_MEM_ALIGN);
    uint32_t boot_lmbs = base / SPAPR_LMB_SIZE;
    uint32_t lmbs = (base + spapr->maxmem - spapr->ram_size) / SPAPR_LMB_SIZE;
    g_autoptr(GPtrArray) dimms = spapr_lmb_dimms_by_addr();
    int node;

    if (!spapr_cas_ov5_test(&spapr->cas, OV5_DRCONF_MEMORY_BYTE, OV5_DRCONF_MEMORY) ||
        spapr->maxmem <= spapr->ram_size) {
        return;
    }
    node = dt_node(b, 0, "ibm,dynamic-reconfiguration-memory");
    dt_cells(b, node, "ibm,lmb-size", lmb_size, 2);
    dt_u32(b, node, "ibm,memory-flags-mask", 0xff);
    dt_u32(b, node, "ibm,memory-preservation-time", 0);
    if (spapr_cas_ov5_test(&spapr->cas, OV5_DRMEM_V2_BYTE, OV5_DRMEM_V2)) {
        g_autoptr(GArray) runs = g_array_new(false, false, sizeof(uint32_t));
        uint64_t cur = base, end = (uint64_t)lmbs * SPAPR_LMB_SIZE;
        uint32_t count = 0;

        g_array_append_val(runs, count);
        /* RAM and the gap to the device memory: reserved, no connector */
        drmem_v2_run(runs, boot_lmbs, 0, 0, 0xffffffff,
                     DRCONF_MEM_RESERVED | DRCONF_MEM_DRC_INVALID);
        /* then the free ranges and the plugged modules, in address order */
        for (guint i = 0; i < dimms->len; i++) {
            PCDIMMDevice *d = g_ptr_array_index(dimms, i);

            if (cur < d->addr) {
                drmem_v2_run(runs, (d->addr - cur) / SPAPR_LMB_SIZE, cur,
                             LMB_DRC_INDEX(cur / SPAPR_LMB_SIZE), 0xffffffff, 0);
            }
            drmem_v2_run(runs, d->size / SPAPR_LMB_SIZE, d->addr,
                         LMB_DRC_INDEX(d->addr / SPAPR_LMB_SIZE), d->node, DRCONF_MEM_ASSIGNED);
            cur = d->addr + d->size;
        }
        if (cur < end) {
            drmem_v2_run(runs, (end - cur) / SPAPR_LMB_SIZE, cur,
                         LMB_DRC_INDEX(cur / SPAPR_LMB_SIZE), 0xffffffff, 0);
        }
        g_array_index(runs, uint32_t, 0) = (runs->len - 1) / 6;
        dt_cells(b, node, "ibm,dynamic-memory-v2", (uint32_t *)runs->data, runs->len);
    } else {
        /* Per block: address high/low, DRC, reserved, node, flags. */
        g_autofree fdt32_t *cells = g_new0(fdt32_t, 1 + 6 * (size_t)lmbs);

        cells[0] = cpu_to_fdt32(lmbs);
        for (uint32_t i = 0; i < lmbs; i++) {
            uint64_t addr = (uint64_t)i * SPAPR_LMB_SIZE;
            fdt32_t *e = &cells[1 + 6 * (size_t)i];
            bool boot = i < boot_lmbs;
            PCDIMMDevice *d = dimm_at(dimms, addr);

            e[0] = cpu_to_fdt32(addr >> 32);
            e[1] = cpu_to_fdt32((uint32_t)addr);
            e[2] = cpu_to_fdt32(boot ? 0 : LMB_DRC_INDEX(i));
            e[4] = cpu_to_fdt32(d ? d->node : 0xffffffff);
            e[5] = cpu_to_fdt32(boot ? DRCONF_MEM_RESERVED | DRCONF_MEM_DRC_INVALID
                                : d  ? DRCONF_MEM_ASSIGNED
                                     : 0);
        }
        dt_prop(b, node, "ibm,dynamic-memory", cells, (1 + 6 * (size_t)lmbs) * sizeof(fdt32_t));
    }
    spapr_dt_lookup_arrays(b, node, spapr);
}

/*
 * ibm,lrdr-capacity (LoPAPR 7.3.16): the highest address memory can reach
 * with what may be plugged (0 when nothing can), the block size, and how
 * many processor cores the partition may grow to.
 */
static void spapr_dt_lrdr_capacity(DtBuild *b, int node, SpaprMachineState *spapr)
{
    uint64_t top = 0;
    uint32_t cells[5];

    if (spapr->maxmem > spapr->ram_size) {
        top = QEMU_ALIGN_UP(spapr->ram_size, SPAPR_DEVICE_MEM_ALIGN) +
              (spapr->maxmem - spapr->ram_size);
    }
    cells[0] = top >> 32;
    cells[1] = (uint32_t)top;
    cells[2] = (uint64_t)SPAPR_LMB_SIZE >> 32;
    cells[3] = (uint32_t)SPAPR_LMB_SIZE;
    cells[4] = spapr->max_cpus / MAX(spapr->smp_threads, 1);
    dt_cells(b, node, "ibm,lrdr-capacity", cells, ARRAY_SIZE(cells));
}

/*
 * The NUMA description of /rtas, as QEMU 7.2 gives it.  Form 1: reference
 * points 4, 3, 2, 1 and the node count at each of the four levels; the
 * legacy form (at most one node, or pseries-5.1 and older) has 4, 4, 2
 * (4, 4 up to pseries-5.0) and counts the nodes at the last level only.
 * Form 2: one reference point, the node count, the lookup table naming each
 * node, and the distance table (a 32-bit entry count, then one byte per
 * pair, 10 on the diagonal, 20 elsewhere when -numa dist gave none).
 */
static void spapr_dt_rtas_numa(DtBuild *b, int node, SpaprMachineState *spapr)
{
    static const uint32_t refpoints[] = { 4, 3, 2, 1 };
    static const uint32_t legacy_refpoints[] = { 4, 4, 2 };
    const NumaState *ns = numa_state();
    unsigned nodes = spapr_numa_nodes();
    bool old_refpoints = spapr->version && spapr_version_number(spapr->version) <= 500;
    uint32_t domains[5] = { 4, nodes, nodes, nodes, nodes };

    if (spapr_numa_form2(spapr)) {
        static const uint32_t form2_refpoints[] = { 1 };
        g_autofree uint32_t *lookup = g_new(uint32_t, nodes + 1);
        g_autofree uint8_t *dist = g_malloc(4 + (size_t)nodes * nodes);
        fdt32_t count = cpu_to_fdt32(nodes * nodes);
        uint32_t form2_domains[2] = { 1, nodes };

        lookup[0] = nodes;
        memcpy(dist, &count, 4);
        for (unsigned src = 0; src < nodes; src++) {
            lookup[src + 1] = src;
            for (unsigned dst = 0; dst < nodes; dst++) {
                uint8_t d = ns->have_distance ? ns->nodes[src].distance[dst] : 20;

                dist[4 + src * nodes + dst] = src == dst ? NUMA_DISTANCE_MIN : d;
            }
        }
        dt_cells(b, node, "ibm,associativity-reference-points", form2_refpoints, 1);
        dt_cells(b, node, "ibm,max-associativity-domains", form2_domains, 2);
        dt_cells(b, node, "ibm,numa-lookup-index-table", lookup, nodes + 1);
        dt_prop(b, node, "ibm,numa-distance-table", dist, 4 + nodes * nodes);
        return;
    }
    if (spapr_numa_legacy(spapr)) {
        domains[1] = domains[2] = domains[3] = nodes > 1 ? 1 : 0;
        dt_cells(b, node, "ibm,associativity-reference-points", legacy_refpoints,
                 old_refpoints ? 2 : ARRAY_SIZE(legacy_refpoints));
    } else {
        dt_cells(b, node, "ibm,associativity-reference-points", refpoints, ARRAY_SIZE(refpoints));
    }
    dt_cells(b, node, "ibm,max-associativity-domains", domains, ARRAY_SIZE(domains));
}

static void spapr_dt_rtas(DtBuild *b, SpaprMachineState *spapr)
{
    int node = dt_node(b, 0, "rtas");

    /* The RTAS stub lives below 4 GiB: one cell each. */
    dt_u32(b, node, "linux,rtas-base", spapr->rtas_addr);
    dt_u32(b, node, "linux,rtas-entry", spapr->rtas_addr);
    dt_u32(b, node, "rtas-size", spapr->rtas_size);
    spapr_dt_rtas_numa(b, node, spapr);
    spapr_dt_lrdr_capacity(b, node, spapr);
    if (!b->err) {
        b->err = spapr_rtas_fdt(b->fdt, node);
    }
}

/*
 * Option vector 5 bytes 23-26 (LoPAPR "ibm,arch-vec-5-platform-support"):
 * pairs of (byte index, what the platform supports).  Byte 23 is the
 * interrupt controller (the interrupt layer says which), byte 24 the MMU
 * (0xc0 radix or hash), byte 25 nothing, byte 26 the hash table resize (0x40).
 */
static void spapr_dt_ov5_platform(DtBuild *b, int node, SpaprMachineState *spapr)
{
    /* Radix needs ISA 3.00: a processor run at 2.07 can only do hash. */
    bool radix = spapr_cas_isa300(spapr);
    uint8_t val[8] = { 23,  spapr_irq_ov5_platform(spapr), 24, radix ? 0xc0 : 0x00, 25, 0x00, 26,
                       0x40 };

    dt_prop(b, node, "ibm,arch-vec-5-platform-support", val, sizeof(val));
}

/*
 * ibm,architecture-vec-5: option vector 5 as CAS agreed it, in the guest's
 * encoding (a length byte holding the byte count less one, then bytes 1..n,
 * up to the last non-zero one).  Before CAS: one zero byte.
 */
static void spapr_dt_ov5_agreed(DtBuild *b, int node, SpaprMachineState *spapr)
{
    uint8_t vec[SPAPR_OV5_BYTES + 1];
    unsigned len = 1;

    for (unsigned i = 1; i <= SPAPR_OV5_BYTES; i++) {
        if (spapr->cas.ov5[i]) {
            len = i;
        }
    }
    vec[0] = len - 1;
    memcpy(vec + 1, spapr->cas.ov5 + 1, len);
    dt_prop(b, node, "ibm,architecture-vec-5", vec, len + 1);
}

/* A PCI or VIO device's path, or a SCSI unit's below its adapter's. */
static char *spapr_dev_fw_path(DeviceState *dev)
{
    char *path = spapr_pci_fw_path(dev);

    if (!path) {
        path = spapr_vio_fw_path(dev);
    }
    if (!path) {
        path = scsi_unit_fw_path(dev, spapr_dev_fw_path);
    }
    return path;
}

static char *spapr_boot_fw_path(DeviceState *dev, void *opaque)
{
    (void)opaque;
    return spapr_dev_fw_path(dev);
}

static void spapr_dt_chosen(DtBuild *b, SpaprMachineState *spapr)
{
    SpaprVioDevice *vty = spapr_vty_get_default(spapr->vio_bus);
    int node = dt_node(b, 0, "chosen");
    /* Devices with a bootindex, lowest first, as paths SLOF opens. */
    g_autofree char *bootlist = boot_index_list(spapr_boot_fw_path, spapr);
    uint8_t seed[32];

    if (spapr->kernel_cmdline && spapr->kernel_cmdline[0]) {
        dt_str(b, node, "bootargs", spapr->kernel_cmdline);
    }
    if (spapr->initrd_size) {
        dt_u32(b, node, "linux,initrd-start", spapr->initrd_base);
        dt_u32(b, node, "linux,initrd-end", spapr->initrd_base + spapr->initrd_size);
    }
    if (spapr->kernel_size) {
        uint64_t kprop[2] = { spapr->kernel_addr, spapr->kernel_size };

        dt_u64s(b, node, "qemu,boot-kernel", kprop, 2);
        if (spapr->kernel_le) {
            dt_flag(b, node, "qemu,boot-kernel-le");
        }
    }
    if (bootlist) {
        dt_str(b, node, "qemu,boot-list", bootlist);
    }
    if (spapr->boot_device) {
        dt_str(b, node, "qemu,boot-device", spapr->boot_device);
    }
    if (spapr->boot_menu) {
        dt_u32(b, node, "qemu,boot-menu", 1);
    }
    /* SLOF sizes its framebuffer console from these: QEMU's default 800x600x32. */
    dt_u32(b, node, "qemu,graphic-width", 800);
    dt_u32(b, node, "qemu,graphic-height", 600);
    dt_u32(b, node, "qemu,graphic-depth", 32);
    if (vty) {
        g_autofree char *path =
            g_strdup_printf("/vdevice/%s@%x", spapr_vio_get_class(vty)->dt_name, vty->reg);

        dt_str(b, node, "linux,stdout-path", path);
        dt_str(b, node, "stdout-path", path);
    }
    /* QEMU tells Linux to probe PCI itself from pseries-4.2 on. */
    if (!spapr->version || spapr_version_number(spapr->version) >= 402) {
        dt_u32(b, node, "linux,pci-probe-only", 0);
    }
    spapr_dt_ov5_platform(b, node, spapr);
    spapr_dt_ov5_agreed(b, node, spapr);
    for (unsigned i = 0; i < sizeof(seed); i += 4) {
        uint32_t r = g_random_int();

        memcpy(seed + i, &r, 4);
    }
    dt_prop(b, node, "rng-seed", seed, sizeof(seed));
}

/* The parent of persistent memory (nvdimm) devices: QEMU always has it, empty without them. */
static void spapr_dt_persistent_memory(DtBuild *b)
{
    int node = dt_node(b, 0, "ibm,persistent-memory");

    dt_str(b, node, "device_type", "ibm,persistent-memory");
    dt_u32(b, node, "#address-cells", 1);
    dt_u32(b, node, "#size-cells", 0);
}

static void spapr_dt_root(DtBuild *b, SpaprMachineState *spapr)
{
    const char *compat = spapr->caps.dt_compatible;

    dt_str(b, 0, "device_type", "chrp");
    dt_str(b, 0, "model", "IBM pSeries (emulated by qemu)");
    dt_str(b, 0, "compatible", compat ? compat : "qemu,pseries");
    if (qemu_name) {
        dt_str(b, 0, "ibm,partition-name", qemu_name);
    }
    /* Without -uuid, QEMU publishes the nil UUID. */
    dt_str(b, 0, "vm,uuid", qemu_uuid ? qemu_uuid : "00000000-0000-0000-0000-000000000000");
    dt_u32(b, 0, "#address-cells", 2);
    dt_u32(b, 0, "#size-cells", 2);
}

/*
 * What the firmware and the kernel must not overwrite, in the tree built at
 * reset (QEMU leaves them out of the tree CAS rebuilds): the kernel and
 * initrd images, and the RTAS stub the machine placed (QEMU has the firmware
 * place RTAS; here it is in memory from the start).
 */
static void spapr_dt_memreserve(DtBuild *b, SpaprMachineState *spapr)
{
    if (spapr->kernel_size && !b->err) {
        b->err = fdt_add_mem_rsv(b->fdt, spapr->kernel_addr, spapr->kernel_size);
    }
    if (spapr->initrd_size && !b->err) {
        b->err = fdt_add_mem_rsv(b->fdt, spapr->initrd_base, spapr->initrd_size);
    }
    if (spapr->rtas_size && !b->err) {
        b->err = fdt_add_mem_rsv(b->fdt, spapr->rtas_addr, spapr->rtas_size);
    }
}

/*
 * The tree, in a buffer of bufsize bytes (libfdt clears all of it first, so
 * no bigger than needed: start-up time); bp->err -FDT_ERR_NOSPACE when the
 * tree needs more.
 */
static void spapr_build_fdt_in(DtBuild *bp, SpaprMachineState *spapr, uint32_t bufsize)
{
    bp->fdt = g_malloc0(bufsize);
    bp->err = fdt_create_empty_tree(bp->fdt, bufsize);
    if (!spapr->cas.done) {
        spapr_dt_memreserve(bp, spapr);
    }
    spapr_dt_root(bp, spapr);
    /*
     * Added in reverse: the tree reads ibm,persistent-memory, chosen, rtas,
     * cpus, vdevice, ibm,dynamic-reconfiguration-memory, memory,
     * interrupt-controller.
     */
    if (!bp->err) {
        bp->err = spapr_irq_dt(spapr, bp->fdt);
    }
    spapr_dt_memory(bp, spapr);
    spapr_dt_drconf_memory(bp, spapr);
    if (!bp->err) {
        int ret = spapr_dt_vdevice(spapr->vio_bus, bp->fdt);

        bp->err = ret < 0 ? ret : 0;
    }
    if (!bp->err) {
        bp->err = spapr_dt_phbs(bp->fdt);
    }
    spapr_dt_cpus(bp, spapr);
    if (!bp->err) {
        bp->err = spapr_events_dt(spapr, bp->fdt);
    }
    spapr_dt_rtas(bp, spapr);
    spapr_dt_chosen(bp, spapr);
    spapr_dt_persistent_memory(bp);
    if (!bp->err) {
        bp->err = fdt_pack(bp->fdt);
    }
}

void *spapr_build_fdt(SpaprMachineState *spapr, uint32_t *size)
{
    DtBuild b;

    for (uint32_t bufsize = 64 * KiB;; bufsize *= 2) {
        spapr_build_fdt_in(&b, spapr, bufsize);
        if (b.err != -FDT_ERR_NOSPACE || bufsize >= SPAPR_FDT_MAX_SIZE) {
            break;
        }
        g_free(b.fdt);
    }
    if (b.err) {
        g_free(b.fdt);
        return NULL;
    }
    *size = fdt_totalsize(b.fdt);
    return b.fdt;
}
