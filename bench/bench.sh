#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# goipt's side-by-side benchmark (make bench): goipt and iptables-legacy 1.8.9
# on the same generated rulesets, interleaved, each step in a throwaway
# network namespace with a private xtables lock, then the library
# benchmarks against the C floor (bench/cfloor.c). Writes bench/results.json
# and bench/RESULTS.md and prints the table.
#
#   bench/bench.sh [-quick] [options of bench/run]
#
# -quick: sizes 1000,10000 and fewer repetitions. Never touches the host's
# tables: everything runs under unshare -n.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo

mkdir -p build
[ -x build/goipt ] || { echo "bench: build/goipt missing: run make build" >&2; exit 1; }
gcc -O2 -Wall -o build/cfloor bench/cfloor.c $(pkg-config --cflags --libs libip4tc)
go test -c -o build/lib.test ./bench/lib
go build -o build/bench-run ./bench/run

args=()
for a in "$@"; do
	if [ "$a" = -quick ]; then args+=(-sizes 1000,10000 -reps 5,3 -appends 200 -append-reps 1); else args+=("$a"); fi
done
lock=$(mktemp)
trap 'rm -f "$lock"' EXIT
$SUDO env XTABLES_LOCKFILE="$lock" unshare -n build/bench-run "${args[@]}"
