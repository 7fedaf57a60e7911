/* A program that must fail: shows that the harness notices a false CHECK and that
 * the machine ends through ibm,os-term rather than power-off. */
#include "runtime/guest.h"

int main(void *fdt)
{
    int two = 2;

    /* Keep the compiler from folding the comparison away. */
    asm volatile("" : "+r"(two));
    CHECK(fdt != NULL);
    CHECK_EQ(two + 2, 5);
    return 0;
}
