#!/usr/bin/env bash
# hostile.sh - peers that try to stop a node rather than feed it, over TCP on loopback
# (127.0.0.0/8 only): a peer that asks for much and reads nothing, then vanishes; crowds of
# connections that never handshake, from one address and from many. After each, the node still
# runs, answers `warta status`, does not spin, and serves an honest peer. Prints TAP.
# usage: hostile.sh WARTA WARTAD NETTOOL
set -u
. "$(dirname "$(realpath "$0")")/tap.sh"
warta=$(realpath "$1"); wartad=$(realpath "$2"); nettool=$(realpath "$3")
root_dir=$(dirname "$(realpath "$0")")
node_work whostile

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# cpu_ticks PID: user+system clock ticks the process has used
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
alive() { kill -0 "$1" 2>/dev/null && "$warta" status --node "$2" >/dev/null 2>&1; }
# spins PID: whether the process used more than 3/4 of a core over 2 s
spins() { local t0; t0=$(cpu_ticks "$1"); sleep 2; [ $(($(cpu_ticks "$1") - t0)) -gt $((3 * $(getconf CLK_TCK) / 2)) ]; }

key n1 > n1.key; key n2 > n2.key
port=$(free_port)
# 320 descriptors: 192 kept for the node's own use, 64 for inbound connections, 8 per address
(ulimit -n 320 && exec "$wartad" -d n1 -P pass -N n1 -l "tcp://127.0.0.1:$port" -s 500 2>>n1.log) &
pid_n1=$!; pids+=($!)
wait_for 10 '[ "$(count n1)" = 0 ]'
check '"$nettool" publish n1 41 2000 900 | tail -n 1 | grep -q "^acked"' "2,000 bulletins published at the node under test"

# 1. A peer that asks for much and reads nothing: libzmq 4.3.4 aborted the node
#    (Assertion failed: !_io_error) once such a peer went away.
"$nettool" stall "tcp://127.0.0.1:$port" "$(cat n1.key)" 41 6 > stall.out 2>&1
check 'grep -q "^stalled 6" stall.out' "six peers asked for 20,000 answers each and vanished without reading"
check 'alive $pid_n1 n1' "the node still runs and answers status"
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid_n1/status")
# (a few MiB in a plain build; AddressSanitizer keeps up to 256 MiB of freed memory aside;
#  before the serve credit, the answers took more than 2 GiB)
check '[ "$rss" -lt 786432 ]' "answers queued for them did not fill its memory (RSS $((rss / 1024)) MiB)"
check '! spins $pid_n1' "nor is it still busy with what they left queued"
check 'grep -q "not served while it leaves" n1.log' "the node stopped answering peers that left its answers unread"

# 2. Crowds of connections that never handshake. Before the guard, they took every descriptor:
#    the listener spun on EMFILE and the next `warta status` aborted the node inside libzmq.
publish_new() { # publish_new TITLE: sign and publish at n1, print the id
    rm -f new.wb; "$warta" sign --key office.key --passphrase-env PP --verdict HOAKS --title "$1" -o new.wb 2>/dev/null
    "$warta" publish new.wb --node n1 2>/dev/null | awk '/^accepted/ {print $2}'
}
export PP=office
"$warta" keygen -o office.key --cost interactive --passphrase-env PP >/dev/null

python3 "$root_dir/crowd.py" "$port" 300 4 8 > crowd1.out &
pids+=($!); crowd=$!
sleep 2
check 'alive $pid_n1 n1' "300 connections from 4 addresses: the node answers status"
check '! spins $pid_n1' "and does not spin"
check '[ "$(stat_of n1 "d[\"connections\"][\"inbound\"]")" -le 32 ]' "it holds at most 8 connections per address ($(stat_of n1 'd["connections"]'))"
"$wartad" -d n2 -P pass -N n2 -l "ipc://$work/n2.sock" -s 500 -p "$(cat n1.key)@tcp://127.0.0.1:$port" 2>>n2.log &
pids+=($!)
check 'wait_for 30 "[ \"\$(count n2)\" = 2000 ]"' "an honest peer from another address connects meanwhile and syncs"
id=$(publish_new "[HOAKS] Saat diserbu")
check 'wait_for 10 "\"$warta\" get $id --node n2 >/dev/null 2>&1"' "and a new bulletin reaches it"
wait "$crowd"
check 'grep -q "^opened" crowd1.out' "the crowd held its connections for 8 s ($(cat crowd1.out))"

python3 "$root_dir/crowd.py" "$port" 1000 200 10 > crowd2.out &
pids+=($!); crowd=$!
answered=0 most=0
for t in 1 2 3 4; do # status and descriptors four times while the crowd lasts
    sleep 2
    alive $pid_n1 n1 && answered=$((answered + 1))
    fds=$(ls "/proc/$pid_n1/fd" 2>/dev/null | wc -l)
    [ "$fds" -gt "$most" ] && most=$fds
done
check '[ "$answered" = 4 ]' "1,000 connections from 200 addresses: the node answers status all the while ($answered of 4)"
check '[ "$most" -lt 320 ]' "its descriptors stay under its limit (at most $most of 320)"
check '! spins $pid_n1' "and it does not spin"
check '[ "$(stat_of n1 "d[\"connections\"][\"refused\"]")" -gt 0 ]' "connections past its limit were refused"
wait "$crowd"
id=$(publish_new "[HOAKS] Setelah diserbu")
check 'wait_for 10 "\"$warta\" get $id --node n2 >/dev/null 2>&1"' "after the crowds, the honest peer still gets new bulletins"
check 'kill -0 $pid_n1' "the node never stopped"

tap_end
