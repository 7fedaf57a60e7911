/*
 * Mutexes and condition variables over POSIX threads (include/qemu/thread.h):
 * the out-of-line parts.
 */
#include "qemu/thread.h"
#include "qemu/error-report.h"

void qemu_thread_fail(const char *what, int err)
{
    error_report("%s: %s", what, strerror(err));
    abort();
}

void qemu_mutex_init(QemuMutex *mutex)
{
    int err = pthread_mutex_init(&mutex->m, NULL);

    if (err) {
        qemu_thread_fail("pthread_mutex_init", err);
    }
}

void qemu_mutex_destroy(QemuMutex *mutex)
{
    pthread_mutex_destroy(&mutex->m);
}

void qemu_cond_init(QemuCond *cond)
{
    int err = pthread_cond_init(&cond->c, NULL);

    if (err) {
        qemu_thread_fail("pthread_cond_init", err);
    }
}

void qemu_cond_destroy(QemuCond *cond)
{
    pthread_cond_destroy(&cond->c);
}
