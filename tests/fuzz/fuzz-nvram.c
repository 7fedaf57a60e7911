/*
 * libFuzzer target: the partition's nvram.  The machine's spapr-nvram is
 * backed by a 64 KiB raw image given as `-drive if=pflash,format=raw`
 * (a temporary file of this process), and the guest reaches it through
 * the RTAS services nvram-fetch and nvram-store (H_RTAS, argument block in
 * guest RAM); the -prom-env layout is chrp_nvram_format(), the function
 * spapr-nvram formats an image-less nvram with.
 *
 * Input: a flags byte; with bit 0, a CHRP layout first: the nvram size
 * (one spapr-nvram can have: 8 KiB to 1 MiB) and up to 32 NAME=VALUE
 * strings, formatted into a buffer of exactly that size and then parsed
 * back (headers, checksums, strings, the free partition).  Then up to 8
 * RTAS calls: fetch or store, now and then wrong argument or result
 * counts, the offset and length (usually inside the nvram or just past
 * it, sometimes any 32-bit value) and the guest buffer (inside the RAM
 * window or anywhere).
 *
 * Checked: a store that succeeds holds its bytes in the nvram and in the
 * image (a shadow copy is compared after the input), a fetch returns what
 * the shadow holds, a refused call changes nothing.  After an input that
 * stored, the nvram and its image get their first contents back.
 */
#include "fuzz.h"
#include "exec/guest-memory.h"
#include "hw/nvram/chrp_nvram.h"
#include "hw/ppc/spapr_rtas.h"
#include "qemu/units.h"
#include "sysemu/blockdev.h"
#include <glib/gstdio.h>

#define MAX_CALLS 8
#define BLOCK FUZZ_WINDOW /* the argument block; buffers follow it */
#define BUF (FUZZ_WINDOW + 0x100)
#define BUF_SIZE (FUZZ_WINDOW_SIZE - 0x100)
#define NVRAM_SIZE (64 * KiB)
#define SCRATCH (32 * MiB) /* where the target fetches the whole nvram */
#define MAX_VARS 32

static DriveInfo *drive;
static uint8_t shadow[NVRAM_SIZE]; /* what the nvram should hold */
static uint8_t initial[NVRAM_SIZE];

/* The argument block of an RTAS call. */
static void rtas_block(uint32_t token, uint32_t nargs, uint32_t nret, const uint32_t *args)
{
    g_assert_true(guest_stl_be(BLOCK, token));
    g_assert_true(guest_stl_be(BLOCK + 4, nargs));
    g_assert_true(guest_stl_be(BLOCK + 8, nret));
    for (uint32_t i = 0; i < nargs + nret; i++) {
        g_assert_true(guest_stl_be(BLOCK + 12 + 4 * i, i < nargs ? args[i] : 0xdeadbeef));
    }
}

/* Make the call of the block on CPU 0: the status and the second result. */
static int32_t rtas_issue(uint32_t nargs, uint32_t nret, uint32_t *ret1)
{
    SpaprMachineState *spapr = fuzz_machine();
    target_ulong hargs[SPAPR_HCALL_NARGS] = { BLOCK };
    uint32_t status = 0;

    spapr_hypercall(spapr->cpus[0], KVMPPC_H_RTAS, hargs);
    if (nret) {
        g_assert_true(guest_ldl_be(BLOCK + 12 + 4 * nargs, &status));
    }
    if (nret > 1 && ret1) {
        g_assert_true(guest_ldl_be(BLOCK + 16 + 4 * nargs, ret1));
    }
    return (int32_t)status;
}

static int32_t rtas_call(uint32_t token, uint32_t nargs, uint32_t nret, const uint32_t *args,
                         uint32_t *ret1)
{
    rtas_block(token, nargs, nret, args);
    return rtas_issue(nargs, nret, ret1);
}

/* The whole nvram, fetched by the guest's own service, equals want; so does the image. */
static void check_contents(const uint8_t *want)
{
    uint32_t args[3] = { 0, SCRATCH, NVRAM_SIZE }, len = 0;
    g_autofree uint8_t *got = g_malloc(NVRAM_SIZE);

    g_assert_cmpint(rtas_call(RTAS_NVRAM_FETCH, 3, 2, args, &len), ==, RTAS_OUT_SUCCESS);
    g_assert_cmpuint(len, ==, NVRAM_SIZE);
    g_assert_true(guest_read(SCRATCH, got, NVRAM_SIZE));
    g_assert_cmpmem(got, NVRAM_SIZE, want, NVRAM_SIZE);
    g_assert_true(drive_pread(drive, 0, got, NVRAM_SIZE));
    g_assert_cmpmem(got, NVRAM_SIZE, want, NVRAM_SIZE);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    g_autofree char *path = NULL;
    g_autofree char *spec = NULL;
    g_autoptr(GError) gerr = NULL;
    char *err = NULL;
    int fd = g_file_open_tmp("fuzz-nvram-XXXXXX.img", &path, &gerr);

    g_assert_no_error(gerr);
    /* A recognisable first content: each 16-bit word its own offset. */
    for (unsigned i = 0; i < NVRAM_SIZE; i++) {
        initial[i] = i & 1 ? (i >> 1) & 0xff : (i >> 9) & 0xff;
    }
    g_assert_true(write(fd, initial, NVRAM_SIZE) == NVRAM_SIZE);
    close(fd);
    spec = g_strdup_printf("if=pflash,format=raw,file=%s", path);
    drive = drive_new(spec, &err);
    if (!drive) {
        fuzz_fail("fuzz-nvram: %s", err);
    }
    fuzz_machine();
    /* The drive keeps the file open; nothing of it stays behind. */
    g_unlink(path);
    memcpy(shadow, initial, NVRAM_SIZE);
    check_contents(initial);
    return 0;
}

/* Parse back what chrp_nvram_format() laid out in buf (size bytes) from vars. */
static void check_layout(const uint8_t *buf, size_t size, char **vars, unsigned n, size_t end,
                         unsigned dropped)
{
    size_t pos = 16;

    g_assert_cmpuint(end % 16, ==, 0);
    g_assert_cmpuint(end, <=, size);
    g_assert_cmpuint(end, >=, 2 * KiB);
    g_assert_cmpuint(dropped, <=, n);
    g_assert_cmphex(buf[0], ==, 0x70);
    g_assert_cmphex(buf[1], ==, chrp_nvram_header_checksum(buf));
    g_assert_cmpuint((size_t)(buf[2] << 8 | buf[3]) * 16, ==, end);
    g_assert_cmpmem(buf + 4, 12, "system\0\0\0\0\0\0", 12);
    for (unsigned i = 0; i < n - dropped; i++) {
        size_t len = strlen(vars[i]) + 1;

        g_assert_cmpuint(pos + len, <, end);
        g_assert_cmpmem(buf + pos, len, vars[i], len);
        pos += len;
    }
    g_assert_cmpuint(buf[pos], ==, 0);
    if (size - end >= 32) {
        g_assert_cmphex(buf[end], ==, 0x7f);
        g_assert_cmphex(buf[end + 1], ==, chrp_nvram_header_checksum(buf + end));
        g_assert_cmpmem(buf + end + 4, 12, "free\0\0\0\0\0\0\0\0", 12);
    }
}

static void fuzz_layout(FuzzInput *in)
{
    uint32_t sel = fuzz_u32(in);
    size_t size = sel & 1 ? 64 * KiB : 8 * KiB + (sel >> 1) % (1 * MiB - 8 * KiB + 1);
    unsigned n = fuzz_u8(in) % (MAX_VARS + 1), dropped;
    char *vars[MAX_VARS];
    g_autofree uint8_t *buf = g_malloc(size);
    size_t end;

    for (unsigned i = 0; i < n; i++) {
        size_t len;
        /* Long ones now and then: a byte of the length counts 256 bytes. */
        uint16_t want = fuzz_u8(in);
        const uint8_t *p = fuzz_bytes(in, want >= 0xf0 ? (want - 0xef) * 256 : want, &len);

        vars[i] = g_strndup((const char *)p, len);
    }
    memset(buf, 0xa5, size);
    end = chrp_nvram_format(buf, size, (const char *const *)vars, n, 2 * KiB, &dropped);
    check_layout(buf, size, vars, n, end, dropped);
    for (unsigned i = 0; i < n; i++) {
        g_free(vars[i]);
    }
}

/* An offset or a length: mostly inside the nvram or just past it. */
static uint32_t pick_range(FuzzInput *in)
{
    uint8_t sel = fuzz_u8(in);

    if (sel >= 0xf0) {
        return fuzz_u32(in);
    }
    return fuzz_u16(in) % (NVRAM_SIZE + 64);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzInput in = { data, size, 0 };
    uint8_t flags = fuzz_u8(&in);
    bool stored = false;

    if (flags & 1) {
        fuzz_layout(&in);
    }
    for (unsigned n = 0; n < MAX_CALLS && fuzz_left(&in); n++) {
        uint8_t kind = fuzz_u8(&in);
        bool store = kind & 1;
        uint32_t nargs = kind & 0x80 ? fuzz_u8(&in) % 6 : 3;
        uint32_t nret = kind & 0x40 ? fuzz_u8(&in) % 4 : 2;
        uint32_t offset = pick_range(&in), len = pick_range(&in), buf, done = 0;
        uint8_t where = fuzz_u8(&in);
        uint32_t args[5];
        g_autofree uint8_t *before = NULL;
        bool valid;
        size_t fill;
        const uint8_t *bytes;
        int32_t status;

        buf = where >= 0xf0 ? fuzz_u32(&in) : (uint32_t)(BUF + fuzz_u16(&in) % BUF_SIZE);
        if (store) {
            /* What the guest stores: the input's next bytes where they fit in the window. */
            if (buf >= BUF && buf < BUF + BUF_SIZE) {
                bytes = fuzz_bytes(&in, MIN(len, BUF + BUF_SIZE - buf), &fill);
                g_assert_true(guest_write(buf, bytes, fill));
            }
        }
        args[0] = offset;
        args[1] = buf;
        args[2] = len;
        args[3] = args[4] = 0;
        valid = (uint64_t)offset + len <= NVRAM_SIZE && guest_range_valid(buf, len);
        rtas_block(store ? RTAS_NVRAM_STORE : RTAS_NVRAM_FETCH, nargs, nret, args);
        /* What a store takes: the guest's bytes at the call (the block may be among them). */
        before = g_malloc(valid ? MAX(len, 1) : 1);
        if (valid) {
            g_assert_true(guest_read(buf, before, len));
        }
        status = rtas_issue(nargs, nret, &done);
        if (nargs != 3 || nret != 2) {
            g_assert_cmpint(status, ==, nret ? (int32_t)RTAS_OUT_PARAM_ERROR : 0);
            continue;
        }
        if (!valid) {
            g_assert_cmpint(status, ==, RTAS_OUT_PARAM_ERROR);
            continue;
        }
        g_assert_cmpint(status, ==, RTAS_OUT_SUCCESS);
        g_assert_cmpuint(done, ==, len);
        if (store) {
            memcpy(shadow + offset, before, len);
            stored = true;
        } else if ((uint64_t)buf >= BLOCK + 0x100 || (uint64_t)buf + len <= BLOCK) {
            /* (The results were stored after the bytes: where they overlap, they won.) */
            g_assert_true(guest_read(buf, before, len));
            g_assert_cmpmem(before, len, shadow + offset, len);
        }
    }
    if (stored) {
        uint32_t args[3] = { 0, SCRATCH, NVRAM_SIZE }, len = 0;

        check_contents(shadow);
        g_assert_true(guest_write(SCRATCH, initial, NVRAM_SIZE));
        g_assert_cmpint(rtas_call(RTAS_NVRAM_STORE, 3, 2, args, &len), ==, RTAS_OUT_SUCCESS);
        memcpy(shadow, initial, NVRAM_SIZE);
    }
    g_assert_true(guest_memset(FUZZ_WINDOW, 0, FUZZ_WINDOW_SIZE));
    return 0;
}
