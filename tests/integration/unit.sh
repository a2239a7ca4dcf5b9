#!/usr/bin/env bash
# unit.sh - the systemd units meson configured (wartad's, warta-gateway's): their paths are the
# configured ones, and `systemd-analyze security` rates each one's exposure 2.0 or lower (the
# figures are printed). Those ratings are skipped where systemd-analyze is missing. TAP.
# usage: unit.sh WARTAD_UNIT SBINDIR SYSCONFDIR GATEWAY_UNIT BINDIR
set -u
. "$(dirname "$(realpath "$0")")/tap.sh"
unit=$(realpath "$1"); sbindir=$2; sysconfdir=$3; gw_unit=$(realpath "$4"); bindir=$5
check 'grep -q "^ExecStart=$sbindir/wartad -c $sysconfdir/warta/wartad.ini " "$unit"' "the unit starts $sbindir/wartad with $sysconfdir/warta/wartad.ini"
check 'grep -q "^ExecReload=/bin/kill -HUP \$MAINPID" "$unit" && grep -q "^Type=notify" "$unit"' "it reloads with SIGHUP and waits for READY (Type=notify)"
check '! grep -q "@[a-z]*@" "$unit"' "no placeholder is left in it"
check 'grep -q "^ExecStart=$bindir/warta-gateway --node /var/lib/warta --roster $sysconfdir/warta/root.wrb --listen 127.0.0.1:" "$gw_unit"' "the gateway's unit starts $bindir/warta-gateway on loopback, pinned to $sysconfdir/warta/root.wrb"
check '! grep -q "@[a-z]*@" "$gw_unit" && grep -q "^User=warta" "$gw_unit"' "as the warta user, no placeholder left"
if ! command -v systemd-analyze >/dev/null; then
    echo "ok $((n + 1)) # SKIP systemd-analyze is not installed"
    n=$((n + 1))
    tap_end
    exit
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rate() { # rate UNIT NAME: systemd-analyze security's exposure level of the unit, 2.0 or lower
    cp "$1" "$work/$2"
    systemd-analyze security --offline=true --no-pager "$work/$2" > "$work/out" 2>&1
    level=$(sed -n "s/.*Overall exposure level for $2: \([0-9.]*\).*/\1/p" "$work/out")
    echo "# systemd-analyze security $2: ${level:-?}"
    check '[ -n "$level" ] && awk -v l="$level" "BEGIN { exit !(l <= 2.0) }"' "systemd-analyze security rates $2 ${level:-?} (2.0 or lower)"
}
rate "$unit" wartad.service
rate "$gw_unit" warta-gateway.service
tap_end
