// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"strings"
	"testing"

	"github.com/goipt/goipt/pkg/parse"
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
		} else if parse.Status(err) != parse.ParameterProblem {
			t.Errorf("%v: status %d", err, parse.Status(err))
		}
	}
	if _, _, err := Encode(IPv6, &Rule{Fragment: true}); err == nil {
		t.Error("IPv6 fragment accepted")
	}
}

// A flag option is set whatever its value, as python-iptables sets it.
func TestEncodeFlagValues(t *testing.T) {
	for _, c := range []struct {
		ext, opt, want string
		target         bool
	}{
		{"tcp", "syn", "-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN", false},
		{"MASQUERADE", "random", "-p tcp -j MASQUERADE --random", true},
		{"CT", "notrack", "-p tcp -j CT --notrack", true},
	} {
		for _, v := range []string{"", "1", "true", "yes"} {
			r := NewRule()
			r.Protocol = "tcp"
			if c.target {
				r.CreateTarget(c.ext).Set(c.opt, v)
			} else {
				r.CreateMatch(c.ext).Set(c.opt, v)
			}
			if got := roundTrip(t, IPv4, r).Spec(); got != c.want {
				t.Errorf("%s --%s %q: %s, want %s", c.ext, c.opt, v, got, c.want)
			}
		}
	}
	r := NewRule()
	r.Protocol = "tcp"
	r.CreateMatch("tcp").Set("syn", "!1")
	if got := roundTrip(t, IPv4, r).Spec(); got != "-p tcp -m tcp ! --tcp-flags FIN,SYN,RST,ACK SYN" {
		t.Errorf("! --syn: %s", got)
	}
}

// Reset leaves a match or target with the extension's defaults, as
// python-iptables' reset() does.
func TestReset(t *testing.T) {
	r := NewRule()
	r.Protocol = "tcp"
	r.CreateMatch("tcp").Set("dport", "22")
	r.CreateTarget("LOG").Set("log-prefix", "x")
	d := roundTrip(t, IPv4, r)
	m, tg := d.Matches[0], d.Target
	if m.Raw == nil || tg.Raw == nil {
		t.Fatal("decoded rule without blobs")
	}
	m.Reset()
	tg.Reset()
	if m.Params != nil || m.Raw != nil || tg.Params != nil || tg.Raw != nil || m.Name != "tcp" || tg.Name != "LOG" {
		t.Errorf("after Reset: %+v %+v", *m, *tg)
	}
	if got := roundTrip(t, IPv4, d).Spec(); got != "-p tcp -m tcp -j LOG" {
		t.Errorf("reset rule: %s", got)
	}
	g := NewGoto("chain")
	g.Reset()
	if !g.Goto || g.Name != "chain" {
		t.Errorf("Reset changed the goto: %+v", *g)
	}
}
