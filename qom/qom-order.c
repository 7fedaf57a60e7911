/*
 * The order QEMU 7.2 lists the children of /objects in (query-memdev,
 * query-iothreads): the slot order of GLib's hash table (GLib 2.74, Debian
 * 12) after the children were added, reproduced from the ids alone.
 */
#include "qom/user-creatable.h"

/* GLib's table sizes: 8 slots and up, each with the prime it reduces hashes by. */
#define QOM_ORDER_MIN_SHIFT 3
static const uint32_t prime_mod[] = { 1,     2,     3,     7,      13,     31,    61,
                                      127,   251,   509,   1021,   2039,   4093,  8191,
                                      16381, 32749, 65521, 131071, 262139, 524287 };

typedef struct HashSim {
    unsigned shift, size, mask, mod;
    unsigned nnodes, noccupied;
    uint32_t *hashes; /* 0: unused, else the key's hash (never below 2) */
    const char **keys;
} HashSim;

/* g_str_hash: djb2 over signed chars, then GLib keeps 0 and 1 for unused and tombstones. */
static uint32_t str_hash(const char *s)
{
    uint32_t h = 5381;

    for (const signed char *p = (const signed char *)s; *p; p++) {
        h = (h << 5) + h + (uint32_t)(int32_t)*p;
    }
    return h < 2 ? 2 : h;
}

static unsigned hash_index(const HashSim *t, uint32_t h)
{
    return (uint32_t)(h * 11u) % t->mod;
}

static void sim_set_shift(HashSim *t, unsigned shift)
{
    t->shift = shift;
    t->size = 1u << shift;
    t->mask = t->size - 1;
    t->mod = prime_mod[MIN(shift, G_N_ELEMENTS(prime_mod) - 1)];
}

/* GLib's in-place rehash: old slots in order, each chain of displaced entries followed. */
static void sim_resize(HashSim *t)
{
    unsigned old_size = t->size, want = (unsigned)(t->nnodes * 1.333), shift = 0;
    g_autofree bool *done = NULL;

    while (want) {
        want >>= 1;
        shift++;
    }
    sim_set_shift(t, MAX(shift, QOM_ORDER_MIN_SHIFT));
    t->hashes = g_renew(uint32_t, t->hashes, MAX(t->size, old_size));
    t->keys = g_renew(const char *, t->keys, MAX(t->size, old_size));
    for (unsigned i = old_size; i < t->size; i++) {
        t->hashes[i] = 0;
        t->keys[i] = NULL;
    }
    done = g_new0(bool, MAX(t->size, old_size));
    for (unsigned i = 0; i < old_size; i++) {
        uint32_t h = t->hashes[i];
        const char *k = t->keys[i];

        if (h < 2) {
            t->hashes[i] = 0;
            continue;
        }
        if (done[i]) {
            continue;
        }
        t->hashes[i] = 0;
        t->keys[i] = NULL;
        for (;;) {
            unsigned step = 0, n = hash_index(t, h);
            uint32_t rh;
            const char *rk;

            while (done[n]) {
                n = (n + ++step) & t->mask;
            }
            done[n] = true;
            rh = t->hashes[n];
            rk = t->keys[n];
            t->hashes[n] = h;
            t->keys[n] = k;
            if (rh < 2) {
                break;
            }
            h = rh;
            k = rk;
        }
    }
    t->noccupied = t->nnodes;
}

/*
 * GLib's lookup: probe until an unused slot, remembering the first
 * tombstone, which a new key takes; only a key taking an unused slot can
 * make the table resize.
 */
static void sim_insert(HashSim *t, const char *key)
{
    uint32_t h = str_hash(key);
    unsigned n = hash_index(t, h), step = 0;
    int tombstone = -1;

    while (t->hashes[n]) {
        if (t->hashes[n] == h && !strcmp(t->keys[n], key)) {
            return;
        }
        if (t->hashes[n] == 1 && tombstone < 0) {
            tombstone = n;
        }
        n = (n + ++step) & t->mask;
    }
    if (tombstone >= 0) {
        t->hashes[tombstone] = h;
        t->keys[tombstone] = key;
        t->nnodes++;
        return;
    }
    t->hashes[n] = h;
    t->keys[n] = key;
    t->nnodes++;
    t->noccupied++;
    if ((t->size > t->nnodes * 4 && t->size > 1u << QOM_ORDER_MIN_SHIFT) ||
        t->size <= t->noccupied + t->noccupied / 16) {
        sim_resize(t);
    }
}

/* A removed key leaves a tombstone; the table may shrink afterwards. */
static void sim_remove(HashSim *t, const char *key)
{
    uint32_t h = str_hash(key);
    unsigned n = hash_index(t, h), step = 0;

    while (t->hashes[n]) {
        if (t->hashes[n] == h && !strcmp(t->keys[n], key)) {
            t->hashes[n] = 1;
            t->keys[n] = NULL;
            t->nnodes--;
            if ((t->size > t->nnodes * 4 && t->size > 1u << QOM_ORDER_MIN_SHIFT) ||
                t->size <= t->noccupied + t->noccupied / 16) {
                sim_resize(t);
            }
            return;
        }
        n = (n + ++step) & t->mask;
    }
}

GPtrArray *qom_children_order_ops(GPtrArray *ops)
{
    HashSim t = { 0 };
    GPtrArray *out = g_ptr_array_new();

    sim_set_shift(&t, QOM_ORDER_MIN_SHIFT);
    t.hashes = g_new0(uint32_t, t.size);
    t.keys = g_new0(const char *, t.size);
    for (guint i = 0; i < ops->len; i++) {
        const char *op = g_ptr_array_index(ops, i);

        if (op[0] == '-') {
            sim_remove(&t, op + 1);
        } else {
            sim_insert(&t, op + 1);
        }
    }
    for (unsigned i = 0; i < t.size; i++) {
        if (t.hashes[i] >= 2) {
            g_ptr_array_add(out, (gpointer)t.keys[i]);
        }
    }
    g_free(t.hashes);
    g_free(t.keys);
    return out;
}

GPtrArray *qom_children_order(GPtrArray *ids)
{
    g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *order, *out = g_ptr_array_new();

    for (guint i = 0; i < ids->len; i++) {
        g_ptr_array_add(ops, g_strconcat("+", (const char *)g_ptr_array_index(ids, i), NULL));
    }
    order = qom_children_order_ops(ops);
    /* Hand back the caller's own strings. */
    for (guint i = 0; i < order->len; i++) {
        const char *key = g_ptr_array_index(order, i);

        for (guint j = 0; j < ids->len; j++) {
            if (!strcmp(g_ptr_array_index(ids, j), key)) {
                g_ptr_array_add(out, g_ptr_array_index(ids, j));
                break;
            }
        }
    }
    g_ptr_array_unref(order);
    return out;
}
