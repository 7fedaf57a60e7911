/*
 * The schema-driven argument checks (monitor/qapi-validate.c) on hand-made
 * types of every kind; each message is the one QEMU 7.2's input visitor gives.
 */
#include "qapi/qmp.h"

static const QapiType t_int = { .name = "int", .kind = QAPI_KIND_INT };
static const QapiType t_int8 = { .name = "int8", .kind = QAPI_KIND_INT8 };
static const QapiType t_int32 = { .name = "int32", .kind = QAPI_KIND_INT32 };
static const QapiType t_uint8 = { .name = "uint8", .kind = QAPI_KIND_UINT8 };
static const QapiType t_uint16 = { .name = "uint16", .kind = QAPI_KIND_UINT16 };
static const QapiType t_uint32 = { .name = "uint32", .kind = QAPI_KIND_UINT32 };
static const QapiType t_uint64 = { .name = "uint64", .kind = QAPI_KIND_UINT64 };
static const QapiType t_size = { .name = "size", .kind = QAPI_KIND_SIZE };
static const QapiType t_number = { .name = "number", .kind = QAPI_KIND_NUMBER };
static const QapiType t_str = { .name = "str", .kind = QAPI_KIND_STR };
static const QapiType t_bool = { .name = "bool", .kind = QAPI_KIND_BOOL };
static const QapiType t_null = { .name = "null", .kind = QAPI_KIND_NULL };
static const QapiType t_any = { .name = "any", .kind = QAPI_KIND_ANY };

static const char *const color_values[] = { "red", "green", NULL };
static const QapiType t_color = { .name = "Color", .kind = QAPI_KIND_ENUM, .values = color_values };
static const QapiType t_color_list = { .name = "ColorList",
                                       .kind = QAPI_KIND_ARRAY,
                                       .element = &t_color };

/* struct Point { x: int, *y: uint8 } */
static const QapiMember point_members[] = { { "x", &t_int, false }, { "y", &t_uint8, true } };
static const QapiType t_point = {
    .name = "Point", .kind = QAPI_KIND_OBJECT, .members = point_members, .n_members = 2
};
static const QapiType t_point_list = { .name = "PointList",
                                       .kind = QAPI_KIND_ARRAY,
                                       .element = &t_point };

/* union Shape { kind: Color, *id: str } red: Point, green: (nothing) */
static const QapiType t_empty = { .name = "q_empty", .kind = QAPI_KIND_OBJECT };
static const QapiMember shape_members[] = { { "kind", &t_color, false }, { "id", &t_str, true } };
static const QapiVariant shape_variants[] = { { "red", &t_point }, { "green", &t_empty } };
static const QapiType t_shape = { .name = "Shape",
                                  .kind = QAPI_KIND_OBJECT,
                                  .members = shape_members,
                                  .n_members = 2,
                                  .tag = "kind",
                                  .variants = shape_variants,
                                  .n_variants = 2 };

/* alternate StrOrNull { s: str, n: null } */
static const QapiType *const son_alts[] = { &t_str, &t_null };
static const QapiType t_str_or_null = {
    .name = "StrOrNull", .kind = QAPI_KIND_ALTERNATE, .alternatives = son_alts, .n_alternatives = 2
};

/* The arguments of a command using all of them. */
static const QapiMember cmd_members[] = {
    { "i", &t_int, true },
    { "i8", &t_int8, true },
    { "i32", &t_int32, true },
    { "u8", &t_uint8, true },
    { "u16", &t_uint16, true },
    { "u32", &t_uint32, true },
    { "u64", &t_uint64, true },
    { "sz", &t_size, true },
    { "num", &t_number, true },
    { "s", &t_str, true },
    { "b", &t_bool, true },
    { "nul", &t_null, true },
    { "a", &t_any, true },
    { "color", &t_color, true },
    { "colors", &t_color_list, true },
    { "points", &t_point_list, true },
    { "shape", &t_shape, true },
    { "son", &t_str_or_null, true },
    { "p", &t_point, true },
};
static const QapiType t_cmd = { .name = "q_obj_cmd-arg",
                                .kind = QAPI_KIND_OBJECT,
                                .members = cmd_members,
                                .n_members = G_N_ELEMENTS(cmd_members) };

/* Check JSON args; NULL when accepted, else the message (g_free it). */
static char *check(const QapiType *type, const char *json)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    QmpError err = { 0 };

    g_assert_true(json_parser_load_from_data(parser, json, -1, NULL));
    if (qapi_validate_object(type, json_node_get_object(json_parser_get_root(parser)), &err)) {
        g_assert_null(err.desc);
        return NULL;
    }
    g_assert_cmpstr(err.cls, ==, QMP_ERROR_GENERIC);
    return err.desc;
}

static void ok(const char *json)
{
    g_autofree char *msg = check(&t_cmd, json);

    if (msg) {
        g_error("%s refused: %s", json, msg);
    }
}

static void bad(const char *json, const char *want)
{
    g_autofree char *msg = check(&t_cmd, json);

    g_assert_nonnull(msg);
    g_assert_cmpstr(msg, ==, want);
}

static void test_scalars(void)
{
    ok("{}");
    ok("{\"i\": -9223372036854775807, \"i8\": -128, \"i32\": 2147483647, \"u8\": 255,"
       " \"u16\": 65535, \"u32\": 4294967295, \"u64\": 9223372036854775807, \"sz\": 0,"
       " \"num\": 1, \"s\": \"\", \"b\": false, \"nul\": null, \"a\": [1, {}]}");
    ok("{\"num\": 2.5}");
    /* A negative value is taken by uint64, as QEMU wraps it. */
    ok("{\"u64\": -1, \"sz\": -5}");
    bad("{\"i\": \"1\"}", "Invalid parameter type for 'i', expected: integer");
    bad("{\"i\": 1.0}", "Invalid parameter type for 'i', expected: integer");
    bad("{\"i8\": 128}", "Parameter 'i8' expects int8_t");
    bad("{\"i32\": -2147483649}", "Parameter 'i32' expects int32_t");
    bad("{\"u8\": 256}", "Parameter 'u8' expects uint8_t");
    bad("{\"u8\": -1}", "Parameter 'u8' expects uint8_t");
    bad("{\"u16\": 65536}", "Parameter 'u16' expects uint16_t");
    bad("{\"u32\": 4294967296}", "Parameter 'u32' expects uint32_t");
    bad("{\"u64\": 1.5}", "Parameter 'u64' expects uint64");
    bad("{\"u64\": true}", "Parameter 'u64' expects uint64");
    bad("{\"u64\": \"1\"}", "Parameter 'u64' expects uint64");
    bad("{\"sz\": 0.5}", "Parameter 'sz' expects uint64");
    bad("{\"num\": \"1\"}", "Invalid parameter type for 'num', expected: number");
    bad("{\"s\": 1}", "Invalid parameter type for 's', expected: string");
    bad("{\"s\": null}", "Invalid parameter type for 's', expected: string");
    bad("{\"b\": 1}", "Invalid parameter type for 'b', expected: boolean");
    bad("{\"nul\": 0}", "Invalid parameter type for 'nul', expected: null");
    bad("{\"zz\": 0}", "Parameter 'zz' is unexpected");
}

static void test_enums_and_lists(void)
{
    ok("{\"color\": \"red\", \"colors\": [], \"points\": [{\"x\": 1}, {\"x\": 2, \"y\": 3}]}");
    bad("{\"color\": \"blue\"}", "Parameter 'color' does not accept value 'blue'");
    bad("{\"color\": 1}", "Invalid parameter type for 'color', expected: string");
    /* Inside a list QEMU has no member name to print. */
    bad("{\"colors\": [\"red\", \"blue\"]}", "Parameter 'null' does not accept value 'blue'");
    bad("{\"colors\": [1]}", "Invalid parameter type for 'colors[0]', expected: string");
    bad("{\"colors\": \"red\"}", "Invalid parameter type for 'colors', expected: array");
    bad("{\"points\": [{\"x\": 1}, {}]}", "Parameter 'points[1].x' is missing");
    bad("{\"points\": [{\"x\": 1}, 5]}",
        "Invalid parameter type for 'points[1]', expected: object");
    bad("{\"points\": [{\"x\": 1, \"q\": 0}]}", "Parameter 'points[0].q' is unexpected");
    bad("{\"points\": [{\"x\": 1, \"y\": 300}]}", "Parameter 'y' expects uint8_t");
    bad("{\"points\": [{\"x\": \"1\"}]}",
        "Invalid parameter type for 'points[0].x', expected: integer");
}

static void test_structs_unions_alternates(void)
{
    ok("{\"p\": {\"x\": 0}}");
    bad("{\"p\": {}}", "Parameter 'p.x' is missing");
    bad("{\"p\": []}", "Invalid parameter type for 'p', expected: object");
    /* A union: the base, then the members of the tag's variant, then extras. */
    ok("{\"shape\": {\"kind\": \"red\", \"x\": 1}}");
    ok("{\"shape\": {\"kind\": \"green\", \"id\": \"g\"}}");
    bad("{\"shape\": {}}", "Parameter 'shape.kind' is missing");
    bad("{\"shape\": {\"kind\": \"blue\"}}", "Parameter 'kind' does not accept value 'blue'");
    bad("{\"shape\": {\"kind\": \"red\"}}", "Parameter 'shape.x' is missing");
    bad("{\"shape\": {\"kind\": \"green\", \"x\": 1}}", "Parameter 'shape.x' is unexpected");
    /* An alternate picks its branch by the JSON type. */
    ok("{\"son\": \"s\"}");
    ok("{\"son\": null}");
    bad("{\"son\": 1}", "Invalid parameter type for 'son', expected: StrOrNull");
}

/* Command arguments without a type take no members. */
static void test_no_arguments(void)
{
    g_autofree char *msg = check(NULL, "{\"a\": 1}");

    g_assert_cmpstr(msg, ==, "Parameter 'a' is unexpected");
    g_assert_null(check(NULL, "{}"));
}

/* Every command of the generated table has a handler and a unique name. */
static void test_generated_table(void)
{
    g_assert_cmpuint(qmp_command_count, >, 10);
    for (size_t i = 0; i < qmp_command_count; i++) {
        g_assert_nonnull(qmp_command_table[i].fn);
        g_assert_true(qmp_command_find(qmp_command_table[i].name) == &qmp_command_table[i]);
    }
    g_assert_null(qmp_command_find("no-such-command"));
    g_assert_nonnull(qapi_event_find("SHUTDOWN"));
    g_assert_null(qapi_event_find("NO_SUCH_EVENT"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qapi-validate/scalars", test_scalars);
    g_test_add_func("/qapi-validate/enums-and-lists", test_enums_and_lists);
    g_test_add_func("/qapi-validate/structs-unions-alternates", test_structs_unions_alternates);
    g_test_add_func("/qapi-validate/no-arguments", test_no_arguments);
    g_test_add_func("/qapi-validate/generated-table", test_generated_table);
    return g_test_run();
}
