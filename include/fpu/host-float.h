/*
 * Host float/double values from IEEE binary32/binary64 bit patterns and back
 * (the host FPU fast paths, and tests against the host's arithmetic).
 */
#ifndef FPU_HOST_FLOAT_H
#define FPU_HOST_FLOAT_H

#include <stdint.h>
#include <string.h>

static inline double host_double(uint64_t bits)
{
    double d;

    memcpy(&d, &bits, 8);
    return d;
}

static inline uint64_t host_double_bits(double d)
{
    uint64_t bits;

    memcpy(&bits, &d, 8);
    return bits;
}

static inline float host_float(uint32_t bits)
{
    float f;

    memcpy(&f, &bits, 4);
    return f;
}

static inline uint32_t host_float_bits(float f)
{
    uint32_t bits;

    memcpy(&bits, &f, 4);
    return bits;
}

#endif
