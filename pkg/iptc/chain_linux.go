// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/goipt/goipt/pkg/backend"
)

// Chain is a chain of a Table, named. A Chain value is only a name: it may
// name a chain that does not exist (yet), and every call goes through the
// Table, with its transactions and locking.
//
// Rules are named by index, counting from 0 as in the slice Rules returns
// and in python-iptables' chain.rules[i] and chain.insert_rule(rule, i):
// index i is iptables' rule number i+1. An index outside the chain fails
// with a *RangeError that gives the valid range.
type Chain struct {
	t    *Table
	name string
}

// Name is the chain's name.
func (c *Chain) Name() string { return c.name }

// Table is the chain's table (python-iptables' chain.table).
func (c *Chain) Table() *Table { return c.t }

// IsBuiltin tells whether the chain is a built-in chain (INPUT, ...).
func (c *Chain) IsBuiltin() (bool, error) { return c.t.IsBuiltin(c.name) }

func (c *Chain) raw() (raws []backend.Rule, err error) {
	err = c.t.read(func(h backend.Table) error {
		if !h.IsChain(c.name) {
			return c.t.noChain(c.name)
		}
		raws, err = h.Rules(c.name)
		return err
	})
	return raws, err
}

// Rules returns the chain's rules, decoded, as the table holds them (with
// the changes of an open transaction).
func (c *Chain) Rules() ([]*Rule, error) {
	raws, err := c.raw()
	if err != nil {
		return nil, err
	}
	return decodeRules(c.t.fam, raws, true)
}

// Rule returns the rule at index (0 is the first, Rules()[index]).
func (c *Chain) Rule(index int) (*Rule, error) {
	raws, err := c.raw()
	if err != nil {
		return nil, err
	}
	if !inRange(index, len(raws), false) {
		return nil, &RangeError{Chain: c.name, Pos: index, Rules: len(raws)}
	}
	rs, err := decodeRules(c.t.fam, raws[index:index+1], false) // a copy: not the whole chain kept for one rule
	if err != nil {
		return nil, err
	}
	return rs[0], nil
}

// Len is the number of rules of the chain.
func (c *Chain) Len() (n int, err error) {
	err = c.t.read(func(h backend.Table) error {
		if !h.IsChain(c.name) {
			return c.t.noChain(c.name)
		}
		n = countRules(h, c.name)
		return nil
	})
	return n, err
}

func countRules(h backend.Table, chain string) int {
	n := 0
	h.EachRule(chain, func(backend.Rule) error { n++; return nil })
	return n
}

// atIndex runs call, a backend operation on the rule at index (or, with
// insert, before it), and reports a missing chain as ErrNoChain and an
// index outside the chain as a *RangeError.
func (c *Chain) atIndex(h backend.Table, index int, insert bool, call func() error) error {
	var err error
	if index >= 0 {
		if err = call(); err == nil {
			return nil
		}
	}
	if !h.IsChain(c.name) {
		return c.t.noChain(c.name)
	}
	if n := countRules(h, c.name); !inRange(index, n, insert) {
		return &RangeError{Chain: c.name, Pos: index, Rules: n, Insert: insert}
	}
	return chainErr(h, c.name, err)
}

// build encodes r against the transaction's handle (which tells the user
// chains apart from target extensions).
func (c *Chain) build(h backend.Table, r *Rule) (built, error) {
	bs, err := encodeRules(c.t.fam, []*Rule{r}, h.IsChain, c.t.name)
	if err != nil {
		return built{}, err
	}
	return bs[0], nil
}

func (c *Chain) ruleChange(desc string, r *Rule, apply func(h backend.Table, b built) error) error {
	name := c.name
	return c.t.change(desc+" "+name, func(h backend.Table) (func(backend.Table) error, error) {
		b, err := c.build(h, r)
		if err != nil {
			return nil, err
		}
		return func(h backend.Table) error { return chainErr(h, name, apply(h, b)) }, nil
	})
}

// chainErr adds ErrNoChain or ErrNoRule to a backend failure on chain.
func chainErr(h backend.Table, chain string, err error) error {
	if err == nil {
		return nil
	}
	if !h.IsChain(chain) {
		return tag(err, ErrNoChain)
	}
	var e *Error
	if errors.As(err, &e) && (e.Errno == syscall.ENOENT || e.Errno == syscall.E2BIG) {
		return tag(err, ErrNoRule)
	}
	return err
}

// AppendRule adds r at the end of the chain (iptables -A).
func (c *Chain) AppendRule(r *Rule) error {
	return c.ruleChange("append to", r, func(h backend.Table, b built) error {
		return h.Append(c.name, b.entry)
	})
}

// InsertRule puts r at index, before the rule there (iptables -I CHAIN
// index+1); 0 is first, Len() after the last. python-iptables'
// chain.insert_rule(rule, position) counts the same way.
func (c *Chain) InsertRule(r *Rule, index int) error {
	return c.ruleChange("insert into", r, func(h backend.Table, b built) error {
		return c.atIndex(h, index, true, func() error { return h.Insert(c.name, b.entry, index) })
	})
}

// ReplaceRule puts r in place of the rule at index (iptables -R CHAIN
// index+1).
func (c *Chain) ReplaceRule(r *Rule, index int) error {
	return c.ruleChange("replace in", r, func(h backend.Table, b built) error {
		return c.atIndex(h, index, false, func() error { return h.Replace(c.name, b.entry, index) })
	})
}

// DeleteRule deletes the first rule of the chain that equals r as iptables
// -D compares rules: the same header, the same matches and target with the
// same options (counters do not matter). It fails with ErrNoRule when none
// does.
func (c *Chain) DeleteRule(r *Rule) error {
	return c.ruleChange("delete from", r, func(h backend.Table, b built) error {
		return h.Delete(c.name, b.entry, b.mask)
	})
}

// DeleteRuleAt deletes the rule at index (iptables -D CHAIN index+1).
func (c *Chain) DeleteRuleAt(index int) error {
	return c.t.change(fmt.Sprintf("delete rule %d of %s", index, c.name), simple(func(h backend.Table) error {
		return c.atIndex(h, index, false, func() error { return h.DeleteNum(c.name, index) })
	}))
}

// HasRule tells whether a rule equal to r (as iptables -C compares rules)
// is in the chain.
func (c *Chain) HasRule(r *Rule) (ok bool, err error) {
	err = c.t.read(func(h backend.Table) error {
		if !h.IsChain(c.name) {
			return c.t.noChain(c.name)
		}
		b, err := c.build(h, r)
		if err != nil {
			return err
		}
		ok = h.Check(c.name, b.entry, b.mask) == nil
		return nil
	})
	return ok, err
}

// Flush deletes every rule of the chain (iptables -F CHAIN).
func (c *Chain) Flush() error { return c.t.FlushEntries(c.name) }

// Zero zeroes the counters of the chain's rules and policy (iptables -Z
// CHAIN), as python-iptables' chain.zero_counters.
func (c *Chain) Zero() error { return c.t.ZeroEntries(c.name) }

// Delete deletes the chain, which must be an empty, unreferenced user
// chain (iptables -X CHAIN).
func (c *Chain) Delete() error { return c.t.DeleteChain(c.name) }

// Rename renames the user chain (iptables -E) and returns the chain under
// its new name.
func (c *Chain) Rename(newName string) (*Chain, error) {
	if err := c.t.RenameChain(c.name, newName); err != nil {
		return nil, err
	}
	return c.t.Chain(newName), nil
}

// Policy returns a built-in chain's policy and its counters. A user chain
// has none: ErrNotBuiltin.
func (c *Chain) Policy() (policy string, cnt Counters, err error) {
	err = c.t.read(func(h backend.Table) error {
		if !h.IsChain(c.name) {
			return c.t.noChain(c.name)
		}
		pol, p, b, ok := h.Policy(c.name)
		if !ok {
			return tag(fmt.Errorf("iptc: chain %s has no policy", c.name), ErrNotBuiltin)
		}
		policy, cnt = pol, Counters{p, b}
		return nil
	})
	return policy, cnt, err
}

// SetPolicy sets a built-in chain's policy (ACCEPT or DROP), and its
// counters when cnt is not nil (iptables -P, with -c).
func (c *Chain) SetPolicy(policy string, cnt *Counters) error {
	name := c.name
	return c.t.change("set policy of "+name, simple(func(h backend.Table) error {
		var ctr *[2]uint64
		if cnt != nil {
			ctr = &[2]uint64{cnt.Packets, cnt.Bytes}
		}
		return h.SetPolicy(name, policy, ctr)
	}))
}

// References is the number of rules that jump to the chain.
func (c *Chain) References() (n int, err error) {
	err = c.t.read(func(h backend.Table) error {
		if !h.IsChain(c.name) {
			return c.t.noChain(c.name)
		}
		n, err = h.References(c.name)
		return err
	})
	return n, err
}

// RuleCounters returns the counters of the rule at index.
func (c *Chain) RuleCounters(index int) (cnt Counters, err error) {
	err = c.t.read(func(h backend.Table) error {
		return c.atIndex(h, index, false, func() error {
			p, b, err := h.ReadCounter(c.name, index+1) // the backend counts from 1 here
			cnt = Counters{p, b}
			return err
		})
	})
	return cnt, err
}

// SetRuleCounters sets the counters of the rule at index.
func (c *Chain) SetRuleCounters(index int, cnt Counters) error {
	return c.t.change(fmt.Sprintf("set counters of rule %d of %s", index, c.name), simple(func(h backend.Table) error {
		return c.atIndex(h, index, false, func() error { return h.SetCounter(c.name, index+1, cnt.Packets, cnt.Bytes) })
	}))
}

// ZeroRuleCounters zeroes the counters of the rule at index (iptables -Z
// CHAIN index+1).
func (c *Chain) ZeroRuleCounters(index int) error {
	return c.t.change(fmt.Sprintf("zero counters of rule %d of %s", index, c.name), simple(func(h backend.Table) error {
		return c.atIndex(h, index, false, func() error { return h.ZeroCounter(c.name, index+1) })
	}))
}
