/*
 * Memory-ordering helpers the C11 atomics do not give in the form needed.
 */
#ifndef QEMU_ATOMIC_H
#define QEMU_ATOMIC_H

/*
 * A full fence: earlier loads and stores are visible before later ones (a
 * store then a load of another location included).  On x86-64 a locked add
 * of 0 to the stack: as cheap as mfence or cheaper, and invisible to
 * ThreadSanitizer, which refuses fences.
 */
static inline void qemu_full_fence(void)
{
#if defined(__x86_64__)
    __asm__ __volatile__("lock; addl $0,-4(%%rsp)" ::: "memory", "cc");
#else
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

#endif
