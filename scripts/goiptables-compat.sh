#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# goiptables against go-iptables itself, in a temporary module outside the
# repository (nothing of go-iptables is committed to goipt, nor made a
# dependency of its module):
#
#   scripts/goiptables-compat.sh [api] [test] [bench]    (default: all three)
#
#   api    the exported API of pkg/goiptables is exactly go-iptables' (names,
#          signatures, method sets, struct fields and tags)
#   test   go-iptables' own iptables_test.go, taken from the Go module cache
#          and reduced to the public API (testdata/compat/reduce.go says
#          what goes and why), runs against pkg/goiptables through aliases
#   bench  pkg/goiptables/bench_body_test.go compiled twice, against
#          goiptables and against go-iptables running iptables-legacy, and
#          run side by side (BENCHTIME, COUNT: -benchtime, -count)
#
# test and bench need root: their binaries run under unshare -n, in a
# throwaway network namespace, with XTABLES_LOCKFILE in the temporary
# directory; the host's tables are never touched.
#
# Environment: GO_IPTABLES_VERSION (v0.8.0), GO (go), KEEP=1 keeps the
# temporary directory.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
compat=$root/pkg/goiptables/testdata/compat
version=${GO_IPTABLES_VERSION:-v0.8.0}
GO=${GO:-go}
BENCHTIME=${BENCHTIME:-20x}
COUNT=${COUNT:-3}
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(api test bench)

tmp=$(mktemp -d /tmp/goiptables-compat.XXXXXX)
if [ "${KEEP:-}" = 1 ]; then echo "keeping $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi

info=$($GO mod download -json "github.com/coreos/go-iptables@$version")
field() { sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\{0,1\}$/\1/p" <<<"$info"; }
dir=$(field Dir)
[ -f "$dir/iptables/iptables_test.go" ] || { echo "go-iptables $version: no iptables_test.go in $dir" >&2; exit 1; }

cd "$tmp"
cat > go.mod <<EOF
module goiptables-compat

go 1.26

require (
	github.com/coreos/go-iptables $version
	github.com/goipt/goipt v0.0.0
)

replace github.com/goipt/goipt => $root
EOF
{ cat "$root/go.sum"; echo "github.com/coreos/go-iptables $version $(field Sum)"; \
  echo "github.com/coreos/go-iptables $version/go.mod $(field GoModSum)"; } > go.sum

mkdir -p apicheck reduce iptables ours theirs
cp "$compat/apicheck.go" apicheck/main.go
printf 'package main\n\nimport (\n\t_ "github.com/coreos/go-iptables/iptables"\n\t_ "github.com/goipt/goipt/pkg/goiptables"\n)\n' > apicheck/deps.go
cp "$compat/reduce.go" reduce/main.go
cp "$compat/shim.go" iptables/shim.go
for d in ours theirs; do
	cp "$root/pkg/goiptables/bench_body_test.go" "$compat/netns_test.go" $d/
done
sed -i 's|iptables "github.com/goipt/goipt/pkg/goiptables"|"github.com/coreos/go-iptables/iptables"|' theirs/bench_body_test.go
GOFLAGS=-mod=mod $GO mod tidy >/dev/null 2>&1 || GOFLAGS=-mod=mod $GO mod tidy

status=0
innetns() { unshare -n env XTABLES_LOCKFILE="$tmp/xtables.lock" GOIPT_COMPAT_HOST_NETNS="$(readlink /proc/self/ns/net)" "$@"; }
needroot() { [ "$(id -u)" = 0 ] || { echo "$1: needs root (unshare -n)" >&2; exit 2; }; }

for part in "${parts[@]}"; do
	case $part in
	api)
		echo "==> api: go-iptables $version vs pkg/goiptables"
		$GO run ./apicheck github.com/coreos/go-iptables/iptables github.com/goipt/goipt/pkg/goiptables || status=1
		;;
	test)
		needroot test
		echo "==> test: go-iptables $version's iptables_test.go, reduced, against pkg/goiptables"
		$GO run ./reduce "$dir/iptables/iptables_test.go" iptables/iptables_test.go
		$GO test -c -o iptables.test ./iptables
		innetns ./iptables.test -test.v -test.count=1 2>&1 | grep -E '^(=== RUN|--- |    |ok|PASS|FAIL)' | grep -v '^=== RUN' || true
		innetns ./iptables.test -test.count=1 >/dev/null 2>&1 || { echo "FAIL"; status=1; }
		;;
	bench)
		needroot bench
		echo "==> bench: the same benchmarks against pkg/goiptables (in-process) and go-iptables (exec of iptables-legacy)"
		$GO test -c -o ours.test ./ours
		$GO test -c -o theirs.test ./theirs
		# Interleaved, one count of each at a time, so that both see the
		# same machine (these VMs are noisy); then each side's lines.
		for ((i = 1; i <= COUNT; i++)); do
			for b in ours theirs; do
				innetns ./$b.test -test.run '^$' -test.bench . -test.benchtime "$BENCHTIME" -test.count 1 | grep -E '^Benchmark' >> "$b.out" || status=1
			done
		done
		for b in ours theirs; do
			echo "--- $b"
			sort -s -k1,1 "$b.out"
		done
		;;
	*)
		echo "unknown part $part (api, test, bench)" >&2
		exit 2
		;;
	esac
done
exit $status
