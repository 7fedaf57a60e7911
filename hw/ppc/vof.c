/*
 * VOF client interface: the argument block, the service table, device
 * instances (open, close, read, write, seek), call-method and the services
 * that end the firmware's life (quiesce, exit, boot).
 */
#include "hw/ppc/vof.h"
#include "exec/guest-memory.h"
#include "qemu/units.h"
#include <libfdt.h>

/* The argument block starts with three cells: service name address, nargs, nret. */
#define VOF_ARGS_HEADER 12
/* write and read move the client's data through a buffer of this size. */
#define VOF_IO_CHUNK 4096

static void vof_instance_free(gpointer p)
{
    VofInstance *inst = p;

    g_free(inst->path);
    g_free(inst);
}

void vof_cleanup(Vof *vof)
{
    if (vof->claimed) {
        g_array_free(vof->claimed, true);
    }
    if (vof->instances) {
        g_hash_table_destroy(vof->instances);
    }
    g_free(vof->fdt);
    g_free(vof->bootargs);
    g_free(vof->stdout_path);
    memset(vof, 0, sizeof(*vof));
}

void vof_init(Vof *vof, const VofMachineOps *ops, void *opaque, uint64_t ram_top, uint64_t top_addr)
{
    vof_cleanup(vof);
    vof->ops = ops;
    vof->opaque = opaque;
    vof->ram_top = MIN(ram_top, 4 * GiB);
    vof->top_addr = MIN(top_addr, vof->ram_top);
    vof->claimed = g_array_new(false, false, sizeof(VofClaim));
    vof->instances = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, vof_instance_free);
}

/* ---- Instances ---------------------------------------------------------- */

VofInstance *vof_instance(Vof *vof, uint32_t ihandle)
{
    return g_hash_table_lookup(vof->instances, GUINT_TO_POINTER(ihandle));
}

uint32_t vof_open_path(Vof *vof, const char *path)
{
    char full[VOF_MAX_PATH];
    int node = vof_node_of_path(vof, path);
    VofInstance *inst;

    /* ihandles are never reused: once the cell runs out, nothing opens. */
    if (node < 0 || vof_node_path(vof, node, full, sizeof(full)) < 0 ||
        vof->last_ihandle >= VOF_ERROR - 1) {
        return VOF_ERROR;
    }
    inst = g_new0(VofInstance, 1);
    inst->phandle = fdt_get_phandle(vof->fdt, node);
    inst->path = g_strdup(full);
    vof->last_ihandle++;
    g_hash_table_insert(vof->instances, GUINT_TO_POINTER(vof->last_ihandle), inst);
    return vof->last_ihandle;
}

/* open ( device-specifier -- ihandle ) */
static uint32_t vof_open(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                         uint32_t nret)
{
    char path[VOF_MAX_PATH];

    if (!vof_read_string(args[0], path, sizeof(path))) {
        return VOF_ERROR;
    }
    return vof_open_path(vof, path);
}

/* close ( ihandle -- ) */
static uint32_t vof_close(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                          uint32_t nret)
{
    return g_hash_table_remove(vof->instances, GUINT_TO_POINTER(args[0])) ? 0 : VOF_ERROR;
}

/* instance-to-package ( ihandle -- phandle ) */
static uint32_t vof_instance_to_package(Vof *vof, const uint32_t *args, uint32_t nargs,
                                        uint32_t *rets, uint32_t nret)
{
    VofInstance *inst = vof_instance(vof, args[0]);

    return inst ? inst->phandle : VOF_ERROR;
}

/* instance-to-path ( ihandle buf buflen -- length ) */
static uint32_t vof_instance_to_path(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                                     uint32_t nret)
{
    VofInstance *inst = vof_instance(vof, args[0]);

    if (!inst) {
        return VOF_ERROR;
    }
    return vof_node_to_client_path(vof, vof_node_of_phandle(vof, inst->phandle), args[1], args[2]);
}

/*
 * write ( ihandle addr len -- actual ): the whole range must be in RAM
 * before any of it goes out.
 */
static uint32_t vof_write(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                          uint32_t nret)
{
    VofInstance *inst = vof_instance(vof, args[0]);
    uint8_t buf[VOF_IO_CHUNK];
    uint32_t done = 0;

    if (!inst || !vof->ops || !vof->ops->write || !guest_range_valid(args[1], args[2])) {
        return VOF_ERROR;
    }
    while (done < args[2]) {
        uint32_t n = MIN(args[2] - done, sizeof(buf));
        int64_t put;

        guest_read(args[1] + done, buf, n);
        put = vof->ops->write(vof, inst->path, buf, n);
        if (put < 0) {
            return done ? done : VOF_ERROR;
        }
        done += put;
        if ((uint32_t)put < n) {
            break;
        }
    }
    return done;
}

/* read ( ihandle addr len -- actual ): 0 when nothing is waiting. */
static uint32_t vof_read(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                         uint32_t nret)
{
    VofInstance *inst = vof_instance(vof, args[0]);
    uint8_t buf[VOF_IO_CHUNK];
    int64_t got;

    if (!inst || !vof->ops || !vof->ops->read || !guest_range_valid(args[1], args[2])) {
        return VOF_ERROR;
    }
    got = vof->ops->read(vof, inst->path, buf, MIN(args[2], sizeof(buf)));
    if (got < 0) {
        return VOF_ERROR;
    }
    guest_write(args[1], buf, got);
    return got;
}

/* seek ( ihandle pos.hi pos.lo -- status ): the devices served here have no position. */
static uint32_t vof_seek(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                         uint32_t nret)
{
    return VOF_ERROR;
}

/* ---- Methods and the end of the firmware -------------------------------- */

/*
 * call-method ( method ihandle arg... -- catch-result ret... ): on the
 * root "ibm,client-architecture-support" (option vectors at arg 1), on
 * /rtas "instantiate-rtas" (at arg 1, returning the entry point).
 */
static uint32_t vof_call_method(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                                uint32_t nret)
{
    char method[VOF_MAX_METHOD];
    VofInstance *inst;

    if (nargs < 2 || !vof_read_string(args[0], method, sizeof(method))) {
        return VOF_ERROR;
    }
    inst = vof_instance(vof, args[1]);
    if (!inst || !vof->ops) {
        return VOF_ERROR;
    }
    if (!strcmp(inst->path, "/") && !strcmp(method, "ibm,client-architecture-support") &&
        nargs >= 3 && vof->ops->cas) {
        uint32_t ret = vof->ops->cas(vof, args[2]);

        if (nret > 1) {
            rets[0] = 0;
        }
        return ret;
    }
    if (!strcmp(inst->path, "/rtas") && !strcmp(method, "instantiate-rtas") && nargs >= 3 &&
        vof->ops->instantiate_rtas) {
        uint32_t entry;

        if (!vof->ops->instantiate_rtas(vof, args[2], &entry)) {
            return VOF_ERROR;
        }
        if (nret > 1) {
            rets[0] = entry;
        }
        return 0;
    }
    return VOF_ERROR;
}

/* interpret ( cmd arg... -- catch-result ret... ): there is no Forth here. */
static uint32_t vof_interpret(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                              uint32_t nret)
{
    return VOF_ERROR;
}

/* milliseconds ( -- ms ) */
static uint32_t vof_milliseconds(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                                 uint32_t nret)
{
    return vof->ops && vof->ops->milliseconds ? vof->ops->milliseconds(vof) : 0;
}

/*
 * quiesce ( -- ): the client takes the machine.  The tree is packed and is
 * from now on the one the machine keeps.
 */
static uint32_t vof_quiesce(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                            uint32_t nret)
{
    fdt_pack(vof->fdt);
    vof->quiesced = true;
    if (vof->ops && vof->ops->quiesce) {
        vof->ops->quiesce(vof);
    }
    return 0;
}

/* exit ( -- ) */
static uint32_t vof_exit(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                         uint32_t nret)
{
    if (vof->ops && vof->ops->exit) {
        vof->ops->exit(vof);
    }
    return 0;
}

/* boot ( bootspec -- ) */
static uint32_t vof_boot(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                         uint32_t nret)
{
    char spec[VOF_MAX_PATH];

    if (!vof_read_string(args[0], spec, sizeof(spec)) || !vof->ops || !vof->ops->boot) {
        return VOF_ERROR;
    }
    vof->ops->boot(vof, spec);
    return 0;
}

static uint32_t vof_test(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                         uint32_t nret);

/*
 * The services, with the argument and result counts IEEE 1275 gives them
 * (results counting the first).  VOF_ANY is not checked: call-method and
 * interpret take any; close, release, quiesce, exit and boot return
 * nothing, and a client may still ask for a result.
 */
#define VOF_ANY UINT32_MAX

typedef struct VofService {
    const char *name;
    uint32_t nargs, nret;
    VofServiceFn fn;
} VofService;

static const VofService vof_services[] = {
    { "finddevice", 1, 1, vof_finddevice },
    { "getprop", 4, 1, vof_getprop },
    { "getproplen", 2, 1, vof_getproplen },
    { "setprop", 4, 1, vof_setprop },
    { "nextprop", 3, 1, vof_nextprop },
    { "peer", 1, 1, vof_peer },
    { "child", 1, 1, vof_child },
    { "parent", 1, 1, vof_parent },
    { "instance-to-package", 1, 1, vof_instance_to_package },
    { "package-to-path", 3, 1, vof_package_to_path },
    { "instance-to-path", 3, 1, vof_instance_to_path },
    { "canon", 3, 1, vof_canon },
    { "open", 1, 1, vof_open },
    { "close", 1, VOF_ANY, vof_close },
    { "read", 3, 1, vof_read },
    { "write", 3, 1, vof_write },
    { "seek", 3, 1, vof_seek },
    { "claim", 3, 1, vof_claim_service },
    { "release", 2, VOF_ANY, vof_release_service },
    { "call-method", VOF_ANY, VOF_ANY, vof_call_method },
    { "interpret", VOF_ANY, VOF_ANY, vof_interpret },
    { "milliseconds", 0, 1, vof_milliseconds },
    { "quiesce", 0, VOF_ANY, vof_quiesce },
    { "exit", 0, VOF_ANY, vof_exit },
    { "boot", 1, VOF_ANY, vof_boot },
    { "test", 1, 1, vof_test },
};

static const VofService *vof_find_service(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(vof_services); i++) {
        if (!strcmp(vof_services[i].name, name)) {
            return &vof_services[i];
        }
    }
    return NULL;
}

/* test ( name -- missing ): 0 when the service exists. */
static uint32_t vof_test(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                         uint32_t nret)
{
    char name[VOF_MAX_SERVICE];

    if (!vof_read_string(args[0], name, sizeof(name))) {
        return VOF_ERROR;
    }
    return vof_find_service(name) ? 0 : VOF_ERROR;
}

bool vof_client_call(Vof *vof, uint64_t addr)
{
    uint32_t hdr[3], cells[VOF_MAX_CELLS], rets[VOF_MAX_CELLS] = { 0 };
    uint32_t nargs, nret, ret;
    char service[VOF_MAX_SERVICE];
    const VofService *s;

    if (!guest_read(addr, hdr, sizeof(hdr))) {
        return false;
    }
    nargs = fdt32_to_cpu(hdr[1]);
    nret = fdt32_to_cpu(hdr[2]);
    if (nargs > VOF_MAX_CELLS || nret > VOF_MAX_CELLS - nargs ||
        !guest_read(addr + VOF_ARGS_HEADER, cells, 4 * nargs) ||
        !guest_range_valid(addr + VOF_ARGS_HEADER + 4 * nargs, 4 * nret) ||
        !vof_read_string(fdt32_to_cpu(hdr[0]), service, sizeof(service))) {
        return false;
    }
    for (uint32_t i = 0; i < nargs; i++) {
        cells[i] = fdt32_to_cpu(cells[i]);
    }
    s = vof_find_service(service);
    if (!s || (s->nargs != VOF_ANY && s->nargs != nargs) ||
        (s->nret != VOF_ANY && s->nret != nret)) {
        ret = VOF_ERROR;
    } else {
        ret = s->fn(vof, cells, nargs, rets, nret);
    }
    /* The first result is the service's own; rets[] holds the others. */
    for (uint32_t i = 0; i < nret; i++) {
        uint32_t v = i ? rets[i - 1] : ret;

        guest_stl_be(addr + VOF_ARGS_HEADER + 4 * (nargs + i), v);
    }
    return true;
}
