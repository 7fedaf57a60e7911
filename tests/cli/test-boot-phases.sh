#!/bin/bash
# scripts/boot-phases.py: a boot's console lines split its CPU time into phases. A
# stand-in "emulator" (a shell printing lines) checks the parts that do not depend on
# timing: phases found in order, a missing one shown as '-', the log's stamps, the
# command's exit status passed on, and clear errors for bad use.
. "$(dirname "$0")/lib.sh"

PHASES=$(dirname "$0")/../../scripts/boot-phases.py

# check NAME COMMAND...: ok when COMMAND succeeds, else not ok with $OUT as diagnostics.
check() {
    local name=$1
    shift
    if "$@"; then ok "$name"; else not_ok "$name" "$OUT"; fi
}

OUT=$(python3 "$PHASES" --log "$TMP/log" --phase 'first=two' --phase 'absent=nowhere' \
    --phase 'third=four' -- sh -c 'echo one; echo two; echo three; echo four; echo five; exit 3' 2>&1)
status=$?
check "the command's exit status is passed on (3, got $status)" test "$status" = 3
check "the table lists the phases in order, then the rest and the total" \
    test "$(printf '%s\n' "$OUT" | awk 'NR > 1 { print $1 }' | tr '\n' ' ')" = \
    "first absent third to total "
check "a phase whose line never came is shown as '-'" \
    grep -qx 'absent *-' <<<"$OUT"
check "the first phase has no sleep figure, the others have one" \
    awk '$1 == "first" && $5 != "-" { exit 1 } $1 == "third" && $5 !~ /^[0-9]+\.[0-9][0-9][0-9]$/ { exit 1 }' \
    <<<"$OUT"
check "the total line gives the wall time and the exit status" \
    grep -q '^total .*(wall [0-9.]* s, exit status 3)$' <<<"$OUT"
check "the log has every line with four stamps" \
    test "$(awk -F'\t' 'NF == 5 && $1 ~ /^[0-9.]+$/ && $4 ~ /^[0-9.]+$/ { print $5 }' "$TMP/log" |
        tr '\n' ' ')" = "one two three four five "

# A phase's marker is searched only after the previous phase's line.
OUT=$(python3 "$PHASES" --phase 'a=x' --phase 'b=x' -- sh -c 'echo x' 2>&1)
check "one line ends one phase only" grep -qx 'b *-' <<<"$OUT"

OUT=$(python3 "$PHASES" --phase nomarker -- true 2>&1)
status=$?
check "--phase without NAME=TEXT is refused (status 2, got $status)" \
    grep -q "argument --phase: expected NAME=TEXT, got 'nomarker'" <<<"$OUT"
test "$status" = 2 || not_ok "status of the refused --phase: $status"
OUT=$(python3 "$PHASES" 2>&1)
status=$?
check "no command is refused (status 2, got $status)" \
    grep -q "no command to run (put it after --)" <<<"$OUT"
OUT=$(python3 "$PHASES" -- "$TMP/nonexistent" 2>&1)
status=$?
check "a command that cannot run is a clear error with status 1 (got $status)" \
    test "$status" = 1 -a "$OUT" = "boot-phases: cannot run $TMP/nonexistent: No such file or directory"
tap_done
