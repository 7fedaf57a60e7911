/*
 * What the libFuzzer targets of tests/fuzz share: the pseries machine they
 * drive (built once per process) and a reader that takes typed values from
 * the fuzzer's input (docs/devel/fuzzing.rst).
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include "qemu/osdep.h"
#include "hw/ppc/spapr.h"

/* libFuzzer's entry points; replay.c calls the same two without libFuzzer. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Guest RAM of the fuzzed machine, and the window inputs fill with their bytes. */
#define FUZZ_RAM_SIZE (256 * 1024 * 1024)
#define FUZZ_WINDOW 0x10000
#define FUZZ_WINDOW_SIZE 0x10000

/*
 * A pseries-7.2 machine with x-vof=on and 2 CPUs under the qtest
 * accelerator (no vCPU runs), built as `qemu-system-ppc64 -M pseries,x-vof=on
 * -accel qtest -nodefaults -smp 2 -m 256M` builds it; idempotent.
 */
SpaprMachineState *fuzz_machine(void);
/* Before the first fuzz_machine(): that many CPUs (one core each) instead of 2. */
void fuzz_machine_set_cpus(unsigned cpus);
/*
 * The machine's vCPUs registered as a started machine registers them (the
 * debugger and the monitor see them), without threads: none runs; idempotent.
 */
void fuzz_machine_register_cpus(void);
/* System reset (device tree, CPUs, devices) and the input window cleared. */
void fuzz_machine_reset(void);

/*
 * Run fn(opaque); an error_exit() inside it (QEMU's way of ending the
 * machine on some guest requests and bad options) comes back here as true
 * instead of ending the process: the message is printed, the rest of fn is
 * skipped, and the caller resets what fn may have left half done.
 */
bool fuzz_catch_exit(void (*fn)(void *opaque), void *opaque);

/* Sequential reader over the input: past the end, values read as zero. */
typedef struct FuzzInput {
    const uint8_t *data;
    size_t size;
    size_t pos;
} FuzzInput;

static inline size_t fuzz_left(const FuzzInput *in)
{
    return in->size - in->pos;
}

/*
 * A broken check or a failed set-up: the message, then abort() (SIGABRT),
 * which libFuzzer catches and saves the input for; g_error() raises SIGTRAP,
 * which it does not.
 */
#define fuzz_fail(...)                                                                             \
    do {                                                                                           \
        g_printerr(__VA_ARGS__);                                                                   \
        g_printerr("\n");                                                                          \
        abort();                                                                                   \
    } while (0)

static inline uint8_t fuzz_u8(FuzzInput *in)
{
    return in->pos < in->size ? in->data[in->pos++] : 0;
}

static inline uint16_t fuzz_u16(FuzzInput *in)
{
    uint16_t hi = fuzz_u8(in);

    return (uint16_t)(hi << 8 | fuzz_u8(in));
}

static inline uint32_t fuzz_u32(FuzzInput *in)
{
    uint32_t hi = fuzz_u16(in);

    return hi << 16 | fuzz_u16(in);
}

static inline uint64_t fuzz_u64(FuzzInput *in)
{
    uint64_t hi = fuzz_u32(in);

    return hi << 32 | fuzz_u32(in);
}

/* Up to max bytes of what is left (*len of them); a pointer into the input. */
static inline const uint8_t *fuzz_bytes(FuzzInput *in, size_t max, size_t *len)
{
    const uint8_t *p = in->data + in->pos;

    *len = MIN(max, fuzz_left(in));
    in->pos += *len;
    return p;
}

#endif
