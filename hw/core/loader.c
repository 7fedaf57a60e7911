/*
 * Boot image loading: raw files and ELF executables (32/64-bit, either byte
 * order) copied into guest RAM, every header field checked against the file,
 * and copied again at every system reset.
 */
#include "hw/loader.h"
#include "exec/guest-memory.h"
#include "qemu/error-report.h"
#include "qemu/units.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/mman.h>
#include <sys/stat.h>

/* ELF identification and header layout (System V ABI, "ELF-64 Object File") */
#define EI_CLASS 4
#define EI_DATA 5
#define EI_NIDENT 16
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ELFDATA2MSB 2
#define ET_EXEC 2
#define ET_DYN 3
#define PT_LOAD 1
#define ELF32_EHDR_SIZE 52
#define ELF64_EHDR_SIZE 64
#define ELF32_PHDR_SIZE 32
#define ELF64_PHDR_SIZE 56

/* The fields of one PT_LOAD segment, whatever the class. */
typedef struct ElfSegment {
    uint64_t offset;
    uint64_t paddr;
    uint64_t filesz;
    uint64_t memsz;
} ElfSegment;

/*
 * A file images were loaded from, kept for the copies at reset.  A regular
 * file stays open and is read again (a kernel with its symbols is tens of
 * megabytes: not kept in memory, QEMU keeps it as ROMs); anything else (a
 * pipe, say) is kept whole in bytes.
 */
typedef struct ImageFile {
    int fd; /* -1: bytes */
    GBytes *bytes;
    struct stat st; /* as loaded: a reset refuses a file changed in place */
} ImageFile;

typedef struct ElfFile {
    ImageFile *file;
    const uint8_t *data; /* the whole file (mapped, or bytes') */
    size_t size;
    bool is64;
    bool le;
    const char *name; /* the file name */
} ElfFile;

/*
 * What a load put in guest RAM: size bytes at addr, the first datasize of
 * them from the file (the rest zero).  QEMU keeps its loaded images as ROMs
 * and writes them again at every reset, so firmware at 0 that a kernel has
 * overwritten runs again after a reboot; so do we.
 */
typedef struct LoadedImage {
    char *name; /* as HMP info roms shows it */
    hwaddr addr;
    ImageFile *file;
    size_t offset;
    uint64_t datasize;
    uint64_t size;
} LoadedImage;

static GArray *loaded_images;

static void image_file_clear(gpointer p)
{
    ImageFile *f = p;

    if (f->fd >= 0) {
        close(f->fd);
    }
    if (f->bytes) {
        g_bytes_unref(f->bytes);
    }
}

/* Open filename to load from: NULL and *err when it cannot be read. */
static ImageFile *image_file_open(const char *filename, char **err)
{
    g_autoptr(GError) gerr = NULL;
    ImageFile *f = g_rc_box_new0(ImageFile);
    gchar *data = NULL;
    gsize size = 0;

    f->fd = open(filename, O_RDONLY | O_CLOEXEC);
    if (f->fd >= 0 && fstat(f->fd, &f->st) == 0 && S_ISREG(f->st.st_mode)) {
        return f;
    }
    if (f->fd >= 0) {
        close(f->fd);
        f->fd = -1;
    }
    if (!g_file_get_contents(filename, &data, &size, &gerr)) {
        *err = g_strdup(gerr->message);
        g_rc_box_release_full(f, image_file_clear);
        return NULL;
    }
    f->bytes = g_bytes_new_take(data, size);
    return f;
}

static size_t image_file_size(const ImageFile *f)
{
    return f->fd >= 0 ? (size_t)f->st.st_size : g_bytes_get_size(f->bytes);
}

/* The file is the one loaded, unchanged (a file kept whole always is). */
static bool image_file_unchanged(const ImageFile *f)
{
    struct stat st;

    return f->fd < 0 || (fstat(f->fd, &st) == 0 && st.st_size == f->st.st_size &&
                         st.st_mtim.tv_sec == f->st.st_mtim.tv_sec &&
                         st.st_mtim.tv_nsec == f->st.st_mtim.tv_nsec);
}

/*
 * Copy len bytes from offset off of the file into guest RAM at addr (the
 * caller checked both ranges); false when the file is shorter now.
 */
static bool image_file_copy(const ImageFile *f, uint64_t off, hwaddr addr, uint64_t len)
{
    g_autofree uint8_t *buf = NULL;
    size_t chunk = MIN(len, 1 * MiB);

    if (f->fd < 0) {
        return guest_write(addr, (const uint8_t *)g_bytes_get_data(f->bytes, NULL) + off, len);
    }
    buf = g_malloc(chunk);
    while (len) {
        ssize_t n = pread(f->fd, buf, MIN(len, chunk), off);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0 || !guest_write(addr, buf, n)) {
            return false;
        }
        off += n;
        addr += n;
        len -= n;
    }
    return true;
}

static void loader_record(char *name, hwaddr addr, ImageFile *file, size_t offset,
                          uint64_t datasize, uint64_t size)
{
    LoadedImage img = { name, addr, g_rc_box_acquire(file), offset, datasize, size };

    if (!loaded_images) {
        loaded_images = g_array_new(false, false, sizeof(LoadedImage));
    }
    g_array_append_val(loaded_images, img);
}

static gint image_by_addr(gconstpointer a, gconstpointer b)
{
    const LoadedImage *x = *(LoadedImage *const *)a, *y = *(LoadedImage *const *)b;

    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

void loader_foreach(void (*fn)(const char *name, hwaddr addr, uint64_t size, void *opaque),
                    void *opaque)
{
    g_autoptr(GPtrArray) sorted = g_ptr_array_new();

    for (guint i = 0; loaded_images && i < loaded_images->len; i++) {
        g_ptr_array_add(sorted, &g_array_index(loaded_images, LoadedImage, i));
    }
    /* QEMU keeps its ROM list in address order */
    g_ptr_array_sort(sorted, image_by_addr);
    for (guint i = 0; i < sorted->len; i++) {
        LoadedImage *img = g_ptr_array_index(sorted, i);

        fn(img->name, img->addr, img->size, opaque);
    }
}

void loader_reset(void)
{
    for (guint i = 0; loaded_images && i < loaded_images->len; i++) {
        LoadedImage *img = &g_array_index(loaded_images, LoadedImage, i);

        /* Checked when loaded; RAM does not shrink. */
        if (!image_file_unchanged(img->file) ||
            !image_file_copy(img->file, img->offset, img->addr, img->datasize)) {
            error_report("%s: the file changed since it was loaded: cannot load it again at reset",
                         img->name);
            exit(1);
        }
        guest_memset(img->addr + img->datasize, 0, img->size - img->datasize);
    }
}

static uint64_t elf_get(const ElfFile *f, size_t off, unsigned width)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < width; i++) {
        unsigned shift = f->le ? 8 * i : 8 * (width - 1 - i);

        v |= (uint64_t)f->data[off + i] << shift;
    }
    return v;
}

/* Read segment i's header; the caller has checked it lies in the file. */
static void elf_read_phdr(const ElfFile *f, size_t off, uint32_t *type, ElfSegment *seg)
{
    *type = elf_get(f, off, 4);
    if (f->is64) {
        seg->offset = elf_get(f, off + 8, 8);
        seg->paddr = elf_get(f, off + 24, 8);
        seg->filesz = elf_get(f, off + 32, 8);
        seg->memsz = elf_get(f, off + 40, 8);
    } else {
        seg->offset = elf_get(f, off + 4, 4);
        seg->paddr = elf_get(f, off + 12, 4);
        seg->filesz = elf_get(f, off + 16, 4);
        seg->memsz = elf_get(f, off + 20, 4);
    }
}

static bool elf_range_in_file(const ElfFile *f, uint64_t off, uint64_t len)
{
    return off <= f->size && len <= f->size - off;
}

/*
 * Check every PT_LOAD segment and compute the translated span and the sum
 * of the segments' sizes, without touching guest memory.  Returns the
 * number of segments or -1 and *err.
 */
static int elf_check_segments(const ElfFile *f, uint64_t phoff, unsigned phnum, unsigned phentsize,
                              uint64_t (*translate)(void *, uint64_t), void *opaque, uint64_t *low,
                              uint64_t *high, uint64_t *total, char **err)
{
    unsigned min_entsize = f->is64 ? ELF64_PHDR_SIZE : ELF32_PHDR_SIZE;
    int count = 0;

    if (phentsize < min_entsize || !elf_range_in_file(f, phoff, (uint64_t)phnum * phentsize)) {
        *err = g_strdup("program headers are truncated or malformed");
        return -1;
    }
    *low = UINT64_MAX;
    *high = 0;
    *total = 0;
    for (unsigned i = 0; i < phnum; i++) {
        ElfSegment seg;
        uint32_t type;
        uint64_t addr;

        elf_read_phdr(f, phoff + (uint64_t)i * phentsize, &type, &seg);
        if (type != PT_LOAD) {
            continue;
        }
        if (seg.filesz > seg.memsz || !elf_range_in_file(f, seg.offset, seg.filesz)) {
            *err = g_strdup_printf("segment %u lies outside the file", i);
            return -1;
        }
        addr = translate ? translate(opaque, seg.paddr) : seg.paddr;
        if (!guest_range_valid(addr, seg.memsz)) {
            *err = g_strdup_printf("segment %u (0x%" PRIx64 ", size 0x%" PRIx64
                                   ") does not fit in RAM",
                                   i, addr, seg.memsz);
            return -1;
        }
        *low = MIN(*low, addr);
        *high = MAX(*high, addr + seg.memsz);
        *total += seg.memsz;
        count++;
    }
    if (!count) {
        *err = g_strdup("no loadable segment");
        return -1;
    }
    return count;
}

static bool elf_copy_segments(const ElfFile *f, uint64_t phoff, unsigned phnum, unsigned phentsize,
                              uint64_t (*translate)(void *, uint64_t), void *opaque)
{
    for (unsigned i = 0; i < phnum; i++) {
        ElfSegment seg;
        uint32_t type;
        uint64_t addr;

        elf_read_phdr(f, phoff + (uint64_t)i * phentsize, &type, &seg);
        if (type != PT_LOAD) {
            continue;
        }
        addr = translate ? translate(opaque, seg.paddr) : seg.paddr;
        /* Both ranges were validated by elf_check_segments(). */
        if (!image_file_copy(f->file, seg.offset, addr, seg.filesz)) {
            return false;
        }
        guest_memset(addr + seg.filesz, 0, seg.memsz - seg.filesz);
        /* QEMU names a segment by its program header's number */
        loader_record(g_strdup_printf("%s ELF program header segment %u", f->name, i), addr,
                      f->file, seg.offset, seg.filesz, seg.memsz);
    }
    return true;
}

/* Parse the identification bytes: 0, -1 (not ELF) or -2 (bad ELF). */
static int elf_ident(ElfFile *f, char **err)
{
    static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };

    if (f->size < 4 || memcmp(f->data, magic, 4)) {
        *err = g_strdup("not an ELF file");
        return -1;
    }
    if (f->size < EI_NIDENT) {
        *err = g_strdup("truncated ELF header");
        return -2;
    }
    if (f->data[EI_CLASS] != ELFCLASS32 && f->data[EI_CLASS] != ELFCLASS64) {
        *err = g_strdup("unknown ELF class");
        return -2;
    }
    if (f->data[EI_DATA] != ELFDATA2LSB && f->data[EI_DATA] != ELFDATA2MSB) {
        *err = g_strdup("unknown ELF byte order");
        return -2;
    }
    f->is64 = f->data[EI_CLASS] == ELFCLASS64;
    f->le = f->data[EI_DATA] == ELFDATA2LSB;
    if (f->size < (f->is64 ? ELF64_EHDR_SIZE : ELF32_EHDR_SIZE)) {
        *err = g_strdup("truncated ELF header");
        return -2;
    }
    return 0;
}

static int64_t elf_load_image(ElfFile *f, uint64_t (*translate)(void *, uint64_t), void *opaque,
                              uint64_t *entry, uint64_t *lowaddr, uint64_t *highaddr,
                              bool *little_endian, char **err)
{
    uint64_t phoff, e_entry, low, high, total;
    unsigned phnum, phentsize, etype;
    int ret = elf_ident(f, err);

    if (ret) {
        return ret;
    }
    etype = elf_get(f, 16, 2);
    if (f->is64) {
        e_entry = elf_get(f, 24, 8);
        phoff = elf_get(f, 32, 8);
        phentsize = elf_get(f, 54, 2);
        phnum = elf_get(f, 56, 2);
    } else {
        e_entry = elf_get(f, 24, 4);
        phoff = elf_get(f, 28, 4);
        phentsize = elf_get(f, 42, 2);
        phnum = elf_get(f, 44, 2);
    }
    if (etype != ET_EXEC && etype != ET_DYN) {
        *err = g_strdup("not an executable ELF file");
        return -2;
    }
    if (elf_check_segments(f, phoff, phnum, phentsize, translate, opaque, &low, &high, &total,
                           err) < 0) {
        return -2;
    }
    if (!elf_copy_segments(f, phoff, phnum, phentsize, translate, opaque)) {
        *err = g_strdup("the file changed while it was read");
        return -2;
    }
    *entry = translate ? translate(opaque, e_entry) : e_entry;
    *lowaddr = low;
    *highaddr = high;
    *little_endian = f->le;
    /* QEMU's size of a loaded ELF: its segments' sizes added (the span for one segment) */
    return total;
}

int64_t load_elf(const char *filename, uint64_t (*translate)(void *opaque, uint64_t addr),
                 void *opaque, uint64_t *entry, uint64_t *lowaddr, uint64_t *highaddr,
                 bool *little_endian, char **err)
{
    ImageFile *file = image_file_open(filename, err);
    void *map = NULL;
    ElfFile f;
    int64_t ret;

    if (!file) {
        return -1;
    }
    f = (ElfFile){ .file = file, .size = image_file_size(file), .name = filename };
    if (file->fd < 0) {
        f.data = g_bytes_get_data(file->bytes, NULL);
    } else if (f.size) {
        /* For the headers: what is loaded is read from the file */
        map = mmap(NULL, f.size, PROT_READ, MAP_PRIVATE, file->fd, 0);
        if (map == MAP_FAILED) {
            /* A file system without mmap: keep the file whole, as a pipe's. */
            g_autoptr(GError) gerr = NULL;
            gchar *data = NULL;
            gsize size = 0;

            map = NULL;
            if (!g_file_get_contents(filename, &data, &size, &gerr)) {
                *err = g_strdup(gerr->message);
                g_rc_box_release_full(file, image_file_clear);
                return -1;
            }
            close(file->fd);
            file->fd = -1;
            file->bytes = g_bytes_new_take(data, size);
            f.size = size;
            f.data = (const uint8_t *)data;
        } else {
            f.data = map;
        }
    }
    ret = elf_load_image(&f, translate, opaque, entry, lowaddr, highaddr, little_endian, err);
    if (map) {
        munmap(map, f.size);
    }
    g_rc_box_release_full(file, image_file_clear);
    return ret;
}

int64_t load_image_targphys(const char *filename, hwaddr addr, uint64_t max_size, char **err)
{
    ImageFile *file;
    size_t size;
    GStatBuf st;

    /* A regular file too large for its room is refused before it is read. */
    if (g_stat(filename, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size > max_size) {
        *err = g_strdup_printf("%s is too large (%" PRIu64 " bytes, at most %" PRIu64 ")", filename,
                               (uint64_t)st.st_size, max_size);
        return -1;
    }
    file = image_file_open(filename, err);
    if (!file) {
        return -1;
    }
    size = image_file_size(file);
    if (size > max_size) {
        *err = g_strdup_printf("%s is too large (%zu bytes, at most %" PRIu64 ")", filename,
                               (size_t)size, max_size);
        g_rc_box_release_full(file, image_file_clear);
        return -1;
    }
    if (!guest_range_valid(addr, size)) {
        *err = g_strdup_printf("%s does not fit in RAM at 0x%" HWADDR_PRIx, filename, addr);
        g_rc_box_release_full(file, image_file_clear);
        return -1;
    }
    if (!image_file_copy(file, 0, addr, size)) {
        *err = g_strdup_printf("%s changed while it was read", filename);
        g_rc_box_release_full(file, image_file_clear);
        return -1;
    }
    loader_record(g_strdup(filename), addr, file, 0, size, size);
    g_rc_box_release_full(file, image_file_clear);
    return size;
}
