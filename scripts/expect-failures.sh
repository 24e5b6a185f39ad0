#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# expect-failures.sh LIST COMMAND...: runs a conformance runner that prints
# "FAIL  PATH: ..." per failed case and ends with "N passed, N failed", and
# counts the failures of the cases LIST names (one path suffix a line, then
# "# reason") as expected. Its last line: "N passed, N failed (N expected
# failures, N unexpected passes)"; the exit status is 1 when a failure was
# not expected.
set -uo pipefail
list=$1; shift
mapfile -t expected < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$list" | grep -v '^$')
out=$("$@" 2>&1); echo "$out" | sed '$d'
last=$(echo "$out" | tail -n 1)
[[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]] || { echo "$last"; echo "expect-failures.sh: no summary line" >&2; exit 1; }
passed=${BASH_REMATCH[1]}; failed=0; xfail=0
declare -A failing=()
while read -r path; do
	failing[$path]=1
	hit=
	for e in "${expected[@]}"; do [[ $path == *"$e" ]] && hit=1; done
	if [ -n "$hit" ]; then xfail=$((xfail+1)); else failed=$((failed+1)); echo "unexpected failure: $path"; fi
done < <(echo "$out" | sed -n 's/^FAIL  \([^:]*\):.*/\1/p')
xpass=0
for e in "${expected[@]}"; do
	hit=
	for p in "${!failing[@]}"; do [[ $p == *"$e" ]] && hit=1; done
	[ -z "$hit" ] && { xpass=$((xpass+1)); echo "unexpected pass: $e"; }
done
echo "$passed passed, $failed failed ($xfail expected failures, $xpass unexpected passes)"
[ "$failed" = 0 ]
