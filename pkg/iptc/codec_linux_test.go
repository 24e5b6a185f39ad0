// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"fmt"
	"strings"
	"testing"

	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
)

// roundTrip encodes r, decodes the entry and returns the decoded rule.
func roundTrip(t *testing.T, fam Family, r *Rule) *Rule {
	t.Helper()
	entry, mask, err := Encode(fam, r)
	if err != nil {
		t.Fatalf("Encode(%s): %v", r, err)
	}
	if len(entry) != len(mask) {
		t.Fatalf("entry %d bytes, mask %d", len(entry), len(mask))
	}
	d, err := Decode(fam, entry, "")
	if err != nil {
		t.Fatalf("Decode(%s): %v", r, err)
	}
	return d
}

func TestEncodeDecodeSpec(t *testing.T) {
	cases := []struct {
		fam  Family
		rule func() *Rule
		want string
	}{
		{IPv4, func() *Rule {
			r := NewRule()
			r.InInterface = "eth0"
			r.Src = "192.168.1.0/255.255.255.0"
			r.Protocol = "tcp"
			m := r.CreateMatch("tcp")
			m.Set("dport", "22")
			r.CreateTarget("ACCEPT")
			return r
		}, "-s 192.168.1.0/24 -i eth0 -p tcp -m tcp --dport 22 -j ACCEPT"},
		{IPv4, func() *Rule {
			r := NewRule()
			r.SetSrc("!10.0.0.0/8")
			r.SetOutInterface("!ppp+")
			r.Protocol = "udp"
			r.Fragment, r.InvFragment = true, true
			r.CreateMatch("udp").Set("sport", "!1000:2000")
			r.CreateMatch("comment").Set("comment", "a b \"c\"")
			r.CreateTarget("LOG").Set("log_prefix", "hello world ")
			return r
		}, `! -s 10.0.0.0/8 ! -o ppp+ -p udp ! -f -m udp ! --sport 1000:2000 -m comment --comment "a b \"c\"" -j LOG --log-prefix "hello world "`},
		{IPv4, func() *Rule {
			r := NewRule()
			r.Protocol = "tcp"
			r.CreateMatch("tcp").Set("tcp-flags", "SYN,ACK", "SYN")
			r.CreateMatch("iprange").Set("src_range", "192.168.1.100-192.168.1.200")
			r.Target = NewGoto("mychain")
			return r
		}, "-p tcp -m tcp --tcp-flags SYN,ACK SYN -m iprange --src-range 192.168.1.100-192.168.1.200 -g mychain"},
		{IPv6, func() *Rule {
			r := NewRule()
			r.Src = "2001:db8::1/64"
			r.Protocol = "ipv6-icmp"
			r.CreateMatch("icmp6").Set("icmpv6-type", "echo-request")
			r.CreateTarget("DROP")
			return r
		}, "-s 2001:db8::/64 -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j DROP"},
		{IPv4, func() *Rule {
			r := NewRule()
			r.CreateMatch("state").Set("state", "ESTABLISHED,RELATED")
			r.CreateMatch("mark").Set("mark", "0xff")
			r.CreateTarget("MARK").Set("set_mark", "0xffff")
			return r
		}, "-m state --state RELATED,ESTABLISHED -m mark --mark 0xff -j MARK --set-xmark 0xffff/0xffffffff"},
		{IPv4, func() *Rule { return NewRule() }, ""},
	}
	for _, c := range cases {
		r := c.rule()
		d := roundTrip(t, c.fam, r)
		t.Logf("%s", d.Spec())
		if got := d.Spec(); got != c.want {
			t.Errorf("%v: got\n  %s\nwant\n  %s", c.fam, got, c.want)
		}
		// The decoded rule builds the same entry again.
		d2 := roundTrip(t, c.fam, d)
		if d2.Spec() != d.Spec() {
			t.Errorf("second round trip: %s != %s", d2.Spec(), d.Spec())
		}
	}
}

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

func TestEncodeErrors(t *testing.T) {
	cases := []struct {
		rule func() *Rule
		msg  string
	}{
		{func() *Rule { r := NewRule(); r.CreateMatch("nosuchmatch"); return r }, "Couldn't load match `nosuchmatch'"},
		{func() *Rule { r := NewRule(); r.Protocol = "tcp"; r.CreateMatch("tcp").Set("nope", "1"); return r }, `unknown option "--nope"`},
		{func() *Rule { r := NewRule(); r.Protocol = "tcp"; r.CreateMatch("tcp").Set("dport", "x-y"); return r }, "x-y"},
		{func() *Rule { r := NewRule(); r.InInterface = "abcdefghijklmnopq"; return r }, "interface name `abcdefghijklmnopq' must be shorter than 16 characters"},
		{func() *Rule { r := NewRule(); r.Protocol = "all"; r.InvProto = true; return r }, "rule would never match protocol"},
		{func() *Rule { r := NewRule(); r.Protocol = "nosuchproto"; return r }, "unknown protocol"},
		{func() *Rule { r := NewRule(); r.Target = NewGoto("ACCEPT"); return r }, "goto 'ACCEPT' is not a chain"},
		{func() *Rule { r := NewRule(); r.CreateTarget("ACCEPT").Set("x", "1"); return r }, `unknown option "--x"`},
		{func() *Rule { r := NewRule(); r.CreateTarget("MARK"); return r }, "MARK: One of the --set-xmark"},
	}
	for _, c := range cases {
		_, _, err := Encode(IPv4, c.rule())
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got %v, want %q", c.rule(), err, c.msg)
		} else if ext.Status(err) != ext.ParameterProblem {
			t.Errorf("%v: status %d", err, ext.Status(err))
		}
	}
	if _, _, err := Encode(IPv6, &Rule{Fragment: true}); err == nil {
		t.Error("IPv6 fragment accepted")
	}
}

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
