/*
 * The flags the kernel shows for the mapping that holds an address
 * (/proc/self/smaps' VmFlags: "hg" is MADV_HUGEPAGE, "nh" MADV_NOHUGEPAGE),
 * for tests of the host memory helpers.
 */
#ifndef TESTS_UNIT_VMA_FLAGS_H
#define TESTS_UNIT_VMA_FLAGS_H

#include "qemu/osdep.h"

/* True when the mapping holding p shows flag (two letters) in VmFlags. */
static inline bool vma_has_flag(const void *p, const char *flag)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    bool in = false;

    g_assert_true(g_file_get_contents("/proc/self/smaps", &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        unsigned long lo, hi;

        if (sscanf(*l, "%lx-%lx ", &lo, &hi) == 2 && strchr(*l, '-') < strchr(*l, ' ')) {
            in = (uintptr_t)p >= lo && (uintptr_t)p < hi;
        } else if (in && g_str_has_prefix(*l, "VmFlags:")) {
            g_auto(GStrv) words = g_strsplit(*l + strlen("VmFlags:"), " ", -1);

            return g_strv_contains((const char *const *)words, flag);
        }
    }
    g_assert_not_reached();
}

/* The bounds [*lo, *hi) of the mapping holding p. */
static inline void vma_range(const void *p, uintptr_t *lo, uintptr_t *hi)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;

    g_assert_true(g_file_get_contents("/proc/self/maps", &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        unsigned long a, b;

        if (sscanf(*l, "%lx-%lx ", &a, &b) == 2 && (uintptr_t)p >= a && (uintptr_t)p < b) {
            *lo = a;
            *hi = b;
            return;
        }
    }
    g_assert_not_reached();
}

/* Whether this host has transparent huge pages at all (the kernel refuses the advice without). */
static inline bool host_has_thp(void)
{
    return g_file_test("/sys/kernel/mm/transparent_hugepage/enabled", G_FILE_TEST_EXISTS);
}

#endif
