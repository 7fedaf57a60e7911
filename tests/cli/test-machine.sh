# The pseries machine's command line: machine types and properties, memory,
# CPU models, boot images and -device, each error one line with exit 1.
. "$(dirname "$0")/lib.sh"

DTB=$TMP/m.dtb

# accept ARGS...: the machine is built (dumpdtb makes it exit 0 at reset).
accept() {
    rm -f "$DTB"
    run -display none "$@"
    if [ "$RC" = 0 ] && [ -s "$DTB" ]; then
        ok "accepted: $*"
    else
        not_ok "accepted: $*" "exit $RC, stderr: $ERR"
    fi
}

# Machine list and properties
expect_exit0 '^pseries-2\.1 +pSeries Logical Partition \(PAPR compliant\)$' -machine help
expect_exit0 '^pseries +pSeries Logical Partition \(PAPR compliant\) \(alias of pseries-7\.2\)$' \
    -M help
expect_exit0 '^pseries-7\.2 +pSeries Logical Partition \(PAPR compliant\) \(default\)$' -M help
expect_exit0 '^pseries-2\.12-sxxm ' -M help
expect_exit0 '^none +empty machine$' -M help
expect_exit0 '^  cap-htm=<bool> +- Allow Hardware Transactional Memory' -M pseries,help
expect_exit0 '^pseries-7\.2-machine options:$' -M pseries,help
expect_exit0 '^pseries-2\.1-machine options:$' -M pseries-2.1,help
expect_exit0 '^pseries-7\.2-machine options:$' -M 'pseries,?'
expect_exit0 '^  usb=<bool> +- Set on/off to enable/disable usb$' -M none,help
expect_exit0 '^none-machine options:$' -M none,help
expect_exit0 '^Supported machines are:$' -M foo,help
expect_exit0 '^name "spapr-vty", bus spapr-vio-bus$' -device help
expect_exit0 '^  chardev=<str> +- ID of a chardev to use as a backend$' -device spapr-vty,help

for t in pseries pseries-2.1 pseries-2.12-sxxm pseries-5.2 pseries-7.1 pseries-7.2; do
    accept -M "$t,dumpdtb=$DTB"
done
for p in cap-htm=off cap-vsx=on cap-dfp=off cap-cfpc=broken cap-cfpc=WORKAROUND \
         cap-sbbc=fixed cap-ibs=fixed-ccd cap-ibs=fixed-na cap-hpt-max-page-size=16M \
         cap-nested-hv=on cap-large-decr=off cap-ccf-assist=on cap-fwnmi=off \
         cap-rpt-invalidate=off ic-mode=xics ic-mode=dual \
         max-cpu-compat=power7 max-cpu-compat=power9 resize-hpt=required vsmt=8 \
         x-vof=on usb=off graphics=on mem-merge=off dump-guest-core=off \
         suppress-vmdesc=on phandle-start=-1 kvm-type=HV modern-hotplug-events=on \
         nvdimm-persistence=cpu kernel-irqchip=split kernel-irqchip=x host-model=passthrough \
         dt-compatible=foo; do
    accept -M "pseries,$p,dumpdtb=$DTB"
done
accept -M "pseries,dumpdtb=$DTB" -cpu POWER8 -m 1G -smp 2
accept -M "pseries,dumpdtb=$DTB" -cpu power9 -m 256M

# Unknown machine properties name the versioned type.
expect_error "^qemu-system-ppc64: Property 'pseries-7\.2-machine\.foo' not found$" -M pseries,foo=1
expect_error "Property 'pseries-6\.0-machine\.foo' not found" -M pseries-6.0,foo=1
expect_error "Property 'pseries-7\.2-machine\.cap-ail-mode-3' not found" \
    -M pseries,cap-ail-mode-3=on
# Malformed values
expect_error "Parameter 'cap-htm' expects 'on' or 'off'" -M pseries,cap-htm=1
expect_error "Parameter 'usb' expects 'on' or 'off'" -M pseries,usb=x
expect_error "Parameter 'x-vof' expects 'on' or 'off'" -M pseries,x-vof=maybe
expect_error 'Invalid capability mode "x" for cap-cfpc' -M pseries,cap-cfpc=x
expect_error 'Invalid capability mode "fixed" for cap-ibs' -M pseries,cap-ibs=fixed
expect_error "Parameter 'cap-hpt-max-page-size' expects size" -M pseries,cap-hpt-max-page-size=x
expect_error 'cap-hpt-max-page-size must be a power of 2' -M pseries,cap-hpt-max-page-size=3k
expect_error 'Bad value for "ic-mode" property' -M pseries,ic-mode=XIVE
expect_error 'Bad value for "resize-hpt" property' -M pseries,resize-hpt=x
expect_error 'Invalid compatibility mode "power5"' -M pseries,max-cpu-compat=power5
expect_error "Parameter 'phandle-start' expects integer" -M pseries,phandle-start=x
expect_error "Parameter 'vsmt' expects uint32_t" -M pseries,vsmt=-1
expect_error "Memory backend 'x' not found" -M pseries,memory-backend=x
expect_error "Invalid parameter type for 'smp', expected: object" -M pseries,smp=2
# Values we cannot emulate
expect_error_at_reset 'No Transactional Memory support in TCG' -M pseries,cap-htm=on
expect_error_at_reset 'No H_RPT_INVALIDATE support in TCG' -M pseries,cap-rpt-invalidate=on
expect_error_at_reset 'Compatibility PVR 0x0f000006 not valid for CPU' -M pseries,max-cpu-compat=power10
expect_error_at_reset 'Compatibility PVR 0x0f000005 not valid for CPU' -cpu power8 \
    -M pseries,max-cpu-compat=power9
expect_error_at_reset 'Nested-HV only supported on POWER9 and later' -cpu power8 \
    -M pseries,cap-nested-hv=on
# Machine type defaults: pseries-2.8 to 2.11 have HTM on (their POWER8 default CPU has it;
# pseries-2.7 and older default to POWER7, which has not).
for t in pseries-2.8 pseries-2.11; do
    expect_error_at_reset '^qemu-system-ppc64: No Transactional Memory support in TCG$' -M "$t"
    accept -M "$t,cap-htm=off,dumpdtb=$DTB"
done
expect_error_at_reset 'No Transactional Memory support in TCG' -M pseries-2.1 -cpu power8
expect_error "This machine only uses the legacy XICS backend, don't pass ic-mode" \
    -M pseries-3.0,ic-mode=xics
expect_error "Property 'pseries-4\.2-machine\.nvdimm-persistence' not found" \
    -M pseries-4.2,nvdimm-persistence=cpu
expect_error 'XIVE-only machines require a POWER9 CPU' -cpu power8 -M pseries,ic-mode=xive
expect_error_at_reset 'Large decrementer only supported on POWER9' -cpu power8 -M pseries,cap-large-decr=on
expect_error_at_reset 'Large decrementer only supported on POWER9' \
    -M pseries,cap-large-decr=on,max-cpu-compat=power8
expect_error "Parameter 'usb' expects 'on' or 'off'" -M pseries,usb=Y
accept -M "pseries,usb=y,dump-guest-core=n,max-cpu-compat=power7+,dumpdtb=$DTB" -cpu power8
accept -M "pseries-4.0,ic-mode=dual,dumpdtb=$DTB" -cpu power8
expect_error "No 'spapr-vio-bus' bus found for device 'spapr-vty'" -M none -chardev null,id=c1 \
    -device spapr-vty,chardev=c1
# Memory is checked before the CPU properties, as QEMU 7.2 does.
expect_error 'Memory size 0x12c00000 is not aligned to 256 MiB' -m 300M \
    -M pseries,max-cpu-compat=power10

# Memory and CPUs
expect_error 'Memory size 0x12c00000 is not aligned to 256 MiB' -m 300M
expect_error 'requires >= 128MiB guest RMA' -m 64M
expect_error "unable to find CPU model 'foo'" -cpu foo

# Boot images
printf 'small' >"$TMP/small"
head -c $((5 * 1024 * 1024)) /dev/zero >"$TMP/5m"
printf '\177ELF\002\002\001' >"$TMP/trunc.elf"
expect_error "Could not find LPAR firmware '/nonexistent'" -bios /nonexistent
expect_error "Could not load LPAR firmware '$TMP/5m'" -bios "$TMP/5m"
expect_error "could not load kernel '/nonexistent'" -kernel /nonexistent
expect_error "error loading $TMP/trunc.elf: " -kernel "$TMP/trunc.elf"
expect_error "could not load initial ram disk '/nonexistent'" -kernel "$TMP/small" \
    -initrd /nonexistent
head -c $((300 * 1024 * 1024)) /dev/zero >"$TMP/300m"
expect_error "could not load initial ram disk '$TMP/300m'" -kernel "$TMP/small" \
    -initrd "$TMP/300m" -m 256M
rm -f "$TMP/300m"
accept -M "pseries,dumpdtb=$DTB" -bios "$TMP/small"
expect_error '^qemu-system-ppc64: -initrd only allowed with -kernel option$' -initrd "$TMP/small"
expect_error '^qemu-system-ppc64: -append only allowed with -kernel option$' -append foo

# -device
expect_error "^qemu-system-ppc64: -device foo: 'foo' is not a valid device model name$" \
    -device foo
expect_error '-device spapr-vty: chardev property not set' -device spapr-vty
expect_error "Property 'spapr-vty.chardev' can't find value 'x'" -device spapr-vty,chardev=x
expect_error "Property 'spapr-vty.foo' not found" -chardev null,id=c1 \
    -device spapr-vty,chardev=c1,foo=1
expect_error 'spapr-vty and spapr-vty devices conflict at address 0x71000000' \
    -chardev null,id=c1 -device spapr-vty,chardev=c1,reg=0x71000000
expect_error "Parameter 'reg' expects integer" -chardev null,id=c1 \
    -device spapr-vty,chardev=c1,reg=x
expect_error "Parameter 'reg' expects uint32_t" -chardev null,id=c1 \
    -device spapr-vty,chardev=c1,reg=0x100000000
expect_error "Duplicate ID 'v1' for device" -nodefaults -chardev null,id=c1 \
    -chardev null,id=c2 -device spapr-vty,chardev=c1,id=v1 -device spapr-vty,chardev=c2,id=v1
expect_error "Property 'spapr-vty.chardev' can't take value 'c1': Device 'c1' is in use" -nodefaults \
    -chardev null,id=c1 -device spapr-vty,chardev=c1 -device spapr-vty,chardev=c1
accept -M "pseries,dumpdtb=$DTB" -nodefaults -chardev null,id=c1 -chardev null,id=c2 \
    -device spapr-vty,chardev=c1,id=v1 -device spapr-vty,chardev=c2,reg=0x30000000

tap_done
