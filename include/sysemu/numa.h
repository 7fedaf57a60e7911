/*
 * The guest's NUMA layout from -numa node|dist|cpu (system/numa.c): nodes, their
 * memory, the node of every CPU slot and the distance table, checked as QEMU 7.2.
 */
#ifndef SYSEMU_NUMA_H
#define SYSEMU_NUMA_H

#include "hw/boards.h"
#include "qom/user-creatable.h"

/* QEMU's limit on node ids, and the distance of a node to itself. */
#define NUMA_MAX_NODES 128
#define NUMA_DISTANCE_MIN 10

typedef struct NumaNodeInfo {
    bool present;
    uint64_t mem;       /* bytes of guest RAM in the node (mem= or its memdev's size) */
    const char *memdev; /* the backend's id, or NULL */
    /* distance[dst]: 0 when not given; filled symmetrically once complete */
    uint8_t distance[NUMA_MAX_NODES];
} NumaNodeInfo;

typedef struct NumaState {
    unsigned num_nodes;
    bool have_distance; /* some -numa dist was given */
    NumaNodeInfo nodes[NUMA_MAX_NODES];
    unsigned threads;    /* CPUs per core slot */
    unsigned core_slots; /* max_cpus / threads */
    int *core_node;      /* the node of each core slot */
} NumaState;

/*
 * Apply the -numa arguments (in command-line order) to the machine mo
 * describes: every error is QEMU's message, reported with the option's
 * location where QEMU gives it, and exits.  ram_backend: -machine
 * memory-backend= was given.  Without -numa nothing changes.
 */
void numa_configure(GPtrArray *args, const MachineOptions *mo, const MachineTypeInfo *info,
                    bool ram_backend);

/* Back to no -numa (before the machine is built). */
void numa_reset(void);

/* The layout; num_nodes is 0 without -numa. */
const NumaState *numa_state(void);
/* The node of CPU cpu_index (0 without -numa). */
unsigned numa_cpu_node(unsigned cpu_index);
/* The node of core slot i (0 without -numa). */
unsigned numa_core_node(unsigned slot);

/* -machine memory-backend=: the backend (and its id) that is the machine's RAM. */
void numa_set_ram_backend(HostMemoryBackend *b, const char *id);
const char *numa_ram_backend_id(void);
/*
 * Once guest RAM is reserved (guest_ram_init): move the backends into it,
 * the machine's at 0 or each node's memdev at the node's first address.
 */
void numa_place_ram_backends(void);

/* Guest RAM comes from -object backends (-machine memory-backend= or -numa memdev=). */
bool current_machine_ram_from_backends(void);

#endif
