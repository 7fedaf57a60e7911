# -machine's own syntax (QEMU's keyval, not QemuOpts) and its help forms:
# every output and message here was taken from QEMU 7.2 (Debian's
# qemu-system-ppc64) run with the same arguments.
. "$(dirname "$0")/lib.sh"

P=qemu-system-ppc64
# first_line_is TEXT ARGS...: exit 0, stdout's first line TEXT; keeps stdout.
first_line_is() {
    local want=$1
    shift
    run "$@"
    if [ "$RC" = 0 ] && [ "$(printf '%s\n' "$OUT" | head -1)" = "$want" ]; then
        ok "first line: $*"
    else
        not_ok "first line: $*" "exit $RC, stdout: ${OUT:0:200}" "wanted: $want"
    fi
}
first_line_is "Supported machines are:" -M help
LIST=$OUT
first_line_is "pseries-7.2-machine options:" -M pseries-7.2,help
PROPS72=$OUT
first_line_is "pseries-2.12-machine options:" -M pseries-2.12,help
PROPS212=$OUT

# help_is WANT ARGS...: exit 0 and stdout the same as the reference output.
help_is() {
    local want=$1
    shift
    run "$@"
    if [ "$RC" = 0 ] && [ "$OUT" = "$want" ] && [ -z "$ERR" ]; then
        ok "help: $*"
    else
        not_ok "help: $*" "exit $RC, stdout: ${OUT:0:200}" "stderr: $ERR"
    fi
}
# "help" or "?" as an element of its own, anywhere, whatever else is given.
help_is "$PROPS72" -M 'pseries,?'
help_is "$PROPS72" -M pseries,help,cap-htm=on
help_is "$PROPS72" -M pseries,cap-htm=on,help
help_is "$PROPS72" -M pseries,cap-htm=bad,help
help_is "$PROPS72" -M pseries,x=1,help
help_is "$PROPS72" -M pseries,help=on,help
help_is "$PROPS72" -M pseries,cap_htm=on,help
help_is "$PROPS72" -M type=pseries,help
help_is "$PROPS72" -M help,type=pseries
help_is "$PROPS212" -M 'pseries-2.12,?'
help_is "$PROPS212" -M pseries,type=pseries-2.12,help
# Earlier -machine options count; later ones are not read (help exits at once).
help_is "$PROPS212" -M pseries-2.12 -M help
help_is "$PROPS212" -M pseries-2.12 -M '?'
help_is "$PROPS72" -M pseries -M cap-htm=on,help
help_is "$PROPS72" -M pseries,help -M pseries-2.12
help_is "$PROPS72" -M pseries,help -m foo
# No type, or one that does not exist: the list.
help_is "$LIST" -M '?'
help_is "$LIST" -M foo,help
help_is "$LIST" -M help,cap-htm=on
help_is "$LIST" -M help,help
# help=VALUE is an ordinary (unknown) property.
expect_stderr "$P: Property 'pseries-7.2-machine.help' not found" -M pseries,help=on
expect_stderr "$P: Property 'pseries-7.2-machine.help' not found" -M pseries,help=off
expect_stderr "$P: Property 'pseries-7.2-machine.help' not found" -M pseries,help=
expect_stderr "$P: Property 'pseries-7.2-machine.help' not found" -M help=on
expect_stderr "$P: Property 'none-machine.help' not found" -M none,help=on
# Only the first element may omit its key; a bare key is not "=on".
expect_stderr "$P: -M help,pseries: Expected '=' after parameter 'pseries'" -M help,pseries
expect_stderr "$P: -M pseries,usb: Expected '=' after parameter 'usb'" -M pseries,usb
expect_stderr "$P: -M pseries,help,usb: Expected '=' after parameter 'usb'" -M pseries,help,usb
expect_stderr "$P: -machine pseries,usb,help: Expected '=' after parameter 'usb'" \
    -machine pseries,usb,help
expect_stderr "$P: -M pseries,?,x: Expected '=' after parameter 'x'" -M 'pseries,?,x'
expect_stderr "$P: -M pseries,helpx: Expected '=' after parameter 'helpx'" -M pseries,helpx
expect_stderr "$P: -M pseries,a.b: Expected '=' after parameter 'a.b'" -M pseries,a.b
# Keys: names, dot-separated; '_' is '-'.
expect_stderr "$P: -M pseries,=x: Invalid parameter ''" -M pseries,=x
expect_stderr "$P: -M ,help: Invalid parameter ''" -M ,help
expect_stderr "$P: -M pseries,,x=1: Invalid parameter ''" -M pseries,,x=1
expect_stderr "$P: -M pseries,a b=1: Invalid parameter 'a b'" -M 'pseries,a b=1'
expect_stderr "$P: -M pseries,1a=2: Invalid parameter '1a'" -M pseries,1a=2
expect_stderr "$P: -M pseries,a..b=1: Invalid parameter 'a..b'" -M pseries,a..b=1
expect_stderr "$P: -M pseries,a.=1: Invalid parameter 'a.'" -M pseries,a.=1
expect_stderr "$P: -M pseries,.a=1: Invalid parameter '.a'" -M pseries,.a=1
LONG=$(printf 'a%.0s' $(seq 130))
expect_stderr "$P: -M pseries,$LONG=1: Parameter '$LONG' is too long" -M "pseries,$LONG=1"
expect_stderr "$P: Property 'pseries-7.2-machine.a-b-c' not found" -M pseries,a-b_c=1
expect_stderr "$P: Property 'pseries-7.2-machine.x-y' not found" -M pseries,x_y=1
# ",," escapes a comma inside a value.
expect_stderr "$P: Parameter 'usb' expects 'on' or 'off'" -M pseries,usb=off,,x
# Unknown types: QEMU's error and hint.
expect_stderr "$P: unsupported machine type
Use -machine help to list supported machines" -M foo
expect_stderr "$P: unsupported machine type
Use -machine help to list supported machines" -M type=help
expect_stderr "$P: unsupported machine type
Use -machine help to list supported machines" -M pseries,type=help
# Option names are all checked before any option acts.
expect_stderr "$P: -bogus: invalid option" -M pseries,help -bogus
expect_stderr "$P: -m: requires an argument" -M pseries,help -m

tap_done
