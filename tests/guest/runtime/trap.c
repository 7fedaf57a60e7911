/* Interrupts in guest test programs: arming the handler of runtime/vectors.S for
 * one expected interrupt, reading what it recorded, reporting unexpected ones. */
#include "guest.h"

/*
 * The record the vector handler fills, one per processor, r13 pointing at the
 * processor's own: the boot processor's at a fixed address, a secondary's in its
 * struct guest_cpu (see vectors.S for the layout). The handler runs big-endian, so every
 * field is a big-endian doubleword.
 */
struct trap_record {
    uint64_t vector;
    uint64_t srr0;
    uint64_t srr1;
    uint64_t dar;
    uint64_t dsisr;
    uint64_t mask; /* the handler resumes at (SRR0 & mask) + offset */
    uint64_t offset;
    uint64_t unexpected; /* offset to put back after an interrupt */
    uint64_t srr1_and;   /* the handler resumes with SRR1 &= srr1_and, */
    uint64_t srr1_or;    /* then SRR1 |= srr1_or */
};

extern volatile struct trap_record guest_trap_record;
_Static_assert(sizeof(struct trap_record) == sizeof(((struct guest_cpu *)0)->trap_record),
               "struct guest_cpu holds a secondary's record");
void guest_trap_unexpected_entry(void);
void guest_trap_unexpected(void) __attribute__((noreturn));

/* The instruction after the interrupted one. */
#define NEXT_INSN 4

static uint64_t handler_order(uint64_t v)
{
#ifdef __LITTLE_ENDIAN__
    return __builtin_bswap64(v);
#else
    return v;
#endif
}

/* This processor's record: the one r13 points at. */
static volatile struct trap_record *record(void)
{
    volatile struct trap_record *r;

    asm volatile("mr %0, 13" : "=r"(r));
    return r;
}

static void disarm_record(volatile struct trap_record *r)
{
    r->mask = 0;
    r->offset = handler_order((uintptr_t)guest_trap_unexpected_entry);
    r->srr1_and = ~0ULL;
    r->srr1_or = 0;
}

static void disarm(void)
{
    disarm_record(record());
}

static void init_record(volatile struct trap_record *r)
{
    r->unexpected = handler_order((uintptr_t)guest_trap_unexpected_entry);
    disarm_record(r);
}

/* On the boot processor, whose r13 crt0.S pointed at guest_trap_record. */
void guest_trap_init(void)
{
    init_record(&guest_trap_record);
}

void guest_trap_init_secondary(struct guest_cpu *cpu)
{
    volatile struct trap_record *r = (volatile struct trap_record *)cpu->trap_record;

    init_record(r);
    asm volatile("mr 13, %0" : : "r"(r) : "memory");
}

void guest_trap_expect(void)
{
    volatile struct trap_record *r = record();

    r->vector = 0;
    r->offset = handler_order(NEXT_INSN);
    r->mask = ~0ULL;
    asm volatile("" ::: "memory");
}

void guest_trap_expect_resume(void (*at)(void), uint64_t srr1_clear)
{
    volatile struct trap_record *r = record();

    r->vector = 0;
    r->srr1_and = handler_order(~srr1_clear);
    r->offset = handler_order((uintptr_t)at);
    r->mask = 0;
    asm volatile("" ::: "memory");
}

void guest_trap_expect_lazy(uint64_t srr1_set)
{
    volatile struct trap_record *r = record();

    r->vector = 0;
    r->srr1_or = handler_order(srr1_set);
    r->offset = 0;
    r->mask = ~0ULL;
    asm volatile("" ::: "memory");
}

static void read_record(struct guest_trap *t)
{
    volatile struct trap_record *r = record();

    t->vector = handler_order(r->vector);
    t->srr0 = handler_order(r->srr0);
    t->srr1 = handler_order(r->srr1);
    t->dar = handler_order(r->dar);
    t->dsisr = handler_order(r->dsisr);
}

bool guest_trap_taken(struct guest_trap *t)
{
    asm volatile("" ::: "memory");
    disarm();
    read_record(t);
    if (t->vector == 0) {
        t->srr0 = t->srr1 = t->dar = t->dsisr = 0;
    }
    return t->vector != 0;
}

void guest_trap_unexpected(void)
{
    struct guest_trap t;

    read_record(&t);
    guest_flush();
    /* Start a line of its own: the program may have been in the middle of one. */
    guest_printf("\nguest: unexpected interrupt 0x%lx at 0x%lx: SRR1 0x%lx DAR 0x%lx DSISR 0x%lx\n",
                 t.vector, t.srr0, t.srr1, t.dar, t.dsisr);
    guest_fail("unexpected interrupt");
}
