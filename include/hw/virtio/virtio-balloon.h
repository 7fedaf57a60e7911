/*
 * virtio-balloon-pci as the monitor sees it: the one active balloon, its
 * target and the memory the guest has given back, and its QOM properties.
 */
#ifndef HW_VIRTIO_VIRTIO_BALLOON_H
#define HW_VIRTIO_VIRTIO_BALLOON_H

#include "hw/qdev-core.h"
#include "qapi/qmp.h"

/* A balloon device exists (QEMU allows one: the first realized). */
bool virtio_balloon_active(void);
/*
 * Ask the guest to leave target bytes of RAM in use (clamped to the RAM
 * size): the difference is the balloon's new size in 4 KiB pages.
 */
void virtio_balloon_set_target(uint64_t target);
/* RAM size minus the pages the guest reports in its balloon (query-balloon). */
uint64_t virtio_balloon_actual(void);

/*
 * The balloon's QOM-only properties ("guest-stats",
 * "guest-stats-polling-interval"): false when dev is not a balloon or the
 * property is not one of them; true with *ret set, or with err set.
 */
bool virtio_balloon_qom_get(DeviceState *dev, const char *prop, JsonNode **ret, QmpError *err);
bool virtio_balloon_qom_set(DeviceState *dev, const char *prop, JsonNode *value, QmpError *err);

#endif
