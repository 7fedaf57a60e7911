/*
 * CHRP nvram partitions: the layout of the nvram the firmware and the OS share.
 */
#ifndef HW_NVRAM_CHRP_NVRAM_H
#define HW_NVRAM_CHRP_NVRAM_H

#include "qemu/osdep.h"

/* The checksum byte of the 16-byte partition header at HDR (its byte 1 is not read). */
uint8_t chrp_nvram_header_checksum(const uint8_t *hdr);

/*
 * Formats BUF (SIZE bytes): a "system" partition holding the N strings VARS
 * ("NAME=VALUE", each NUL-terminated, then an empty string), at least
 * MIN_SYSTEM bytes long, then a "free" partition over the rest.  Strings that
 * do not fit are left out: *DROPPED says how many.  Returns the system
 * partition's length.
 */
size_t chrp_nvram_format(uint8_t *buf, size_t size, const char *const *vars, unsigned n,
                         size_t min_system, unsigned *dropped);

#endif
