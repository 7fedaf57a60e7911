/*
 * QMP announce-self: every NIC sends a RARP frame from its address, in
 * rounds (the first at once, then initial + n * step ms apart, at most max),
 * so switches relearn where a guest is (QEMU 7.2's net/announce.c does this
 * after migration and on request).
 */
#include "net/net.h"
#include "qapi/qapi-commands.h"
#include "qapi/qmp.h"
#include "qemu/timer.h"

#define ETH_P_RARP 0x8035
#define ARPOP_RREQUEST 3 /* RARP request */

typedef struct AnnounceTimer {
    QEMUTimer *timer;
    int64_t initial, max, rounds, step;
    int64_t left;          /* rounds still to send */
    GPtrArray *interfaces; /* of char *: only these NICs; NULL: all */
} AnnounceTimer;

static GHashTable *announce_timers; /* id ("" without one) -> AnnounceTimer * */

/* A RARP request "who am I" from mac, padded to Ethernet's 60-byte minimum. */
static size_t rarp_frame(uint8_t *buf, const MACAddr *mac)
{
    static const uint8_t head[] = { 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, ARPOP_RREQUEST };

    memset(buf, 0, 60);
    memset(buf, 0xff, 6);
    memcpy(buf + 6, mac->a, 6);
    buf[12] = ETH_P_RARP >> 8;
    buf[13] = ETH_P_RARP & 0xff;
    memcpy(buf + 14, head, sizeof(head));
    memcpy(buf + 22, mac->a, 6); /* sender hardware address; protocol address 0 */
    memcpy(buf + 32, mac->a, 6); /* target hardware address; protocol address 0 */
    return 60;
}

static void announce_nic(NetClientState *nc, void *opaque)
{
    AnnounceTimer *t = opaque;
    uint8_t buf[60];

    if (nc->info->type != NET_CLIENT_DRIVER_NIC || !nc->macaddr) {
        return;
    }
    if (t->interfaces) {
        bool named = false;

        for (guint i = 0; i < t->interfaces->len; i++) {
            named |= nc->name && !strcmp(nc->name, g_ptr_array_index(t->interfaces, i));
        }
        if (!named) {
            return;
        }
    }
    qemu_send_packet(nc, buf, rarp_frame(buf, nc->macaddr));
}

static void announce_round(void *opaque)
{
    AnnounceTimer *t = opaque;
    int64_t delay;

    qemu_foreach_net_client(announce_nic, t);
    if (--t->left <= 0) {
        return;
    }
    delay = t->initial + (t->rounds - t->left - 1) * t->step;
    delay = MIN(delay, t->max);
    timer_mod(t->timer, qemu_clock_get_ns(QEMU_CLOCK_REALTIME) + MAX(delay, 0) * 1000000);
}

/*
 * After an incoming migration, as QEMU 7.2: every NIC announces itself with
 * the announce-* migration parameters, on a timer of its own (a stopped
 * guest's frames wait in the queues until it runs).
 */
void net_announce_after_migration(int64_t initial, int64_t max, int64_t rounds, int64_t step)
{
    static AnnounceTimer t;

    if (!t.timer) {
        t.timer = timer_new_ns(QEMU_CLOCK_REALTIME, announce_round, &t);
    }
    timer_del(t.timer);
    t.initial = initial;
    t.max = max;
    t.rounds = t.left = rounds;
    t.step = step;
    if (t.left > 0) {
        announce_round(&t);
    }
}

JsonNode *qmp_announce_self(JsonObject *args, QmpError *err)
{
    const char *id =
        json_object_has_member(args, "id") ? json_object_get_string_member(args, "id") : "";
    AnnounceTimer *t;

    (void)err;
    if (!announce_timers) {
        announce_timers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    }
    t = g_hash_table_lookup(announce_timers, id);
    if (!t) {
        t = g_new0(AnnounceTimer, 1);
        t->timer = timer_new_ns(QEMU_CLOCK_REALTIME, announce_round, t);
        g_hash_table_insert(announce_timers, g_strdup(id), t);
    }
    /* A new request with the same id replaces the rounds still to come. */
    timer_del(t->timer);
    if (t->interfaces) {
        g_ptr_array_unref(t->interfaces);
        t->interfaces = NULL;
    }
    t->initial = json_object_get_int_member(args, "initial");
    t->max = json_object_get_int_member(args, "max");
    t->rounds = json_object_get_int_member(args, "rounds");
    t->step = json_object_get_int_member(args, "step");
    if (json_object_has_member(args, "interfaces")) {
        JsonArray *a = json_object_get_array_member(args, "interfaces");

        t->interfaces = g_ptr_array_new_with_free_func(g_free);
        for (guint i = 0; i < json_array_get_length(a); i++) {
            g_ptr_array_add(t->interfaces, g_strdup(json_array_get_string_element(a, i)));
        }
    }
    t->left = t->rounds;
    if (t->left > 0) {
        announce_round(t);
    }
    return qmp_return_empty();
}
