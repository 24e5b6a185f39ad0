// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/pkg/ext"
)

// TestSystemOperationMessages compares, byte for byte after the netlink
// header, the message iptables-nft -vvv sends for each kind of command
// with the one this package builds from the same dumped state.
func TestSystemOperationMessages(t *testing.T) {
	setup := []string{"-N A", "-N B", "-A INPUT -j A", "-A A -j ACCEPT", "-A A -s 10.0.0.1 -j DROP"}
	cases := []struct {
		cmd  string
		typ  uint16
		fill func(t *testing.T, b *Batch, s *state)
	}{
		{"-D A 1", msgDelRule, func(t *testing.T, b *Batch, s *state) {
			b.AddRule(OpRuleDelete, s.rules["A"][0], 0)
		}},
		{"-D A -s 10.0.0.1 -j DROP", msgDelRule, func(t *testing.T, b *Batch, s *state) {
			b.AddRule(OpRuleDelete, s.rules["A"][1], 0)
		}},
		{"-I A 2 -p tcp --dport 22 -j RETURN", msgNewRule, func(t *testing.T, b *Batch, s *state) {
			r := s.rule(t, "-A A -p tcp --dport 22 -j RETURN")
			r.Position = s.rules["A"][1].Handle
			b.AddRule(OpRuleInsert, r, 0)
		}},
		{"-I A -j RETURN", msgNewRule, func(t *testing.T, b *Batch, s *state) {
			b.AddRule(OpRuleInsert, s.rule(t, "-A A -j RETURN"), 0)
		}},
		{"-R A 1 -j RETURN", msgNewRule, func(t *testing.T, b *Batch, s *state) {
			r := s.rule(t, "-A A -j RETURN")
			r.Handle = s.rules["A"][0].Handle
			b.AddRule(OpRuleReplace, r, 0)
		}},
		{"-F A", msgDelRule, func(t *testing.T, b *Batch, s *state) {
			b.AddRule(OpRuleFlush, &Rule{Family: ext.IPv4, Table: "filter", Chain: "A"}, 0)
		}},
		{"-X B", msgDelChain, func(t *testing.T, b *Batch, s *state) {
			c := *s.chains["B"]
			c.Handle = 0
			b.AddChain(OpChainDel, &c, 0)
		}},
		{"-E B C", msgNewChain, func(t *testing.T, b *Batch, s *state) {
			b.AddChain(OpChainRename, &Chain{Name: "B", NewName: "C", Table: "filter", Family: ext.IPv4, Handle: s.chains["B"].Handle}, 0)
		}},
		{"-P FORWARD DROP", msgNewChain, func(t *testing.T, b *Batch, s *state) {
			// The builtin chain is created first (nft_xt_builtin_init).
			b.AddChain(OpChainAdd, BuiltinChainOf("filter", "FORWARD").Chain(ext.IPv4, "filter"), 0)
			c := BuiltinChainOf("filter", "FORWARD").Chain(ext.IPv4, "filter")
			c.Policy, c.HasCounters = PolicyDrop, true
			b.AddChain(OpChainUpdate, c, 0)
		}},
		{"-t mangle -N M", msgNewTable, func(t *testing.T, b *Batch, s *state) {
			b.AddTable(&Table{Name: "mangle", Family: ext.IPv4})
		}},
		{"-t mangle -A POSTROUTING -j ACCEPT", msgNewChain, func(t *testing.T, b *Batch, s *state) {
			b.AddChain(OpChainAdd, BuiltinChainOf("mangle", "POSTROUTING").Chain(ext.IPv4, "mangle"), 0)
		}},
		{"-N D", msgNewChain, func(t *testing.T, b *Batch, s *state) {
			b.AddChain(OpChainUserAdd, &Chain{Name: "D", Table: "filter", Family: ext.IPv4}, 0)
		}},
	}
	netnstest.Run(t, func() {
		c, err := Open()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		for _, tc := range cases {
			sh("nft", "flush", "ruleset")
			for _, s := range setup {
				if out, err := sh("iptables-nft", strings.Fields(s)...); err != nil {
					t.Fatalf("%s: %v %s", s, err, out)
				}
			}
			s := dumpState(t, c)
			printed, err := sh("iptables-nft", append([]string{"-vvv"}, strings.Fields(tc.cmd)...)...)
			if err != nil {
				t.Fatalf("%s: %v %s", tc.cmd, err, printed)
			}
			var ref [][]byte
			for _, m := range parsePrinted(printed) {
				if m.typ == 10<<8|tc.typ {
					ref = append(ref, m.payload)
				}
			}
			b := NewBatch(ext.IPv4, 0)
			tc.fill(t, b, s)
			msgs, err := b.Messages(nil)
			if err != nil {
				t.Fatal(err)
			}
			var mine [][]byte
			for _, m := range splitMsgs(msgs) {
				if m.typ == 10<<8|tc.typ {
					mine = append(mine, append([]byte{m.family, 0, byte(m.resID >> 8), byte(m.resID)}, m.payload...))
				}
			}
			if len(ref) == 0 || !slices.EqualFunc(ref, mine, bytes.Equal) {
				t.Errorf("%s:\n ipt   %x\n goipt %x", tc.cmd, ref, mine)
			}
		}
	})
}

// state is a dumped filter table.
type state struct {
	chains map[string]*Chain
	rules  map[string][]*Rule
}

func dumpState(t *testing.T, c *Conn) *state {
	s := &state{chains: map[string]*Chain{}, rules: map[string][]*Rule{}}
	cs, err := c.Chains(ext.IPv4, "filter")
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range cs {
		s.chains[ch.Name] = ch
		if s.rules[ch.Name], err = c.Rules(ext.IPv4, "filter", ch.Name); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// rule translates the rule of an append command line.
func (s *state) rule(t *testing.T, args string) *Rule {
	argv, _ := splitArgs(args)
	var r *Rule
	err := ext.Run(ext.IPv4, "iptables", func(x *ext.Xtables) error {
		bs, err := buildEntries(x, ext.IPv4, argv, map[string]bool{"A": true, "B": true})
		if err != nil {
			return err
		}
		r, err = ToRule(&Entry{Family: ext.IPv4, Table: "filter", Chain: bs[0].Chain,
			Bytes: append([]byte(nil), bs[0].Entry...), TargetIsChain: bs[0].IsChain})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}
