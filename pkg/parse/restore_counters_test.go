// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import "testing"

// TestRuleCountersStrtok checks RuleCounters against what
// tokenize_rule_counters leaves in iptables-restore's buffer: strtok writes
// a NUL at the ':' that ends the packet count and at the ']' that ends the
// byte count, and the rule (from the first ']' of the line on) ends, as a C
// string, at the first of those NULs after it.
func TestRuleCountersStrtok(t *testing.T) {
	for _, tc := range []struct {
		line, p, b, rest, err string
	}{
		{line: "[1:2] -A INPUT -j ACCEPT\n", p: "1", b: "2", rest: " -A INPUT -j ACCEPT\n"},
		{line: "[::1:2] -A INPUT\n", p: "1", b: "2", rest: " -A INPUT\n"},
		{line: "[1:2]-A INPUT\n", p: "1", b: "2", rest: "-A INPUT\n"},
		// No ':' inside the brackets: the packet count runs to the first
		// ':' of the rule, which ends the rule there.
		{line: "[5] -A INPUT -p tcp --sport 1:2 -j DROP\n", p: "5] -A INPUT -p tcp --sport 1", b: "2 -j DROP\n", rest: " -A INPUT -p tcp --sport 1"},
		{line: "[53774] -A X -p tcp --sport 566:574 -m comment --comment a]b\n", p: "53774] -A X -p tcp --sport 566", b: "574 -m comment --comment a", rest: " -A X -p tcp --sport 566"},
		// The ']' closing the byte count comes after the first ']'.
		{line: "[1:] -A INPUT -m comment --comment x]y -j ACCEPT\n", p: "1", b: " -A INPUT -m comment --comment x", rest: " -A INPUT -m comment --comment x"},
		{line: "[1:] -A INPUT -j ACCEPT\n", p: "1", b: " -A INPUT -j ACCEPT\n", rest: " -A INPUT -j ACCEPT\n"},
		{line: "[1:2 -A INPUT -m comment --comment ] -j ACCEPT\n", p: "1", b: "2 -A INPUT -m comment --comment ", rest: " -j ACCEPT\n"},
		{line: "[1:2 -A INPUT -m comment --comment ]] -j ACCEPT\n", p: "1", b: "2 -A INPUT -m comment --comment ", rest: "] -j ACCEPT\n"},
		{line: "[5]\n", err: "Bad line 3: need ]"},
		{line: "[1:]\n", p: "1", b: "\n", rest: "\n"},
		{line: "[1:]]]\n", p: "1", b: "\n", rest: "]]\n"},
		{line: "[1:]]]", err: "Bad line 3: need ]"},
		{line: "[1:2\n", err: "Bad line 3: need ]"},
	} {
		p, b, rest, ok, err := RuleCounters(tc.line, 3)
		es := ""
		if err != nil {
			es = err.Error()
		}
		if es != tc.err || (err == nil && (p != tc.p || b != tc.b || rest != tc.rest || !ok)) {
			t.Errorf("RuleCounters(%q) = %q, %q, %q, %v, %q; want %q, %q, %q, %q", tc.line, p, b, rest, ok, es, tc.p, tc.b, tc.rest, tc.err)
		}
	}
}
