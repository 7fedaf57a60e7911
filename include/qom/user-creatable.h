/*
 * User-creatable objects (-object, QMP object-add/object-del): secrets, memory
 * backends, rng-random entropy sources and iothreads, by id.
 */
#ifndef QOM_USER_CREATABLE_H
#define QOM_USER_CREATABLE_H

#include "qemu/osdep.h"
#include "qapi/qmp.h"
#include <json-glib/json-glib.h>

/* A memory backend: what the machine maps as guest RAM. */
typedef struct HostMemoryBackend {
    uint64_t size;
    bool share;
    bool prealloc;
    bool dump;
    bool merge;
    bool reserve;
    bool readonly; /* memory-backend-file readonly=on: the file is only read */
    const char *policy;
    int fd;     /* memory-backend-file/memfd: the backing file; -1 for ram */
    void *host; /* its memory, mapped at creation (moved into guest RAM when used) */
    bool used;  /* the machine's RAM or a DIMM's (object-del refuses it then) */
} HostMemoryBackend;

/*
 * -object ARG (QEMU's keyval "TYPE,id=ID,prop=val" or JSON): checked now with
 * QEMU's messages (false + *errp), created by object_option_create_all().
 * "-object help" and "-object TYPE,help" print and exit.
 */
bool object_option_parse(const char *arg, Error **errp);
/* Forget the -object options parsed and not created yet. */
void object_option_reset(void);
/* Create every parsed -object, in command-line order; false + *errp. */
bool object_option_create_all(Error **errp);

/* QMP object-add: args already checked against ObjectOptions. */
bool user_creatable_add(JsonObject *args, Error **errp);
bool user_creatable_del(const char *id, Error **errp);

HostMemoryBackend *host_memory_backend_find(const char *id);
/* The value of a secret object, or NULL. */
const char *qcrypto_secret_lookup(const char *id, size_t *len);
/* The QOM type of the object with this id, or NULL when there is none. */
const char *user_creatable_type(const char *id);
/* The properties the object was created with (checked by the schema), or NULL. */
JsonObject *user_creatable_args(const char *id);
/* The opened entropy source of an rng-random object, or -1. */
int rng_random_fd(const char *id);

/* fn(id, type, opaque) for every object, in creation order. */
void user_creatable_foreach(void (*fn)(const char *id, const char *type, void *opaque),
                            void *opaque);

/*
 * fn(id, type, opaque) for every object in the order QEMU 7.2 walks /objects
 * (query-iothreads; reversed: query-memdev), with the machine's RAM backend
 * ram_id (type NULL) among them when it is not NULL.
 */
void user_creatable_foreach_qom(const char *ram_id, bool reverse,
                                void (*fn)(const char *id, const char *type, void *opaque),
                                void *opaque);
/* ids (char *, in the order they were added) in GLib's hash table order: qom/qom-order.c. */
GPtrArray *qom_children_order(GPtrArray *ids);
/*
 * The same after a history of "+id" (added) and "-id" (removed) entries:
 * GLib's table remembers removed keys, which moves keys added later.  The
 * ids returned point into ops.
 */
GPtrArray *qom_children_order_ops(GPtrArray *ops);
/* The host thread id of iothread id, or -1. */
int iothread_thread_id(const char *id);
/* The memory backend id, or NULL; its properties for query-memdev. */
const HostMemoryBackend *user_creatable_memdev(const char *id);

#endif
