/*
 * Mutexes and condition variables shared between host threads: thin
 * wrappers over POSIX threads, which ThreadSanitizer understands (GLib's
 * GMutex and GCond use futexes directly, so it could not see their
 * happens-before edges and would report every access they protect).
 */
#ifndef QEMU_THREAD_H
#define QEMU_THREAD_H

#include "qemu/osdep.h"

#include <pthread.h>

typedef struct QemuMutex {
    pthread_mutex_t m;
} QemuMutex;

typedef struct QemuCond {
    pthread_cond_t c;
} QemuCond;

/* For static variables; others call qemu_mutex_init / qemu_cond_init. */
#define QEMU_MUTEX_INITIALIZER                                                                     \
    {                                                                                              \
        PTHREAD_MUTEX_INITIALIZER                                                                  \
    }
#define QEMU_COND_INITIALIZER                                                                      \
    {                                                                                              \
        PTHREAD_COND_INITIALIZER                                                                   \
    }

/* A failing call means a corrupted lock: nothing sensible is left to do. */
G_NORETURN void qemu_thread_fail(const char *what, int err);

void qemu_mutex_init(QemuMutex *mutex);
void qemu_mutex_destroy(QemuMutex *mutex);
void qemu_cond_init(QemuCond *cond);
void qemu_cond_destroy(QemuCond *cond);

static inline void qemu_mutex_lock(QemuMutex *mutex)
{
    int err = pthread_mutex_lock(&mutex->m);

    if (G_UNLIKELY(err)) {
        qemu_thread_fail("pthread_mutex_lock", err);
    }
}

static inline void qemu_mutex_unlock(QemuMutex *mutex)
{
    int err = pthread_mutex_unlock(&mutex->m);

    if (G_UNLIKELY(err)) {
        qemu_thread_fail("pthread_mutex_unlock", err);
    }
}

/* Wait for cond with mutex held; mutex is released while waiting. */
static inline void qemu_cond_wait(QemuCond *cond, QemuMutex *mutex)
{
    int err = pthread_cond_wait(&cond->c, &mutex->m);

    if (G_UNLIKELY(err)) {
        qemu_thread_fail("pthread_cond_wait", err);
    }
}

/* The same, for @ns at most (the condition variables use CLOCK_REALTIME). */
static inline void qemu_cond_timedwait(QemuCond *cond, QemuMutex *mutex, int64_t ns)
{
    struct timespec ts;
    int err;

    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ns / 1000000000;
    ts.tv_nsec += ns % 1000000000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    err = pthread_cond_timedwait(&cond->c, &mutex->m, &ts);
    if (G_UNLIKELY(err && err != ETIMEDOUT)) {
        qemu_thread_fail("pthread_cond_timedwait", err);
    }
}

static inline void qemu_cond_signal(QemuCond *cond)
{
    pthread_cond_signal(&cond->c);
}

static inline void qemu_cond_broadcast(QemuCond *cond)
{
    pthread_cond_broadcast(&cond->c);
}

#endif
