#!/usr/bin/env bash
# bare.sh - the README's main command on a bare Debian 12 (debootstrap minbase, nothing else
# installed), from the tree's tracked files: scripts/demo run as root, then as a user with sudo,
# each in a fresh root (scripts/bare). Runs when WARTA_BARE=1 (.ci/run sets it) and as root;
# otherwise skipped. TAP.
# usage: bare.sh SOURCE_ROOT
set -u
. "$(dirname "$(realpath "$0")")/tap.sh"
root=$(realpath "$1")
if [ "${WARTA_BARE:-0}" != 1 ] || [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs WARTA_BARE=1 and root (debootstrap, chroot)"
    exit 0
fi
log=$(mktemp -d /tmp/wbare-XXXXXX)
trap 'rm -rf "$log"' EXIT
tap_diag() { tail -n 25 "$log/out" | sed 's/^/# /'; }
"$root/scripts/bare" scripts/demo > "$log/out" 2>&1; rc=$?
check '[ $rc -eq 0 ] && grep -q "^Nodes stopped" "$log/out"' "scripts/demo runs to the end in a bare Debian 12 root, as root"
check '! grep -q "command not found" "$log/out"' "and no command it needed was missing"
"$root/scripts/bare" --sudo scripts/demo > "$log/out" 2>&1; rc=$?
check '[ $rc -eq 0 ] && grep -q "^Nodes stopped" "$log/out"' "scripts/demo runs to the end in a bare Debian 12 root, as a user with sudo"
tap_end
