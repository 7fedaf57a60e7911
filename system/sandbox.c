/*
 * -sandbox: a seccomp filter built with libseccomp from the same groups of
 * system calls QEMU 7.2 denies, loaded into every thread at once (TSYNC).
 */
#include "qemu/osdep.h"
#include "sysemu/sandbox.h"

#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/prctl.h>

/*
 * LeakSanitizer (the ASan build) checks for leaks at exit from a helper it
 * starts with clone() without CLONE_THREAD, which spawn=deny forbids: such a
 * process would die of SIGSYS at its end. It checks once before the filter is
 * loaded instead (leaks made later in that process go unchecked).
 */
#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_LSAN 1
#endif
#endif
#ifdef SANDBOX_LSAN
#include <sanitizer/lsan_interface.h>
#endif

enum {
    GROUP_DEFAULT = 1 << 0,
    GROUP_OBSOLETE = 1 << 1,
    GROUP_PRIVILEGED = 1 << 2,
    GROUP_SPAWN = 1 << 3,
    GROUP_RESOURCECTL = 1 << 4,
};

/* What a denied call gets: the process ends, or the call fails with an errno. */
enum { DENY_KILL, DENY_ENOSYS, DENY_EPERM };

typedef struct DeniedCall {
    const char *name;
    unsigned group;
    int how;
} DeniedCall;

static const DeniedCall denied_calls[] = {
    /* Always, once the sandbox is on. */
    { "reboot", GROUP_DEFAULT, DENY_KILL },
    { "swapon", GROUP_DEFAULT, DENY_KILL },
    { "swapoff", GROUP_DEFAULT, DENY_KILL },
    { "syslog", GROUP_DEFAULT, DENY_KILL },
    { "mount", GROUP_DEFAULT, DENY_KILL },
    { "umount", GROUP_DEFAULT, DENY_KILL },
    { "kexec_load", GROUP_DEFAULT, DENY_KILL },
    { "afs_syscall", GROUP_DEFAULT, DENY_KILL },
    { "break", GROUP_DEFAULT, DENY_KILL },
    { "ftime", GROUP_DEFAULT, DENY_KILL },
    { "getpmsg", GROUP_DEFAULT, DENY_KILL },
    { "gtty", GROUP_DEFAULT, DENY_KILL },
    { "lock", GROUP_DEFAULT, DENY_KILL },
    { "mpx", GROUP_DEFAULT, DENY_KILL },
    { "prof", GROUP_DEFAULT, DENY_KILL },
    { "profil", GROUP_DEFAULT, DENY_KILL },
    { "putpmsg", GROUP_DEFAULT, DENY_KILL },
    { "security", GROUP_DEFAULT, DENY_KILL },
    { "stty", GROUP_DEFAULT, DENY_KILL },
    { "tuxcall", GROUP_DEFAULT, DENY_KILL },
    { "ulimit", GROUP_DEFAULT, DENY_KILL },
    { "vserver", GROUP_DEFAULT, DENY_KILL },
    /* obsolete=deny (the default): calls modern C libraries no longer make. */
    { "readdir", GROUP_OBSOLETE, DENY_KILL },
    { "_sysctl", GROUP_OBSOLETE, DENY_KILL },
    { "bdflush", GROUP_OBSOLETE, DENY_KILL },
    { "create_module", GROUP_OBSOLETE, DENY_KILL },
    { "get_kernel_syms", GROUP_OBSOLETE, DENY_KILL },
    { "query_module", GROUP_OBSOLETE, DENY_KILL },
    { "sgetmask", GROUP_OBSOLETE, DENY_KILL },
    { "ssetmask", GROUP_OBSOLETE, DENY_KILL },
    { "sysfs", GROUP_OBSOLETE, DENY_KILL },
    { "uselib", GROUP_OBSOLETE, DENY_KILL },
    { "ustat", GROUP_OBSOLETE, DENY_KILL },
    /* elevateprivileges=deny|children: the set*id calls. */
    { "setuid", GROUP_PRIVILEGED, DENY_KILL },
    { "setgid", GROUP_PRIVILEGED, DENY_KILL },
    { "setpgid", GROUP_PRIVILEGED, DENY_KILL },
    { "setsid", GROUP_PRIVILEGED, DENY_KILL },
    { "setreuid", GROUP_PRIVILEGED, DENY_KILL },
    { "setregid", GROUP_PRIVILEGED, DENY_KILL },
    { "setresuid", GROUP_PRIVILEGED, DENY_KILL },
    { "setresgid", GROUP_PRIVILEGED, DENY_KILL },
    { "setfsuid", GROUP_PRIVILEGED, DENY_KILL },
    { "setfsgid", GROUP_PRIVILEGED, DENY_KILL },
    /*
     * spawn=deny: new processes and namespaces (clone is filtered on its
     * flags below).  clone3's flags live in memory a filter cannot read: it
     * fails with ENOSYS, and the C library falls back to clone.
     */
    { "fork", GROUP_SPAWN, DENY_KILL },
    { "vfork", GROUP_SPAWN, DENY_KILL },
    { "execve", GROUP_SPAWN, DENY_KILL },
    { "execveat", GROUP_SPAWN, DENY_KILL },
    { "setns", GROUP_SPAWN, DENY_KILL },
    { "unshare", GROUP_SPAWN, DENY_KILL },
    { "clone3", GROUP_SPAWN, DENY_ENOSYS },
    /* resourcecontrol=deny: priority and affinity changes fail with EPERM. */
    { "setpriority", GROUP_RESOURCECTL, DENY_EPERM },
    { "sched_setparam", GROUP_RESOURCECTL, DENY_EPERM },
    { "sched_setaffinity", GROUP_RESOURCECTL, DENY_EPERM },
};

/*
 * clone under spawn=deny: a thread has all of these flags (what
 * pthread_create passes); anything else is a new process.
 */
static const uint64_t clone_thread_flags[] = {
    CLONE_VM,      CLONE_FS,     CLONE_FILES,         CLONE_SIGHAND,        CLONE_THREAD,
    CLONE_SYSVSEM, CLONE_SETTLS, CLONE_PARENT_SETTID, CLONE_CHILD_CLEARTID,
};
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
/* ... and none of these. */
static const uint64_t clone_process_flags[] = {
    CLONE_PIDFD,    CLONE_PTRACE,    CLONE_VFORK,  CLONE_PARENT, CLONE_NEWNS,
    CLONE_UNTRACED, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER,
    CLONE_NEWPID,   CLONE_NEWNET,    CLONE_IO,
};

/* The calls that end the process, for the SIGSYS handler to name them. */
typedef struct KillEntry {
    int nr;
    const char *name;
    const char *why; /* the option that denies it */
} KillEntry;

#define MAX_KILL_ENTRIES 128
static KillEntry kill_entries[MAX_KILL_ENTRIES];
static int n_kill_entries;

static const char *group_option(unsigned group)
{
    switch (group) {
    case GROUP_OBSOLETE:
        return "obsolete=deny";
    case GROUP_PRIVILEGED:
        return "elevateprivileges=deny";
    case GROUP_SPAWN:
        return "spawn=deny";
    case GROUP_RESOURCECTL:
        return "resourcecontrol=deny";
    default:
        return "on";
    }
}

static void remember_kill(int nr, const char *name, unsigned group)
{
    for (int i = 0; i < n_kill_entries; i++) {
        if (kill_entries[i].nr == nr) {
            return;
        }
    }
    if (n_kill_entries < MAX_KILL_ENTRIES) {
        kill_entries[n_kill_entries++] = (KillEntry){ nr, name, group_option(group) };
    }
}

/* Async-signal-safe formatting: append a string or a decimal number. */
static size_t put_str(char *buf, size_t len, size_t size, const char *s)
{
    while (*s && len + 1 < size) {
        buf[len++] = *s++;
    }
    return len;
}

static size_t put_num(char *buf, size_t len, size_t size, long v)
{
    char digits[24];
    int n = 0;
    unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;

    do {
        digits[n++] = '0' + u % 10;
        u /= 10;
    } while (u);
    if (v < 0) {
        digits[n++] = '-';
    }
    while (n && len + 1 < size) {
        buf[len++] = digits[--n];
    }
    return len;
}

/*
 * A denied call (SCMP_ACT_TRAP raises SIGSYS in the calling thread): one line
 * naming it, then the process dies of SIGSYS, as QEMU's does.
 */
static void sandbox_sigsys(int sig, siginfo_t *info, void *uc)
{
    char buf[256];
    size_t len = 0;
    const char *name = NULL, *why = NULL;
    struct sigaction dfl = { .sa_handler = SIG_DFL };
    sigset_t set;

    for (int i = 0; i < n_kill_entries; i++) {
        if (kill_entries[i].nr == info->si_syscall) {
            name = kill_entries[i].name;
            why = kill_entries[i].why;
        }
    }
    len = put_str(buf, len, sizeof(buf), g_get_prgname() ? g_get_prgname() : "qemu-system-ppc64");
    len = put_str(buf, len, sizeof(buf), ": -sandbox: forbidden system call ");
    len = put_str(buf, len, sizeof(buf), name ? name : "?");
    len = put_str(buf, len, sizeof(buf), " (");
    len = put_num(buf, len, sizeof(buf), info->si_syscall);
    len = put_str(buf, len, sizeof(buf), ", denied by -sandbox ");
    len = put_str(buf, len, sizeof(buf), why ? why : "on");
    len = put_str(buf, len, sizeof(buf), "); terminating\n");
    if (write(STDERR_FILENO, buf, len) < 0) {
        /* Nothing left to tell. */
    }
    sigaction(SIGSYS, &dfl, NULL);
    sigemptyset(&set);
    sigaddset(&set, SIGSYS);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    raise(SIGSYS);
    _exit(128 + SIGSYS);
}

static uint32_t deny_action(int how)
{
    switch (how) {
    case DENY_ENOSYS:
        return SCMP_ACT_ERRNO(ENOSYS);
    case DENY_EPERM:
        return SCMP_ACT_ERRNO(EPERM);
    default:
        return SCMP_ACT_TRAP;
    }
}

static bool add_clone_rules(scmp_filter_ctx ctx, char **err)
{
    int nr = seccomp_syscall_resolve_name("clone");
    /* The flags are clone's first argument on every host we build for. */
    struct scmp_arg_cmp none = SCMP_A0(SCMP_CMP_MASKED_EQ, ~(uint64_t)CSIGNAL, 0);
    int rc;

    remember_kill(nr, "clone", GROUP_SPAWN);
    rc = seccomp_rule_add_array(ctx, SCMP_ACT_TRAP, nr, 1, &none);
    for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(clone_thread_flags); i++) {
        struct scmp_arg_cmp lacks = SCMP_A0(SCMP_CMP_MASKED_EQ, clone_thread_flags[i], 0);

        rc = seccomp_rule_add_array(ctx, SCMP_ACT_TRAP, nr, 1, &lacks);
    }
    for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(clone_process_flags); i++) {
        struct scmp_arg_cmp has =
            SCMP_A0(SCMP_CMP_MASKED_EQ, clone_process_flags[i], clone_process_flags[i]);

        rc = seccomp_rule_add_array(ctx, SCMP_ACT_TRAP, nr, 1, &has);
    }
    if (rc < 0) {
        *err = g_strdup_printf("failed to add seccomp denylist rules: %s", g_strerror(-rc));
        return false;
    }
    return true;
}

static bool sandbox_start(unsigned groups, char **err)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    struct sigaction sa = { .sa_sigaction = sandbox_sigsys, .sa_flags = SA_SIGINFO };
    int rc;

    if (!ctx) {
        *err = g_strdup("failed to initialize seccomp context");
        return false;
    }
    rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
    if (rc < 0) {
        *err = g_strdup_printf("failed to set seccomp thread synchronization: %s", g_strerror(-rc));
        goto out;
    }
    for (size_t i = 0; i < ARRAY_SIZE(denied_calls); i++) {
        const DeniedCall *d = &denied_calls[i];
        int nr;

        if (!(groups & d->group)) {
            continue;
        }
        nr = seccomp_syscall_resolve_name(d->name);
        if (nr < 0) {
            /* Not a call of this host's architecture. */
            continue;
        }
        if (d->how == DENY_KILL) {
            remember_kill(nr, d->name, d->group);
        }
        rc = seccomp_rule_add(ctx, deny_action(d->how), nr, 0);
        if (rc < 0) {
            *err = g_strdup_printf("failed to add seccomp denylist rules: %s", g_strerror(-rc));
            goto out;
        }
    }
    if (groups & GROUP_RESOURCECTL) {
        /* Lowering a thread to SCHED_IDLE stays allowed. */
        int nr = seccomp_syscall_resolve_name("sched_setscheduler");

        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 1, SCMP_A1(SCMP_CMP_NE, SCHED_IDLE));
        if (rc < 0) {
            *err = g_strdup_printf("failed to add seccomp denylist rules: %s", g_strerror(-rc));
            goto out;
        }
    }
    if ((groups & GROUP_SPAWN) && !add_clone_rules(ctx, err)) {
        rc = -1;
        goto out;
    }
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSYS, &sa, NULL);
#ifdef SANDBOX_LSAN
    if (groups & GROUP_SPAWN) {
        /* Also turns off the check at exit (a no-op when detect_leaks=0). */
        __lsan_do_leak_check();
    }
#endif
    rc = seccomp_load(ctx);
    if (rc < 0) {
        *err =
            g_strdup_printf("failed to load seccomp syscall filter in kernel: %s", g_strerror(-rc));
    }
out:
    seccomp_release(ctx);
    return rc >= 0;
}

static const char *const sandbox_keys[] = {
    "obsolete",
    "elevateprivileges",
    "spawn",
    "resourcecontrol",
};

QemuOpts *sandbox_parse(const char *arg, char **err)
{
    QemuOpts *opts = qemu_opts_parse(arg, "enable", err);
    bool on;
    const char *unused;

    if (!opts) {
        return NULL;
    }
    if (!qemu_opt_get_bool(opts, "enable", false, &on, err)) {
        qemu_opts_free(opts);
        return NULL;
    }
    for (size_t i = 0; i < ARRAY_SIZE(sandbox_keys); i++) {
        qemu_opt_get(opts, sandbox_keys[i]);
    }
    unused = qemu_opts_first_unused(opts);
    if (unused) {
        *err = g_strdup_printf("Invalid parameter '%s'", unused);
        qemu_opts_free(opts);
        return NULL;
    }
    return opts;
}

/* VALUE of KEY: one of "allow", "deny" (and "children" when CHILDREN). */
static bool sandbox_value(QemuOpts *opts, const char *key, bool children, bool *deny,
                          bool *is_children, char **err)
{
    const char *v = qemu_opt_get(opts, key);

    if (!v) {
        return true;
    }
    if (!strcmp(v, "deny")) {
        *deny = true;
    } else if (!strcmp(v, "allow")) {
        *deny = false;
    } else if (children && !strcmp(v, "children")) {
        *deny = true;
        *is_children = true;
    } else {
        *err = g_strdup_printf("invalid argument for %s", key);
        return false;
    }
    return true;
}

bool sandbox_apply(QemuOpts *opts, char **err)
{
    bool on = false, obsolete = true, priv = false, spawn = false, resctl = false;
    bool children = false;
    unsigned groups = GROUP_DEFAULT;

    if (!qemu_opt_get_bool(opts, "enable", false, &on, err)) {
        return false;
    }
    if (!on) {
        return true;
    }
    if (!sandbox_value(opts, "obsolete", false, &obsolete, &children, err) ||
        !sandbox_value(opts, "elevateprivileges", true, &priv, &children, err) ||
        !sandbox_value(opts, "spawn", false, &spawn, &children, err) ||
        !sandbox_value(opts, "resourcecontrol", false, &resctl, &children, err)) {
        return false;
    }
    groups |= (obsolete ? GROUP_OBSOLETE : 0) | (priv ? GROUP_PRIVILEGED : 0) |
              (spawn ? GROUP_SPAWN : 0) | (resctl ? GROUP_RESOURCECTL : 0);
    /* children: what this process runs cannot gain privileges either. */
    if (children && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
        *err = g_strdup("failed to set no_new_privs aborting");
        return false;
    }
    return sandbox_start(groups, err);
}
