#!/usr/bin/env bash
# hostile.sh - peers that try to stop a node rather than feed it, over TCP on loopback
# (127.0.0.0/8 only): a peer that asks for much and reads nothing, then vanishes; crowds of
# connections that never handshake, from one address and from many. After each, the node still
# runs, answers `warta status`, does not spin, and serves an honest peer. Prints TAP.
# usage: hostile.sh WARTA WARTAD NETTOOL
set -u
. "$(dirname "$(realpath "$0")")/tap.sh"
warta=$(realpath "$1"); wartad=$(realpath "$2"); nettool=$(realpath "$3")
node_work whostile

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# cpu_ticks PID: user+system clock ticks the process has used
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
alive() { kill -0 "$1" 2>/dev/null && "$warta" status --node "$2" >/dev/null 2>&1; }

key n1 > n1.key; key n2 > n2.key
port=$(free_port)
"$wartad" -d n1 -P pass -N n1 -l "tcp://127.0.0.1:$port" -s 500 2>>n1.log &
pid_n1=$!; pids+=($!)
wait_for 10 '[ "$(count n1)" = 0 ]'
check '"$nettool" publish n1 41 2000 900 | tail -n 1 | grep -q "^acked"' "2,000 bulletins published at the node under test"

# 1. A peer that asks for much and reads nothing: libzmq 4.3.4 aborted the node
#    (Assertion failed: !_io_error) once such a peer went away.
"$nettool" stall "tcp://127.0.0.1:$port" "$(cat n1.key)" 41 6 > stall.out 2>&1
check 'grep -q "^stalled 6" stall.out' "six peers asked for 20,000 answers each and vanished without reading"
check 'alive $pid_n1 n1' "the node still runs and answers status"
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid_n1/status")
check '[ "$rss" -lt 262144 ]' "answers queued for them did not fill its memory (RSS $((rss / 1024)) MiB)"
check 'grep -q "not served while it leaves" n1.log' "the node stopped answering peers that left its answers unread"

tap_end
