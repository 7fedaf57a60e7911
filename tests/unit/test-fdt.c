/*
 * Unit tests for the pseries device tree builder and the boot image loader
 * (malformed ELF files must be refused without touching guest RAM).
 */
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_vio.h"
#include "hw/loader.h"
#include "exec/guest-memory.h"
#include "qemu/module.h"
#include "qemu/units.h"
#include "tests/unit/vma-flags.h"
#include <libfdt.h>
#include <glib/gstdio.h>

#define RAM_SIZE (64 * MiB)

static void put_be(uint8_t *p, uint64_t v, unsigned width)
{
    for (unsigned i = 0; i < width; i++) {
        p[i] = v >> (8 * (width - 1 - i));
    }
}

/* A big-endian ELF64 with one PT_LOAD of len bytes (0xab) at paddr. */
static size_t make_elf(uint8_t *buf, uint64_t paddr, uint64_t len, uint64_t offset)
{
    static const uint8_t ident[8] = { 0x7f, 'E', 'L', 'F', 2, 2, 1, 0 };

    memset(buf, 0, 120 + len);
    memcpy(buf, ident, sizeof(ident));
    put_be(buf + 16, 2, 2);  /* ET_EXEC */
    put_be(buf + 18, 21, 2); /* EM_PPC64 */
    put_be(buf + 20, 1, 4);
    put_be(buf + 24, paddr, 8); /* entry */
    put_be(buf + 32, 64, 8);    /* phoff */
    put_be(buf + 52, 64, 2);
    put_be(buf + 54, 56, 2); /* phentsize */
    put_be(buf + 56, 1, 2);  /* phnum */
    put_be(buf + 64, 1, 4);  /* PT_LOAD */
    put_be(buf + 72, offset, 8);
    put_be(buf + 80, paddr, 8);
    put_be(buf + 88, paddr, 8);
    put_be(buf + 96, len, 8);  /* filesz */
    put_be(buf + 104, len, 8); /* memsz */
    memset(buf + 120, 0xab, len);
    return 120 + len;
}

static char *write_tmp(const void *data, size_t len)
{
    char *path = NULL;
    int fd = g_file_open_tmp("test-fdt-XXXXXX", &path, NULL);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, data, len), ==, (ssize_t)len);
    close(fd);
    return path;
}

/* Load buf as ELF; returns load_elf's result. */
static int64_t try_elf(const void *buf, size_t len, uint64_t *entry)
{
    g_autofree char *path = write_tmp(buf, len);
    uint64_t low, high;
    bool le;
    char *err = NULL;
    int64_t ret = load_elf(path, NULL, NULL, entry, &low, &high, &le, &err);

    if (ret < 0) {
        g_assert_nonnull(err);
        g_free(err);
    }
    g_unlink(path);
    return ret;
}

static bool ram_is_zero(hwaddr addr, size_t len)
{
    g_autofree uint8_t *buf = g_malloc(len);

    g_assert_true(guest_read(addr, buf, len));
    for (size_t i = 0; i < len; i++) {
        if (buf[i]) {
            return false;
        }
    }
    return true;
}

static void test_elf_good(void)
{
    uint8_t buf[256];
    size_t len = make_elf(buf, 0x10000, 100, 120);
    uint64_t entry = 0;
    uint8_t byte = 0;

    guest_ram_init(RAM_SIZE);
    g_assert_cmpint(try_elf(buf, len, &entry), ==, 100);
    g_assert_cmpuint(entry, ==, 0x10000);
    g_assert_true(guest_ldub(0x10000 + 99, &byte));
    g_assert_cmpuint(byte, ==, 0xab);
}

static void test_elf_malformed(void)
{
    uint8_t buf[256];
    size_t len;
    uint64_t entry;

    guest_ram_init(RAM_SIZE);
    /* Not ELF at all: the caller may try a raw image. */
    g_assert_cmpint(try_elf("hello", 5, &entry), ==, -1);
    /* Truncated header */
    len = make_elf(buf, 0x10000, 100, 120);
    g_assert_cmpint(try_elf(buf, 20, &entry), ==, -2);
    /* Program headers past the end of the file */
    g_assert_cmpint(try_elf(buf, 100, &entry), ==, -2);
    /* Segment data past the end of the file */
    make_elf(buf, 0x10000, 100, 200);
    g_assert_cmpint(try_elf(buf, len, &entry), ==, -2);
    /* Segment offset that wraps around */
    make_elf(buf, 0x10000, 100, UINT64_MAX - 10);
    g_assert_cmpint(try_elf(buf, len, &entry), ==, -2);
    /* Segment outside RAM, or wrapping the address space */
    make_elf(buf, RAM_SIZE - 50, 100, 120);
    g_assert_cmpint(try_elf(buf, len, &entry), ==, -2);
    make_elf(buf, UINT64_MAX - 10, 100, 120);
    g_assert_cmpint(try_elf(buf, len, &entry), ==, -2);
    g_assert_true(ram_is_zero(RAM_SIZE - 50, 50));
    g_assert_true(ram_is_zero(0x10000, 100));
}

static void test_raw_image(void)
{
    g_autofree char *path = write_tmp("0123456789", 10);
    char *err = NULL;
    uint8_t byte = 0;

    guest_ram_init(RAM_SIZE);
    g_assert_cmpint(load_image_targphys(path, 0x1000, 10, &err), ==, 10);
    g_assert_true(guest_ldub(0x1009, &byte));
    g_assert_cmpuint(byte, ==, '9');
    g_assert_cmpint(load_image_targphys(path, 0x2000, 9, &err), ==, -1);
    g_free(err);
    err = NULL;
    g_assert_cmpint(load_image_targphys(path, RAM_SIZE - 5, 100, &err), ==, -1);
    g_free(err);
    g_assert_true(ram_is_zero(RAM_SIZE - 5, 5));
    g_unlink(path);
}

/*
 * Guest RAM asks for huge pages (a fault per 2 MiB) over all of it, and
 * stays one mapping when an image is copied in.
 */
static void test_ram_huge(void)
{
    size_t len = 5 * MiB;
    g_autofree uint8_t *data = g_malloc(len);
    g_autofree char *path = NULL;
    char *err = NULL;
    uint8_t *ram;
    uintptr_t lo, hi;

    for (size_t i = 0; i < len; i++) {
        data[i] = i * 7 + (i >> 12);
    }
    path = write_tmp((const char *)data, len);
    guest_ram_init(RAM_SIZE);
    g_assert_cmpint(load_image_targphys(path, 0x100, len, &err), ==, (int64_t)len);
    g_assert_cmpmem(guest_ram_ptr(0x100, len), len, data, len);
    ram = guest_ram_ptr(0, RAM_SIZE);
    g_assert_nonnull(ram);
    vma_range(ram, &lo, &hi);
    g_assert_cmphex(lo, <=, (uintptr_t)ram);
    g_assert_cmphex(hi, >=, (uintptr_t)ram + RAM_SIZE);
    if (host_has_thp()) {
        g_assert_true(vma_has_flag(ram, "hg"));
    } else {
        g_test_message("no transparent huge pages on this host: the advice is not checked");
    }
    g_unlink(path);
}

/*
 * A reset copies every image loaded again, as QEMU rewrites its ROMs: after
 * the guest has overwritten them, data and zero-filled tails come back;
 * loads that failed left nothing to copy.
 */
static void test_reload_at_reset(void)
{
    g_autofree char *raw = write_tmp("firmware", 8);
    g_autofree char *big = write_tmp("0123456789", 10);
    uint8_t buf[512], junk[300];
    size_t len = make_elf(buf, 0x40000, 100, 120);
    uint8_t byte = 0;
    uint64_t entry;
    char *err = NULL;

    guest_ram_init(RAM_SIZE);
    put_be(buf + 104, 300, 8); /* memsz: 200 zero bytes after the data */
    g_assert_cmpint(try_elf(buf, len, &entry), ==, 300);
    g_assert_cmpint(load_image_targphys(raw, 0x30000, 100, &err), ==, 8);
    g_assert_cmpint(load_image_targphys(big, RAM_SIZE - 5, 100, &err), ==, -1);
    g_free(err);
    g_unlink(raw);
    g_unlink(big);

    memset(junk, 0x55, sizeof(junk));
    g_assert_true(guest_write(0x40000, junk, sizeof(junk)));
    g_assert_true(guest_write(0x30000, junk, 8));
    loader_reset();
    g_assert_true(guest_ldub(0x40000, &byte));
    g_assert_cmpuint(byte, ==, 0xab);
    g_assert_true(guest_ldub(0x40000 + 99, &byte));
    g_assert_cmpuint(byte, ==, 0xab);
    g_assert_true(ram_is_zero(0x40000 + 100, 200));
    g_assert_true(guest_read(0x30000, junk, 8));
    g_assert_cmpmem(junk, 8, "firmware", 8);
    g_assert_true(ram_is_zero(RAM_SIZE - 5, 5));
}

/*
 * A file is read again at reset (not kept in memory): one rewritten in
 * place since (truncated, here) is a clear error, not a half-copied image;
 * one deleted or replaced by another file still reloads (test above).
 */
static void test_reset_changed_file(void)
{
    if (g_test_subprocess()) {
        g_autofree char *raw = write_tmp("firmware", 8);
        char *err = NULL;
        FILE *f;

        guest_ram_init(RAM_SIZE);
        g_assert_cmpint(load_image_targphys(raw, 0x30000, 100, &err), ==, 8);
        /* the same file (inode), shorter: fopen "w" truncates it */
        f = fopen(raw, "w");
        g_assert_nonnull(f);
        g_assert_cmpint(fwrite("fw", 1, 2, f), ==, 2);
        fclose(f);
        loader_reset();
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*: the file changed since it was loaded: cannot load it again at "
                              "reset*");
}

static const char *node_str(const void *fdt, const char *path, const char *name)
{
    int node = fdt_path_offset(fdt, path);

    g_assert_cmpint(node, >=, 0);
    return fdt_getprop(fdt, node, name, NULL);
}

static void test_fdt_build(void)
{
    SpaprMachineState spapr = {
        .ram_size = 1 * GiB,
        .smp_cpus = 2,
        .cpu_model = ppc_cpu_model_find("power8"),
        .kernel_cmdline = (char *)"console=hvc0",
    };
    const fdt32_t *reg;
    uint32_t size = 0;
    void *fdt;
    int len;

    spapr.vio_bus = spapr_vio_bus_new(NULL, NULL);
    fdt = spapr_build_fdt(&spapr, &size);
    g_assert_nonnull(fdt);
    g_assert_cmpint(fdt_check_header(fdt), ==, 0);
    g_assert_cmpuint(size, ==, fdt_totalsize(fdt));
    g_assert_cmpstr(node_str(fdt, "/", "compatible"), ==, "qemu,pseries");
    g_assert_cmpstr(node_str(fdt, "/chosen", "bootargs"), ==, "console=hvc0");
    g_assert_null(node_str(fdt, "/chosen", "stdout-path"));
    g_assert_cmpstr(node_str(fdt, "/cpus/PowerPC,POWER8@1", "device_type"), ==, "cpu");
    reg = fdt_getprop(fdt, fdt_path_offset(fdt, "/memory@0"), "reg", &len);
    g_assert_cmpint(len, ==, 16);
    g_assert_cmpuint(fdt32_to_cpu(reg[3]), ==, 0x40000000);
    g_assert_cmpint(fdt_path_offset(fdt, "/vdevice"), >=, 0);
    g_free(fdt);
    spapr_vio_bus_free(spapr.vio_bus);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    module_call_init();
    g_test_add_func("/loader/elf-good", test_elf_good);
    g_test_add_func("/loader/elf-malformed", test_elf_malformed);
    g_test_add_func("/loader/raw", test_raw_image);
    g_test_add_func("/loader/ram-huge", test_ram_huge);
    g_test_add_func("/loader/reload-at-reset", test_reload_at_reset);
    g_test_add_func("/loader/reset-changed-file", test_reset_changed_file);
    g_test_add_func("/fdt/build", test_fdt_build);
    return g_test_run();
}
