/*
 * libFuzzer target: spapr-vlan, the PAPR logical LAN (Linux's ibmveth), as
 * a hostile partition drives it: H_REGISTER_LOGICAL_LAN, H_FREE_LOGICAL_LAN,
 * H_ADD_LOGICAL_LAN_BUFFER, H_SEND_LOGICAL_LAN, H_MULTICAST_CTRL,
 * H_CHANGE_LOGICAL_LAN_MAC and H_VIO_SIGNAL with the buffer-list page,
 * receive queue, filter list and buffers at bus addresses of the input,
 * the device's TCE window (H_PUT_TCE) and guest bytes written anywhere in
 * the window, while frames arrive from the host side (the netdev peer's
 * qemu_send_packet()) at any time.  Two devices are on the bus: one with
 * receive-buffer pools (the default) and one keeping its buffers in the
 * buffer-list page (use-rx-buffer-pools=off); both are driven.
 *
 * Input: a flags byte (bit 0: leave the windows unmapped; otherwise bus
 * pages 0-15 of each device map the 16 pages of the RAM window, read and
 * write), then up to 64 operations, each an opcode byte and its values.
 *
 * Checked after every operation, besides the sanitizers (a model of each
 * device kept from the hcalls' arguments and a copy of the TCE tables):
 * - every hcall returns what PAPR and the device's checks say for its
 *   arguments (H_PARAMETER for a bad unit or descriptor, H_RESOURCE,
 *   H_STATE, H_DROPPED, H_HARDWARE, H_DEST_PARM), and a sent frame is the
 *   gathered bytes, once;
 * - the window changed only where the guest let the device write: the
 *   registered buffer-list page, receive queue and buffers added since
 *   (once the input made those overlap, or rewrote them, remapped the
 *   window, or may have overrun the queue: any page mapped writable);
 * - each new receive-queue entry (read as the driver reads them, by the
 *   toggle bit) is well formed: valid, data offset 8, the correlator of a
 *   buffer added and not used since, a length that fits it, the frame's
 *   bytes in the buffer, and frames in the order the host sent them.
 */
#include "fuzz.h"
#include "exec/guest-memory.h"
#include "hw/ppc/spapr_tce.h"
#include "hw/ppc/spapr_vio.h"
#include "net/net.h"

#define MAX_OPS 64
#define NDEV 2
#define BUS_PAGES 32 /* bus pages the input maps (the window holds 16) */
#define WIN_PAGES (FUZZ_WINDOW_SIZE / 4096)
#define MAX_BUFS 64 /* outstanding buffers modelled per device */
#define MAX_FRAMES 64
#define CORR_MARK 0xc0ffee0000000000ULL
#define BD_VALID PPC_BIT(0)
#define BD_LEN(bd) (((bd) >> 32) & 0xffffff)
#define BD_ADDR(bd) ((bd)&0xffffffffULL)

enum {
    OP_REGISTER,
    OP_FREE,
    OP_ADD,
    OP_SEND,
    OP_MCAST,
    OP_MAC,
    OP_SIGNAL,
    OP_RECV,
    OP_PUT_TCE,
    OP_POKE,
    OP_COUNT,
};

typedef struct Buf {
    uint64_t bd;
    uint64_t corr;
} Buf;

typedef struct Dev {
    SpaprVioDevice *vio;
    NetClientState *sink; /* the host side: its peer is the device */
    int tce[BUS_PAGES];   /* window page a bus page maps, or -1 */
    unsigned perm[BUS_PAGES];
    bool open;
    uint64_t buf_list, rxq; /* bus addresses, the receive-queue descriptor */
    uint32_t rxq_ptr;
    uint8_t toggle; /* the control bit a new entry carries */
    Buf bufs[MAX_BUFS];
    unsigned nbufs;
    bool loose; /* the input broke the model: only the TCE bound holds */
    /* Frames the host sent the device, not yet seen in the receive queue. */
    GByteArray *pending[MAX_FRAMES];
    unsigned npending;
    GPtrArray *sent; /* of GByteArray *: frames the device sent */
} Dev;

static Dev devs[NDEV];
static uint8_t shadow[FUZZ_WINDOW_SIZE];
static uint8_t allowed[FUZZ_WINDOW_SIZE];
static uint32_t frame_seq;
static uint64_t corr_seq;

static ssize_t sink_receive(NetClientState *nc, const uint8_t *buf, size_t len)
{
    Dev *d = nc->opaque;

    g_ptr_array_add(d->sent, g_byte_array_append(g_byte_array_new(), buf, len));
    return len;
}

static const NetClientInfo sink_info = {
    .type = NET_CLIENT_DRIVER_USER,
    .receive = sink_receive,
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    SpaprMachineState *spapr = fuzz_machine();

    for (int i = 0; i < NDEV; i++) {
        Dev *d = &devs[i];
        g_autofree char *id = g_strdup_printf("fuzz-sink%d", i);
        DeviceState *dev = qdev_new("spapr-vlan");

        d->sent = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
        d->sink = qemu_new_net_client(&sink_info, NULL, "fuzz", id, d);
        d->sink->is_netdev = true;
        qdev_prop_set_string(dev, "netdev", id);
        if (i == 1) {
            qdev_prop_set_bit(dev, "use-rx-buffer-pools", false);
        }
        g_assert_true(qdev_realize_and_unref(dev, &spapr->vio_bus->bus, &error_abort));
        d->vio = (SpaprVioDevice *)dev;
        g_assert_nonnull(d->sink->peer);
    }
    return 0;
}

static target_ulong hcall(target_ulong opcode, const target_ulong *a, int n)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { 0 };

    memcpy(args, a, n * sizeof(*a));
    return spapr_hypercall(fuzz_machine()->cpus[0], opcode, args);
}

static void expect(const char *what, target_ulong got, target_ulong want)
{
    if (got != want) {
        fuzz_fail("fuzz-vlan: %s returned %ld, expected %ld", what, (long)got, (long)want);
    }
}

/* ---- The model's view of the TCE window ------------------------------------------ */

/* Window offset of bus address a, or -1 when unmapped for that access (1 read, 2 write). */
static long win_off(Dev *d, uint64_t a, unsigned access)
{
    uint64_t p = a >> 12;

    if (p >= BUS_PAGES || d->tce[p] < 0 || (d->perm[p] & access) != access) {
        return -1;
    }
    return (long)d->tce[p] * 4096 + (a & 0xfff);
}

static bool range_ok(Dev *d, uint64_t a, uint64_t len, unsigned access)
{
    /* An empty range is valid anywhere (spapr_vio_dma_valid() checks no page). */
    for (uint64_t x = a & ~0xfffULL; len && x < a + len; x += 4096) {
        if (win_off(d, x, access) < 0) {
            return false;
        }
    }
    return true;
}

/* Mark (or test) the window bytes of a bus range in the allowed map. */
static void allow(Dev *d, uint64_t a, uint64_t len)
{
    for (uint64_t x = a; x < a + len; x++) {
        long off = win_off(d, x, 2);

        if (off >= 0) {
            allowed[off] = 1;
        }
    }
}

static bool bd_ok(Dev *d, uint64_t bd, uint32_t align)
{
    return (bd & BD_VALID) && BD_ADDR(bd) % align == 0 && BD_LEN(bd) % align == 0 &&
           range_ok(d, BD_ADDR(bd), BD_LEN(bd), 3);
}

/* Where the device may write now. */
static void mark_allowed(Dev *d)
{
    if (d->loose) {
        for (int p = 0; p < BUS_PAGES; p++) {
            if (d->tce[p] >= 0 && (d->perm[p] & 2)) {
                memset(&allowed[d->tce[p] * 4096], 1, 4096);
            }
        }
        return;
    }
    if (!d->open) {
        return;
    }
    allow(d, d->buf_list, 4096);
    allow(d, BD_ADDR(d->rxq), BD_LEN(d->rxq));
    for (unsigned i = 0; i < d->nbufs; i++) {
        allow(d, BD_ADDR(d->bufs[i].bd), BD_LEN(d->bufs[i].bd));
    }
}

/* Mark the window bytes of a bus range (any mapping) in map. */
static void mark_range(Dev *d, uint64_t a, uint64_t len, uint8_t *map)
{
    for (uint64_t x = a; x < a + len; x++) {
        long off = win_off(d, x, 0);

        if (off >= 0) {
            map[off] = 1;
        }
    }
}

/* Does a bus range of d share window bytes with map? */
static bool hits(Dev *d, uint64_t a, uint64_t len, const uint8_t *map)
{
    for (uint64_t x = a; x < a + len; x++) {
        long off = win_off(d, x, 0);

        if (off >= 0 && map[off]) {
            return true;
        }
    }
    return false;
}

/* What the open devices write: buffer lists, queues, buffers held. */
static void mark_regions(uint8_t *map)
{
    memset(map, 0, FUZZ_WINDOW_SIZE);
    for (int i = 0; i < NDEV; i++) {
        Dev *d = &devs[i];

        if (!d->open) {
            continue;
        }
        mark_range(d, d->buf_list, 4096, map);
        mark_range(d, BD_ADDR(d->rxq), BD_LEN(d->rxq), map);
        for (unsigned k = 0; k < d->nbufs; k++) {
            mark_range(d, BD_ADDR(d->bufs[k].bd), BD_LEN(d->bufs[k].bd), map);
        }
    }
}

/* The input made what the devices write share bytes: their models no longer hold. */
static void all_loose(void)
{
    for (int i = 0; i < NDEV; i++) {
        devs[i].loose = true;
    }
}

/* ---- Reading the receive queue as the driver does ---------------------------------- */

static uint64_t be_at(const uint8_t *p, int n)
{
    uint64_t v = 0;

    for (int i = 0; i < n; i++) {
        v = v << 8 | p[i];
    }
    return v;
}

static bool read_bus(Dev *d, uint64_t a, void *buf, uint64_t len)
{
    uint8_t *b = buf;

    for (uint64_t i = 0; i < len; i++) {
        long off = win_off(d, a + i, 1);

        if (off < 0) {
            return false;
        }
        b[i] = shadow[off];
    }
    return true;
}

static void consume(Dev *d)
{
    uint32_t qlen = BD_LEN(d->rxq);

    if (!d->open || d->loose || qlen < 16) {
        return;
    }
    for (uint32_t n = 0; n < qlen / 16; n++) {
        uint8_t e[16];
        uint64_t corr;
        uint32_t len;
        unsigned i, f;

        g_assert_true(read_bus(d, BD_ADDR(d->rxq) + d->rxq_ptr, e, 16));
        if ((e[0] & 0x80) != d->toggle) {
            return;
        }
        if (e[0] != (0x40 | d->toggle) || e[1] || be_at(e + 2, 2) != 8) {
            fuzz_fail("fuzz-vlan: receive-queue entry %02x %02x %02x%02x", e[0], e[1], e[2], e[3]);
        }
        len = be_at(e + 4, 4);
        corr = be_at(e + 8, 8);
        for (i = 0; i < d->nbufs && d->bufs[i].corr != corr; i++) {
        }
        if (i == d->nbufs) {
            fuzz_fail("fuzz-vlan: entry with correlator %#" PRIx64 ": no buffer added holds it",
                      corr);
        }
        if ((uint64_t)len + 8 > BD_LEN(d->bufs[i].bd)) {
            fuzz_fail("fuzz-vlan: %u-byte frame in a %u-byte buffer", len,
                      (unsigned)BD_LEN(d->bufs[i].bd));
        }
        /* Frames come in order: those before this one were dropped. */
        for (f = 0; f < d->npending; f++) {
            GByteArray *fr = d->pending[f];
            g_autofree uint8_t *got = g_malloc(len + 1);

            /* (An empty frame's array has no data pointer.) */
            if (fr->len == len && read_bus(d, BD_ADDR(d->bufs[i].bd) + 8, got, len) &&
                (!len || !memcmp(got, fr->data, len))) {
                break;
            }
        }
        if (f == d->npending) {
            fuzz_fail("fuzz-vlan: entry of %u bytes is no frame the host sent (in order)", len);
        }
        for (unsigned k = 0; k <= f; k++) {
            g_byte_array_unref(d->pending[k]);
        }
        memmove(d->pending, d->pending + f + 1, (d->npending - f - 1) * sizeof(d->pending[0]));
        d->npending -= f + 1;
        /* Used once: the buffer is the guest's again. */
        d->bufs[i] = d->bufs[--d->nbufs];
        d->rxq_ptr += 16;
        if (d->rxq_ptr >= qlen) {
            d->rxq_ptr = 0;
            d->toggle ^= 0x80;
        }
    }
}

/* ---- Operations ---------------------------------------------------------------------- */

static Dev *pick_dev(FuzzInput *in, target_ulong *unit)
{
    uint8_t sel = fuzz_u8(in);
    Dev *d = &devs[sel & 1];

    if (sel < 0xf0) {
        *unit = d->vio->reg;
        return d;
    }
    /* Another unit: the nvram, a free address, or anything. */
    *unit = sel < 0xf8 ? (uint64_t)SPAPR_VIO_REG_BASE + (sel & 7) : fuzz_u64(in);
    for (int i = 0; i < NDEV; i++) {
        if (devs[i].vio->reg == *unit) {
            return &devs[i];
        }
    }
    return NULL;
}

/* A bus address: mostly page-aligned in the 32 pages, then with an offset, or any 32 bits. */
static uint64_t pick_ioba(FuzzInput *in)
{
    uint8_t sel = fuzz_u8(in);

    if (sel < 0xb0) {
        return (uint64_t)(sel % BUS_PAGES) << 12;
    }
    if (sel < 0xf0) {
        return (uint64_t)(sel % BUS_PAGES) << 12 | (fuzz_u16(in) & 0xfff);
    }
    return fuzz_u32(in);
}

static uint64_t pick_bd(FuzzInput *in, uint32_t deflen)
{
    uint8_t sel = fuzz_u8(in);
    uint64_t addr = pick_ioba(in);
    uint64_t len;

    if (sel < 0x80) {
        len = deflen;
    } else if (sel < 0xe0) {
        len = (fuzz_u16(in) & 0x3ffc);
    } else {
        len = fuzz_u32(in) & 0xffffff;
    }
    return (sel & 0x10 ? 0 : BD_VALID) | (sel & 0x08 ? PPC_BIT(1) : 0) | len << 32 | addr;
}

static void op_register(FuzzInput *in)
{
    target_ulong unit;
    Dev *d = pick_dev(in, &unit);
    uint8_t sel = fuzz_u8(in);
    uint64_t buf_list = pick_ioba(in);
    uint64_t rxq = pick_bd(in, 16 * (1 + (sel & 15)));
    uint64_t filter = pick_ioba(in);
    target_ulong a[5] = { unit, buf_list, rxq, filter, fuzz_u64(in) };
    target_ulong want, got;

    if (sel >= 0xf8) {
        a[1] = fuzz_u64(in);
        a[3] = fuzz_u64(in);
    }
    if (!d) {
        want = H_PARAMETER;
    } else if (d->open) {
        want = H_RESOURCE;
    } else if (a[1] > UINT32_MAX || a[3] > UINT32_MAX ||
               !bd_ok(d, BD_VALID | 4096ULL << 32 | a[1], 4096) ||
               !bd_ok(d, BD_VALID | 4096ULL << 32 | a[3], 4096) || !bd_ok(d, rxq, 16)) {
        want = H_PARAMETER;
    } else {
        want = H_SUCCESS;
    }
    got = hcall(H_REGISTER_LOGICAL_LAN, a, 5);
    expect("H_REGISTER_LOGICAL_LAN", got, want);
    if (got == H_SUCCESS) {
        static uint8_t map[FUZZ_WINDOW_SIZE];

        mark_regions(map);
        if (hits(d, a[1], 4096, map) || hits(d, BD_ADDR(rxq), BD_LEN(rxq), map)) {
            all_loose();
        }
        mark_range(d, a[1], 4096, map);
        if (hits(d, BD_ADDR(rxq), BD_LEN(rxq), map)) {
            all_loose();
        }
        d->open = true;
        d->buf_list = a[1];
        d->rxq = rxq & ~PPC_BIT(1);
        d->rxq_ptr = 0;
        d->toggle = 0x80;
        d->nbufs = 0;
    }
}

static void op_free(FuzzInput *in)
{
    target_ulong unit;
    Dev *d = pick_dev(in, &unit);
    target_ulong a[1] = { unit };

    expect("H_FREE_LOGICAL_LAN", hcall(H_FREE_LOGICAL_LAN, a, 1),
           !d         ? H_PARAMETER
           : !d->open ? H_STATE
                      : H_SUCCESS);
    if (d) {
        d->open = false;
        d->nbufs = 0;
    }
}

static void op_add(FuzzInput *in)
{
    target_ulong unit;
    Dev *d = pick_dev(in, &unit);
    uint64_t bd = pick_bd(in, 64 * (1 + fuzz_u8(in) % 32));
    target_ulong a[2] = { unit, bd };
    target_ulong got;
    uint64_t corr = CORR_MARK | ++corr_seq;

    if (d && bd_ok(d, bd, 4)) {
        /* As the driver does: the correlator in the buffer's first doubleword. */
        static uint8_t map[FUZZ_WINDOW_SIZE];

        /* The correlator is a guest write: it may land on what a device owns. */
        mark_regions(map);
        if (hits(d, BD_ADDR(bd), MIN(BD_LEN(bd), 8), map) ||
            (d->open && hits(d, BD_ADDR(bd), BD_LEN(bd), map))) {
            all_loose();
        }
        /* Frames waiting are handed over at once: more than the queue holds overrun it. */
        if (d->open && qemu_net_queue_length(d->sink->peer) >= BD_LEN(d->rxq) / 16) {
            d->loose = true;
        }
        if (BD_LEN(bd) >= 8) {
            for (int i = 0; i < 8; i++) {
                long off = win_off(d, BD_ADDR(bd) + i, 2);

                g_assert_true(off >= 0);
                shadow[off] = corr >> (56 - 8 * i);
                g_assert_true(guest_stb(FUZZ_WINDOW + off, shadow[off]));
            }
        }
    }
    got = hcall(H_ADD_LOGICAL_LAN_BUFFER, a, 2);
    if (!d || !bd_ok(d, bd, 4)) {
        expect("H_ADD_LOGICAL_LAN_BUFFER", got, H_PARAMETER);
    } else if (!d->open) {
        expect("H_ADD_LOGICAL_LAN_BUFFER", got, H_RESOURCE);
    } else if (got != H_SUCCESS && got != (target_ulong)H_RESOURCE &&
               !(d->loose && got == (target_ulong)H_PARAMETER)) {
        expect("H_ADD_LOGICAL_LAN_BUFFER", got, H_SUCCESS);
    } else if (got == H_SUCCESS) {
        if (d->nbufs == MAX_BUFS || BD_LEN(bd) < 8) {
            d->loose |= BD_LEN(bd) >= 8; /* no room in the model; an 8-byte one is never used */
        } else {
            d->bufs[d->nbufs++] = (Buf){ bd, corr };
        }
    }
}

static void op_send(FuzzInput *in)
{
    target_ulong unit;
    Dev *d = pick_dev(in, &unit);
    uint8_t sel = fuzz_u8(in);
    target_ulong a[8] = { unit };
    uint64_t total = 0;
    unsigned n;
    bool readable = true;
    target_ulong want, got;
    guint sent_before = d ? d->sent->len : 0;

    for (int i = 0; i < 6; i++) {
        a[1 + i] = pick_bd(in, 60);
    }
    a[7] = sel >= 0xf0 ? fuzz_u64(in) : 0;
    for (n = 0; n < 6 && (a[1 + n] & BD_VALID); n++) {
        total += BD_LEN(a[1 + n]);
    }
    for (unsigned i = 0; i < n && d; i++) {
        readable &= range_ok(d, BD_ADDR(a[1 + i]), BD_LEN(a[1 + i]), 1);
    }
    want = !d              ? H_PARAMETER
           : a[7]          ? H_HARDWARE
           : !d->open      ? H_DROPPED
           : !total        ? H_SUCCESS
           : total > 65536 ? H_RESOURCE
           : !readable     ? H_DEST_PARM
                           : H_SUCCESS;
    got = hcall(H_SEND_LOGICAL_LAN, a, 8);
    expect("H_SEND_LOGICAL_LAN", got, want);
    if (!d) {
        return;
    }
    if (want == H_SUCCESS && total) {
        g_autofree uint8_t *frame = g_malloc(total);
        GByteArray *out;

        for (unsigned i = 0, off = 0; i < n; off += BD_LEN(a[1 + i]), i++) {
            g_assert_true(read_bus(d, BD_ADDR(a[1 + i]), frame + off, BD_LEN(a[1 + i])));
        }
        if (d->sent->len != sent_before + 1) {
            fuzz_fail("fuzz-vlan: H_SEND_LOGICAL_LAN sent %u frames", d->sent->len - sent_before);
        }
        out = g_ptr_array_index(d->sent, sent_before);
        if (out->len != total || memcmp(out->data, frame, total)) {
            fuzz_fail("fuzz-vlan: sent frame of %u bytes is not the %" PRIu64 " gathered", out->len,
                      total);
        }
    } else if (d->sent->len != sent_before) {
        fuzz_fail("fuzz-vlan: a refused or empty H_SEND_LOGICAL_LAN sent a frame");
    }
    g_ptr_array_set_size(d->sent, 0);
}

static void op_recv(FuzzInput *in)
{
    Dev *d = &devs[fuzz_u8(in) & 1];
    uint8_t sel = fuzz_u8(in);
    uint32_t len = sel < 0xe0 ? 14u + fuzz_u16(in) % 1500 : fuzz_u32(in) % 65536;
    GByteArray *fr = g_byte_array_sized_new(len);
    NetClientState *nic = d->sink->peer;
    uint32_t seq = ++frame_seq;

    g_byte_array_set_size(fr, len);
    for (uint32_t i = 0; i < len; i++) {
        fr->data[i] = i < 4 ? seq >> (24 - 8 * i) : (uint8_t)(seq * 31 + i);
    }
    /* Frames handed over at once (those waiting, then this one) must fit the queue. */
    if (d->open && !d->loose && qemu_net_queue_length(nic) + 1 >= BD_LEN(d->rxq) / 16) {
        d->loose = true;
    }
    if (d->npending == MAX_FRAMES) {
        g_byte_array_unref(d->pending[0]);
        memmove(d->pending, d->pending + 1, (MAX_FRAMES - 1) * sizeof(d->pending[0]));
        d->npending--;
    }
    d->pending[d->npending++] = g_byte_array_ref(fr);
    /* A backend hands over a buffer even for an empty frame (the array has none then). */
    qemu_send_packet(d->sink, fr->len ? fr->data : (const uint8_t *)"", fr->len);
    g_byte_array_unref(fr);
}

static void op_put_tce(FuzzInput *in)
{
    Dev *d = &devs[fuzz_u8(in) & 1];
    uint8_t sel = fuzz_u8(in);
    uint64_t page = fuzz_u8(in) % BUS_PAGES;
    uint8_t to = fuzz_u8(in);
    unsigned perm = fuzz_u8(in) & 3;
    target_ulong a[3] = { d->vio->tcet->liobn, page << 12,
                          perm ? (FUZZ_WINDOW + (uint64_t)(to % WIN_PAGES) * 4096) | perm : 0 };

    if (sel >= 0xf0) {
        /*
         * Any LIOBN (refused unless it is a device's: then that device's page is
         * mapped), or an address past the window (refused, nothing mapped).
         */
        Dev *owner = NULL;

        if (sel & 1) {
            a[0] = fuzz_u32(in);
        } else {
            a[1] = SPAPR_VIO_DMA_WINDOW_SIZE + (page << 12);
        }
        for (int i = 0; i < NDEV; i++) {
            owner = devs[i].vio->tcet->liobn == a[0] ? &devs[i] : owner;
        }
        if (!owner) {
            g_assert_cmpint(hcall(H_PUT_TCE, a, 3), !=, H_SUCCESS);
            return;
        }
        if (!(sel & 1)) {
            expect("H_PUT_TCE past the window", hcall(H_PUT_TCE, a, 3), H_PARAMETER);
            return;
        }
        d = owner;
    }
    expect("H_PUT_TCE", hcall(H_PUT_TCE, a, 3), H_SUCCESS);
    /* Buffers the device holds may now be elsewhere, or alias another's. */
    if (devs[0].open || devs[1].open) {
        all_loose();
    }
    d->tce[page] = perm ? to % WIN_PAGES : -1;
    d->perm[page] = perm;
}

static void op_poke(FuzzInput *in)
{
    uint16_t at = fuzz_u16(in) % FUZZ_WINDOW_SIZE;
    uint8_t want = fuzz_u8(in); /* read once: MIN() evaluates its arguments twice */
    size_t n;
    const uint8_t *bytes = fuzz_bytes(in, MIN(want, FUZZ_WINDOW_SIZE - at), &n);

    static uint8_t map[FUZZ_WINDOW_SIZE];

    /* Rewriting what a device owns (descriptors, queue, correlators) frees the models. */
    mark_regions(map);
    for (size_t k = 0; k < n; k++) {
        if (map[at + k]) {
            all_loose();
            break;
        }
    }
    memcpy(shadow + at, bytes, n);
    g_assert_true(guest_write(FUZZ_WINDOW + at, bytes, n));
}

static void reset(void)
{
    for (int i = 0; i < NDEV; i++) {
        Dev *d = &devs[i];

        qdev_reset(&d->vio->qdev);
        qemu_purge_queued_packets(d->sink->peer);
        d->sink->peer->receive_disabled = false;
        for (unsigned k = 0; k < d->npending; k++) {
            g_byte_array_unref(d->pending[k]);
        }
        d->npending = 0;
        g_ptr_array_set_size(d->sent, 0);
        d->open = d->loose = false;
        d->nbufs = 0;
        for (int p = 0; p < BUS_PAGES; p++) {
            d->tce[p] = -1;
            d->perm[p] = 0;
        }
    }
    g_assert_true(guest_memset(FUZZ_WINDOW, 0, FUZZ_WINDOW_SIZE));
    memset(shadow, 0, sizeof(shadow));
}

/* The device wrote only where it may. */
static void check_writes(const char *op)
{
    static uint8_t now[FUZZ_WINDOW_SIZE];

    g_assert_true(guest_read(FUZZ_WINDOW, now, FUZZ_WINDOW_SIZE));
    for (int i = 0; i < NDEV; i++) {
        mark_allowed(&devs[i]);
    }
    for (unsigned off = 0; off < FUZZ_WINDOW_SIZE; off++) {
        if (now[off] != shadow[off] && !allowed[off]) {
            fuzz_fail("fuzz-vlan: %s wrote window offset %#x (%02x -> %02x), not given to a device",
                      op, off, shadow[off], now[off]);
        }
    }
    memcpy(shadow, now, sizeof(shadow));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[OP_COUNT] = {
        "H_REGISTER_LOGICAL_LAN", "H_FREE_LOGICAL_LAN",    "H_ADD_LOGICAL_LAN_BUFFER",
        "H_SEND_LOGICAL_LAN",     "H_MULTICAST_CTRL",      "H_CHANGE_LOGICAL_LAN_MAC",
        "H_VIO_SIGNAL",           "a frame from the host", "H_PUT_TCE",
        "a guest write",
    };
    FuzzInput in = { data, size, 0 };
    uint8_t flags = fuzz_u8(&in);

    reset();
    if (!(flags & 1)) {
        for (int i = 0; i < NDEV; i++) {
            for (int p = 0; p < WIN_PAGES; p++) {
                target_ulong a[3] = { devs[i].vio->tcet->liobn, (uint64_t)p << 12,
                                      (FUZZ_WINDOW + p * 4096ULL) | 3 };

                expect("H_PUT_TCE", hcall(H_PUT_TCE, a, 3), H_SUCCESS);
                devs[i].tce[p] = p;
                devs[i].perm[p] = 3;
            }
        }
    }
    for (unsigned n = 0; n < MAX_OPS && fuzz_left(&in); n++) {
        unsigned op = fuzz_u8(&in) % OP_COUNT;
        target_ulong unit;
        Dev *d;

        memset(allowed, 0, sizeof(allowed));
        for (int i = 0; i < NDEV; i++) {
            mark_allowed(&devs[i]);
        }
        switch (op) {
        case OP_REGISTER:
            op_register(&in);
            break;
        case OP_FREE:
            op_free(&in);
            break;
        case OP_ADD:
            op_add(&in);
            break;
        case OP_SEND:
            op_send(&in);
            break;
        case OP_MCAST: {
            target_ulong a[3];

            d = pick_dev(&in, &unit);
            a[0] = unit;
            a[1] = fuzz_u8(&in) < 0xf0 ? fuzz_u8(&in) % 4 : fuzz_u64(&in);
            a[2] = fuzz_u64(&in);
            expect("H_MULTICAST_CTRL", hcall(H_MULTICAST_CTRL, a, 3), d ? H_SUCCESS : H_PARAMETER);
            break;
        }
        case OP_MAC: {
            target_ulong a[2];

            d = pick_dev(&in, &unit);
            a[0] = unit;
            a[1] = fuzz_u64(&in);
            expect("H_CHANGE_LOGICAL_LAN_MAC", hcall(H_CHANGE_LOGICAL_LAN_MAC, a, 2),
                   d ? H_SUCCESS : H_PARAMETER);
            break;
        }
        case OP_SIGNAL: {
            target_ulong a[2];
            target_ulong got;

            d = pick_dev(&in, &unit);
            a[0] = unit;
            a[1] = fuzz_u8(&in) < 0xf0 ? fuzz_u8(&in) & 1 : fuzz_u64(&in);
            got = hcall(H_VIO_SIGNAL, a, 2);
            if (d) {
                expect("H_VIO_SIGNAL", got, a[1] & ~1ULL ? H_PARAMETER : H_SUCCESS);
            } else if (got != (target_ulong)H_PARAMETER && got != H_SUCCESS) {
                expect("H_VIO_SIGNAL", got, H_PARAMETER);
            }
            break;
        }
        case OP_RECV:
            op_recv(&in);
            break;
        case OP_PUT_TCE:
            op_put_tce(&in);
            break;
        case OP_POKE:
            op_poke(&in);
            break;
        }
        check_writes(names[op]);
        for (int i = 0; i < NDEV; i++) {
            consume(&devs[i]);
        }
    }
    return 0;
}
