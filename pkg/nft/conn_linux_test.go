// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"errors"
	"strings"
	"syscall"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/nft/expr"
)

func accept(chain string) *Rule {
	return &Rule{Family: ext.IPv4, Table: "filter", Chain: chain, HasCompat: true,
		Exprs: []expr.Any{&expr.Counter{}, &expr.Verdict{Code: expr.VerdictAccept}}}
}

func jump(chain, to string) *Rule {
	return &Rule{Family: ext.IPv4, Table: "filter", Chain: chain, HasCompat: true,
		Exprs: []expr.Any{&expr.Counter{}, &expr.Verdict{Code: expr.VerdictJump, Chain: to}}}
}

func commit(t *testing.T, c *Conn, fill func(b *Batch)) error {
	t.Helper()
	g, err := c.GenID()
	if err != nil {
		t.Fatal(err)
	}
	b := NewBatch(ext.IPv4, g)
	fill(b)
	return c.Commit(b)
}

func saveOf(t *testing.T) string {
	out, err := sh("iptables-nft", "-S")
	if err != nil {
		t.Fatalf("iptables-nft -S: %v %s", err, out)
	}
	return out
}

// TestSystemOperations writes with every batch operation and reads back
// with the dumps, checked against iptables-nft -S.
func TestSystemOperations(t *testing.T) {
	netnstest.Run(t, func() {
		c, err := Open()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		err = commit(t, c, func(b *Batch) {
			b.AddTable(&Table{Name: "filter", Family: ext.IPv4})
			for _, bc := range BuiltinTableOf("filter").Chains {
				b.AddChain(OpChainAdd, bc.Chain(ext.IPv4, "filter"), 0)
			}
			b.AddChain(OpChainUserAdd, &Chain{Name: "A", Table: "filter", Family: ext.IPv4}, 0)
			b.AddRule(OpRuleAppend, jump("INPUT", "A"), 0)
			b.AddRule(OpRuleAppend, accept("A"), 0)
			b.AddRule(OpRuleAppend, accept("A"), 0)
		})
		if err != nil {
			t.Fatal(err)
		}
		ts, err := c.Tables(ext.IPv4)
		if err != nil || len(ts) != 1 || ts[0].Name != "filter" || ts[0].Use != 4 {
			t.Fatalf("tables %+v %v", ts, err)
		}
		cs, err := c.Chains(ext.IPv4, "filter")
		if err != nil || len(cs) != 4 {
			t.Fatalf("chains %d %v", len(cs), err)
		}
		for _, ch := range cs {
			if !BaseChainCompatible(ch) || (ch.Name == "A") == ch.Hooked {
				t.Errorf("chain %+v", ch)
			}
			if ch.Name == "A" && ch.Use != 3 { // a jump and two rules
				t.Errorf("chain A has %d references", ch.Use)
			}
		}
		rs, err := c.Rules(ext.IPv4, "filter", "A")
		if err != nil || len(rs) != 2 {
			t.Fatalf("rules %d %v", len(rs), err)
		}
		// Insert before the second, replace the first, delete the last.
		err = commit(t, c, func(b *Batch) {
			ins := jump("A", "A")
			ins.Exprs[1] = &expr.Verdict{Code: expr.VerdictDrop}
			ins.Position = rs[1].Handle
			b.AddRule(OpRuleInsert, ins, 0)
			rep := accept("A")
			rep.Exprs[1] = &expr.Verdict{Code: expr.VerdictReturn}
			rep.Handle = rs[0].Handle
			b.AddRule(OpRuleReplace, rep, 0)
			b.AddRule(OpRuleDelete, &Rule{Family: ext.IPv4, Table: "filter", Chain: "A", Handle: rs[1].Handle}, 0)
		})
		if err != nil {
			t.Fatal(err)
		}
		want := "-A INPUT -j A\n-A A -j RETURN\n-A A -j DROP\n"
		if got := saveOf(t); !strings.HasSuffix(got, want) {
			t.Errorf("after insert, replace, delete:\n%s", got)
		}
		all, err := c.Rules(ext.IPv4, "", "")
		if err != nil || len(all) != 3 {
			t.Errorf("all rules: %d %v", len(all), err)
		}
		// Flush A, rename it, set a policy with counters.
		err = commit(t, c, func(b *Batch) {
			b.AddRule(OpRuleFlush, &Rule{Family: ext.IPv4, Table: "filter", Chain: "A"}, 0)
			b.AddRule(OpRuleFlush, &Rule{Family: ext.IPv4, Table: "filter", Chain: "INPUT"}, 0)
			b.AddChain(OpChainRename, &Chain{Name: "A", NewName: "B", Table: "filter", Family: ext.IPv4, Handle: handleOf(cs, "A")}, 0)
			p := BuiltinChainOf("filter", "FORWARD").Chain(ext.IPv4, "filter")
			p.Policy, p.HasCounters, p.Packets, p.Bytes = PolicyDrop, true, 5, 6
			b.AddChain(OpChainUpdate, p, 0)
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := saveOf(t); !strings.Contains(got, "-P FORWARD DROP\n") || !strings.Contains(got, "-N B\n") || strings.Contains(got, "-A ") {
			t.Errorf("after flush, rename, policy:\n%s", got)
		}
		err = commit(t, c, func(b *Batch) {
			b.AddChain(OpChainDel, &Chain{Name: "B", Table: "filter", Family: ext.IPv4}, 0)
			b.FlushTable(&Table{Name: "filter", Family: ext.IPv4})
		})
		if ts, _ := c.Tables(ext.IPv4); err != nil || len(ts) != 0 {
			t.Errorf("after delete: %v, %d tables", err, len(ts))
		}
	})
}

func handleOf(cs []*Chain, name string) uint64 {
	for _, c := range cs {
		if c.Name == name {
			return c.Handle
		}
	}
	return 0
}

// TestSystemBatchErrors: the kernel's errors reach the operations that
// caused them; a stale generation is ErrGenChanged.
func TestSystemBatchErrors(t *testing.T) {
	netnstest.Run(t, func() {
		c, err := Open()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		err = commit(t, c, func(b *Batch) {
			b.AddTable(&Table{Name: "filter", Family: ext.IPv4})
			b.AddChain(OpChainAdd, BuiltinChainOf("filter", "INPUT").Chain(ext.IPv4, "filter"), 0)
			b.AddRule(OpRuleAppend, accept("INPUT"), 7)
			b.AddRule(OpRuleAppend, jump("INPUT", "NOPE"), 8)
			b.AddRule(OpRuleAppend, accept("NOPE2"), 9)
		})
		var be *BatchError
		if !errors.As(err, &be) || len(be.Errors) != 2 {
			t.Fatalf("error %v", err)
		}
		e0, e1 := be.Errors[0], be.Errors[1]
		if e0.Op.Line != 8 || e0.Op.Seq != 5 || e0.Errno != syscall.ENOENT || e1.Op.Line != 9 || e1.Op.Object != "NOPE2" {
			t.Errorf("errors %+v %+v", e0, e1)
		}
		want := "line 8: RULE_APPEND failed (No such file or directory): rule in chain INPUT\n" +
			"line 9: RULE_APPEND failed (No such file or directory): rule in chain NOPE2"
		if be.Error() != want {
			t.Errorf("message %q", be.Error())
		}
		if ts, _ := c.Tables(ext.IPv4); len(ts) != 0 {
			t.Errorf("a failed batch left %d tables", len(ts))
		}
		g, _ := c.GenID()
		if out, err := sh("nft", "add", "table", "ip", "other"); err != nil {
			t.Fatal(err, out)
		}
		b := NewBatch(ext.IPv4, g)
		b.AddTable(&Table{Name: "filter", Family: ext.IPv4})
		if err := c.Commit(b); !errors.Is(err, ErrGenChanged) {
			t.Errorf("stale generation: %v", err)
		}
	})
}

func TestSystemCompatRevision(t *testing.T) {
	netnstest.Run(t, func() {
		c, err := Open()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		for _, q := range []struct {
			name   string
			rev    uint8
			target bool
			ok     bool
		}{{"conntrack", 3, false, true}, {"conntrack", 9, false, false}, {"MARK", 2, true, true}, {"MARK", 7, true, false}} {
			ok, _, err := c.CompatRevision(ext.IPv4, q.name, q.rev, q.target)
			if err != nil || ok != q.ok {
				t.Errorf("%s rev %d: %v %v", q.name, q.rev, ok, err)
			}
		}
	})
}
