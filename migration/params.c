/*
 * Migration parameters: migrate-set-parameters with QEMU 7.2's range checks
 * (all checked on the merged result before any is applied) and
 * query-migrate-parameters in QEMU's member order.
 */
#include "migration/migration.h"
#include "qapi/qapi-commands.h"

typedef enum ParamType { P_UINT, P_BOOL, P_STR, P_ENUM } ParamType;

/* Every parameter in the order QEMU 7.2's query-migrate-parameters lists them. */
typedef enum ParamId {
    P_CPU_THROTTLE_TAILSLOW,
    P_XBZRLE_CACHE_SIZE,
    P_CPU_THROTTLE_INITIAL,
    P_ANNOUNCE_MAX,
    P_DECOMPRESS_THREADS,
    P_COMPRESS_THREADS,
    P_COMPRESS_LEVEL,
    P_MULTIFD_CHANNELS,
    P_MULTIFD_ZSTD_LEVEL,
    P_ANNOUNCE_INITIAL,
    P_BLOCK_INCREMENTAL,
    P_COMPRESS_WAIT_THREAD,
    P_DOWNTIME_LIMIT,
    P_TLS_AUTHZ,
    P_MULTIFD_COMPRESSION,
    P_ANNOUNCE_ROUNDS,
    P_ANNOUNCE_STEP,
    P_TLS_CREDS,
    P_MULTIFD_ZLIB_LEVEL,
    P_MAX_CPU_THROTTLE,
    P_MAX_POSTCOPY_BANDWIDTH,
    P_TLS_HOSTNAME,
    P_THROTTLE_TRIGGER_THRESHOLD,
    P_MAX_BANDWIDTH,
    P_X_CHECKPOINT_DELAY,
    P_CPU_THROTTLE_INCREMENT,
    P__MAX
} ParamId;

static const char *const compression_names[] = { "none", "zlib", "zstd" };

static const struct {
    const char *name;
    ParamType type;
    uint64_t dflt; /* QEMU 7.2's default (an index for the enum) */
    /*
     * QEMU 7.2 takes these without checking or keeping them: the query
     * goes on showing the default.
     */
    bool ignored;
} param_info[P__MAX] = {
    [P_CPU_THROTTLE_TAILSLOW] = { "cpu-throttle-tailslow", P_BOOL, 0 },
    [P_XBZRLE_CACHE_SIZE] = { "xbzrle-cache-size", P_UINT, 64 << 20 },
    [P_CPU_THROTTLE_INITIAL] = { "cpu-throttle-initial", P_UINT, 20 },
    [P_ANNOUNCE_MAX] = { "announce-max", P_UINT, 550 },
    [P_DECOMPRESS_THREADS] = { "decompress-threads", P_UINT, 2 },
    [P_COMPRESS_THREADS] = { "compress-threads", P_UINT, 8 },
    [P_COMPRESS_LEVEL] = { "compress-level", P_UINT, 1 },
    [P_MULTIFD_CHANNELS] = { "multifd-channels", P_UINT, 2 },
    [P_MULTIFD_ZSTD_LEVEL] = { "multifd-zstd-level", P_UINT, 1, true },
    [P_ANNOUNCE_INITIAL] = { "announce-initial", P_UINT, 50 },
    [P_BLOCK_INCREMENTAL] = { "block-incremental", P_BOOL, 0 },
    [P_COMPRESS_WAIT_THREAD] = { "compress-wait-thread", P_BOOL, 1 },
    [P_DOWNTIME_LIMIT] = { "downtime-limit", P_UINT, 300 },
    [P_TLS_AUTHZ] = { "tls-authz", P_STR, 0 },
    [P_MULTIFD_COMPRESSION] = { "multifd-compression", P_ENUM, 0 },
    [P_ANNOUNCE_ROUNDS] = { "announce-rounds", P_UINT, 5 },
    [P_ANNOUNCE_STEP] = { "announce-step", P_UINT, 100 },
    [P_TLS_CREDS] = { "tls-creds", P_STR, 0 },
    [P_MULTIFD_ZLIB_LEVEL] = { "multifd-zlib-level", P_UINT, 1, true },
    [P_MAX_CPU_THROTTLE] = { "max-cpu-throttle", P_UINT, 99 },
    [P_MAX_POSTCOPY_BANDWIDTH] = { "max-postcopy-bandwidth", P_UINT, 0 },
    [P_TLS_HOSTNAME] = { "tls-hostname", P_STR, 0 },
    [P_THROTTLE_TRIGGER_THRESHOLD] = { "throttle-trigger-threshold", P_UINT, 50 },
    [P_MAX_BANDWIDTH] = { "max-bandwidth", P_UINT, 128 << 20 },
    [P_X_CHECKPOINT_DELAY] = { "x-checkpoint-delay", P_UINT, 20000 },
    [P_CPU_THROTTLE_INCREMENT] = { "cpu-throttle-increment", P_UINT, 10 },
};

typedef struct Params {
    uint64_t v[P__MAX]; /* integers, booleans, the enum's index */
    char *str[P__MAX];  /* the strings (P_STR only) */
} Params;

/*
 * The current values.  The migration thread reads downtime-limit and
 * max-bandwidth while the monitor may set them: those are read and written
 * atomically; the rest only in the main thread.
 */
static Params cur;
static bool cur_init;

static Params *params(void)
{
    if (!cur_init) {
        for (int i = 0; i < P__MAX; i++) {
            cur.v[i] = param_info[i].dflt;
            if (param_info[i].type == P_STR) {
                cur.str[i] = g_strdup("");
            }
        }
        cur_init = true;
    }
    return &cur;
}

uint64_t migration_param_downtime_limit(void)
{
    return __atomic_load_n(&params()->v[P_DOWNTIME_LIMIT], __ATOMIC_RELAXED);
}

uint64_t migration_param_max_bandwidth(void)
{
    return __atomic_load_n(&params()->v[P_MAX_BANDWIDTH], __ATOMIC_RELAXED);
}

bool migration_param_block_incremental(void)
{
    return params()->v[P_BLOCK_INCREMENTAL];
}

void migration_param_set_block_incremental(bool on)
{
    params()->v[P_BLOCK_INCREMENTAL] = on;
}

void migration_param_announce(int64_t *initial, int64_t *max, int64_t *rounds, int64_t *step)
{
    Params *p = params();

    *initial = p->v[P_ANNOUNCE_INITIAL];
    *max = p->v[P_ANNOUNCE_MAX];
    *rounds = p->v[P_ANNOUNCE_ROUNDS];
    *step = p->v[P_ANNOUNCE_STEP];
}

static void json_set_param(JsonObject *o, const Params *p, int i)
{
    switch (param_info[i].type) {
    case P_UINT:
        json_object_set_member(o, param_info[i].name, qmp_node_uint64(p->v[i]));
        break;
    case P_BOOL:
        json_object_set_boolean_member(o, param_info[i].name, p->v[i]);
        break;
    case P_STR:
        json_object_set_string_member(o, param_info[i].name, p->str[i]);
        break;
    case P_ENUM:
        json_object_set_string_member(o, param_info[i].name, compression_names[p->v[i]]);
        break;
    }
}

JsonNode *qmp_query_migrate_parameters(JsonObject *args, QmpError *err)
{
    JsonObject *o = json_object_new();
    Params *p = params();

    for (int i = 0; i < P__MAX; i++) {
        json_set_param(o, p, i);
    }
    return qmp_node_object(o);
}

#define RANGE_ERROR(qemu_name, what)                                                               \
    do {                                                                                           \
        qmp_error_setg(err, "Parameter '%s' expects %s", qemu_name, what);                         \
        return false;                                                                              \
    } while (0)

/*
 * QEMU 7.2's checks, in its order and with its (underscored) names, on the
 * values the command would leave.
 */
static bool params_check(const Params *p, QmpError *err)
{
    const uint64_t *v = p->v;
    uint64_t xbz = v[P_XBZRLE_CACHE_SIZE];

    if (v[P_COMPRESS_LEVEL] > 9) {
        RANGE_ERROR("compress_level", "a value between 0 and 9");
    }
    if (v[P_COMPRESS_THREADS] < 1) {
        RANGE_ERROR("compress_threads", "a value between 1 and 255");
    }
    if (v[P_DECOMPRESS_THREADS] < 1) {
        RANGE_ERROR("decompress_threads", "a value between 1 and 255");
    }
    if (v[P_THROTTLE_TRIGGER_THRESHOLD] < 1 || v[P_THROTTLE_TRIGGER_THRESHOLD] > 100) {
        RANGE_ERROR("throttle_trigger_threshold", "an integer in the range of 1 to 100");
    }
    if (v[P_CPU_THROTTLE_INITIAL] < 1 || v[P_CPU_THROTTLE_INITIAL] > 99) {
        RANGE_ERROR("cpu_throttle_initial", "an integer in the range of 1 to 99");
    }
    if (v[P_CPU_THROTTLE_INCREMENT] < 1 || v[P_CPU_THROTTLE_INCREMENT] > 99) {
        RANGE_ERROR("cpu_throttle_increment", "an integer in the range of 1 to 99");
    }
    if (v[P_DOWNTIME_LIMIT] > MIGRATION_MAX_DOWNTIME_LIMIT_MS) {
        RANGE_ERROR("downtime_limit", "an integer in the range of 0 to (2000 * 1000) ms");
    }
    if (v[P_MULTIFD_CHANNELS] < 1) {
        RANGE_ERROR("multifd_channels", "a value between 1 and 255");
    }
    /* A power of two, at least the target page size (4 KiB). */
    if (xbz < 4096 || (xbz & (xbz - 1))) {
        RANGE_ERROR("xbzrle_cache_size", "a power of two no less than the target page size");
    }
    if (v[P_MAX_CPU_THROTTLE] < v[P_CPU_THROTTLE_INITIAL] || v[P_MAX_CPU_THROTTLE] > 99) {
        RANGE_ERROR("max_cpu_throttle", "an integer in the range of cpu_throttle_initial to 99");
    }
    if (v[P_ANNOUNCE_INITIAL] > 100000) {
        RANGE_ERROR("announce_initial", "a value between 0 and 100000");
    }
    if (v[P_ANNOUNCE_MAX] > 100000) {
        RANGE_ERROR("announce_max", "a value between 0 and 100000");
    }
    if (v[P_ANNOUNCE_ROUNDS] > 1000) {
        RANGE_ERROR("announce_rounds", "a value between 0 and 1000");
    }
    /* QEMU's message says 0 although it refuses 0. */
    if (v[P_ANNOUNCE_STEP] < 1 || v[P_ANNOUNCE_STEP] > 10000) {
        RANGE_ERROR("announce_step", "a value between 0 and 10000");
    }
    return true;
}

/*
 * The schema has checked the members' types and widths; the merged values
 * are checked as a whole, and only then is anything applied.
 */
JsonNode *qmp_migrate_set_parameters(JsonObject *args, QmpError *err)
{
    Params *p = params();
    Params next = *p;

    for (int i = 0; i < P__MAX; i++) {
        JsonNode *n = json_object_get_member(args, param_info[i].name);

        if (!n || param_info[i].ignored) {
            continue;
        }
        switch (param_info[i].type) {
        case P_UINT:
            next.v[i] = qmp_node_get_uint64(n);
            break;
        case P_BOOL:
            next.v[i] = json_node_get_boolean(n);
            break;
        case P_STR:
            /* StrOrNull: null stands for "" */
            break;
        case P_ENUM:
            for (size_t j = 0; j < G_N_ELEMENTS(compression_names); j++) {
                if (!strcmp(json_node_get_string(n), compression_names[j])) {
                    next.v[i] = j;
                }
            }
            break;
        }
    }
    if (!params_check(&next, err)) {
        return NULL;
    }
    for (int i = 0; i < P__MAX; i++) {
        JsonNode *n = json_object_get_member(args, param_info[i].name);

        if (param_info[i].type == P_STR && n) {
            g_free(p->str[i]);
            p->str[i] = g_strdup(JSON_NODE_HOLDS_NULL(n) ? "" : json_node_get_string(n));
        } else if (param_info[i].type != P_STR) {
            __atomic_store_n(&p->v[i], next.v[i], __ATOMIC_RELAXED);
        }
    }
    return qmp_return_empty();
}
