#!/bin/sh
# Fetch the functional suite's guest software: Debian 12's current ppc64el kernel and
# busybox-static, as .deb files kept in a cache outside the source tree, unpacked there.
#   fetch-assets.sh [MODULE...]   (MODULE: a path under lib/modules/VERSION/kernel, no .ko)
# Prints "vmlinux PATH", "busybox PATH" and "modules DIR" (DIR/lib/modules/VERSION/kernel
# holds the MODULEs; empty without them). Reuses what the cache holds;
# needs the network (and root, to add the ppc64el architecture) only the first time.
#
# Cache: $SPAPR_ASSETS, else /var/cache/spapr-assets when writable, else
# ${XDG_CACHE_HOME:-$HOME/.cache}/spapr-assets. Works unattended (CI=true, no tty) and
# tolerates an `apt-get update` that reports a failed index.
set -u

die() {
    echo "fetch-assets: $*" >&2
    exit 1
}

pick_cache() {
    if [ -n "${SPAPR_ASSETS:-}" ]; then
        echo "$SPAPR_ASSETS"
    elif mkdir -p /var/cache/spapr-assets 2>/dev/null && [ -w /var/cache/spapr-assets ]; then
        echo /var/cache/spapr-assets
    else
        echo "${XDG_CACHE_HOME:-$HOME/.cache}/spapr-assets"
    fi
}

cache=$(pick_cache)
mkdir -p "$cache" || die "cannot create the cache directory $cache"
cd "$cache" || die "cannot enter $cache"

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo -n"

apt_updated=0
apt_update() {
    [ "$apt_updated" = 1 ] && return 0
    apt_updated=1
    # A mirror being synced can fail one index; what matters is whether the
    # packages resolve afterwards.
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -q >&2 ||
        echo "fetch-assets: apt-get update reported errors; going on" >&2
}

# The ppc64el architecture must be known to dpkg for apt to index its packages.
ensure_arch() {
    if ! dpkg --print-foreign-architectures | grep -qx ppc64el; then
        echo "fetch-assets: adding the ppc64el architecture to dpkg" >&2
        $SUDO dpkg --add-architecture ppc64el || die "dpkg --add-architecture ppc64el failed (needs root)"
        apt_update
    fi
}

# The exact kernel package the linux-image-powerpc64le meta-package points at in the
# package index; remembered in kernel-package until the index changes (apt-cache is
# slow).
kernel_package() {
    lists=/var/lib/apt/lists
    if [ -s kernel-package ] && [ -d "$lists" ] && [ -z "$(find "$lists" -maxdepth 0 -newer kernel-package)" ]; then
        cat kernel-package
        return 0
    fi
    apt-cache depends linux-image-powerpc64le:ppc64el 2>/dev/null |
        sed -n 's/^ *Depends: \(linux-image-6\.1\.[^:]*-powerpc64le\)\(:ppc64el\)\{0,1\}$/\1/p' |
        head -n 1 >kernel-package.new
    if [ -s kernel-package.new ]; then
        mv kernel-package.new kernel-package
        cat kernel-package
    else
        rm -f kernel-package.new
    fi
}

# download PACKAGE: apt-get download PACKAGE:ppc64el into the cache unless a .deb of
# that package is already there; refreshes the index once when the first try fails.
download() {
    for f in "$1"_*_ppc64el.deb; do
        [ -f "$f" ] && return 0
    done
    if ! apt-get download -q "$1:ppc64el" >&2; then
        apt_update
        apt-get download -q "$1:ppc64el" >&2 || return 1
    fi
}

# unpack DEB SUFFIX MEMBER...: the package's files under the MEMBERs (tar wildcards:
# ./boot, ./bin) into unpacked/STEM+SUFFIX, once.
unpack() {
    deb=$1
    dir="unpacked/$(basename "$deb" .deb)$2"
    shift 2
    if [ ! -f "$dir/.done" ]; then
        rm -rf "$dir"
        mkdir -p "$dir" && dpkg-deb --fsys-tarfile "$deb" | tar -C "$dir" -x --wildcards "$@" &&
            touch "$dir/.done" || die "cannot unpack $deb"
    fi
    echo "$cache/$dir"
}

newest() {
    # shellcheck disable=SC2012 # the names are Debian package file names
    ls -1 "$@" 2>/dev/null | sort -V | tail -n 1
}

(
    # One fetch at a time: the tests that need the assets start in parallel.
    flock 9 || die "cannot lock $cache/.lock"

    ensure_arch
    kpkg=$(kernel_package)
    if [ -z "$kpkg" ]; then
        apt_update
        kpkg=$(kernel_package)
    fi
    if [ -n "$kpkg" ]; then
        download "$kpkg" || die "apt-get download $kpkg:ppc64el failed"
        kdeb=$(newest "${kpkg}"_*_ppc64el.deb)
    else
        # No index for ppc64el (offline): a kernel fetched before still serves.
        kdeb=$(newest linux-image-6.1.*-powerpc64le_*_ppc64el.deb)
        [ -n "$kdeb" ] ||
            die "cannot resolve linux-image-powerpc64le:ppc64el (no ppc64el package index?)"
        echo "fetch-assets: no package index; using the cached $kdeb" >&2
    fi
    download busybox-static || die "apt-get download busybox-static:ppc64el failed"
    bdeb=$(newest busybox-static_*_ppc64el.deb)

    kdir=$(unpack "$kdeb" "" ./boot) || exit 1
    # The kernel modules the cases load by hand (the arguments: paths under
    # lib/modules/VERSION/kernel without .ko), in a directory per set of modules.
    mdir=
    if [ $# -gt 0 ]; then
        # shellcheck disable=SC2046 # module paths hold no blanks
        set -- $(printf './lib/modules/*/kernel/%s.ko\n' "$@")
        sum=$(printf '%s\n' "$@" | cksum | cut -d' ' -f1)
        mdir=$(unpack "$kdeb" "-kmods-$sum" "$@") || exit 1
    fi
    bdir=$(unpack "$bdeb" "" ./bin) || exit 1
    vmlinux=$(newest "$kdir"/boot/vmlinux-*)
    [ -n "$vmlinux" ] || die "no boot/vmlinux-* in $kdeb"
    [ -x "$bdir/bin/busybox" ] || die "no bin/busybox in $bdeb"
    echo "vmlinux $vmlinux"
    echo "busybox $bdir/bin/busybox"
    echo "modules $mdir"
) 9>"$cache/.lock"
