#!/usr/bin/env bash
# daemon.sh - what an operator meets first: --version and --help, `wartad -n` opening and
# checking everything its configuration names (each problem with its line and reason), and
# SIGHUP reloading the log level and the roster without a restart, or refusing a bad file
# while the node runs on. One node on ipc://, stopped on exit. TAP.
# usage: daemon.sh WARTA WARTAD SOURCE_ROOT
set -u
. "$(dirname "$(realpath "$0")")/tap.sh"
warta=$(realpath "$1"); wartad=$(realpath "$2"); root=$(realpath "$3")
node_work wdaemon
export PP=office

expect 0 "wartad --version" -- "$wartad" --version
says "^wartad [0-9][0-9.]*" "prints its name and version"
expect 0 "warta --version" -- "$warta" --version
says "^warta [0-9][0-9.]*" "prints its name and version"
expect 0 "wartad --help" -- "$wartad" --help
check 'grep -q "^example:" out && [ ! -s err ]' "to standard output, with an example"
expect 0 "warta help sign" -- "$warta" help sign
"$warta" sign --help > direct.out 2>&1
check 'cmp -s out direct.out' "is warta sign --help"
# Every subcommand: its help has an example, and the manual page describes it.
cmds=$("$warta" --help | sed -n 's/^  \([a-z]*\)  .*/\1/p')
missing=""
for c in $cmds; do
    "$warta" help "$c" 2>/dev/null | grep -q "^example: warta $c" || missing="$missing $c"
done
check '[ -n "$cmds" ] && [ -z "$missing" ]' "every subcommand's help shows an example (missing:${missing:- none})"
unmanned=""
for c in $cmds; do grep -q "^\.BI\? \"$c\|^\.B $c" "$root/docs/man/warta.1" || unmanned="$unmanned $c"; done
check '[ -z "$unmanned" ]' "warta(1) describes every subcommand (missing:${unmanned:- none})"
expect 64 "a stray argument" -- "$wartad" -d d -P pass extra
says "unexpected argument 'extra'" "is named"

# wartad -n: everything the configuration names is opened and checked.
"$wartad" -d d -P pass -k > node.pub 2>/dev/null
cat > good.ini <<INI
[node]
name = kominfo-17
data_dir = d
passphrase_file = pass
listen = ipc://$work/n.sock
log_level = info
INI
expect 0 "a good configuration passes wartad -n" -- "$wartad" -n -c good.ini
says "configuration ok" "and says so"
says "$(cat node.pub)" "naming the node key it opened"
printf '[node]\nname = x\n\n[nodes]\ndata_dir = d\n' > section.ini
expect 64 "an unknown section" -- "$wartad" -n -c section.ini
says "section.ini:4: unknown section \[nodes\]" "is named with its line"
printf '[node]\ndata_dir = d\n[peer]\n' > peer.ini
expect 64 "an empty, unnamed peer section" -- "$wartad" -n -c peer.ini
says "peer.ini:3: \[peer\]: a peer section is \[peer NAME\]" "is named with its line"
printf '[node]\ndata_dir = d\nthreds = 2\n' > key.ini
expect 64 "an unknown setting" -- "$wartad" -n -c key.ini
says "key.ini:3: unknown setting 'threds' in \[node\]" "is named with its line"
printf '[node]\ndata_dir = d\nsync_interval_ms = soon\n' > value.ini
expect 64 "a bad value" -- "$wartad" -n -c value.ini
says "value.ini:3: sync_interval_ms: expected a whole number from 50 to 3600000, got 'soon'" "is named with its line and the range"
printf '[node]\ndata_dir = d\nlisten = tcp://127.0.0.1\n' > listen.ini
expect 64 "an endpoint without a port" -- "$wartad" -n -c listen.ini
says "listen tcp://127.0.0.1: expected tcp://HOST:PORT" "says what is expected"
expect 64 "a bad flag value" -- "$wartad" -n -d d -P pass -t lots
says "\-t threads: expected a whole number" "names the flag"
expect 78 "a roster file that does not exist" -- "$wartad" -n -c good.ini -R missing.roster
says "roster missing.roster: No such file" "is named, with the reason"
echo "not a roster" > junk.roster
expect 78 "a roster file that does not parse" -- "$wartad" -n -c good.ini -R junk.roster
says "roster junk.roster: " "is named"
echo "wrong" > wrong.pass
expect 78 "a passphrase that does not open the node key" -- "$wartad" -n -c good.ini -P wrong.pass
says "node key d/node.key: wrong passphrase" "says the passphrase is wrong"
expect 78 "a missing passphrase file" -- "$wartad" -n -c good.ini -P nowhere.pass
says "passphrase file nowhere.pass: No such file" "is named"
mkdir -p open && chmod 777 open
expect 78 "a data directory others may change" -- "$wartad" -n -c good.ini -d open
says "data directory open may be changed by other users" "is refused"
expect 1 "and the node will not start on it" -- "$wartad" -c good.ini -d open
says "data directory open may be changed by other users" "for the same reason"
expect 78 "a data directory whose parent is missing" -- "$wartad" -n -c good.ini -d no/such/dir
says "data directory no/such/dir does not exist, and no/such is missing too" "is named"

# The roster, and a reload.
for k in root1 root2 office; do "$warta" keygen -o $k.key --cost interactive --passphrase-env PP >/dev/null 2>&1; done
"$warta" roster init --key root1.pub --key root2.pub --threshold 1 --valid-from 2026-01-01T00:00:00Z -o root.draft 2>/dev/null
"$warta" roster seal root.draft --key root1.key --passphrase-env PP -o root.wrb 2>/dev/null
"$warta" roster delegate --network root.wrb --key office.pub --office diskominfo-17 --name "Diskominfo Provinsi Bengkulu" \
    --role province --region 17 --valid-from 2026-01-01T00:00:00Z -o o.draft 2>/dev/null
"$warta" roster sign o.draft --key root2.key --passphrase-env PP 2>/dev/null
"$warta" roster seal o.draft --key root1.key --passphrase-env PP -o office.wrb 2>/dev/null
cp root.wrb live.roster
printf 'roster = live.roster\n' >> good.ini
expect 0 "wartad -n opens the roster and says what it pins" -- "$wartad" -n -c good.ini
says "roster    network [0-9a-f]*\.\.\., root version 1, 0 records" "its network and root version"

"$wartad" -c good.ini 2>> n.log &
pid=$!; pids+=($pid)
check 'wait_for 10 "\"$warta\" status --node d >/dev/null 2>&1"' "the node starts from the configuration file"
records() { stat_of d "d['roster']['records']"; }
check '[ "$(stat -c %a d/control.sock)" = 660 ]' "the control socket is open to the node's group (mode 660)"
check 'WARTA_NODE=d "$warta" status > out 2>&1 && grep -q "node kominfo-17" out' "warta status finds the node through \$WARTA_NODE"
(unset WARTA_NODE; "$warta" status > out 2>err)
says "/var/lib/warta" "without --node or \$WARTA_NODE, /var/lib/warta is the node it asks"
"$warta" sign --key office.key --passphrase-env PP --region 17 --verdict HOAKS --title "[HOAKS] Uji muat ulang" -o b1.wb 2>/dev/null
expect 65 "before the reload, the office's bulletin is refused" -- "$warta" publish b1.wb --node d
says "does not trust it: unknown" "as unknown to the roster"
# The enrolment added to the file; log level raised to debug; then SIGHUP.
cat root.wrb office.wrb > live.roster
sed -i 's/^log_level = info/log_level = debug/' good.ini
kill -HUP $pid
check 'wait_for 10 "grep -q \"reloaded the configuration (log level debug)\" n.log"' "SIGHUP reloads the configuration"
check '[ "$(records)" = 2 ]' "the roster file is read again (records $(records))"
expect 0 "the office's bulletin is accepted now" -- "$warta" publish b1.wb --node d
# An id as warta list shows it (16 hex digits), or shorter, names the bulletin.
short=$("$warta" list --node d | grep "Uji muat ulang" | cut -d' ' -f1)
full=$("$warta" show b1.wb | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
check '[ ${#short} = 16 ] && [ "${full#$short}" != "$full" ]' "warta list shows the id's first 16 hex digits ($short)"
expect 0 "warta get takes that prefix" -- "$warta" get "$short" --node d --json
check 'grep -q "\"id\": \"$full\"" out' "and prints that bulletin"
expect 0 "or 8 digits of it" -- "$warta" get "${short:0:8}" --node d
expect 0 "warta verify takes it with --node" -- "$warta" verify "$short" --roster live.roster --node d
says "Diskominfo Provinsi Bengkulu" "and names the office"
expect 65 "an id no bulletin has" -- "$warta" get ffffffffffffffff --node d
says "no such bulletin" "is named as such"
expect 64 "fewer than 8 digits is a usage error" -- "$warta" get "${short:0:6}" --node d
check 'wait_for 5 "grep -q \"debug.*published\" n.log"' "and the new log level holds (a debug line for it)"
# A broken roster file on reload: refused, the roster in force stays, the node runs on.
echo "garbage" > live.roster
sed -i 's|^listen = .*|listen = ipc://'"$work"'/other.sock|' good.ini
kill -HUP $pid
check 'wait_for 10 "grep -q \"the roster in force stays\" n.log"' "a broken roster file on reload is refused"
check 'grep -q "take effect when wartad restarts" n.log' "a changed listen address is named as needing a restart"
check 'kill -0 $pid && [ "$(records)" = 2 ]' "the node runs on with the roster it had"
# A configuration that no longer parses: nothing changes.
printf '[node]\nbogus = 1\n' >> good.ini
kill -HUP $pid
check 'wait_for 10 "grep -q \"reload: the configuration has an error\" n.log"' "a configuration with an error is refused on reload"
check 'grep -q "unknown setting .bogus." n.log' "naming the error"
check 'kill -0 $pid && "$warta" status --node d >/dev/null 2>&1' "and the node still answers"
kill -TERM $pid; wait $pid 2>/dev/null
check '[ ! -e d/control.sock ]' "SIGTERM stops it and removes its control socket"

# Default level: quiet about each bulletin.
printf '[node]\ndata_dir = q\npassphrase_file = pass\n' > quiet.ini
"$wartad" -c quiet.ini 2>> q.log &
pid=$!; pids+=($pid)
wait_for 10 '"$warta" status --node q >/dev/null 2>&1'
"$warta" sign --key office.key --passphrase-env PP --region 17 --verdict HOAKS --title "[HOAKS] Senyap" -o b2.wb 2>/dev/null
expect 75 "a bulletin whose predecessor the node lacks waits: exit 75, not a refusal" -- "$warta" publish b2.wb --node q
says "not stored yet" "and says it waits"
"$warta" publish b1.wb --node q > /dev/null 2>&1
"$warta" publish b2.wb --node q > out 2>&1
check 'grep -q "^accepted\|^duplicate" out && ! grep -q "published" q.log' "at the default level, no line per published bulletin"
kill -TERM $pid; wait $pid 2>/dev/null

tap_end
