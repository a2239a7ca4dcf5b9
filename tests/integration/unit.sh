#!/usr/bin/env bash
# unit.sh - the systemd unit meson configured: its paths are the configured ones, and
# `systemd-analyze security` rates its exposure 2.0 or lower (the figure is printed). Skipped
# where systemd-analyze is missing. TAP.
# usage: unit.sh UNIT_FILE SBINDIR SYSCONFDIR
set -u
. "$(dirname "$(realpath "$0")")/tap.sh"
unit=$(realpath "$1"); sbindir=$2; sysconfdir=$3
check 'grep -q "^ExecStart=$sbindir/wartad -c $sysconfdir/warta/wartad.ini " "$unit"' "the unit starts $sbindir/wartad with $sysconfdir/warta/wartad.ini"
check 'grep -q "^ExecReload=/bin/kill -HUP \$MAINPID" "$unit" && grep -q "^Type=notify" "$unit"' "it reloads with SIGHUP and waits for READY (Type=notify)"
check '! grep -q "@[a-z]*@" "$unit"' "no placeholder is left in it"
if ! command -v systemd-analyze >/dev/null; then
    echo "ok $((n + 1)) # SKIP systemd-analyze is not installed"
    n=$((n + 1))
    tap_end
    exit
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$unit" "$work/wartad.service"
systemd-analyze security --offline=true --no-pager "$work/wartad.service" > "$work/out" 2>&1
level=$(sed -n 's/.*Overall exposure level for wartad.service: \([0-9.]*\).*/\1/p' "$work/out")
echo "# systemd-analyze security wartad.service: ${level:-?}"
check '[ -n "$level" ] && awk -v l="$level" "BEGIN { exit !(l <= 2.0) }"' "systemd-analyze security rates the unit ${level:-?} (2.0 or lower)"
tap_end
