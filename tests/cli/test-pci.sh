#!/bin/bash
# The sPAPR PCI host bridges against QEMU 7.2: -device spapr-pci-host-bridge
# errors, every property of the PHB nodes (index 0 and a second one), the
# /rtas PCI properties, and RTAS PCI calls (config access without a device,
# dynamic DMA windows, argument checks) played through qtest on both.
. "$SRCDIR/tests/cli/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
if [ ! -x "$ORACLE" ]; then
    not_ok "oracle $ORACLE present" "install qemu-system-ppc (Debian's QEMU 7.2)"
    tap_done
    exit 1
fi

# Both emulators' messages for the same bad -device.
same_error() {
    local want got
    want=$(timeout 10 "$ORACLE" -M pseries -display none -vga none -nodefaults -S "$@" \
           </dev/null 2>&1 >/dev/null | grep -v warning)
    run -M pseries -display none -nodefaults -S "$@"
    got=$ERR
    if [ "$RC" = 1 ] && [ -n "$want" ] && [ "$got" = "$want" ]; then
        ok "same error: $*"
    else
        not_ok "same error: $*" "ours (exit $RC): $got" "QEMU 7.2: $want"
    fi
}

same_error -device spapr-pci-host-bridge
same_error -device spapr-pci-host-bridge,index=31
same_error -device spapr-pci-host-bridge,index=0
same_error -device spapr-pci-host-bridge,index=2 -device spapr-pci-host-bridge,index=2
same_error -device spapr-pci-host-bridge,index=x
same_error -device spapr-vty,bus=pci.0
same_error -device spapr-pci-host-bridge,index=1,bus=pci.0

# The trees: every property of each PHB node, by fdtget, except the order of
# the DRC lists (QEMU 7.2's follows a hash table, and differs between runs).
ODTB=$TMP/oracle.dtb
DTB=$TMP/ours.dtb
args=(-device spapr-pci-host-bridge,index=2 -device spapr-pci-host-bridge,index=30)
timeout 20 "$ORACLE" -M pseries,dumpdtb="$ODTB" -vga none -nodefaults "${args[@]}" \
    >/dev/null 2>&1
run -M pseries,dumpdtb="$DTB" -nodefaults "${args[@]}"
for node in /pci@800000020000000 /pci@800000020000002 /pci@80000002000001e; do
    props=$(fdtget -p "$ODTB" "$node" 2>&1)
    if [ -z "$props" ] || [ "$(fdtget -p "$DTB" "$node" 2>&1 | sort)" != "$(echo "$props" | sort)" ]; then
        not_ok "$node: the same properties" "QEMU 7.2: $props" "ours: $(fdtget -p "$DTB" "$node" 2>&1)"
        continue
    fi
    ok "$node: the same properties"
    for p in $props; do
        case $p in
        ibm,drc-indexes)
            want=$(fdtget -t x "$ODTB" "$node" "$p" | tr ' ' '\n' | sort)
            got=$(fdtget -t x "$DTB" "$node" "$p" | tr ' ' '\n' | sort)
            ;;
        ibm,drc-names) # a count cell, then NUL-separated names
            want=$(fdtget -t s "$ODTB" "$node" "$p" | tr ' ' '\n' | sort)
            got=$(fdtget -t s "$DTB" "$node" "$p" | tr ' ' '\n' | sort)
            ;;
        *)
            want=$(fdtget -t x "$ODTB" "$node" "$p")
            got=$(fdtget -t x "$DTB" "$node" "$p")
            ;;
        esac
        if [ "$want" = "$got" ]; then
            ok "$node $p"
        else
            not_ok "$node $p" "QEMU 7.2: ${want:0:200}" "ours: ${got:0:200}"
        fi
    done
done
for p in ibm,change-msix-capable ibm,read-pci-config ibm,write-pci-config read-pci-config \
         write-pci-config ibm,change-msi ibm,query-interrupt-source-number \
         ibm,query-pe-dma-window ibm,create-pe-dma-window ibm,remove-pe-dma-window \
         ibm,reset-pe-dma-window ibm,set-eeh-option ibm,get-config-addr-info2; do
    want=$(fdtget -t x "$ODTB" /rtas "$p" 2>&1)
    got=$(fdtget -t x "$DTB" /rtas "$p" 2>&1)
    if [ "$want" = "$got" ]; then
        ok "/rtas $p = $want"
    else
        not_ok "/rtas $p" "QEMU 7.2: $want" "ours: $got"
    fi
done

# RTAS through qtest: the same answers, call by call.  Arguments at 0x1000,
# returns at 0x2000 (big-endian cells).
qt=$TMP/rtas.qtest
{
    # set_args A0 A1 ...
    set_args() {
        local a=0x1000
        for v in "$@"; do
            echo "writel $a $v"
            a=$(printf '0x%x' $((a + 4)))
        done
    }
    rets() {
        for i in $(seq 0 $(($1 - 1))); do
            echo "readl $(printf '0x%x' $((0x2000 + 4 * i)))"
        done
    }
    call() { # NAME NARGS NRET
        for i in 0 1 2 3 4 5; do echo "writel $(printf '0x%x' $((0x2000 + 4 * i))) 0xeeeeeeee"; done
        echo "rtas $1 $2 0x1000 $3 0x2000"
        rets "$3"
    }
    B="0x08000000 0x20000000"
    # config access: no device at 00:03.0, another BUID, bad sizes and counts
    set_args 0x1800 $B 4; call ibm,read-pci-config 4 2
    set_args 0x1800 0x08000000 0x20000001 4; call ibm,read-pci-config 4 2
    set_args 0x1800 $B 3; call ibm,read-pci-config 4 2
    set_args 0x1800 $B 4; call ibm,read-pci-config 3 2
    set_args 0x1800 $B 4; call ibm,read-pci-config 4 1
    set_args 0x1800 4; call read-pci-config 2 2
    set_args 0x1800 $B 4 0x1234; call ibm,write-pci-config 5 1
    set_args 0x1800 $B 4 0x1234; call ibm,write-pci-config 4 1
    set_args 0x1800 4 0; call write-pci-config 3 1
    # MSI set-up with no device
    set_args 0x1800 $B 1 1 0; call ibm,change-msi 6 4
    set_args 0x1800 $B 0; call ibm,query-interrupt-source-number 4 3
    # dynamic DMA windows
    set_args 0x1800 $B; call ibm,query-pe-dma-window 3 5
    set_args 0x1800 $B; call ibm,query-pe-dma-window 3 6
    set_args 0x1800 $B; call ibm,query-pe-dma-window 3 4
    set_args 0x1800 0x08000000 0x20000005; call ibm,query-pe-dma-window 3 5
    set_args 0x1800 $B 16 12; call ibm,create-pe-dma-window 5 4
    set_args 0x1800 $B 13 28; call ibm,create-pe-dma-window 5 4
    set_args 0x1800 $B 16 28; call ibm,create-pe-dma-window 5 4
    set_args 0x1800 $B 21 40; call ibm,create-pe-dma-window 5 4
    set_args 0x1800 $B; call ibm,query-pe-dma-window 3 5
    set_args 0x80000000; call ibm,remove-pe-dma-window 1 1
    set_args 0x80000000; call ibm,remove-pe-dma-window 1 1
    set_args 0x71000000; call ibm,remove-pe-dma-window 1 1
    set_args 0x1800 $B 24 32; call ibm,create-pe-dma-window 5 4
    set_args 0x1800 $B; call ibm,reset-pe-dma-window 3 1
    set_args 0x1800 $B; call ibm,query-pe-dma-window 3 5
    set_args 0x1800 $B 1; call ibm,set-eeh-option 4 1
} >"$qt"
want=$( (cat "$qt"; sleep 1) | timeout 20 "$ORACLE" -M pseries -m 1G -S -qtest stdio \
        -display none -vga none -nodefaults 2>/dev/null | grep -v '^OK$')
got=$( (cat "$qt"; sleep 1) | timeout 20 "$QEMU" -M pseries -m 1G -S -qtest stdio \
       -display none -nodefaults 2>/dev/null | grep -v '^OK$')
n=$(echo "$want" | grep -c '')
if [ "$n" -gt 100 ] && [ "$want" = "$got" ]; then
    ok "RTAS PCI calls: the same $n answers as QEMU 7.2"
else
    not_ok "RTAS PCI calls: the same answers as QEMU 7.2" \
        "$(diff <(echo "$want") <(echo "$got") | head -20)"
fi

# The PHB's windows (IO, 32-bit and 64-bit MMIO, of PHB 0 and of an added PHB 1)
# where no BAR is: reads give zeros, writes are taken, as QEMU 7.2's qtest shows.
{
    for a in 0x200000000000 0x200080000000 0x200080000002 0x210000000000 0x21fffffffff8 \
             0x200000010000 0x200100000000 0x220000000004; do
        echo "readb $a"; echo "readw $a"; echo "readl $a"; echo "readq $a"
        echo "writel $a 0x12345678"; echo "readl $a"
    done
} >"$qt"
want=$( (cat "$qt"; sleep 1) | timeout 20 "$ORACLE" -M pseries -S -qtest stdio -display none \
        -vga none -nodefaults -device spapr-pci-host-bridge,index=1 2>/dev/null)
got=$( (cat "$qt"; sleep 1) | timeout 20 "$QEMU" -M pseries -S -qtest stdio -display none \
       -nodefaults -device spapr-pci-host-bridge,index=1 2>/dev/null)
n=$(echo "$want" | grep -c '^OK 0x0*$')
if [ "$n" -ge 40 ] && [ "$want" = "$got" ]; then
    ok "empty PHB windows: the same $n zero reads as QEMU 7.2"
else
    not_ok "empty PHB windows: the same answers as QEMU 7.2" \
        "$(diff <(echo "$want") <(echo "$got") | head -20)"
fi

tap_done
