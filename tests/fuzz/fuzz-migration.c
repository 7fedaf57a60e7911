/*
 * libFuzzer target: the incoming migration stream (migration/savevm.c's
 * reader, migration_load_stream(): the header, the section framing and
 * limits, RAM sections, the machine's pre-copy parts, then the machine, CPU
 * and device sections with each device's state table) loaded into the real
 * pseries machine, as -incoming loads what comes from its channel.
 *
 * Input: a flags byte, then the stream.  Bit 0 of the flags: rewrite the
 * stream's last 4 bytes as the CRC-32 of everything before them, what a
 * stream ending in its END section holds there; without it nearly every
 * mutation fails the checksum before the machine, CPU and device sections
 * are loaded (they wait for the end of the stream).  The channel is a
 * MigChannelOps reader over the input, as snapshot.c's VM state area is.
 */
#include "fuzz.h"
#include "migration/migration.h"

#include <zlib.h>

typedef struct StreamIn {
    const uint8_t *data;
    size_t size;
    size_t pos;
} StreamIn;

static ssize_t stream_read(void *opaque, void *buf, size_t len)
{
    StreamIn *in = opaque;
    size_t n = MIN(len, in->size - in->pos);

    if (n) {
        memcpy(buf, in->data + in->pos, n);
        in->pos += n;
    }
    return n;
}

static const MigChannelOps stream_ops = { .read = stream_read };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_machine();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzInput in = { data, size, 0 };
    uint8_t flags = fuzz_u8(&in);
    size_t len;
    const uint8_t *bytes = fuzz_bytes(&in, SIZE_MAX, &len);
    g_autofree uint8_t *copy = g_malloc(MAX(len, 1));
    StreamIn stream = { copy, len, 0 };
    MigChannel ch = { .fd = -1, .ops = &stream_ops, .opaque = &stream };
    RunState state;
    Error *err = NULL;

    memcpy(copy, bytes, len);
    if ((flags & 1) && len >= 4) {
        uint32_t crc = GUINT32_TO_BE((uint32_t)crc32(crc32(0, NULL, 0), copy, len - 4));

        memcpy(copy + len - 4, &crc, 4);
    }
    fuzz_machine_reset();
    if (!migration_load_stream(current_machine, &ch, &state, &err)) {
        error_free(err);
    }
    return 0;
}
