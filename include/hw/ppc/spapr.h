/*
 * The pseries ("sPAPR") machine: its state, and the hypercall and RTAS
 * registration interfaces every PAPR facility uses.
 */
#ifndef HW_PPC_SPAPR_H
#define HW_PPC_SPAPR_H

#include "qemu/units.h"
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "hw/boards.h"
#include "hw/ppc/spapr_caps.h"
#include "hw/ppc/spapr_cas.h"
#include "target/ppc/cpu.h"

typedef struct SpaprVioBus SpaprVioBus;
typedef struct SpaprMachineState SpaprMachineState;
typedef struct SpaprIrqState SpaprIrqState;
typedef struct Vof Vof;
typedef struct SpaprEvents SpaprEvents;
typedef struct SpaprWatchdog SpaprWatchdog;

/* Guest ABI addresses (as QEMU's pseries) */
#define SPAPR_ENTRY_POINT 0x100
#define KERNEL_LOAD_ADDR 0x00400000
#define FW_MAX_SIZE (4 * MiB)
#define SPAPR_VTY_BASE_ADDRESS 0x71000000
#define SPAPR_TIMEBASE_FREQ 512000000ULL
#define SPAPR_CLOCK_FREQ 1000000000ULL
/* Threads per core at most (POWER8's SMT8) */
#define SPAPR_MAX_THREADS 8
/* The dynamic-reconfiguration connector of the core whose first thread has vCPU id id */
#define SPAPR_DRC_CPU_INDEX(id) (0x10000000u + (id))
/* Room reserved for the device tree in guest memory */
#define SPAPR_FDT_MAX_SIZE 0x200000
/* Hot-pluggable memory starts at the first 1 GiB boundary above RAM (QEMU). */
#define SPAPR_DEVICE_MEM_ALIGN (1 * GiB)
/* Memory is added and removed in 256 MiB blocks. */
#define SPAPR_LMB_SIZE (256 * MiB)

/*
 * What the hypervisor keeps for each of the partition's processors, apart
 * from the architected state in CPUPPCState.  Zeroed at machine reset.
 */
typedef struct SpaprCpuState {
    /* H_REGISTER_VPA areas (guest-physical); 0 means none registered */
    hwaddr vpa_addr;
    hwaddr slb_shadow_addr;
    uint32_t slb_shadow_size;
    hwaddr dtl_addr;
    uint32_t dtl_size;
    /* H_PROD arrived while the processor was not ceded: the next H_CEDE returns at once. */
    bool prod;
    /* PAPR's stopped state: not started yet, or stop-self; only start-cpu leaves it. */
    bool stopped;
} SpaprCpuState;

struct SpaprMachineState {
    MachineState parent_obj;     /* what the generic front ends see */
    const SpaprVersion *version; /* pseries-7.2, ... */
    /* Every -machine property, typed: version defaults, CPU, command line */
    SpaprCaps caps;
    uint64_t ram_size;
    uint64_t maxmem;
    unsigned ram_slots; /* -m slots=: pc-dimm modules (hw/ppc/spapr_lmb.c) */
    unsigned smp_cpus;
    unsigned max_cpus;
    unsigned smp_cores, smp_threads; /* per socket, per core */
    uint32_t vsmt;                   /* vCPU ids of one core span vsmt numbers (QEMU's VSMT mode) */

    /*
     * Every vCPU up to maxcpus, by CPU index, made at machine creation; only
     * the present ones (boot cores, plugged cores) are the partition's.
     * cpu_present NULL (unit tests): the first smp_cpus, and no others.
     */
    PowerPCCPU **cpus;
    bool *cpu_present;
    unsigned *cpu_order; /* present CPU indexes, in the order they came (query-cpus-fast) */
    unsigned nr_present;
    struct DeviceState **core_devs; /* by core number: the plugged core device, or NULL */
    SpaprCpuState *cpu_states;      /* spapr_cpu_slots() entries, allocated on first use */
    const PowerPCCPUModel *cpu_model;
    SpaprVioBus *vio_bus;
    SpaprIrqState *irq; /* the interrupt controller (hw/ppc/spapr_irq.c) */

    /* Boot images */
    char *bios_name;
    char *kernel_filename;
    char *kernel_cmdline;
    char *initrd_filename;
    hwaddr kernel_addr;
    uint64_t kernel_size;
    uint64_t kernel_entry;
    bool kernel_le;
    hwaddr initrd_base;
    uint64_t initrd_size;

    /*
     * -boot, for the firmware (/chosen qemu,boot-device and qemu,boot-menu):
     * once= for the first boot, then order= after a reset, as QEMU 7.2.
     */
    char *boot_order;
    const char *boot_device;
    bool boot_menu;
    bool boot_reset_seen; /* the power-on reset happened */

    /* Built at every reset */
    void *fdt_blob;
    uint32_t fdt_size;
    uint32_t fdt_initial_size; /* the size given at reset or CAS: H_UPDATE_DT's bound */
    hwaddr fdt_addr;
    hwaddr rtas_addr;
    uint32_t rtas_size;
    hwaddr rma_size;

    /*
     * The hashed page table (hw/ppc/spapr_hpt.c): host memory of 2^htab_shift
     * bytes, NULL when the partition uses radix only.
     */
    uint8_t *htab;
    unsigned htab_shift;
    /*
     * For migration's pre-copy: a bit per SPAPR_HPT_CHUNK_PTES PTEs changed
     * since migration last sent them (set after the change, atomically), and
     * a number that changes whenever htab is replaced (reset, resize, load).
     */
    unsigned long *htab_dirty;
    uint64_t htab_gen;
    /*
     * H_RESIZE_HPT_PREPARE's new, empty table of 2^pending_htab_shift bytes,
     * waiting for H_RESIZE_HPT_COMMIT (spapr_hpt_resize.c); NULL: none.
     */
    uint8_t *pending_htab;
    unsigned pending_htab_shift;
    /* The process table H_REGISTER_PROC_TBL installed (spapr_proc_tbl.c), 0: none. */
    uint64_t patb_entry;
    /* What ibm,client-architecture-support agreed (hw/ppc/spapr_cas.c). */
    SpaprCasState cas;

    /* x-vof=on: the built-in Open Firmware client interface (hw/ppc/vof*.c) */
    Vof *vof;

    /* -rtc base=: seconds added to host time for the guest's time of day */
    int64_t rtc_offset;

    /* RTAS event sources and queued error logs (hw/ppc/spapr_events.c) */
    SpaprEvents *events;
    /*
     * ibm,nmi-register: where the guest wants system resets and machine
     * checks delivered (-1: not registered), and the vCPU inside its
     * machine-check handler until ibm,nmi-interlock (-1: none).
     */
    target_ulong fwnmi_system_reset_addr;
    target_ulong fwnmi_machine_check_addr;
    int fwnmi_machine_check_interlock;
    /* H_WATCHDOG's timers (hw/ppc/spapr_watchdog.c), made on first use */
    SpaprWatchdog *watchdogs;
};

/* The machine, once built; NULL before (and in unit tests that do not). */
extern SpaprMachineState *spapr_machine;

/* ---- Hypercalls ------------------------------------------------------- */

/* Return codes (PAPR; Linux arch/powerpc/include/asm/hvcall.h) */
#define H_SUCCESS 0
#define H_BUSY 1
#define H_CLOSED 2
#define H_NOT_AVAILABLE 3
#define H_CONSTRAINED 4
#define H_PARTIAL 5
#define H_IN_PROGRESS 14
#define H_PAGE_REGISTERED 15
#define H_PARTIAL_STORE 16
#define H_PENDING 17
#define H_CONTINUE 18
#define H_MULTI_THREADS_ACTIVE 31
#define H_OUTSTANDING_COP_OPS 32
#define H_LONG_BUSY_ORDER_100_MSEC 9902 /* busy: call again in about 100 ms */
#define H_HARDWARE -1
#define H_FUNCTION -2
#define H_PRIVILEGE -3
#define H_PARAMETER -4
#define H_BAD_MODE -5
#define H_PTEG_FULL -6
#define H_NOT_FOUND -7
#define H_RESERVED_DABR -8
#define H_NO_MEM -9
#define H_AUTHORITY -10
#define H_PERMISSION -11
#define H_DROPPED -12
#define H_SOURCE_PARM -13
#define H_DEST_PARM -14
#define H_REMOTE_PARM -15
#define H_RESOURCE -16
#define H_ADAPTER_PARM -17
#define H_RH_PARM -18
#define H_RCQ_PARM -19
#define H_SCQ_PARM -20
#define H_EQ_PARM -21
#define H_RT_PARM -22
#define H_ST_PARM -23
#define H_SIGT_PARM -24
#define H_TOKEN_PARM -25
#define H_MLENGTH_PARM -27
#define H_MEM_PARM -28
#define H_MEM_ACCESS_PARM -29
#define H_ATTR_PARM -30
#define H_PORT_PARM -31
#define H_MCG_PARM -32
#define H_VL_PARM -33
#define H_TSIZE_PARM -34
#define H_TRACE_PARM -35
#define H_MASK_PARM -37
#define H_MCG_FULL -38
#define H_ALIAS_EXIST -39
#define H_P_COUNTER -40
#define H_TABLE_FULL -41
#define H_ALT_TABLE -42
#define H_MR_CONDITION -43
#define H_NOT_ENOUGH_RESOURCES -44
#define H_R_STATE -45
#define H_RESCINDED -46
#define H_P2 -55
#define H_P3 -56
#define H_P4 -57
#define H_P5 -58
#define H_P6 -59
#define H_P7 -60
#define H_P8 -61
#define H_P9 -62
#define H_NOOP -63
#define H_UNSUPPORTED_FLAG -256
#define H_OVERLAP -68
#define H_STATE -75
#define H_INVALID_ELEMENT_VALUE -81
#define H_UNSUPPORTED -67

/* PAPR opcodes (multiples of 4) */
#define H_REMOVE 0x04
#define H_ENTER 0x08
#define H_READ 0x0c
#define H_CLEAR_MOD 0x10
#define H_CLEAR_REF 0x14
#define H_PROTECT 0x18
#define H_GET_TCE 0x1c
#define H_PUT_TCE 0x20
#define H_SET_SPRG0 0x24
#define H_SET_DABR 0x28
#define H_PAGE_INIT 0x2c
#define H_SET_ASR 0x30
#define H_ASR_ON 0x34
#define H_ASR_OFF 0x38
#define H_LOGICAL_CI_LOAD 0x3c
#define H_LOGICAL_CI_STORE 0x40
#define H_LOGICAL_CACHE_LOAD 0x44
#define H_LOGICAL_CACHE_STORE 0x48
#define H_LOGICAL_ICBI 0x4c
#define H_LOGICAL_DCBF 0x50
#define H_GET_TERM_CHAR 0x54
#define H_PUT_TERM_CHAR 0x58
#define H_REAL_TO_LOGICAL 0x5c
#define H_HYPERVISOR_DATA 0x60
#define H_EOI 0x64
#define H_CPPR 0x68
#define H_IPI 0x6c
#define H_IPOLL 0x70
#define H_XIRR 0x74
#define H_PERFMON 0x7c
#define H_MIGRATE_DMA 0x78
#define H_REGISTER_VPA 0xdc
#define H_CEDE 0xe0
#define H_CONFER 0xe4
#define H_PROD 0xe8
#define H_GET_PPP 0xec
#define H_SET_PPP 0xf0
#define H_PURR 0xf4
#define H_PIC 0xf8
#define H_REG_CRQ 0xfc
#define H_FREE_CRQ 0x100
#define H_VIO_SIGNAL 0x104
#define H_SEND_CRQ 0x108
#define H_COPY_RDMA 0x110
#define H_REGISTER_LOGICAL_LAN 0x114
#define H_FREE_LOGICAL_LAN 0x118
#define H_ADD_LOGICAL_LAN_BUFFER 0x11c
#define H_SEND_LOGICAL_LAN 0x120
#define H_BULK_REMOVE 0x124
#define H_MULTICAST_CTRL 0x130
#define H_SET_XDABR 0x134
#define H_STUFF_TCE 0x138
#define H_PUT_TCE_INDIRECT 0x13c
#define H_CHANGE_LOGICAL_LAN_MAC 0x14c
#define H_VTERM_PARTNER_INFO 0x150
#define H_REGISTER_VTERM 0x154
#define H_FREE_VTERM 0x158
#define H_JOIN 0x298
#define H_ENABLE_CRQ 0x2b0
#define H_HOME_NODE_ASSOCIATIVITY 0x2ec
#define H_XIRR_X 0x2fc
#define H_RANDOM 0x300
#define H_SET_MODE 0x31c
/* H_SET_MODE resources (r5) and the flags (r4) of some */
#define H_SET_MODE_RESOURCE_SET_CIABR 1
#define H_SET_MODE_RESOURCE_SET_DAWR0 2
#define H_SET_MODE_RESOURCE_ADDR_TRANS_MODE 3
#define H_SET_MODE_RESOURCE_LE 4
#define H_SET_MODE_ENDIAN_BIG 0
#define H_SET_MODE_ENDIAN_LITTLE 1
#define H_CLEAR_HPT 0x358
#define H_RESIZE_HPT_PREPARE 0x36c
#define H_RESIZE_HPT_COMMIT 0x370
#define H_REGISTER_PROC_TBL 0x37c
#define H_SIGNAL_SYS_RESET 0x380
/* H_SIGNAL_SYS_RESET targets besides a processor number */
#define H_SIGNAL_SYS_RESET_ALL -1
#define H_SIGNAL_SYS_RESET_ALLBUTSELF -2
#define H_GET_CPU_CHARACTERISTICS 0x1c8
#define H_WATCHDOG 0x45c
/* The last PAPR opcode QEMU 7.2 serves: the table reaches it. */
#define MAX_HCALL_OPCODE H_WATCHDOG

/* Private hypercalls, QEMU's range from 0xf000 */
#define KVMPPC_HCALL_BASE 0xf000
#define KVMPPC_H_RTAS (KVMPPC_HCALL_BASE + 0x0)
#define KVMPPC_H_LOGICAL_MEMOP (KVMPPC_HCALL_BASE + 0x1)
#define KVMPPC_H_CAS (KVMPPC_HCALL_BASE + 0x2)
#define KVMPPC_H_UPDATE_DT (KVMPPC_HCALL_BASE + 0x3)
#define KVMPPC_H_VOF_CLIENT (KVMPPC_HCALL_BASE + 0x5)
#define KVMPPC_HCALL_MAX KVMPPC_H_VOF_CLIENT

/* Number of argument/return registers a handler sees: r4 .. r12. */
#define SPAPR_HCALL_NARGS 9

/*
 * Every hypercall handler has this shape.  args[] holds r4..r12 on entry;
 * the handler writes its outputs into args[0..] (r4..) and returns r3.
 */
typedef target_ulong (*spapr_hcall_fn)(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                       target_ulong opcode, target_ulong *args);

/*
 * Install fn for opcode.  An opcode outside both ranges, not a multiple of 4
 * in the PAPR range, or already taken is a programming error: abort().
 */
void spapr_register_hypercall(target_ulong opcode, spapr_hcall_fn fn);
/* The one dispatch function: `sc 1`, KVM exits and qtest all come here. */
target_ulong spapr_hypercall(PowerPCCPU *cpu, target_ulong opcode, target_ulong *args);
bool spapr_hypercall_registered(target_ulong opcode);
/* Call fn(opcode) for every registered opcode, in ascending order. */
void spapr_hypercall_foreach(void (*fn)(target_ulong opcode, void *opaque), void *opaque);
/* Forget every registration (unit tests only). */
void spapr_hypercall_table_clear(void);

/* Page frame table hcall flags (r4): H_ENTER, H_REMOVE, H_READ, H_PROTECT */
#define H_EXACT PPC_BIT(24)   /* H_ENTER: this slot exactly, or H_PTEG_FULL */
#define H_R_XLATE PPC_BIT(25) /* H_READ: logical page numbers (not offered) */
#define H_READ_4 PPC_BIT(26)  /* H_READ: four PTEs */
#define H_AVPN PPC_BIT(32)    /* H_REMOVE/H_PROTECT: only if the AVPN matches */
#define H_ANDCOND PPC_BIT(33) /* H_REMOVE: only if the PTE has none of these bits */

/* H_PAGE_INIT flags (r4) */
#define H_ICACHE_INVALIDATE PPC_BIT(40)
#define H_ICACHE_SYNCHRONIZE PPC_BIT(41)
#define H_ZERO_PAGE PPC_BIT(48)
#define H_COPY_PAGE PPC_BIT(49)

/* H_SET_XDABR extension bits (r5): the DABRX register's low bits */
#define H_DABRX_USER PPC_BIT(63)
#define H_DABRX_KERNEL PPC_BIT(62)
#define H_DABRX_HYPERVISOR PPC_BIT(61)
#define H_DABRX_BTI PPC_BIT(60)

/* H_REGISTER_VPA: the function lives in bits 16-18 of the flags (r4) */
#define H_VPA_FUNC_SHIFT (63 - 18)
#define H_VPA_FUNC_MASK (7ULL << H_VPA_FUNC_SHIFT)
#define H_VPA_REG_VPA (1ULL << H_VPA_FUNC_SHIFT)
#define H_VPA_REG_DTL (2ULL << H_VPA_FUNC_SHIFT)
#define H_VPA_REG_SLB (3ULL << H_VPA_FUNC_SHIFT)
#define H_VPA_DEREG_VPA (5ULL << H_VPA_FUNC_SHIFT)
#define H_VPA_DEREG_DTL (6ULL << H_VPA_FUNC_SHIFT)
#define H_VPA_DEREG_SLB (7ULL << H_VPA_FUNC_SHIFT)

/* H_GET_CPU_CHARACTERISTICS: r4, what the processor does */
#define H_CPU_CHAR_SPEC_BAR_ORI31 PPC_BIT(0)
#define H_CPU_CHAR_BCCTRL_SERIALISED PPC_BIT(1)
#define H_CPU_CHAR_L1D_FLUSH_ORI30 PPC_BIT(2)
#define H_CPU_CHAR_L1D_FLUSH_TRIG2 PPC_BIT(3)
#define H_CPU_CHAR_L1D_THREAD_PRIV PPC_BIT(4)
#define H_CPU_CHAR_BRANCH_HINTS_HONORED PPC_BIT(5)
#define H_CPU_CHAR_THREAD_RECONFIG_CTRL PPC_BIT(6)
#define H_CPU_CHAR_COUNT_CACHE_DISABLED PPC_BIT(7)
#define H_CPU_CHAR_BCCTR_FLUSH_ASSIST PPC_BIT(9)
#define H_CPU_CHAR_BCCTR_LINK_FLUSH_ASSIST PPC_BIT(11)
/* ... and r5, what the hypervisor asks the guest to do */
#define H_CPU_BEHAV_FAVOUR_SECURITY PPC_BIT(0)
#define H_CPU_BEHAV_L1D_FLUSH_PR PPC_BIT(1)
#define H_CPU_BEHAV_BNDS_CHK_SPEC_BAR PPC_BIT(2)
#define H_CPU_BEHAV_FAVOUR_SECURITY_H PPC_BIT(3)
#define H_CPU_BEHAV_FLUSH_COUNT_CACHE PPC_BIT(5)
#define H_CPU_BEHAV_FLUSH_LINK_STACK PPC_BIT(6)
#define H_CPU_BEHAV_NO_L1D_FLUSH_ENTRY PPC_BIT(7)
#define H_CPU_BEHAV_NO_L1D_FLUSH_UACCESS PPC_BIT(8)
#define H_CPU_BEHAV_NO_STF_BARRIER PPC_BIT(9)

/* ---- Per-CPU hypervisor state ----------------------------------------- */

/*
 * The CPU a guest names by its processor number (the "reg" of its
 * /cpus node, which is its index), or NULL.
 */
/*
 * The id of vCPU cpu_index (0, 1, ...), the processor number the guest sees (device tree reg,
 * interrupt server, RTAS and hcall arguments): its core's index times vsmt,
 * plus its thread.  pseries-4.1 and older space cores by 8.
 */
uint32_t spapr_vcpu_id(SpaprMachineState *spapr, int cpu_index);
/* One past the largest possible interrupt server number (any vCPU, up to maxcpus). */
uint32_t spapr_max_server_number(SpaprMachineState *spapr);
/* Entries of spapr->cpus (present or not): maxcpus, or smp_cpus without cpu_present. */
unsigned spapr_cpu_slots(const SpaprMachineState *spapr);
/*
 * With the big lock held: cpu's LPCR bits in mask become value's, on cpu's
 * own thread with its state synchronized first (run_on_cpu), so a vCPU
 * running under KVM takes the new LPCR at its next entry.
 */
void spapr_cpu_update_lpcr(PowerPCCPU *cpu, uint64_t value, uint64_t mask);
/* True when CPU index i is the partition's (a boot core's or a plugged core's). */
bool spapr_cpu_present(const SpaprMachineState *spapr, unsigned i);
/* Make CPU index i present (at the end of cpu_order) or absent. */
void spapr_cpu_set_present(SpaprMachineState *spapr, unsigned i, bool present);
/* The present CPU with that vCPU id, or NULL. */
PowerPCCPU *spapr_find_cpu(SpaprMachineState *spapr, target_ulong procno);
/* The hypervisor's state for cpu, which must be one of spapr's CPUs. */
SpaprCpuState *spapr_cpu_state(SpaprMachineState *spapr, PowerPCCPU *cpu);
/* Forget every CPU's registrations (machine reset). */
void spapr_cpu_states_reset(SpaprMachineState *spapr);

/* The vhyp ops the machine gives its CPUs. */
extern const PPCVirtualHypervisorOps spapr_vhyp_ops;

/* ---- MMU ---------------------------------------------------------------- */

/* The HPT's size for a RAM size, as ibm,pft-size publishes it (log2 bytes). */
unsigned spapr_hpt_shift(uint64_t ram_size);
/*
 * The HPT size a reset gives (log2 bytes): from RAM when the guest may resize
 * it, else from maxmem so that memory hot-plug needs no bigger table.
 */
unsigned spapr_hpt_initial_shift(const SpaprMachineState *spapr);
/* (Re)build the HPT at machine reset: emptied, sized from RAM (spapr_hpt.c). */
void spapr_hpt_reset(SpaprMachineState *spapr);
#ifdef CONFIG_KVM
/* Under KVM-HV: the kernel's table of about 2^shift bytes (true); false under PR. */
bool spapr_hpt_reset_kvm(SpaprMachineState *spapr, unsigned shift);
#endif
/* Drop a prepared HPT resize (spapr_hpt_resize.c: at reset, or a new prepare). */
void spapr_hpt_resize_cancel(SpaprMachineState *spapr);
/* Free the HPT (the partition goes radix, or the machine goes away). */
void spapr_hpt_free(SpaprMachineState *spapr);
/*
 * Make table (qemu_anon_alloc'd, 2^shift bytes) the HPT, the old one freed:
 * every chunk dirty, a new generation (spapr_hpt.c).
 */
void spapr_hpt_install(SpaprMachineState *spapr, uint8_t *table, unsigned shift);
/* PTEs per dirty-tracking chunk of the HPT (4 KiB). */
#define SPAPR_HPT_CHUNK_PTES 256u
/* PTE ptex changed: its chunk goes again in migration's next pass. */
void spapr_hpt_mark_dirty(SpaprMachineState *spapr, uint64_t ptex);

/* The machine's migration sections (hw/ppc/spapr_migration.c), for MachineClassOps. */
void spapr_migration_save(MachineState *m, GByteArray *out);
bool spapr_migration_load(MachineState *m, const uint8_t *buf, size_t len, Error **errp);
void spapr_migration_iter_begin(MachineState *m);
bool spapr_migration_iter_save(MachineState *m, GByteArray *out, size_t max);
uint64_t spapr_migration_iter_pending(MachineState *m);
bool spapr_migration_iter_load(MachineState *m, const uint8_t *buf, size_t len, Error **errp);
void spapr_migration_cpu_save(MachineState *m, unsigned i, GByteArray *out);
bool spapr_migration_cpu_load(MachineState *m, unsigned i, const uint8_t *buf, size_t len,
                              Error **errp);
/* vhyp hooks: the HPT (spapr_hpt.c) and the partition-table entry (spapr_proc_tbl.c). */
uint8_t *spapr_vhyp_hpt(PPCVirtualHypervisor *vhyp, uint64_t *pteg_mask);
void spapr_vhyp_hpte_rc_set(PPCVirtualHypervisor *vhyp, uint64_t ptex);
bool spapr_vhyp_get_pate(PPCVirtualHypervisor *vhyp, PowerPCCPU *cpu, uint64_t pate[2]);
/* vhyp hooks around guest execution: the VPA dispatch counter (spapr_vpa.c). */
void spapr_vpa_exec_enter(PPCVirtualHypervisor *vhyp, PowerPCCPU *cpu);
void spapr_vpa_exec_exit(PPCVirtualHypervisor *vhyp, PowerPCCPU *cpu);
/*
 * vhyp hook: a system reset was taken; with FWNMI registered it goes to the
 * guest's handler instead (spapr_rtas_nmi.c).
 */
void spapr_fwnmi_system_reset(PPCVirtualHypervisor *vhyp, PowerPCCPU *cpu);
/* QMP inject-nmi reaches the machine (spapr_rtas_nmi.c). */
void spapr_nmi_init(SpaprMachineState *spapr);
/* Forget the process table and go back to hash (machine reset). */
void spapr_proc_tbl_reset(SpaprMachineState *spapr);

/* ---- Machine ---------------------------------------------------------- */

/* The pseries board's machine interface (hw/boards.h), registered at start-up. */
extern const MachineClassOps spapr_machine_ops;
/* QEMU 7.2's pseries types, newest first, as the machine interface lists them. */
const MachineTypeInfo *spapr_machine_types(size_t *count);
/* The -machine properties parsed for a type (a SpaprCaps of given values), or NULL + *err. */
void *spapr_machine_parse_props(const char *type, QemuOpts *opts, char **err);
/* Frees what spapr_machine_parse_props returned. */
void spapr_machine_free_props(void *props);
/* "-machine pseries-X.Y,help". */
void spapr_machine_print_props(const char *type, FILE *out);
/* CPU cores (hw/ppc/spapr_cpu_core.c): the core device type of the machine's CPU model. */
char *spapr_cpu_core_type(SpaprMachineState *spapr);
/* The boot cores take their connectors; -device and device_add may plug the others. */
void spapr_cpu_core_machine_init(SpaprMachineState *spapr);
/* A CPU to power-on state, stopped unless it is CPU 0 (reset, or its core plugged). */
void spapr_cpu_core_reset_cpu(SpaprMachineState *spapr, PowerPCCPU *cpu);
/* Rebuild the device tree and reset CPUs: the machine's reset hook. */
void spapr_machine_reset(MachineState *m);
/* Build the flattened device tree for the current state (g_free it). */
void *spapr_build_fdt(SpaprMachineState *spapr, uint32_t *size);
/* -boot: taken at creation, and the once= drives given way at a reset (spapr_boot.c). */
void spapr_boot_init(SpaprMachineState *spapr, const BootOptions *boot);
void spapr_boot_reset(SpaprMachineState *spapr);

#endif
