/*
 * Monitors: QMP (JSON, json-glib) on a chardev.
 */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include "chardev/char.h"

/* Attach a QMP monitor to chr (-qmp, -mon mode=control).  false + *err. */
bool monitor_init_qmp(Chardev *chr, bool pretty, char **err);
/*
 * While a QMP command runs: a descriptor its client passed with it
 * (SCM_RIGHTS), now the caller's; -1 when none.
 */
int monitor_get_msgfd(void);
/*
 * The descriptor a client named with getfd, now the caller's (the monitor
 * forgets it, as QEMU's monitor_get_fd); -1 when there is none of that name.
 */
int monitor_take_named_fd(const char *name);
/* Attach the human monitor (-monitor, -mon mode=readline).  false + *err. */
bool monitor_init_hmp(Chardev *chr, char **err);
/* Send an event to every QMP monitor that finished negotiation. */
void monitor_qapi_event(const char *event, const char *data_json);
/* -name NAME: what query-name reports (NULL: no name). */
void qmp_set_vm_name(const char *name);

#endif
