// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import "testing"

func TestEqualRules(t *testing.T) {
	mk := func(dport, comment string, cnt uint64) *Rule {
		r := NewRule()
		r.Protocol = "tcp"
		r.CreateMatch("tcp").Set("dport", dport)
		if comment != "" {
			r.CreateMatch("comment").Set("comment", comment)
		}
		r.CreateTarget("ACCEPT")
		r.Counters = Counters{cnt, cnt}
		return r
	}
	eq := func(a, b *Rule) bool {
		ok, err := EqualRules(IPv4, a, b)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !eq(mk("22", "", 0), mk("22", "", 5)) {
		t.Error("counters should not matter")
	}
	if eq(mk("22", "", 0), mk("23", "", 0)) || eq(mk("22", "", 0), mk("22", "x", 0)) {
		t.Error("different rules equal")
	}
	if !eq(mk("ssh", "x", 0), mk("22", "x", 0)) {
		t.Error("ssh and 22 differ")
	}
	a, b := mk("22", "", 0), mk("22", "", 0)
	b.Target = NewTarget("DROP")
	if eq(a, b) {
		t.Error("ACCEPT == DROP")
	}
	a.Target, b.Target = NewTarget("chain1"), NewGoto("chain1")
	if eq(a, b) {
		t.Error("jump == goto")
	}
	b.Target.Goto = false
	if !eq(a, b) {
		t.Error("same jump differs")
	}
	a.InInterface, b.InInterface = "eth+", "eth0"
	if eq(a, b) {
		t.Error("eth+ == eth0")
	}
	// A decoded rule equals the rule it was built from.
	r := mk("22", "c", 0)
	if d := roundTrip(t, IPv4, r); !eq(r, d) {
		t.Errorf("decoded %s differs from %s", d, r)
	}
}
