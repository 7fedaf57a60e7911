/*
 * capstone, loaded with dlopen() the first time something disassembles
 * (-d in_asm/out_asm, HMP x/i): linked normally, relocating the library
 * cost every start a few hundred page faults and 3 MiB of RSS.
 */
#ifndef QEMU_CAPSTONE_LAZY_H
#define QEMU_CAPSTONE_LAZY_H

#include <capstone/capstone.h>
#include <stdbool.h>

/* false when capstone cannot be loaded or refuses the mode (nothing to close then) */
bool qemu_cs_open(cs_arch arch, cs_mode mode, csh *handle);
size_t qemu_cs_disasm(csh handle, const uint8_t *code, size_t size, uint64_t address, size_t count,
                      cs_insn **insn);
void qemu_cs_free(cs_insn *insn, size_t count);
void qemu_cs_close(csh *handle);

#endif
