#!/bin/busybox sh
# /sbin/poweroff of the functional suite's initramfs: what Linux runs for an orderly
# power-off (an EPOW event from QMP system_powerdown); says so, then powers off.
echo "FUNCTEST /sbin/poweroff called" >/dev/console
exec /bin/busybox poweroff -f
