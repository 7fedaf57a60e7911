/*
 * User-creatable objects: -object and QMP object-add/object-del.  The schema's
 * ObjectOptions union (qapi/qom.json) types every property; the keyval form of
 * -object is converted to JSON through it, so both forms are checked alike.
 */
#include "qom/user-creatable.h"
#include "exec/guest-memory.h"
#include "qemu/fdset.h"
#include "qapi/qapi-commands.h"
#include "qemu/error-report.h"
#include "qemu/option.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef struct UserObject {
    char *id;
    char *type;
    HostMemoryBackend mem; /* memory-backend-* */
    char *secret;          /* secret: the decoded value */
    size_t secret_len;
    int fd;           /* rng-random: the entropy source */
    JsonObject *args; /* the properties it was created with (qom-get) */
    /* iothread */
    int64_t poll_max_ns, poll_grow, poll_shrink, aio_max_batch;
    GMainContext *ctx; /* the iothread's event loop, run by its own thread */
    GMainLoop *loop;
    GThread *thread;
    int tid;
    /* QEMU creates -object memory-backend-* after the others ("late"). */
    bool cmdline, late;
} UserObject;

static bool creating_cmdline; /* object_option_create_all() is running */

static GPtrArray *objects; /* of UserObject *, creation order */
/* For QEMU's /objects order: "0id"/"1id" (early/late -object), then "+id"/"-id" at run time. */
static GPtrArray *boot_log, *run_log;
static GPtrArray *pending;      /* of JsonObject *: parsed -object, not created yet */
static GHashTable *pending_ids; /* ids of pending, for "Duplicate ID" at parse time */

static UserObject *object_find(const char *id)
{
    for (guint i = 0; objects && i < objects->len; i++) {
        UserObject *o = g_ptr_array_index(objects, i);

        if (!strcmp(o->id, id)) {
            return o;
        }
    }
    return NULL;
}

/*
 * An iothread: a thread of its own running an event loop (QEMU runs the
 * devices' I/O it is given there); its id is what query-iothreads shows.
 */
static gpointer iothread_run(gpointer opaque)
{
    UserObject *o = opaque;

    g_main_context_push_thread_default(o->ctx);
    g_atomic_int_set(&o->tid, (int)syscall(SYS_gettid));
    g_main_loop_run(o->loop);
    g_main_context_pop_thread_default(o->ctx);
    return NULL;
}

static void iothread_start(UserObject *o)
{
    o->ctx = g_main_context_new();
    o->loop = g_main_loop_new(o->ctx, false);
    o->thread = g_thread_new(o->id, iothread_run, o);
    while (!g_atomic_int_get(&o->tid)) {
        g_usleep(100);
    }
}

static void iothread_stop(UserObject *o)
{
    if (!o->thread) {
        return;
    }
    g_main_loop_quit(o->loop);
    g_main_context_wakeup(o->ctx);
    g_thread_join(o->thread);
    g_main_loop_unref(o->loop);
    g_main_context_unref(o->ctx);
    o->thread = NULL;
}

int iothread_thread_id(const char *id)
{
    UserObject *o = object_find(id);

    return o && o->thread ? o->tid : -1;
}

static void object_free(UserObject *o)
{
    iothread_stop(o);
    if (o->mem.host) {
        guest_ram_release(o->mem.host, o->mem.size);
    }
    if (o->mem.fd >= 0) {
        close(o->mem.fd);
    }
    if (o->fd >= 0) {
        close(o->fd);
    }
    if (o->secret) {
        memset(o->secret, 0, o->secret_len);
    }
    g_free(o->secret);
    if (o->args) {
        json_object_unref(o->args);
    }
    g_free(o->id);
    g_free(o->type);
    g_free(o);
}

/* ---- The property types, from the schema ----------------------------------- */

static const QapiType *object_options_type(void)
{
    return qmp_command_find("object-add")->arg_type;
}

static const QapiType *variant_type(const char *qom_type)
{
    const QapiType *t = object_options_type();

    for (unsigned i = 0; i < t->n_variants; i++) {
        if (!strcmp(t->variants[i].value, qom_type)) {
            return t->variants[i].type;
        }
    }
    return NULL;
}

static const QapiMember *member_find(const QapiType *t, const char *name)
{
    for (unsigned i = 0; t && i < t->n_members; i++) {
        if (!strcmp(t->members[i].name, name)) {
            return &t->members[i];
        }
    }
    return NULL;
}

static bool validate(JsonObject *obj, Error **errp)
{
    QmpError qerr = { 0 };

    if (!qapi_validate_object(object_options_type(), obj, &qerr)) {
        error_setg(errp, "%s", qerr.desc);
        g_free(qerr.desc);
        return false;
    }
    return true;
}

/* QEMU's identifier rule: a letter, then letters, digits, '-', '.', '_'. */
static bool id_wellformed(const char *id)
{
    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *p = id + 1; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

static bool check_id(const char *id, Error **errp)
{
    if (!id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        error_append_hint(errp, "Identifiers consist of letters, digits, '-', '.', '_', "
                                "starting with a letter.\n");
        return false;
    }
    return true;
}

/*
 * One keyval value as the member's type wants it, with the messages of
 * QEMU's keyval input visitor.
 */
static bool keyval_member(JsonObject *obj, const QapiMember *m, const char *val, Error **errp)
{
    uint64_t n;
    bool b;

    switch (m->type->kind) {
    case QAPI_KIND_BOOL:
        if (!qemu_parse_bool(val, &b)) {
            error_setg(errp, "Parameter '%s' expects 'on' or 'off'", m->name);
            return false;
        }
        json_object_set_boolean_member(obj, m->name, b);
        return true;
    case QAPI_KIND_SIZE:
        if (!qemu_strtosz(val, 1, &n)) {
            error_setg(errp, "Parameter '%s' expects a size value", m->name);
            return false;
        }
        json_object_set_int_member(obj, m->name, (int64_t)n);
        return true;
    case QAPI_KIND_INT:
    case QAPI_KIND_UINT32: {
        bool neg = val[0] == '-';

        if (!qemu_strtou64(neg ? val + 1 : val, &n) || n > INT64_MAX ||
            (m->type->kind == QAPI_KIND_UINT32 && (neg || n > UINT32_MAX))) {
            error_setg(errp, "Parameter '%s' expects %s", m->name,
                       m->type->kind == QAPI_KIND_INT ? "an int64 value" : "uint32_t");
            return false;
        }
        json_object_set_int_member(obj, m->name, neg ? -(int64_t)n : (int64_t)n);
        return true;
    }
    case QAPI_KIND_STR:
    case QAPI_KIND_ENUM:
        json_object_set_string_member(obj, m->name, val);
        return true;
    default:
        error_setg(errp, "Parameter '%s' is not supported in this form", m->name);
        return false;
    }
}

/* "TYPE,id=ID,key=val,...": the JSON object the schema checks. */
static JsonObject *keyval_to_json(const char *arg, Error **errp)
{
    g_autofree char *perr = NULL;
    QemuOpts *opts = qemu_opts_parse(arg, "qom-type", &perr);
    const QapiType *base = object_options_type();
    const QapiType *vt;
    g_autoptr(JsonObject) obj = json_object_new();
    const char *type;
    const char *unknown = NULL;

    if (!opts) {
        error_setg(errp, "%s", perr);
        return NULL;
    }
    type = qemu_opt_get(opts, "qom-type");
    vt = type ? variant_type(type) : NULL;
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);
        const QapiMember *m = member_find(base, opt->name);

        if (!m) {
            m = member_find(vt, opt->name);
        }
        if (!m) {
            unknown = unknown ? unknown : opt->name;
            continue;
        }
        if (!keyval_member(obj, m, opt->value, errp)) {
            qemu_opts_free(opts);
            return NULL;
        }
    }
    /* The keyval visitor reports leftovers only once the known members passed. */
    if (!validate(obj, errp)) {
        qemu_opts_free(opts);
        return NULL;
    }
    if (unknown) {
        error_setg(errp, "Invalid parameter '%s'", unknown);
        qemu_opts_free(opts);
        return NULL;
    }
    qemu_opts_free(opts);
    return g_steal_pointer(&obj);
}

static JsonObject *json_arg(const char *arg, Error **errp)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) gerr = NULL;
    JsonNode *root;

    if (!json_parser_load_from_data(parser, arg, -1, &gerr)) {
        error_setg(errp, "%s", gerr->message);
        return NULL;
    }
    root = json_parser_get_root(parser);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
        error_setg(errp, "Invalid parameter type, expected: object");
        return NULL;
    }
    if (!validate(json_node_get_object(root), errp)) {
        return NULL;
    }
    return json_object_ref(json_node_get_object(root));
}

/* ---- -object help --------------------------------------------------------- */

static const char *help_type_name(const QapiType *t)
{
    switch (t->kind) {
    case QAPI_KIND_BOOL:
        return "bool";
    case QAPI_KIND_STR:
        return "string";
    case QAPI_KIND_ENUM:
        return t->name;
    default:
        return "int";
    }
}

/*
 * What QEMU's help says of a property beyond its QAPI member: its QOM type
 * when that differs, and its description.  Members QEMU's QOM class lacks
 * (deprecated QAPI members it no longer has) are hidden.
 */
static const struct {
    const char *name;
    const char *type; /* NULL: from the QAPI type */
    const char *desc; /* NULL: none */
    bool hidden;
} help_facts[] = {
    { "loaded", NULL, NULL, true },
    { "opened", NULL, NULL, true },
    { "dump", NULL, "Set to 'off' to exclude from core dump", false },
    { "host-nodes", NULL, "Binds memory to the list of NUMA host nodes", false },
    { "hugetlb", NULL, "Use huge pages", false },
    { "hugetlbsize", NULL, "Huge pages size (ex: 2M, 1G)", false },
    { "merge", NULL, "Mark memory as mergeable", false },
    { "policy", NULL, "Set the NUMA policy", false },
    { "prealloc-context", "link<thread-context>",
      "Context to use for creating CPU threads for preallocation", false },
    { "prealloc-threads", NULL, "Number of CPU threads to use for prealloc", false },
    { "prealloc", NULL, "Preallocate memory", false },
    { "reserve", NULL, "Reserve swap space (or huge pages) if applicable", false },
    { "seal", NULL, "Seal growing & shrinking", false },
    { "share", NULL, "Mark the memory as private to QEMU or shared", false },
    { "size", NULL, "Size of the memory region (ex: 500M)", false },
};

static gint help_line_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One "  name=<type>" line, the description after it when there is one. */
static char *help_line(const QapiMember *m)
{
    g_autofree char *head = NULL;
    const char *type = help_type_name(m->type);
    const char *desc = NULL;

    for (size_t i = 0; i < G_N_ELEMENTS(help_facts); i++) {
        if (!strcmp(help_facts[i].name, m->name)) {
            if (help_facts[i].hidden) {
                return NULL;
            }
            type = help_facts[i].type ? help_facts[i].type : type;
            desc = help_facts[i].desc;
        }
    }
    head = g_strdup_printf("%s=<%s>", m->name, type);
    return desc ? g_strdup_printf("  %-22s - %s", head, desc) : g_strdup_printf("  %s", head);
}

/*
 * The help of -object help or TYPE,help: 0, or 1 for an unknown type.  The
 * properties come sorted, as QEMU's.
 */
static int print_type_help(const char *type)
{
    g_autoptr(GPtrArray) lines = NULL;
    const QapiType *vt;

    if (!type || !strcmp(type, "help")) {
        const QapiType *t = object_options_type();

        printf("List of user creatable objects:\n");
        for (unsigned i = 0; i < t->n_variants; i++) {
            printf("  %s\n", t->variants[i].value);
        }
        return 0;
    }
    vt = variant_type(type);
    if (!vt) {
        error_report("Parameter 'qom-type' does not accept value '%s'", type);
        return 1;
    }
    lines = g_ptr_array_new_with_free_func(g_free);
    for (unsigned i = 0; i < vt->n_members; i++) {
        char *line = help_line(&vt->members[i]);

        if (line) {
            g_ptr_array_add(lines, line);
        }
    }
    g_ptr_array_sort(lines, help_line_cmp);
    printf("%s options:\n", type);
    for (guint i = 0; i < lines->len; i++) {
        printf("%s\n", (char *)g_ptr_array_index(lines, i));
    }
    return 0;
}

/* false when ARG asks for no help; else prints it and exits (the parse freed first). */
static bool print_help(const char *arg)
{
    g_autofree char *perr = NULL;
    QemuOpts *opts = qemu_opts_parse(arg, "qom-type", &perr);
    const char *type = opts ? qemu_opt_get(opts, "qom-type") : NULL;
    bool help = opts && (qemu_opt_has(opts, "help") || (type && !strcmp(type, "help")));
    int status;

    if (!help) {
        qemu_opts_free(opts);
        return false;
    }
    status = print_type_help(type);
    qemu_opts_free(opts);
    error_exit_status(status);
}

/* ---- Creating objects ------------------------------------------------------- */

static const char *str_member(JsonObject *args, const char *name, const char *dflt)
{
    JsonNode *n = json_object_get_member(args, name);

    return n && JSON_NODE_HOLDS_VALUE(n) ? json_node_get_string(n) : dflt;
}

static bool bool_member(JsonObject *args, const char *name, bool dflt)
{
    JsonNode *n = json_object_get_member(args, name);

    return n && JSON_NODE_HOLDS_VALUE(n) ? json_node_get_boolean(n) : dflt;
}

static int64_t int_member(JsonObject *args, const char *name, int64_t dflt)
{
    JsonNode *n = json_object_get_member(args, name);

    return n && JSON_NODE_HOLDS_VALUE(n) ? json_node_get_int(n) : dflt;
}

static bool secret_create(UserObject *o, JsonObject *args, Error **errp)
{
    const char *data = str_member(args, "data", NULL);
    const char *file = str_member(args, "file", NULL);
    const char *format = str_member(args, "format", "raw");
    g_autofree char *contents = NULL;
    gsize len = 0;

    if (data && file) {
        error_setg(errp, "'data' and 'file' are mutually exclusive");
        return false;
    }
    if (!data && !file) {
        error_setg(errp, "Either 'file' or 'data' must be provided");
        return false;
    }
    if (file) {
        g_autoptr(GError) gerr = NULL;

        if (!g_file_get_contents(file, &contents, &len, &gerr)) {
            error_setg(errp, "Unable to read %s: %s", file, gerr->message);
            return false;
        }
    } else {
        contents = g_strdup(data);
        len = strlen(data);
    }
    if (str_member(args, "keyid", NULL) || str_member(args, "iv", NULL)) {
        error_setg(errp, "encrypted secrets (keyid=, iv=) are not supported");
        return false;
    }
    if (!strcmp(format, "base64")) {
        for (gsize i = 0; i < len; i++) {
            if (!g_ascii_isalnum(contents[i]) && !strchr("+/=\n\r", contents[i])) {
                error_setg(errp, "Base64 data contains invalid characters");
                return false;
            }
        }
        o->secret = (char *)g_base64_decode(contents, &o->secret_len);
    } else {
        o->secret = g_steal_pointer(&contents);
        o->secret_len = len;
    }
    return true;
}

/* A file memory backend: mem-path is a file, or a directory to make one in. */
static int open_backing_file(const char *path, uint64_t size, bool readonly, Error **errp)
{
    struct stat st;
    int fd;

    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        g_autofree char *tmpl = g_build_filename(path, "qemu_back_mem.XXXXXX", NULL);

        fd = g_mkstemp_full(tmpl, O_RDWR | O_CLOEXEC, 0600);
        if (fd >= 0) {
            unlink(tmpl);
        }
    } else {
        /* As QEMU 7.2: an existing file read-only under readonly=on, a missing one created. */
        fd = qemu_open(path, readonly ? O_RDONLY : O_RDWR, 0);
        if (fd < 0 && errno == ENOENT) {
            fd = qemu_open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
        }
    }
    if (fd < 0) {
        error_setg(errp, "can't open backing store %s for guest RAM: %s", path, g_strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        return fd; /* a device or a hugetlbfs file: taken as it is */
    }
    /* A file with contents must hold the whole backend; an empty one is sized. */
    if (st.st_size > 0 && (uint64_t)st.st_size < size) {
        error_setg(errp, "backing store size 0x%" PRIx64 " does not match 'size' option 0x%" PRIx64,
                   (uint64_t)st.st_size, size);
        close(fd);
        return -1;
    }
    if (st.st_size == 0 && ftruncate(fd, size) < 0) {
        error_setg(errp, "can't set the size of %s for guest RAM: %s", path, g_strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/*
 * A backend's memory exists from its creation, as in QEMU: shared or private,
 * prealloc touches every page now (MAP_POPULATE), reserve=off leaves swap
 * unreserved; merge and dump are the host's KSM and core-dump advice.
 */
static bool memory_backend_map(HostMemoryBackend *m, Error **errp)
{
    /*
     * readonly=on never writes the file: guest stores land in private copies
     * of its pages (QEMU 7.2 maps it read-only and dies at the first store).
     */
    int flags = (m->share && !m->readonly ? MAP_SHARED : MAP_PRIVATE) |
                (m->fd < 0 ? MAP_ANONYMOUS : 0) | (m->reserve ? 0 : MAP_NORESERVE) |
                (m->prealloc ? MAP_POPULATE : 0);
    void *host = mmap(NULL, m->size, PROT_READ | PROT_WRITE, flags, m->fd, 0);

    if (host == MAP_FAILED) {
        error_setg(errp, "unable to map backing store for guest RAM: %s", g_strerror(errno));
        return false;
    }
    if (m->merge) {
        madvise(host, m->size, MADV_MERGEABLE);
    }
    if (!m->dump) {
        madvise(host, m->size, MADV_DONTDUMP);
    }
    m->host = host;
    return true;
}

static bool memory_backend_create(UserObject *o, JsonObject *args, Error **errp)
{
    HostMemoryBackend *m = &o->mem;

    m->size = (uint64_t)int_member(args, "size", 0);
    /* A memfd is shared unless share=off, as QEMU 7.2 makes it. */
    m->share = bool_member(args, "share", !strcmp(o->type, "memory-backend-memfd"));
    m->prealloc = bool_member(args, "prealloc", false);
    m->dump = bool_member(args, "dump", true);
    m->merge = bool_member(args, "merge", true);
    m->reserve = bool_member(args, "reserve", true);
    m->policy = "default";
    if (!m->size) {
        error_setg(errp, "property 'size' of %s doesn't take value '0'", o->type);
        return false;
    }
    if (json_object_has_member(args, "host-nodes") ||
        strcmp(str_member(args, "policy", "default"), "default")) {
        error_setg(errp, "host NUMA policies (host-nodes=, policy=) are not supported");
        return false;
    }
    if (!strcmp(o->type, "memory-backend-file")) {
        uint64_t align = (uint64_t)int_member(args, "align", 0);
        uint64_t page = (uint64_t)getpagesize();

        /* Checked as QEMU 7.2 checks it; the mapping moves into guest RAM anyway. */
        if (align % page) {
            error_setg(errp, "alignment 0x%" PRIx64 " must be multiples of page size 0x%" PRIx64,
                       align, page);
            return false;
        }
        if (align & (align - 1)) {
            error_setg(errp, "alignment 0x%" PRIx64 " must be a power of two", align);
            return false;
        }
        m->readonly = bool_member(args, "readonly", false);
        m->fd = open_backing_file(str_member(args, "mem-path", ""), m->size, m->readonly, errp);
        if (m->fd < 0) {
            return false;
        }
    }
    if (!strcmp(o->type, "memory-backend-memfd")) {
        bool hugetlb = bool_member(args, "hugetlb", false);

        if (hugetlb && json_object_has_member(args, "hugetlbsize")) {
            error_setg(errp, "hugetlbsize= is not supported; the host's default huge page "
                             "size is used");
            return false;
        }
        m->fd = memfd_create("memory-backend-memfd", MFD_CLOEXEC | (hugetlb ? MFD_HUGETLB : 0));
        if (m->fd < 0) {
            error_setg(errp, "failed to create memfd: %s", g_strerror(errno));
            return false;
        }
        if (ftruncate(m->fd, m->size) < 0) {
            error_setg(errp, "failed to resize memfd to %" PRIu64 ": %s", m->size,
                       g_strerror(errno));
            return false;
        }
    }
    return memory_backend_map(m, errp);
}

static bool rng_random_create(UserObject *o, JsonObject *args, Error **errp)
{
    const char *file = str_member(args, "filename", "/dev/urandom");

    o->fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (o->fd < 0) {
        error_setg(errp, "Could not open '%s': %s", file, g_strerror(errno));
        return false;
    }
    return true;
}

static void history_add(const char *tag, const char *id)
{
    GPtrArray **log = tag[0] == '0' || tag[0] == '1' ? &boot_log : &run_log;

    if (!*log) {
        *log = g_ptr_array_new_with_free_func(g_free);
    }
    g_ptr_array_add(*log, g_strconcat(tag, id, NULL));
}

static bool object_create(JsonObject *args, Error **errp)
{
    UserObject *o = g_new0(UserObject, 1);
    bool ok = true;

    o->id = g_strdup(str_member(args, "id", ""));
    o->type = g_strdup(str_member(args, "qom-type", ""));
    o->mem.fd = -1;
    o->fd = -1;
    if (g_str_has_prefix(o->type, "memory-backend-")) {
        ok = memory_backend_create(o, args, errp);
    } else if (!strcmp(o->type, "secret")) {
        ok = secret_create(o, args, errp);
    } else if (!strcmp(o->type, "rng-random")) {
        ok = rng_random_create(o, args, errp);
    } else if (!strcmp(o->type, "iothread")) {
        /* QEMU's defaults: adaptive polling up to 32 us, batches as the host likes. */
        o->poll_max_ns = int_member(args, "poll-max-ns", 32768);
        o->poll_grow = int_member(args, "poll-grow", 0);
        o->poll_shrink = int_member(args, "poll-shrink", 0);
        o->aio_max_batch = int_member(args, "aio-max-batch", 0);
        iothread_start(o);
    }
    o->cmdline = creating_cmdline;
    o->args = json_object_ref(args);
    o->late = g_str_has_prefix(o->type, "memory-backend-") || !strcmp(o->type, "rng-egd");
    if (!ok) {
        object_free(o);
        return false;
    }
    if (!objects) {
        objects = g_ptr_array_new();
    }
    g_ptr_array_add(objects, o);
    history_add(o->cmdline ? (o->late ? "1" : "0") : "+", o->id);
    return true;
}

/* ---- The interfaces ----------------------------------------------------- */

bool object_option_parse(const char *arg, Error **errp)
{
    JsonObject *obj;
    const char *id;

    if (arg[0] != '{' && print_help(arg)) {
        return true;
    }
    obj = arg[0] == '{' ? json_arg(arg, errp) : keyval_to_json(arg, errp);
    if (!obj) {
        return false;
    }
    id = str_member(obj, "id", "");
    if (!check_id(id, errp)) {
        json_object_unref(obj);
        return false;
    }
    if (!pending) {
        pending = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
        pending_ids = g_hash_table_new(g_str_hash, g_str_equal);
    }
    if (g_hash_table_contains(pending_ids, id)) {
        error_setg(errp, "Duplicate ID '%s' for object", id);
        json_object_unref(obj);
        return false;
    }
    g_hash_table_add(pending_ids, (gpointer)id);
    g_ptr_array_add(pending, obj);
    return true;
}

void object_option_reset(void)
{
    g_clear_pointer(&pending_ids, g_hash_table_unref);
    g_clear_pointer(&pending, g_ptr_array_unref);
}

bool object_option_create_all(Error **errp)
{
    creating_cmdline = true;
    for (guint i = 0; pending && i < pending->len; i++) {
        if (!object_create(g_ptr_array_index(pending, i), errp)) {
            creating_cmdline = false;
            return false;
        }
    }
    creating_cmdline = false;
    g_clear_pointer(&pending_ids, g_hash_table_unref);
    g_clear_pointer(&pending, g_ptr_array_unref);
    return true;
}

bool user_creatable_add(JsonObject *args, Error **errp)
{
    const char *id = str_member(args, "id", "");

    if (!check_id(id, errp)) {
        return false;
    }
    if (object_find(id)) {
        error_setg(errp, "attempt to add duplicate property '%s' to object (type 'container')", id);
        return false;
    }
    return object_create(args, errp);
}

bool user_creatable_del(const char *id, Error **errp)
{
    UserObject *o = object_find(id);

    if (!o) {
        error_setg(errp, "object '%s' not found", id);
        return false;
    }
    if (o->mem.used) {
        error_setg(errp, "object '%s' is in use, can not be deleted", id);
        return false;
    }
    g_ptr_array_remove(objects, o);
    history_add("-", o->id);
    object_free(o);
    return true;
}

const HostMemoryBackend *user_creatable_memdev(const char *id)
{
    return host_memory_backend_find(id);
}

HostMemoryBackend *host_memory_backend_find(const char *id)
{
    UserObject *o = object_find(id);

    return o && g_str_has_prefix(o->type, "memory-backend-") ? &o->mem : NULL;
}

const char *qcrypto_secret_lookup(const char *id, size_t *len)
{
    UserObject *o = object_find(id);

    if (!o || strcmp(o->type, "secret")) {
        return NULL;
    }
    *len = o->secret_len;
    return o->secret;
}

const char *user_creatable_type(const char *id)
{
    UserObject *o = object_find(id);

    return o ? o->type : NULL;
}

JsonObject *user_creatable_args(const char *id)
{
    UserObject *o = object_find(id);

    return o ? o->args : NULL;
}

int rng_random_fd(const char *id)
{
    UserObject *o = object_find(id);

    return o && !strcmp(o->type, "rng-random") ? o->fd : -1;
}

void user_creatable_foreach(void (*fn)(const char *id, const char *type, void *opaque),
                            void *opaque)
{
    for (guint i = 0; objects && i < objects->len; i++) {
        UserObject *o = g_ptr_array_index(objects, i);

        fn(o->id, o->type, opaque);
    }
}

/*
 * QEMU's order of the children of /objects: the early -object ones, the
 * late ones (memory backends), the machine's own RAM backend when it made
 * one, then object-add's, as they were added; in its hash table's order,
 * or the reverse (query-memdev builds its list by prepending).
 */
void user_creatable_foreach_qom(const char *ram_id, bool reverse,
                                void (*fn)(const char *id, const char *type, void *opaque),
                                void *opaque)
{
    g_autoptr(GPtrArray) ops = g_ptr_array_new();
    g_autoptr(GPtrArray) order = NULL;
    g_autofree char *ram_op = ram_id ? g_strconcat("+", ram_id, NULL) : NULL;

    /* The early -object ones, the late ones, the machine's RAM, then run time. */
    for (char pass = '0'; pass <= '1'; pass++) {
        for (guint i = 0; boot_log && i < boot_log->len; i++) {
            char *entry = g_ptr_array_index(boot_log, i);

            if (entry[0] == pass) {
                /* As an add: the id after its tag. */
                g_ptr_array_add(ops, entry);
            }
        }
    }
    if (ram_op) {
        g_ptr_array_add(ops, ram_op);
    }
    for (guint i = 0; run_log && i < run_log->len; i++) {
        g_ptr_array_add(ops, g_ptr_array_index(run_log, i));
    }
    order = qom_children_order_ops(ops);
    for (guint i = 0; i < order->len; i++) {
        const char *id = g_ptr_array_index(order, reverse ? order->len - 1 - i : i);
        UserObject *o = object_find(id);

        fn(id, o ? o->type : NULL, opaque);
    }
}

/* ---- QMP ------------------------------------------------------------------ */

JsonNode *qmp_object_add(JsonObject *args, QmpError *err)
{
    Error *e = NULL;

    if (!user_creatable_add(args, &e)) {
        qmp_error_from(err, e);
        return NULL;
    }
    return qmp_return_empty();
}

JsonNode *qmp_object_del(JsonObject *args, QmpError *err)
{
    Error *e = NULL;

    if (!user_creatable_del(qmp_arg_str(args, "id", ""), &e)) {
        qmp_error_from(err, e);
        return NULL;
    }
    return qmp_return_empty();
}

static void add_iothread(const char *id, const char *type, void *opaque)
{
    UserObject *o = object_find(id);
    JsonObject *j;

    if (!type || strcmp(type, "iothread")) {
        return;
    }
    /* In the order QEMU 7.2 prints them. */
    j = json_object_new();
    json_object_set_int_member(j, "poll-shrink", o->poll_shrink);
    json_object_set_int_member(j, "thread-id", o->tid);
    json_object_set_int_member(j, "aio-max-batch", o->aio_max_batch);
    json_object_set_int_member(j, "poll-grow", o->poll_grow);
    json_object_set_int_member(j, "poll-max-ns", o->poll_max_ns);
    json_object_set_string_member(j, "id", id);
    json_array_add_object_element(opaque, j);
}

JsonNode *qmp_query_iothreads(JsonObject *args, QmpError *err)
{
    JsonArray *arr = json_array_new();

    user_creatable_foreach_qom(NULL, false, add_iothread, arr);
    return qmp_node_array(arr);
}
