/*
 * VOF device-tree services: finddevice, getprop, getproplen, setprop,
 * nextprop, peer, child, parent, package-to-path, canon, and the tree VOF serves.
 */
#include "hw/ppc/vof.h"
#include "exec/guest-memory.h"
#include <libfdt.h>

/* Room left in the served tree for the client's setprop, and the most it may grow to. */
#define VOF_FDT_ROOM (64 * 1024)
#define VOF_FDT_MAX_SIZE (8 * 1024 * 1024)

bool vof_read_string(uint64_t addr, char *buf, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        uint8_t c;

        if (!guest_ldub(addr + i, &c)) {
            return false;
        }
        buf[i] = c;
        if (!c) {
            return true;
        }
    }
    return false;
}

int vof_node_of_phandle(Vof *vof, uint32_t phandle)
{
    /* 0 and -1 are never phandles (libfdt refuses them too). */
    if (!phandle || phandle == VOF_ERROR) {
        return -FDT_ERR_BADPHANDLE;
    }
    return fdt_node_offset_by_phandle(vof->fdt, phandle);
}

/*
 * OF device paths write unit addresses in lower-case hex without leading
 * zeros (the PowerPC binding); the client may use upper case.
 */
int vof_node_of_path(Vof *vof, const char *path)
{
    g_autofree char *p = g_strdup(path);
    bool unit = false;

    for (char *c = p; *c; c++) {
        if (*c == '/') {
            unit = false;
        } else if (*c == '@') {
            unit = true;
        } else if (unit) {
            *c = g_ascii_tolower(*c);
        }
    }
    return fdt_path_offset(vof->fdt, p);
}

int vof_node_path(Vof *vof, int offset, char *buf, int size)
{
    int ret = fdt_get_path(vof->fdt, offset, buf, size);

    return ret < 0 ? ret : (int)strlen(buf) + 1;
}

/*
 * A property's value.  A node without a "name" property still answers
 * "name": its node name without the unit address, NUL-terminated (buf
 * holds the copy then).
 */
static const void *vof_prop(Vof *vof, int node, const char *name, int *len, char buf[VOF_MAX_PATH])
{
    const void *val = fdt_getprop(vof->fdt, node, name, len);
    const char *nodename, *at;
    int n;

    if (val || strcmp(name, "name")) {
        return val;
    }
    nodename = fdt_get_name(vof->fdt, node, &n);
    if (!nodename) {
        return NULL;
    }
    at = memchr(nodename, '@', n);
    if (at) {
        n = at - nodename;
    }
    n = MIN(n, VOF_MAX_PATH - 1);
    memcpy(buf, nodename, n);
    buf[n] = 0;
    *len = n + 1;
    return buf;
}

/* finddevice ( device-specifier -- phandle ) */
uint32_t vof_finddevice(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                        uint32_t nret)
{
    char path[VOF_MAX_PATH];
    int node;

    if (!vof_read_string(args[0], path, sizeof(path))) {
        return VOF_ERROR;
    }
    node = vof_node_of_path(vof, path);
    return node < 0 ? VOF_ERROR : fdt_get_phandle(vof->fdt, node);
}

/* getprop ( phandle name buf buflen -- size ): copies at most buflen bytes. */
uint32_t vof_getprop(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets, uint32_t nret)
{
    char name[VOF_MAX_PROPNAME], tmp[VOF_MAX_PATH];
    int node = vof_node_of_phandle(vof, args[0]);
    const void *val;
    int len;

    if (node < 0 || !vof_read_string(args[1], name, sizeof(name))) {
        return VOF_ERROR;
    }
    val = vof_prop(vof, node, name, &len, tmp);
    if (!val || !guest_write(args[2], val, MIN((uint32_t)len, args[3]))) {
        return VOF_ERROR;
    }
    /* The size of the whole property, even when buf was too short (IEEE 1275). */
    return len;
}

/* getproplen ( phandle name -- proplen ) */
uint32_t vof_getproplen(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                        uint32_t nret)
{
    char name[VOF_MAX_PROPNAME], tmp[VOF_MAX_PATH];
    int node = vof_node_of_phandle(vof, args[0]);
    int len;

    if (node < 0 || !vof_read_string(args[1], name, sizeof(name))) {
        return VOF_ERROR;
    }
    return vof_prop(vof, node, name, &len, tmp) ? (uint32_t)len : VOF_ERROR;
}

/* fdt_setprop in the served tree, which grows (up to its limit) when full. */
static int vof_fdt_setprop(Vof *vof, int node, const char *name, const void *val, int len)
{
    int ret = fdt_setprop(vof->fdt, node, name, val, len);

    while (ret == -FDT_ERR_NOSPACE && vof->fdt_bufsize < VOF_FDT_MAX_SIZE) {
        uint32_t size = MIN(vof->fdt_bufsize * 2, VOF_FDT_MAX_SIZE);
        void *bigger = g_malloc0(size);

        /* Node offsets stay valid: the structure block is copied as it is. */
        if (fdt_open_into(vof->fdt, bigger, size)) {
            g_free(bigger);
            return -FDT_ERR_NOSPACE;
        }
        g_free(vof->fdt);
        vof->fdt = bigger;
        vof->fdt_bufsize = size;
        ret = fdt_setprop(vof->fdt, node, name, val, len);
    }
    return ret;
}

/*
 * setprop ( phandle name buf len -- size ): the machine may refuse a
 * property; "bootargs" in /chosen is also kept for later rebuilds.
 */
uint32_t vof_setprop(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets, uint32_t nret)
{
    char name[VOF_MAX_PROPNAME], path[VOF_MAX_PATH];
    int node = vof_node_of_phandle(vof, args[0]);
    uint32_t len = args[3];
    g_autofree uint8_t *val = NULL;

    if (node < 0 || len > VOF_MAX_SETPROPLEN || !vof_read_string(args[1], name, sizeof(name)) ||
        vof_node_path(vof, node, path, sizeof(path)) < 0) {
        return VOF_ERROR;
    }
    val = g_malloc0(len + 1);
    if (!guest_read(args[2], val, len)) {
        return VOF_ERROR;
    }
    if (vof->ops && vof->ops->setprop && !vof->ops->setprop(vof, path, name, val, len)) {
        return VOF_ERROR;
    }
    if (vof_fdt_setprop(vof, node, name, val, len)) {
        return VOF_ERROR;
    }
    if (!strcmp(path, "/chosen") && !strcmp(name, "bootargs")) {
        g_free(vof->bootargs);
        vof->bootargs = g_strndup((char *)val, len);
    }
    return len;
}

/*
 * nextprop ( phandle previous buf -- flag ): the property after previous
 * ("" for the first) into buf; 1 when there is one, 0 after the last, -1
 * when the node or previous does not exist (IEEE 1275).
 */
uint32_t vof_nextprop(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets, uint32_t nret)
{
    char prev[VOF_MAX_PROPNAME];
    int node = vof_node_of_phandle(vof, args[0]);
    bool found;
    int off;

    if (node < 0 || !vof_read_string(args[1], prev, sizeof(prev))) {
        return VOF_ERROR;
    }
    found = !prev[0];
    fdt_for_each_property_offset(off, vof->fdt, node)
    {
        const char *name;

        if (!fdt_getprop_by_offset(vof->fdt, off, &name, NULL)) {
            return VOF_ERROR;
        }
        if (found) {
            /*
             * IEEE 1275 gives names 31 characters, but QEMU's pseries has
             * longer ones (ibm,processor-radix-AP-encodings): Linux's
             * buffer, as ours, holds 63.
             */
            if (strlen(name) >= VOF_MAX_PROPNAME) {
                return VOF_ERROR;
            }
            return guest_write(args[2], name, strlen(name) + 1) ? 1 : VOF_ERROR;
        }
        found = !strcmp(name, prev);
    }
    return found ? 0 : VOF_ERROR;
}

/* The phandle of node offset, or 0 (none) when off is an error. */
static uint32_t vof_phandle_or_0(Vof *vof, int off)
{
    return off < 0 ? 0 : fdt_get_phandle(vof->fdt, off);
}

/* peer ( phandle -- sibling ): 0 gives the root; 0 when there is none. */
uint32_t vof_peer(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets, uint32_t nret)
{
    int node;

    if (!args[0]) {
        return vof_phandle_or_0(vof, fdt_path_offset(vof->fdt, "/"));
    }
    node = vof_node_of_phandle(vof, args[0]);
    return node < 0 ? 0 : vof_phandle_or_0(vof, fdt_next_subnode(vof->fdt, node));
}

/* child ( phandle -- child ): the first child, or 0. */
uint32_t vof_child(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets, uint32_t nret)
{
    int node = vof_node_of_phandle(vof, args[0]);

    return node < 0 ? 0 : vof_phandle_or_0(vof, fdt_first_subnode(vof->fdt, node));
}

/* parent ( phandle -- parent ): 0 for the root. */
uint32_t vof_parent(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets, uint32_t nret)
{
    int node = vof_node_of_phandle(vof, args[0]);

    return node <= 0 ? 0 : vof_phandle_or_0(vof, fdt_parent_offset(vof->fdt, node));
}

/*
 * Copy a path to the client's buffer: at most buflen bytes, NUL-terminated
 * when it fits.  Returns its length without the NUL (IEEE 1275).
 */
static uint32_t vof_put_path(const char *path, uint32_t buf, uint32_t buflen)
{
    uint32_t len = strlen(path);

    if (!guest_write(buf, path, MIN(len + 1, buflen))) {
        return VOF_ERROR;
    }
    return len;
}

uint32_t vof_node_to_client_path(Vof *vof, int node, uint32_t buf, uint32_t buflen)
{
    char path[VOF_MAX_PATH];

    if (node < 0 || vof_node_path(vof, node, path, sizeof(path)) < 0) {
        return VOF_ERROR;
    }
    return vof_put_path(path, buf, buflen);
}

/* package-to-path ( phandle buf buflen -- length ) */
uint32_t vof_package_to_path(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                             uint32_t nret)
{
    return vof_node_to_client_path(vof, vof_node_of_phandle(vof, args[0]), args[1], args[2]);
}

/* canon ( device-specifier buf buflen -- length ): the full path a specifier names. */
uint32_t vof_canon(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets, uint32_t nret)
{
    char spec[VOF_MAX_PATH];

    if (!vof_read_string(args[0], spec, sizeof(spec))) {
        return VOF_ERROR;
    }
    return vof_node_to_client_path(vof, vof_node_of_path(vof, spec), args[1], args[2]);
}

/* ---- The tree served ---------------------------------------------------- */

/* Every node gets a phandle, counting up from the largest one present. */
static bool vof_assign_phandles(Vof *vof)
{
    uint32_t next = fdt_get_max_phandle(vof->fdt);

    if (next == (uint32_t)-1) {
        return false;
    }
    for (int off = fdt_next_node(vof->fdt, -1, NULL); off >= 0;
         off = fdt_next_node(vof->fdt, off, NULL)) {
        if (fdt_getprop(vof->fdt, off, "phandle", NULL)) {
            continue;
        }
        next++;
        if (vof_fdt_setprop(vof, off, "phandle", &(fdt32_t){ cpu_to_fdt32(next) }, 4)) {
            return false;
        }
    }
    return true;
}

/* Append a value of count (1 or 2) cells. */
static unsigned vof_put_cells(fdt32_t *cells, unsigned n, uint64_t v, int count)
{
    if (count == 2) {
        cells[n++] = cpu_to_fdt32(v >> 32);
    }
    cells[n++] = cpu_to_fdt32((uint32_t)v);
    return n;
}

/*
 * /memory@0 "available": the gaps between claimed ranges, up to the end of
 * its "reg", in the root's address and size cells.
 */
void vof_update_available(Vof *vof)
{
    int root = fdt_path_offset(vof->fdt, "/");
    int mem = fdt_path_offset(vof->fdt, "/memory@0");
    int ac = fdt_address_cells(vof->fdt, root), sc = fdt_size_cells(vof->fdt, root);
    const fdt32_t *reg;
    g_autofree fdt32_t *cells = NULL;
    uint64_t end = 0, pos = 0;
    unsigned n = 0;
    int len;

    if (mem < 0 || ac < 1 || ac > 2 || sc < 1 || sc > 2) {
        return;
    }
    reg = fdt_getprop(vof->fdt, mem, "reg", &len);
    if (!reg || len < 4 * (ac + sc)) {
        return;
    }
    for (int i = ac; i < ac + sc; i++) {
        end = (end << 32) | fdt32_to_cpu(reg[i]);
    }
    cells = g_new0(fdt32_t, (vof->claimed->len + 1) * (ac + sc));
    for (unsigned i = 0; i < vof->claimed->len; i++) {
        VofClaim *c = &g_array_index(vof->claimed, VofClaim, i);

        if (c->start > pos && pos < end) {
            n = vof_put_cells(cells, n, pos, ac);
            n = vof_put_cells(cells, n, MIN(c->start, end) - pos, sc);
        }
        pos = MAX(pos, c->start + c->size);
    }
    if (pos < end) {
        n = vof_put_cells(cells, n, pos, ac);
        n = vof_put_cells(cells, n, end - pos, sc);
    }
    vof_fdt_setprop(vof, mem, "available", cells, n * 4);
}

bool vof_adopt_tree(Vof *vof, const void *fdt)
{
    void *old = vof->fdt;
    uint32_t old_size = vof->fdt_bufsize;
    int chosen;

    if (fdt_check_header(fdt) || fdt_totalsize(fdt) > VOF_FDT_MAX_SIZE / 2) {
        return false;
    }
    vof->fdt_bufsize = fdt_totalsize(fdt) + VOF_FDT_ROOM;
    vof->fdt = g_malloc0(vof->fdt_bufsize);
    if (fdt_open_into(fdt, vof->fdt, vof->fdt_bufsize) || !vof_assign_phandles(vof)) {
        g_free(vof->fdt);
        vof->fdt = old;
        vof->fdt_bufsize = old_size;
        return false;
    }
    g_free(old);
    vof->quiesced = false;
    chosen = fdt_path_offset(vof->fdt, "/chosen");
    if (chosen >= 0 && vof->bootargs) {
        vof_fdt_setprop(vof, chosen, "bootargs", vof->bootargs, strlen(vof->bootargs) + 1);
    }
    vof_update_available(vof);
    if (chosen >= 0 && vof->stdout_path) {
        uint32_t ih = vof_open_path(vof, vof->stdout_path);

        if (ih != VOF_ERROR) {
            chosen = fdt_path_offset(vof->fdt, "/chosen");
            vof_fdt_setprop(vof, chosen, "stdout", &(fdt32_t){ cpu_to_fdt32(ih) }, 4);
        }
    }
    return true;
}
