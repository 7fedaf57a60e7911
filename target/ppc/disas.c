/*
 * -d in_asm, exec and cpu logs: a block's instructions disassembled with
 * capstone when it is translated, a trace line per executed block, and the
 * register file before each block.
 */
#include "qemu/log.h"
#include "target/ppc/internal.h"

#include "qemu/capstone-lazy.h"

void ppc_log_block_asm(uint64_t pc, const uint32_t *insns, unsigned n, bool le)
{
    static csh handle;
    static bool opened;
    static bool open_le;
    uint8_t bytes[4];

    if (!opened || open_le != le) {
        if (opened) {
            qemu_cs_close(&handle);
        }
        opened = qemu_cs_open(
            CS_ARCH_PPC, CS_MODE_64 | (le ? CS_MODE_LITTLE_ENDIAN : CS_MODE_BIG_ENDIAN), &handle);
        open_le = le;
    }
    qemu_log("----------------\nIN: \n");
    for (unsigned i = 0; i < n; i++) {
        uint64_t addr = pc + 4 * i;
        cs_insn *ci = NULL;
        size_t count;

        for (int b = 0; b < 4; b++) {
            bytes[b] = le ? insns[i] >> (8 * b) : insns[i] >> (24 - 8 * b);
        }
        count = opened ? qemu_cs_disasm(handle, bytes, 4, addr, 1, &ci) : 0;
        if (count == 1) {
            qemu_log("0x%016" PRIx64 ":  %08x  %-8s %s\n", addr, insns[i], ci->mnemonic,
                     ci->op_str);
        } else {
            qemu_log("0x%016" PRIx64 ":  %08x  .long 0x%08x\n", addr, insns[i], insns[i]);
        }
        if (ci) {
            qemu_cs_free(ci, count);
        }
    }
    qemu_log("\n");
}

void ppc_log_cpu_state(const CPUPPCState *env)
{
    qemu_log("NIP %016" PRIx64 "   LR %016" PRIx64 " CTR %016" PRIx64 " XER %016" PRIx64 "\n",
             env->nip, env->lr, env->ctr, ppc_get_xer(env));
    qemu_log("MSR %016" PRIx64 " CR %08x SRR0 %016" PRIx64 " SRR1 %016" PRIx64 "\n", env->msr,
             ppc_get_cr(env), env->spr[SPR_SRR0], env->spr[SPR_SRR1]);
    for (int i = 0; i < 32; i++) {
        qemu_log("GPR%02d %016" PRIx64 "%s", i, env->gpr[i], (i & 3) == 3 ? "\n" : " ");
    }
}

void ppc_log_host_code(uint64_t pc, const uint8_t *code, size_t size)
{
    static csh handle;
    static bool opened;
    cs_insn *ci = NULL;
    size_t count;

    if (!opened) {
        opened = qemu_cs_open(CS_ARCH_X86, CS_MODE_64, &handle);
    }
    qemu_log("----------------\nOUT: [guest addr: 0x%016" PRIx64 "] [size=%zu]\n", pc, size);
    count = opened ? qemu_cs_disasm(handle, code, size, (uintptr_t)code, 0, &ci) : 0;
    for (size_t i = 0; i < count; i++) {
        qemu_log("  0x%012" PRIx64 ":  %-8s %s\n", ci[i].address, ci[i].mnemonic, ci[i].op_str);
    }
    if (ci) {
        qemu_cs_free(ci, count);
    }
    qemu_log("\n");
}
