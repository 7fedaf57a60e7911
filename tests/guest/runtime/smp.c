/* Secondary processors of guest test programs: started through RTAS start-cpu at
 * crt0.S's guest_secondary_entry, on a stack of their own, stopped with stop-self. */
#include "guest.h"

void guest_secondary_entry(void);
void guest_secondary_start(struct guest_cpu *cpu) __attribute__((noreturn));

int32_t guest_cpu_start(struct guest_cpu *cpu, uint32_t id, void (*fn)(struct guest_cpu *cpu),
                        void *stack, size_t size)
{
    uint32_t args[3];

    cpu->stack_top = ((uintptr_t)stack + size) & ~15ULL;
    cpu->entry_msr = 0;
    cpu->fn = fn;
    cpu->id = id;
    cpu->done = 0;
    /* The new processor reads the struct: its stores must be visible first. */
    asm volatile("sync" ::: "memory");
    args[0] = id;
    args[1] = (uint32_t)(uintptr_t)guest_secondary_entry;
    args[2] = (uint32_t)(uintptr_t)cpu;
    return guest_rtas_local("start-cpu", 3, 1, args, NULL);
}

int32_t guest_cpu_state(uint32_t id)
{
    uint32_t rets[2] = { 0, 0 };
    int32_t status = guest_rtas_local("query-cpu-stopped-state", 1, 2, &id, rets);

    return status ? status : (int32_t)rets[1];
}

void guest_secondary_start(struct guest_cpu *cpu)
{
    guest_trap_init_secondary(cpu);
    cpu->fn(cpu);
    asm volatile("sync" ::: "memory");
    cpu->done = 1;
    guest_rtas_local("stop-self", 0, 1, NULL, NULL);
    /* stop-self does not return: tell the boot CPU by never finishing again. */
    cpu->done = 2;
    for (;;) {
    }
}

bool guest_wait_u32(volatile uint32_t *v, uint32_t want, uint64_t ms)
{
    uint64_t start = guest_mftb();

    while (*v != want) {
        if (guest_mftb() - start > GUEST_TB_MS(ms)) {
            return false;
        }
    }
    return true;
}

bool guest_cpus_start(struct guest_cpu *cpus, uint32_t n, void (*fn)(struct guest_cpu *cpu),
                      uint8_t *stacks, size_t size)
{
    bool ok = true;

    for (uint32_t id = 1; id < n; id++) {
        ok &= CHECK_EQ(guest_cpu_start(&cpus[id], id, fn, stacks + id * size, size), 0);
    }
    return ok;
}

bool guest_cpu_wait_stopped(struct guest_cpu *cpu, uint64_t ms)
{
    uint64_t start = guest_mftb();

    if (!guest_wait_u32(&cpu->done, 1, ms)) {
        return false;
    }
    while (guest_cpu_state(cpu->id) != 0) {
        if (guest_mftb() - start > GUEST_TB_MS(ms)) {
            return false;
        }
    }
    return true;
}

/* The command's fields reach the secondary before the new sequence number. */
void guest_mbox_post(struct guest_mbox *m, uint32_t cmd, uint64_t arg)
{
    m->cmd = cmd;
    m->arg = arg;
    m->ready = 0;
    asm volatile("sync" ::: "memory");
    m->seq++;
}

bool guest_mbox_wait(struct guest_mbox *m, uint64_t ms)
{
    return guest_wait_u32(&m->acked, m->seq, ms);
}

uint32_t guest_mbox_take(struct guest_mbox *m, uint32_t *seen)
{
    uint32_t seq;

    while ((seq = m->seq) == *seen) {
    }
    *seen = seq;
    /* Read the command only after seeing its sequence number. */
    asm volatile("sync" ::: "memory");
    return m->cmd;
}

void guest_mbox_ready(struct guest_mbox *m)
{
    m->ready = 1;
    asm volatile("sync" ::: "memory");
}

/* What the secondary stored for the command is visible before the ack. */
void guest_mbox_ack(struct guest_mbox *m, uint32_t seq)
{
    asm volatile("sync" ::: "memory");
    m->acked = seq;
}
