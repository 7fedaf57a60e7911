/*
 * Host reference build of the CPU benchmark kernels: prints the result lines the
 * guest must print (`cpu-bench-host [full|small]`).
 */
#include "kernels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_line(const char *line)
{
    printf("%s\n", line);
}

int main(int argc, char **argv)
{
    const BenchParams *p = &bench_full;
    CpuBenchEnv env = { .print_line = print_line };

    if (argc > 2 || (argc == 2 && strcmp(argv[1], "full") && strcmp(argv[1], "small"))) {
        fprintf(stderr, "usage: %s [full|small]\n", argv[0]);
        return 1;
    }
    if (argc == 2 && !strcmp(argv[1], "small")) {
        p = &bench_small;
    }
    env.arena = malloc(bench_arena_size(p));
    if (!env.arena) {
        fprintf(stderr, "%s: out of memory\n", argv[0]);
        return 1;
    }
    bench_run(p, &env);
    free(env.arena);
    return fflush(stdout) ? 1 : 0;
}
