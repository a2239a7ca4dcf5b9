#!/usr/bin/env bash
# bare.sh - the README's main command on a bare Debian 12 (debootstrap minbase, nothing else
# installed), from the tree's tracked files: scripts/demo run as root, then as a user with sudo,
# each in a fresh root (scripts/bare). Then the Debian package: built in a bare root from
# debian/ (scripts/package), installed in another, and checked there (installed.sh). Runs when WARTA_BARE=1 (.ci/run sets it) and as root;
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
check 'grep -q "^The verification page" "$log/out"' "and its gateway serves the verification page (Node.js, npm and npm ci in the bare root)"
"$root/scripts/bare" --sudo scripts/demo > "$log/out" 2>&1; rc=$?
check '[ $rc -eq 0 ] && grep -q "^Nodes stopped" "$log/out"' "scripts/demo runs to the end in a bare Debian 12 root, as a user with sudo"
"$root/scripts/bare" --out "$log/deb" bash -c 'scripts/package "$HOME/out"' > "$log/out" 2>&1; rc=$?
check '[ $rc -eq 0 ] && ls "$log"/deb/warta_*.deb >/dev/null 2>&1' "the Debian package builds in a bare root (dpkg-buildpackage -us -uc -b)"
deb=$(ls "$log"/deb/warta_*.deb 2>/dev/null | head -n 1)
"$root/scripts/bare" --in "${deb:-/dev/null}" bash -c 'export DEBIAN_FRONTEND=noninteractive;
    apt-get update -qq && apt-get install -y -qq --no-install-recommends ~/in/warta_*.deb man-db >/dev/null 2>&1 &&
    tests/integration/installed.sh' > "$log/out" 2>&1
# Its checks, as this test's own.
while IFS= read -r line; do
    case $line in
    "ok "*) ok "installed: ${line#ok * - }" ;;
    "not ok "*) not_ok "installed: ${line#not ok * - }" ;;
    esac
done < "$log/out"
check 'grep -q "^1\.\.[1-9]" "$log/out"' "the package installs in a bare root, and its checks ran"
tap_end
