/*
 * spapr-vscsi and the VIO command/response queue hypercalls (hw/ppc/spapr_vio.c,
 * spapr_vscsi.c): H_REG_CRQ and friends with bad arguments, the CRQ handshake, SRP
 * login, MADs, commands with direct and indirect descriptors, task management, and
 * malformed IUs and descriptors, which end in an error response or nothing, never a crash.
 */
#include "spapr-test-machine.h"
#include "block/block-backend.h"
#include "hw/ppc/spapr_tce.h"
#include "hw/ppc/spapr_vio.h"
#include "hw/scsi/scsi.h"
#include "sysemu/blockdev.h"

#include <glib.h>
#include <glib/gstdio.h>

#define RAM (256 * 1024 * 1024ULL)
#define REG 0x71000000u
#define PAGE 4096ULL
#define IMG_SIZE (1024 * 1024)

/* Bus addresses, mapped 1:1 onto guest RAM at GPA_BASE + ioba. */
#define GPA_BASE 0x1000000ULL
#define CRQ 0x0000ULL   /* the queue: one page, 256 elements */
#define IU 0x1000ULL    /* request IUs, 256 bytes apart */
#define DATA 0x10000ULL /* data buffers: 16 pages */
#define TABLE 0x8000ULL /* an indirect descriptor table */
#define UNMAPPED 0x800000ULL

typedef struct Fixture {
    SpaprMachineState *m;
    SpaprVioDevice *vscsi;
    unsigned crq_next; /* the next queue element the "guest" reads */
    char *img;
} Fixture;

static target_ulong hcall(Fixture *f, target_ulong op, target_ulong a0, target_ulong a1,
                          target_ulong a2)
{
    target_ulong args[10] = { a0, a1, a2 };

    return test_hcall(f->m, 0, op, args);
}

static void map(Fixture *f, uint64_t ioba, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        uint64_t io = ioba + i * PAGE;

        g_assert_cmpint(hcall(f, H_PUT_TCE, REG, io, (GPA_BASE + io) | SPAPR_TCE_RW), ==,
                        H_SUCCESS);
    }
}

static void put(uint64_t ioba, const void *buf, size_t len)
{
    g_assert_true(guest_write(GPA_BASE + ioba, buf, len));
}

static void get(uint64_t ioba, void *buf, size_t len)
{
    g_assert_true(guest_read(GPA_BASE + ioba, buf, len));
}

static void st16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
}

static void st32(uint8_t *p, uint32_t v)
{
    st16(p, v >> 16);
    st16(p + 2, v);
}

static void st64(uint8_t *p, uint64_t v)
{
    st32(p, v >> 32);
    st32(p + 4, v);
}

static uint32_t ld32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* The next element the device queued, consumed as the guest does (valid byte cleared); false: none. */
static bool next_crq(Fixture *f, uint8_t *el)
{
    uint64_t at = CRQ + 16 * f->crq_next;

    get(at, el, 16);
    if (!(el[0] & 0x80)) {
        return false;
    }
    put(at, (uint8_t[]){ 0 }, 1);
    f->crq_next = (f->crq_next + 1) % 256;
    return true;
}

/* Send an IU of len bytes at ioba as an SRP (format 1) or MAD (2) payload. */
static void send_iu(Fixture *f, uint8_t format, uint64_t ioba, uint16_t len)
{
    uint64_t hi = 0x80ULL << 56 | (uint64_t)format << 48 | len;

    g_assert_cmpint(hcall(f, H_SEND_CRQ, REG, hi, ioba), ==, H_SUCCESS);
    blk_drain_all();
}

static void fixture_setup(Fixture *f, gconstpointer data)
{
    g_autofree char *arg = NULL;
    DeviceState *dev, *hd;
    char *err = NULL;
    int fd;

    f->m = test_machine_new(RAM, 1, NULL, NULL);
    qdev_tree_reset();
    f->m->vio_bus = spapr_vio_bus_new(NULL, NULL);
    fd = g_file_open_tmp("vscsi-XXXXXX", &f->img, NULL);
    g_assert_cmpint(fd, >=, 0);
    for (int i = 0; i < IMG_SIZE; i += 512) {
        uint8_t sec[512];

        memset(sec, i / 512, sizeof(sec));
        g_assert_cmpint(write(fd, sec, sizeof(sec)), ==, sizeof(sec));
    }
    close(fd);
    arg = g_strdup_printf("if=none,id=vd0,format=raw,file=%s", f->img);
    g_assert_nonnull(drive_new(arg, &err));
    dev = qdev_new("spapr-vscsi");
    g_assert_true(qdev_realize_and_unref(dev, &f->m->vio_bus->bus, &error_abort));
    f->vscsi = (SpaprVioDevice *)dev;
    g_assert_cmpuint(f->vscsi->reg, ==, REG);
    hd = qdev_new("scsi-hd");
    g_assert_true(qdev_prop_set_text(hd, "drive", "vd0", &error_abort));
    qdev_prop_set_int32(hd, "scsi-id", 0);
    qdev_prop_set_int32(hd, "lun", 0);
    g_assert_true(qdev_realize_and_unref(hd, g_ptr_array_index(dev->child_buses, 0), &error_abort));
    map(f, CRQ, 1);
    map(f, IU, 4);
    map(f, TABLE, 1);
    map(f, DATA, 16);
    f->crq_next = 0;
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    qdev_tree_reset();
    drive_cleanup();
    g_unlink(f->img);
    g_free(f->img);
    test_machine_free(f->m);
}

/* Register the queue and do the CRQ initialization handshake. */
static void crq_up(Fixture *f)
{
    uint8_t el[16];

    g_assert_cmpint(hcall(f, H_REG_CRQ, REG, CRQ, PAGE), ==, H_SUCCESS);
    g_assert_cmpint(hcall(f, H_SEND_CRQ, REG, 0xc001000000000000ULL, 0), ==, H_SUCCESS);
    g_assert_true(next_crq(f, el));
    g_assert_cmphex(el[0], ==, 0xc0);
    g_assert_cmphex(el[1], ==, 0x02);
}

static void test_crq_hcalls(Fixture *f, gconstpointer data)
{
    SpaprVioDevice *nvram = spapr_nvram_create(f->m->vio_bus, &error_abort);
    uint8_t el[16];

    g_assert_cmpint(hcall(f, H_REG_CRQ, REG + 7, CRQ, PAGE), ==, H_PARAMETER);
    g_assert_cmpint(hcall(f, H_REG_CRQ, REG, CRQ, 0x800), ==, H_PARAMETER);
    g_assert_cmpint(hcall(f, H_REG_CRQ, REG, CRQ, 0x10001000), ==, H_PARAMETER);
    g_assert_cmpint(hcall(f, H_REG_CRQ, REG, CRQ + 8, PAGE), ==, H_PARAMETER);
    g_assert_cmpint(hcall(f, H_REG_CRQ, nvram->reg, CRQ, PAGE), ==, H_NOT_FOUND);
    g_assert_cmpint(hcall(f, H_SEND_CRQ, nvram->reg, 0, 0), ==, H_HARDWARE);
    g_assert_cmpint(hcall(f, H_SEND_CRQ, REG + 7, 0, 0), ==, H_PARAMETER);
    g_assert_cmpint(hcall(f, H_ENABLE_CRQ, REG + 7, 0, 0), ==, H_PARAMETER);
    g_assert_cmpint(hcall(f, H_ENABLE_CRQ, REG, 0, 0), ==, H_SUCCESS);
    g_assert_cmpint(hcall(f, H_FREE_CRQ, REG + 7, 0, 0), ==, H_PARAMETER);
    /* Without a queue the handshake's answer goes nowhere, and nothing breaks. */
    g_assert_cmpint(hcall(f, H_SEND_CRQ, REG, 0xc001000000000000ULL, 0), ==, H_SUCCESS);
    crq_up(f);
    g_assert_cmpint(hcall(f, H_REG_CRQ, REG, CRQ, PAGE), ==, H_RESOURCE);
    g_assert_cmpint(hcall(f, H_FREE_CRQ, REG, 0, 0), ==, H_SUCCESS);
    f->crq_next = 0;
    crq_up(f);
    /* A queue whose next element is still valid (the guest did not consume it) is full. */
    put(CRQ + 16, (uint8_t[]){ 0x80 }, 1);
    g_assert_cmpint(hcall(f, H_SEND_CRQ, REG, 0xc001000000000000ULL, 0), ==, H_SUCCESS);
    get(CRQ + 16, el, 16);
    g_assert_cmphex(el[1], ==, 0);
    put(CRQ + 16, (uint8_t[]){ 0 }, 1);
    /* A queue outside the TCE mappings: the answer is dropped. */
    g_assert_cmpint(hcall(f, H_FREE_CRQ, REG, 0, 0), ==, H_SUCCESS);
    g_assert_cmpint(hcall(f, H_REG_CRQ, REG, UNMAPPED, PAGE), ==, H_SUCCESS);
    g_assert_cmpint(hcall(f, H_SEND_CRQ, REG, 0xc001000000000000ULL, 0), ==, H_SUCCESS);
    /* Reset frees the queue. */
    qdev_reset(&f->vscsi->qdev);
    g_assert_cmpuint(f->vscsi->crq_size, ==, 0);
}

static void test_login_and_mads(Fixture *f, gconstpointer data)
{
    uint8_t iu[256] = { 0 }, el[16], info[148];

    crq_up(f);
    /* SRP_LOGIN_REQ: the response grants 22 requests, 256-byte IUs, direct and indirect. */
    iu[0] = 0x00;
    memcpy(&iu[8], "TAG-LOGN", 8);
    put(IU, iu, 64);
    send_iu(f, 1, IU, 64);
    g_assert_true(next_crq(f, el));
    g_assert_cmphex(el[0], ==, 0x80);
    g_assert_cmphex(el[1], ==, 0x01);
    g_assert_cmphex(el[3], ==, 0x00);
    g_assert_cmpuint(el[6] << 8 | el[7], ==, 52);
    g_assert_cmpmem(&el[8], 8, "TAG-LOGN", 8);
    get(IU, iu, 52);
    g_assert_cmphex(iu[0], ==, 0xc0);
    g_assert_cmpuint(ld32(&iu[4]), ==, 22);
    g_assert_cmpmem(&iu[8], 8, "TAG-LOGN", 8);
    g_assert_cmpuint(ld32(&iu[16]), ==, 256);
    g_assert_cmpuint(ld32(&iu[20]), ==, 256);
    g_assert_cmphex(iu[25], ==, 0x06);
    /* MAD adapter info: SRP 16.a, partition "qemu", Linux, 2 MiB transfers. */
    memset(iu, 0, sizeof(iu));
    st32(&iu[0], 3);
    st16(&iu[6], 148);
    memcpy(&iu[8], "TAG-INFO", 8);
    st64(&iu[16], DATA);
    put(IU, iu, 24);
    send_iu(f, 2, IU, 24);
    g_assert_true(next_crq(f, el));
    g_assert_cmphex(el[1], ==, 0x02);
    g_assert_cmpmem(&el[8], 8, "TAG-INFO", 8);
    get(IU, iu, 24);
    g_assert_cmpuint(iu[4] << 8 | iu[5], ==, 0);
    get(DATA, info, sizeof(info));
    g_assert_cmpstr((char *)info, ==, "16.a");
    g_assert_cmpstr((char *)&info[8], ==, "qemu");
    g_assert_cmpuint(ld32(&info[112]), ==, 2);
    g_assert_cmpuint(ld32(&info[116]), ==, 4096 * 512);
    /* Its buffer unmapped: status 1. */
    st64(&iu[16], UNMAPPED);
    put(IU, iu, 24);
    send_iu(f, 2, IU, 24);
    g_assert_true(next_crq(f, el));
    get(IU, iu, 24);
    g_assert_cmpuint(iu[4] << 8 | iu[5], ==, 1);
    /* An unknown MAD (enable fast fail): a zero-length answer, the IU left as sent. */
    memset(iu, 0, sizeof(iu));
    st32(&iu[0], 8);
    st16(&iu[6], 16);
    put(IU, iu, 16);
    send_iu(f, 2, IU, 16);
    g_assert_true(next_crq(f, el));
    g_assert_cmpuint(el[6] << 8 | el[7], ==, 0);
    get(IU, iu, 16);
    g_assert_cmpuint(iu[4] << 8 | iu[5], ==, 0);
    /* Oversized, unreadable IUs and unknown formats get no answer. */
    send_iu(f, 1, IU, 257);
    send_iu(f, 1, UNMAPPED, 64);
    g_assert_cmpint(hcall(f, H_SEND_CRQ, REG, 0x8007000000000040ULL, IU), ==, H_SUCCESS);
    g_assert_cmpint(hcall(f, H_SEND_CRQ, REG, 0x1234000000000000ULL, IU), ==, H_SUCCESS);
    g_assert_false(next_crq(f, el));
}

/* An SRP_CMD: lun (SRP format), CDB, data-out/in formats, descriptors after the CDB. */
static uint16_t make_cmd(uint8_t *iu, uint64_t lun, const uint8_t *cdb, unsigned cdb_len,
                         uint8_t fmt, uint8_t out_cnt, uint8_t in_cnt)
{
    memset(iu, 0, 256);
    iu[0] = 0x02;
    iu[5] = fmt;
    iu[6] = out_cnt;
    iu[7] = in_cnt;
    memcpy(&iu[8], "TAG-CMD0", 8);
    st64(&iu[20], lun);
    memcpy(&iu[32], cdb, cdb_len);
    return 48;
}

static void put_desc(uint8_t *p, uint64_t va, uint32_t len)
{
    st64(p, va);
    st32(p + 8, 0);
    st32(p + 12, len);
}

/* Send the command and return the SRP_RSP (status at 19, flags 18, residuals, sense at 36). */
static void do_cmd(Fixture *f, uint8_t *iu, uint16_t len, uint8_t *rsp)
{
    uint8_t el[16];

    put(IU, iu, len);
    send_iu(f, 1, IU, len);
    g_assert_true(next_crq(f, el));
    g_assert_cmphex(el[3], ==, 0);
    get(IU, rsp, 256);
    g_assert_cmphex(rsp[0], ==, 0xc1);
    g_assert_cmpuint(ld32(&rsp[4]), ==, 1);
}

static void test_commands(Fixture *f, gconstpointer data)
{
    uint8_t iu[256], rsp[256], buf[8192];
    uint16_t len;

    crq_up(f);
    /* INQUIRY to LUN 0 (peripheral addressing), one direct data-in descriptor. */
    len = make_cmd(iu, 0, (uint8_t[]){ 0x12, 0, 0, 0, 96, 0 }, 6, 0x01, 0, 1);
    put_desc(&iu[len], DATA, 96);
    do_cmd(f, iu, len + 16, rsp);
    g_assert_cmphex(rsp[19], ==, 0);
    g_assert_cmpmem(&rsp[8], 8, "TAG-CMD0", 8);
    get(DATA, buf, 96);
    g_assert_cmpmem(&buf[8], 24, "QEMU    QEMU HARDDISK   ", 24);
    /* READ(10) of 8 blocks from block 3 into three indirect descriptors in the IU. */
    len = make_cmd(iu, 0, (uint8_t[]){ 0x28, 0, 0, 0, 0, 3, 0, 0, 8, 0 }, 10, 0x02, 0, 3);
    put_desc(&iu[len], IU + 0x100, 48);
    st32(&iu[len + 16], 4096);
    put_desc(&iu[len + 20], DATA, 1000);
    put_desc(&iu[len + 36], DATA + 0x1000, 24);
    put_desc(&iu[len + 52], DATA + 0x2000, 4096 - 1024);
    do_cmd(f, iu, len + 68, rsp);
    g_assert_cmphex(rsp[19], ==, 0);
    g_assert_cmphex(rsp[18] & 0x10, ==, 0);
    get(DATA, buf, 1000);
    get(DATA + 0x1000, buf + 1000, 24);
    get(DATA + 0x2000, buf + 1024, 3072);
    for (int i = 0; i < 4096; i++) {
        g_assert_cmpuint(buf[i], ==, 3 + i / 512);
    }
    /* WRITE(10) of 2 blocks at block 100 from a table outside the IU (IU holds 1 of 2). */
    memset(buf, 0xa5, 1024);
    put(DATA + 0x4000, buf, 512);
    put(DATA + 0x6000, buf + 512, 512);
    put_desc(buf, DATA + 0x4000, 512);
    put_desc(buf + 16, DATA + 0x6000, 512);
    put(TABLE, buf, 32);
    len = make_cmd(iu, 0, (uint8_t[]){ 0x2a, 0, 0, 0, 0, 100, 0, 0, 2, 0 }, 10, 0x20, 1, 0);
    put_desc(&iu[len], TABLE, 32);
    st32(&iu[len + 16], 1024);
    put_desc(&iu[len + 20], DATA + 0x4000, 512);
    do_cmd(f, iu, len + 36, rsp);
    g_assert_cmphex(rsp[19], ==, 0);
    {
        g_autofree char *file = NULL;
        gsize flen;

        g_assert_true(g_file_get_contents(f->img, &file, &flen, NULL));
        for (int i = 0; i < 1024; i++) {
            g_assert_cmphex((uint8_t)file[100 * 512 + i], ==, 0xa5);
        }
        g_assert_cmphex((uint8_t)file[102 * 512], ==, 102);
    }
    /* LUN 5 of target 0 (logical unit addressing): no unit, CHECK CONDITION with sense. */
    len = make_cmd(iu, 0x8005ULL << 48, (uint8_t[]){ 0x00, 0, 0, 0, 0, 0 }, 6, 0, 0, 0);
    do_cmd(f, iu, len, rsp);
    g_assert_cmphex(rsp[19], ==, 2);
    g_assert_cmphex(rsp[18] & 0x02, ==, 0x02);
    g_assert_cmpuint(ld32(&rsp[28]), ==, 18);
    g_assert_cmphex(rsp[36 + 2], ==, 5);
    g_assert_cmphex(rsp[36 + 12], ==, 0x25);
    /* Target 3 does not exist: INQUIRY says "QEMU EMPTY", other commands fail. */
    len = make_cmd(iu, 0x8300ULL << 48, (uint8_t[]){ 0x12, 0, 0, 0, 36, 0 }, 6, 0x01, 0, 1);
    put_desc(&iu[len], DATA, 36);
    do_cmd(f, iu, len + 16, rsp);
    g_assert_cmphex(rsp[19], ==, 0);
    get(DATA, buf, 36);
    g_assert_cmphex(buf[0], ==, 0x7f);
    g_assert_cmpmem(&buf[16], 16, "QEMU EMPTY      ", 16);
    len = make_cmd(iu, 0x8300ULL << 48, (uint8_t[]){ 0x00, 0, 0, 0, 0, 0 }, 6, 0, 0, 0);
    do_cmd(f, iu, len, rsp);
    g_assert_cmphex(rsp[19], ==, 2);
    g_assert_cmphex(rsp[36 + 12], ==, 0x24);
    /* REPORT LUNS at LUN 0: the one unit. */
    len = make_cmd(iu, 0, (uint8_t[]){ 0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 }, 12, 0x01, 0, 1);
    put_desc(&iu[len], DATA, 256);
    do_cmd(f, iu, len + 16, rsp);
    g_assert_cmphex(rsp[19], ==, 0);
    g_assert_cmpuint(ld32(&rsp[24]), ==, 256 - 16);
    get(DATA, buf, 16);
    g_assert_cmpuint(ld32(buf), ==, 8);
}

static void test_bad_descriptors(Fixture *f, gconstpointer data)
{
    uint8_t iu[256], rsp[256];
    uint16_t len;

    crq_up(f);
    /* A data-in descriptor into unmapped memory: HARDWARE ERROR, nothing written. */
    len = make_cmd(iu, 0, (uint8_t[]){ 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, 10, 0x01, 0, 1);
    put_desc(&iu[len], UNMAPPED, 512);
    do_cmd(f, iu, len + 16, rsp);
    g_assert_cmphex(rsp[19], ==, 2);
    g_assert_cmphex(rsp[36 + 2], ==, 4);
    /* An indirect table of zero entries, one of 1 MiB, descriptors beyond the IU. */
    len = make_cmd(iu, 0, (uint8_t[]){ 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, 10, 0x02, 0, 1);
    put_desc(&iu[len], TABLE, 0);
    do_cmd(f, iu, len + 20, rsp);
    g_assert_cmphex(rsp[36 + 2], ==, 4);
    put_desc(&iu[len], TABLE, 1 << 20);
    do_cmd(f, iu, len + 20, rsp);
    g_assert_cmphex(rsp[36 + 2], ==, 4);
    put_desc(&iu[len], UNMAPPED, 64);
    do_cmd(f, iu, len + 20, rsp);
    g_assert_cmphex(rsp[36 + 2], ==, 4);
    do_cmd(f, iu, len + 10, rsp);
    g_assert_cmphex(rsp[36 + 2], ==, 4);
    /* Formats 3-15, and data both ways. */
    len = make_cmd(iu, 0, (uint8_t[]){ 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, 10, 0x03, 0, 1);
    do_cmd(f, iu, len + 16, rsp);
    g_assert_cmphex(rsp[36 + 2], ==, 4);
    len = make_cmd(iu, 0, (uint8_t[]){ 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, 10, 0x11, 1, 1);
    do_cmd(f, iu, len + 32, rsp);
    g_assert_cmphex(rsp[36 + 2], ==, 4);
    /* A buffer smaller than the READ: HARDWARE ERROR (overrun), no transfer. */
    len = make_cmd(iu, 0, (uint8_t[]){ 0x28, 0, 0, 0, 0, 0, 0, 0, 2, 0 }, 10, 0x01, 0, 1);
    put_desc(&iu[len], DATA, 512);
    do_cmd(f, iu, len + 16, rsp);
    g_assert_cmphex(rsp[36 + 2], ==, 4);
    /* A truncated IU. */
    do_cmd(f, iu, 40, rsp);
    g_assert_cmphex(rsp[19], ==, 2);
}

static void test_tsk_mgmt(Fixture *f, gconstpointer data)
{
    uint8_t iu[256] = { 0 }, el[16], rsp[64];

    crq_up(f);
    /* LUN RESET of LUN 0: complete. */
    iu[0] = 0x01;
    memcpy(&iu[8], "TAG-TMF0", 8);
    iu[30] = 0x08;
    put(IU, iu, 48);
    send_iu(f, 1, IU, 48);
    g_assert_true(next_crq(f, el));
    g_assert_cmpuint(el[6] << 8 | el[7], ==, 40);
    get(IU, rsp, 40);
    g_assert_cmphex(rsp[0], ==, 0xc1);
    g_assert_cmphex(rsp[18], ==, 0x01);
    g_assert_cmpuint(ld32(&rsp[32]), ==, 4);
    g_assert_cmphex(rsp[39], ==, 0);
    /* An unknown function, CLEAR ACA, a missing LUN. */
    iu[30] = 0x77;
    put(IU, iu, 48);
    send_iu(f, 1, IU, 48);
    g_assert_true(next_crq(f, el));
    get(IU, rsp, 40);
    g_assert_cmphex(rsp[39], ==, 2);
    iu[30] = 0x40;
    put(IU, iu, 48);
    send_iu(f, 1, IU, 48);
    g_assert_true(next_crq(f, el));
    get(IU, rsp, 40);
    g_assert_cmphex(rsp[39], ==, 4);
    iu[30] = 0x01;
    st64(&iu[20], 0x8300ULL << 48);
    put(IU, iu, 48);
    send_iu(f, 1, IU, 48);
    g_assert_true(next_crq(f, el));
    get(IU, rsp, 40);
    g_assert_cmphex(rsp[39], ==, 2);
}

/* Random IUs of random lengths and formats: each gets at most one answer, no crash. */
static void test_fuzz(Fixture *f, gconstpointer data)
{
    GRand *rand = g_rand_new_with_seed(0x5c5152);
    uint8_t iu[256], el[16];

    crq_up(f);
    for (int i = 0; i < 5000; i++) {
        uint16_t len = g_rand_int_range(rand, 0, 300);

        for (int j = 0; j < 256; j++) {
            iu[j] = g_rand_int(rand);
        }
        if (i & 1) {
            iu[0] = 0x02;
            iu[5] = g_rand_int_range(rand, 0, 0x23);
            iu[20] = i & 2 ? 0x80 : 0;
            iu[21] = 0;
            st64(&iu[48], DATA + g_rand_int_range(rand, 0, 0x20000));
            st64(&iu[64], DATA + g_rand_int_range(rand, 0, 0x20000));
        }
        put(IU, iu, 256);
        send_iu(f, 1 + (i % 3 == 0), IU, len);
        while (next_crq(f, el)) {
        }
    }
    g_rand_free(rand);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    module_call_init();
    g_test_add("/scsi-vscsi/crq-hcalls", Fixture, NULL, fixture_setup, test_crq_hcalls,
               fixture_teardown);
    g_test_add("/scsi-vscsi/login-and-mads", Fixture, NULL, fixture_setup, test_login_and_mads,
               fixture_teardown);
    g_test_add("/scsi-vscsi/commands", Fixture, NULL, fixture_setup, test_commands,
               fixture_teardown);
    g_test_add("/scsi-vscsi/bad-descriptors", Fixture, NULL, fixture_setup, test_bad_descriptors,
               fixture_teardown);
    g_test_add("/scsi-vscsi/tsk-mgmt", Fixture, NULL, fixture_setup, test_tsk_mgmt,
               fixture_teardown);
    g_test_add("/scsi-vscsi/fuzz", Fixture, NULL, fixture_setup, test_fuzz, fixture_teardown);
    return g_test_run();
}
