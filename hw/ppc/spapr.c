/*
 * The pseries machine: machine types and properties, RAM, CPUs, the VIO bus
 * and consoles, boot images, and the reset that builds the device tree and
 * points CPU 0 at it.
 */
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_drc.h"
#include "hw/ppc/spapr_events.h"
#include "hw/pci/spapr_pci.h"
#include "hw/ppc/spapr_irq.h"
#include "hw/ppc/spapr_lmb.h"
#include "hw/ppc/spapr_numa.h"
#include "hw/ppc/spapr_rtas.h"
#include "hw/ppc/spapr_vio.h"
#include "hw/ppc/vof.h"
#include "hw/virtio/virtio-net.h"
#include "hw/loader.h"
#include "hw/qdev-core.h"
#include "exec/guest-memory.h"
#include "qemu/error-report.h"
#include "qemu/module.h"
#include "qemu/units.h"
#include "sysemu/datadir.h"
#include "sysemu/cpus.h"
#include "sysemu/numa.h"
#include "sysemu/runstate.h"
#ifdef CONFIG_KVM
#include "sysemu/kvm-ppc.h"
#endif
#include <libfdt.h>

/* RAM is handed out to partitions in logical memory blocks of 256 MiB. */
#define SPAPR_MEMORY_BLOCK_SIZE (256 * MiB)
/* The boot firmware needs this much real-mode memory. */
#define SPAPR_MIN_RMA (128 * MiB)
/* The device tree stays below 2 GiB so 32-bit real-mode code can read it. */
#define FDT_MAX_ADDR (2 * GiB)
#define FDT_MAX_SIZE SPAPR_FDT_MAX_SIZE
/* Room kept below the device tree for the RTAS stub and its error log. */
#define RTAS_MAX_SIZE (64 * KiB)
#define RTAS_ERROR_LOG_SIZE 2048
/* The default firmware, from Debian's qemu-system-data. */
#define SPAPR_FW_FILE_NAME "slof.bin"
/* Kernel and initrd must leave this much below the top of the RMA. */
#define FW_OVERHEAD 0x2800000

/* ---- Building the machine --------------------------------------------- */

/*
 * The real mode area: what the guest can touch with translation off.  It
 * must fit in the first NUMA node, whose first memory node QEMU makes the
 * largest power of two in it (of RAM without -numa); at most 1 TiB;
 * hash-only processors (POWER8) reach 16 GiB.
 */
static hwaddr spapr_rma_size(uint64_t ram_size, const PowerPCCPUModel *model)
{
    uint64_t node0 = spapr_numa_node0_size(ram_size);
    hwaddr rma = MIN(node0 ? 1ULL << (63 - __builtin_clzll(node0)) : 0, 1 * TiB);

    if (!model->has_radix) {
        rma = MIN(rma, 16 * GiB);
    }
    return rma;
}

static void spapr_check_memory(SpaprMachineState *spapr)
{
    if (spapr->rma_size < SPAPR_MIN_RMA) {
        error_exit("pSeries SLOF firmware requires >= %" PRId64 "MiB guest RMA "
                   "(Real Mode Area memory)",
                   SPAPR_MIN_RMA / MiB);
    }
    if (!QEMU_IS_ALIGNED(spapr->ram_size, SPAPR_MEMORY_BLOCK_SIZE)) {
        error_exit("Memory size 0x%" PRIx64 " is not aligned to 256 MiB", spapr->ram_size);
    }
    if (!QEMU_IS_ALIGNED(spapr->maxmem, SPAPR_MEMORY_BLOCK_SIZE)) {
        error_exit("Maximum memory size 0x%" PRIx64 " is not aligned to "
                   "256 MiB",
                   spapr->maxmem);
    }
    if (spapr->maxmem > spapr->ram_size && spapr->ram_slots > spapr_lmb_max_slots()) {
        error_exit("Specified number of memory slots %u exceeds max supported %u", spapr->ram_slots,
                   spapr_lmb_max_slots());
    }
}

/*
 * The machine type's default CPU: POWER9 from pseries-4.0, POWER8 before,
 * POWER7 up to pseries-2.7 (QEMU 7.2).  There is no POWER7 model here:
 * those machines get POWER8, with the capability defaults of POWER7.
 */
static const PowerPCCPUModel *spapr_default_cpu_model(SpaprMachineState *spapr)
{
    const PowerPCCPUModel *m = ppc_cpu_model_find(spapr_version_default_cpu(spapr->version));

    return m ? m : ppc_cpu_model_find("power8");
}

/*
 * Every vCPU up to maxcpus is made here; the boot cores' are present, the
 * others wait, stopped, for a core device to plug them.
 */
static void spapr_create_cpus(SpaprMachineState *spapr, const char *name)
{
    unsigned n = spapr->max_cpus;

    spapr->cpu_model = name ? ppc_cpu_model_find(name) : spapr_default_cpu_model(spapr);
    if (!spapr->cpu_model) {
        error_exit("unable to find CPU model '%s'", name);
    }
    spapr->cpus = g_new0(PowerPCCPU *, n);
    spapr->cpu_present = g_new0(bool, n);
    spapr->cpu_order = g_new0(unsigned, n);
    spapr->core_devs = g_new0(DeviceState *, n);
    for (unsigned i = 0; i < n; i++) {
        spapr->cpus[i] = ppc_cpu_create(spapr->cpu_model, i);
        ppc_cpu_set_vhyp(spapr->cpus[i], (PPCVirtualHypervisor *)spapr, &spapr_vhyp_ops);
    }
    /* CPU i is thread i % threads of core i / threads (doorbells stay in the core). */
    for (unsigned i = 0; i < n; i++) {
        unsigned first = i - i % spapr->smp_threads;
        unsigned last = i < spapr->smp_cpus ? spapr->smp_cpus : n;

        ppc_cpu_set_core(spapr->cpus[i], &spapr->cpus[first], MIN(spapr->smp_threads, last - first),
                         i - first);
    }
    for (unsigned i = 0; i < spapr->smp_cpus; i++) {
        spapr_cpu_set_present(spapr, i, true);
    }
}

/* Every pseries has one, after the consoles; -drive if=pflash is its image. */
static void spapr_create_nvram(SpaprMachineState *spapr)
{
    spapr_nvram_create(spapr->vio_bus, &error_fatal);
}

static void spapr_create_consoles(SpaprMachineState *spapr, const MachineOptions *o)
{
    for (guint i = 0; o->serials && i < o->serials->len; i++) {
        spapr_vty_create(spapr->vio_bus, g_ptr_array_index(o->serials, i), &error_fatal);
    }
}

/*
 * The VIO bus's interrupts come from the interrupt controller: each device's
 * number is claimed as a message source, as QEMU does, and its line is the
 * controller's input for that number.
 */
static bool spapr_vio_irq_claim(void *opaque, uint32_t irq, Error **errp)
{
    char *err = NULL;

    if (!spapr_irq_claim(opaque, irq, false, &err)) {
        error_setg(errp, "%s", err);
        g_free(err);
        return false;
    }
    return true;
}

static void spapr_vio_irq_release(void *opaque, uint32_t irq)
{
    spapr_irq_free(opaque, irq, 1);
}

static qemu_irq spapr_vio_irq_line(void *opaque, uint32_t irq)
{
    return spapr_qirq(opaque, irq);
}

/* pseries-3.0 and older: the next free number, in the order devices come. */
static bool spapr_vio_irq_number(void *opaque, uint32_t *irq, Error **errp)
{
    SpaprMachineState *spapr = opaque;
    char *err = NULL;
    int n;

    if (spapr->caps.ic_mode != SPAPR_IC_MODE_LEGACY) {
        return true;
    }
    n = spapr_irq_findone(spapr, &err);
    if (n < 0) {
        error_setg(errp, "%s", err);
        g_free(err);
        return false;
    }
    *irq = n;
    return true;
}

static const SpaprVioIrqOps spapr_vio_irq_ops = {
    .number = spapr_vio_irq_number,
    .claim = spapr_vio_irq_claim,
    .release = spapr_vio_irq_release,
    .line = spapr_vio_irq_line,
};

/* Kernels are linked at 0xc000...; QEMU loads them at 0x400000 upward. */
static uint64_t translate_kernel_address(void *opaque, uint64_t addr)
{
    return (addr & 0x0fffffff) + KERNEL_LOAD_ADDR;
}

/* The highest address a kernel or initrd may reach. */
static hwaddr spapr_load_limit(SpaprMachineState *spapr)
{
    return MIN(spapr->rma_size, FDT_MAX_ADDR) - FW_OVERHEAD;
}

static void spapr_load_kernel(SpaprMachineState *spapr)
{
    uint64_t entry, low, high;
    char *err = NULL;
    int64_t size;

    size = load_elf(spapr->kernel_filename, translate_kernel_address, NULL, &entry, &low, &high,
                    &spapr->kernel_le, &err);
    if (size == -2) {
        error_exit("error loading %s: %s", spapr->kernel_filename, err);
    }
    if (size >= 0) {
        spapr->kernel_entry = entry;
        spapr->kernel_size = size;
        if (low != KERNEL_LOAD_ADDR) {
            warn_report("spapr: kernel_addr changed from 0x%x to 0x%" PRIx64, KERNEL_LOAD_ADDR,
                        low);
        }
        spapr->kernel_addr = low;
        return;
    }
    g_free(err);
    err = NULL;
    /* Not ELF: a raw image, entered at its first byte. */
    size = load_image_targphys(spapr->kernel_filename, KERNEL_LOAD_ADDR,
                               spapr_load_limit(spapr) - KERNEL_LOAD_ADDR, &err);
    if (size < 0) {
        error_exit("could not load kernel '%s': %s", spapr->kernel_filename, err);
    }
    spapr->kernel_addr = KERNEL_LOAD_ADDR;
    spapr->kernel_entry = KERNEL_LOAD_ADDR;
    spapr->kernel_size = size;
}

/* The initrd follows the kernel, 64 KiB aligned with at least 64 KiB gap. */
static void spapr_load_initrd(SpaprMachineState *spapr)
{
    hwaddr limit = spapr_load_limit(spapr);
    char *err = NULL;
    int64_t size = -1;

    spapr->initrd_base =
        QEMU_ALIGN_DOWN(spapr->kernel_addr + spapr->kernel_size + 0x1ffff, 0x10000);
    if (spapr->initrd_base < limit) {
        size = load_image_targphys(spapr->initrd_filename, spapr->initrd_base,
                                   limit - spapr->initrd_base, &err);
    }
    if (size < 0) {
        error_exit("could not load initial ram disk '%s': %s", spapr->initrd_filename,
                   err ? err : "no room after the kernel");
    }
    spapr->initrd_size = size;
}

/*
 * QEMU's firmware lookup: the name as a path, else in the -L and data
 * directories.  An empty image is as useless as a missing one.
 */
static void spapr_load_firmware(SpaprMachineState *spapr)
{
    g_autofree char *path = qemu_find_file(spapr->bios_name);
    char *err = NULL;

    if (!path) {
        error_exit("Could not find LPAR firmware '%s'", spapr->bios_name);
    }
    if (load_image_targphys(path, 0, FW_MAX_SIZE, &err) <= 0) {
        g_free(err);
        error_exit("Could not load LPAR firmware '%s'", path);
    }
}

/* -kernel and friends, or their -machine property spellings. */
static char *image_opt(const char *given, const char *prop)
{
    return g_strdup(given ? given : prop);
}

static void spapr_load_images(SpaprMachineState *spapr, const MachineOptions *o)
{
    spapr->bios_name = image_opt(o->bios, spapr->caps.firmware);
    /* Without -bios: SLOF, unless the built-in client interface is asked for. */
    if (!spapr->bios_name && !spapr->caps.x_vof) {
        spapr->bios_name = g_strdup(SPAPR_FW_FILE_NAME);
    }
    spapr->kernel_filename = image_opt(o->kernel, spapr->caps.kernel);
    spapr->initrd_filename = image_opt(o->initrd, spapr->caps.initrd);
    spapr->kernel_cmdline = image_opt(o->append, spapr->caps.append);
    if (!spapr->kernel_filename && spapr->initrd_filename) {
        error_exit("-initrd only allowed with -kernel option");
    }
    if (!spapr->kernel_filename && spapr->kernel_cmdline) {
        error_exit("-append only allowed with -kernel option");
    }
    if (spapr->bios_name) {
        spapr_load_firmware(spapr);
    }
    if (spapr->kernel_filename) {
        spapr_load_kernel(spapr);
    }
    if (spapr->initrd_filename) {
        spapr_load_initrd(spapr);
    }
}

/* The CPU model's own level, or its stand-in's for a machine type's default we lack. */
static uint32_t spapr_cpu_max_pvr(SpaprMachineState *spapr, const char *cpu_name)
{
    return spapr_caps_cpu_max_pvr(cpu_name ? spapr->cpu_model->name
                                           : spapr_version_default_cpu(spapr->version));
}

/* Hardware threads per core the processor offers: SMT4 on POWER9, SMT8 on POWER8. */
static unsigned spapr_cpu_max_threads(const PowerPCCPUModel *model)
{
    return model->isa300 ? 4 : 8;
}

/*
 * Threads per core: a power of two, at most what the processor offers, and
 * (machine types with hot-pluggable CPUs) whole cores, with QEMU 7.2's
 * messages.  QEMU 7.2 refuses more than one thread per core under TCG; they
 * run here.  Then vsmt= or, by default, 8 on pseries-4.1 and older and the
 * threads per core after (QEMU's VSMT mode).
 */
static void spapr_set_vsmt(SpaprMachineState *spapr)
{
    unsigned threads = spapr->smp_threads;

    if (threads & (threads - 1)) {
        error_exit("Cannot support %u threads/core on a pseries machine because it must be a "
                   "power of 2",
                   threads);
    }
    if (threads > spapr_cpu_max_threads(spapr->cpu_model)) {
        error_exit("Cannot support more than %u threads/core on %s",
                   spapr_cpu_max_threads(spapr->cpu_model), spapr->cpu_model->alias);
    }
    if (spapr->caps.vsmt && spapr->caps.vsmt < threads) {
        error_exit("Cannot support VSMT mode %u because it must be >= threads/core (%u)",
                   spapr->caps.vsmt, threads);
    }
    if (spapr->caps.vsmt) {
        spapr->vsmt = spapr->caps.vsmt;
    } else if (spapr_version_number(spapr->version) <= 401) {
        spapr->vsmt = MAX(8, threads);
    } else {
        spapr->vsmt = threads;
    }
    if (spapr_version_hotpluggable_cpus(spapr->version)) {
        if (spapr->smp_cpus % threads) {
            error_exit("smp_cpus (%u) must be multiple of threads (%u)", spapr->smp_cpus, threads);
        }
        if (spapr->max_cpus % threads) {
            error_exit("max_cpus (%u) must be multiple of threads (%u)", spapr->max_cpus, threads);
        }
    } else if (spapr->max_cpus != spapr->smp_cpus) {
        error_exit("This machine version does not support CPU hotplug");
    }
}

/* o->props: the SpaprCaps spapr_machine_parse_props made of -machine. */
static MachineState *spapr_machine_create(const MachineOptions *o)
{
    SpaprMachineState *spapr = g_new0(SpaprMachineState, 1);
    SpaprCaps *user = o->props;
    char *err = NULL;

    spapr->version = spapr_version_find(o->type);
    spapr->ram_size = o->ram_size;
    spapr->maxmem = MAX(o->maxmem, o->ram_size);
    spapr->ram_slots = o->ram_slots;
    spapr->smp_cpus = MAX(o->smp_cpus, 1);
    spapr->max_cpus = MAX(o->max_cpus, spapr->smp_cpus);
    spapr->smp_cores = MAX(o->smp_cores, 1);
    spapr->smp_threads = MAX(o->smp_threads, 1);
    spapr->rtc_offset = o->rtc_offset;

    spapr_create_cpus(spapr, o->cpu_model);
    spapr_caps_resolve(&spapr->caps, spapr->version, user, spapr_cpu_max_pvr(spapr, o->cpu_model));
    spapr_caps_free(user);
    g_free(user);
    /* Memory first, then the capabilities: QEMU 7.2 reports them in that order. */
    spapr->rma_size = spapr_rma_size(spapr->ram_size, spapr->cpu_model);
    spapr_check_memory(spapr);
    if (!spapr_caps_apply_create(spapr, &err)) {
        error_exit("%s", err);
    }
    for (unsigned i = 0; i < spapr->max_cpus; i++) {
        spapr_caps_apply_cpu(&spapr->caps, spapr->cpus[i]);
    }
    spapr_set_vsmt(spapr);
    /* Boot RAM, then the device memory DIMMs plug into (QEMU: from a 1 GiB boundary). */
    guest_ram_reserve(spapr->maxmem > spapr->ram_size
                          ? QEMU_ALIGN_UP(spapr->ram_size, SPAPR_DEVICE_MEM_ALIGN) +
                                (spapr->maxmem - spapr->ram_size)
                          : spapr->ram_size);
    guest_ram_init(spapr->ram_size);
    numa_place_ram_backends();
    spapr_irq_init(spapr);

    spapr_events_init(spapr);
    spapr_nmi_init(spapr);
    spapr_drc_machine_init(spapr);
    spapr_cpu_core_machine_init(spapr);
    spapr->vio_bus = spapr_vio_bus_new(&spapr_vio_irq_ops, spapr);
    spapr_create_consoles(spapr, o);
    spapr_create_nvram(spapr);
    /* QEMU 7.2's order (its /machine/unattached numbering): the PHB, NICs, SCSI adapters. */
    PCIBus *phb = spapr_pci_create_default(spapr);
    spapr_vlan_create_nics(spapr->vio_bus, &error_fatal);
    spapr_vscsi_create_for_drives(spapr->vio_bus, &error_fatal);
    virtio_net_create_nics(phb, &error_fatal);
    spapr_load_images(spapr, o);
    spapr_boot_init(spapr, o->boot);

    spapr_machine = spapr;
    return &spapr->parent_obj;
}

/* ---- Reset ------------------------------------------------------------ */

/* -machine dumpdtb=FILE: write the tree and stop, as QEMU does. */
static void spapr_dump_dtb(SpaprMachineState *spapr)
{
    const char *path = spapr->caps.dumpdtb;

    if (!g_file_set_contents(path, spapr->fdt_blob, spapr->fdt_size, NULL)) {
        error_exit("qemu_fdt_dumpdtb: Failed dumping dtb to %s", path);
    }
    info_report("dtb dumped to %s. Exiting.", path);
    exit(0);
}

/*
 * Where the firmware interfaces go: the device tree just below the top of
 * the RMA or 2 GiB, whichever is lower, and the RTAS stub below it.  The
 * RTAS area (rtas-size, as QEMU 7.2 sizes it) holds the stub, the error log
 * and one FWNMI save block of 16 bytes per possible processor
 * (spapr_fwnmi_system_reset()), plus 8 bytes: Linux accepts a block only
 * when it starts at least 16 bytes before the end of the area.
 */
static void spapr_place_fdt_rtas(SpaprMachineState *spapr)
{
    spapr->fdt_addr = MIN(spapr->rma_size, FDT_MAX_ADDR) - FDT_MAX_SIZE;
    spapr->rtas_addr = spapr->fdt_addr - RTAS_MAX_SIZE;
    spapr->rtas_size = spapr_rtas_stub_len + RTAS_ERROR_LOG_SIZE + 16 * spapr->max_cpus + 8;
}

static void spapr_copy_rtas_stub(SpaprMachineState *spapr)
{
    unsigned words = spapr_rtas_stub_len / sizeof(uint32_t);

    guest_memset(spapr->rtas_addr, 0, spapr->rtas_size);
    for (unsigned i = 0; i < words; i++) {
        guest_stl_be(spapr->rtas_addr + 4 * i, spapr_rtas_stub[i]);
    }
}

/* A CPU a core brings (machine reset, or plugged): power-on state, in PAPR's stopped state. */
void spapr_cpu_core_reset_cpu(SpaprMachineState *spapr, PowerPCCPU *cpu)
{
    ppc_cpu_reset(cpu);
    ppc_store_lpcr(cpu, LPCR_LPES0);
    spapr_caps_apply_cpu(&spapr->caps, cpu);
    if (cpu->cpu_index) {
        SpaprCpuState *state = spapr_cpu_state(spapr, cpu);

        memset(state, 0, sizeof(*state));
        state->stopped = true;
        cpu->halted = true;
    }
}

/*
 * A partition starts with CPU 0 at the entry point, in real mode and
 * big-endian, with r3 holding the device tree's address; the other CPUs
 * wait for RTAS start-cpu, and those of empty core slots for a plug.
 */
static void spapr_reset_cpus(SpaprMachineState *spapr)
{
    spapr_cpu_states_reset(spapr);
    for (unsigned i = 0; i < spapr_cpu_slots(spapr); i++) {
        spapr_cpu_core_reset_cpu(spapr, spapr->cpus[i]);
    }
    if (spapr->smp_cpus) {
        CPUPPCState *env = &spapr->cpus[0]->env;

        /* The running processor may wake from power saving (QEMU 7.2's LPCR). */
        ppc_store_lpcr(spapr->cpus[0], ppc_lpcr(env) | LPCR_PECE);
        env->nip = SPAPR_ENTRY_POINT;
        env->gpr[3] = spapr->fdt_addr;
        env->gpr[5] = 0;
    }
}

void spapr_machine_reset(MachineState *m)
{
    SpaprMachineState *spapr = (SpaprMachineState *)m;
    g_autofree char *err = NULL;
    const char *hint = NULL;

    /* QEMU 7.2 checks the capabilities first thing at every reset. */
    if (!spapr_caps_apply_reset(spapr, &err, &hint)) {
        error_report("%s", err);
        if (hint) {
            fprintf(stderr, "%s\n", hint);
        }
        exit(1);
    }
    /* Unplugs the guest never finished complete; what is plugged is configured. */
    spapr_pci_hotplug_reset();
    spapr_drc_reset_all();
    /* Every device, depth-first in bus order (the VIO bus: ascending reg). */
    qdev_reset_all();
    /* Firmware, kernel and initrd as loaded: the last boot may have overwritten them. */
    loader_reset();
    spapr_events_reset(spapr);
    spapr->fwnmi_system_reset_addr = -1;
    spapr->fwnmi_machine_check_addr = -1;
    spapr->fwnmi_machine_check_interlock = -1;
    spapr_boot_reset(spapr);
    spapr_place_fdt_rtas(spapr);
    spapr_cas_reset(spapr);
    g_free(spapr->fdt_blob);
    spapr->fdt_blob = spapr_build_fdt(spapr, &spapr->fdt_size);
    if (!spapr->fdt_blob) {
        error_exit("could not build the device tree");
    }
    spapr->fdt_initial_size = spapr->fdt_size;
    /* x-vof=on serves the tree through the client interface: it is not copied to RAM. */
    if (spapr->caps.x_vof) {
        spapr_vof_reset(spapr);
    }
    if (spapr->caps.dumpdtb) {
        spapr_dump_dtb(spapr);
    }
    spapr_hpt_reset(spapr);
    spapr_proc_tbl_reset(spapr);
    if (!spapr->caps.x_vof) {
        spapr_copy_rtas_stub(spapr);
        if (!guest_write(spapr->fdt_addr, spapr->fdt_blob, spapr->fdt_size)) {
            error_exit("device tree does not fit in RAM");
        }
    }
    spapr_reset_cpus(spapr);
    if (spapr->caps.x_vof) {
        spapr_vof_setup_cpu(spapr);
    }
}

/* ---- The machine interface -------------------------------------------- */

static SpaprMachineState *spapr_of(MachineState *m)
{
    return (SpaprMachineState *)m;
}

static unsigned spapr_machine_cpu_count(MachineState *m)
{
    return spapr_of(m)->cpus ? spapr_of(m)->nr_present : 0;
}

/* The QOM path of core number core (a boot core, or a plugged device), or NULL: empty. */
static char *spapr_core_path(SpaprMachineState *spapr, unsigned core)
{
    if (spapr->core_devs && spapr->core_devs[core]) {
        return g_strdup(spapr->core_devs[core]->path);
    }
    return NULL;
}

/*
 * The present CPUs in the order they came (boot cores, then plugged ones):
 * CPU i is thread i % threads of core i / threads; the core's id is the CPU
 * index of its first thread, as QEMU numbers them.
 */
static void spapr_machine_cpu_info(MachineState *m, unsigned i, MachineCpuInfo *info)
{
    SpaprMachineState *spapr = spapr_of(m);
    PowerPCCPU *cpu = spapr->cpus[spapr->cpu_order[i]];
    int index = cpu->cpu_index;
    unsigned threads = spapr->smp_threads;
    g_autofree char *core = spapr_core_path(spapr, index / threads);

    info->cpu_index = index;
    info->core_id = index / threads * threads;
    info->node_id = numa_cpu_node(index);
    info->qom_path = g_strdup_printf("%s/thread[%u]", core, index % threads);
    info->target = "ppc64";
    info->thread_id = cpus_thread_id(cpu);
}

/* query-hotpluggable-cpus: every core up to maxcpus, the last first (as QEMU lists them). */
static unsigned spapr_machine_core_slots(MachineState *m)
{
    SpaprMachineState *spapr = spapr_of(m);

    if (!spapr->cpus || !spapr_version_hotpluggable_cpus(spapr->version)) {
        return 0;
    }
    return spapr->max_cpus / spapr->smp_threads;
}

static void spapr_machine_core_slot(MachineState *m, unsigned i, MachineCoreSlot *slot)
{
    SpaprMachineState *spapr = spapr_of(m);
    unsigned core = spapr->max_cpus / spapr->smp_threads - 1 - i;

    slot->type = spapr_cpu_core_type(spapr);
    slot->vcpus_count = spapr->smp_threads;
    slot->core_id = core * spapr->smp_threads;
    slot->node_id = numa_core_node(core);
    slot->qom_path = spapr_core_path(spapr, core);
}

static bool spapr_cpu_is_present(PowerPCCPU *cpu)
{
    return spapr_machine && spapr_cpu_present(spapr_machine, cpu->cpu_index);
}

/*
 * Every vCPU gets its thread; those of empty slots sleep until plugged and
 * started, unseen by the monitor and the debugger.
 */
static void spapr_machine_cpus_start(MachineState *m)
{
    cpus_set_present_hook(spapr_cpu_is_present);
#ifdef CONFIG_KVM
    if (kvm_enabled()) {
        char *err;

        SpaprIrqState *irq = spapr_of(m)->irq;

        if (!kvm_ppc_machine_init(spapr_of(m)->cpus, spapr_cpu_slots(spapr_of(m)), &err) ||
            !kvm_ppc_irqchip_init(irq->ics, irq->icps, irq->nr_icps, &err)) {
            error_exit("%s", err);
        }
        /* cap-large-decr: the kernel must keep LPCR[LD] as the cap says (QEMU's check). */
        for (unsigned i = 0; i < spapr_cpu_slots(spapr_of(m)); i++) {
            PowerPCCPU *cpu = spapr_of(m)->cpus[i];

            if (cpu->kvm && kvm_ppc_set_large_decr(cpu, spapr_of(m)->caps.large_decr) < 0) {
                error_exit("No large decrementer support\nTry appending -machine "
                           "cap-large-decr=off");
            }
        }
    }
#endif
    cpus_start(spapr_of(m)->cpus, spapr_cpu_slots(spapr_of(m)));
}

/* As if the first CPU issued the hypercall. */
static uint64_t spapr_machine_hcall(MachineState *m, uint64_t opcode,
                                    uint64_t args[MACHINE_HCALL_NARGS])
{
    G_STATIC_ASSERT(MACHINE_HCALL_NARGS == SPAPR_HCALL_NARGS);
    return spapr_hypercall(spapr_of(m)->cpus[0], opcode, args);
}

static uint64_t spapr_machine_rtas(MachineState *m, const char *name, uint32_t nargs, uint64_t args,
                                   uint32_t nret, uint64_t rets)
{
    return qtest_rtas_call(name, nargs, args, nret, rets);
}

const MachineClassOps spapr_machine_ops = {
    .name = "pseries",
    .types = spapr_machine_types,
    .print_props = spapr_machine_print_props,
    .parse_props = spapr_machine_parse_props,
    .free_props = spapr_machine_free_props,
    .create = spapr_machine_create,
    .reset = spapr_machine_reset,
    .cpu_count = spapr_machine_cpu_count,
    .cpu_info = spapr_machine_cpu_info,
    .core_slots = spapr_machine_core_slots,
    .core_slot = spapr_machine_core_slot,
    .cpus_start = spapr_machine_cpus_start,
    .hcall = spapr_machine_hcall,
    .rtas = spapr_machine_rtas,
    .state_save = spapr_migration_save,
    .state_load = spapr_migration_load,
    .state_iter_begin = spapr_migration_iter_begin,
    .state_iter_save = spapr_migration_iter_save,
    .state_iter_pending = spapr_migration_iter_pending,
    .state_iter_load = spapr_migration_iter_load,
    .cpu_state_save = spapr_migration_cpu_save,
    .cpu_state_load = spapr_migration_cpu_load,
};

static void spapr_machine_register(void)
{
    machine_register(&spapr_machine_ops);
}

module_init(spapr_machine_register)
