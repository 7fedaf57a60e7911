/*
 * libFuzzer target: a qcow2 image file opened by the block layer (header,
 * L1/L2 and refcount tables, snapshots table, extensions) and a few reads
 * and writes through it.  Input: 8 operations of 7 bytes each (kind, sector
 * offset, sector count), then the image file's bytes.  The image never
 * names a backing file that is opened ("backing" is null).
 */
#include "fuzz.h"
#include "block/block.h"
#include "block/block-backend.h"
#include "qapi/error.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"

#define OPS 8
#define MAX_SECTORS 128

static char *image; /* the temporary file the input is written to */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    int fd;

    module_call_init();
    main_loop_init();
    fd = g_file_open_tmp("fuzz-qcow2-XXXXXX", &image, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t buf[MAX_SECTORS * 512];
    FuzzInput in = { data, size, 0 };
    struct {
        uint8_t kind;
        uint32_t sector;
        uint16_t count;
    } ops[OPS];
    g_autoptr(GHashTable) o = bdrv_opts_new();
    Error *err = NULL;
    BlockDriverState *bs;
    BlockBackend *blk;
    const uint8_t *file;
    size_t len;

    for (unsigned i = 0; i < OPS; i++) {
        ops[i].kind = fuzz_u8(&in);
        ops[i].sector = fuzz_u32(&in);
        ops[i].count = fuzz_u16(&in) % MAX_SECTORS + 1;
    }
    file = fuzz_bytes(&in, SIZE_MAX, &len);
    g_assert_true(g_file_set_contents(image, (const char *)file, len, NULL));

    bdrv_opts_set(o, "driver", "qcow2");
    bdrv_opts_set(o, "file.driver", "file");
    bdrv_opts_set(o, "file.filename", image);
    bdrv_opts_set(o, "backing", "");
    bs = bdrv_open_opts(o, &err);
    if (!bs) {
        error_free(err);
        return 0;
    }
    blk = blk_new(bs, NULL);
    bdrv_unref(bs);
    for (unsigned i = 0; i < OPS; i++) {
        int64_t off = (int64_t)ops[i].sector * 512;
        int64_t n = ops[i].count * 512;

        switch (ops[i].kind % 4) {
        case 0:
        case 1:
            blk_pread(blk, off, buf, n);
            break;
        case 2:
            memset(buf, ops[i].kind, n);
            blk_pwrite(blk, off, buf, n);
            break;
        case 3:
            bdrv_pwrite_zeroes(bs, off, n);
            break;
        }
    }
    blk_unref(blk);
    return 0;
}
