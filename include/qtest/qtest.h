/*
 * The qtest server: QEMU's line protocol for driving the machine from tests.
 */
#ifndef QTEST_QTEST_H
#define QTEST_QTEST_H

#include "qemu/osdep.h"

/* True with -qtest or -accel qtest: no guest code runs. */
bool qtest_enabled(void);
void qtest_set_enabled(bool on);

/* True with -qtest: a test program drives the machine through the server. */
bool qtest_driver(void);

/*
 * Start serving on a chardev spec ("unix:PATH", "tcp:HOST:PORT", "stdio",
 * "chardev:ID").  log is -qtest-log's file or NULL.  false + *err on failure.
 */
bool qtest_server_init(const char *spec, const char *log, char **err);

#endif
