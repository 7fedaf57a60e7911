/* The auto-vectorised kernel of the autovec guest program and of its host reference:
 * autovec_checksum() runs every loop and returns the hash, with the hash after each part. */
#ifndef AUTOVEC_KERNEL_H
#define AUTOVEC_KERNEL_H

#include <stdint.h>

/* float, double (FMA), sqrt/divide, conversions, integer, sort */
#define AUTOVEC_PARTS 6

uint64_t autovec_checksum(uint64_t part[AUTOVEC_PARTS]);

#endif
