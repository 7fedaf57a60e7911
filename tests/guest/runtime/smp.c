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
    cpu->fn(cpu);
    asm volatile("sync" ::: "memory");
    cpu->done = 1;
    guest_rtas_local("stop-self", 0, 1, NULL, NULL);
    /* stop-self does not return: tell the boot CPU by never finishing again. */
    cpu->done = 2;
    for (;;) {
    }
}
