/*
 * The command line: QEMU's option names and syntax, validated completely
 * before anything starts, then the machine is built and the main loop runs.
 */
#include "qemu/osdep.h"
#include "block/block-backend.h"
#include "chardev/char.h"
#include "gdbstub/gdbstub.h"
#include "hw/boards.h"
#include "hw/qdev-monitor.h"
#include "hw/qdev-properties.h"
#include "hw/virtio/virtio-pci.h"
#include "monitor/monitor.h"
#include "net/net.h"
#include "qemu/error-report.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "qemu/option.h"
#include "qemu/timer.h"
#include "qemu/units.h"
#include "qom/user-creatable.h"
#include "qtest/qtest.h"
#include "sysemu/blockdev.h"
#include "sysemu/cpus.h"
#include "sysemu/icount.h"
#include "sysemu/kvm.h"
#include "sysemu/datadir.h"
#include "sysemu/numa.h"
#include "sysemu/preconfig.h"
#include "sysemu/runstate.h"
#include "sysemu/sandbox.h"
#include "migration/migration.h"
#include "migration/snapshot.h"
#include "sysemu/sysemu.h"
#include "system/readconfig.h"
#include "system/vl-options.h"
#include "target/ppc/cpu.h"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

int qemu_main(int argc, char **argv);

const char *qemu_uuid;
const char *qemu_name;

/* -name [guest=]NAME[,debug-threads=on|off]: the guest's name. */
static void parse_name(const char *arg)
{
    g_auto(GStrv) parts = g_strsplit(arg, ",", -1);

    for (int i = 0; parts[i]; i++) {
        if (g_str_has_prefix(parts[i], "guest=")) {
            qemu_name = g_strdup(parts[i] + strlen("guest="));
        } else if (i == 0 && !strchr(parts[i], '=')) {
            qemu_name = g_strdup(parts[i]);
        }
    }
}

void qemu_uuid_bytes(uint8_t out[16])
{
    memset(out, 0, 16);
    for (int i = 0, n = 0; qemu_uuid && qemu_uuid[i] && n < 32; i++) {
        if (g_ascii_isxdigit(qemu_uuid[i])) {
            out[n / 2] |= g_ascii_xdigit_value(qemu_uuid[i]) << (n % 2 ? 0 : 4);
            n++;
        }
    }
}

#define MAX_SERIAL_PORTS 4

typedef enum OptArg { NO_ARG, HAS_ARG } OptArg;

typedef enum OptIndex {
    OPT_HELP,
    OPT_VERSION,
    OPT_MACHINE,
    OPT_M,
    OPT_SMP,
    OPT_CPU,
    OPT_KERNEL,
    OPT_INITRD,
    OPT_APPEND,
    OPT_BIOS,
    OPT_NOGRAPHIC,
    OPT_ECHR,
    OPT_DISPLAY,
    OPT_NODEFAULTS,
    OPT_NO_USER_CONFIG,
    OPT_SERIAL,
    OPT_CHARDEV,
    OPT_DEVICE,
    OPT_DRIVE,
    OPT_BLOCKDEV,
    OPT_HDA,
    OPT_HDB,
    OPT_HDC,
    OPT_HDD,
    OPT_CDROM,
    OPT_RTC,
    OPT_ICOUNT,
    OPT_NO_REBOOT,
    OPT_PERFMAP,
    OPT_ACTION,
    OPT_NO_SHUTDOWN,
    OPT_S,
    OPT_INCOMING,
    OPT_LOADVM,
    OPT_NAME,
    OPT_PIDFILE,
    OPT_D,
    OPT_DFILE,
    OPT_QTEST,
    OPT_QTEST_LOG,
    OPT_ACCEL,
    OPT_QMP,
    OPT_QMP_PRETTY,
    OPT_MON,
    OPT_MONITOR,
    OPT_ENABLE_KVM,
    OPT_VGA,
    OPT_NET,
    OPT_NIC,
    OPT_NETDEV,
    OPT_BOOT,
    OPT_PROM_ENV,
    OPT_UUID,
    OPT_MSG,
    OPT_OVERCOMMIT,
    OPT_SANDBOX,
    OPT_L,
    OPT_DAEMONIZE,
    OPT_SNAPSHOT,
    OPT_PARALLEL,
    OPT_USB,
    OPT_VNC,
    OPT_GLOBAL,
    OPT_CONFIG,
    OPT_GDB,
    OPT_GDB_DEFAULT,
    OPT_OBJECT,
    OPT_AUDIODEV,
    OPT_ADD_FD,
    OPT_NUMA,
    OPT_PRECONFIG,
} OptIndex;

typedef struct QemuOption {
    const char *name;
    OptArg arg;
    OptIndex index;
    const char *help;
} QemuOption;

static const QemuOption qemu_options[] = {
    { "h", NO_ARG, OPT_HELP, "display this help and exit" },
    { "help", NO_ARG, OPT_HELP, NULL },
    { "version", NO_ARG, OPT_VERSION, "display version information and exit" },
    { "machine", HAS_ARG, OPT_MACHINE,
      "[type=]name[,prop=value...]  select the machine (help: list them)" },
    { "M", HAS_ARG, OPT_MACHINE, NULL },
    { "m", HAS_ARG, OPT_M, "[size=]SIZE[,slots=n,maxmem=size]  guest RAM" },
    { "smp", HAS_ARG, OPT_SMP, "[cpus=]n[,maxcpus=,sockets=,cores=,threads=]  number of CPUs" },
    { "cpu", HAS_ARG, OPT_CPU, "model  select the CPU model (help: list)" },
    { "kernel", HAS_ARG, OPT_KERNEL, "file  kernel image (ELF or raw)" },
    { "initrd", HAS_ARG, OPT_INITRD, "file  initial ram disk" },
    { "append", HAS_ARG, OPT_APPEND, "cmdline  kernel command line" },
    { "bios", HAS_ARG, OPT_BIOS, "file  firmware loaded at address 0" },
    { "nographic", NO_ARG, OPT_NOGRAPHIC, "no display; serial console on stdio" },
    { "echr", HAS_ARG, OPT_ECHR, "chr  set terminal escape character instead of ctrl-a" },
    { "display", HAS_ARG, OPT_DISPLAY, "none  (the only display offered)" },
    { "nodefaults", NO_ARG, OPT_NODEFAULTS, "create no default devices" },
    { "no-user-config", NO_ARG, OPT_NO_USER_CONFIG, "do not load user-provided config files" },
    { "serial", HAS_ARG, OPT_SERIAL, "dev  a spapr-vty console on dev" },
    { "chardev", HAS_ARG, OPT_CHARDEV, "backend,id=id[,...]  null, stdio, file, socket" },
    { "device", HAS_ARG, OPT_DEVICE, "driver[,prop=value...]  (help: list)" },
    { "drive", HAS_ARG, OPT_DRIVE,
      "[file=F][,if=none|pflash|virtio|scsi][,format=raw|qcow2][,id=][,readonly=][,cache=]..." },
    { "hda", HAS_ARG, OPT_HDA, "file  -drive index=0,media=disk,file=file" },
    { "hdb", HAS_ARG, OPT_HDB, "file  -drive index=1,media=disk,file=file" },
    { "hdc", HAS_ARG, OPT_HDC, "file  -drive index=2,media=disk,file=file" },
    { "hdd", HAS_ARG, OPT_HDD, "file  -drive index=3,media=disk,file=file" },
    { "cdrom", HAS_ARG, OPT_CDROM, "file  -drive index=2,media=cdrom,file=file" },
    { "blockdev", HAS_ARG, OPT_BLOCKDEV, "driver=file|raw|qcow2,node-name=N[,...]  (or JSON)" },
    { "rtc", HAS_ARG, OPT_RTC, "base=utc|localtime|date  RTC start" },
    { "icount", HAS_ARG, OPT_ICOUNT,
      "[shift=]N|auto[,align=on|off][,sleep=on|off]  virtual time counted in instructions" },
    { "no-reboot", NO_ARG, OPT_NO_REBOOT, "exit instead of rebooting" },
    { "perfmap", NO_ARG, OPT_PERFMAP, "name compiled guest code in /tmp/perf-PID.map for perf" },
    { "no-shutdown", NO_ARG, OPT_NO_SHUTDOWN, "stop instead of exiting on guest shutdown" },
    { "action", HAS_ARG, OPT_ACTION,
      "reboot=reset|shutdown,shutdown=poweroff|pause,panic=pause|shutdown|exit-failure|none" },
    { "S", NO_ARG, OPT_S, "do not start the CPU at start-up" },
    { "incoming", HAS_ARG, OPT_INCOMING, "wait for a migration stream (URI, or defer)" },
    { "loadvm", HAS_ARG, OPT_LOADVM, "start right away with a saved state (loadvm in monitor)" },
    { "name", HAS_ARG, OPT_NAME, "[guest=]name[,debug-threads=on|off]" },
    { "pidfile", HAS_ARG, OPT_PIDFILE, "file  write the process id to file" },
    { "d", HAS_ARG, OPT_D, "item1,...  enable logs (help: list)" },
    { "D", HAS_ARG, OPT_DFILE, "logfile  send logs to logfile" },
    { "qtest", HAS_ARG, OPT_QTEST, "dev  serve the qtest protocol on dev" },
    { "qtest-log", HAS_ARG, OPT_QTEST_LOG, "file  log the qtest protocol" },
#ifdef CONFIG_KVM
    { "accel", HAS_ARG, OPT_ACCEL, "kvm|tcg|qtest[,prop=value]  accelerator" },
#else
    { "accel", HAS_ARG, OPT_ACCEL, "tcg|qtest[,prop=value]  accelerator" },
#endif
    { "qmp", HAS_ARG, OPT_QMP, "dev  a QMP monitor on dev" },
    { "qmp-pretty", HAS_ARG, OPT_QMP_PRETTY, "dev  a pretty-printing QMP" },
    { "mon", HAS_ARG, OPT_MON, "chardev=id,mode=control[,pretty=on]" },
    { "monitor", HAS_ARG, OPT_MONITOR, "dev  the human monitor (HMP) on dev" },
#ifdef CONFIG_KVM
    { "enable-kvm", NO_ARG, OPT_ENABLE_KVM, "enable KVM full virtualization support" },
#else
    { "enable-kvm", NO_ARG, OPT_ENABLE_KVM, "use KVM (ppc64 hosts only; not in this build)" },
#endif
    { "vga", HAS_ARG, OPT_VGA, "none" },
    { "net", HAS_ARG, OPT_NET, "nic|user|tap|none[,...]  (legacy) a NIC or backend on hub 0" },
    { "nic", HAS_ARG, OPT_NIC, "user|tap|none[,model=,mac=,...]  a NIC and its backend" },
    { "netdev", HAS_ARG, OPT_NETDEV, "user|tap,id=id[,...]  a network backend" },
    { "boot", HAS_ARG, OPT_BOOT, "[order=drives][,menu=on|off]..." },
    { "prom-env", HAS_ARG, OPT_PROM_ENV, "variable=value  set an Open Firmware variable" },
    { "uuid", HAS_ARG, OPT_UUID, "%08x-%04x-%04x-%04x-%012x  machine UUID" },
    { "msg", HAS_ARG, OPT_MSG, "timestamp=on|off[,guest-name=on|off]" },
    { "overcommit", HAS_ARG, OPT_OVERCOMMIT, "mem-lock=on|off,cpu-pm=on|off" },
    { "sandbox", HAS_ARG, OPT_SANDBOX, "on|off[,...]" },
    { "L", HAS_ARG, OPT_L, "path  firmware directory" },
    { "daemonize", NO_ARG, OPT_DAEMONIZE, "detach from the terminal" },
    { "snapshot", NO_ARG, OPT_SNAPSHOT, "write to temporary overlays (-drive snapshot=on)" },
    { "parallel", HAS_ARG, OPT_PARALLEL, "none" },
    { "usb", NO_ARG, OPT_USB, "(accepted: no USB bus yet)" },
    { "vnc", HAS_ARG, OPT_VNC, "none" },
    { "global", HAS_ARG, OPT_GLOBAL, "driver.property=value" },
    { "readconfig", HAS_ARG, OPT_CONFIG, "file  read the options from a configuration file" },
    { "gdb", HAS_ARG, OPT_GDB, "dev  accept a GDB connection on dev" },
    { "s", NO_ARG, OPT_GDB_DEFAULT, "shorthand for -gdb tcp::" DEFAULT_GDBSTUB_PORT },
    { "object", HAS_ARG, OPT_OBJECT,
      "TYPE,id=ID[,prop=value...]  secret, memory-backend-ram|file|memfd, rng-random, iothread" },
    { "audiodev", HAS_ARG, OPT_AUDIODEV, "none,id=ID  (no sound hardware: only 'none')" },
    { "add-fd", HAS_ARG, OPT_ADD_FD, "fd=N,set=N[,opaque=S]  add an inherited fd to an fd set" },
    { "preconfig", NO_ARG, OPT_PRECONFIG, "build the machine only at QMP x-exit-preconfig" },
    { "numa", HAS_ARG, OPT_NUMA,
      "node[,nodeid=N][,memdev=ID|mem=SIZE][,cpus=A[-B]] | dist,src=N,dst=N,val=D | "
      "cpu,node-id=N[,core-id=N]" },
};

/* Everything the command line asked for, gathered before anything starts. */
typedef struct Config {
    QemuOpts *machine;
    const char *mem;
    QemuOpts *smp;   /* -smp and -machine smp.*, merged in command-line order */
    bool smp_scalar; /* -machine smp=VALUE: refused when the machine is built */
    const char *cpu;
    const char *bios, *kernel, *initrd, *append;
    BootOptions boot; /* -boot */
    bool nographic;
    bool monitor_given; /* -monitor (none too), -qmp, -qmp-pretty or -mon */
    bool nodefaults;
    bool net_given; /* -net, -nic or -netdev: no default NIC */
    bool start_stopped;
    const char *incoming; /* -incoming URI */
    const char *loadvm;   /* -loadvm TAG */
    const char *gdb;      /* -gdb DEV / -s */
    bool daemonize;
    bool list_data_dirs; /* -L help */
    const char *rtc;
    const char *icount; /* the last -icount */
    const char *name;
    const char *pidfile;
    const char *qtest;
    const char *qtest_log;
    const char *log_items;
    const char *log_file;
    GPtrArray *accels;      /* of char *: accelerators in preference order */
    GPtrArray *chardevs;    /* of char *: -chardev arguments */
    GPtrArray *serials;     /* of char *: -serial arguments */
    GPtrArray *devices;     /* of char *: -device arguments */
    GHashTable *device_ids; /* id= values of -device, to refuse duplicates */
    GPtrArray *qmps;        /* of char *: "0spec" plain, "1spec" pretty, "hspec" HMP */
    GArray *qmp_pos;        /* of guint: for each of qmps, the -chardev count before it */
    GPtrArray *qmp_chrs;    /* of Chardev *: each of qmps's chardev, created with -chardev's */
    GPtrArray *mon_args;    /* of char *: -mon arguments */
    GPtrArray *mons;        /* of MonSpec *: the same, checked */
    GPtrArray *numas;       /* of char *: -numa arguments */
    GPtrArray *sandboxes;   /* of char *: -sandbox arguments */
    bool preconfig;         /* --preconfig: build the machine at x-exit-preconfig */
} Config;

typedef struct MonSpec {
    const char *arg;
    char *chardev;
    bool pretty;
    bool hmp; /* mode=readline */
} MonSpec;

static void print_help(void)
{
    printf("QEMU emulator version %s (%s)\n"
           "usage: qemu-system-ppc64 [options]\n\n",
           QEMU_VERSION, QEMU_PKGVERSION);
    for (size_t i = 0; i < ARRAY_SIZE(qemu_options); i++) {
        const QemuOption *o = &qemu_options[i];

        if (o->help) {
            printf("-%-15s %s\n", o->name, o->help);
        }
    }
}

static void print_version(void)
{
    printf("QEMU emulator version %s (%s)\n"
           "A from-scratch implementation of the pseries machine\n",
           QEMU_VERSION, QEMU_PKGVERSION);
}

static const QemuOption *find_option(const char *arg)
{
    /* QEMU takes both -opt and --opt. */
    const char *name = arg + 1;

    if (*name == '-') {
        name++;
    }
    for (size_t i = 0; i < ARRAY_SIZE(qemu_options); i++) {
        if (!strcmp(qemu_options[i].name, name)) {
            return &qemu_options[i];
        }
    }
    return NULL;
}

static bool is_help(const char *s)
{
    return !strcmp(s, "help") || !strcmp(s, "?");
}

/* "xxx,help" or "help" as the first element of an option string. */
static bool opts_want_help(QemuOpts *opts)
{
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);

        if (is_help(opt->name) || (i == 0 && is_help(opt->value))) {
            return true;
        }
    }
    return false;
}

/*
 * error_exit() for a message made while OPTS is still in use (it may name one of
 * its options): OPTS is freed before the exit, so LeakSanitizer's check at exit
 * finds nothing of it; the message stays reachable from a static until then.
 */
static G_NORETURN G_GNUC_PRINTF(2, 3) void opts_error_exit(QemuOpts *opts, const char *fmt, ...)
{
    static char *msg;
    va_list ap;

    g_free(msg); /* the last one's, when a fuzz target caught its exit */
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qemu_opts_free(opts);
    error_exit("%s", msg);
}

static QemuOpts *parse_opts_or_exit(const char *arg, const char *implied)
{
    char *err = NULL;
    QemuOpts *opts = qemu_opts_parse(arg, implied, &err);

    if (!opts) {
        error_exit("%s", err);
    }
    return opts;
}

/*
 * One key of a -machine element, QEMU's keyval rules: dot-separated fragments,
 * each a name (a letter, then letters, digits, '-' or '_') or, after the
 * first, an index.  false and *err when it is not.
 */
static bool machine_key_valid(const char *key, size_t len, char **err)
{
    size_t i = 0;

    for (;;) {
        size_t start = i;

        if (i < len && g_ascii_isalpha(key[i])) {
            while (i < len && (g_ascii_isalnum(key[i]) || key[i] == '-' || key[i] == '_')) {
                i++;
            }
        } else if (start > 0) {
            while (i < len && g_ascii_isdigit(key[i])) {
                i++;
            }
        }
        if (i == start || (i < len && key[i] != '.')) {
            *err = g_strdup_printf("Invalid parameter '%.*s'", (int)len, key);
            return false;
        }
        if (i - start >= 128) {
            *err = g_strdup_printf("Parameter%s '%.*s' is too long",
                                   start > 0 || i < len ? " fragment" : "", (int)(i - start),
                                   key + start);
            return false;
        }
        if (i == len) {
            return true;
        }
        i++; /* the dot */
    }
}

/*
 * -machine ARG, parsed as QEMU 7.2 parses it (keyval, not QemuOpts): the
 * first element may omit "type="; a bare "help" or "?" anywhere asks for help;
 * any other element needs '='; ",," escapes a comma in a value (not in the
 * implied type).  Keys go into opts with '_' read as '-', the way QEMU looks
 * machine properties up.
 */
static bool machine_opts_parse(const char *arg, QemuOpts *opts, bool *help, char **err)
{
    const char *p = arg;
    bool first = true;

    while (*p) {
        size_t len = strcspn(p, "=,");
        g_autoptr(GString) val = g_string_new(NULL);
        g_autofree char *key = NULL;

        if (len && p[len] != '=') {
            if ((len == 4 && !strncmp(p, "help", 4)) || (len == 1 && *p == '?')) {
                *help = true;
                p += len + (p[len] == ',');
                first = false;
                continue;
            }
            if (!first) {
                if (!machine_key_valid(p, len, err)) {
                    return false;
                }
                *err = g_strdup_printf("Expected '=' after parameter '%.*s'", (int)len, p);
                return false;
            }
            key = g_strndup(p, len);
            qemu_opt_set(opts, "type", key);
            p += len + (p[len] == ',');
            first = false;
            continue;
        }
        if (!machine_key_valid(p, len, err)) {
            return false;
        }
        key = g_strndup(p, len);
        g_strdelimit(key, "_", '-');
        for (p += len + 1; *p; p++) {
            if (*p == ',') {
                if (p[1] != ',') {
                    p++;
                    break;
                }
                p++;
            }
            g_string_append_c(val, *p);
        }
        qemu_opt_set(opts, key, val->str);
        first = false;
    }
    return true;
}

/* -machine help, or TYPE,help: the list, or the type's properties. */
static void machine_help_and_exit(QemuOpts *opts)
{
    const char *name = qemu_opt_get(opts, "type");
    const char *type;
    const MachineClassOps *ops = name ? machine_find(name, &type) : NULL;

    if (ops) {
        ops->print_props(type, stdout);
    } else {
        machine_print_list(stdout);
    }
    error_exit_status(0);
}

/* Merge -smp and -machine smp.* keys: as in QEMU 7.2, a later value wins. */
static void smp_merge(Config *c, const char *key, const char *value)
{
    if (!c->smp) {
        c->smp = parse_opts_or_exit("", NULL);
    }
    qemu_opt_set(c->smp, key, value);
}

/*
 * The machine's "smp" property is QEMU's SMPConfiguration object, which
 * -smp sets too: its smp.KEY members leave the machine options for the
 * topology.
 */
static void machine_take_smp(Config *c)
{
    GPtrArray *list = c->machine->list;

    for (guint i = 0; i < list->len;) {
        QemuOpt *o = g_ptr_array_index(list, i);

        if (!strcmp(o->name, "smp")) {
            c->smp_scalar = true;
            g_ptr_array_remove_index(list, i);
        } else if (g_str_has_prefix(o->name, "smp.")) {
            smp_merge(c, o->name + strlen("smp."), o->value);
            g_ptr_array_remove_index(list, i);
        } else {
            i++;
        }
    }
}

/* Every -machine merges into one set (a later value wins); help exits at once. */
static void merge_machine_opts(Config *c, const char *arg)
{
    char *err = NULL;
    bool help = false;

    if (!c->machine) {
        c->machine = parse_opts_or_exit("", NULL);
    }
    if (!machine_opts_parse(arg, c->machine, &help, &err)) {
        error_exit("%s", err);
    }
    if (help) {
        machine_help_and_exit(c->machine);
    }
    machine_take_smp(c);
}

static void handle_option(Config *c, const QemuOption *o, const char *arg);

/*
 * -qmp, -qmp-pretty, -monitor: kind '0', '1' or 'h' and the chardev spec.  As
 * QEMU 7.2, the chardev is created among the -chardev ones, in command-line
 * order (query-chardev's order depends on it).
 */
static void add_monitor_spec(Config *c, char kind, const char *arg)
{
    guint pos = c->chardevs->len;

    c->monitor_given = true;
    g_ptr_array_add(c->qmps, g_strdup_printf("%c%s", kind, arg));
    g_array_append_val(c->qmp_pos, pos);
}
static void accel_option(Config *c, const char *arg);

/* A section of a -readconfig file, as the option it stands for. */
static void apply_config_section(const char *option, const char *arg, void *opaque)
{
    handle_option(opaque, find_option(option), arg);
}

static void handle_option(Config *c, const QemuOption *o, const char *arg)
{
    switch (o->index) {
    case OPT_HELP:
        print_help();
        error_exit_status(0);
    case OPT_VERSION:
        print_version();
        error_exit_status(0);
    case OPT_MACHINE:
        merge_machine_opts(c, arg);
        break;
    case OPT_M:
        c->mem = arg;
        break;
    case OPT_SMP: {
        QemuOpts *opts = parse_opts_or_exit(arg, "cpus");

        for (guint i = 0; i < opts->list->len; i++) {
            QemuOpt *o = g_ptr_array_index(opts->list, i);

            smp_merge(c, o->name, o->value);
        }
        qemu_opts_free(opts);
        break;
    }
    case OPT_CPU:
        c->cpu = arg;
        break;
    case OPT_KERNEL:
        c->kernel = arg;
        break;
    case OPT_INITRD:
        c->initrd = arg;
        break;
    case OPT_APPEND:
        c->append = arg;
        break;
    case OPT_BIOS:
        c->bios = arg;
        break;
    case OPT_ECHR: {
        char *end;
        long key = strtol(arg, &end, 0);

        /* As QEMU 7.2: a word on stdout, and the value strtol gave (0) is kept. */
        if (end == arg) {
            printf("Bad argument to echr\n");
            fflush(stdout);
        }
        qemu_chr_mux_set_escape((int)key);
        break;
    }
    case OPT_NOGRAPHIC:
        c->nographic = true;
        break;
    case OPT_DISPLAY:
        if (strcmp(arg, "none") && !g_str_has_prefix(arg, "none,")) {
            error_exit("Display '%s' is not available", arg);
        }
        break;
    case OPT_NODEFAULTS:
        c->nodefaults = true;
        break;
    case OPT_NO_USER_CONFIG:
    case OPT_SNAPSHOT:
    case OPT_USB:
        break;
    case OPT_L:
        if (is_help(arg)) {
            c->list_data_dirs = true;
        } else {
            qemu_add_data_dir(arg);
        }
        break;
    case OPT_SERIAL:
        if (c->serials->len >= MAX_SERIAL_PORTS) {
            error_exit("too many serial ports");
        }
        g_ptr_array_add(c->serials, (gpointer)arg);
        break;
    case OPT_CHARDEV:
        g_ptr_array_add(c->chardevs, (gpointer)arg);
        break;
    case OPT_DRIVE:
        drive_add(arg); /* system/drive.c: opens the file now, as QEMU does */
        break;
    case OPT_HDA:
    case OPT_HDB:
    case OPT_HDC:
    case OPT_HDD:
        drive_add_legacy(arg, o->index - OPT_HDA, "disk");
        break;
    case OPT_CDROM:
        drive_add_legacy(arg, 2, "cdrom");
        break;
    case OPT_BLOCKDEV:
        blockdev_add_cmdline(arg); /* block/blockdev.c */
        break;
    case OPT_DEVICE: {
        Error *err = NULL;

        /* QEMU checks ids while parsing: a bad or repeated one is refused first. */
        if (!qdev_device_check_arg(arg, c->device_ids, &err)) {
            error_report_err(err);
            error_exit_status(1);
        }
        g_ptr_array_add(c->devices, (gpointer)arg);
        break;
    }
    case OPT_RTC:
        c->rtc = arg;
        break;
    case OPT_ICOUNT:
        c->icount = arg;
        break;
    case OPT_NO_REBOOT:
        no_reboot = true;
        break;
    case OPT_PERFMAP:
        if (!ppc_cpu_open_perfmap()) {
            error_exit("-perfmap: cannot create /tmp/perf-%d.map: %s", (int)getpid(),
                       strerror(errno));
        }
        break;
    case OPT_NO_SHUTDOWN:
        no_shutdown = true;
        break;
    case OPT_ACTION: {
        QemuOpts *opts = parse_opts_or_exit(arg, NULL);
        bool help = opts_want_help(opts);
        char *err = NULL;

        qemu_opts_free(opts);
        if (help) {
            /* QEMU 7.2 lists the keys and ends with status 1. */
            printf("action options:\n  panic=<str>\n  reboot=<str>\n  shutdown=<str>\n"
                   "  watchdog=<str>\n");
            error_exit_status(1);
        }
        if (!runstate_parse_action(arg, &err)) {
            error_exit("%s", err);
        }
        break;
    }
    case OPT_S:
        c->start_stopped = true;
        break;
    case OPT_INCOMING:
        c->incoming = arg;
        /* The source owns the images until the stream is in: no write locks yet. */
        blk_start_inactive();
        break;
    case OPT_LOADVM:
        c->loadvm = arg;
        break;
    case OPT_GDB:
        c->gdb = arg;
        break;
    case OPT_GDB_DEFAULT:
        c->gdb = "tcp::" DEFAULT_GDBSTUB_PORT;
        break;
    case OPT_NAME:
        c->name = arg;
        parse_name(arg);
        break;
    case OPT_PIDFILE:
        c->pidfile = arg;
        break;
    case OPT_D:
        c->log_items = arg;
        break;
    case OPT_DFILE:
        c->log_file = arg;
        break;
    case OPT_QTEST:
        c->qtest = arg;
        break;
    case OPT_QTEST_LOG:
        c->qtest_log = arg;
        break;
    case OPT_ACCEL:
        accel_option(c, arg);
        break;
    case OPT_QMP:
        add_monitor_spec(c, '0', arg);
        break;
    case OPT_QMP_PRETTY:
        add_monitor_spec(c, '1', arg);
        break;
    case OPT_MON:
        c->monitor_given = true;
        g_ptr_array_add(c->mon_args, (gpointer)arg);
        break;
    case OPT_MONITOR:
        c->monitor_given = true;
        if (strcmp(arg, "none")) {
            add_monitor_spec(c, 'h', arg);
        }
        break;
    case OPT_ENABLE_KVM:
        /* QEMU's shorthand for -machine accel=kvm (a later accel= wins). */
        merge_machine_opts(c, "accel=kvm");
        break;
    case OPT_NET:
        c->net_given = true;
        net_option_net(arg);
        break;
    case OPT_NIC:
        c->net_given = true;
        net_option_nic(arg);
        break;
    case OPT_NETDEV:
        c->net_given = true;
        net_option_netdev(arg);
        break;
    case OPT_VGA:
    case OPT_PARALLEL:
    case OPT_VNC:
        if (strcmp(arg, "none")) {
            error_exit("only 'none' is supported");
        }
        break;
    case OPT_BOOT: {
        char *err = NULL;

        if (!boot_opts_parse(arg, &c->boot, &err)) {
            /* QEMU 7.2 checks -boot at machine creation: no option location. */
            loc_clear();
            error_exit("%s", err);
        }
        break;
    }
    case OPT_PROM_ENV: {
        char *err = NULL;

        if (!prom_env_add(arg, &err)) {
            error_exit("%s", err);
        }
        break;
    }
    case OPT_MSG:
    case OPT_OVERCOMMIT: {
        /* Accepted for compatibility; the syntax must still be valid. */
        QemuOpts *opts = parse_opts_or_exit(arg, NULL);

        qemu_opts_free(opts);
        break;
    }
    case OPT_SANDBOX: {
        /* Keys and on/off are checked now; the group values when applied. */
        char *err = NULL;
        QemuOpts *opts = sandbox_parse(arg, &err);

        if (!opts) {
            error_exit("%s", err);
        }
        qemu_opts_free(opts);
        g_ptr_array_add(c->sandboxes, (char *)arg);
        break;
    }
    case OPT_UUID:
        if (!g_uuid_string_is_valid(arg)) {
            error_exit("Fail to parse UUID string. Wrong format.");
        }
        qemu_uuid = g_ascii_strdown(arg, -1);
        break;
    case OPT_DAEMONIZE:
        c->daemonize = true;
        break;
    case OPT_GLOBAL: {
        Error *err = NULL;

        if (!qdev_global_add(arg, &err)) {
            error_report_err(err);
            error_exit_status(1);
        }
        break;
    }
    case OPT_CONFIG:
        readconfig_file(arg, apply_config_section, c);
        break;
    case OPT_PRECONFIG:
        c->preconfig = true;
        break;
    case OPT_NUMA:
        g_ptr_array_add(c->numas, (char *)arg);
        break;
    case OPT_OBJECT:
    case OPT_AUDIODEV:
    case OPT_ADD_FD: {
        Error *err = NULL;
        bool ok = o->index == OPT_OBJECT     ? object_option_parse(arg, &err)
                  : o->index == OPT_AUDIODEV ? audiodev_option_parse(arg, &err)
                                             : add_fd_option_parse(arg, &err);

        if (!ok) {
            error_report_err(err);
            error_exit_status(1);
        }
        break;
    }
    }
}

/*
 * QEMU checks every option name and argument count before it acts on any
 * (so "-M pseries,help -bogus" is an invalid option, not help).
 */
static void check_option_names(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const QemuOption *o;

        if (argv[i][0] != '-' || !argv[i][1]) {
            continue;
        }
        o = find_option(argv[i]);
        if (!o) {
            loc_set_cmdline(argv[i], NULL);
            error_exit("invalid option");
        }
        if (o->index == OPT_SNAPSHOT) {
            drive_set_snapshot_default(true); /* for every -drive, wherever it is */
        }
        if (o->arg == HAS_ARG && ++i >= argc) {
            loc_set_cmdline(argv[i - 1], NULL);
            error_exit("requires an argument");
        }
    }
}

static void parse_command_line(Config *c, int argc, char **argv)
{
    check_option_names(argc, argv);
    /* QEMU takes every -add-fd first: a /dev/fdset/N anywhere may use it. */
    for (int i = 1; i + 1 < argc; i++) {
        const QemuOption *o = argv[i][0] == '-' && argv[i][1] ? find_option(argv[i]) : NULL;

        if (o && o->index == OPT_ADD_FD) {
            loc_set_cmdline(argv[i], argv[i + 1]);
            handle_option(c, o, argv[i + 1]);
            loc_clear();
        }
        if (o && o->arg == HAS_ARG) {
            i++;
        }
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const QemuOption *o;

        if (a[0] != '-' || !a[1]) {
            /* QEMU takes a lone argument as the first disk image (-hda). */
            loc_set_cmdline(a, NULL);
            drive_add_legacy(a, 0, "disk");
            loc_clear();
            continue;
        }
        o = find_option(a);
        if (!o) {
            loc_set_cmdline(a, NULL);
            error_exit("invalid option");
        }
        if (o->arg == HAS_ARG) {
            if (i + 1 >= argc) {
                loc_set_cmdline(a, NULL);
                error_exit("requires an argument");
            }
            loc_set_cmdline(a, argv[i + 1]);
            if (o->index == OPT_ADD_FD) {
                i++; /* taken above */
            } else {
                handle_option(c, o, argv[++i]);
            }
        } else {
            loc_set_cmdline(a, NULL);
            handle_option(c, o, NULL);
        }
        loc_clear();
    }
}

/* -m [size=]SIZE[,slots=N,maxmem=SIZE]; a bare number is in MiB. */
static void parse_memory(const Config *c, MachineOptions *mo)
{
    QemuOpts *opts;
    const char *size;
    char *err = NULL;
    uint64_t slots;
    bool have_maxmem;

    mo->ram_size = 512 * MiB;
    mo->maxmem = 0;
    if (!c->mem) {
        mo->maxmem = mo->ram_size;
        return;
    }
    loc_set_cmdline("-m", c->mem);
    opts = parse_opts_or_exit(c->mem, "size");
    size = qemu_opt_get(opts, "size");
    if (!qemu_opt_get_size(opts, "size", mo->ram_size, &mo->ram_size, &err)) {
        qemu_opts_free(opts);
        error_exit_take(err);
    }
    /*
     * As QEMU: a size ending in a digit is read again with "M" after it, and what does not
     * fit then is the memory backend's size error, without the option's location.
     */
    if (size && *size && g_ascii_isdigit(size[strlen(size) - 1])) {
        char *in_mib = g_strconcat(size, "M", NULL);
        bool fits = qemu_strtosz(in_mib, 1, &mo->ram_size);

        g_free(in_mib);
        loc_clear();
        if (!fits) {
            opts_error_exit(opts, "Parameter 'memory.size' expects size");
        }
        loc_set_cmdline("-m", c->mem);
    }
    /* -m 0 is the default size. */
    if (mo->ram_size == 0) {
        mo->ram_size = 512 * MiB;
    }
    if (!qemu_opt_get_size(opts, "maxmem", mo->ram_size, &mo->maxmem, &err) ||
        !qemu_opt_get_number(opts, "slots", 0, &slots, &err)) {
        qemu_opts_free(opts);
        error_exit_take(err);
    }
    mo->ram_slots = slots;
    if (qemu_opts_first_unused(opts)) {
        opts_error_exit(opts, "Invalid parameter '%s'", qemu_opts_first_unused(opts));
    }
    if (mo->maxmem < mo->ram_size) {
        opts_error_exit(opts,
                        "invalid value of maxmem: maximum memory size (0x%" PRIx64
                        ") must be at least the initial memory size (0x%" PRIx64 ")",
                        mo->maxmem, mo->ram_size);
    }
    have_maxmem = qemu_opt_get(opts, "maxmem") != NULL;
    qemu_opts_free(opts);
    loc_clear();
    /* QEMU names no option in these two */
    if (slots && !have_maxmem) {
        error_exit("slots specified but no max-size");
    }
    if (slots && mo->maxmem == mo->ram_size) {
        error_exit("invalid value of maxmem: memory slots were specified but maximum memory size "
                   "(0x%" PRIx64 ") is equal to the initial memory size (0x%" PRIx64 ")",
                   mo->maxmem, mo->ram_size);
    }
}

/* A -smp number; 0 when absent (QEMU warns about an explicit 0 and ignores it). */
static unsigned smp_number(QemuOpts *opts, const char *name, bool *zero)
{
    const char *s = qemu_opt_get(opts, name);
    uint64_t v;

    if (!s) {
        return 0;
    }
    if (!qemu_strtou64(s, &v) || v > UINT32_MAX) {
        error_exit("Parameter 'smp.%s' expects integer", name);
    }
    *zero |= v == 0;
    return (unsigned)v;
}

/*
 * -smp [cpus=]N[,maxcpus=M,sockets=,dies=,clusters=,cores=,threads=]: QEMU
 * 7.2's rules for what is left out (sockets first on machine types before
 * 6.2, cores first after) and its checks, worded as QEMU words them.
 */
static void parse_smp(const Config *c, MachineOptions *mo, const MachineTypeInfo *info)
{
    QemuOpts *opts = c->smp;
    unsigned cpus, maxcpus, sockets, dies, clusters, cores, threads;
    bool zero = false;

    mo->smp_cpus = mo->max_cpus = 1;
    mo->smp_sockets = mo->smp_cores = mo->smp_threads = 1;
    if (c->smp_scalar) {
        error_exit("Invalid parameter type for 'smp', expected: object");
    }
    if (!opts) {
        return;
    }
    /* QEMU reads the members in SMPConfiguration's order, at machine creation. */
    cpus = smp_number(opts, "cpus", &zero);
    sockets = smp_number(opts, "sockets", &zero);
    dies = smp_number(opts, "dies", &zero);
    clusters = smp_number(opts, "clusters", &zero);
    cores = smp_number(opts, "cores", &zero);
    threads = smp_number(opts, "threads", &zero);
    maxcpus = smp_number(opts, "maxcpus", &zero);
    if (qemu_opts_first_unused(opts)) {
        error_exit("Parameter 'smp.%s' is unexpected", qemu_opts_first_unused(opts));
    }
    if (zero) {
        warn_report("Deprecated CPU topology (considered invalid): "
                    "CPU topology parameters must be greater than zero");
    }
    if (dies > 1) {
        error_exit("dies not supported by this machine's CPU topology");
    }
    if (clusters > 1) {
        error_exit("clusters not supported by this machine's CPU topology");
    }
    if (!cpus && !maxcpus) {
        sockets = MAX(sockets, 1);
        cores = MAX(cores, 1);
        threads = MAX(threads, 1);
    } else {
        maxcpus = maxcpus ? maxcpus : cpus;
        if (info && info->smp_prefer_sockets && !sockets) {
            cores = MAX(cores, 1);
            threads = MAX(threads, 1);
            sockets = maxcpus / (cores * threads);
        } else if (info && info->smp_prefer_sockets && !cores) {
            threads = MAX(threads, 1);
            cores = maxcpus / (sockets * threads);
        } else if (!cores) {
            sockets = MAX(sockets, 1);
            threads = MAX(threads, 1);
            cores = maxcpus / (sockets * threads);
        } else if (!sockets) {
            threads = MAX(threads, 1);
            sockets = maxcpus / (cores * threads);
        }
        if (!threads) {
            threads = maxcpus / (sockets * cores);
        }
    }
    maxcpus = maxcpus ? maxcpus : sockets * cores * threads;
    cpus = cpus ? cpus : maxcpus;
    if ((uint64_t)sockets * cores * threads != maxcpus) {
        error_exit("Invalid CPU topology: product of the hierarchy must match maxcpus: "
                   "sockets (%u) * cores (%u) * threads (%u) != maxcpus (%u)",
                   sockets, cores, threads, maxcpus);
    }
    if (maxcpus < cpus) {
        error_exit("Invalid CPU topology: maxcpus must be equal to or greater than smp: "
                   "sockets (%u) * cores (%u) * threads (%u) == maxcpus (%u) < smp_cpus (%u)",
                   sockets, cores, threads, maxcpus, cpus);
    }
    if (info && maxcpus > info->cpu_max) {
        error_exit("Invalid SMP CPUs %u. The max CPUs supported by machine '%s' is %u", maxcpus,
                   info->name, info->cpu_max);
    }
    mo->smp_cpus = cpus;
    mo->max_cpus = maxcpus;
    mo->smp_sockets = sockets;
    mo->smp_cores = cores;
    mo->smp_threads = threads;
}

static time_t mktimegm(struct tm *tm)
{
    GDateTime *dt = g_date_time_new_utc(tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday,
                                        tm->tm_hour, tm->tm_min, tm->tm_sec);
    time_t t = (time_t)g_date_time_to_unix(dt);

    g_date_time_unref(dt);
    return t;
}

/* -rtc base=utc|localtime|YYYY-MM-DD[THH:MM:SS][,clock=...][,driftfix=...] */
static int64_t parse_rtc(const char *arg)
{
    QemuOpts *opts;
    const char *base, *clock, *drift;
    int64_t offset = 0;

    if (!arg) {
        return 0;
    }
    loc_set_cmdline("-rtc", arg);
    opts = parse_opts_or_exit(arg, NULL);
    base = qemu_opt_get(opts, "base");
    clock = qemu_opt_get(opts, "clock");
    drift = qemu_opt_get(opts, "driftfix");
    if (clock && strcmp(clock, "host") && strcmp(clock, "rt") && strcmp(clock, "vm")) {
        opts_error_exit(opts, "invalid option value '%s'", clock);
    }
    if (drift && strcmp(drift, "none") && strcmp(drift, "slew")) {
        opts_error_exit(opts, "invalid option value '%s'", drift);
    }
    if (qemu_opts_first_unused(opts)) {
        opts_error_exit(opts, "Invalid parameter '%s'", qemu_opts_first_unused(opts));
    }
    if (base && !strcmp(base, "localtime")) {
        GDateTime *now = g_date_time_new_now_local();

        offset = g_date_time_get_utc_offset(now) / G_TIME_SPAN_SECOND;
        g_date_time_unref(now);
    } else if (base && strcmp(base, "utc")) {
        struct tm tm = { 0 };
        int n = sscanf(base, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                       &tm.tm_min, &tm.tm_sec);
        GDateTime *check;
        bool valid;

        if (n != 3 && n != 6) {
            opts_error_exit(opts, "invalid datetime format");
        }
        check = g_date_time_new_utc(tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min,
                                    tm.tm_sec);
        valid = check && tm.tm_year >= 1900;
        g_clear_pointer(&check, g_date_time_unref);
        if (!valid) {
            opts_error_exit(opts, "invalid date");
        }
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        offset = (int64_t)mktimegm(&tm) - (int64_t)time(NULL);
    }
    qemu_opts_free(opts);
    loc_clear();
    return offset;
}

/* The accelerators this binary has, as -accel help lists them. */
static const char *const accels_built[] = {
#ifdef CONFIG_KVM
    "kvm",
#endif
    "tcg",
    "qtest",
};

/*
 * The -accel being tried: its checks exit from inside accel_try() and what
 * they exit with stays reachable, as QEMU keeps its option lists; a
 * qemu_cmdline_check() that ended in an error leaves it to qemu_cmdline_reset().
 */
static QemuOpts *accel_opts;

/* name's entry in accels_built, or NULL when this binary lacks it. */
static const char *accel_built(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(accels_built); i++) {
        if (!strcmp(name, accels_built[i])) {
            return accels_built[i];
        }
    }
    return NULL;
}

/*
 * -accel NAME[,prop=value]: kept for choose_accel(); the syntax is checked
 * now, and a missing name or "help" lists the accelerators, as QEMU does
 * while it reads the options.
 */
static void accel_option(Config *c, const char *arg)
{
    QemuOpts *opts = parse_opts_or_exit(arg, "accel");
    const char *name = qemu_opt_get(opts, "accel");
    bool help = !name || is_help(name);

    qemu_opts_free(opts);
    if (help) {
        printf("Accelerators supported in QEMU binary:\n");
        for (size_t i = 0; i < G_N_ELEMENTS(accels_built); i++) {
            printf("%s\n", accels_built[i]);
        }
        error_exit_status(0);
    }
    g_ptr_array_add(c->accels, (gpointer)arg);
}

/* tcg's properties (fatal when bad); true: tcg is ready. */
static bool accel_tcg_configure(QemuOpts *opts)
{
    const char *thread = opts ? qemu_opt_get(opts, "thread") : NULL;

    if (!opts) {
        return true;
    }
    /* tcg's tuning properties are accepted; thread must be valid. */
    qemu_opt_get(opts, "tb-size");
    qemu_opt_get(opts, "split-wx");
    qemu_opt_get(opts, "one-insn-per-tb");
    {
        /* Ours: x-jit=off interprets every block (host code by default). */
        bool jit;
        g_autofree char *err = NULL;

        if (!qemu_opt_get_bool(opts, "x-jit", true, &jit, &err)) {
            error_exit("%s", err);
        }
        ppc_cpu_set_jit(jit);
    }
    {
        /* Ours: x-jit-after=N compiles a block at its Nth run (1: when translated). */
        const char *after = qemu_opt_get(opts, "x-jit-after");

        if (after) {
            char *end;
            unsigned long n;

            errno = 0;
            n = strtoul(after, &end, 10);
            if (!g_ascii_isdigit(*after) || *end || errno || n < 1 || n > PPC_JIT_AFTER_MAX) {
                error_exit("Parameter 'x-jit-after' expects a number of runs from 1 to %d",
                           PPC_JIT_AFTER_MAX);
            }
            ppc_cpu_set_jit_after((unsigned)n);
        }
    }
    if (thread && strcmp(thread, "single") && strcmp(thread, "multi")) {
        error_exit("Invalid 'thread' setting %s", thread);
    }
    if (thread) {
        bool single = !strcmp(thread, "single");

        if (!single && icount_enabled()) {
            error_exit("No MTTCG when icount is enabled");
        }
        cpus_set_single_thread(single);
    }
    return true;
}

#ifdef CONFIG_KVM
static bool accel_kvm_configure(QemuOpts *opts)
{
    for (guint i = 0; opts && i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);
        g_autofree char *err = NULL;

        if (!strcmp(o->name, "accel")) {
            continue;
        }
        if (!kvm_accel_set_property(o->name, o->value, &err)) {
            if (err) {
                error_exit("%s", err);
            }
            continue; /* not kvm's: reported as unused below */
        }
        qemu_opt_get(opts, o->name);
    }
    return kvm_accel_init();
}
#endif

/*
 * Try one accelerator (opts: its -accel properties, or NULL when it comes
 * from -machine accel=).  Property errors are fatal; false when the
 * accelerator exists but cannot run here.
 */
static bool accel_try(const char *name, QemuOpts *opts)
{
    bool ok = false;

    if (!strcmp(name, "tcg")) {
        ok = accel_tcg_configure(opts);
    } else if (!strcmp(name, "qtest")) {
        ok = true;
#ifdef CONFIG_KVM
    } else if (!strcmp(name, "kvm")) {
        ok = accel_kvm_configure(opts);
#endif
    }
    if (opts && qemu_opts_first_unused(opts)) {
        error_exit("Property '%s-accel.%s' not found", name, qemu_opts_first_unused(opts));
    }
    return ok;
}

/*
 * Pick the accelerator as QEMU 7.2 does: either -accel options (tried in
 * order) or -machine accel= (a ':'-separated list; -enable-kvm is
 * accel=kvm), never both; by default tcg, or qtest under -qtest.  Names
 * this binary lacks (kvm on a host that is not ppc64, hvf, xen...) print
 * "invalid accelerator NAME" and the next is tried; the first that starts
 * wins, with "falling back to NAME" when an earlier one failed.
 */
static void choose_accel(Config *c)
{
    const char *m_accel = c->machine ? qemu_opt_get(c->machine, "accel") : NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    bool init_failed = false;
    const char *chosen = NULL;

    if (m_accel && c->accels->len) {
        error_exit("The -accel and \"-machine accel=\" options are incompatible");
    }
    if (m_accel) {
        g_auto(GStrv) list = g_strsplit(m_accel, ":", -1);

        /* Unknown names are dropped first, each with its message. */
        for (char **p = list; *p; p++) {
            if (accel_built(*p)) {
                g_ptr_array_add(names, g_strdup(*p));
            } else {
                error_report("invalid accelerator %s", *p);
                init_failed = true;
            }
        }
    } else if (!c->accels->len) {
        g_ptr_array_add(names, g_strdup(c->qtest ? "qtest" : "tcg"));
    }

    for (guint i = 0; i < c->accels->len && !chosen; i++) {
        const char *arg = g_ptr_array_index(c->accels, i);
        QemuOpts *opts;
        const char *name;

        loc_set_cmdline("-accel", arg);
        qemu_opts_free(accel_opts);
        accel_opts = opts = parse_opts_or_exit(arg, "accel");
        name = qemu_opt_get(opts, "accel");
        if (!accel_built(name)) {
            init_failed = true;
            /* QEMU says nothing of kvm under -qtest. */
            if (strcmp(name, "kvm") || !c->qtest) {
                error_report("invalid accelerator %s", name);
            }
        } else if (accel_try(name, opts)) {
            chosen = accel_built(name);
        } else {
            init_failed = true;
        }
        g_clear_pointer(&accel_opts, qemu_opts_free);
        loc_clear();
    }
    for (guint i = 0; i < names->len && !chosen; i++) {
        const char *name = g_ptr_array_index(names, i);

        if (accel_try(name, NULL)) {
            chosen = accel_built(name);
        } else {
            init_failed = true;
        }
    }
    if (!chosen) {
        if (!init_failed) {
            error_report("no accelerator found");
        }
        error_exit_status(1);
    }
    if (init_failed && !c->qtest) {
        error_report("falling back to %s", chosen);
    }
    qtest_set_enabled(!strcmp(chosen, "qtest") || c->qtest);
}

/* -device help, -device TYPE,help (help anywhere in the list, or "?"). */
static bool device_wants_help(const char *arg)
{
    g_autofree char *err = NULL;
    QemuOpts *opts = arg[0] == '{' ? NULL : qemu_opts_parse(arg, "driver", &err);
    bool help = opts && opts_want_help(opts);

    qemu_opts_free(opts);
    return help;
}

/* -device help or TYPE,help: 0, also when the type does not exist (as QEMU 7.2). */
static int print_device_help(const char *arg)
{
    g_autofree char *perr = NULL;
    QemuOpts *opts = qemu_opts_parse(arg, "driver", &perr);
    const char *driver = qemu_opt_get(opts, "driver");
    Error *err = NULL;

    if (!driver || is_help(driver)) {
        qdev_list_types(stdout);
    } else if (!qdev_print_type_props(driver, stdout, &err)) {
        /*
         * QEMU words it differently here than for -device without help, and
         * still exits with status 0.
         */
        error_free(err);
        error_report("Device '%s' not found", driver);
    }
    qemu_opts_free(opts);
    return 0;
}

/* Everything of the parse is freed before exit() (LeakSanitizer checks at exit). */
static void print_device_help_and_exit(const char *arg)
{
    error_exit_status(print_device_help(arg));
}

/* Handle every "help" request before anything is created. */
static void handle_help_requests(Config *c)
{
    if (c->list_data_dirs) {
        qemu_list_data_dirs(stdout);
        error_exit_status(0);
    }
    if (c->cpu && is_help(c->cpu)) {
        ppc_cpu_list(stdout);
        error_exit_status(0);
    }
    for (guint i = 0; i < c->devices->len; i++) {
        const char *arg = g_ptr_array_index(c->devices, i);

        if (device_wants_help(arg)) {
            loc_set_cmdline("-device", arg);
            print_device_help_and_exit(arg);
        }
    }
    if (c->log_items) {
        bool help;

        loc_set_cmdline("-d", c->log_items);
        qemu_loglevel = qemu_log_parse_items(c->log_items, &help);
        if (help) {
            qemu_log_print_items(stdout);
            error_exit_status(0);
        }
        if (qemu_loglevel < 0) {
            error_exit("Invalid -d option \"%s\"", c->log_items);
        }
        loc_clear();
    }
}

/*
 * Find the board of the machine type and let it parse its properties, once:
 * mo gets the versioned type and the parsed properties.
 */
static const MachineClassOps *check_machine(Config *c, MachineOptions *mo)
{
    const char *name;
    const MachineClassOps *ops;
    char *err = NULL;

    if (!c->machine) {
        c->machine = parse_opts_or_exit("", "type");
    }
    name = qemu_opt_get(c->machine, "type");
    ops = machine_find(name ? name : machine_default_type(), &mo->type);
    if (!ops) {
        /* QEMU 7.2's two lines: the error and its hint. */
        error_exit("unsupported machine type\nUse -machine help to list supported machines");
    }
    mo->props = ops->parse_props(mo->type, c->machine, &err);
    if (!mo->props) {
        error_exit("%s", err);
    }
    return ops;
}

static Chardev *new_chardev_or_exit(const char *opt, const char *label, const char *spec)
{
    char *err = NULL;
    Chardev *chr;

    loc_set_cmdline(opt, spec);
    chr = qemu_chr_new(label, spec, &err);
    if (!chr) {
        error_exit("%s", err);
    }
    loc_clear();
    return chr;
}

/* The chardev of monitor spec i (of c->qmps), or NULL for "chardev:ID" (found later). */
static Chardev *monitor_chardev(Config *c, guint i)
{
    const char *arg = g_ptr_array_index(c->qmps, i);
    const char *opt = arg[0] == '1' ? "-qmp-pretty" : arg[0] == 'h' ? "-monitor" : "-qmp";
    g_autofree char *label = g_strdup_printf("compat_monitor%u", i);

    if (g_str_has_prefix(arg + 1, "chardev:")) {
        return NULL;
    }
    return new_chardev_or_exit(opt, label, arg + 1);
}

static void create_chardevs(Config *c)
{
    for (guint i = 0; i <= c->chardevs->len; i++) {
        const char *arg;
        char *err = NULL;
        QemuOpts *opts;

        /* The monitors' chardevs given before this -chardev. */
        while (c->qmp_chrs->len < c->qmps->len &&
               g_array_index(c->qmp_pos, guint, c->qmp_chrs->len) <= i) {
            g_ptr_array_add(c->qmp_chrs, monitor_chardev(c, c->qmp_chrs->len));
        }
        if (i == c->chardevs->len) {
            break;
        }
        arg = g_ptr_array_index(c->chardevs, i);

        loc_set_cmdline("-chardev", arg);
        opts = parse_opts_or_exit(arg, "backend");
        if (!qemu_chr_new_from_opts(opts, &err)) {
            opts_error_exit(opts, "%s", err);
        }
        qemu_opts_free(opts);
        loc_clear();
    }
}

/*
 * -serial specs, or the default console: mon:stdio with -nographic.  A
 * machine without serial ports (-M none) gets none; -nographic then puts the
 * human monitor alone on stdio, as QEMU 7.2 does.
 */
static GPtrArray *create_serials(Config *c, bool no_serial)
{
    GPtrArray *chrs = g_ptr_array_new();

    if (!c->serials->len && !c->nodefaults && no_serial) {
        if (c->nographic && !c->monitor_given) {
            g_ptr_array_add(c->qmps, g_strdup("hstdio"));
        }
    } else if (!c->serials->len && !c->nodefaults) {
        /* With a monitor given, -nographic's console is stdio alone, as QEMU 7.2's. */
        g_ptr_array_add(c->serials, !c->nographic      ? (gpointer) "vc:80Cx24C"
                                    : c->monitor_given ? (gpointer) "stdio"
                                                       : (gpointer) "mon:stdio");
    }
    for (guint i = 0; i < c->serials->len; i++) {
        const char *spec = g_ptr_array_index(c->serials, i);
        g_autofree char *label = g_strdup_printf("serial%u", i);
        char *err = NULL;

        if (!strcmp(spec, "none")) {
            continue;
        }
        g_ptr_array_add(chrs, new_chardev_or_exit("-serial", label, spec));
        /* "mon:": the human monitor shares the mux (C-a c switches), as in QEMU. */
        if (g_str_has_prefix(spec, "mon:") &&
            !monitor_init_hmp(g_ptr_array_index(chrs, chrs->len - 1), &err)) {
            error_exit("%s", err);
        }
    }
    return chrs;
}

static void create_monitors(Config *c)
{
    for (guint i = 0; i < c->qmps->len; i++) {
        const char *arg = g_ptr_array_index(c->qmps, i);
        g_autofree char *label = g_strdup_printf("compat_monitor%u", i);
        const char *opt = arg[0] == '1' ? "-qmp-pretty" : arg[0] == 'h' ? "-monitor" : "-qmp";
        Chardev *chr = i < c->qmp_chrs->len ? g_ptr_array_index(c->qmp_chrs, i) : NULL;
        char *err = NULL;

        if (!chr) {
            chr = new_chardev_or_exit(opt, label, arg + 1);
        }

        loc_set_cmdline(opt, arg + 1);
        if (arg[0] == 'h' ? !monitor_init_hmp(chr, &err)
                          : !monitor_init_qmp(chr, arg[0] == '1', &err)) {
            error_exit("%s", err);
        }
        loc_clear();
    }
    for (guint i = 0; i < c->mons->len; i++) {
        MonSpec *m = g_ptr_array_index(c->mons, i);
        char *err = NULL;
        Chardev *chr = qemu_chr_find(m->chardev);

        loc_set_cmdline("-mon", m->arg);
        if (!chr) {
            error_exit("chardev \"%s\" not found", m->chardev);
        }
        if (m->hmp ? !monitor_init_hmp(chr, &err) : !monitor_init_qmp(chr, m->pretty, &err)) {
            error_exit("%s", err);
        }
        loc_clear();
    }
}

/* -mon chardev=ID,mode=control[,pretty=on]: checked before anything starts. */
static void check_monitors(Config *c)
{
    for (guint i = 0; i < c->mon_args->len; i++) {
        const char *arg = g_ptr_array_index(c->mon_args, i);
        /* Listed at once: an error below exits with it reachable from c. */
        MonSpec *m = g_new0(MonSpec, 1);
        const char *mode;
        char *err = NULL;
        QemuOpts *opts;

        loc_set_cmdline("-mon", arg);
        opts = parse_opts_or_exit(arg, "chardev");
        g_ptr_array_add(c->mons, m);
        m->arg = arg;
        m->chardev = g_strdup(qemu_opt_get(opts, "chardev"));
        mode = qemu_opt_get(opts, "mode");
        if (!m->chardev) {
            opts_error_exit(opts, "Parameter 'chardev' is missing");
        }
        if (mode && strcmp(mode, "control") && strcmp(mode, "readline")) {
            opts_error_exit(opts, "Parameter 'mode' does not accept value '%s'", mode);
        }
        m->hmp = !mode || !strcmp(mode, "readline");
        if (!qemu_opt_get_bool(opts, "pretty", false, &m->pretty, &err)) {
            opts_error_exit(opts, "%s", err);
        }
        if (m->hmp && m->pretty) {
            opts_error_exit(opts, "'pretty' is not compatible with HMP monitors");
        }
        qemu_opt_get(opts, "id");
        if (qemu_opts_first_unused(opts)) {
            opts_error_exit(opts, "Invalid parameter '%s'", qemu_opts_first_unused(opts));
        }
        qemu_opts_free(opts);
        loc_clear();
    }
}

/* -device, in command-line order, after the board's own devices. */
static void add_devices(Config *c)
{
    for (guint i = 0; i < c->devices->len; i++) {
        const char *arg = g_ptr_array_index(c->devices, i);
        Error *err = NULL;

        loc_set_cmdline("-device", arg);
        if (!qdev_device_add_str(arg, &err)) {
            error_report_err(err);
            exit(1);
        }
        loc_clear();
    }
}

static char *pidfile_path;

static void remove_pidfile(void)
{
    if (pidfile_path) {
        unlink(pidfile_path);
    }
}

static void write_pidfile(const char *path)
{
    g_autofree char *pid = g_strdup_printf("%d\n", (int)getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

    if (fd < 0 || write(fd, pid, strlen(pid)) != (ssize_t)strlen(pid)) {
        loc_set_cmdline("-pidfile", path);
        error_exit("cannot create PID file: %s", g_strerror(errno));
    }
    close(fd);
    pidfile_path = g_strdup(path);
    atexit(remove_pidfile);
}

/*
 * -daemonize: the parent waits until the child has finished start-up (so
 * errors still reach the user with exit status 1), then exits 0.
 */
static int daemon_pipe = -1;

static void daemonize_start(void)
{
    int fds[2];
    pid_t pid;

    if (pipe(fds) < 0) {
        error_exit("cannot daemonize: %s", g_strerror(errno));
    }
    pid = fork();
    if (pid < 0) {
        error_exit("cannot daemonize: %s", g_strerror(errno));
    }
    if (pid > 0) {
        char status = 1;

        close(fds[1]);
        if (read(fds[0], &status, 1) != 1) {
            status = 1;
        }
        _exit(status);
    }
    close(fds[0]);
    daemon_pipe = fds[1];
    setsid();
}

static void daemonize_done(void)
{
    char ok = 0;
    int null_fd;

    if (daemon_pipe < 0) {
        return;
    }
    null_fd = open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
        dup2(null_fd, STDIN_FILENO);
        dup2(null_fd, STDOUT_FILENO);
        dup2(null_fd, STDERR_FILENO);
        close(null_fd);
    }
    if (write(daemon_pipe, &ok, 1) != 1) {
        /* The parent is gone: nothing to tell. */
    }
    close(daemon_pipe);
    daemon_pipe = -1;
}

static void config_init(Config *c)
{
    memset(c, 0, sizeof(*c));
    c->accels = g_ptr_array_new();
    c->chardevs = g_ptr_array_new();
    c->serials = g_ptr_array_new();
    c->devices = g_ptr_array_new();
    c->device_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    c->qmps = g_ptr_array_new_with_free_func(g_free);
    c->qmp_pos = g_array_new(false, false, sizeof(guint));
    c->qmp_chrs = g_ptr_array_new();
    c->mon_args = g_ptr_array_new();
    c->mons = g_ptr_array_new();
    c->numas = g_ptr_array_new();
    c->sandboxes = g_ptr_array_new();
}

/* What building the machine needs: at start, or at x-exit-preconfig. */
static struct {
    Config *c;
    MachineOptions *mo;
    const MachineClassOps *board;
    bool ram_backend;
    MachineState *machine;
} build;

/*
 * The machine runs: vCPU threads, gdbstub, -loadvm, then -incoming or the
 * start (QEMU 7.2 does this inside x-exit-preconfig: RESUME precedes its reply).
 */
static void start_machine(Config *c)
{
    if (build.machine->ops->cpus_start && !qtest_enabled()) {
        build.machine->ops->cpus_start(build.machine);
    }
    if (c->gdb) {
        g_autofree char *err = NULL;

        loc_set_cmdline("-gdb", c->gdb);
        if (!gdbserver_start(c->gdb, &err)) {
            error_exit("%s", err);
        }
        loc_clear();
    }
    if (c->loadvm) {
        /* As QEMU 7.2: the snapshot is loaded, then the VM starts unless -S. */
        Error *lerr = NULL;

        if (!snapshot_load(c->loadvm, NULL, NULL, &lerr)) {
            error_report_err(lerr);
            exit(1);
        }
    }
    if (c->incoming) {
        /* Stopped in inmigrate; runs (or pauses with -S) once the stream is in. */
        migration_incoming_setup(build.machine, c->incoming, !c->start_stopped);
    } else if (!c->start_stopped) {
        vm_start();
    } else {
        vm_stop(RUN_STATE_PRELAUNCH);
    }
}

static void build_machine(void)
{
    Config *c = build.c;
    MachineOptions *mo = build.mo;

    if (c->preconfig) {
        /* With set-numa-node's additions. */
        numa_configure(c->numas, mo, machine_type_info(mo->type), build.ram_backend);
    }
    mo->cpu_model = c->cpu;
    mo->bios = c->bios;
    mo->kernel = c->kernel;
    mo->initrd = c->initrd;
    mo->append = c->append;
    mo->boot = &c->boot;
    build.machine = machine_create(build.board, mo);
    /* The board made its consoles: the list (in main's frame) would outlive it. */
    if (mo->serials) {
        g_ptr_array_free(mo->serials, true);
        mo->serials = NULL;
    }
    add_devices(c);
    virtio_blk_add_drives();
    net_check_clients();
    drive_check_orphaned();
    qemu_system_reset(SHUTDOWN_CAUSE_NONE);
    if (c->preconfig) {
        start_machine(c);
    }
}

/* Each -sandbox in command-line order (a second filter adds its denials). */
static void apply_sandboxes(Config *c)
{
    for (guint i = 0; i < c->sandboxes->len; i++) {
        const char *arg = g_ptr_array_index(c->sandboxes, i);
        char *err = NULL;
        QemuOpts *opts = sandbox_parse(arg, &err); /* checked when read */

        loc_set_cmdline("-sandbox", arg);
        if (!opts || !sandbox_apply(opts, &err)) {
            opts_error_exit(opts, "%s", err);
        }
        loc_clear();
        qemu_opts_free(opts);
    }
}

/* The options read and checked one by one; help requests answered (and exit). */
static void read_options(Config *c, int argc, char **argv)
{
    config_init(c);
    module_call_init(); /* -machine help is answered while the options are read */
    parse_command_line(c, argc, argv);
    handle_help_requests(c);
}

/* -icount, then the accelerator (QEMU 7.2's order, before -object). */
static void configure_accel(Config *c)
{
    if (c->icount) {
        loc_set_cmdline("-icount", c->icount);
        icount_configure(c->icount);
        loc_clear();
    }
    choose_accel(c);
    if (icount_enabled()) {
        /* One thread runs the vCPUs in turn, slices counted in instructions. */
        cpus_set_single_thread(true);
    }
}

/*
 * What the options say about the machine, checked before anything starts:
 * the board and its properties, -m, -smp, -numa, -rtc, -mon, -name (mo gets
 * them).  ram_backend: -machine memory-backend=, applied only when the
 * -object options were created (objects).
 */
static const MachineClassOps *check_options(Config *c, MachineOptions *mo, const char *ram_backend,
                                            bool objects)
{
    const MachineClassOps *board = check_machine(c, mo);
    Error *err2 = NULL;
    char *err = NULL;

    if (!c->nodefaults && strcmp(mo->type, "none")) {
        drive_add_default_cdrom(c->devices);
    }
    if (!c->nodefaults && !c->net_given) {
        net_option_default();
    }
    parse_memory(c, mo);
    if (ram_backend && objects &&
        !machine_memory_backend_apply(ram_backend, c->mem != NULL, mo, &err2)) {
        error_report_err(err2);
        exit(1);
    }
    parse_smp(c, mo, machine_type_info(mo->type));
    if (!c->preconfig) {
        numa_configure(c->numas, mo, machine_type_info(mo->type), ram_backend != NULL);
    }
    mo->rtc_offset = parse_rtc(c->rtc);
    check_monitors(c);
    if (c->name) {
        QemuOpts *opts;
        bool threads;

        loc_set_cmdline("-name", c->name);
        opts = parse_opts_or_exit(c->name, "guest");
        if (!qemu_opt_get_bool(opts, "debug-threads", false, &threads, &err)) {
            opts_error_exit(opts, "%s", err);
        }
        qemu_opt_get(opts, "process");
        qmp_set_vm_name(qemu_opt_get(opts, "guest"));
        if (qemu_opts_first_unused(opts)) {
            opts_error_exit(opts, "Invalid parameter '%s'", qemu_opts_first_unused(opts));
        }
        qemu_opts_free(opts);
        loc_clear();
    }
    return board;
}

/* The options of a qemu_cmdline_check() (freed by qemu_cmdline_reset()). */
static Config check_config;
static MachineOptions check_mo;
static char *check_ram_backend;

void qemu_cmdline_check(int argc, char **argv)
{
    qemu_cmdline_reset();
    read_options(&check_config, argc, argv);
    configure_accel(&check_config);
    check_ram_backend = machine_take_memory_backend(check_config.machine);
    check_options(&check_config, &check_mo, check_ram_backend, false);
}

static void config_free(Config *c)
{
    qemu_opts_free(c->machine);
    qemu_opts_free(c->smp);
    g_free(c->boot.order);
    g_free(c->boot.once);
    g_clear_pointer(&c->accels, g_ptr_array_unref);
    g_clear_pointer(&c->chardevs, g_ptr_array_unref);
    g_clear_pointer(&c->serials, g_ptr_array_unref);
    g_clear_pointer(&c->devices, g_ptr_array_unref);
    g_clear_pointer(&c->device_ids, g_hash_table_unref);
    g_clear_pointer(&c->qmps, g_ptr_array_unref);
    g_clear_pointer(&c->qmp_pos, g_array_unref);
    g_clear_pointer(&c->qmp_chrs, g_ptr_array_unref);
    g_clear_pointer(&c->mon_args, g_ptr_array_unref);
    for (guint i = 0; c->mons && i < c->mons->len; i++) {
        MonSpec *m = g_ptr_array_index(c->mons, i);

        g_free(m->chardev);
        g_free(m);
    }
    g_clear_pointer(&c->mons, g_ptr_array_unref);
    g_clear_pointer(&c->numas, g_ptr_array_unref);
    g_clear_pointer(&c->sandboxes, g_ptr_array_unref);
    memset(c, 0, sizeof(*c));
}

void qemu_cmdline_reset(void)
{
    loc_clear();
    config_free(&check_config);
    g_clear_pointer(&accel_opts, qemu_opts_free);
    if (check_mo.props) {
        const char *type;

        machine_find(check_mo.type, &type)->free_props(check_mo.props);
    }
    memset(&check_mo, 0, sizeof(check_mo));
    g_clear_pointer(&check_ram_backend, g_free);
    drive_cleanup();
    blockdev_del_all();
    drive_set_snapshot_default(false);
    blk_start_inactive_cancel();
    net_options_reset();
    object_option_reset();
    qdev_global_clear();
    prom_env_clear();
    runstate_reset_actions();
    qemu_data_dirs_clear();
    icount_reset();
    numa_reset();
    qemu_chr_mux_set_escape(0x01);
    qemu_loglevel = 0;
    g_clear_pointer((char **)&qemu_uuid, g_free);
    g_clear_pointer((char **)&qemu_name, g_free);
    qmp_set_vm_name(NULL);
}

int qemu_main(int argc, char **argv)
{
    g_autofree char *prog = g_path_get_basename(argv[0]);
    /*
     * Static: the options live as long as the process, and a guest power-off
     * exits after qemu_main has returned, when its frame is gone.
     */
    static Config c;
    MachineOptions mo = { 0 };
    const MachineClassOps *board;
    char *err = NULL;
    Error *err2 = NULL;
    g_autofree char *ram_backend = NULL;
    int status;

    g_set_prgname(prog);
    read_options(&c, argc, argv);
    /* As QEMU 7.2: the filter is on before -D, -daemonize and any thread. */
    apply_sandboxes(&c);
    if (c.log_file && !qemu_log_set_file(c.log_file)) {
        loc_set_cmdline("-D", c.log_file);
        error_exit("cannot open log file: %s", g_strerror(errno));
    }
    configure_accel(&c);
    /* QEMU creates -object after the accelerator: no option location in its errors. */
    if (!object_option_create_all(&err2)) {
        error_report_err(err2);
        exit(1);
    }
    ram_backend = machine_take_memory_backend(c.machine);
    board = check_options(&c, &mo, ram_backend, true);
    if (c.daemonize) {
        daemonize_start();
    }

    main_loop_init();
    if (qtest_enabled()) {
        qemu_clock_virtual_set_manual(true);
    }
    create_chardevs(&c);
    mo.serials = create_serials(&c, !strcmp(mo.type, "none"));
    net_init_clients();

    /* As QEMU 7.2's late backends: before the machine, so it serves --preconfig too. */
    if (c.qtest) {
        loc_set_cmdline("-qtest", c.qtest);
        if (!qtest_server_init(c.qtest, c.qtest_log, &err)) {
            error_exit("%s", err);
        }
        loc_clear();
    }
    build.c = &c;
    build.mo = &mo;
    build.board = board;
    build.ram_backend = ram_backend != NULL;
    if (c.preconfig) {
        preconfig_set_cpu_slots(c.cpu, &mo);
        create_monitors(&c);
        if (!preconfig_run(build_machine, c.numas, &status)) {
            /* quit before x-exit-preconfig: the machine's properties were never used. */
            if (!build.machine) {
                board->free_props(mo.props);
            }
            qemu_chr_cleanup_all();
            return status;
        }
    } else {
        /* As QEMU 7.2: the monitors (QMP greeting, HMP banner) before the machine. */
        create_monitors(&c);
        build_machine();
        start_machine(&c);
    }
    if (c.pidfile) {
        write_pidfile(c.pidfile);
    }
    daemonize_done();

    status = main_loop_run();
    /* QEMU 7.2 tells GDB the process exited with status 0, whatever the status. */
    gdb_exit(0);
    drive_flush_all();
    qemu_chr_cleanup_all();
    return status;
}
