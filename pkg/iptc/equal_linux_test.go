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

func TestEqualMatchesAndTargets(t *testing.T) {
	match := func(name string, opts ...string) *Match {
		m := NewMatch(name)
		for i := 0; i+1 < len(opts); i += 2 {
			m.Set(opts[i], opts[i+1])
		}
		return m
	}
	for _, c := range []struct {
		proto string
		a, b  *Match
		equal bool
	}{
		{"tcp", match("tcp", "dport", "22"), match("tcp", "dport", "ssh"), true},
		{"tcp", match("tcp", "dport", "22"), match("tcp", "dport", "23"), false},
		{"tcp", match("tcp", "dport", "22"), match("tcp", "dport", "!22"), false},
		{"", match("iprange", "src_range", "10.0.0.1-10.0.0.9", "dst_range", "10.1.0.1"),
			match("iprange", "dst-range", "10.1.0.1-10.1.0.1", "src-range", "10.0.0.1-10.0.0.9"), true},
		{"", match("comment", "comment", "a"), match("comment", "comment", "b"), false},
		{"", match("mark", "mark", "0xff"), match("mark", "mark", "255/0xffffffff"), true},
		{"udp", match("multiport", "dports", "53,80"), match("multiport", "dports", "53,80"), true},
		{"", match("state", "state", "NEW"), match("conntrack", "ctstate", "NEW"), false},
	} {
		got, err := EqualMatches(IPv4, c.proto, c.a, c.b)
		if err != nil || got != c.equal {
			t.Errorf("EqualMatches(%v, %v) = %v, %v; want %v", c.a.Params, c.b.Params, got, err, c.equal)
		}
	}
	if _, err := EqualMatches(IPv4, "", match("multiport", "dports", "53"), match("multiport", "dports", "53")); err == nil {
		t.Error("multiport ports without a protocol built")
	}
	target := func(name string, opts ...string) *Target {
		return &Target{Name: name, Params: match("", opts...).Params}
	}
	for _, c := range []struct {
		a, b  *Target
		equal bool
	}{
		{target("ACCEPT"), target("ACCEPT"), true},
		{target("ACCEPT"), target("DROP"), false},
		{target("MARK", "set_mark", "0xff"), target("MARK", "set-xmark", "0xff/0xffffffff"), true},
		{target("MARK", "set_mark", "0xff"), target("MARK", "set_mark", "0xfe"), false},
		{target("LOG", "log-prefix", "x"), target("LOG", "log-prefix", "y"), false},
		{target("mychain"), target("mychain"), true},
		{target("mychain"), NewGoto("mychain"), false},
		{target("mychain"), target("other"), false},
	} {
		got, err := EqualTargets(IPv6, "tcp", c.a, c.b)
		if err != nil || got != c.equal {
			t.Errorf("EqualTargets(%s %v, %s %v) = %v, %v; want %v", c.a.Name, c.a.Params, c.b.Name, c.b.Params, got, err, c.equal)
		}
	}
	if _, err := EqualTargets(IPv4, "", nil, target("ACCEPT")); err == nil {
		t.Error("nil target compared")
	}
}
