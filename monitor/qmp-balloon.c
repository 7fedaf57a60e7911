/*
 * QMP balloon commands (qapi/balloon.json) over the virtio-balloon-pci
 * device: balloon sets the guest's memory target, query-balloon reads it.
 */
#include "qapi/qapi-commands.h"
#include "hw/virtio/virtio-balloon.h"

/* QEMU's answer when no balloon device exists. */
static bool balloon_present(QmpError *err)
{
    if (!virtio_balloon_active()) {
        qmp_error_set(err, QMP_ERROR_DEVICE_NOT_ACTIVE, "No balloon device has been activated");
        return false;
    }
    return true;
}

JsonNode *qmp_balloon(JsonObject *args, QmpError *err)
{
    int64_t target = json_object_get_int_member(args, "value");

    if (!balloon_present(err)) {
        return NULL;
    }
    if (target <= 0) {
        qmp_error_setg(err, "Parameter 'target' expects a size");
        return NULL;
    }
    virtio_balloon_set_target(target);
    return qmp_return_empty();
}

JsonNode *qmp_query_balloon(JsonObject *args, QmpError *err)
{
    JsonObject *o;

    (void)args;
    if (!balloon_present(err)) {
        return NULL;
    }
    o = json_object_new();
    json_object_set_int_member(o, "actual", (int64_t)virtio_balloon_actual());
    return qmp_node_object(o);
}
