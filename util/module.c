/*
 * Start-up registration of facilities (hcalls, RTAS services, devices).
 */
#include "qemu/module.h"

static GPtrArray *init_fns;
static bool done;

void register_module_init(void (*fn)(void))
{
    if (!init_fns) {
        init_fns = g_ptr_array_new();
    }
    g_ptr_array_add(init_fns, (gpointer)fn);
}

void module_call_init(void)
{
    if (done || !init_fns) {
        return;
    }
    done = true;
    for (guint i = 0; i < init_fns->len; i++) {
        ((void (*)(void))g_ptr_array_index(init_fns, i))();
    }
}
