#!/usr/bin/env bash
# installed.sh - run inside a bare Debian root where the warta package was just installed
# (tests/integration/bare.sh): what the package put in place, and that it works from there
# without systemd. Prints TAP.
set -u
. "$(dirname "$(realpath "$0")")/tap.sh"
cd "$(mktemp -d)" || exit 1
expect 0 "warta --version runs from /usr/bin" -- /usr/bin/warta --version
says "^warta [0-9]" "and prints the version"
expect 0 "wartad --version runs from /usr/sbin" -- /usr/sbin/wartad --version
check 'getent passwd warta >/dev/null && getent group warta >/dev/null' "the package made the warta user and group"
check '[ "$(stat -c %U:%G:%a /var/lib/warta)" = warta:warta:750 ]' "and /var/lib/warta, warta's, mode 750 ($(stat -c %U:%G:%a /var/lib/warta 2>/dev/null))"
check '[ "$(stat -c %U:%a /etc/warta/node.pass)" = root:600 ] && [ -s /etc/warta/node.pass ]' "a node passphrase, root's, mode 600"
expect 0 "wartad -n passes on the installed configuration" -- /usr/sbin/wartad -n -c /etc/warta/wartad.ini
says "configuration ok" "and says so"
check 'env -u LC_ALL LANG=id_ID.UTF-8 /usr/bin/warta frob 2>&1 | grep -q "perintah .frob. tidak dikenal"' "warta speaks Indonesian under LANG=id_ID.UTF-8 (the installed catalog)"
check 'man warta 2>/dev/null | grep -q "sign, verify, publish and audit"' "man warta shows the page"
check 'man 8 wartad 2>/dev/null | grep -q "SIGHUP" && man 5 wartad.ini 2>/dev/null | grep -q "sync_interval_ms"' "and wartad(8), wartad.ini(5)"
check 'grep -q "^ExecStart=/usr/sbin/wartad -c /etc/warta/wartad.ini" /lib/systemd/system/wartad.service /usr/lib/systemd/system/wartad.service 2>/dev/null' "the unit runs the installed binary with the installed configuration"
check '[ -f /usr/share/bash-completion/completions/warta ] && [ -e /usr/share/bash-completion/completions/wartad ]' "bash completion for both"
check '[ -f /usr/share/doc/warta/PROTOCOL.md.gz ] || [ -f /usr/share/doc/warta/PROTOCOL.md ]' "the protocol is in the documentation"
# The node runs from the installed files as the warta user, as the unit would run it.
# (the unit hands the passphrase over as a credential; here, a copy only warta may read)
install -m 600 -o warta -g warta /etc/warta/node.pass /var/lib/warta/test.pass
# As the unit runs it, as far as this root can without systemd: the warta user, no
# capabilities, no new privileges, the unit's umask and descriptor limit.
(umask 0027; ulimit -n 8192
 exec setpriv --reuid=warta --regid=warta --init-groups --no-new-privs --bounding-set=-all \
    --inh-caps=-all /usr/sbin/wartad -c /etc/warta/wartad.ini -P /var/lib/warta/test.pass \
    -l ipc:///var/lib/warta/n.sock) 2> node.log &
pid=$!
check 'wait_for 20 "/usr/bin/warta status --node /var/lib/warta >/dev/null 2>&1"' "wartad starts as the warta user, without capabilities or new privileges, on the installed configuration"
[ -s node.log ] && sed 's/^/# node: /' node.log | head -5
useradd -m -G warta officer > useradd.out 2>&1 || sed 's/^/# useradd: /' useradd.out
su -s /bin/sh officer -c "cd /tmp && /usr/bin/warta status --node /var/lib/warta" > officer.out 2>&1
check 'grep -q "^node " officer.out' "a member of the warta group uses the node without sudo"
grep -q "^node " officer.out || { id officer; ls -la /var/lib/warta; cat officer.out; } 2>&1 | sed 's/^/# /' 
useradd -m outsider > useradd.out 2>&1 || sed 's/^/# useradd: /' useradd.out
su -s /bin/sh outsider -c "cd /tmp && /usr/bin/warta status --node /var/lib/warta" > outsider.out 2>&1
check '! grep -q "^node " outsider.out && grep -q "permission denied: only the node" outsider.out' "a user outside it cannot, and is told why ($(head -c 90 outsider.out))"
kill $pid 2>/dev/null; wait $pid 2>/dev/null
tap_end
