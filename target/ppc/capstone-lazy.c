/*
 * capstone through dlopen(): see include/qemu/capstone-lazy.h.  The
 * library's names by soname, newest first; none found: nothing disassembles
 * (the callers print the raw words, as when capstone refuses a mode).
 */
#include "qemu/capstone-lazy.h"

#include <dlfcn.h>
#include <glib.h>

static struct {
    cs_err (*open)(cs_arch arch, cs_mode mode, csh *handle);
    size_t (*disasm)(csh handle, const uint8_t *code, size_t size, uint64_t address, size_t count,
                     cs_insn **insn);
    void (*free)(cs_insn *insn, size_t count);
    cs_err (*close)(csh *handle);
} cs;

static bool cs_load(void)
{
    static gsize done;
    static bool loaded;

    if (g_once_init_enter(&done)) {
        static const char *const names[] = { "libcapstone.so.5", "libcapstone.so.4",
                                             "libcapstone.so" };

        for (size_t i = 0; i < G_N_ELEMENTS(names) && !loaded; i++) {
            void *lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);

            if (!lib) {
                continue;
            }
            *(void **)&cs.open = dlsym(lib, "cs_open");
            *(void **)&cs.disasm = dlsym(lib, "cs_disasm");
            *(void **)&cs.free = dlsym(lib, "cs_free");
            *(void **)&cs.close = dlsym(lib, "cs_close");
            loaded = cs.open && cs.disasm && cs.free && cs.close;
            if (!loaded) {
                dlclose(lib);
            }
        }
        g_once_init_leave(&done, 1);
    }
    return loaded;
}

bool qemu_cs_open(cs_arch arch, cs_mode mode, csh *handle)
{
    return cs_load() && cs.open(arch, mode, handle) == CS_ERR_OK;
}

size_t qemu_cs_disasm(csh handle, const uint8_t *code, size_t size, uint64_t address, size_t count,
                      cs_insn **insn)
{
    return cs_load() ? cs.disasm(handle, code, size, address, count, insn) : 0;
}

void qemu_cs_free(cs_insn *insn, size_t count)
{
    if (cs_load()) {
        cs.free(insn, count);
    }
}

void qemu_cs_close(csh *handle)
{
    if (cs_load()) {
        cs.close(handle);
    }
}
