/*
 * RTAS (Run-Time Abstraction Services) served by the host behind H_RTAS:
 * services register by name, each gets a fixed token published in /rtas.
 */
#ifndef HW_PPC_SPAPR_RTAS_H
#define HW_PPC_SPAPR_RTAS_H

#include "hw/ppc/spapr.h"

/* RTAS status values (PAPR) */
#define RTAS_OUT_SUCCESS 0
#define RTAS_OUT_NO_ERRORS_FOUND 1
#define RTAS_OUT_HW_ERROR -1
#define RTAS_OUT_BUSY -2
#define RTAS_OUT_PARAM_ERROR -3
#define RTAS_OUT_NOT_SUPPORTED -3
#define RTAS_OUT_NO_SUCH_INDICATOR -3
#define RTAS_OUT_NOT_AUTHORIZED -9002
#define RTAS_OUT_SYSPARM_PARAM_ERROR -9999

/* ibm,get-system-parameter: parameter numbers (PAPR, as Linux names them) */
#define RTAS_SYSPARM_SPLPAR_CHARACTERISTICS 20
#define RTAS_SYSPARM_DIAGNOSTICS_RUN_MODE 42
#define RTAS_SYSPARM_UUID 48

/* /rtas properties describing the error log and event-scan contract */
#define RTAS_ERROR_LOG_MAX 2048
#define RTAS_EVENT_SCAN_RATE 1

/*
 * Token numbers, as QEMU's pseries assigns them (RTAS_TOKEN_BASE + index),
 * so that device trees and traces compare equal.
 */
#define RTAS_TOKEN_BASE 0x2000
enum {
    RTAS_DISPLAY_CHARACTER = RTAS_TOKEN_BASE,
    RTAS_GET_TIME_OF_DAY,
    RTAS_SET_TIME_OF_DAY,
    RTAS_POWER_OFF,
    RTAS_SYSTEM_REBOOT,
    RTAS_QUERY_CPU_STOPPED_STATE,
    RTAS_START_CPU,
    RTAS_STOP_SELF,
    RTAS_IBM_GET_SYSTEM_PARAMETER,
    RTAS_IBM_SET_SYSTEM_PARAMETER,
    RTAS_IBM_SET_XIVE,
    RTAS_IBM_GET_XIVE,
    RTAS_IBM_INT_OFF,
    RTAS_IBM_INT_ON,
    RTAS_CHECK_EXCEPTION,
    RTAS_EVENT_SCAN,
    RTAS_IBM_SET_TCE_BYPASS,
    RTAS_QUIESCE,
    RTAS_NVRAM_FETCH,
    RTAS_NVRAM_STORE,
    RTAS_READ_PCI_CONFIG,
    RTAS_WRITE_PCI_CONFIG,
    RTAS_IBM_READ_PCI_CONFIG,
    RTAS_IBM_WRITE_PCI_CONFIG,
    RTAS_IBM_QUERY_INTERRUPT_SOURCE_NUMBER,
    RTAS_IBM_CHANGE_MSI,
    RTAS_SET_INDICATOR,
    RTAS_SET_POWER_LEVEL,
    RTAS_GET_POWER_LEVEL,
    RTAS_GET_SENSOR_STATE,
    RTAS_IBM_CONFIGURE_CONNECTOR,
    RTAS_IBM_OS_TERM,
    RTAS_IBM_SET_EEH_OPTION,
    RTAS_IBM_GET_CONFIG_ADDR_INFO2,
    RTAS_IBM_READ_SLOT_RESET_STATE2,
    RTAS_IBM_SET_SLOT_RESET,
    RTAS_IBM_CONFIGURE_PE,
    RTAS_IBM_SLOT_ERROR_DETAIL,
    RTAS_IBM_QUERY_PE_DMA_WINDOW,
    RTAS_IBM_CREATE_PE_DMA_WINDOW,
    RTAS_IBM_REMOVE_PE_DMA_WINDOW,
    RTAS_IBM_RESET_PE_DMA_WINDOW,
    RTAS_IBM_SUSPEND_ME,
    RTAS_IBM_NMI_REGISTER,
    RTAS_IBM_NMI_INTERLOCK,
    RTAS_TOKEN_MAX
};

/*
 * One RTAS call.  args and rets are guest addresses already checked to hold
 * nargs and nret big-endian 32-bit cells in RAM.
 */
typedef struct SpaprRtasCall {
    uint32_t token;
    uint32_t nargs;
    uint32_t nret;
    hwaddr args;
    hwaddr rets;
} SpaprRtasCall;

/* Argument i (0 when i >= nargs). */
uint32_t rtas_ld(const SpaprRtasCall *call, unsigned i);
/* Store return value i (ignored when i >= nret). */
void rtas_st(const SpaprRtasCall *call, unsigned i, uint32_t val);

/* Every RTAS service has this shape. */
typedef void (*spapr_rtas_fn)(PowerPCCPU *cpu, SpaprMachineState *spapr, const SpaprRtasCall *call);

/* Install a service; a bad token or a taken one is a programming error. */
void spapr_rtas_register(int token, const char *name, spapr_rtas_fn fn);
/* Token of a registered service by name, or -1. */
int spapr_rtas_token(const char *name);
/* Name of a registered token, or NULL. */
const char *spapr_rtas_name(int token);
/* Forget all registrations (unit tests). */
void spapr_rtas_table_clear(void);

/*
 * Run a call whose argument block was read from the guest: validates the
 * block and the token.  Returns the hypercall status: H_SUCCESS when a
 * service ran; H_PARAMETER when the arrays are not all in RAM (nothing
 * written) or the token is unknown (-3 stored in rets[0] when nret >= 1,
 * as QEMU does).
 */
target_ulong spapr_rtas_call(PowerPCCPU *cpu, SpaprMachineState *spapr, uint32_t token,
                             uint32_t nargs, hwaddr args, uint32_t nret, hwaddr rets);
/* The qtest `rtas NAME ...` command: like spapr_rtas_call, by name. */
uint64_t qtest_rtas_call(const char *name, uint32_t nargs, uint64_t args, uint32_t nret,
                         uint64_t rets);

/* The guest's time of day (host UTC plus -rtc base=), broken down; false if unrepresentable. */
struct tm;
bool spapr_rtc_read(SpaprMachineState *spapr, struct tm *tm);

/*
 * Add /rtas's token properties and hypertas strings to a device tree.
 * Returns 0, or a negative libfdt error.
 */
int spapr_rtas_fdt(void *fdt, int rtas_node);

/*
 * The guest-side RTAS stub the machine copies to rtas_addr: instruction words
 * to be stored big-endian (RTAS is always entered big-endian), which turn a
 * call with r3 = argument block into H_RTAS and return.
 */
extern const uint32_t spapr_rtas_stub[];
extern const unsigned spapr_rtas_stub_len; /* in bytes */

#endif
