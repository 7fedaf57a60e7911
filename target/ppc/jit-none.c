/*
 * Hosts without a JIT: every block is interpreted.
 */
#include "target/ppc/internal.h"

/* No generated code on this host: nothing to name. */
bool ppc_cpu_open_perfmap(void)
{
    return true;
}

PPCJit *ppc_jit_new(void)
{
    return NULL;
}

void ppc_jit_free(PPCJit *jit)
{
}

void ppc_jit_reset(PPCJit *jit)
{
}

bool ppc_jit_full(const PPCJit *jit)
{
    return false;
}

size_t ppc_jit_resident(const PPCJit *jit)
{
    return 0;
}

bool ppc_jit_block(PPCJit *jit, PPCOp *ops, unsigned n, bool last_ends_block, PPCOp *ext,
                   unsigned n_ext, bool ext_ends_block, bool (*is_illegal)(const PPCOp *op),
                   uint64_t flags, void **stop)
{
    return false;
}

void ppc_jit_retire(PPCJit *jit, const PPCOp *first, void *stop)
{
}

bool ppc_jit_link(PPCJit *jit, void *site, const PPCOp *target)
{
    return false;
}

void ppc_jit_unlink(PPCJit *jit, void *site)
{
}

const void *ppc_jit_entry(PPCJit *jit, const PPCOp *target)
{
    return NULL;
}
