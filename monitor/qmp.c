/* STUB: QMP monitor (helper-owned; to be replaced). */
#include "monitor/monitor.h"

bool monitor_init_qmp(Chardev *chr, bool pretty, char **err)
{
    *err = g_strdup("QMP is not implemented yet");
    return false;
}

void monitor_qapi_event(const char *event, const char *data_json) {}
