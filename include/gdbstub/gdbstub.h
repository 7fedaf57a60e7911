/*
 * The GDB remote stub (-gdb, -s): GDB's remote serial protocol over a
 * chardev, served by the main loop.
 */
#ifndef GDBSTUB_GDBSTUB_H
#define GDBSTUB_GDBSTUB_H

#include "target/ppc/cpu.h"

/* The port -s listens on (-s is -gdb tcp::1234). */
#define DEFAULT_GDBSTUB_PORT "1234"

/*
 * Serve GDB on device, a chardev spec as -gdb takes it ("tcp::1234",
 * "unix:PATH,server=on", "stdio", "none").  A "tcp:" spec becomes a server
 * that does not wait for a connection, as in QEMU.  false and *err (g_free
 * it) when the chardev cannot be created.  Call after the vCPUs exist.
 */
bool gdbserver_start(const char *device, char **err);

/*
 * From a vCPU thread that left guest code with cpu->debug_stop set, big
 * lock held: park the vCPUs and have the main loop stop the VM for GDB.
 */
void gdb_cpu_debug_stop(PowerPCCPU *cpu);

/* The process is exiting: tell a connected GDB (W packet). */
void gdb_exit(int code);

#endif
