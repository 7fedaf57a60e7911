/*
 * libFuzzer target: the qtest protocol reader (qtest/qtest.c: the line
 * splitter with its overlong-line handling, the word splitter, the command
 * table and every command's argument checks: memory reads and writes in
 * hex and base64, memset, the virtual clock, rtas, hcall, the I/O ports)
 * on the real pseries machine.  Input: the bytes a qtest client sends;
 * the replies are discarded.
 *
 * The server runs on a null chardev and gets the input the way a backend's
 * reads deliver it (chr_be_write, at most CHR_READ_BUF_LEN bytes at a
 * time), after an OPENED event that drops any partial line of the previous
 * input.  Nothing the protocol carries ends the process; only the peer
 * going away (CLOSED) does, and this target never reports it.
 */
#include "fuzz.h"
#include "chardev/char-internal.h"
#include "qtest/qtest.h"

static Chardev *chr;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char *err = NULL;

    fuzz_machine();
    if (!qtest_server_init("null", NULL, &err)) {
        fuzz_fail("fuzz-qtest: %s", err);
    }
    chr = qemu_chr_find("qtest");
    g_assert_nonnull(chr);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_machine_reset();
    chr_be_event(chr, CHR_EVENT_OPENED);
    for (size_t pos = 0; pos < size; pos += CHR_READ_BUF_LEN) {
        chr_be_write(chr, data + pos, (int)MIN(size - pos, CHR_READ_BUF_LEN));
    }
    return 0;
}
