#!/bin/sh
# Build the disk image SLOF boots through GRUB (tests/functional/cases/diskboot.py), from Debian
# packages, without root mounts or loop devices; kept in the asset cache and reused.
#
# Layout (MBR): partition 1, type 0x41 (PReP boot), holds GRUB for powerpc-ieee1275 made
# by grub-mkimage from grub-ieee1275-bin:ppc64el; partition 2, ext4 labelled spapr-root
# (mkfs.ext4 -d), holds /boot/vmlinux (Debian's kernel), /boot/initrd.gz (busybox, the
# /init of diskinit.sh, the virtio/SCSI/ext4 modules) and /boot/grub/grub.cfg.
# Prints "raw PATH", "qcow2 PATH", "initrd PATH", "vmlinux PATH" and "root-offset BYTES".
set -u

die() {
    echo "diskimage: $*" >&2
    exit 1
}

src=$(cd "$(dirname "$0")" && pwd)
assets=$(sh "$src/fetch-assets.sh") || die "fetch-assets.sh failed"
vmlinux=$(echo "$assets" | sed -n 's/^vmlinux //p')
busybox=$(echo "$assets" | sed -n 's/^busybox //p')
[ -f "$vmlinux" ] && [ -f "$busybox" ] || die "fetch-assets.sh printed no vmlinux/busybox"
# vmlinux is CACHE/unpacked/STEM/boot/vmlinux-*; the package is CACHE/STEM.deb.
kstem=$(basename "$(dirname "$(dirname "$vmlinux")")")
cache=$(dirname "$(dirname "$(dirname "$(dirname "$vmlinux")")")")
kdeb=$cache/$kstem.deb
[ -f "$kdeb" ] || die "no kernel package $kdeb"

for tool in grub-mkimage sfdisk mkfs.ext4 cpio gzip qemu-img dpkg-deb; do
    command -v "$tool" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
    command -v "$tool" >/dev/null 2>&1 ||
        die "$tool is missing (scripts/install-deps.sh installs grub-common, fdisk, e2fsprogs, cpio, qemu-utils)"
done

# Partition 1 at 1 MiB, 4 MiB; partition 2 from 5 MiB to the end of 192 MiB.
SECTOR=512
P1_START=2048
P1_SIZE=8192
P2_START=10240
DISK_MIB=192
P2_SIZE=$((DISK_MIB * 2048 - P2_START))

# Modules /init loads, in dependency order (Debian builds them as modules; modinfo's
# depends= fields give the order).
KMODS="drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_modern_dev
drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci drivers/block/virtio_blk
crypto/crct10dif_common crypto/crct10dif_generic lib/crc-t10dif lib/crc64
crypto/crc64_rocksoft_generic lib/crc64-rocksoft block/t10-pi drivers/scsi/sd_mod
drivers/cdrom/cdrom drivers/scsi/sr_mod drivers/scsi/virtio_scsi
drivers/scsi/scsi_transport_srp drivers/scsi/ibmvscsi/ibmvscsi
crypto/crc32c_generic lib/crc16 fs/mbcache fs/jbd2/jbd2 fs/ext4/ext4"

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo -n"

# grub-ieee1275-bin:ppc64el into the cache, once (fetch-assets.sh added the architecture).
grub_deb() {
    for f in "$cache"/grub-ieee1275-bin_*_ppc64el.deb; do
        [ -f "$f" ] && echo "$f" && return 0
    done
    (cd "$cache" && apt-get download -q grub-ieee1275-bin:ppc64el >&2) || {
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -q >&2 ||
            echo "diskimage: apt-get update reported errors; going on" >&2
        (cd "$cache" && apt-get download -q grub-ieee1275-bin:ppc64el >&2) ||
            die "apt-get download grub-ieee1275-bin:ppc64el failed"
    }
    for f in "$cache"/grub-ieee1275-bin_*_ppc64el.deb; do
        [ -f "$f" ] && echo "$f" && return 0
    done
    die "no grub-ieee1275-bin package after the download"
}

build() {
    out=$1
    work=$2
    gdeb=$3
    mkdir -p "$work/grub" "$work/root/boot/grub" "$work/root/etc" "$work/initrd/bin" \
        "$work/initrd/lib/modules" "$work/kmods" || return 1

    # GRUB: an ELF SLOF loads from the PReP partition. Its embedded configuration finds
    # the partition holding /boot/grub/grub.cfg and reads it.
    dpkg-deb -x "$gdeb" "$work/grub" || return 1
    cat >"$work/early.cfg" <<'EOF'
search --no-floppy --file --set=root /boot/grub/grub.cfg
set prefix=($root)/boot/grub
configfile $prefix/grub.cfg
EOF
    grub-mkimage -O powerpc-ieee1275 -d "$work/grub/usr/lib/grub/powerpc-ieee1275" \
        -c "$work/early.cfg" -p /boot/grub -o "$work/core.elf" \
        part_msdos part_gpt ext2 search search_fs_file configfile normal linux echo \
        boot test || return 1

    # The initramfs: busybox, /init, the modules and their order.
    cp "$busybox" "$work/initrd/bin/busybox" &&
        cp "$src/diskinit.sh" "$work/initrd/init" &&
        chmod 755 "$work/initrd/init" "$work/initrd/bin/busybox" || return 1
    pattern=""
    for m in $KMODS; do
        pattern="$pattern ./lib/modules/*/kernel/$m.ko"
    done
    # shellcheck disable=SC2086 # the patterns are tar wildcards
    dpkg-deb --fsys-tarfile "$kdeb" | tar -C "$work/kmods" -x --wildcards $pattern || return 1
    : >"$work/initrd/lib/modules/order"
    for m in $KMODS; do
        mod=$(basename "$m")
        cp "$work"/kmods/lib/modules/*/kernel/"$m.ko" "$work/initrd/lib/modules/$mod.ko" ||
            return 1
        echo "$mod" >>"$work/initrd/lib/modules/order"
    done
    (cd "$work/initrd" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) |
        gzip -9n >"$work/root/boot/initrd.gz" || return 1

    # The root file system.
    cp "$vmlinux" "$work/root/boot/vmlinux" || return 1
    echo "spapr-diskimage $(basename "$vmlinux")" >"$work/root/etc/diskimage-id"
    cat >"$work/root/boot/grub/grub.cfg" <<'EOF'
set timeout=1
set default=0
menuentry 'Debian GNU/Linux (spapr disk image)' {
    echo 'Loading Linux ...'
    linux /boot/vmlinux console=hvc0 diskinit=write
    echo 'Loading initial ramdisk ...'
    initrd /boot/initrd.gz
}
EOF

    # The disk: a fixed MBR identifier, PReP partition bootable, ext4 written in place.
    truncate -s "${DISK_MIB}M" "$out.raw" || return 1
    printf 'label: dos\nlabel-id: 0x5350a9e1\nstart=%s, size=%s, type=41, bootable\nstart=%s, size=%s, type=83\n' \
        $P1_START $P1_SIZE $P2_START $P2_SIZE | sfdisk -q "$out.raw" || return 1
    dd if="$work/core.elf" of="$out.raw" bs=$SECTOR seek=$P1_START conv=notrunc status=none ||
        return 1
    # GRUB 2.06 refuses ext4's metadata_csum_seed; orphan_file is newer than it too.
    mkfs.ext4 -q -F -L spapr-root -b 4096 -O ^metadata_csum_seed,^orphan_file \
        -E offset=$((P2_START * SECTOR)) -d "$work/root" "$out.raw" $((P2_SIZE / 2))k ||
        return 1
    cp "$work/root/boot/initrd.gz" "$out.initrd.gz" || return 1
    qemu-img convert -f raw -O qcow2 "$out.raw" "$out.qcow2"
}

(
    flock 9 || die "cannot lock $cache/.disk-lock"
    gdeb=$(grub_deb) || exit 1
    # The image is named by what it is made of, so a change of any input rebuilds it.
    key=$(cat "$0" "$src/diskinit.sh" | md5sum | cut -c1-10)
    name="$cache/disk/debian-grub-$(basename "$gdeb" .deb | sed 's/^grub-ieee1275-bin_//')-$kstem-$key"
    if [ ! -f "$name.done" ]; then
        mkdir -p "$cache/disk" || die "cannot create $cache/disk"
        # Images of other inputs may serve another checkout: only those unused for two
        # days go (each use touches its .done).
        find "$cache/disk" -name 'debian-grub-*.done' -mtime +2 2>/dev/null |
            while read -r old; do rm -f "${old%.done}".*; done
        work=$(mktemp -d) || die "mktemp failed"
        if ! build "$name" "$work" "$gdeb"; then
            rm -rf "$work"
            rm -f "$name".*
            die "building the disk image failed"
        fi
        rm -rf "$work"
    fi
    touch "$name.done"
    echo "raw $name.raw"
    echo "qcow2 $name.qcow2"
    echo "initrd $name.initrd.gz"
    echo "vmlinux $vmlinux"
    echo "root-offset $((P2_START * SECTOR))"
) 9>"$cache/.disk-lock"
