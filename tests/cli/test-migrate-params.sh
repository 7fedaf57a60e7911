# migrate-set-parameters and query-migrate-parameters against QEMU 7.2
# (migration/params.c): qmp-migrate-params.py's transcript, every field at
# and past its limits, diffed; then key replies on ours alone.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64

timeout 90 python3 "$SRCDIR/tests/cli/qmp-migrate-params.py" "$QEMU" >"$TMP/ours" 2>&1
if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
else
    timeout 90 python3 "$SRCDIR/tests/cli/qmp-migrate-params.py" "$ORACLE" oracle >"$TMP/oracle" 2>&1
    if [ "$(grep -c -- '->' "$TMP/oracle")" -ge 200 ] && diff -u "$TMP/oracle" "$TMP/ours" >"$TMP/diff"; then
        ok "migrate-set-parameters answers as QEMU 7.2 ($(grep -c -- '->' "$TMP/ours") commands)"
    else
        not_ok "migrate-set-parameters answers as QEMU 7.2" "$(head -60 "$TMP/diff")"
    fi
fi

# has TEXT WHAT: our transcript has a line with TEXT.
has() {
    if grep -qF -- "$1" "$TMP/ours"; then
        ok "$2"
    else
        not_ok "$2" "wanted: $1"
    fi
}
has '{"downtime-limit": 2000001}} -> {"error": {"class": "GenericError", "desc": "Parameter '"'"'downtime_limit'"'"' expects an integer in the range of 0 to (2000 * 1000) ms"}}' \
    "downtime-limit above 2000 s"
has '{"compress-level": 256}} -> {"error": {"class": "GenericError", "desc": "Parameter '"'"'compress-level'"'"' expects uint8_t"}}' \
    "a uint8 field past 255"
has '{"cpu-throttle-initial": 60}} -> {"error": {"class": "GenericError", "desc": "Parameter '"'"'max_cpu_throttle'"'"' expects an integer in the range of cpu_throttle_initial to 99"}}' \
    "cpu-throttle-initial above max-cpu-throttle"
# The command refused as a whole left downtime-limit as it was; the next one set it.
if grep -F '"arguments": {"tls-creds": "zz", "xbzrle-cache-size": 5000}}' -A1 "$TMP/ours" |
    grep -q '"downtime-limit": 2000000,' &&
    grep -F '"compress-level": 7}} -> {"return": {}}' -A1 "$TMP/ours" | grep -q '"downtime-limit": 1234,'; then
    ok "a refused command applies nothing, an accepted one everything"
else
    not_ok "a refused command applies nothing, an accepted one everything" "$(tail -12 "$TMP/ours")"
fi

tap_done
