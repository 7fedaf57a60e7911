/*
 * Unit tests for the hypercall table (registration, dispatch, counters) and
 * for the agreement of docs/specs/ppc-spapr-hcalls.rst with the table.
 */
#include "hw/ppc/spapr.h"
#include "qapi/qapi-commands.h"
#include "qemu/module.h"

static target_ulong seen_opcode;

/* Echoes its inputs so dispatch can be checked: r4 = r5 + r6, r5 = opcode. */
static target_ulong h_echo(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                           target_ulong *args)
{
    seen_opcode = opcode;
    args[0] = args[1] + args[2];
    args[1] = opcode;
    args[8] = 0x1234;
    return H_SUCCESS;
}

static target_ulong h_busy(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                           target_ulong *args)
{
    return H_BUSY;
}

static void test_dispatch_papr_range(void)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { 0, 40, 2 };

    spapr_hypercall_table_clear();
    spapr_register_hypercall(H_ENTER, h_echo);
    g_assert_true(spapr_hypercall_registered(H_ENTER));
    g_assert_false(spapr_hypercall_registered(H_REMOVE));
    g_assert_cmpint(spapr_hypercall(NULL, H_ENTER, args), ==, H_SUCCESS);
    g_assert_cmphex(seen_opcode, ==, H_ENTER);
    g_assert_cmpuint(args[0], ==, 42);
    g_assert_cmphex(args[1], ==, H_ENTER);
    g_assert_cmphex(args[8], ==, 0x1234);
}

static void test_dispatch_private_range(void)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { 0, 1, 2 };

    spapr_hypercall_table_clear();
    spapr_register_hypercall(KVMPPC_H_CAS, h_echo);
    spapr_register_hypercall(MAX_HCALL_OPCODE, h_busy);
    g_assert_cmpint(spapr_hypercall(NULL, KVMPPC_H_CAS, args), ==, H_SUCCESS);
    g_assert_cmpuint(args[0], ==, 3);
    g_assert_cmphex(args[1], ==, KVMPPC_H_CAS);
    g_assert_cmpint(spapr_hypercall(NULL, MAX_HCALL_OPCODE, args), ==, H_BUSY);
}

static void test_unknown_opcode(void)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { 7, 8, 9 };
    static const target_ulong unknown[] = {
        0,
        H_REMOVE,
        H_ENTER + 1,
        MAX_HCALL_OPCODE + 4,
        KVMPPC_HCALL_BASE - 1,
        KVMPPC_HCALL_MAX + 1,
        ~(target_ulong)0,
    };

    spapr_hypercall_table_clear();
    spapr_register_hypercall(H_ENTER, h_echo);
    for (size_t i = 0; i < ARRAY_SIZE(unknown); i++) {
        g_assert_cmpint(spapr_hypercall(NULL, unknown[i], args), ==, H_FUNCTION);
        g_assert_cmpuint(args[0], ==, 7);
        g_assert_cmpuint(args[1], ==, 8);
    }
}

/* A hypercall's calls and errors as x-query-hcalls reports them (all vCPUs added up). */
static void profile_of(target_ulong opcode, int64_t *count, int64_t *errors)
{
    JsonNode *node = qmp_x_query_hcalls(NULL, NULL);
    JsonArray *hcalls = json_object_get_array_member(json_node_get_object(node), "hcalls");

    *count = *errors = 0;
    for (guint i = 0; i < json_array_get_length(hcalls); i++) {
        JsonObject *o = json_array_get_object_element(hcalls, i);

        if (json_object_get_int_member(o, "number") == (int64_t)opcode) {
            *count = json_object_get_int_member(o, "count");
            *errors = json_object_get_int_member(o, "errors");
        }
    }
    json_node_unref(node);
}

/*
 * Every vCPU counts in a profile of its own (no shared counter): the report
 * adds them up, calls without a vCPU (qtest) included; an unregistered
 * opcode in range is counted with its H_FUNCTION error, one outside the
 * ranges nowhere.
 */
static void test_counters(void)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { 0 };
    g_autofree PowerPCCPU *cpu0 = g_new0(PowerPCCPU, 1);
    g_autofree PowerPCCPU *cpu1 = g_new0(PowerPCCPU, 1);
    int64_t enter0, enter_err0, rtas0, rtas_err0, remove0, remove_err0;
    int64_t enter, enter_err, rtas, rtas_err, remove, remove_err, outside, outside_err;

    cpu1->cpu_index = 1;
    spapr_hypercall_table_clear();
    spapr_register_hypercall(H_ENTER, h_echo);
    spapr_register_hypercall(KVMPPC_H_RTAS, h_busy);
    profile_of(H_ENTER, &enter0, &enter_err0);
    profile_of(KVMPPC_H_RTAS, &rtas0, &rtas_err0);
    profile_of(H_REMOVE, &remove0, &remove_err0);
    for (int i = 0; i < 3; i++) {
        spapr_hypercall(cpu0, H_ENTER, args);
    }
    spapr_hypercall(cpu1, H_ENTER, args);
    spapr_hypercall(NULL, H_ENTER, args);
    spapr_hypercall(cpu1, KVMPPC_H_RTAS, args);
    g_assert_cmpint(spapr_hypercall(cpu0, H_REMOVE, args), ==, H_FUNCTION);
    g_assert_cmpint(spapr_hypercall(cpu1, H_ENTER + 2, args), ==, H_FUNCTION);
    profile_of(H_ENTER, &enter, &enter_err);
    profile_of(KVMPPC_H_RTAS, &rtas, &rtas_err);
    profile_of(H_REMOVE, &remove, &remove_err);
    profile_of(H_ENTER + 2, &outside, &outside_err);
    g_assert_cmpint(enter - enter0, ==, 5);
    g_assert_cmpint(enter_err - enter_err0, ==, 0);
    g_assert_cmpint(rtas - rtas0, ==, 1);
    g_assert_cmpint(rtas_err - rtas_err0, ==, 0); /* H_BUSY is not an error */
    g_assert_cmpint(remove - remove0, ==, 1);
    g_assert_cmpint(remove_err - remove_err0, ==, 1);
    g_assert_cmpint(outside, ==, 0);
}

static void collect(target_ulong opcode, void *opaque)
{
    g_array_append_val((GArray *)opaque, opcode);
}

static void test_foreach_order(void)
{
    GArray *ops = g_array_new(FALSE, FALSE, sizeof(target_ulong));

    spapr_hypercall_table_clear();
    spapr_register_hypercall(KVMPPC_H_RTAS, h_busy);
    spapr_register_hypercall(H_PUT_TERM_CHAR, h_busy);
    spapr_register_hypercall(H_REMOVE, h_busy);
    spapr_hypercall_foreach(collect, ops);
    g_assert_cmpuint(ops->len, ==, 3);
    g_assert_cmphex(g_array_index(ops, target_ulong, 0), ==, H_REMOVE);
    g_assert_cmphex(g_array_index(ops, target_ulong, 1), ==, H_PUT_TERM_CHAR);
    g_assert_cmphex(g_array_index(ops, target_ulong, 2), ==, KVMPPC_H_RTAS);
    g_array_free(ops, TRUE);
}

/* A registration that must abort, run in a child process. */
static void register_must_abort(target_ulong first, target_ulong second)
{
    if (g_test_subprocess()) {
        spapr_hypercall_table_clear();
        if (first) {
            spapr_register_hypercall(first, h_busy);
        }
        spapr_register_hypercall(second, h_busy);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*spapr_register_hypercall*");
}

static void test_abort_twice(void)
{
    register_must_abort(H_ENTER, H_ENTER);
}

static void test_abort_twice_private(void)
{
    register_must_abort(KVMPPC_H_RTAS, KVMPPC_H_RTAS);
}

static void test_abort_misaligned(void)
{
    register_must_abort(0, H_ENTER + 2);
}

static void test_abort_zero(void)
{
    register_must_abort(0, 0);
}

static void test_abort_beyond_papr(void)
{
    register_must_abort(0, MAX_HCALL_OPCODE + 4);
}

static void test_abort_beyond_private(void)
{
    register_must_abort(0, KVMPPC_HCALL_MAX + 1);
}

static void test_abort_between_ranges(void)
{
    register_must_abort(0, 0x1000);
}

/*
 * The documented hypercalls: every heading line of the form
 * ``NAME`` (0xOPCODE) followed by an underline.  Maps opcode -> name.
 */
static GHashTable *doc_hcalls(void)
{
    const char *srcdir = g_getenv("G_TEST_SRCDIR");
    g_autofree char *path = NULL;
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GRegex) re = NULL;
    GHashTable *doc = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);

    g_assert_nonnull(srcdir);
    path = g_build_filename(srcdir, "..", "..", "docs", "specs", "ppc-spapr-hcalls.rst", NULL);
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    re = g_regex_new("^``(H_[A-Z0-9_]+)`` \\((0x[0-9a-fA-F]+)\\)\\s*$", 0, 0, NULL);
    lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i] && lines[i + 1]; i++) {
        g_autoptr(GMatchInfo) m = NULL;
        g_autofree char *hex = NULL;
        gint64 *op;

        if (!g_regex_match(re, lines[i], 0, &m) ||
            !g_regex_match_simple("^[-=~^]{3,}\\s*$", lines[i + 1], 0, 0)) {
            continue;
        }
        hex = g_match_info_fetch(m, 2);
        op = g_new(gint64, 1);
        *op = g_ascii_strtoll(hex + 2, NULL, 16);
        g_assert_false(g_hash_table_contains(doc, op));
        g_hash_table_insert(doc, op, g_match_info_fetch(m, 1));
    }
    return doc;
}

static void check_documented(target_ulong opcode, void *opaque)
{
    gint64 key = opcode;

    if (!g_hash_table_remove((GHashTable *)opaque, &key)) {
        g_test_message("hcall 0x%" PRIx64 " is registered but not documented", opcode);
        g_test_fail();
    }
}

static void test_doc_agrees(void)
{
    GHashTable *doc = doc_hcalls();
    GHashTableIter it;
    gpointer key, name;

    spapr_hypercall_table_clear();
    module_call_init();
    /* The facilities this phase must have registered. */
    g_assert_true(spapr_hypercall_registered(KVMPPC_H_RTAS));
    g_assert_true(spapr_hypercall_registered(KVMPPC_H_LOGICAL_MEMOP));
    spapr_hypercall_foreach(check_documented, doc);
    g_hash_table_iter_init(&it, doc);
    while (g_hash_table_iter_next(&it, &key, &name)) {
        g_test_message("%s (0x%" PRIx64 ") is documented but not registered", (char *)name,
                       (uint64_t) * (gint64 *)key);
        g_test_fail();
    }
    g_hash_table_destroy(doc);
}

/* The parser itself: it must see the headings the document is made of. */
static void test_doc_parsed(void)
{
    GHashTable *doc = doc_hcalls();
    gint64 rtas = KVMPPC_H_RTAS;

    g_assert_cmpuint(g_hash_table_size(doc), >=, 2);
    g_assert_cmpstr(g_hash_table_lookup(doc, &rtas), ==, "H_RTAS");
    g_hash_table_destroy(doc);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hcall/dispatch/papr", test_dispatch_papr_range);
    g_test_add_func("/hcall/dispatch/private", test_dispatch_private_range);
    g_test_add_func("/hcall/dispatch/unknown", test_unknown_opcode);
    g_test_add_func("/hcall/counters", test_counters);
    g_test_add_func("/hcall/foreach", test_foreach_order);
    g_test_add_func("/hcall/abort/twice", test_abort_twice);
    g_test_add_func("/hcall/abort/twice-private", test_abort_twice_private);
    g_test_add_func("/hcall/abort/misaligned", test_abort_misaligned);
    g_test_add_func("/hcall/abort/zero", test_abort_zero);
    g_test_add_func("/hcall/abort/beyond-papr", test_abort_beyond_papr);
    g_test_add_func("/hcall/abort/beyond-private", test_abort_beyond_private);
    g_test_add_func("/hcall/abort/between-ranges", test_abort_between_ranges);
    g_test_add_func("/hcall/doc/parsed", test_doc_parsed);
    g_test_add_func("/hcall/doc/agrees", test_doc_agrees);
    return g_test_run();
}
