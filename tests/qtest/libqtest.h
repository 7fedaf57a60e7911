/*
 * libqtest: a small client that starts qemu-system-ppc64 under qtest and speaks
 * the qtest line protocol and QMP to it, for the tests in tests/qtest.
 */
#ifndef LIBQTEST_H
#define LIBQTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>
#include <json-glib/json-glib.h>

typedef struct QTestState QTestState;

/*
 * Spawn $QTEST_QEMU_BINARY as QEMU's libqtest does: "-qtest unix:SOCK
 * -qtest-log /dev/null -chardev socket,path=QMPSOCK,id=char0 -mon
 * chardev=char0,mode=control -display none -machine pseries -accel qtest "
 * + extra_args (split on spaces).  Both sockets listen before the spawn.
 * Reads the QMP greeting and negotiates capabilities.  Any problem fails the
 * test; every wait is bounded (30 s).  Set QTEST_LOG=1 to see the qtest
 * conversation on stderr.
 */
QTestState *qtest_init(const char *extra_args);
/* QMP quit (or SIGTERM), then wait; SIGKILL after 10 s.  Frees s. */
void qtest_quit(QTestState *s);
/* Wait (<= 30 s) for the process to exit by itself: status, or 128+signal. */
int qtest_wait_exit(QTestState *s);
bool qtest_alive(QTestState *s);

/* Send one protocol line (newline added); return the reply line (g_free). */
char *qtest_command(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/*
 * Raw access for protocol tests: send bytes as they are (no newline added),
 * and read the next reply line (g_free it).
 */
void qtest_send_raw(QTestState *s, const void *buf, size_t len);
char *qtest_read_reply(QTestState *s);
/* Close the qtest connection (the server then ends the process). */
void qtest_hangup(QTestState *s);

/* Accessors; a reply other than "OK ..." fails the test. */
uint8_t qtest_readb(QTestState *s, uint64_t addr);
uint16_t qtest_readw(QTestState *s, uint64_t addr);
uint32_t qtest_readl(QTestState *s, uint64_t addr);
uint64_t qtest_readq(QTestState *s, uint64_t addr);
void qtest_writeb(QTestState *s, uint64_t addr, uint8_t value);
void qtest_writew(QTestState *s, uint64_t addr, uint16_t value);
void qtest_writel(QTestState *s, uint64_t addr, uint32_t value);
void qtest_writeq(QTestState *s, uint64_t addr, uint64_t value);
void qtest_memread(QTestState *s, uint64_t addr, void *buf, size_t size);
void qtest_memwrite(QTestState *s, uint64_t addr, const void *buf, size_t size);
void qtest_bufread(QTestState *s, uint64_t addr, void *buf, size_t size);
void qtest_bufwrite(QTestState *s, uint64_t addr, const void *buf, size_t size);
void qtest_memset(QTestState *s, uint64_t addr, uint8_t pattern, size_t size);

/* step < 0: "clock_step" without argument.  Returns the new virtual time. */
int64_t qtest_clock_step(QTestState *s, int64_t step);
int64_t qtest_clock_set(QTestState *s, int64_t val);

/* "rtas NAME NARGS ARGS NRET RETS" -> the hypercall status of the call. */
uint64_t qtest_rtas_call(QTestState *s, const char *name, uint32_t nargs, uint64_t args,
                         uint32_t nret, uint64_t ret);
/*
 * "hcall OPCODE ARG..." (nargs <= 9: r4..) -> r3; out[] (may be NULL) gets
 * r4..r12.
 */
uint64_t qtest_hcall(QTestState *s, uint64_t opcode, const uint64_t *args, int nargs,
                     uint64_t out[9]);

/*
 * printf-style QMP command; returns the first reply (an object with "return"
 * or "error"), queuing events met on the way.  json_object_unref() it.
 */
JsonObject *qtest_qmp(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Send raw text (may be malformed); return the next non-event reply. */
JsonObject *qtest_qmp_raw(QTestState *s, const char *text);
/* Wait (<= 30 s) for an event of that name, looking at the queue first. */
JsonObject *qtest_qmp_eventwait(QTestState *s, const char *event);
/* The greeting received at start-up (borrowed). */
JsonObject *qtest_qmp_greeting(QTestState *s);

/*
 * Run $QTEST_QEMU_BINARY with args (split on spaces), stdin from /dev/null,
 * 30 s timeout (then SIGKILL).  Returns the exit status (or 128+signal);
 * out and err (may be NULL) get stdout and stderr (g_free them).
 */
int qtest_run(const char *args, char **out, char **err);
const char *qtest_binary(void);

/* The child's process id. */
int qtest_pid(QTestState *s);
/*
 * What the child wrote to stderr so far (g_free it).  The child's stderr goes
 * to a file; it is copied to the test's stderr when the child is reaped.
 */
char *qtest_stderr(QTestState *s);

#endif
