#!/usr/bin/env bash
# bench_smoke.sh - run the node benchmark at small sizes and check it prints every figure.
set -u
bench=$(realpath "$1"); wartad=$(realpath "$2")
work=$(mktemp -d /tmp/wbench-XXXXXX)
trap 'rm -rf "$work"' EXIT
"$bench" "$wartad" "$work/run" 3000 3000 6 3000 > "$work/out" 2>&1
rc=$?
sed 's/^/# /' "$work/out"
n=0
for what in "^ingest: .* x (cores x raw)" "^catch-up: .* x the ingest rate" "^catch-up wire:" \
            "^spread: .* p99" "^spread: copies" "^revocation: .* max" "^memory: .*RssAnon" \
            "^audit: 3000 bulletins .* x (cores x raw), 0 findings"; do
    n=$((n + 1))
    if [ $rc -eq 0 ] && grep -q "$what" "$work/out"; then echo "ok $n - bench prints '$what'"
    else echo "not ok $n - bench prints '$what'"; fi
done
echo "1..$n"
