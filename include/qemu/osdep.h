/*
 * Common includes and tiny helpers that every file of the emulator uses.
 */
#ifndef QEMU_OSDEP_H
#define QEMU_OSDEP_H

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

/* The guest is always 64-bit: registers and guest-physical addresses. */
typedef uint64_t target_ulong;
typedef uint64_t hwaddr;

#define TARGET_FMT_lx "%016" PRIx64
#define HWADDR_PRIx PRIx64

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))
#endif

#define QEMU_ALIGN_DOWN(n, m) ((n) / (m) * (m))
#define QEMU_ALIGN_UP(n, m) QEMU_ALIGN_DOWN((n) + (m)-1, (m))
#define QEMU_IS_ALIGNED(n, m) (((n) % (m)) == 0)

/*
 * Bit n of a 64-bit (or 32-bit) register in the ISA's big-endian numbering,
 * where bit 0 is the most significant one.
 */
#define PPC_BIT(n) (1ULL << (63 - (n)))
#define PPC_BIT32(n) (1U << (31 - (n)))
#define PPC_BITMASK(a, b) ((PPC_BIT(a) - PPC_BIT(b)) | PPC_BIT(a))

#define QEMU_VERSION "7.2.22"
#define QEMU_VERSION_MAJOR 7
#define QEMU_VERSION_MINOR 2
#define QEMU_VERSION_MICRO 22
#define QEMU_PKGVERSION "spapr-from-scratch"

#endif
