#!/bin/sh
# QEMU 7.2's own qtest programs (the ones its build runs for qemu-system-ppc64) run
# against our binary: third-party tests written for QEMU, which must pass unmodified.
#   qemu-qtests.sh [BINARY]   (default build/qemu-system-ppc64)
# The QEMU source comes from Debian's source package (apt-get source through a private
# apt configuration, nothing added to the system's), is built once in a cache outside the
# clone (only the test programs, not QEMU) and reused. Each program's TAP output is kept
# in $QTESTS_OUT (default build/qemu-qtests/); one line per program, then
# "N passed, N failed" counting test cases. Exit status 1 if any case failed or any
# program did not finish.
# Environment: QTESTS (the programs to run), QTESTS_TIMEOUT (seconds per program, 300),
# QTESTS_MIRROR (default http://deb.debian.org/debian), SPAPR_ASSETS (the cache).
set -u

die() {
    echo "qemu-qtests: $*" >&2
    exit 1
}

binary=$(realpath "${1:-build/qemu-system-ppc64}") || die "no binary given"
[ -x "$binary" ] || die "$binary is not an executable"
out=$(realpath -m "${QTESTS_OUT:-build/qemu-qtests}")
mkdir -p "$out" || die "cannot create $out"

# The programs QEMU 7.2's tests/qtest/meson.build lists for ppc64 (generic, ppc, ppc64
# and PCI lists; pnv-xscom-test, endianness-test and m48t59-test are for machines other
# than pseries and are left out; prom-env-test and boot-serial-test are listed under a
# condition, CONFIG_TCG among the device keys, that 7.2's build never meets, so QEMU 7.2
# itself never builds them).
default_tests="qmp-test qmp-cmd-test qom-test device-introspect-test machine-none-test
test-hmp qos-test readconfig-test cdrom-test test-netfilter test-filter-mirror
test-filter-redirector boot-order-test device-plug-test
rtas-test pxe-test usb-hcd-uhci-test usb-hcd-xhci-test display-vga-test ivshmem-test
migration-test numa-test cpu-plug-test drive_del-test"
tests=${QTESTS:-$default_tests}

if [ -n "${SPAPR_ASSETS:-}" ]; then
    cache=$SPAPR_ASSETS
elif mkdir -p /var/cache/spapr-assets 2>/dev/null && [ -w /var/cache/spapr-assets ]; then
    cache=/var/cache/spapr-assets
else
    cache=${XDG_CACHE_HOME:-$HOME/.cache}/spapr-assets
fi
top=$cache/qemu-7.2-qtests
mkdir -p "$top" || die "cannot create $top"
src=$top/qemu-7.2.0

# ---- the source: Debian 12's qemu source package ----
if [ ! -f "$src/configure" ]; then
    apt=$top/apt
    mkdir -p "$apt/sources.list.d" "$apt/lists/partial" "$top/dl"
    cat >"$apt/sources.list.d/debian-src.sources" <<EOF
Types: deb-src
URIs: ${QTESTS_MIRROR:-http://deb.debian.org/debian}
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    aptopts="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$apt/sources.list.d
             -o Dir::State::Lists=$apt/lists -o APT::Sandbox::User=root"
    # A mirror being synced can fail one index; what matters is that the package resolves.
    # shellcheck disable=SC2086 # aptopts is a list of options
    apt-get -q $aptopts update >&2 || echo "qemu-qtests: apt-get update reported errors; going on" >&2
    # shellcheck disable=SC2086
    (cd "$top/dl" && apt-get -q $aptopts source --download-only qemu >&2) ||
        die "apt-get source qemu failed"
    orig=$(find "$top/dl" -maxdepth 1 -name "qemu_7.2*.orig.tar.xz" | head -n 1)
    [ -n "$orig" ] || die "the source package is not QEMU 7.2 (no qemu_7.2*.orig.tar.xz)"
    tar -C "$top" -xf "$orig" || die "cannot unpack $orig"
    [ -f "$src/configure" ] || die "$orig did not unpack to $src"
    # Debian's source drops the firmware blobs; the build only installs them, so empty
    # files stand in for the ones its meson.build names.
    for f in $(sed -n '/^blobs = \[/,/\]/p' "$src/pc-bios/meson.build" | grep -o "'[^']*'" | tr -d "'"); do
        [ -e "$src/pc-bios/$f" ] || : >"$src/pc-bios/$f"
    done
fi

# ---- the test programs (configure once; ninja rebuilds nothing when they are there) ----
if [ ! -f "$src/build/build.ninja" ]; then
    mkdir -p "$src/build"
    (cd "$src/build" && ../configure --target-list=ppc64-softmmu --disable-docs \
        --disable-werror --enable-slirp --disable-tools --disable-guest-agent \
        >"$top/configure.log" 2>&1) || die "QEMU's configure failed: $top/configure.log"
fi
targets=""
for t in $tests; do
    targets="$targets tests/qtest/$t"
done
# shellcheck disable=SC2086 # targets is a list
ninja -C "$src/build" $targets >"$top/build.log" 2>&1 || die "building the qtests failed: $top/build.log"

# ---- run them ----
passed=0
failed=0
status=0
for t in $tests; do
    log=$out/$t.tap
    # Several programs write scratch files relative to the build directory, as under
    # QEMU's own "meson test".
    (cd "$src/build" && QTEST_QEMU_BINARY=$binary QTEST_QEMU_IMG=$(command -v qemu-img || echo qemu-img) \
        timeout "${QTESTS_TIMEOUT:-300}" "tests/qtest/$t" --tap -k >"$log" 2>&1)
    rc=$?
    ok=$(grep -c '^ok ' "$log")
    notok=$(grep -c '^not ok ' "$log")
    plan=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$log" | head -n 1)
    missing=0
    if [ -n "$plan" ] && [ $((ok + notok)) -lt "$plan" ]; then
        missing=$((plan - ok - notok))
    fi
    note=""
    if [ "$rc" != 0 ] || [ "$notok" != 0 ] || [ "$missing" != 0 ]; then
        status=1
        note="  FAILED (exit $rc): $(grep -m 1 -E '^(ERROR|Bail out|qemu-system-ppc64: |not ok)' "$log" | cut -c 1-160)"
    fi
    echo "$t: ${plan:-?} cases, $ok ok, $notok not ok, $missing not run$note"
    passed=$((passed + ok))
    failed=$((failed + notok + missing))
    if [ "$rc" != 0 ] && [ "$missing" = 0 ] && [ "$notok" = 0 ]; then
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
exit $status
