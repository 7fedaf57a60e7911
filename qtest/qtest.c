/* STUB: qtest server (helper-owned; to be replaced). */
#include "qtest/qtest.h"

static bool enabled;

bool qtest_enabled(void) { return enabled; }
void qtest_set_enabled(bool on) { enabled = on; }

bool qtest_server_init(const char *spec, const char *log, char **err)
{
    *err = g_strdup("qtest is not implemented yet");
    return false;
}
