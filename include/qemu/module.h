/*
 * Start-up registration: each facility declares a function run once before
 * the machine is built, as QEMU's type_init does.
 */
#ifndef QEMU_MODULE_H
#define QEMU_MODULE_H

#include "qemu/osdep.h"

void register_module_init(void (*fn)(void));
/*
 * Run every registered function, once, in registration order; a function
 * registered while they run (types derived from other types) runs after them.
 */
void module_call_init(void);

#define module_init(fn)                                                                            \
    static void __attribute__((constructor)) do_qemu_init_##fn(void)                               \
    {                                                                                              \
        register_module_init(fn);                                                                  \
    }

#endif
