/* Processors waking each other (run with -smp 4): an XICS IPI (H_IPI) between
 * every ordered pair of processors wakes the ceded receiver at once; H_CONFER to
 * itself and H_JOIN sleep until H_PROD, a prod that comes first is kept; their
 * errors; a ceded processor is running for query-cpu-stopped-state. */
#include "runtime/guest.h"

#define NCPUS 4
#define STACK_SIZE 8192
#define H_PARAMETER (-4)
#define H_BAD_MODE (-5)
#define H_CONTINUE 18
#define H_EOI 0x64
#define H_CPPR 0x68
#define H_IPI 0x6c
#define H_XIRR 0x74
#define H_CONFER 0xe4
#define H_PROD 0xe8
#define H_JOIN 0x298
#define VEC_EXTERNAL 0x500
#define MSR_EE (1ULL << 15)
#define XISR_IPI 2
#define IPI_PRIORITY 5
#define CPU_STOPPED 0
#define CPU_RUNNING 2
/* A woken processor answers within this (the decrementer is 4 s away). */
#define PROMPT_MS 1000

/* Commands the boot CPU gives a secondary. */
enum { CMD_NONE, CMD_SEND, CMD_CEDE, CMD_CONFER, CMD_JOIN, CMD_EXIT };

/* One secondary's mailbox, on a page of its own (stores near code are slow to emulate). */
struct mailbox {
    struct guest_mbox m;
    volatile int64_t rc;
    volatile uint64_t xirr;
    volatile uint64_t vector;
    volatile uint64_t tb; /* when it sent, or when it woke */
} __attribute__((aligned(65536)));

static struct mailbox box[NCPUS];
static uint8_t stacks[NCPUS][STACK_SIZE] __attribute__((aligned(65536)));
static struct guest_cpu cpus[NCPUS];

static int64_t hcall2(uint64_t opcode, uint64_t a0, uint64_t a1, uint64_t *r4)
{
    uint64_t regs[9] = { a0, a1 };
    int64_t rc = guest_hcall(opcode, regs);

    if (r4) {
        *r4 = regs[0];
    }
    return rc;
}

/* Take the IPI that woke us: accept it, clear our MFRR, end it. */
static void take_ipi(struct mailbox *b, uint32_t self)
{
    struct guest_trap t;
    uint64_t xirr = 0;

    b->tb = guest_mftb();
    b->vector = guest_trap_taken(&t) ? t.vector : 0;
    hcall2(H_XIRR, 0, 0, &xirr);
    b->xirr = xirr;
    hcall2(H_IPI, self, 0xff, NULL);
    hcall2(H_EOI, xirr, 0, NULL);
}

/* Sleep with @opcode (H_CEDE, H_CONFER to itself, H_JOIN) until woken. */
static int64_t doze(struct mailbox *b, uint32_t self, uint32_t cmd)
{
    int64_t rc;

    guest_mtdec(0x7fffffff);
    if (cmd == CMD_CEDE) {
        /* Our own interrupt record: armed before the sender can fire. */
        guest_trap_expect_resume((void (*)(void))guest_cede_return, MSR_EE);
    }
    guest_mbox_ready(&b->m);
    switch (cmd) {
    case CMD_CEDE:
        rc = guest_cede();
        take_ipi(b, self);
        return rc;
    case CMD_CONFER:
        rc = hcall2(H_CONFER, self, 0, NULL);
        break;
    default:
        rc = hcall2(H_JOIN, 0, 0, NULL);
        break;
    }
    b->tb = guest_mftb();
    return rc;
}

/* A secondary: obeys its mailbox until CMD_EXIT. */
static void secondary(struct guest_cpu *cpu)
{
    uint32_t self = cpu->id, seen = 0;
    struct mailbox *b = &box[self];

    /* No decrementer interrupt for 4 s; IPIs presented at any priority. */
    guest_mtdec(0x7fffffff);
    hcall2(H_CPPR, 0xff, 0, NULL);
    for (;;) {
        uint32_t cmd = guest_mbox_take(&b->m, &seen);

        if (cmd == CMD_EXIT) {
            guest_mbox_ack(&b->m, seen);
            return;
        }
        if (cmd == CMD_SEND) {
            b->tb = guest_mftb();
            b->rc = hcall2(H_IPI, b->m.arg, IPI_PRIORITY, NULL);
        } else {
            b->rc = doze(b, self, cmd);
        }
        guest_mbox_ack(&b->m, seen);
    }
}

static void command(uint32_t id, uint32_t cmd, uint32_t arg)
{
    guest_mbox_post(&box[id].m, cmd, arg);
}

static bool finished(uint32_t id)
{
    return guest_mbox_wait(&box[id].m, 5000);
}

/* The IPI from @from wakes @to out of H_CEDE, at once. */
static void ipi_pair(uint32_t from, uint32_t to)
{
    uint64_t sent, woke, vector, xirr;
    int64_t rc;

    if (to == 0) {
        /* We are the receiver: the sender fires while (or before) we cede. */
        guest_trap_expect_resume((void (*)(void))guest_cede_return, MSR_EE);
        guest_mtdec(0x7fffffff);
        command(from, CMD_SEND, 0);
        guest_cede();
        take_ipi(&box[0], 0);
        CHECK(finished(from));
        rc = box[from].rc;
        sent = box[from].tb;
    } else {
        command(to, CMD_CEDE, 0);
        CHECK(guest_wait_u32(&box[to].m.ready, 1, 5000));
        if (from == 0) {
            sent = guest_mftb();
            rc = hcall2(H_IPI, to, IPI_PRIORITY, NULL);
        } else {
            command(from, CMD_SEND, to);
            CHECK(finished(from));
            rc = box[from].rc;
            sent = box[from].tb;
        }
        CHECK(finished(to));
    }
    woke = box[to].tb;
    vector = box[to].vector;
    xirr = box[to].xirr;
    if (!CHECK_EQ(rc, 0) || !CHECK_EQ(vector, VEC_EXTERNAL) ||
        !CHECK_EQ(xirr & 0xffffff, XISR_IPI) || !CHECK(woke - sent < GUEST_TB_MS(PROMPT_MS))) {
        guest_printf("IPI %u -> %u: rc %ld, vector %lx, xirr %lx, %lu ticks\n", from, to, (long)rc,
                     (unsigned long)vector, (unsigned long)xirr, (unsigned long)(woke - sent));
    }
}

static void test_ipis(void)
{
    guest_mtdec(0x7fffffff);
    CHECK_EQ(hcall2(H_CPPR, 0xff, 0, NULL), 0);
    for (uint32_t from = 0; from < NCPUS; from++) {
        for (uint32_t to = 0; to < NCPUS; to++) {
            if (from != to) {
                ipi_pair(from, to);
            }
        }
    }
    CHECK_EQ(hcall2(H_IPI, NCPUS, IPI_PRIORITY, NULL), H_PARAMETER);
}

/*
 * H_CONFER to itself and H_JOIN sleep until H_PROD, which wakes them at once.
 * "At once" is judged on the best of PROMPT_TRIES wake-ups: on a loaded host
 * one wake-up may wait long for a host core, a slow mechanism (a wake-up at
 * some periodic poll, or only at the next interrupt) is slow every time.
 */
#define PROMPT_TRIES 3

static void test_prod(void)
{
    for (uint32_t cmd = CMD_CONFER; cmd <= CMD_JOIN; cmd++) {
        uint64_t best = ~0ULL;

        for (int i = 0; i < PROMPT_TRIES && best >= GUEST_TB_MS(PROMPT_MS); i++) {
            uint64_t start = guest_mftb();

            command(1, cmd, 0);
            CHECK(guest_wait_u32(&box[1].m.ready, 1, 5000));
            /* It sleeps: no answer for 50 ms. */
            while (guest_mftb() - start < GUEST_TB_MS(50)) {
            }
            CHECK(box[1].m.acked != box[1].m.seq);
            /* PAPR: a sleeping processor is not stopped (QEMU 7.2 reports it stopped). */
            CHECK_EQ(guest_cpu_state(1), guest_oracle() ? CPU_STOPPED : CPU_RUNNING);
            start = guest_mftb();
            CHECK_EQ(hcall2(H_PROD, 1, 0, NULL), 0);
            if (!CHECK(finished(1))) {
                break;
            }
            CHECK_EQ(box[1].rc, 0);
            if (box[1].tb - start < best) {
                best = box[1].tb - start;
            }
        }
        if (!CHECK(best < GUEST_TB_MS(PROMPT_MS))) {
            guest_printf("H_PROD wake-up (cmd %u): best of %d took %lu ticks\n", cmd, PROMPT_TRIES,
                         (unsigned long)best);
        }
    }
    /* A prod that comes first: the next H_CONFER to itself returns at once. */
    CHECK_EQ(hcall2(H_PROD, 2, 0, NULL), 0);
    command(2, CMD_CONFER, 0);
    CHECK(finished(2));
    CHECK_EQ(box[2].rc, 0);
    /* Errors: no processor 4 (nor -2); H_JOIN with MSR[EE] on. */
    CHECK_EQ(hcall2(H_PROD, NCPUS, 0, NULL), H_PARAMETER);
    CHECK_EQ(hcall2(H_CONFER, NCPUS, 0, NULL), H_PARAMETER);
    CHECK_EQ(hcall2(H_CONFER, (uint64_t)-2, 0, NULL), H_PARAMETER);
    /* QEMU 7.2 leaves the hcall by a longjmp that never sets r3 (PAPR: H_SUCCESS). */
    CHECK_EQ(hcall2(H_CONFER, (uint64_t)-1, 0, NULL), guest_oracle() ? H_CONFER : 0);
    CHECK_EQ(hcall2(H_CONFER, 1, 1, NULL), 0);
    guest_mtdec(0x7fffffff);
    asm volatile("mtmsrd %0, 1" ::"r"(MSR_EE));
    CHECK_EQ(hcall2(H_JOIN, 0, 0, NULL), H_BAD_MODE);
    asm volatile("mtmsrd %0, 1" ::"r"(0ULL));
}

int main(void *fdt)
{
    /* Alone (the others stopped count as joined): H_JOIN goes on. */
    CHECK_EQ(hcall2(H_JOIN, 0, 0, NULL), H_CONTINUE);
    guest_cpus_start(cpus, NCPUS, secondary, &stacks[0][0], STACK_SIZE);
    test_ipis();
    test_prod();
    for (uint32_t id = 1; id < NCPUS; id++) {
        command(id, CMD_EXIT, 0);
        CHECK(guest_wait_u32(&cpus[id].done, 1, 5000));
    }
    return 0;
}
