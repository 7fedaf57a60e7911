#!/bin/sh
# make check-cross: build for a ppc64le host (where accel/kvm's ioctl side is
# compiled, CONFIG_KVM) with Debian's cross compiler, and run the KVM unit
# tests under qemu-ppc64le (qemu-user).  The ppc64el libraries are not
# installed: their packages are fetched with `apt-get download` and unpacked
# into a sysroot under the asset cache (installing the multiarch -dev packages
# would move the host's own packages to the ppc64el versions' levels).
# Ends with one "N passed, N failed" line.
# Usage: check-cross.sh [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."
builddir=${1:-build-cross}
cache=${SPAPR_ASSETS:-/var/cache/spapr-assets}/ppc64el-sysroot
triple=powerpc64le-linux-gnu

# What the build links (meson.build's dependencies), what their pkg-config
# files require, and the run-time libraries behind them.
PKGS="libglib2.0-dev libglib2.0-0 libjson-glib-dev libjson-glib-1.0-0 libfdt-dev libfdt1
      libpixman-1-dev libpixman-1-0 zlib1g-dev zlib1g libcapstone-dev libcapstone4
      libslirp-dev libslirp0 liburing-dev liburing2 libpcre2-dev libpcre2-8-0
      libffi-dev libffi8 libmount-dev libmount1 libblkid-dev libblkid1
      libselinux1-dev libselinux1 libsepol-dev libseccomp-dev libseccomp2"

for tool in $triple-gcc qemu-ppc64le; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "check-cross: '$tool' is missing; run scripts/install-deps.sh" >&2
        echo "0 passed, 1 failed"
        exit 1
    fi
done

sysroot=$cache/root
stamp=$cache/packages
if [ "$(cat "$stamp" 2>/dev/null)" != "$(echo $PKGS)" ]; then
    rm -rf "$cache"
    mkdir -p "$cache/debs" "$sysroot"
    list=""
    for p in $PKGS; do
        list="$list $p:ppc64el"
    done
    # apt indexes ppc64el packages only once dpkg knows the architecture and the
    # lists have been fetched since (a fresh machine has neither).
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    if ! dpkg --print-foreign-architectures | grep -qx ppc64el; then
        $sudo dpkg --add-architecture ppc64el
    fi
    # shellcheck disable=SC2086
    if ! (cd "$cache/debs" && apt-get download $list); then
        $sudo apt-get update || echo "check-cross: apt-get update reported errors; going on"
        # shellcheck disable=SC2086
        (cd "$cache/debs" && apt-get download $list)
    fi
    for d in "$cache"/debs/*.deb; do
        dpkg-deb -x "$d" "$sysroot"
    done
    echo $PKGS >"$stamp"
fi

libdir=$sysroot/usr/lib/$triple
mkdir -p "$builddir"
cross=$(cd "$builddir" && pwd)/ppc64le.cross
cat >"$cross" <<CROSS
[binaries]
c = '$triple-gcc'
ar = '$triple-ar'
strip = '$triple-strip'
pkgconfig = 'pkg-config'
exe_wrapper = ['qemu-ppc64le', '-L', '/usr/$triple',
               '-E', 'LD_LIBRARY_PATH=$sysroot/lib/$triple:$libdir']

[properties]
pkg_config_libdir = ['$libdir/pkgconfig', '$sysroot/usr/share/pkgconfig']
sys_root = '$sysroot'

[built-in options]
c_link_args = ['-L$libdir', '-Wl,-rpath-link,$sysroot/lib/$triple', '-Wl,-rpath-link,$libdir']

[host_machine]
system = 'linux'
cpu_family = 'ppc64'
cpu = 'ppc64le'
endian = 'little'
CROSS

if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" --cross-file "$cross" -Dwerror=true -Dbuildtype=debugoptimized
fi
# Only what the KVM tests and the emulator need, and one guest image (the
# fallback runs it), not the other guest images and the benchmarks.
ninja -C "$builddir" qemu-system-ppc64 tests/unit/test-kvm-exit tests/unit/test-kvm-ppc \
    tests/unit/test-kvm-run tests/guest/hello-le.bin
meson test -C "$builddir" --no-rebuild --suite kvm --num-processes 1 --print-errorlogs |
    tee "$builddir/check-cross.log"
ok=$(grep -Ec '^ *[0-9]+/[0-9]+ .* OK ' "$builddir/check-cross.log" || true)
bad=$(grep -Ec '^ *[0-9]+/[0-9]+ .* (FAIL|ERROR|TIMEOUT) ' "$builddir/check-cross.log" || true)

# The ppc64le emulator itself: it has kvm, and without /dev/kvm says so and
# falls back as QEMU does (user-mode emulation passes no KVM ioctl through, so
# a host with its own /dev/kvm cannot run this check).
run_ppc() {
    rc=0
    qemu-ppc64le -L /usr/$triple -E "LD_LIBRARY_PATH=$sysroot/lib/$triple:$libdir" \
        "$builddir/qemu-system-ppc64" -M pseries,dumpdtb="$builddir/t.dtb" -display none \
        -nodefaults "$@" 2>&1 || rc=$?
    echo "exit $rc"
}
check_ppc() {
    want=$1
    shift
    got=$(run_ppc "$@")
    if [ "$got" = "$want" ]; then
        echo "ok - ppc64le qemu-system-ppc64 $*"
        ok=$((ok + 1))
    else
        printf 'not ok - ppc64le qemu-system-ppc64 %s\n# got: %s\n# wanted: %s\n' "$*" "$got" "$want"
        bad=$((bad + 1))
    fi
}
if [ -e /dev/kvm ]; then
    echo "check-cross: /dev/kvm exists on this host: the ppc64le -accel kvm checks are not run"
else
    p=qemu-system-ppc64
    check_ppc "$p: -accel kvm: Could not access KVM kernel module: No such file or directory
$p: -accel kvm: failed to initialize kvm: No such file or directory
exit 1" -accel kvm
    check_ppc "$p: Could not access KVM kernel module: No such file or directory
$p: failed to initialize kvm: No such file or directory
$p: falling back to tcg
$p: warning: TCG doesn't support requested feature, cap-cfpc=workaround
$p: warning: TCG doesn't support requested feature, cap-sbbc=workaround
$p: warning: TCG doesn't support requested feature, cap-ibs=workaround
$p: warning: TCG doesn't support requested feature, cap-ccf-assist=on
$p: info: dtb dumped to $builddir/t.dtb. Exiting.
exit 0" -machine accel=kvm:tcg
    # The fallback runs a guest to its end: TCG (the interpreter: no JIT for a
    # ppc64 host) inside qemu-user, so a small program and a long time limit.
    rc=0
    timeout -k 5 900 qemu-ppc64le -L /usr/$triple \
        -E "LD_LIBRARY_PATH=$sysroot/lib/$triple:$libdir" "$builddir/qemu-system-ppc64" \
        -M pseries -machine accel=kvm:tcg -m 1G -nodefaults -nographic -display none \
        -serial stdio -bios "$builddir/tests/guest/hello-le.bin" </dev/null \
        >"$builddir/guest.out" 2>"$builddir/guest.err" || rc=$?
    if [ "$rc" = 0 ] && grep -Eq '^hello-le: [1-9][0-9]* checks, 0 failed$' "$builddir/guest.out" &&
        grep -qx "qemu-system-ppc64: falling back to tcg" "$builddir/guest.err"; then
        echo "ok - ppc64le accel=kvm:tcg runs the hello-le guest under TCG to its end"
        ok=$((ok + 1))
    else
        echo "not ok - ppc64le accel=kvm:tcg runs the hello-le guest under TCG to its end"
        echo "# exit $rc; stdout, then stderr:"
        sed 's/^/# /' "$builddir/guest.out" "$builddir/guest.err"
        bad=$((bad + 1))
    fi
    got=$(qemu-ppc64le -L /usr/$triple -E "LD_LIBRARY_PATH=$sysroot/lib/$triple:$libdir" \
        "$builddir/qemu-system-ppc64" -accel help)
    if echo "$got" | grep -qx kvm; then
        echo "ok - ppc64le -accel help lists kvm"
        ok=$((ok + 1))
    else
        echo "not ok - ppc64le -accel help lists kvm"
        bad=$((bad + 1))
    fi
fi
echo "$ok passed, $bad failed"
[ "$bad" = 0 ] && [ "$ok" -gt 0 ]
