/* System resets sent to other processors (run with -smp 4): rtas-size covers the
 * FWNMI save block of every processor, H_SIGNAL_SYS_RESET to one processor and to
 * all but the caller enters each target's FWNMI handler with r3 at its own block,
 * inside the RTAS area as Linux checks it, holding the interrupted r3. */
#include "runtime/guest.h"

#define NCPUS 4
#define STACK_SIZE 8192
#define H_SIGNAL_SYS_RESET 0x380
#define H_SIGNAL_SYS_RESET_ALLBUTSELF (-2)
/* The RTAS stub (20 bytes), the error log and 8 bytes, with a 16-byte block per CPU. */
#define RTAS_LOG_MAX 2048
#define RTAS_SIZE (20 + RTAS_LOG_MAX + 16 * NCPUS + 8)
/* A target enters its handler this late at most (scheduling on a loaded host). */
#define TAKEN_MS 10000

enum { CMD_NONE, CMD_SPIN, CMD_EXIT };

/* One secondary's mailbox, on a page of its own (stores near code are slow to emulate). */
struct mailbox {
    struct guest_mbox m;
    volatile uint64_t block; /* the r3 its FWNMI handler was given */
    volatile uint64_t r3;    /* its r3 after the handler restored it */
} __attribute__((aligned(65536)));

static struct mailbox box[NCPUS];
static uint8_t stacks[NCPUS][STACK_SIZE] __attribute__((aligned(65536)));
static struct guest_cpu cpus[NCPUS];

/*
 * The FWNMI handler, as Linux's: keep the r3 the platform gives in SPRG2,
 * restore the interrupted r3 from the block it points at, return:
 * mtsprg2 r3; ld r3,0(r3); rfid.  Stored big-endian (interrupts run big-endian).
 */
static uint32_t fwnmi_handler[4] __attribute__((aligned(16)));
static const uint32_t fwnmi_words[3] = { 0x7c7243a6, 0xe8630000, 0x4c000024 };

static void put_words(volatile uint32_t *dst, const uint32_t *words, int n)
{
    for (int i = 0; i < n; i++) {
        uint32_t v = words[i];

#ifdef __LITTLE_ENDIAN__
        v = __builtin_bswap32(v);
#endif
        dst[i] = v;
        asm volatile("dcbst 0,%0; sync; icbi 0,%0" ::"r"(&dst[i]) : "memory");
    }
    asm volatile("isync" ::: "memory");
}

static uint64_t be64(const volatile uint64_t *p)
{
    return ((uint64_t)guest_be32((const void *)p) << 32) |
           guest_be32((const void *)((const volatile uint32_t *)p + 1));
}

static uint64_t magic(uint32_t id)
{
    return 0x5a5a000000000000ULL | ((uint64_t)id << 32) | 0x1234;
}

/*
 * Hold magic(id) in r3, say so, and spin until the handler has run (SPRG2 no
 * longer 0); a reset taken anywhere in the loop returns into it.
 */
static void spin_until_reset(struct mailbox *b, uint32_t id)
{
    register uint64_t r3 asm("r3") = magic(id);
    uint64_t s, one = 1;

    asm volatile("li %1,0\n\t"
                 "mtsprg2 %1\n\t"
                 "sync\n\t"
                 "stw %3,0(%2)\n\t"
                 "sync\n"
                 "1:\tmfsprg2 %1\n\t"
                 "cmpdi %1,0\n\t"
                 "beq 1b\n"
                 : "+r"(r3), "=&b"(s)
                 : "b"(&b->m.ready), "r"(one)
                 : "cr0", "memory");
    b->block = s;
    b->r3 = r3;
}

static void secondary(struct guest_cpu *cpu)
{
    struct mailbox *b = &box[cpu->id];
    uint32_t seen = 0;

    for (;;) {
        uint32_t cmd = guest_mbox_take(&b->m, &seen);

        if (cmd == CMD_EXIT) {
            guest_mbox_ack(&b->m, seen);
            return;
        }
        if (cmd == CMD_SPIN) {
            spin_until_reset(b, cpu->id);
        }
        guest_mbox_ack(&b->m, seen);
    }
}

static int64_t signal_reset(int64_t target)
{
    uint64_t regs[9] = { (uint64_t)target };

    return guest_hcall(H_SIGNAL_SYS_RESET, regs);
}

/* Each of @ids (a mask) spins with its magic r3 until a system reset reaches it. */
static void spin(uint32_t ids)
{
    for (uint32_t id = 1; id < NCPUS; id++) {
        if (ids & (1u << id)) {
            guest_mbox_post(&box[id].m, CMD_SPIN, 0);
            CHECK(guest_wait_u32(&box[id].m.ready, 1, TAKEN_MS));
        }
    }
}

/* @id's handler ran with r3 at its own block, where Linux accepts it, and restored r3. */
static void check_taken(uint32_t id, uint32_t base, uint32_t size)
{
    uint64_t want = (uint64_t)base + RTAS_LOG_MAX + 16 * id;

    if (!CHECK(guest_mbox_wait(&box[id].m, TAKEN_MS))) {
        return;
    }
    CHECK_EQ(box[id].block, want);
    /* Linux's test (FWNMI "corrupt r3" otherwise): in rtas-size, 16 bytes before its end. */
    CHECK(box[id].block >= base && box[id].block <= (uint64_t)base + size - 16);
    CHECK_EQ(be64((volatile uint64_t *)want), magic(id));
    CHECK_EQ(be64((volatile uint64_t *)want + 1), 0);
    CHECK_EQ(box[id].r3, magic(id));
}

int main(void *fdt)
{
    uint32_t size = 0, base = 0, args[2], ret = 1;
    uint64_t handler = (uintptr_t)fwnmi_handler;

    /* QEMU 7.2 sizes the area for every possible processor's block. */
    CHECK(guest_fdt_u32(fdt, "/rtas", "rtas-size", &size));
    CHECK_EQ(size, RTAS_SIZE);
    /*
     * QEMU 7.2's tree for a -bios image has no linux,rtas-base (its firmware
     * would add it), and without it QEMU takes an FWNMI reset as a guest panic.
     */
    CHECK_EQ(guest_fdt_u32(fdt, "/rtas", "linux,rtas-base", &base), !guest_oracle());
    if (guest_oracle()) {
        guest_printf("smp-nmi: resets not sent (no linux,rtas-base on QEMU 7.2)\n");
        return 0;
    }
    put_words(fwnmi_handler, fwnmi_words, 3);
    args[0] = handler; /* system reset */
    args[1] = handler; /* machine check (never taken here) */
    CHECK_EQ(guest_rtas("ibm,nmi-register", 2, 1, args, &ret), 0);
    CHECK_EQ(ret, 0);
    if (!guest_cpus_start(cpus, NCPUS, secondary, &stacks[0][0], STACK_SIZE)) {
        return 0;
    }

    /* One target at a time: the last processor's block is the area's last. */
    for (uint32_t id = 1; id < NCPUS; id++) {
        spin(1u << id);
        CHECK_EQ(signal_reset(id), H_SUCCESS);
        check_taken(id, base, size);
    }
    /* All but the caller at once: each its own block. */
    spin(0xe);
    CHECK_EQ(signal_reset(H_SIGNAL_SYS_RESET_ALLBUTSELF), H_SUCCESS);
    for (uint32_t id = 1; id < NCPUS; id++) {
        check_taken(id, base, size);
    }

    for (uint32_t id = 1; id < NCPUS; id++) {
        guest_mbox_post(&box[id].m, CMD_EXIT, 0);
        CHECK(guest_cpu_wait_stopped(&cpus[id], TAKEN_MS));
    }
    return 0;
}
