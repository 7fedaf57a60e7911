/* STUB: image loader (helper-owned; to be replaced). */
#include "hw/loader.h"

int64_t load_elf(const char *filename,
                 uint64_t (*translate)(void *opaque, uint64_t addr),
                 void *opaque, uint64_t *entry, uint64_t *lowaddr,
                 uint64_t *highaddr, bool *little_endian, char **err)
{
    *err = g_strdup("not implemented");
    return -1;
}

int64_t load_image_targphys(const char *filename, hwaddr addr,
                            uint64_t max_size, char **err)
{
    *err = g_strdup("not implemented");
    return -1;
}
