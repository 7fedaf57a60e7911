/*
 * x-vof=on on the pseries machine: the guest stub at 0, the entry state,
 * H_VOF_CLIENT, and what the machine does for the client interface (the
 * vty, RTAS, CAS, setprop, quiesce).
 */
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_cas.h"
#include "hw/ppc/spapr_rtas.h"
#include "hw/ppc/spapr_vio.h"
#include "hw/ppc/vof.h"
#include "exec/guest-memory.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "qemu/timer.h"
#include "sysemu/cpus.h"
#include "sysemu/runstate.h"
#include <libfdt.h>

/*
 * The guest side, big-endian words entered in 32-bit mode (as QEMU's VOF
 * is).  At 0x100: load the kernel's entry from VOF_STUB_KERNEL_SLOT, point
 * r5 at the client-interface entry and jump; r1, r3 (initrd base) and r4
 * (initrd size) are set by the machine.  With no kernel it calls "exit"
 * (the argument block at VOF_STUB_EXIT_ARGS) as QEMU's firmware does.  The
 * client-interface entry takes the argument block in r3, issues
 * H_VOF_CLIENT with it in r4 and returns H_SUCCESS or H_PARAMETER in r3.
 * Every other interrupt vector spins.
 */
#define VOF_STUB_KERNEL_SLOT 0x80
#define VOF_STUB_EXIT_ARGS 0x90
#define VOF_STUB_EXIT_NAME 0xa0
#define VOF_STUB_CI_ENTRY 0x180

static const uint32_t vof_stub_start[] = {
    0x80000080, /* 0x100 lwz   r0, VOF_STUB_KERNEL_SLOT(0) */
    0x2c000000, /* 0x104 cmpwi r0, 0 */
    0x41820018, /* 0x108 beq   0x120 */
    0x7c0903a6, /* 0x10c mtctr r0 */
    0x38a00180, /* 0x110 li    r5, VOF_STUB_CI_ENTRY */
    0x4e800420, /* 0x114 bctr */
    0x48000000, /* 0x118 b     . */
    0x48000000, /* 0x11c b     . */
    0x38600090, /* 0x120 li    r3, VOF_STUB_EXIT_ARGS */
    0x4800005d, /* 0x124 bl    VOF_STUB_CI_ENTRY */
    0x48000000, /* 0x128 b     . */
};

static const uint32_t vof_stub_ci_entry[] = {
    0x7c641b78, /* mr    r4, r3 */
    0x38600000, /* li    r3, 0 */
    0x6063f005, /* ori   r3, r3, KVMPPC_H_VOF_CLIENT */
    0x44000022, /* sc    1 */
    0x4e800020, /* blr */
};

#define VOF_STUB_SPIN 0x48000000 /* b . */

/* The stack frame the entry leaves free at the top of the stack (ELF ABI back chain). */
#define VOF_STACK_FRAME 0x20

/* Real addresses: the top four bits of an hcall's address are ignored. */
#define SPAPR_REAL_ADDR_MASK 0x0fffffffffffffffULL

static SpaprMachineState *spapr_of_vof(Vof *vof)
{
    return vof->opaque;
}

static char *spapr_vof_stdout_path(SpaprMachineState *spapr)
{
    SpaprVioDevice *vty = spapr->vio_bus ? spapr_vty_get_default(spapr->vio_bus) : NULL;

    if (!vty) {
        return NULL;
    }
    return g_strdup_printf("/vdevice/%s@%x", spapr_vio_get_class(vty)->dt_name, vty->reg);
}

/* Output to the console the path names (stdout); no other device takes any. */
static int64_t spapr_vof_write(Vof *vof, const char *path, const uint8_t *buf, uint32_t len)
{
    SpaprMachineState *spapr = spapr_of_vof(vof);
    SpaprVioDevice *vty = spapr->vio_bus ? spapr_vty_get_default(spapr->vio_bus) : NULL;
    g_autofree char *vty_path = spapr_vof_stdout_path(spapr);

    if (!vty || strcmp(path, vty_path)) {
        return -1;
    }
    spapr_vty_write(vty, buf, len);
    return len;
}

/*
 * The machine keeps what the client tells it about the initrd (QEMU does
 * the same); every other property is stored as given.
 */
static bool spapr_vof_setprop(Vof *vof, const char *path, const char *name, const void *val,
                              uint32_t len)
{
    SpaprMachineState *spapr = spapr_of_vof(vof);
    uint64_t v;

    if (strcmp(path, "/chosen") ||
        (strcmp(name, "linux,initrd-start") && strcmp(name, "linux,initrd-end"))) {
        return true;
    }
    if (len == 4) {
        v = fdt32_to_cpu(*(const fdt32_t *)val);
    } else if (len == 8) {
        v = fdt64_to_cpu(*(const fdt64_t *)val);
    } else {
        return false;
    }
    if (!strcmp(name, "linux,initrd-start")) {
        spapr->initrd_base = v;
    } else {
        spapr->initrd_size = v - spapr->initrd_base;
    }
    return true;
}

/*
 * ibm,client-architecture-support: the machine's negotiation (spapr_cas.c)
 * rebuilds its tree for what was agreed; VOF then serves that tree, keeping
 * its claims, phandles and bootargs, and opening stdout anew (QEMU does the
 * same).  The negotiation frees the machine's tree when it replaces it, so it
 * is handed a copy of the one served.
 */
static uint32_t spapr_vof_cas(Vof *vof, uint32_t vec)
{
    SpaprMachineState *spapr = spapr_of_vof(vof);
    target_ulong ret;

    if (!spapr->smp_cpus) {
        return (uint32_t)H_HARDWARE;
    }
    spapr->fdt_blob = g_memdup2(vof->fdt, fdt_totalsize(vof->fdt));
    ret = spapr_cas_negotiate(spapr, spapr->cpus[0], vec);
    if (ret == H_SUCCESS && !vof_adopt_tree(vof, spapr->fdt_blob)) {
        ret = H_RESOURCE;
    }
    g_free(spapr->fdt_blob);
    spapr->fdt_blob = vof->fdt;
    spapr->fdt_size = fdt_totalsize(vof->fdt);
    return ret;
}

/* instantiate-rtas: the RTAS stub at the base the client claimed. */
static bool spapr_vof_instantiate_rtas(Vof *vof, uint32_t base, uint32_t *entry)
{
    SpaprMachineState *spapr = spapr_of_vof(vof);
    unsigned words = spapr_rtas_stub_len / sizeof(uint32_t);

    if (!guest_range_valid(base, spapr_rtas_stub_len)) {
        return false;
    }
    for (unsigned i = 0; i < words; i++) {
        guest_stl_be(base + 4 * i, spapr_rtas_stub[i]);
    }
    spapr->rtas_addr = base;
    *entry = base;
    return true;
}

static uint32_t spapr_vof_milliseconds(Vof *vof)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) / 1000000;
}

static void spapr_vof_quiesce(Vof *vof)
{
    SpaprMachineState *spapr = spapr_of_vof(vof);

    spapr->fdt_blob = vof->fdt;
    spapr->fdt_size = fdt_totalsize(vof->fdt);
    spapr->fdt_initial_size = spapr->fdt_size;
}

/* The VM stops in the main loop: a vCPU cannot wait for itself to park. */
static gboolean spapr_vof_stop_vm(gpointer opaque)
{
    vm_stop(RUN_STATE_PAUSED);
    return G_SOURCE_REMOVE;
}

static void spapr_vof_exit(Vof *vof)
{
    error_report("Stopped as the VM requested \"exit\"");
    cpus_request_stop();
    g_idle_add(spapr_vof_stop_vm, NULL);
    main_loop_wakeup();
}

static void spapr_vof_boot(Vof *vof, const char *bootspec)
{
    qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
}

static const VofMachineOps spapr_vof_ops = {
    .setprop = spapr_vof_setprop,
    .write = spapr_vof_write,
    .cas = spapr_vof_cas,
    .instantiate_rtas = spapr_vof_instantiate_rtas,
    .milliseconds = spapr_vof_milliseconds,
    .quiesce = spapr_vof_quiesce,
    .exit = spapr_vof_exit,
    .boot = spapr_vof_boot,
};

/* H_VOF_CLIENT: r4 = the client's argument block. */
static target_ulong h_vof_client(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                 target_ulong *args)
{
    bool ok;

    if (!spapr || !spapr->vof) {
        return H_FUNCTION;
    }
    ok = vof_client_call(spapr->vof, args[0] & SPAPR_REAL_ADDR_MASK);
    /* The tree may have moved (setprop grows it, CAS rebuilds it). */
    spapr->fdt_blob = spapr->vof->fdt;
    spapr->fdt_size = fdt_totalsize(spapr->vof->fdt);
    return ok ? H_SUCCESS : H_PARAMETER;
}

static void spapr_vof_place_stub(SpaprMachineState *spapr)
{
    guest_memset(0, 0, VOF_FW_SIZE);
    for (hwaddr v = 0x200; v < VOF_FW_SIZE; v += 0x100) {
        guest_stl_be(v, VOF_STUB_SPIN);
    }
    for (unsigned i = 0; i < ARRAY_SIZE(vof_stub_start); i++) {
        guest_stl_be(SPAPR_ENTRY_POINT + 4 * i, vof_stub_start[i]);
    }
    for (unsigned i = 0; i < ARRAY_SIZE(vof_stub_ci_entry); i++) {
        guest_stl_be(VOF_STUB_CI_ENTRY + 4 * i, vof_stub_ci_entry[i]);
    }
    guest_stl_be(VOF_STUB_KERNEL_SLOT, spapr->kernel_size ? spapr->kernel_entry : 0);
    /* "exit", no arguments, no results */
    guest_stl_be(VOF_STUB_EXIT_ARGS, VOF_STUB_EXIT_NAME);
    guest_write(VOF_STUB_EXIT_NAME, "exit", 5);
}

void spapr_vof_reset(SpaprMachineState *spapr)
{
    Vof *vof = spapr->vof;

    if (!vof) {
        vof = spapr->vof = g_new0(Vof, 1);
    }
    /* The tree served last was the machine's, which freed it with its old tree. */
    vof->fdt = NULL;
    vof_init(vof, &spapr_vof_ops, spapr, spapr->ram_size, spapr->rma_size);
    /* The firmware, its stack, then what was loaded: as QEMU claims them. */
    vof_claim(vof, 0, VOF_FW_SIZE, 0);
    vof->stack = vof_claim(vof, 0, VOF_STACK_SIZE, VOF_STACK_SIZE);
    if (spapr->kernel_size) {
        vof_claim(vof, spapr->kernel_addr, spapr->kernel_size, 0);
    }
    if (spapr->initrd_size) {
        vof_claim(vof, spapr->initrd_base, spapr->initrd_size, 0);
    }
    vof->stdout_path = spapr_vof_stdout_path(spapr);
    if (!vof_adopt_tree(vof, spapr->fdt_blob)) {
        error_exit("could not build the device tree");
    }
    g_free(spapr->fdt_blob);
    spapr->fdt_blob = vof->fdt;
    spapr->fdt_size = fdt_totalsize(vof->fdt);
    spapr->fdt_initial_size = spapr->fdt_size;
    /*
     * -bios FILE replaces QEMU's vof.bin: the image is the firmware, entered
     * at 0x100 with the same registers, and the client interface still
     * answers its H_VOF_CLIENT calls.  Without it, our stub plays vof.bin.
     */
    if (!spapr->bios_name) {
        spapr_vof_place_stub(spapr);
    }
}

void spapr_vof_setup_cpu(SpaprMachineState *spapr)
{
    CPUPPCState *env;

    if (!spapr->smp_cpus || !spapr->vof) {
        return;
    }
    env = &spapr->cpus[0]->env;
    env->nip = SPAPR_ENTRY_POINT;
    env->gpr[1] = spapr->vof->stack + VOF_STACK_SIZE - VOF_STACK_FRAME;
    env->gpr[3] = spapr->initrd_base;
    env->gpr[4] = spapr->initrd_size;
    env->gpr[5] = 0;
    /* VOF runs big-endian in 32-bit mode. */
    env->msr &= ~(MSR_SF | MSR_LE);
}

static void spapr_vof_register(void)
{
    spapr_register_hypercall(KVMPPC_H_VOF_CLIENT, h_vof_client);
}

module_init(spapr_vof_register)
