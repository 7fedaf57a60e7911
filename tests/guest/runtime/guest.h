/* Runtime for freestanding guest test programs on the pseries machine: console,
 * device tree, hypercalls, RTAS, exit, and the CHECK macros. See ../README.rst. */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* PAPR hypercalls used by the runtime (numbers from PAPR / Linux hvcall.h). */
#define H_SUCCESS 0
#define H_GET_TERM_CHAR 0x54
#define H_PUT_TERM_CHAR 0x58
#define H_CEDE 0xe0
#define H_RTAS 0xf000

/* The spapr-vty console every pseries machine has with -serial. */
#define GUEST_VTY_UNIT 0x71000000

/* Name of the image ("arith-be"), set by the build; used in the summary line. */
#ifndef GUEST_PROG
#define GUEST_PROG "guest"
#endif
#ifdef __LITTLE_ENDIAN__
#define GUEST_VARIANT "le"
#else
#define GUEST_VARIANT "be"
#endif

/* The program's entry: gets the device tree, returns 0 on success. */
int main(void *fdt);

/* The MSR as crt0 found it (after the switch to little-endian for LE images);
 * crt0 then sets MSR[SF], so main() always runs in 64-bit mode. */
extern uint64_t guest_boot_msr;

/*
 * Hypercall: r3 = opcode, r4..r12 = regs[0..8]; on return regs[] holds r4..r12
 * as the hypervisor left them. Returns r3 (H_SUCCESS or a PAPR error).
 */
int64_t guest_hcall(uint64_t opcode, uint64_t regs[9]);

/*
 * H_CEDE: sleep until an interrupt is pending (it sets MSR[EE]). The interrupt is
 * taken right after the sc, at guest_cede_return: give that address to
 * guest_trap_expect_resume() to come back here. Returns r3 (H_SUCCESS).
 */
int64_t guest_cede(void);
extern const char guest_cede_return[];

/* Console (spapr-vty through H_PUT_TERM_CHAR, 16 bytes per call). */
void guest_putc(char c);
void guest_puts(const char *s);
void guest_flush(void);
/* The next byte typed on the console (H_GET_TERM_CHAR), or -1 when none is waiting. */
int guest_getc(void);
/* Whether @c is among the bytes typed since the last call (the others are dropped). */
bool guest_typed(char c);
/* printf subset: %d %i %u %x %X %p %s %c %%, flags '0' '-', width, 'l'/'ll'/'z'. */
void guest_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void guest_vprintf(const char *fmt, va_list ap);

/* Flattened device tree, bounds-checked against its header's totalsize. */
bool guest_fdt_valid(const void *fdt);
/* Structure offset of the node at an absolute path ("/rtas"), or -1. */
int guest_fdt_node(const void *fdt, const char *path);
/* Value of property @name of @node and its length, or NULL. */
const void *guest_fdt_prop(const void *fdt, int node, const char *name, uint32_t *len);
/* A u32 property at @path; false when missing or not 4 bytes long. */
bool guest_fdt_u32(const void *fdt, const char *path, const char *name, uint32_t *val);
/* Big-endian accessors for device-tree and RTAS data. */
uint32_t guest_be32(const void *p);
void guest_set_be32(void *p, uint32_t v);

/*
 * RTAS: call the service named @service in /rtas (e.g. "display-character")
 * with @nargs u32 arguments and @nret u32 results (up to 8 each). Returns the
 * first result (the RTAS status), or -1 (RTAS_HW_ERROR) when the service is not
 * in the device tree or the hypercall fails; rets[] may be NULL.
 */
#define RTAS_HW_ERROR (-1)
int32_t guest_rtas(const char *service, int nargs, int nret, const uint32_t *args, uint32_t *rets);

/* End the machine: status 0 -> RTAS power-off; otherwise ibm,os-term. */
void guest_exit(int status) __attribute__((noreturn));
/* Print "FAIL: <msg>" and end through ibm,os-term with @msg. */
void guest_fail(const char *msg) __attribute__((noreturn));

/*
 * Interrupts (runtime/vectors.S, trap.c). Every vector from 0x200 to 0xf60 records
 * what it saw; an interrupt nobody expected ends the program with a report. To
 * expect one: guest_trap_expect(), run the instruction (the handler resumes after
 * it), then guest_trap_taken() says whether an interrupt came and fills @t. The
 * handler uses SPRG0 and SPRG1. Each processor has its own record, which r13
 * points at (so no program may change r13), and expects and takes interrupts
 * independently of the others: a secondary's record is in its struct guest_cpu.
 */
struct guest_trap {
    uint64_t vector; /* 0x600, 0x700...; 0 if no interrupt was taken */
    uint64_t srr0;
    uint64_t srr1;
    uint64_t dar;
    uint64_t dsisr;
};
void guest_trap_init(void);
void guest_trap_expect(void);
/*
 * For asynchronous interrupts (decrementer, system reset): the handler resumes at
 * @at, whatever SRR0 was, with the MSR bits in @srr1_clear cleared (MSR_EE, so a
 * level-triggered source does not interrupt again at once). SRR0 in the record
 * still shows where the interrupt came.
 */
void guest_trap_expect_resume(void (*at)(void), uint64_t srr1_clear);
/*
 * Lazy enabling, as Linux does for FP/VMX/VSX: the handler resumes at the interrupted
 * instruction itself with @srr1_set ORed into SRR1 (MSR_FP, say), so it runs again with
 * the facility on; guest_trap_taken() then reports the facility-unavailable interrupt.
 */
void guest_trap_expect_lazy(uint64_t srr1_set);
bool guest_trap_taken(struct guest_trap *t);

/*
 * True when the program runs on the oracle (Debian's QEMU, told so by the test
 * script with -name guest-oracle, which its device tree shows as
 * ibm,partition-name). Checks where QEMU 7.2 departs from the architecture and
 * this emulator does not expect QEMU's value there, explicitly:
 * CHECK_EQ(x, guest_oracle() ? qemu_value : isa_value), with a comment.
 */
bool guest_oracle(void);

/* Special registers the programs read and write often. */
static inline uint64_t guest_mfmsr(void)
{
    uint64_t v;

    asm volatile("mfmsr %0" : "=r"(v));
    return v;
}

/* The time base (512 MHz on pseries). */
static inline uint64_t guest_mftb(void)
{
    uint64_t v;

    asm volatile("mfspr %0, 268" : "=r"(v));
    return v;
}

static inline uint64_t guest_mfdec(void)
{
    uint64_t v;

    asm volatile("mfspr %0, 22" : "=r"(v));
    return v;
}

static inline void guest_mtdec(uint64_t v)
{
    asm volatile("mtspr 22, %0" ::"r"(v));
}

/* MSR[IR] and MSR[DR] on or off (mtmsrd; isync). */
static inline void guest_translation(bool on)
{
    const uint64_t ir_dr = (1ULL << (63 - 58)) | (1ULL << (63 - 59));
    uint64_t msr = on ? guest_mfmsr() | ir_dr : guest_mfmsr() & ~ir_dr;

    asm volatile("mtmsrd %0\n\tisync" : : "r"(msr) : "memory");
}

/*
 * Secondary processors (runtime/smp.c). guest_cpu_start() sends processor @id,
 * through RTAS start-cpu, to @fn(cpu) on the stack [stack, stack + size); when fn
 * returns the processor sets cpu->done and calls RTAS stop-self. A secondary may
 * use guest_hcall() and guest_rtas_local(), not the console, the CHECK macros or
 * guest_rtas(): it leaves what it saw in its struct for the boot CPU to check.
 */
struct guest_cpu {
    uint64_t stack_top; /* set by guest_cpu_start (crt0.S reads it at offset 0) */
    uint64_t entry_msr; /* the MSR start-cpu gave (crt0.S writes it at offset 8) */
    void (*fn)(struct guest_cpu *cpu);
    void *arg;
    uint32_t id;
    volatile uint32_t done;
    uint64_t trap_record[10]; /* its interrupt record (runtime/trap.c), r13 points here */
};
/* On a secondary, before anything else: its own interrupt record (smp.c). */
void guest_trap_init_secondary(struct guest_cpu *cpu);
/* Returns the RTAS status of start-cpu (0: started). */
int32_t guest_cpu_start(struct guest_cpu *cpu, uint32_t id, void (*fn)(struct guest_cpu *cpu),
                        void *stack, size_t size);
/* guest_rtas() with the argument block on the caller's stack: any CPU may call it. */
int32_t guest_rtas_local(const char *service, int nargs, int nret, const uint32_t *args,
                         uint32_t *rets);
/* RTAS query-cpu-stopped-state: 0 stopped, 2 running; a negative RTAS status. */
int32_t guest_cpu_state(uint32_t id);
/* The time base ticks in @ms milliseconds (512 MHz). */
#define GUEST_TB_MS(ms) ((uint64_t)(ms)*512000ULL)
/* Wait up to @ms milliseconds for *v to read @want; false on time-out. */
bool guest_wait_u32(volatile uint32_t *v, uint32_t want, uint64_t ms);
/*
 * Start processors 1 .. n-1 at @fn, processor id on cpus[id] and the stack
 * stacks + id * size; true if start-cpu accepted each (a failure is printed).
 */
bool guest_cpus_start(struct guest_cpu *cpus, uint32_t n, void (*fn)(struct guest_cpu *cpu),
                      uint8_t *stacks, size_t size);
/*
 * Wait up to @ms for @cpu's function to return and then for RTAS to report it
 * stopped (stop-self done), so it can be started again.
 */
bool guest_cpu_wait_stopped(struct guest_cpu *cpu, uint64_t ms);

/*
 * A secondary's command mailbox (put it first in a struct of the program's own,
 * on a page of its own: stores near code are slow to emulate). The boot CPU posts
 * a command (guest_mbox_post) and waits for it to be acknowledged
 * (guest_mbox_wait); the secondary takes each new one (guest_mbox_take), does
 * it, and acknowledges it (guest_mbox_ack). A command that sleeps sets ready
 * first (guest_mbox_ready), and the boot CPU waits for that instead
 * (guest_wait_u32(&m->ready, 1, ms)).
 */
struct guest_mbox {
    volatile uint32_t seq; /* the boot CPU bumps it with each command */
    volatile uint32_t cmd;
    volatile uint64_t arg;
    volatile uint32_t ready; /* the secondary is about to sleep */
    volatile uint32_t acked; /* the seq it finished */
};
void guest_mbox_post(struct guest_mbox *m, uint32_t cmd, uint64_t arg);
bool guest_mbox_wait(struct guest_mbox *m, uint64_t ms);
/* Secondary: wait for a command newer than *seen (updated); returns it. */
uint32_t guest_mbox_take(struct guest_mbox *m, uint32_t *seen);
void guest_mbox_ready(struct guest_mbox *m);
void guest_mbox_ack(struct guest_mbox *m, uint32_t seq);

/* Checks: count, and on failure print file:line and the values. */
extern unsigned guest_checks;
extern unsigned guest_failures;
bool guest_check(bool ok, const char *expr, const char *file, int line);
bool guest_check_eq(uint64_t a, uint64_t b, const char *sa, const char *sb, const char *file,
                    int line);
#define CHECK(expr) guest_check(!!(expr), #expr, __FILE__, __LINE__)
#define CHECK_EQ(a, b) guest_check_eq((uint64_t)(a), (uint64_t)(b), #a, #b, __FILE__, __LINE__)

/* Freestanding C needs these (the compiler may call them). */
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif
