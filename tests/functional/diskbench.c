/*
 * Disk throughput inside the guest (make bench, diskperf.py): sequential 1 MiB and
 * random 4 KiB reads and writes with O_DIRECT on a block device, timed by the guest clock.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>

#define SEQ_BLOCK (1u << 20)
#define RND_BLOCK 4096u
/* Each pattern runs until this much guest time has passed (at least one pass). */
#define RUN_NS 3000000000ull

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* xorshift64*: the same offsets on every emulator. */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd_next(void)
{
    rnd_state ^= rnd_state >> 12;
    rnd_state ^= rnd_state << 25;
    rnd_state ^= rnd_state >> 27;
    return rnd_state * 0x2545f4914f6cdd1dull;
}

static int io(int fd, int write, void *buf, size_t len, uint64_t off)
{
    ssize_t n = write ? pwrite(fd, buf, len, (off_t)off) : pread(fd, buf, len, (off_t)off);

    if (n != (ssize_t)len) {
        printf("DISKBENCH error %s at %llu: %s\n", write ? "pwrite" : "pread",
               (unsigned long long)off, n < 0 ? strerror(errno) : "short transfer");
        return -1;
    }
    return 0;
}

/* One pattern: sequential (block SEQ_BLOCK, wrapping at the end) or random RND_BLOCK. */
static int run(int fd, const char *name, int write, int random, uint64_t size, char *buf)
{
    size_t len = random ? RND_BLOCK : SEQ_BLOCK;
    uint64_t blocks = size / len, done = 0, t0 = now_ns(), t;

    do {
        for (int i = 0; i < 64; i++) {
            uint64_t blk = random ? rnd_next() % blocks : done % blocks;
            if (io(fd, write, buf, len, blk * len) < 0) {
                return -1;
            }
            done++;
        }
        t = now_ns() - t0;
    } while (t < RUN_NS);
    if (write && fdatasync(fd) < 0) {
        printf("DISKBENCH error fdatasync: %s\n", strerror(errno));
        return -1;
    }
    t = now_ns() - t0;
    printf("DISKBENCH %s %.1f MB/s %.0f IOPS (%llu x %zu bytes in %.3f s)\n", name,
           (double)done * len / 1e6 / (t / 1e9), done / (t / 1e9), (unsigned long long)done, len,
           t / 1e9);
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t size = 0;
    char *buf;
    int fd;

    if (argc != 2) {
        fprintf(stderr, "usage: diskbench DEVICE\n");
        return 2;
    }
    fd = open(argv[1], O_RDWR | O_DIRECT);
    if (fd < 0 || ioctl(fd, BLKGETSIZE64, &size) < 0 || size < SEQ_BLOCK) {
        printf("DISKBENCH error %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    if (posix_memalign((void **)&buf, 4096, SEQ_BLOCK) != 0) {
        printf("DISKBENCH error no memory\n");
        return 1;
    }
    for (size_t i = 0; i < SEQ_BLOCK; i++) {
        buf[i] = (char)rnd_next();
    }
    printf("DISKBENCH device %s %llu bytes\n", argv[1], (unsigned long long)size);
    if (run(fd, "seq-read", 0, 0, size, buf) < 0 || run(fd, "seq-write", 1, 0, size, buf) < 0 ||
        run(fd, "rand-read-4k", 0, 1, size, buf) < 0 ||
        run(fd, "rand-write-4k", 1, 1, size, buf) < 0) {
        return 1;
    }
    printf("DISKBENCH done\n");
    return 0;
}
