// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"bytes"
	"strings"
	"testing"

	"github.com/goipt/goipt/pkg/ext"
)

// Golden translations, from iptables-nft 1.8.9 and nft --debug=netlink.
var golden = []struct {
	fam  ext.Family
	args string
	want string
}{
	{ext.IPv4, "-A INPUT -s 10.0.0.0/8 -i eth+ -p tcp --dport 22 -m conntrack --ctstate NEW -m comment --comment hi -j ACCEPT", `
  [ meta load iifname => reg 1 ]
  [ cmp eq reg 1 0x00687465 ]
  [ meta load l4proto => reg 1 ]
  [ cmp eq reg 1 0x00000006 ]
  [ payload load 1b @ network header + 12 => reg 1 ]
  [ cmp eq reg 1 0x0000000a ]
  [ payload load 2b @ transport header + 2 => reg 1 ]
  [ cmp eq reg 1 0x00001600 ]
  [ match name conntrack rev 3 ]
  [ match name comment rev 0 ]
  [ counter pkts 0 bytes 0 ]
  [ immediate reg 0 accept ]
`},
	{ext.IPv4, "-A INPUT -p udp -m udp --sport 1:1000 ! --dport 53 -g UC", `
  [ meta load l4proto => reg 1 ]
  [ cmp eq reg 1 0x00000011 ]
  [ payload load 2b @ transport header + 0 => reg 1 ]
  [ range eq reg 1 0x00000100 0x0000e803 ]
  [ payload load 2b @ transport header + 2 => reg 1 ]
  [ cmp neq reg 1 0x00003500 ]
  [ counter pkts 0 bytes 0 ]
  [ immediate reg 0 goto -> UC ]
`},
	{ext.IPv4, "-A INPUT -f -m mark --mark 0x1/0xff -m limit --limit 3/hour", `
  [ payload load 2b @ network header + 6 => reg 1 ]
  [ bitwise reg 1 = ( reg 1 & 0x0000ff1f ) ^ 0x00000000 ]
  [ cmp neq reg 1 0x00000000 ]
  [ meta load mark => reg 1 ]
  [ bitwise reg 1 = ( reg 1 & 0x000000ff ) ^ 0x00000000 ]
  [ cmp eq reg 1 0x00000001 ]
  [ limit rate 3/3600 burst 5 type 0 flags 0x0 ]
  [ counter pkts 0 bytes 0 ]
`},
	{ext.IPv4, "-A INPUT -p tcp --tcp-flags SYN,ACK SYN -j NFLOG --nflog-prefix foo", `
  [ meta load l4proto => reg 1 ]
  [ cmp eq reg 1 0x00000006 ]
  [ payload load 1b @ transport header + 13 => reg 1 ]
  [ bitwise reg 1 = ( reg 1 & 0x00000012 ) ^ 0x00000000 ]
  [ cmp eq reg 1 0x00000002 ]
  [ counter pkts 0 bytes 0 ]
  [ log prefix "foo" group 0 ]
`},
	{ext.IPv4, "-t raw -A PREROUTING -j TRACE", `
  [ counter pkts 0 bytes 0 ]
  [ immediate reg 9 0x00000001 ]
  [ meta set nftrace with reg 9 ]
`},
}

// buildOne builds the entries of one command line.
func buildOne(t *testing.T, fam ext.Family, args string) []built {
	efam, prog := ext.IPv4, "iptables"
	if fam == ext.IPv6 {
		efam, prog = ext.IPv6, "ip6tables"
	}
	argv, _ := splitArgs(args)
	var bs []built
	err := ext.Run(efam, prog, func(x *ext.Xtables) error {
		var err error
		bs, err = buildEntries(x, efam, argv, map[string]bool{userChain: true})
		return err
	})
	if err != nil {
		t.Fatalf("%s: %v", args, err)
	}
	return bs
}

func TestGolden(t *testing.T) {
	for _, g := range golden {
		b := buildOne(t, g.fam, g.args)[0]
		r, err := ToRule(&Entry{Family: g.fam, Table: b.Table, Chain: b.Chain, Bytes: b.Entry, TargetIsChain: b.IsChain})
		if err != nil {
			t.Fatal(err)
		}
		if got := debugText(r.Exprs); got != strings.TrimPrefix(g.want, "\n") {
			t.Errorf("%s:\n%s\nwant\n%s", g.args, got, g.want)
		}
	}
}

// TestRoundTrip translates the corpus entry -> rule, through libnftnl's
// messages and back (no kernel), -> entry, which must equal the entry as
// iptables-nft reads it back (normalise).
func TestRoundTrip(t *testing.T) {
	rules := loadCorpus(t)
	builtRules := buildCorpus(t, rules)
	n, norm := 0, map[string]int{}
	for i, r := range rules {
		for _, b := range builtRules[i] {
			e := &Entry{Family: r.Fam, Table: r.Table, Chain: r.Chain, Bytes: b.Entry, TargetIsChain: b.IsChain,
				LogPrefix: argAfter(r.Args, "--nflog-prefix")}
			rule, err := ToRule(e)
			if err != nil {
				continue // iptables-nft refuses it too (e.g. -m tcp without -p tcp)
			}
			back := recordRule(t, rule)
			got, err := ToEntry(back)
			if err != nil {
				t.Errorf("%s: %v", r.Src, err)
				continue
			}
			want := normalise(r.Fam, b.Entry, argAfter(r.Args, "--nflog-prefix"), false, norm)
			if !bytes.Equal(got.Bytes, want) || got.TargetIsChain != b.IsChain {
				t.Errorf("%s %v:\n got %s\nwant %s", r.Src, r.Args, describe(r.Fam, got.Bytes), describe(r.Fam, want))
			}
			n++
		}
	}
	t.Logf("%d entries round trip; normalised: %v", n, norm)
}

// recordRule is the recorder: the rule's NEWRULE message as a batch
// sends it, parsed back by libnftnl.
func recordRule(t *testing.T, r *Rule) *Rule {
	b := NewBatch(r.Family, 7)
	b.AddRule(OpRuleAppend, r, 0)
	msgs, err := b.Messages(nil)
	if err != nil {
		t.Fatal(err)
	}
	rules := parseRules(t, msgs)
	if len(rules) != 1 {
		t.Fatalf("%d rules in the batch", len(rules))
	}
	return rules[0]
}
