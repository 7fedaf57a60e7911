/*
 * RTAS events: the event sources (EPOW, hot-plug) with their interrupts, and
 * the queue of error logs the guest drains with check-exception.
 */
#ifndef HW_PPC_SPAPR_EVENTS_H
#define HW_PPC_SPAPR_EVENTS_H

#include "hw/ppc/spapr.h"

/* Event classes (PAPR), in the bit order of check-exception's event mask. */
typedef enum SpaprEventClass {
    SPAPR_EVENT_CLASS_INTERNAL_ERRORS,
    SPAPR_EVENT_CLASS_EPOW,
    SPAPR_EVENT_CLASS_RESERVED,
    SPAPR_EVENT_CLASS_HOT_PLUG,
    SPAPR_EVENT_CLASS_IO,
    SPAPR_EVENT_CLASS_MAX
} SpaprEventClass;

/* The mask bit of a class: class 0 is the most significant bit. */
#define SPAPR_EVENT_CLASS_MASK(c) PPC_BIT32(c)

/* Error log type of the fixed part's last byte (PAPR). */
#define RTAS_LOG_TYPE_EPOW 0x40
#define RTAS_LOG_TYPE_HOTPLUG 0xe5

/*
 * Claim the event sources' interrupts (EPOW always, hot-plug when the
 * machine type has the dedicated source) and register for host powerdown
 * requests.  Exits on error, at machine creation.
 */
void spapr_events_init(SpaprMachineState *spapr);
/* Drop every queued event (machine reset). */
void spapr_events_reset(SpaprMachineState *spapr);
/* Add /event-sources.  0, or a negative libfdt error; 0 without sources. */
int spapr_events_dt(SpaprMachineState *spapr, void *fdt);

/*
 * Queue a log: summary word, and the extended log (ext_len bytes, copied).
 * The class's interrupt is pulsed.  false when the class has no source.
 */
bool spapr_events_queue(SpaprMachineState *spapr, uint32_t summary, const void *ext,
                        uint32_t ext_len);
/* Hot-plug event actions and how the resource is named (PAPR "HP" section) */
#define SPAPR_HP_ACTION_ADD 1
#define SPAPR_HP_ACTION_REMOVE 2
#define SPAPR_HP_ID_DRC_NAME 1
#define SPAPR_HP_ID_DRC_INDEX 2
#define SPAPR_HP_ID_DRC_COUNT 3
#define SPAPR_HP_ID_DRC_COUNT_INDEXED 4

/*
 * Queue a hot-plug event: resource type (1 CPU, 2 memory, 4 PHB, 5 PCI),
 * action, identifier kind, and its value(s): an index or a count, or count
 * (a) and first index (b).  false when no source takes it.
 */
bool spapr_events_hotplug(SpaprMachineState *spapr, uint8_t type, uint8_t action, uint8_t id_type,
                          uint32_t a, uint32_t b);
/* Events waiting; for tests. */
unsigned spapr_events_pending(SpaprMachineState *spapr);

#endif
