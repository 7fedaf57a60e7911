/*
 * query-command-line-options (qapi/misc.json): the QemuOpts-style options
 * this emulator's command line takes and their parameters, in QEMU's names
 * and order; and the machine properties parsed from "-machine TYPE,help".
 */
#include "qapi/qapi-commands.h"
#include "monitor/qmp-internal.h"
#include "hw/boards.h"

typedef struct CmdlineParam {
    const char *name;
    const char *type; /* "string", "boolean", "number", "size" */
} CmdlineParam;

typedef struct CmdlineOption {
    const char *option;
    const CmdlineParam *params; /* NULL-terminated; NULL: free-form (QEMU lists none) */
} CmdlineOption;

static const CmdlineParam sandbox_params[] = {
    { "resourcecontrol", "string" }, { "spawn", "string" },   { "elevateprivileges", "string" },
    { "obsolete", "string" },        { "enable", "boolean" }, { NULL },
};
static const CmdlineParam name_params[] = {
    { "debug-threads", "boolean" },
    { "process", "string" },
    { "guest", "string" },
    { NULL },
};
static const CmdlineParam msg_params[] = {
    { "guest-name", "boolean" },
    { "timestamp", "boolean" },
    { NULL },
};
static const CmdlineParam overcommit_params[] = {
    { "cpu-pm", "boolean" },
    { "mem-lock", "boolean" },
    { NULL },
};
static const CmdlineParam boot_params[] = {
    { "strict", "boolean" },     { "reboot-timeout", "number" },
    { "splash-time", "number" }, { "splash", "string" },
    { "menu", "boolean" },       { "once", "string" },
    { "order", "string" },       { NULL },
};
static const CmdlineParam smp_params[] = {
    { "maxcpus", "number" }, { "threads", "number" },
    { "cores", "number" },   { "clusters", "number" },
    { "dies", "number" },    { "sockets", "number" },
    { "cpus", "number" },    { NULL },
};
static const CmdlineParam memory_params[] = {
    { "maxmem", "size" },
    { "slots", "number" },
    { "size", "size" },
    { NULL },
};
static const CmdlineParam mon_params[] = {
    { "pretty", "boolean" },
    { "chardev", "string" },
    { "mode", "string" },
    { NULL },
};
static const CmdlineParam global_params[] = {
    { "value", "string" },
    { "property", "string" },
    { "driver", "string" },
    { NULL },
};
static const CmdlineParam rtc_params[] = {
    { "driftfix", "string" },
    { "clock", "string" },
    { "base", "string" },
    { NULL },
};
static const CmdlineParam none[] = { { NULL } };

/* After "machine", in QEMU 7.2's order; only options the command line takes. */
static const CmdlineOption cmdline_options[] = {
    { "sandbox", sandbox_params },
    { "name", name_params },
    { "msg", msg_params },
    { "overcommit", overcommit_params },
    { "boot-opts", boot_params },
    { "smp-opts", smp_params },
    { "memory", memory_params },
    { "accel", none },
    { "mon", mon_params },
    { "global", global_params },
    { "rtc", rtc_params },
    { "net", none },
    { "nic", none },
    { "device", none },
    { "chardev", none },
    { "drive", none },
};

/*
 * One "  name=<type>   - description" line of -machine help: its name, QMP
 * type and description (NULL when absent).  false for other lines.
 */
bool qmp_parse_help_line(const char *line, char **name, char **type, char **desc)
{
    const char *eq, *lt, *gt, *dash;

    if (strncmp(line, "  ", 2) || !(eq = strstr(line, "=<"))) {
        return false;
    }
    lt = eq + 1;
    dash = strstr(lt, "> ");
    gt = dash ? dash : strrchr(lt, '>');
    if (!gt) {
        return false;
    }
    *name = g_strndup(line + 2, eq - line - 2);
    *type = g_strndup(lt + 1, gt - lt - 1);
    dash = strstr(gt, " - ");
    *desc = dash ? g_strstrip(g_strdup(dash + 3)) : NULL;
    return true;
}

/* A machine property's help type as a command-line parameter type. */
static const char *param_type(const char *help_type)
{
    if (!strcmp(help_type, "bool")) {
        return "boolean";
    }
    if (!strcmp(help_type, "int") || g_str_has_prefix(help_type, "uint")) {
        return "number";
    }
    if (!strcmp(help_type, "size")) {
        return "size";
    }
    return "string";
}

static JsonObject *option_info(const char *option, JsonArray *params)
{
    JsonObject *o = json_object_new();

    json_object_set_array_member(o, "parameters", params);
    json_object_set_string_member(o, "option", option);
    return o;
}

static JsonObject *param_info(const char *name, const char *type)
{
    JsonObject *p = json_object_new();

    json_object_set_string_member(p, "name", name);
    json_object_set_string_member(p, "type", type);
    return p;
}

/* -machine takes the generic machine properties everywhere. */
static JsonObject *machine_option(void)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    JsonArray *params = json_array_new();

    machine_generic_props_help(lines);
    for (guint i = 0; i < lines->len; i++) {
        g_autofree char *name = NULL, *type = NULL, *desc = NULL;

        if (qmp_parse_help_line(g_ptr_array_index(lines, i), &name, &type, &desc)) {
            json_array_add_object_element(params, param_info(name, param_type(type)));
        }
    }
    return option_info("machine", params);
}

JsonNode *qmp_query_command_line_options(JsonObject *args, QmpError *err)
{
    const char *want = qmp_arg_str(args, "option", NULL);
    JsonArray *arr = json_array_new();

    if (!want || !strcmp(want, "machine")) {
        json_array_add_object_element(arr, machine_option());
    }
    for (size_t i = 0; i < G_N_ELEMENTS(cmdline_options); i++) {
        const CmdlineOption *o = &cmdline_options[i];
        JsonArray *params;

        if (want && strcmp(want, o->option)) {
            continue;
        }
        params = json_array_new();
        for (const CmdlineParam *p = o->params; p->name; p++) {
            json_array_add_object_element(params, param_info(p->name, p->type));
        }
        json_array_add_object_element(arr, option_info(o->option, params));
    }
    if (want && !json_array_get_length(arr)) {
        json_array_unref(arr);
        qmp_error_setg(err, "invalid option name: %s", want);
        return NULL;
    }
    return qmp_node_array(arr);
}
