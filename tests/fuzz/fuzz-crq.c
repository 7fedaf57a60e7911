/*
 * libFuzzer target: spapr-vscsi, the PAPR virtual SCSI adapter, as the
 * guest's ibmvscsi driver drives it: a command/response queue (H_REG_CRQ,
 * H_FREE_CRQ, H_ENABLE_CRQ, H_SEND_CRQ), SRP information units (login,
 * commands with direct and indirect data descriptors, task management)
 * and MADs read from and answered into guest memory through the device's
 * TCE window (H_PUT_TCE, H_STUFF_TCE, H_GET_TCE, ibm,set-tce-bypass), its
 * interrupt (H_VIO_SIGNAL), and H_COPY_RDMA.  Inputs may also write guest
 * bytes past the queue (an indirect table, MAD data).  The adapter is the one
 * `-drive if=scsi,format=raw` makes, with a 64 KiB disk image behind it
 * (a temporary file of this process).
 *
 * Input: a flags byte (bit 0: map the window first, bit 1: register the
 * queue and say hello, as the driver does), then up to 48 operations, each
 * an opcode byte and its values.  The default mapping gives bus pages 0-15
 * to the guest pages of the RAM window: page 0 the queue, page 1 the IUs
 * (16 slots of 256 bytes), pages 2-15 data.
 *
 * Checked, besides the sanitizers: after every operation the harness takes
 * the adapter's answers off the queue as the driver does (clearing each
 * element's valid byte).  Unless the input disturbed the exchange (moved
 * the window, queue or bypass, sent task management or raw IUs, aimed data
 * at the queue, used indirect tables, cut a command's IU before the end of
 * its tag, or had more requests out than the adapter holds), each element is an initialization reply or a well-formed
 * payload element whose tag names a request the harness sent, no request
 * is answered twice, and at the end (after the block layer drained) every
 * login, MAD and command the harness built has been answered exactly once.  A READ of the disk answered GOOD, in an input
 * that wrote nothing, returned the image's bytes.
 *
 * Between inputs: the adapter and its disk are reset (queue, TCEs,
 * requests), the window is cleared and a disk the input changed gets its
 * first contents back.
 */
#include "fuzz.h"
#include "exec/guest-memory.h"
#include "block/block-backend.h"
#include "hw/ppc/spapr_rtas.h"
#include "hw/ppc/spapr_tce.h"
#include "hw/ppc/spapr_vio.h"
#include "qemu/units.h"
#include "sysemu/blockdev.h"
#include <glib/gstdio.h>

#define MAX_OPS 48
#define DISK_SIZE (64 * KiB)
#define PAGES 16
#define QUEUE_IOBA 0
#define IU_IOBA 0x1000
#define DATA_IOBA 0x2000
#define RTAS_BLOCK (FUZZ_WINDOW + FUZZ_WINDOW_SIZE) /* the page after the window */
#define TAG_MARK 0x4655000000000000ULL              /* "FU": a tag the harness made */
#define MAX_TAGS 256

enum {
    OP_REG_CRQ,
    OP_FREE_CRQ,
    OP_ENABLE_CRQ,
    OP_SEND_RAW,
    OP_SEND_IU,
    OP_LOGIN,
    OP_CMD,
    OP_TSK_MGMT,
    OP_MAD,
    OP_PUT_TCE,
    OP_STUFF_TCE,
    OP_GET_TCE,
    OP_VIO_SIGNAL,
    OP_BYPASS,
    OP_COPY_RDMA,
    OP_DRAIN,
    OP_POKE,
    OP_COUNT,
};

static DriveInfo *drive;
static SpaprVioDevice *vscsi;
static uint8_t disk[DISK_SIZE];

/* What the current input did. */
static struct {
    uint64_t consumer; /* the driver's place in the queue (offset) */
    unsigned tags;     /* requests built so far */
    uint8_t answers[MAX_TAGS];
    bool unanswered[MAX_TAGS]; /* dropped by design (an IU over 256 bytes) */
    bool is_read[MAX_TAGS];    /* a READ(10) with one direct data-in descriptor */
    uint64_t read_lba[MAX_TAGS];
    uint64_t dma_start[MAX_TAGS], dma_len[MAX_TAGS]; /* its data buffer (direct, MAD) */
    unsigned since_drain; /* requests built since the block layer last drained */
    bool moved;           /* the queue is not at bus address 0 through the default mapping */
    bool disturbed;       /* answers may be lost or repeated: window, queue, bypass, task
                     * management, a resent IU, more requests than the adapter holds,
                     * an IU too short to carry its tag */
    bool wild_dma;        /* an indirect descriptor or raw IU: data may land anywhere */
    bool wrote;           /* something may have written the disk */
} st;

static void find_vscsi(SpaprVioDevice *dev, void *opaque)
{
    if (!strcmp(dev->qdev.cls->name, "spapr-vscsi")) {
        vscsi = dev;
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    g_autofree char *path = NULL;
    g_autofree char *spec = NULL;
    g_autoptr(GError) gerr = NULL;
    char *err = NULL;
    int fd = g_file_open_tmp("fuzz-crq-XXXXXX.img", &path, &gerr);
    SpaprMachineState *spapr;

    g_assert_no_error(gerr);
    /* Each 512-byte sector starts with its number; the rest a pattern of it. */
    for (unsigned i = 0; i < DISK_SIZE; i++) {
        disk[i] = (i % 512) < 2 ? (i / 512) >> (8 * (1 - i % 512)) : (uint8_t)(i * 7 + i / 512);
    }
    g_assert_true(write(fd, disk, DISK_SIZE) == DISK_SIZE);
    close(fd);
    spec = g_strdup_printf("if=scsi,format=raw,file=%s", path);
    drive = drive_new(spec, &err);
    if (!drive) {
        fuzz_fail("fuzz-crq: %s", err);
    }
    spapr = fuzz_machine();
    g_unlink(path);
    spapr_vio_foreach(spapr->vio_bus, find_vscsi, NULL);
    g_assert_nonnull(vscsi);
    return 0;
}

static target_ulong hcall(target_ulong opcode, target_ulong a0, target_ulong a1, target_ulong a2,
                          target_ulong a3)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { a0, a1, a2, a3 };

    return spapr_hypercall(fuzz_machine()->cpus[0], opcode, args);
}

/* Mostly the adapter, sometimes another unit (the nvram has no queue) or anything. */
static target_ulong pick_unit(FuzzInput *in)
{
    uint8_t sel = fuzz_u8(in);

    if (sel < 0xe0) {
        return vscsi->reg;
    }
    return sel < 0xf0 ? (uint64_t)SPAPR_VIO_REG_BASE + (sel & 0xf) : fuzz_u64(in);
}

/* A bus address: mostly a page of the default mapping plus an offset, sometimes anything. */
static uint64_t pick_ioba(FuzzInput *in)
{
    uint8_t sel = fuzz_u8(in);

    if (sel < 0xf0) {
        return (uint64_t)(sel % PAGES) << 12 | (fuzz_u8(in) & 0xf0) << 4;
    }
    return fuzz_u64(in);
}

static void send_crq(uint8_t valid, uint8_t format, uint16_t len, uint64_t ioba)
{
    uint64_t hi = (uint64_t)valid << 56 | (uint64_t)format << 48 | len;

    hcall(H_SEND_CRQ, vscsi->reg, hi, ioba, 0);
}

/* Put an IU in slot (0-15) and send it. */
static void send_iu(unsigned slot, uint8_t format, const uint8_t *iu, uint16_t len)
{
    uint64_t ioba = IU_IOBA + (slot % 16) * 256;

    g_assert_true(guest_memset(FUZZ_WINDOW + ioba, 0, 256));
    g_assert_true(guest_write(FUZZ_WINDOW + ioba, iu, MIN(len, 256)));
    send_crq(0x80, format, len, ioba);
}

/* A new tag of the harness's: which request it is, in the IU's bytes 8-15. */
static unsigned new_tag(uint8_t *iu)
{
    unsigned t = st.tags < MAX_TAGS ? st.tags++ : MAX_TAGS - 1;
    uint64_t tag = TAG_MARK | t;

    /* The adapter holds 24 requests; those that complete at once free theirs. */
    if (++st.since_drain > 20) {
        st.disturbed = true;
    }

    for (int i = 0; i < 8; i++) {
        iu[8 + i] = tag >> (56 - 8 * i);
    }
    return t;
}

static void op_login(FuzzInput *in)
{
    uint8_t iu[64] = { 0x00 };

    new_tag(iu);
    iu[20] = fuzz_u8(in); /* requested IU length, buffer formats: anything */
    iu[25] = fuzz_u8(in);
    send_iu(fuzz_u8(in), 0x01, iu, 64);
}

static const uint8_t cdb_ops[] = {
    0x00, 0x03, 0x12, 0x1a, 0x25, 0x28, 0x2a, 0x35, 0x9e, 0xa0, 0x88, 0x8a,
    0x08, 0x0a, 0x42, 0x41, 0x2f, 0x5a, 0x55, 0x1b, 0x1e, 0x93, 0x15, 0x8f,
};

static void op_cmd(FuzzInput *in)
{
    uint8_t iu[256] = { 0x02 };
    uint8_t how = fuzz_u8(in), lun = fuzz_u8(in), add_cdb = fuzz_u8(in) & 0x7c;
    size_t n;
    const uint8_t *cdb = fuzz_bytes(in, 16, &n);
    unsigned t = new_tag(iu), off, ndesc = 1 + (how >> 4) % 4;
    uint16_t len;

    memcpy(&iu[32], cdb, n);
    if (!(how & 8)) {
        iu[32] = cdb_ops[iu[32] % sizeof(cdb_ops)];
    }
    /* LUN 0 in peripheral addressing, another target or LUN, or the REPORT LUNS well-known LUN. */
    if (lun < 0xc0) {
        iu[20] = 0;
        iu[21] = lun & 0x3;
    } else if (lun < 0xf0) {
        iu[20] = 0x80 | (lun & 0x3f);
    } else {
        iu[20] = 0xc1;
        iu[21] = 0x01;
    }
    iu[31] = add_cdb;
    off = 48 + add_cdb;
    /* Buffer format: none, direct or indirect, in or out (bits 0-2). */
    switch (how & 7) {
    case 0:
        break;
    case 1:
    case 2: { /* direct in / out */
        uint64_t ioba = pick_ioba(in);
        uint32_t dlen = fuzz_u8(in) < 0xf0 ? (fuzz_u8(in) % 9) * 512 : fuzz_u32(in);

        iu[5] = (how & 7) == 1 ? 0x01 : 0x10;
        st.dma_start[t] = ioba;
        st.dma_len[t] = dlen;
        st.disturbed |= ioba < 0x1000; /* data over the queue */
        for (int i = 0; i < 8 && off + 16 <= 256; i++) {
            iu[off + i] = ioba >> (56 - 8 * i);
        }
        for (int i = 0; i < 4 && off + 16 <= 256; i++) {
            iu[off + 12 + i] = dlen >> (24 - 8 * i);
        }
        if ((how & 7) == 1 && iu[32] == 0x28 && off + 16 <= 256) {
            st.is_read[t] = true;
            st.read_lba[t] = (uint32_t)iu[34] << 24 | iu[35] << 16 | iu[36] << 8 | iu[37];
        }
        off += 16;
        break;
    }
    default: { /* indirect in / out: the table in the IU or (count too small) in memory */
        uint64_t tva = pick_ioba(in);

        iu[5] = (how & 7) == 3 ? 0x02 : 0x20;
        st.wild_dma = st.disturbed = true;
        iu[(how & 7) == 3 ? 7 : 6] = fuzz_u8(in) & 0x80 ? ndesc : fuzz_u8(in);
        for (int i = 0; i < 8 && off + 20 <= 256; i++) {
            iu[off + i] = tva >> (56 - 8 * i);
        }
        if (off + 20 <= 256) {
            iu[off + 15] = ndesc * 16;
        }
        off += 20;
        for (unsigned d = 0; d < ndesc && off + 16 <= 256; d++, off += 16) {
            uint64_t ioba = pick_ioba(in);

            for (int i = 0; i < 8; i++) {
                iu[off + i] = ioba >> (56 - 8 * i);
            }
            iu[off + 14] = fuzz_u8(in) & 0x0f;
            iu[off + 15] = fuzz_u8(in);
        }
        break;
    }
    }
    /* Data out, a command that may write without it, or a raw opcode. */
    if ((iu[5] & 0xf0) || (how & 8) || memchr("\x0a\x2a\x8a\xaa\x2e\x8e\x41\x93\x42", iu[32], 9)) {
        st.wrote = true;
    }
    len = fuzz_u8(in) < 0xf0 ? MIN(off, 256) : fuzz_u16(in);
    st.unanswered[t] = len > 256;
    /*
     * The adapter reads only the len bytes the element names (as QEMU 7.2's
     * does) and takes the rest of its copy as zeroes: an IU cut before the
     * end of its tag (bytes 8-15) is answered under another tag, one
     * shorter than a byte even as a login (opcode 0).  That answer cannot
     * be told from request t's, or may look like another request's.
     */
    st.disturbed |= len < 16;
    send_iu(fuzz_u8(in), 0x01, iu, len);
}

static void op_tsk_mgmt(FuzzInput *in)
{
    static const uint8_t funcs[] = { 0x01, 0x02, 0x04, 0x08, 0x40, 0x10 };
    uint8_t iu[64] = { 0x01 };
    uint8_t func = fuzz_u8(in), target = fuzz_u8(in);
    uint64_t task = TAG_MARK | (st.tags ? target % st.tags : 0);

    new_tag(iu);
    iu[21] = fuzz_u8(in) & 1;
    iu[30] = funcs[func % sizeof(funcs)];
    for (int i = 0; i < 8; i++) {
        iu[32 + i] = task >> (56 - 8 * i);
    }
    st.disturbed = true;
    send_iu(fuzz_u8(in), 0x01, iu, 64);
}

static void op_mad(FuzzInput *in)
{
    uint8_t iu[64] = { 0 };
    uint8_t type = fuzz_u8(in);
    uint16_t len = fuzz_u8(in) < 0xf0 ? fuzz_u8(in) : fuzz_u16(in);
    uint64_t buf = pick_ioba(in);

    unsigned t;

    iu[3] = type < 0xf0 ? 1 + type % 5 : type;
    t = new_tag(iu);
    st.dma_start[t] = buf;
    st.dma_len[t] = len;
    st.disturbed |= buf < 0x1000;
    iu[6] = len >> 8;
    iu[7] = len;
    for (int i = 0; i < 8; i++) {
        iu[16 + i] = buf >> (56 - 8 * i);
    }
    send_iu(fuzz_u8(in), 0x02, iu, 64);
}

/* The MAD tag is at bytes 8-15 too (the common header). */
static int tag_of(uint64_t tag)
{
    return (tag & ~0xffffULL) == TAG_MARK && (tag & 0xffff) < st.tags ? (int)(tag & 0xffff) : -1;
}

/* Take the adapter's answers off the queue, as the driver does. */
static void consume(void)
{
    uint64_t size = vscsi->crq_size;

    if (!size || vscsi->crq_addr != QUEUE_IOBA || st.moved) {
        return; /* the queue is not where the harness reads it */
    }
    for (unsigned n = 0; n < size / 16; n++) {
        uint8_t e[16];
        uint64_t tag = 0;
        int t;

        g_assert_true(guest_read(FUZZ_WINDOW + st.consumer, e, 16));
        if (!e[0]) {
            return;
        }
        if (st.disturbed) {
            /* Device data may have landed in the queue: take what is there. */
        } else if (e[0] == 0xc0) {
            if (e[1] != 0x02) {
                fuzz_fail("fuzz-crq: initialization element %02x %02x", e[0], e[1]);
            }
        } else {
            if (e[0] != 0x80 || (e[1] != 0x01 && e[1] != 0x02)) {
                fuzz_fail("fuzz-crq: answer element %02x %02x", e[0], e[1]);
            }
            for (int i = 0; i < 8; i++) {
                tag = tag << 8 | e[8 + i];
            }
            t = tag_of(tag);
            if ((tag & ~0xffffULL) == TAG_MARK) {
                if (t < 0) {
                    fuzz_fail("fuzz-crq: answer for tag %#" PRIx64 ", never sent", tag);
                }
                if (++st.answers[t] > 1) {
                    fuzz_fail("fuzz-crq: request %d answered twice", t);
                }
            }
        }
        g_assert_true(guest_stb(FUZZ_WINDOW + st.consumer, 0));
        st.consumer = (st.consumer + 16) % size;
    }
}

/* Another request's data buffer overlaps request t's. */
static bool overlapped(unsigned t)
{
    for (unsigned u = 0; u < st.tags; u++) {
        if (u != t && st.dma_len[u] && st.dma_start[u] < st.dma_start[t] + st.dma_len[t] &&
            st.dma_start[t] < st.dma_start[u] + st.dma_len[u]) {
            return true;
        }
    }
    return false;
}

/* The end of an input: every request answered once; READs returned the disk's bytes. */
static void check_answers(void)
{
    if (st.disturbed || !vscsi->crq_size || st.tags >= MAX_TAGS) {
        return;
    }
    for (unsigned t = 0; t < st.tags; t++) {
        uint64_t iu_ioba = 0;
        uint8_t rsp[36];

        if (st.answers[t] != !st.unanswered[t]) {
            fuzz_fail("fuzz-crq: request %u answered %u times", t, st.answers[t]);
        }
        if (!st.is_read[t] || st.wrote || st.wild_dma || overlapped(t)) {
            continue;
        }
        /* Find its answer IU: the slot holding SRP_RSP with this tag. */
        for (unsigned slot = 0; slot < 16; slot++) {
            uint64_t tag = 0;

            g_assert_true(guest_read(FUZZ_WINDOW + IU_IOBA + slot * 256, rsp, sizeof(rsp)));
            for (int i = 0; i < 8; i++) {
                tag = tag << 8 | rsp[8 + i];
            }
            if (rsp[0] == 0xc1 && tag == (TAG_MARK | t)) {
                iu_ioba = IU_IOBA + slot * 256;
                break;
            }
        }
        if (iu_ioba && rsp[19] == 0 && st.dma_start[t] >= DATA_IOBA &&
            st.dma_start[t] + st.dma_len[t] <= PAGES * 0x1000) {
            uint32_t res = rsp[18] & 0x10
                               ? (uint32_t)rsp[24] << 24 | rsp[25] << 16 | rsp[26] << 8 | rsp[27]
                               : 0;
            uint32_t got = st.dma_len[t] - MIN(res, st.dma_len[t]);
            uint64_t at = st.read_lba[t] * 512;
            g_autofree uint8_t *buf = g_malloc(got ? got : 1);

            if (at + got > DISK_SIZE) {
                fuzz_fail("fuzz-crq: READ of LBA %" PRIu64 " past the disk answered GOOD",
                          st.read_lba[t]);
            }
            g_assert_true(guest_read(FUZZ_WINDOW + st.dma_start[t], buf, got));
            if (memcmp(buf, disk + at, got)) {
                fuzz_fail("fuzz-crq: READ of LBA %" PRIu64 " returned other bytes", st.read_lba[t]);
            }
        }
    }
}

static void reset(void)
{
    g_autofree uint8_t *now = NULL;

    qdev_reset(&vscsi->qdev);
    blk_drain_all();
    g_assert_true(guest_memset(FUZZ_WINDOW, 0, FUZZ_WINDOW_SIZE));
    if (st.wrote) {
        now = g_malloc(DISK_SIZE);
        g_assert_true(drive_pread(drive, 0, now, DISK_SIZE));
        if (memcmp(now, disk, DISK_SIZE)) {
            g_assert_true(drive_pwrite(drive, 0, disk, DISK_SIZE));
        }
    }
    memset(&st, 0, sizeof(st));
}

static void op_rtas_bypass(FuzzInput *in)
{
    target_ulong hargs[SPAPR_HCALL_NARGS] = { RTAS_BLOCK };
    uint32_t nargs = fuzz_u8(in) < 0xf0 ? 2 : fuzz_u8(in) % 4;

    g_assert_true(guest_stl_be(RTAS_BLOCK, RTAS_IBM_SET_TCE_BYPASS));
    g_assert_true(guest_stl_be(RTAS_BLOCK + 4, nargs));
    g_assert_true(guest_stl_be(RTAS_BLOCK + 8, 1));
    g_assert_true(guest_stl_be(RTAS_BLOCK + 12, pick_unit(in)));
    g_assert_true(guest_stl_be(RTAS_BLOCK + 16, fuzz_u8(in) & 1));
    spapr_hypercall(fuzz_machine()->cpus[0], KVMPPC_H_RTAS, hargs);
}

static void op_tce(FuzzInput *in, unsigned op)
{
    uint8_t sel = fuzz_u8(in);
    uint32_t liobn = sel < 0xf0 ? vscsi->tcet->liobn : fuzz_u32(in);
    uint64_t ioba = fuzz_u8(in) < 0xf0 ? (uint64_t)fuzz_u16(in) << 12 : fuzz_u64(in);
    uint64_t tce;

    sel = fuzz_u8(in);
    if (sel < 0xc0) { /* a page of the window, with its permission bits */
        tce = (FUZZ_WINDOW + (uint64_t)(sel % PAGES) * 0x1000) | (fuzz_u8(in) & 3);
    } else if (sel < 0xf0) { /* any page of RAM, or just past it */
        tce = ((uint64_t)fuzz_u16(in) << 12 | 3) + (sel & 1 ? FUZZ_RAM_SIZE - 0x10000 : 0);
    } else {
        tce = fuzz_u64(in);
    }
    st.moved = st.disturbed = true;
    if (op == OP_PUT_TCE) {
        hcall(H_PUT_TCE, liobn, ioba, tce, 0);
    } else if (op == OP_STUFF_TCE) {
        hcall(H_STUFF_TCE, liobn, ioba, tce, fuzz_u8(in) < 0xf0 ? fuzz_u8(in) : fuzz_u64(in));
    } else {
        hcall(H_GET_TCE, liobn, ioba, 0, 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzInput in = { data, size, 0 };
    uint8_t flags = fuzz_u8(&in);

    reset();
    if (!(flags & 1)) {
        for (unsigned p = 0; p < PAGES; p++) {
            g_assert_cmpint(hcall(H_PUT_TCE, vscsi->tcet->liobn, (uint64_t)p << 12,
                                  (FUZZ_WINDOW + p * 0x1000) | 3, 0),
                            ==, H_SUCCESS);
        }
    } else {
        st.moved = st.disturbed = true;
    }
    if (!(flags & 2)) {
        g_assert_cmpint(hcall(H_REG_CRQ, vscsi->reg, QUEUE_IOBA, 0x1000, 0), ==, H_SUCCESS);
        send_crq(0xc0, 0x01, 0, 0);
        consume();
    } else {
        st.moved = st.disturbed = true;
    }
    for (unsigned n = 0; n < MAX_OPS && fuzz_left(&in); n++) {
        unsigned op = fuzz_u8(&in) % OP_COUNT;

        switch (op) {
        case OP_REG_CRQ: {
            target_ulong unit = pick_unit(&in);
            uint64_t addr = pick_ioba(&in);
            uint64_t len = fuzz_u8(&in) < 0xf0 ? 0x1000 : fuzz_u64(&in);

            st.moved = st.disturbed = true;
            hcall(H_REG_CRQ, unit, addr, len, 0);
            break;
        }
        case OP_FREE_CRQ:
            st.moved = st.disturbed = true;
            hcall(H_FREE_CRQ, pick_unit(&in), 0, 0, 0);
            break;
        case OP_ENABLE_CRQ:
            hcall(H_ENABLE_CRQ, pick_unit(&in), 0, 0, 0);
            break;
        case OP_SEND_RAW: {
            target_ulong unit = pick_unit(&in);
            uint64_t hi = fuzz_u64(&in);

            /* It may send an IU of the harness again. */
            st.disturbed |= hi >> 56 == 0x80;
            hcall(H_SEND_CRQ, unit, hi, fuzz_u64(&in), 0);
            break;
        }
        case OP_SEND_IU: {
            uint8_t format = fuzz_u8(&in) & 3, slot = fuzz_u8(&in);
            uint16_t len = fuzz_u16(&in) % 300;
            size_t n;
            const uint8_t *raw = fuzz_bytes(&in, MIN(len, 256), &n);
            uint8_t iu[256] = { 0 };

            /* A raw IU: its tag is the input's, never the harness's mark. */
            memcpy(iu, raw, n);
            if (iu[8] == (uint8_t)(TAG_MARK >> 56)) {
                iu[8] ^= 0x80;
            }
            send_iu(slot, format, iu, len);
            /* It may be any command, with data anywhere, and hold a request slot. */
            st.wrote = st.wild_dma = st.disturbed = true;
            break;
        }
        case OP_LOGIN:
            op_login(&in);
            break;
        case OP_CMD:
            op_cmd(&in);
            break;
        case OP_TSK_MGMT:
            op_tsk_mgmt(&in);
            break;
        case OP_MAD:
            op_mad(&in);
            break;
        case OP_PUT_TCE:
        case OP_STUFF_TCE:
        case OP_GET_TCE:
            op_tce(&in, op);
            break;
        case OP_VIO_SIGNAL: {
            target_ulong unit = pick_unit(&in);

            hcall(H_VIO_SIGNAL, unit, fuzz_u8(&in) < 0xf0 ? fuzz_u8(&in) & 1 : fuzz_u64(&in), 0, 0);
            break;
        }
        case OP_BYPASS:
            st.moved = st.disturbed = true;
            op_rtas_bypass(&in);
            break;
        case OP_COPY_RDMA: {
            uint64_t len = fuzz_u16(&in), src = fuzz_u64(&in);

            /* Not offered (no handler): must answer H_FUNCTION and do nothing. */
            g_assert_cmpint(hcall(H_COPY_RDMA, len, vscsi->tcet->liobn, src, vscsi->tcet->liobn),
                            ==, H_FUNCTION);
            break;
        }
        case OP_DRAIN:
            blk_drain_all();
            st.since_drain = 0;
            break;
        case OP_POKE: { /* guest bytes past the queue: an indirect table, MAD data */
            uint16_t at = 0x1000 + fuzz_u16(&in) % (FUZZ_WINDOW_SIZE - 0x1000);
            unsigned want = fuzz_u8(&in); /* read once: MIN() evaluates twice */
            size_t n;
            const uint8_t *bytes = fuzz_bytes(&in, MIN(want, FUZZ_WINDOW_SIZE - (unsigned)at), &n);

            g_assert_true(guest_write(FUZZ_WINDOW + at, bytes, n));
            st.disturbed = true; /* it may change an IU in flight */
            break;
        }
        }
        consume();
    }
    blk_drain_all();
    consume();
    check_answers();
    return 0;
}
