/*
 * Device state through migration on the real binary: a virtio-blk-pci and a
 * virtio-net-pci set up as a driver would (PCI config over RTAS, the virtio 1.0
 * common configuration in BAR 4) read back the same after "exec:" migration,
 * and a destination whose device differs refuses the stream.  A virtconsole
 * on a virtio-serial-pci carries data both ways across the migration.
 */
#include "libqtest.h"
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Scratch RAM for RTAS argument blocks. */
#define RTAS_ARGS 0x100000
#define PHB0_BUID 0x800000020000000ULL
/* PHB 0's 64-bit window (QEMU 7.2's placement: 32 TiB + 1 TiB), bus address = CPU address. */
#define MEM64_WIN 0x210000000000ULL
#define BLK_BAR (MEM64_WIN + 0x100000)
#define NET_BAR (MEM64_WIN + 0x200000)
#define BLK_DEVFN (2 << 3)
#define NET_DEVFN (3 << 3)

/* The virtio 1.0 common configuration (4.1.4.3), at BAR 4's offset 0 as in QEMU. */
#define CC_DFSELECT 0
#define CC_GFSELECT 8
#define CC_GF 12
#define CC_MSIX 16
#define CC_STATUS 20
#define CC_GENERATION 21
#define CC_QSELECT 22
#define CC_QSIZE 24
#define CC_QVECTOR 26
#define CC_QENABLE 28
#define CC_QDESC 32
#define CC_QAVAIL 40
#define CC_QUSED 48

static uint32_t rtas_ld(QTestState *s, uint64_t a)
{
    return qtest_readl(s, a);
}

static void rtas_st(QTestState *s, uint64_t a, uint32_t v)
{
    qtest_writel(s, a, v);
}

static void cfg_write(QTestState *s, unsigned devfn, unsigned reg, unsigned size, uint32_t val)
{
    rtas_st(s, RTAS_ARGS, devfn << 8 | reg);
    rtas_st(s, RTAS_ARGS + 4, PHB0_BUID >> 32);
    rtas_st(s, RTAS_ARGS + 8, (uint32_t)PHB0_BUID);
    rtas_st(s, RTAS_ARGS + 12, size);
    rtas_st(s, RTAS_ARGS + 16, val);
    qtest_rtas_call(s, "ibm,write-pci-config", 5, RTAS_ARGS, 1, RTAS_ARGS + 20);
    g_assert_cmpint((int32_t)rtas_ld(s, RTAS_ARGS + 20), ==, 0);
}

static uint32_t cfg_read(QTestState *s, unsigned devfn, unsigned reg, unsigned size)
{
    rtas_st(s, RTAS_ARGS, devfn << 8 | reg);
    rtas_st(s, RTAS_ARGS + 4, PHB0_BUID >> 32);
    rtas_st(s, RTAS_ARGS + 8, (uint32_t)PHB0_BUID);
    rtas_st(s, RTAS_ARGS + 12, size);
    qtest_rtas_call(s, "ibm,read-pci-config", 4, RTAS_ARGS, 2, RTAS_ARGS + 16);
    g_assert_cmpint((int32_t)rtas_ld(s, RTAS_ARGS + 16), ==, 0);
    return rtas_ld(s, RTAS_ARGS + 20);
}

/*
 * The device's registers are little-endian; qtest's accesses carry the
 * value in the guest's byte order (big-endian here), as a CPU store would.
 */
static void le_w16(QTestState *s, uint64_t a, uint16_t v)
{
    qtest_writew(s, a, GUINT16_SWAP_LE_BE(v));
}

static void le_w32(QTestState *s, uint64_t a, uint32_t v)
{
    qtest_writel(s, a, GUINT32_SWAP_LE_BE(v));
}

static uint16_t le_r16(QTestState *s, uint64_t a)
{
    return GUINT16_SWAP_LE_BE(qtest_readw(s, a));
}

static uint32_t le_r32(QTestState *s, uint64_t a)
{
    return GUINT32_SWAP_LE_BE(qtest_readl(s, a));
}

/* BAR 4 at bar, memory decoding and bus mastering on, then a driver's set-up of queue 0. */
static void driver_setup(QTestState *s, unsigned devfn, uint64_t bar, uint32_t desc)
{
    cfg_write(s, devfn, 0x20, 4, (uint32_t)bar);
    cfg_write(s, devfn, 0x24, 4, bar >> 32);
    cfg_write(s, devfn, 0x04, 2, 0x6);
    qtest_writeb(s, bar + CC_STATUS, 0x1 | 0x2);
    le_w32(s, bar + CC_GFSELECT, 1);
    le_w32(s, bar + CC_GF, 1); /* VERSION_1 */
    qtest_writeb(s, bar + CC_STATUS, 0x1 | 0x2 | 0x8);
    le_w16(s, bar + CC_MSIX, 0);
    le_w16(s, bar + CC_QSELECT, 0);
    le_w16(s, bar + CC_QSIZE, 64);
    le_w16(s, bar + CC_QVECTOR, 1);
    le_w32(s, bar + CC_QDESC, desc);
    le_w32(s, bar + CC_QAVAIL, desc + 0x1000);
    le_w32(s, bar + CC_QUSED, desc + 0x2000);
    le_w16(s, bar + CC_QENABLE, 1);
    qtest_writeb(s, bar + CC_STATUS, 0x1 | 0x2 | 0x8 | 0x4);
}

/* What a driver reads back: PCI config and the common configuration. */
static char *driver_view(QTestState *s, unsigned devfn, uint64_t bar)
{
    GString *v = g_string_new(NULL);

    g_string_append_printf(v, "cmd %x bar %x:%x ", cfg_read(s, devfn, 0x04, 2),
                           cfg_read(s, devfn, 0x24, 4), cfg_read(s, devfn, 0x20, 4));
    le_w16(s, bar + CC_QSELECT, 0);
    le_w32(s, bar + CC_GFSELECT, 1);
    g_string_append_printf(
        v, "status %x gen %x gf1 %x msix %x q0 size %x vec %x en %x desc %x avail %x used %x",
        qtest_readb(s, bar + CC_STATUS), qtest_readb(s, bar + CC_GENERATION),
        le_r32(s, bar + CC_GF), le_r16(s, bar + CC_MSIX), le_r16(s, bar + CC_QSIZE),
        le_r16(s, bar + CC_QVECTOR), le_r16(s, bar + CC_QENABLE), le_r32(s, bar + CC_QDESC),
        le_r32(s, bar + CC_QAVAIL), le_r32(s, bar + CC_QUSED));
    return g_string_free(v, FALSE);
}

static void wait_migration(QTestState *s, const char *want)
{
    for (int i = 0; i < 300; i++) {
        JsonObject *r = qtest_qmp(s, "{\"execute\": \"query-migrate\"}");
        JsonObject *ret = json_object_get_object_member(r, "return");
        const char *st = ret && json_object_has_member(ret, "status")
                             ? json_object_get_string_member(ret, "status")
                             : "";
        bool done = !strcmp(st, want) || !strcmp(st, "failed");

        g_assert_cmpstr(st, !=, "failed");
        json_object_unref(r);
        if (done) {
            return;
        }
        g_usleep(100 * 1000);
    }
    g_assert_not_reached();
}

static char *devices(const char *img, const char *blk_extra)
{
    return g_strdup_printf("-m 256M -S -nodefaults -drive if=none,id=d0,file=%s,format=raw "
                           "-device virtio-blk-pci,drive=d0,addr=2%s "
                           "-netdev user,id=n0 -device virtio-net-pci,netdev=n0,addr=3,romfile=",
                           img, blk_extra);
}

static void test_roundtrip(void)
{
    g_autofree char *dir = g_dir_make_tmp("migvdev-XXXXXX", NULL);
    g_autofree char *img = g_build_filename(dir, "disk.raw", NULL);
    g_autofree char *stream = g_build_filename(dir, "stream", NULL);
    g_autofree char *args = NULL, *dst_args = NULL, *bad_dev = NULL, *bad_args = NULL;
    g_autofree char *other = NULL, *dtb = NULL;
    g_autofree char *blk_before = NULL, *net_before = NULL, *blk_after = NULL, *net_after = NULL;
    g_autofree char *err = NULL;
    QTestState *s;
    JsonObject *r;

    g_assert_true(g_file_set_contents(img, "", 0, NULL));
    g_assert_cmpint(truncate(img, 1 << 20), ==, 0);
    args = devices(img, "");

    s = qtest_init(args);
    driver_setup(s, BLK_DEVFN, BLK_BAR, 0x200000);
    driver_setup(s, NET_DEVFN, NET_BAR, 0x300000);
    blk_before = driver_view(s, BLK_DEVFN, BLK_BAR);
    net_before = driver_view(s, NET_DEVFN, NET_BAR);
    /* What the driver set is there to migrate (status DRIVER_OK, the queue enabled). */
    g_test_message("blk: %s", blk_before);
    g_test_message("net: %s", net_before);
    g_assert_nonnull(strstr(blk_before, "status f gen 0 gf1 1 msix 0 q0 size 40 vec 1 en 1 "
                                        "desc 200000 avail 201000 used 202000"));
    g_assert_nonnull(strstr(net_before, "status f gen 0 gf1 1 msix 0 q0 size 40 vec 1 en 1 "
                                        "desc 300000 avail 301000 used 302000"));
    r = qtest_qmp(s, "{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"exec:cat > %s\"}}",
                  stream);
    g_assert_true(json_object_has_member(r, "return"));
    json_object_unref(r);
    wait_migration(s, "completed");
    /*
     * While the source sits in postmigrate another process may take the image
     * (it gave its write lock up); cont takes it back and runs again.
     */
    other = g_strdup_printf("-M pseries,dumpdtb=%s/dtb -accel qtest -display none -nodefaults "
                            "-drive if=none,id=x,file=%s,format=raw -device virtio-blk-pci,drive=x",
                            dir, img);
    g_assert_cmpint(qtest_run(other, NULL, &err), ==, 0);
    g_clear_pointer(&err, g_free);
    r = qtest_qmp(s, "{\"execute\": \"cont\"}");
    g_assert_true(json_object_has_member(r, "return"));
    json_object_unref(r);
    qtest_quit(s);

    /* The same devices on the destination: the driver sees what it left. */
    dst_args = g_strdup_printf("%s -incoming defer", args);
    s = qtest_init(dst_args);
    r = qtest_qmp(s,
                  "{\"execute\": \"migrate-incoming\", \"arguments\": {\"uri\": \"exec:cat %s\"}}",
                  stream);
    g_assert_true(json_object_has_member(r, "return"));
    json_object_unref(r);
    wait_migration(s, "completed");
    blk_after = driver_view(s, BLK_DEVFN, BLK_BAR);
    net_after = driver_view(s, NET_DEVFN, NET_BAR);
    g_assert_cmpstr(blk_after, ==, blk_before);
    g_assert_cmpstr(net_after, ==, net_before);
    qtest_quit(s);

    /* A disk with smaller queues cannot take the stream: refused, exit status 1. */
    bad_dev = devices(img, ",queue-size=128");
    bad_args = g_strdup_printf("%s -incoming defer", bad_dev);
    s = qtest_init(bad_args);
    r = qtest_qmp(s,
                  "{\"execute\": \"migrate-incoming\", \"arguments\": {\"uri\": \"exec:cat %s\"}}",
                  stream);
    json_object_unref(r);
    g_assert_cmpint(qtest_wait_exit(s), ==, 1);
    err = qtest_stderr(s);
    g_assert_nonnull(strstr(err, "num_max is 256 in the state, 128 here"));
    qtest_quit(s);

    dtb = g_build_filename(dir, "dtb", NULL);
    unlink(dtb);
    unlink(stream);
    unlink(img);
    rmdir(dir);
}

/*
 * The devices -M pseries creates by default (spapr-vscsi with a scsi-cd,
 * spapr-vlan, spapr-nvram, spapr-vty), with a virtio-scsi-pci holding a
 * scsi-cd, a virtio-rng-pci and a virtio-balloon-pci, migrate; a destination with one more
 * device is refused.
 */
static void test_default_devices(void)
{
    g_autofree char *dir = g_dir_make_tmp("migdef-XXXXXX", NULL);
    g_autofree char *stream = g_build_filename(dir, "stream", NULL);
    g_autofree char *err = NULL;
    QTestState *s;
    JsonObject *r;

    s = qtest_init("-m 256M -S -device virtio-scsi-pci,id=vs -device scsi-cd,bus=vs.0 -device "
                   "virtio-rng-pci -device virtio-balloon-pci");
    r = qtest_qmp(s, "{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"exec:cat > %s\"}}",
                  stream);
    g_assert_true(json_object_has_member(r, "return"));
    json_object_unref(r);
    wait_migration(s, "completed");
    qtest_quit(s);

    s = qtest_init("-m 256M -S -device virtio-scsi-pci,id=vs -device scsi-cd,bus=vs.0 -device "
                   "virtio-rng-pci -device virtio-balloon-pci "
                   "-incoming defer");
    r = qtest_qmp(s,
                  "{\"execute\": \"migrate-incoming\", \"arguments\": {\"uri\": \"exec:cat %s\"}}",
                  stream);
    json_object_unref(r);
    wait_migration(s, "completed");
    qtest_quit(s);

    /* A destination with a second SCSI adapter (and its DMA window) is refused. */
    s = qtest_init("-m 256M -S -device virtio-scsi-pci,id=vs -device scsi-cd,bus=vs.0 -device "
                   "virtio-rng-pci -device virtio-balloon-pci "
                   "-device spapr-vscsi,id=extra -incoming defer");
    r = qtest_qmp(s,
                  "{\"execute\": \"migrate-incoming\", \"arguments\": {\"uri\": \"exec:cat %s\"}}",
                  stream);
    json_object_unref(r);
    g_assert_cmpint(qtest_wait_exit(s), ==, 1);
    err = qtest_stderr(s);
    g_assert_nonnull(strstr(err, "load of migration failed: 3 TCE tables in the state, 4 here"));
    qtest_quit(s);
    unlink(stream);
    rmdir(dir);
}

/* ---- virtio-serial: a console's data across the migration ---------------------------------- */

#define SER_BAR (MEM64_WIN + 0x400000)
#define SER_DEVFN (4 << 3)
#define SER_QSIZE 8
#define SER_NOTIFY 0x3000 /* BAR 4's notify area, 4 bytes a queue */
/* Port 0's receive queue (0) and transmit queue (1): rings at SER_RING(q), data at SER_BUF(n). */
#define SER_RING(q) (0x400000 + (uint64_t)(q)*0x10000)
#define SER_BUF(n) (0x500000 + (uint64_t)(n)*0x1000)

static void mem_le(QTestState *s, uint64_t a, uint64_t v, unsigned size)
{
    uint8_t b[8];

    for (unsigned i = 0; i < size; i++) {
        b[i] = v >> (8 * i);
    }
    qtest_memwrite(s, a, b, size);
}

static uint64_t mem_le_read(QTestState *s, uint64_t a, unsigned size)
{
    uint8_t b[8];
    uint64_t v = 0;

    qtest_memread(s, a, b, size);
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)b[i] << (8 * i);
    }
    return v;
}

/* A driver without MULTIPORT: port 0 is the console, its two queues of SER_QSIZE entries. */
static void ser_setup(QTestState *s)
{
    cfg_write(s, SER_DEVFN, 0x20, 4, (uint32_t)SER_BAR);
    cfg_write(s, SER_DEVFN, 0x24, 4, SER_BAR >> 32);
    cfg_write(s, SER_DEVFN, 0x04, 2, 0x6);
    qtest_writeb(s, SER_BAR + CC_STATUS, 0x1 | 0x2);
    le_w32(s, SER_BAR + CC_GFSELECT, 1);
    le_w32(s, SER_BAR + CC_GF, 1); /* VERSION_1 */
    qtest_writeb(s, SER_BAR + CC_STATUS, 0x1 | 0x2 | 0x8);
    for (unsigned q = 0; q < 2; q++) {
        le_w16(s, SER_BAR + CC_QSELECT, q);
        le_w16(s, SER_BAR + CC_QSIZE, SER_QSIZE);
        le_w16(s, SER_BAR + CC_QVECTOR, 0xffff);
        le_w32(s, SER_BAR + CC_QDESC, SER_RING(q));
        le_w32(s, SER_BAR + CC_QAVAIL, SER_RING(q) + 0x1000);
        le_w32(s, SER_BAR + CC_QUSED, SER_RING(q) + 0x2000);
        le_w16(s, SER_BAR + CC_QENABLE, 1);
    }
    qtest_writeb(s, SER_BAR + CC_STATUS, 0x1 | 0x2 | 0x8 | 0x4);
}

/* The driver's idx-th buffer on queue q: len bytes at SER_BUF(buf), device-writable on queue 0. */
static void ser_give(QTestState *s, unsigned q, uint16_t idx, unsigned buf, uint32_t len)
{
    uint64_t desc = SER_RING(q) + (idx % SER_QSIZE) * 16;

    mem_le(s, desc, SER_BUF(buf), 8);
    mem_le(s, desc + 8, len, 4);
    mem_le(s, desc + 12, q == 0 ? 2 : 0, 2); /* VRING_DESC_F_WRITE for receive buffers */
    mem_le(s, desc + 14, 0, 2);
    mem_le(s, SER_RING(q) + 0x1000 + 4 + 2 * (idx % SER_QSIZE), idx % SER_QSIZE, 2);
    mem_le(s, SER_RING(q) + 0x1000 + 2, idx + 1, 2);
    le_w16(s, SER_BAR + SER_NOTIFY + 4 * q, q);
}

/* Wait for the device to return the idx-th buffer of queue q; the length it wrote. */
static uint32_t ser_used(QTestState *s, unsigned q, uint16_t idx)
{
    uint64_t used = SER_RING(q) + 0x2000;

    /* No deadline on the work itself: the loaded machine may be slow; a hang is the test's timeout. */
    while ((uint16_t)mem_le_read(s, used + 2, 2) <= idx) {
        g_usleep(10 * 1000);
    }
    g_assert_cmpuint(mem_le_read(s, used + 4 + 8 * (idx % SER_QSIZE), 4), ==, idx % SER_QSIZE);
    return mem_le_read(s, used + 4 + 8 * (idx % SER_QSIZE) + 4, 4);
}

static char *ser_buf(QTestState *s, unsigned buf, uint32_t len)
{
    char *b = g_malloc0(len + 1);

    qtest_memread(s, SER_BUF(buf), b, len);
    return b;
}

static int peer_connect(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpuint(strlen(path), <, sizeof(sa.sun_path));
    strcpy(sa.sun_path, path);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    return fd;
}

/* Exactly len bytes from the console's peer socket. */
static char *peer_read(int fd, size_t len)
{
    char *b = g_malloc0(len + 1);
    size_t got = 0;

    while (got < len) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        ssize_t n;

        g_assert_cmpint(poll(&p, 1, -1), ==, 1);
        n = read(fd, b + got, len - got);
        g_assert_cmpint(n, >, 0);
        got += n;
    }
    return b;
}

static char *ser_args(const char *sock, const char *extra)
{
    return g_strdup_printf("-m 256M -S -nodefaults "
                           "-chardev socket,id=c0,path=%s,server=on,wait=off "
                           "-device virtio-serial-pci,addr=4 -device virtconsole,chardev=c0%s",
                           sock, extra);
}

/*
 * The host sends 26 bytes while the guest has given one 8-byte buffer: the
 * device holds the other 18 across the migration and the destination's
 * guest gets them in its next buffer.  The guest writes before and after:
 * each side's peer gets its own line once (the transmit ring's place
 * migrated, nothing sent again).  The destination's chardev is its own.
 */
static void test_serial_console(void)
{
    static const char host_msg[] = "hello-from-host-0123456789";
    g_autofree char *dir = g_dir_make_tmp("migser-XXXXXX", NULL);
    g_autofree char *stream = g_build_filename(dir, "stream", NULL);
    g_autofree char *src_sock = g_build_filename(dir, "src.sock", NULL);
    g_autofree char *dst_sock = g_build_filename(dir, "dst.sock", NULL);
    g_autofree char *args = ser_args(src_sock, "");
    g_autofree char *dst_base = ser_args(dst_sock, "");
    g_autofree char *dst_args = g_strdup_printf("%s -incoming defer", dst_base);
    g_autofree char *err = NULL;
    g_autofree char *b0 = NULL, *b1 = NULL, *b2 = NULL, *got = NULL, *got2 = NULL;
    QTestState *s;
    JsonObject *r;
    int peer;

    s = qtest_init(args);
    ser_setup(s);
    peer = peer_connect(src_sock);
    ser_give(s, 0, 0, 0, 8);
    g_assert_cmpint(write(peer, host_msg, strlen(host_msg)), ==, (int)strlen(host_msg));
    g_assert_cmpuint(ser_used(s, 0, 0), ==, 8);
    b0 = ser_buf(s, 0, 8);
    g_assert_cmpstr(b0, ==, "hello-fr");
    qtest_memwrite(s, SER_BUF(1), "guest-before\n", 13);
    ser_give(s, 1, 0, 1, 13);
    got = peer_read(peer, 13);
    g_assert_cmpstr(got, ==, "guest-before\n");
    g_assert_cmpuint(ser_used(s, 1, 0), ==, 0);

    r = qtest_qmp(s, "{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"exec:cat > %s\"}}",
                  stream);
    g_assert_true(json_object_has_member(r, "return"));
    json_object_unref(r);
    wait_migration(s, "completed");
    qtest_quit(s);
    close(peer);

    s = qtest_init(dst_args);
    peer = peer_connect(dst_sock);
    r = qtest_qmp(s,
                  "{\"execute\": \"migrate-incoming\", \"arguments\": {\"uri\": \"exec:cat %s\"}}",
                  stream);
    g_assert_true(json_object_has_member(r, "return"));
    json_object_unref(r);
    wait_migration(s, "completed");
    qtest_clock_step(s, 1000);
    /* The 18 bytes the source held, in the guest's next buffer. */
    ser_give(s, 0, 1, 2, 64);
    g_assert_cmpuint(ser_used(s, 0, 1), ==, 18);
    b1 = ser_buf(s, 2, 18);
    g_assert_cmpstr(b1, ==, "om-host-0123456789");
    /* New host bytes on the destination's own chardev. */
    ser_give(s, 0, 2, 3, 64);
    g_assert_cmpint(write(peer, "after\n", 6), ==, 6);
    g_assert_cmpuint(ser_used(s, 0, 2), ==, 6);
    b2 = ser_buf(s, 3, 6);
    g_assert_cmpstr(b2, ==, "after\n");
    /* The guest's next write is the only thing this peer gets. */
    qtest_memwrite(s, SER_BUF(4), "guest-after\n", 12);
    ser_give(s, 1, 1, 4, 12);
    got2 = peer_read(peer, 12);
    g_assert_cmpstr(got2, ==, "guest-after\n");
    g_assert_cmpuint(ser_used(s, 1, 1), ==, 0);
    qtest_quit(s);
    close(peer);

    /* A destination whose device has another number of ports cannot take the stream. */
    s = qtest_init("-m 256M -S -nodefaults -device virtio-serial-pci,addr=4,max_ports=4 "
                   "-device virtconsole -incoming defer");
    r = qtest_qmp(s,
                  "{\"execute\": \"migrate-incoming\", \"arguments\": {\"uri\": \"exec:cat %s\"}}",
                  stream);
    json_object_unref(r);
    g_assert_cmpint(qtest_wait_exit(s), ==, 1);
    err = qtest_stderr(s);
    g_test_message("%s", err);
    g_assert_nonnull(strstr(err, "max_ports is 31 in the state, 4 here"));
    qtest_quit(s);

    unlink(stream);
    unlink(src_sock);
    unlink(dst_sock);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/migrate/virtio-pci-roundtrip", test_roundtrip);
    g_test_add_func("/migrate/default-devices", test_default_devices);
    g_test_add_func("/migrate/virtio-serial-console", test_serial_console);
    return g_test_run();
}
