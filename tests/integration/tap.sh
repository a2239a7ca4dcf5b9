# tap.sh - sourced by the integration scripts: TAP output and the checks they share.
# A script sets `warta` before using stat_of/count, and may define tap_diag to print what helps
# when a check fails (logs, the last command's output).
n=0 failed=0
tap_diag() { sed 's/^/# /' out err 2>/dev/null | head -20; }
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; tap_diag; }
# check CONDITION DESCRIPTION: eval the condition
check() { if eval "$1"; then ok "$2"; else not_ok "$2"; fi; }
# expect CODE DESCRIPTION -- COMMAND...: run it (output in ./out, ./err), check the exit code
expect() {
    local code=$1 what=$2; shift 3
    "$@" >out 2>err; local got=$?
    if [ "$got" -eq "$code" ]; then ok "$what"; else echo "# exit $got, wanted $code"; not_ok "$what"; fi
}
# says PATTERN DESCRIPTION: the last command's stdout+stderr matches
says() { if grep -q -- "$1" out err; then ok "$2"; else echo "# no '$1'"; not_ok "$2"; fi; }
# wait_for SECONDS CONDITION: poll every 0.2 s
wait_for() { local end=$((SECONDS + $1)); while [ $SECONDS -lt $end ]; do eval "$2" && return 0; sleep 0.2; done; return 1; }
# stat_of NODE_DIR PYTHON_EXPR: evaluate the expression over `warta status --json` (as d)
stat_of() { "$warta" status --node "$1" --json 2>/dev/null | python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$2" 2>/dev/null; }
count() { stat_of "$1" "d['store']['bulletins']"; }
# tap_end: the plan line, and the exit status
tap_end() { echo "1..$n"; [ "$failed" -eq 0 ]; }
# node_work PREFIX: a work folder for a network test, entered; every pid added to pids is
# killed and the folder removed on exit; failures show the tail of each node's log.
node_work() {
    work=$(mktemp -d "/tmp/$1-XXXXXX")
    pids=()
    trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"' EXIT
    cd "$work" || exit 1
    tap_diag() { for l in n*.log; do echo "# --- $l"; tail -n 8 "$l" | sed 's/^/# /'; done; }
    echo "node passphrase for tests" > pass
}
# For the network tests (they set wartad, and node_flags to extra wartad flags):
# key NAME prints node NAME's key (made on first use); node NAME [PEER_NAME...] starts NAME on
# ipc://$work/NAME.sock, connected to the peers (whose keys are in PEER.key), logging to
# NAME.log; its pid goes to pids and to pid_NAME.
key() { "$wartad" -d "$1" -P pass -k 2>/dev/null; }
node() {
    local name=$1; shift
    local args=()
    for p in "$@"; do args+=(-p "$(cat "$p.key")@ipc://$work/$p.sock"); done
    "$wartad" -d "$name" -P pass -N "$name" -l "ipc://$work/$name.sock" "${node_flags[@]}" "${args[@]}" 2>>"$name.log" &
    eval "pid_$name=$!"
    pids+=($!)
}
# office_roster: in the work folder, the keys (passphrase $PP) and roster records of a small
# network: root.wrb (root1, root2; threshold 1), the ministry (kemkomdigi, national, may
# delegate), Diskominfo Bengkulu (diskominfo-17, province 17), Diskominfo DKI Jakarta
# (diskominfo-31, province 31) and a platform (platform-x); each record in KEY.wrb. Needs warta.
office_roster() {
    local T0=2026-01-01T00:00:00Z k
    for k in root1 root2 ministry bengkulu jakarta platform; do
        "$warta" keygen -o $k.key --cost interactive --passphrase-env PP >/dev/null 2>&1
    done
    "$warta" roster init --key root1.pub --key root2.pub --threshold 1 --valid-from $T0 -o root.draft 2>/dev/null
    "$warta" roster seal root.draft --key root1.key -o root.wrb --passphrase-env PP 2>/dev/null
    "$warta" roster delegate --network root.wrb --key ministry.pub --office kemkomdigi --name "Kementerian Komunikasi dan Digital" --role ministry --region "" --may-delegate --valid-from $T0 -o m.draft 2>/dev/null
    "$warta" roster sign m.draft --key root1.key --passphrase-env PP 2>/dev/null
    "$warta" roster seal m.draft --key ministry.key -o ministry.wrb --passphrase-env PP 2>/dev/null
    _delegate() { # KEY OFFICE NAME ROLE REGION
        "$warta" roster delegate --network root.wrb --key $1.pub --office $2 --name "$3" --role $4 --region "$5" --valid-from $T0 -o $1.draft 2>/dev/null
        "$warta" roster seal $1.draft --key ministry.key -o $1.wrb --passphrase-env PP 2>/dev/null
    }
    _delegate bengkulu diskominfo-17 "Diskominfo Provinsi Bengkulu" province 17
    _delegate jakarta diskominfo-31 "Diskominfo Provinsi DKI Jakarta" province 31
    _delegate platform platform-x "Platform X" platform ""
}
