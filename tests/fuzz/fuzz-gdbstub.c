/*
 * libFuzzer target: the GDB stub (gdbstub/gdbstub.c): its byte-stream
 * reader (packets, '}' escapes, checksums, '+'/'-' acknowledgements and
 * resends, any byte stopping a running VM) and every command handler (?,
 * g/G, p/P, m/M, H, T, Z/z, c/C/s/S, D, vCont, qSupported, qXfer, qC,
 * thread lists...) on the real pseries machine, its two vCPUs registered as
 * a started machine registers them but without threads (none runs: c and s
 * only change the run state, which the next byte stops again).
 *
 * Input: a flags byte, then the bytes GDB sends.  Flags bit 0: each packet
 * gets its right checksum (written over the two bytes after its '#'), so
 * mutations reach the handlers; without it the checksums are as given.
 * k and vKill end QEMU at once by design: such packets become '?'.
 *
 * Per input: the stub sees a new connection (CHR_EVENT_OPENED: parser
 * state, acknowledgements, the VM paused); breakpoints, watchpoints and
 * single-stepping are removed; the machine is reset only after an input
 * with a packet that writes registers or memory (G, P, M).
 */
#include "fuzz.h"
#include "chardev/char-internal.h"
#include "gdbstub/gdbstub.h"
#include "sysemu/cpus.h"

static Chardev *chr;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char *err = NULL;

    fuzz_machine();
    fuzz_machine_register_cpus();
    if (!gdbserver_start("null", &err)) {
        fuzz_fail("fuzz-gdbstub: %s", err);
    }
    chr = qemu_chr_find("gdb");
    g_assert_nonnull(chr);
    return 0;
}

/*
 * The packet starting after the '$' at buf[start]: its first bytes
 * unescaped into out (up to n), and the index of its closing '#' (len when
 * there is none).
 */
static size_t packet_scan(const uint8_t *buf, size_t len, size_t start, char *out, size_t n)
{
    size_t k = 0;
    bool esc = false;

    for (size_t i = start; i < len; i++) {
        uint8_t ch = buf[i];

        if (!esc && ch == '#') {
            return i;
        }
        if (!esc && ch == '}') {
            esc = true;
            continue;
        }
        if (k < n) {
            out[k++] = (char)(esc ? ch ^ 0x20 : ch);
        }
        esc = false;
    }
    return len;
}

/*
 * Every '$' may start a packet (the reader drops an overlong one and starts
 * again at the next '$'): no kill survives.  Returns whether some packet
 * writes registers or memory.
 */
static bool prepare(uint8_t *buf, size_t len, bool fix_sums)
{
    static const char hex[] = "0123456789abcdef";
    bool writes = false;

    for (size_t i = 0; i < len; i++) {
        char head[6] = { 0 };
        size_t end;

        if (buf[i] != '$') {
            continue;
        }
        end = packet_scan(buf, len, i + 1, head, sizeof(head));
        if (end > i + 1 && (head[0] == 'k' || !memcmp(head, "vKill;", 6))) {
            buf[i + 1] = '?';
            head[0] = '?';
        }
        writes |= head[0] == 'G' || head[0] == 'P' || head[0] == 'M';
        if (fix_sums && end + 2 < len) {
            uint8_t sum = 0;

            for (size_t k = i + 1; k < end; k++) {
                sum += buf[k];
            }
            buf[end + 1] = hex[sum >> 4];
            buf[end + 2] = hex[sum & 15];
        }
    }
    return writes;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool dirty;
    g_autofree uint8_t *buf = NULL;
    bool fix_sums;

    if (!size) {
        return 0;
    }
    fix_sums = data[0] & 1;
    buf = g_memdup2(data + 1, size - 1);
    size--;
    chr_be_event(chr, CHR_EVENT_OPENED); /* the VM is paused */
    if (dirty) {
        fuzz_machine_reset();
    }
    dirty = prepare(buf, size, fix_sums);
    for (unsigned i = 0; i < cpus_count(); i++) {
        ppc_debug_remove_all(cpus_get(i));
        ppc_debug_single_step(cpus_get(i), false);
    }
    for (size_t pos = 0; pos < size; pos += CHR_READ_BUF_LEN) {
        chr_be_write(chr, buf + pos, (int)MIN(size - pos, CHR_READ_BUF_LEN));
    }
    return 0;
}
