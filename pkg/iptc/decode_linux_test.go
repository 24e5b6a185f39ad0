// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"fmt"
	"testing"

	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
)

// Extensions without a plugin decode to their names and blobs.
func TestDecodeUnknownExtensions(t *testing.T) {
	r := NewRule()
	r.CreateMatch("comment").Set("comment", "x")
	r.CreateTarget("LOG")
	entry, _, err := Encode(IPv4, r)
	if err != nil {
		t.Fatal(err)
	}
	// Rename the match and the target to names no plugin has.
	hdr := ext.EntrySize(IPv4)
	copy(entry[hdr+2:], "nosuchmatch\x00")
	h := ext.DecodeHeader(IPv4, entry)
	copy(entry[h.TargetOffset+2:], "NOSUCHTARGET\x00")
	d, err := Decode(IPv4, entry, "NOSUCHTARGET")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Matches) != 1 || d.Matches[0].Name != "nosuchmatch" || d.Matches[0].Params != nil || len(d.Matches[0].Raw) == 0 {
		t.Errorf("match %#v", d.Matches[0])
	}
	if d.Target == nil || d.Target.Name != "NOSUCHTARGET" || d.Target.Params != nil || len(d.Target.Raw) == 0 {
		t.Errorf("target %#v", d.Target)
	}
}

// TestDecodeUnknownAmongKnown: rules decoded together (their extensions
// saved in one batch) decode as each alone, a rule whose extensions no
// plugin has among them.
func TestDecodeUnknownAmongKnown(t *testing.T) {
	good := func(comment string) []byte {
		r := NewRule()
		r.Protocol = "tcp"
		r.CreateMatch("tcp").Set("dport", "22")
		r.CreateMatch("comment").Set("comment", comment)
		r.CreateTarget("LOG").Set("log-prefix", comment)
		entry, _, err := Encode(IPv4, r)
		if err != nil {
			t.Fatal(err)
		}
		return entry
	}
	bad := good("bad")
	hdr := ext.EntrySize(IPv4)
	copy(bad[hdr+2:], "nosuchmatch\x00")
	h := ext.DecodeHeader(IPv4, bad)
	copy(bad[h.TargetOffset+2:], "NOSUCHTARGET\x00")
	raws := []backend.Rule{{Entry: good("one"), Target: "LOG"}, {Entry: bad, Target: "NOSUCHTARGET"}, {Entry: good("three"), Target: "LOG"}, {Entry: bad, Target: "NOSUCHTARGET"}}
	rules, err := decodeRules(IPv4, raws, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, raw := range raws {
		alone, err := Decode(IPv4, raw.Entry, raw.Target)
		if err != nil {
			t.Fatal(err)
		}
		describe := func(r *Rule) string {
			s := fmt.Sprintf("%+v", *r.Target)
			for _, m := range r.Matches {
				s += fmt.Sprintf(" %+v", *m)
			}
			return s
		}
		if got, want := describe(rules[i]), describe(alone); got != want {
			t.Errorf("rule %d: together %s\nalone %s", i, got, want)
		}
	}
	if s := rules[2].Spec(); s != `-p tcp -m tcp --dport 22 -m comment --comment three -j LOG --log-prefix three` {
		t.Errorf("rule 2: %s", s)
	}
	if m := rules[1].Matches; m[0].Name != "nosuchmatch" || m[0].Params != nil || m[1].Name != "comment" || m[1].Params == nil {
		t.Errorf("rule 1: %+v %+v", *m[0], *m[1])
	}
}
