/*
 * Loading boot images (firmware, kernels, initrds) into guest RAM.
 */
#ifndef HW_LOADER_H
#define HW_LOADER_H

#include "qemu/osdep.h"

/*
 * Load an ELF (32/64-bit, big or little endian) at its physical addresses
 * passed through translate(opaque, addr).  Returns the sum of the loadable
 * segments' memory sizes (QEMU's, which the initrd placement uses), sets
 * *entry (translated), *lowaddr, *highaddr and *little_endian; -1 and *err
 * when the file is not ELF; -2 and *err when it is ELF but cannot be loaded.
 */
int64_t load_elf(const char *filename, uint64_t (*translate)(void *opaque, uint64_t addr),
                 void *opaque, uint64_t *entry, uint64_t *lowaddr, uint64_t *highaddr,
                 bool *little_endian, char **err);

/* Load a raw file at addr, at most max_size bytes: size, or -1 and *err. */
int64_t load_image_targphys(const char *filename, hwaddr addr, uint64_t max_size, char **err);

/*
 * fn(name, addr, size) for every image loaded, by address (HMP info roms):
 * the file name, and for an ELF "FILE ELF program header segment N".
 */
void loader_foreach(void (*fn)(const char *name, hwaddr addr, uint64_t size, void *opaque),
                    void *opaque);
/* Copy every image loaded so far into guest RAM again (at each system reset). */
void loader_reset(void);

#endif
