/*
 * libFuzzer target: a QMP session (monitor/qmp.c: the JSON stream splitter,
 * the envelope and argument checks, the command table) on the real pseries
 * machine.  Input: a flags byte (bit 0: negotiate capabilities first), then
 * the bytes a client sends; replies are discarded.
 *
 * Commands that end the process, write host files or sockets, or plug
 * devices that outlive the input (quit, migrate, screendump, chardev-add,
 * blockdev-add, device_add, human-monitor-command...) are filtered out:
 * they answer "not found".  The rest run for real.
 */
#include "fuzz.h"
#include "monitor/qmp-internal.h"

static const char *const allowed[] = {
    "qmp_capabilities",
    "qom-list",
    "qom-get",
    "qom-set",
    "qom-list-types",
    "qom-list-properties",
    "device-list-properties",
    "stop",
    "system_reset",
    "system_powerdown",
    "inject-nmi",
    "migrate-set-capabilities",
    "migrate-set-parameters",
    "balloon",
    "set_link",
    "job-dismiss",
    "ringbuf-read",
    "ringbuf-write",
    NULL,
};

static bool allow(const char *name)
{
    if (g_str_has_prefix(name, "query-") || g_str_has_prefix(name, "x-query-")) {
        return true;
    }
    return g_strv_contains(allowed, name);
}

static void discard(void *opaque, const char *text, size_t len)
{
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_machine();
    qmp_set_command_filter(allow);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char negotiate[] = "{\"execute\": \"qmp_capabilities\"}";
    FuzzInput in = { data, size, 0 };
    QmpSession *s = qmp_session_new(false, discard, NULL);
    uint8_t flags = fuzz_u8(&in);
    size_t len;
    const uint8_t *text = fuzz_bytes(&in, SIZE_MAX, &len);

    fuzz_machine_reset();
    qmp_session_open(s);
    if (flags & 1) {
        qmp_session_input(s, (const uint8_t *)negotiate, strlen(negotiate));
    }
    qmp_session_input(s, text, len);
    while (qmp_session_dispatch_one(s)) {
        continue;
    }
    qmp_session_free(s);
    return 0;
}
