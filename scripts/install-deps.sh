#!/bin/sh
# Install the Debian packages the build and the tests need, when missing.
# Tolerates a failed `apt-get update` (a mirror syncing); fails only when a
# package did not get installed.
set -u

PKGS="make gcc pkg-config clang-format git meson ninja-build python3 libglib2.0-dev libfdt-dev
      libpixman-1-dev zlib1g-dev libjson-glib-dev libcapstone-dev device-tree-compiler
      qemu-system-ppc python3-docutils gdb-multiarch libslirp-dev"
# The cross toolchain that builds the bare-metal guest images (tests/bench/cpu).
PKGS="$PKGS gcc-powerpc64le-linux-gnu binutils-powerpc64le-linux-gnu"
# The functional suite (tests/functional): its static libm program, and cpio to check
# its initramfs writer; the kernel and busybox come from apt-get download there.
PKGS="$PKGS libc6-dev-ppc64el-cross cpio"
# The block layer: asynchronous I/O (liburing), qcow2's compressed clusters (zlib),
# and qemu-img/qemu-io as the qcow2 oracle of the unit tests.
PKGS="$PKGS liburing-dev zlib1g-dev qemu-utils"
# make check-cross: qemu-ppc64le runs the ppc64le build's KVM unit tests (the ppc64el
# libraries are fetched by scripts/check-cross.sh with apt-get download, not installed).
PKGS="$PKGS qemu-user"
# The disk image SLOF boots through GRUB (tests/functional/diskimage.sh): grub-mkimage,
# sfdisk, mkfs.ext4 -d and debugfs; GRUB's powerpc-ieee1275 modules come from apt-get download.
PKGS="$PKGS grub-common fdisk e2fsprogs"
# -sandbox on: the seccomp filter is built with libseccomp.
PKGS="$PKGS libseccomp-dev"
# make fuzz (tests/fuzz, run by .ci/run): clang and its libFuzzer and sanitizer runtimes.
PKGS="$PKGS clang libclang-rt-14-dev"
# make fuzz-coverage: gcovr sums gcov's line counts.
PKGS="$PKGS gcovr"

missing=""
for p in $PKGS; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

SUDO=""
if [ "$(id -u)" != 0 ]; then
    SUDO=sudo
fi
echo "install-deps: installing:$missing"
$SUDO apt-get update || echo "install-deps: apt-get update reported errors; going on"
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing

status=0
for p in $missing; do
    if ! dpkg -s "$p" >/dev/null 2>&1; then
        echo "install-deps: package '$p' could not be installed" >&2
        status=1
    fi
done
exit $status
