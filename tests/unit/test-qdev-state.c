/*
 * Device state tables with variable-length entries (an array of structs whose
 * length is another field, a byte buffer sized by the instance): the exact
 * stream, round trips, and loads refused with nothing changed.
 */
#include "hw/qdev-core.h"
#include "hw/ppc/spapr_vio.h"
#include "qemu/module.h"
#include "sysemu/blockdev.h"
#include <glib/gstdio.h>

typedef struct TestElem {
    uint32_t word;
    uint8_t byte;
    bool flag;
} TestElem;

typedef struct TestVar {
    DeviceState qdev;
    uint32_t nr; /* elements of elems; state, and must match on load */
    TestElem *elems;
    uint32_t len; /* bytes of buf; not state itself */
    uint8_t *buf;
    uint16_t tail;
    unsigned post_loads;
} TestVar;

static const VMStateField elem_fields[] = {
    VMSTATE_UINT32(word, TestElem),
    VMSTATE_UINT8(byte, TestElem),
    VMSTATE_BOOL(flag, TestElem),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription elem_vmsd = {
    .name = "test/elem",
    .version_id = 1,
    .fields = elem_fields,
};

static const VMStateField var_fields[] = {
    VMSTATE_UINT32_EQUAL(nr, TestVar),
    VMSTATE_STRUCT_VARRAY_POINTER_UINT32(elems, TestVar, nr, elem_vmsd, TestElem),
    VMSTATE_VBUFFER_UINT32(buf, TestVar, len),
    VMSTATE_UINT16(tail, TestVar),
    VMSTATE_END_OF_LIST(),
};

/* Refuses a tail of 0xdead, as a device refuses a server that does not exist. */
static bool var_post_load(DeviceState *dev, Error **errp)
{
    TestVar *t = (TestVar *)dev;

    if (t->tail == 0xdead) {
        error_setg(errp, "tail 0xdead is no state");
        return false;
    }
    t->post_loads++;
    return true;
}

static const VMStateDescription var_vmsd = {
    .name = "test_var",
    .version_id = 1,
    .fields = var_fields,
    .post_load = var_post_load,
};

static const DeviceClass test_var_class = {
    .name = "test-var",
    .instance_size = sizeof(TestVar),
    .vmsd = &var_vmsd,
};

static TestVar *new_var(uint32_t nr, uint32_t len)
{
    TestVar *t = (TestVar *)qdev_new("test-var");

    t->nr = nr;
    t->elems = g_new0(TestElem, nr);
    t->len = len;
    t->buf = g_malloc0(len);
    return t;
}

static void free_var(TestVar *t)
{
    g_free(t->elems);
    g_free(t->buf);
    qdev_free(&t->qdev);
}

static void fill(TestVar *t, uint8_t seed)
{
    for (uint32_t i = 0; i < t->nr; i++) {
        t->elems[i] = (TestElem){ 0x01020300u + seed + i, seed ^ i, (i & 1) != 0 };
    }
    for (uint32_t i = 0; i < t->len; i++) {
        t->buf[i] = seed + 3 * i;
    }
    t->tail = 0x4000 + seed;
}

static void test_stream_layout(void)
{
    TestVar *t = new_var(2, 3);
    g_autoptr(GByteArray) st = NULL;
    /* nr, then each element's fields, then the bytes, then tail; big-endian. */
    static const uint8_t want[] = {
        0x00, 0x00, 0x00, 0x02,             /* nr */
        0x01, 0x02, 0x03, 0x10, 0x10, 0x00, /* elems[0] */
        0x01, 0x02, 0x03, 0x11, 0x11, 0x01, /* elems[1] */
        0x10, 0x13, 0x16,                   /* buf */
        0x40, 0x10,                         /* tail */
    };

    fill(t, 0x10);
    st = qdev_state_save(&t->qdev);
    g_assert_cmpmem(st->data, st->len, want, sizeof(want));
    free_var(t);
}

static void test_round_trip(void)
{
    TestVar *a = new_var(5, 300), *b = new_var(5, 300);
    g_autoptr(GByteArray) st = NULL;

    fill(a, 7);
    fill(b, 99);
    st = qdev_state_save(&a->qdev);
    g_assert_cmpuint(st->len, ==, 4 + 5 * 6 + 300 + 2);
    g_assert_true(qdev_state_load(&b->qdev, st->data, st->len, &error_abort));
    for (unsigned i = 0; i < 5; i++) {
        g_assert_cmpuint(b->elems[i].word, ==, a->elems[i].word);
        g_assert_cmpuint(b->elems[i].byte, ==, a->elems[i].byte);
        g_assert_cmpuint(b->elems[i].flag, ==, a->elems[i].flag);
    }
    g_assert_cmpmem(b->buf, 300, a->buf, 300);
    g_assert_cmpuint(b->tail, ==, a->tail);
    g_assert_cmpuint(b->post_loads, ==, 1);
    free_var(a);
    free_var(b);
}

/* A refused load leaves the instance byte for byte as it was. */
static void assert_refused(TestVar *t, const GByteArray *st, const char *want_err)
{
    g_autoptr(GByteArray) before = qdev_state_save(&t->qdev);
    g_autoptr(GByteArray) after = NULL;
    Error *err = NULL;
    unsigned post_loads = t->post_loads;

    g_assert_false(qdev_state_load(&t->qdev, st->data, st->len, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, want_err);
    error_free(err);
    after = qdev_state_save(&t->qdev);
    g_assert_cmpmem(after->data, after->len, before->data, before->len);
    g_assert_cmpuint(t->post_loads, ==, post_loads);
}

static void test_bad_lengths(void)
{
    TestVar *src = new_var(4, 16);
    TestVar *fewer = new_var(3, 16), *shorter = new_var(4, 15), *same = new_var(4, 16);
    g_autoptr(GByteArray) st = NULL;
    g_autoptr(GByteArray) cut = NULL;
    g_autoptr(GByteArray) longer = NULL;

    fill(src, 1);
    fill(fewer, 2);
    fill(shorter, 3);
    fill(same, 4);
    st = qdev_state_save(&src->qdev);
    /* Another element count: the length field says so before the array. */
    assert_refused(fewer, st, "test-var: nr is 4 in the state, 3 here");
    /* Another buffer size: only the total length can tell. */
    assert_refused(shorter, st, "test-var: state is 46 bytes, expected 45");
    /* Truncated and over-long streams. */
    cut = g_byte_array_new();
    g_byte_array_append(cut, st->data, st->len - 1);
    assert_refused(same, cut, "test-var: state is 45 bytes, expected 46");
    g_byte_array_set_size(cut, 2);
    assert_refused(same, cut, "test-var: state is 2 bytes, expected 46");
    longer = g_byte_array_new();
    g_byte_array_append(longer, st->data, st->len);
    g_byte_array_append(longer, (const uint8_t *)"x", 1);
    assert_refused(same, longer, "test-var: state is 47 bytes, expected 46");
    free_var(src);
    free_var(fewer);
    free_var(shorter);
    free_var(same);
}

/* post_load refuses after the fields were written: the load is undone. */
static void test_post_load_undo(void)
{
    TestVar *src = new_var(2, 8), *dst = new_var(2, 8);
    g_autoptr(GByteArray) st = NULL;

    fill(src, 5);
    fill(dst, 6);
    src->tail = 0xdead;
    st = qdev_state_save(&src->qdev);
    assert_refused(dst, st, "tail 0xdead is no state");
    g_assert_cmpuint(dst->tail, ==, 0x4006);
    g_assert_cmpuint(dst->buf[1], ==, 9);
    free_var(src);
    free_var(dst);
}

/* Empty variable entries (nothing allocated) save and load as nothing. */
static void test_empty(void)
{
    TestVar *a = new_var(0, 0), *b = new_var(0, 0);
    g_autoptr(GByteArray) st = NULL;

    g_free(a->elems);
    a->elems = NULL;
    g_free(a->buf);
    a->buf = NULL;
    a->tail = 0x1234;
    st = qdev_state_save(&a->qdev);
    g_assert_cmpmem(st->data, st->len, ((const uint8_t[]){ 0, 0, 0, 0, 0x12, 0x34 }), 6);
    g_assert_true(qdev_state_load(&b->qdev, st->data, st->len, &error_abort));
    g_assert_cmpuint(b->tail, ==, 0x1234);
    free_var(a);
    free_var(b);
}

static void count_fields(const VMStateField *f, const void *data, size_t count, void *opaque)
{
    g_string_append_printf(opaque, "%s:%zu%s ", f->name, count, data ? "" : "(null)");
}

static void test_foreach(void)
{
    TestVar *t = new_var(3, 10);
    g_autoptr(GString) s = g_string_new(NULL);

    qdev_state_foreach(&t->qdev, count_fields, s);
    g_assert_cmpstr(s->str, ==, "nr:1 elems:3 buf:10 tail:1 ");
    free_var(t);
}

/* ---- spapr-nvram: its contents are state -------------------------------- */

/* reg, irq and size (each 4 bytes), then the contents. */
#define NVRAM_HDR 12

static void test_nvram_contents(void)
{
    g_autofree char *path = NULL;
    g_autofree char *drive_arg = NULL;
    g_autofree char *file = NULL;
    char *err = NULL;
    int fd = g_file_open_tmp("nvram-XXXXXX", &path, NULL);
    SpaprVioBus *bus;
    DeviceState *mem, *img;
    g_autoptr(GByteArray) st = NULL;
    g_autoptr(GByteArray) st2 = NULL;
    g_autoptr(GByteArray) other = NULL;
    gsize flen;

    /* A 16 KiB image of 0x5a, and an nvram without one (64 KiB of zeros). */
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    file = g_malloc(16384);
    memset(file, 0x5a, 16384);
    g_assert_true(g_file_set_contents(path, file, 16384, NULL));
    drive_arg = g_strdup_printf("if=none,id=nv0,format=raw,file=%s", path);
    g_assert_nonnull(drive_new(drive_arg, &err));
    qdev_tree_reset();
    bus = spapr_vio_bus_new(NULL, NULL);
    mem = &spapr_nvram_create(bus, &error_abort)->qdev;
    img = qdev_new("spapr-nvram");
    g_assert_true(qdev_prop_set_text(img, "drive", "nv0", &error_abort));
    g_assert_true(qdev_realize_and_unref(img, &bus->bus, &error_abort));

    st = qdev_state_save(mem);
    g_assert_cmpuint(st->len, ==, NVRAM_HDR + 65536);
    g_assert_cmpmem(st->data, NVRAM_HDR,
                    ((const uint8_t[]){ 0x71, 0, 0, 0, 0, 0, 0x11, 0, 0, 1, 0, 0 }), NVRAM_HDR);
    st2 = qdev_state_save(img);
    g_assert_cmpuint(st2->len, ==, NVRAM_HDR + 16384);
    g_assert_cmpuint(st2->data[NVRAM_HDR + 100], ==, 0x5a);

    /* New contents load into the image's nvram and reach the file. */
    memset(st2->data + NVRAM_HDR, 0xc3, 16384);
    st2->data[NVRAM_HDR + 7] = 0x01;
    g_assert_true(qdev_state_load(img, st2->data, st2->len, &error_abort));
    other = qdev_state_save(img);
    g_assert_cmpmem(other->data, other->len, st2->data, st2->len);
    g_free(file);
    file = NULL;
    g_assert_true(g_file_get_contents(path, &file, &flen, NULL));
    g_assert_cmpuint(flen, ==, 16384);
    g_assert_cmpmem(file, flen, st2->data + NVRAM_HDR, 16384);

    /* A 64 KiB nvram's state does not fit the 16 KiB one, nor the reverse. */
    {
        Error *e = NULL;

        g_assert_false(qdev_state_load(img, st->data, st->len, &e));
        g_assert_cmpstr(error_get_pretty(e), ==,
                        "spapr-nvram: sdev.reg is 1895825408 in the state, "
                        "1895825409 here");
        error_free(e);
        e = NULL;
        /* Same reg and irq, another size: refused by the size field. */
        st->data[3] = 0x01;
        st->data[7] = 0x01;
        g_assert_false(qdev_state_load(img, st->data, st->len, &e));
        g_assert_cmpstr(error_get_pretty(e), ==,
                        "spapr-nvram: size is 65536 in the state, "
                        "16384 here");
        error_free(e);
    }
    g_byte_array_unref(other);
    other = qdev_state_save(img);
    g_assert_cmpmem(other->data, other->len, st2->data, st2->len);

    qdev_tree_reset();
    drive_cleanup();
    g_unlink(path);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    module_call_init();
    qdev_register_type(&test_var_class);
    g_test_add_func("/qdev-state/layout", test_stream_layout);
    g_test_add_func("/qdev-state/round-trip", test_round_trip);
    g_test_add_func("/qdev-state/bad-lengths", test_bad_lengths);
    g_test_add_func("/qdev-state/post-load-undo", test_post_load_undo);
    g_test_add_func("/qdev-state/empty", test_empty);
    g_test_add_func("/qdev-state/foreach", test_foreach);
    g_test_add_func("/qdev-state/spapr-nvram", test_nvram_contents);
    return g_test_run();
}
