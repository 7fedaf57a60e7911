/*
 * CHRP nvram partitions (the layout SLOF and Linux read): the "system"
 * partition holding -prom-env NAME=VALUE strings, then one "free" partition.
 */
#include "hw/nvram/chrp_nvram.h"

#define CHRP_HDR_SIZE 16
#define CHRP_NAME_LEN 12
#define CHRP_SIG_SYSTEM 0x70
#define CHRP_SIG_FREE 0x7f

static unsigned be16(const uint8_t *p)
{
    return (p[0] << 8) | p[1];
}

/*
 * The header checksum: the signature, the 16-bit length and the name as six
 * big-endian 16-bit words added up, the carry folded back into 16 bits, then
 * the two bytes added with an end-around carry (Linux's nvram_checksum).
 */
uint8_t chrp_nvram_header_checksum(const uint8_t *hdr)
{
    uint32_t sum = hdr[0] + be16(hdr + 2);
    uint32_t folded;

    for (int i = 0; i < CHRP_NAME_LEN; i += 2) {
        sum += be16(hdr + 4 + i);
    }
    sum = ((sum & 0xffff) + (sum >> 16)) & 0xffff;
    folded = (sum >> 8) + (sum << 8);
    return ((sum + folded) >> 8) & 0xff;
}

/* A header at HDR: signature, NAME (zero-padded), LEN bytes (a multiple of 16). */
static void chrp_header(uint8_t *hdr, uint8_t sig, const char *name, size_t len)
{
    hdr[0] = sig;
    hdr[2] = (len / CHRP_HDR_SIZE) >> 8;
    hdr[3] = len / CHRP_HDR_SIZE;
    memset(hdr + 4, 0, CHRP_NAME_LEN);
    memcpy(hdr + 4, name, MIN(strlen(name), (size_t)CHRP_NAME_LEN));
    hdr[1] = chrp_nvram_header_checksum(hdr);
}

size_t chrp_nvram_format(uint8_t *buf, size_t size, const char *const *vars, unsigned n,
                         size_t min_system, unsigned *dropped)
{
    size_t end = CHRP_HDR_SIZE, strings_end;
    /* Whole 16-byte units, no more than a partition's length field can say. */
    size_t limit = QEMU_ALIGN_DOWN(MIN(size, (size_t)0xffff * CHRP_HDR_SIZE), CHRP_HDR_SIZE);

    *dropped = 0;
    for (unsigned i = 0; i < n; i++) {
        size_t len = strlen(vars[i]) + 1;

        /* Room for this string and the terminating empty string. */
        if (end + len + 1 > limit) {
            *dropped = n - i;
            break;
        }
        memcpy(buf + end, vars[i], len);
        end += len;
    }
    strings_end = end;
    end = QEMU_ALIGN_UP(end + 1, CHRP_HDR_SIZE);
    /* Room for variables the firmware adds later. */
    end = MAX(end, MIN(min_system, limit));
    /* The empty string that ends the list, and zeros to the partition's end. */
    memset(buf + strings_end, 0, end - strings_end);
    chrp_header(buf, CHRP_SIG_SYSTEM, "system", end);
    if (size - end >= 2 * CHRP_HDR_SIZE) {
        size_t free_len = MIN(size - end, (size_t)0xffff * CHRP_HDR_SIZE);

        chrp_header(buf + end, CHRP_SIG_FREE, "free", free_len);
    }
    return end;
}
