/* STUB: command line (being written). */
#include "qemu/osdep.h"

int qemu_main(int argc, char **argv);

int qemu_main(int argc, char **argv)
{
    return 0;
}
