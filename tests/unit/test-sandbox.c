/*
 * -sandbox's groups (system/sandbox.c), one system call of each in a child
 * process: denied calls end it with a line naming them, errno groups fail the
 * call, and what stays allowed (threads, SCHED_IDLE) still works.
 */
#include "qemu/osdep.h"
#include "sysemu/sandbox.h"

#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static void sandbox_or_die(const char *arg)
{
    char *err = NULL;
    QemuOpts *opts = sandbox_parse(arg, &err);

    if (!opts || !sandbox_apply(opts, &err)) {
        fprintf(stderr, "sandbox %s: %s\n", arg, err);
        exit(2);
    }
    qemu_opts_free(opts);
}

/* Run the test's child part; it must die of SIGSYS after naming CALL (denied by WHY). */
static void expect_killed(const char *path, const char *call, const char *why)
{
    g_autofree char *msg =
        g_strdup_printf("*-sandbox: forbidden system call %s (*, denied by -sandbox %s); "
                        "terminating*",
                        call, why);

    g_test_trap_subprocess(path, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr(msg);
    g_test_trap_assert_stdout_unmatched("*survived*");
}

static void expect_passed(const char *path)
{
    g_test_trap_subprocess(path, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("*survived*");
}

/* The default group: syslog (here: the size of the kernel's log buffer). */
static void child_default(void)
{
    sandbox_or_die("on,obsolete=allow");
    syscall(SYS_syslog, 10, NULL, 0);
    printf("survived\n");
}

static void test_default(void)
{
    expect_killed("/sandbox/subprocess/default", "syslog", "on");
}

#ifdef SYS_ustat
static void child_obsolete(void)
{
    sandbox_or_die("on");
    syscall(SYS_ustat, 0, NULL);
    printf("survived\n");
}

/* obsolete=allow: the call reaches the kernel (and fails there). */
static void child_obsolete_allowed(void)
{
    sandbox_or_die("on,obsolete=allow");
    g_assert_cmpint(syscall(SYS_ustat, 0, NULL), ==, -1);
    printf("survived\n");
}

static void test_obsolete(void)
{
    expect_killed("/sandbox/subprocess/obsolete", "ustat", "obsolete=deny");
    expect_passed("/sandbox/subprocess/obsolete-allowed");
}
#endif

static void child_privileged(void)
{
    sandbox_or_die("on,elevateprivileges=deny");
    g_assert_cmpint(setuid(getuid()), ==, 0);
    printf("survived\n");
}

/* children: the same denials, and no_new_privs for whatever the process runs. */
static void child_privileged_children(void)
{
    g_assert_cmpint(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), ==, 0);
    sandbox_or_die("on,elevateprivileges=children");
    g_assert_cmpint(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), ==, 1);
    setresgid(getgid(), getgid(), getgid());
    printf("survived\n");
}

static void child_privileged_allowed(void)
{
    sandbox_or_die("on,elevateprivileges=allow");
    g_assert_cmpint(setuid(getuid()), ==, 0);
    printf("survived\n");
}

static void test_privileged(void)
{
    expect_killed("/sandbox/subprocess/privileged", "setuid", "elevateprivileges=deny");
    expect_killed("/sandbox/subprocess/privileged-children", "setresgid", "elevateprivileges=deny");
    expect_passed("/sandbox/subprocess/privileged-allowed");
}

static int thread_token;

static void *thread_fn(void *arg)
{
    return &thread_token;
}

/* spawn=deny: threads start (clone3 fails with ENOSYS, clone with thread flags). */
static void child_spawn_threads(void)
{
    pthread_t t;
    void *ret = NULL;

    sandbox_or_die("on,spawn=deny");
#ifdef SYS_clone3
    errno = 0;
    g_assert_cmpint(syscall(SYS_clone3, NULL, 0), ==, -1);
    g_assert_cmpint(errno, ==, ENOSYS);
#endif
    for (int i = 0; i < 4; i++) {
        g_assert_cmpint(pthread_create(&t, NULL, thread_fn, NULL), ==, 0);
        g_assert_cmpint(pthread_join(t, &ret), ==, 0);
        g_assert(ret == &thread_token);
    }
    printf("survived\n");
}

static void child_spawn_fork(void)
{
    pid_t pid;

    sandbox_or_die("on,spawn=deny");
    pid = fork();
    if (pid == 0) {
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("survived\n");
}

static void child_spawn_exec(void)
{
    char *argv[] = { (char *)"/bin/true", NULL };

    sandbox_or_die("on,spawn=deny");
    syscall(SYS_execve, "/bin/true", argv, environ);
    printf("survived\n");
}

static void child_spawn_unshare(void)
{
    sandbox_or_die("on,spawn=deny");
    unshare(0);
    printf("survived\n");
}

static void test_spawn(void)
{
    expect_passed("/sandbox/subprocess/spawn-threads");
    expect_killed("/sandbox/subprocess/spawn-fork", "clone", "spawn=deny");
    expect_killed("/sandbox/subprocess/spawn-exec", "execve", "spawn=deny");
    expect_killed("/sandbox/subprocess/spawn-unshare", "unshare", "spawn=deny");
}

/* resourcecontrol=deny: the calls fail with EPERM, the process goes on. */
static void child_resourcecontrol(void)
{
    cpu_set_t set;
    struct sched_param sp = { 0 };

    sandbox_or_die("on,resourcecontrol=deny");
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    errno = 0;
    g_assert_cmpint(sched_setaffinity(0, sizeof(set), &set), ==, -1);
    g_assert_cmpint(errno, ==, EPERM);
    errno = 0;
    g_assert_cmpint(setpriority(PRIO_PROCESS, 0, 5), ==, -1);
    g_assert_cmpint(errno, ==, EPERM);
    errno = 0;
    g_assert_cmpint(sched_setparam(0, &sp), ==, -1);
    g_assert_cmpint(errno, ==, EPERM);
    errno = 0;
    g_assert_cmpint(sched_setscheduler(0, SCHED_BATCH, &sp), ==, -1);
    g_assert_cmpint(errno, ==, EPERM);
    /* Lowering a thread to SCHED_IDLE is not denied. */
    g_assert_cmpint(sched_setscheduler(0, SCHED_IDLE, &sp), ==, 0);
    printf("survived\n");
}

static void test_resourcecontrol(void)
{
    expect_passed("/sandbox/subprocess/resourcecontrol");
}

/* A thread that exists before the filter is loaded is filtered too (TSYNC). */
static pthread_barrier_t barrier;

static void *late_caller(void *arg)
{
    pthread_barrier_wait(&barrier);
    syscall(SYS_syslog, 10, NULL, 0);
    return NULL;
}

static void child_tsync(void)
{
    pthread_t t;

    pthread_barrier_init(&barrier, NULL, 2);
    g_assert_cmpint(pthread_create(&t, NULL, late_caller, NULL), ==, 0);
    sandbox_or_die("on");
    pthread_barrier_wait(&barrier);
    pthread_join(t, NULL);
    printf("survived\n");
}

static void test_tsync(void)
{
    expect_killed("/sandbox/subprocess/tsync", "syslog", "on");
}

/* off, given in any form, loads nothing: every call above goes through. */
static void child_off(void)
{
    pid_t pid;

    sandbox_or_die("off,spawn=deny");
    sandbox_or_die("on,enable=off");
    pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    g_assert_cmpint(setuid(getuid()), ==, 0);
    printf("survived\n");
}

static void test_off(void)
{
    expect_passed("/sandbox/subprocess/off");
}

/* Errors: parse-time keys and on/off, apply-time values, nothing loaded on error. */
static void test_errors(void)
{
    static const struct {
        const char *arg, *parse_err, *apply_err;
    } cases[] = {
        { "foo", "Parameter 'enable' expects 'on' or 'off'", NULL },
        { "on,bogus=1", "Invalid parameter 'bogus'", NULL },
        { "on,spawn=maybe", NULL, "invalid argument for spawn" },
        { "on,obsolete=children", NULL, "invalid argument for obsolete" },
        { "on,elevateprivileges=no", NULL, "invalid argument for elevateprivileges" },
        { "on,resourcecontrol=", NULL, "invalid argument for resourcecontrol" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char *err = NULL;
        QemuOpts *opts = sandbox_parse(cases[i].arg, &err);

        if (cases[i].parse_err) {
            g_assert_null(opts);
            g_assert_cmpstr(err, ==, cases[i].parse_err);
        } else {
            g_assert_nonnull(opts);
            g_assert_false(sandbox_apply(opts, &err));
            g_assert_cmpstr(err, ==, cases[i].apply_err);
            qemu_opts_free(opts);
        }
        g_free(err);
    }
    /* This process made no filtered call above and is still unfiltered. */
    g_assert_cmpint(prctl(PR_GET_SECCOMP, 0, 0, 0, 0), ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sandbox/errors", test_errors);
    g_test_add_func("/sandbox/default", test_default);
#ifdef SYS_ustat
    g_test_add_func("/sandbox/obsolete", test_obsolete);
    g_test_add_func("/sandbox/subprocess/obsolete", child_obsolete);
    g_test_add_func("/sandbox/subprocess/obsolete-allowed", child_obsolete_allowed);
#endif
    g_test_add_func("/sandbox/privileged", test_privileged);
    g_test_add_func("/sandbox/spawn", test_spawn);
    g_test_add_func("/sandbox/resourcecontrol", test_resourcecontrol);
    g_test_add_func("/sandbox/tsync", test_tsync);
    g_test_add_func("/sandbox/off", test_off);
    g_test_add_func("/sandbox/subprocess/default", child_default);
    g_test_add_func("/sandbox/subprocess/privileged", child_privileged);
    g_test_add_func("/sandbox/subprocess/privileged-children", child_privileged_children);
    g_test_add_func("/sandbox/subprocess/privileged-allowed", child_privileged_allowed);
    g_test_add_func("/sandbox/subprocess/spawn-threads", child_spawn_threads);
    g_test_add_func("/sandbox/subprocess/spawn-fork", child_spawn_fork);
    g_test_add_func("/sandbox/subprocess/spawn-exec", child_spawn_exec);
    g_test_add_func("/sandbox/subprocess/spawn-unshare", child_spawn_unshare);
    g_test_add_func("/sandbox/subprocess/resourcecontrol", child_resourcecontrol);
    g_test_add_func("/sandbox/subprocess/tsync", child_tsync);
    g_test_add_func("/sandbox/subprocess/off", child_off);
    return g_test_run();
}
