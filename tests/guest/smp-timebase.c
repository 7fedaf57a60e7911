/* One time base for all processors, a decrementer each (run with -smp 4): a time-base
 * value one processor read and published is never ahead of what another reads after
 * seeing it (every ordered pair, many rounds); each processor's decrementer counts on
 * its own and interrupts only its owner, out of H_CEDE, not before it reaches zero. */
#include "runtime/guest.h"

#define NCPUS 4
#define STACK_SIZE 8192
#define ROUNDS 32 /* a baton handover costs a time slice under thread=single */
#define VEC_DECREMENTER 0x900
#define MSR_EE (1ULL << 15)
/* A decrementer interrupt comes this late at most (scheduling on a loaded host). */
#define LATE_MS 1000

enum { CMD_NONE, CMD_PING, CMD_PONG, CMD_DEC, CMD_READ_DEC, CMD_EXIT };

struct mailbox {
    struct guest_mbox m;
    volatile uint64_t tb;     /* a time-base value it read */
    volatile uint64_t dec;    /* its DEC */
    volatile uint64_t vector; /* the interrupt that ended its H_CEDE */
    volatile uint64_t start;  /* when it set DEC */
} __attribute__((aligned(65536)));

static struct mailbox box[NCPUS];
/* The baton of the ping-pong: a time-base value, published with a release store. */
static volatile uint64_t baton __attribute__((aligned(128)));
static uint8_t stacks[NCPUS][STACK_SIZE] __attribute__((aligned(65536)));
static struct guest_cpu cpus[NCPUS];

/*
 * CMD_PING: ROUNDS times, wait for a baton not yet seen, read the time base (after
 * an isync, so the read is not done early), check it against the baton, pass one
 * back. The boot CPU plays the other side.  Failures are counted in box->tb.
 */
static uint64_t pong(int rounds)
{
    uint64_t bad = 0, last = 0;

    for (int i = 0; i < rounds; i++) {
        uint64_t seen, now;

        while ((seen = baton) == last || (seen & 1)) {
        }
        asm volatile("isync" ::: "memory");
        now = guest_mftb();
        if (now < (seen & ~1ULL)) {
            bad++;
        }
        last = now | 1;
        asm volatile("lwsync" ::: "memory");
        baton = last;
    }
    return bad;
}

static void secondary(struct guest_cpu *cpu)
{
    struct mailbox *b = &box[cpu->id];
    uint32_t seen = 0;

    guest_mtdec(0x7fffffff);
    for (;;) {
        struct guest_trap t;

        switch (guest_mbox_take(&b->m, &seen)) {
        case CMD_EXIT:
            guest_mbox_ack(&b->m, seen);
            return;
        case CMD_PONG:
            b->tb = pong(ROUNDS);
            break;
        case CMD_DEC:
            /* Sleep until our own decrementer, arg ticks from now, fires. */
            guest_trap_expect_resume((void (*)(void))guest_cede_return, MSR_EE);
            b->start = guest_mftb();
            guest_mtdec(b->m.arg);
            guest_cede();
            b->tb = guest_mftb();
            guest_trap_taken(&t);
            b->vector = t.vector;
            guest_mtdec(0x7fffffff);
            break;
        case CMD_READ_DEC:
            guest_mtdec(b->m.arg);
            break;
        }
        b->dec = guest_mfdec();
        guest_mbox_ack(&b->m, seen);
    }
}

static void post(uint32_t id, uint32_t cmd, uint64_t arg)
{
    guest_mbox_post(&box[id].m, cmd, arg);
}

static bool done(uint32_t id)
{
    return CHECK(guest_mbox_wait(&box[id].m, 10000));
}

/* The boot CPU against @id: it serves the baton first, then checks each return. */
static void ping_pong(uint32_t id)
{
    uint64_t bad = 0;

    baton = 1;
    asm volatile("sync" ::: "memory");
    post(id, CMD_PONG, 0);
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t now = guest_mftb() & ~1ULL, back;

        asm volatile("lwsync" ::: "memory");
        baton = now;
        while ((back = baton) == now) {
        }
        asm volatile("isync" ::: "memory");
        if (guest_mftb() < (back & ~1ULL)) {
            bad++;
        }
    }
    if (!done(id) || !CHECK_EQ(bad, 0) || !CHECK_EQ(box[id].tb, 0)) {
        guest_printf("time base against cpu %u: %lu and %lu readings went back\n", id,
                     (unsigned long)bad, (unsigned long)box[id].tb);
    }
}

/* Each secondary's decrementer, alone: it fires for its owner only, not early. */
static void test_decrementers(void)
{
    for (uint32_t id = 1; id < NCPUS; id++) {
        uint64_t ticks = GUEST_TB_MS(5 * id);

        /* The others' decrementers are far away; theirs must stay so. */
        for (uint32_t o = 1; o < NCPUS; o++) {
            if (o != id) {
                post(o, CMD_READ_DEC, 0x7fffffff);
                done(o);
            }
        }
        post(id, CMD_DEC, ticks);
        if (!done(id)) {
            continue;
        }
        CHECK_EQ(box[id].vector, VEC_DECREMENTER);
        CHECK(box[id].tb - box[id].start >= ticks);
        CHECK(box[id].tb - box[id].start < ticks + GUEST_TB_MS(LATE_MS));
        for (uint32_t o = 1; o < NCPUS; o++) {
            if (o != id) {
                /* Still positive (not expired), and counted down meanwhile. */
                post(o, CMD_NONE, 0);
                done(o);
                CHECK((int32_t)box[o].dec > 0);
                CHECK(box[o].dec < 0x7fffffff);
            }
        }
    }
}

int main(void *fdt)
{
    guest_mtdec(0x7fffffff);
    guest_cpus_start(cpus, NCPUS, secondary, &stacks[0][0], STACK_SIZE);
    for (uint32_t id = 1; id < NCPUS; id++) {
        ping_pong(id);
    }
    test_decrementers();
    for (uint32_t id = 1; id < NCPUS; id++) {
        post(id, CMD_EXIT, 0);
        CHECK(guest_wait_u32(&cpus[id].done, 1, 10000));
    }
    return 0;
}
