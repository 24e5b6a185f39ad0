// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"errors"
	"fmt"
)

// The easy functions do one thing to one table, as python-iptables'
// iptc.easy does: each opens the table, makes the change in a transaction
// of its own (with the default Options: xtables lock, waiting for it),
// commits, and closes the table. Rule positions count from 1, as on
// iptables' command line and in python's iptc.easy (Chain's methods take
// indexes from 0 instead); see AddRule and GetRule. Use a Batch for
// several changes in one commit, or a Table for full control.

func withTable(fam Family, table string, f func(t *Table) error) error {
	t, err := Open(fam, table, nil)
	if err != nil {
		return err
	}
	return finish(t, f(t))
}

// finish ends t's transaction, committing it unless err (the failure of a
// change) says to drop it, and closes t.
func finish(t *Table, err error) error {
	if err != nil {
		t.Rollback()
	} else {
		err = t.Commit()
	}
	return errors.Join(err, t.Close())
}

// GetTables returns the names of the tables of family fam that the kernel
// has (or can load).
func GetTables(fam Family) []string {
	var out []string
	for _, name := range Tables {
		if t, err := Open(fam, name, nil); err == nil {
			t.Close()
			out = append(out, name)
		}
	}
	return out
}

// GetChains returns the names of the chains of a table.
func GetChains(fam Family, table string) (names []string, err error) {
	err = withTable(fam, table, func(t *Table) error {
		names, err = t.ChainNames()
		return err
	})
	return names, err
}

// HasChain tells whether chain exists in table.
func HasChain(fam Family, table, chain string) (ok bool, err error) {
	err = withTable(fam, table, func(t *Table) error {
		ok, err = t.IsChain(chain)
		return err
	})
	return ok, err
}

// AddChain creates user chain chain in table (iptables -N).
func AddChain(fam Family, table, chain string) error {
	return withTable(fam, table, func(t *Table) error {
		_, err := t.CreateChain(chain)
		return err
	})
}

// DeleteChain deletes user chain chain of table (iptables -X), first
// flushing it when flush is true.
func DeleteChain(fam Family, table, chain string, flush bool) error {
	return withTable(fam, table, func(t *Table) error {
		if flush {
			if err := t.FlushEntries(chain); err != nil {
				return err
			}
		}
		return t.DeleteChain(chain)
	})
}

// FlushChain deletes every rule of chain (iptables -F CHAIN).
func FlushChain(fam Family, table, chain string) error {
	return withTable(fam, table, func(t *Table) error { return t.FlushEntries(chain) })
}

// FlushTable deletes every rule and every user chain of table (iptables -F
// then -X); policies stay.
func FlushTable(fam Family, table string) error {
	return withTable(fam, table, func(t *Table) error { return t.Flush() })
}

// FlushAll flushes every table of family fam that the kernel has, as
// FlushTable does, one commit a table (python-iptables' flush_all).
func FlushAll(fam Family) error {
	return eachTable(fam, func(table string) error { return FlushTable(fam, table) })
}

// ZeroChain zeroes the counters of chain (iptables -Z CHAIN).
func ZeroChain(fam Family, table, chain string) error {
	return withTable(fam, table, func(t *Table) error { return t.ZeroEntries(chain) })
}

// ZeroTable zeroes the counters of every chain of table, rules and
// policies (iptables -Z).
func ZeroTable(fam Family, table string) error {
	return withTable(fam, table, func(t *Table) error { return t.Zero() })
}

// ZeroAll zeroes the counters of every table of family fam that the
// kernel has, one commit a table (python-iptables' zero_all).
func ZeroAll(fam Family) error {
	return eachTable(fam, func(table string) error { return ZeroTable(fam, table) })
}

// eachTable calls f with each table of family fam that the kernel has,
// stopping at the first error.
func eachTable(fam Family, f func(table string) error) error {
	for _, name := range GetTables(fam) {
		if err := f(name); err != nil {
			return err
		}
	}
	return nil
}

func easyRules(rs []*Rule) []EasyRule {
	out := make([]EasyRule, len(rs))
	for i, r := range rs {
		out[i] = r.Easy()
	}
	return out
}

// DumpChain returns the rules of chain.
func DumpChain(fam Family, table, chain string) (rules []EasyRule, err error) {
	err = withTable(fam, table, func(t *Table) error {
		rs, err := t.Chain(chain).Rules()
		rules = easyRules(rs)
		return err
	})
	return rules, err
}

// DumpTable returns every chain of table, built-in ones first, with their
// policies and rules.
func DumpTable(fam Family, table string) (chains []EasyChain, err error) {
	err = withTable(fam, table, func(t *Table) error {
		cs, err := t.Chains()
		if err != nil {
			return err
		}
		for _, c := range cs {
			ec := EasyChain{Name: c.Name()}
			if pol, cnt, err := c.Policy(); err == nil {
				ec.Policy = pol
				if cnt != (Counters{}) {
					ec.PolicyCounters = &cnt
				}
			} else if !errors.Is(err, ErrNotBuiltin) {
				return err
			}
			rs, err := c.Rules()
			if err != nil {
				return err
			}
			ec.Rules = easyRules(rs)
			chains = append(chains, ec)
		}
		return nil
	})
	return chains, err
}

// DumpAll returns every table of family fam that the kernel has, by
// name, as DumpTable returns each.
func DumpAll(fam Family) (map[string][]EasyChain, error) {
	out := map[string][]EasyChain{}
	err := eachTable(fam, func(table string) error {
		cs, err := DumpTable(fam, table)
		out[table] = cs
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AddRule puts rule into chain at position: 0 appends (iptables -A), n > 0
// inserts as the nth rule (iptables -I CHAIN n; 1 is first, and a chain
// of n-1 rules takes n), n < 0 inserts that many rules before the end
// (-1: before the last rule; past the first: first), as python-iptables'
// add_rule does. A position past the end fails with a *RangeError.
func AddRule(fam Family, table, chain string, rule EasyRule, position int) error {
	return withTable(fam, table, func(t *Table) error { return addRule(t, chain, rule, position) })
}

func addRule(t *Table, chain string, rule EasyRule, pos int) error {
	c := t.Chain(chain)
	if pos == 0 {
		return c.AppendRule(rule.Rule())
	}
	n := 0
	if pos < 0 {
		var err error
		if n, err = c.Len(); err != nil {
			return err
		}
	}
	err := c.InsertRule(rule.Rule(), position(pos, n))
	var re *RangeError
	if errors.As(err, &re) {
		re.Pos, re.First = pos, 1 // in the caller's numbering
	}
	return err
}

// AppendRule adds rule at the end of chain (iptables -A).
func AppendRule(fam Family, table, chain string, rule EasyRule) error {
	return AddRule(fam, table, chain, rule, 0)
}

// InsertRule adds rule as the first rule of chain (iptables -I).
func InsertRule(fam Family, table, chain string, rule EasyRule) error {
	return AddRule(fam, table, chain, rule, 1)
}

// DeleteRule deletes the first rule of chain equal to rule (iptables -D
// with a rule specification); ErrNoRule when there is none.
func DeleteRule(fam Family, table, chain string, rule EasyRule) error {
	return withTable(fam, table, func(t *Table) error { return t.Chain(chain).DeleteRule(rule.Rule()) })
}

// HasRule tells whether chain has a rule equal to rule (iptables -C).
func HasRule(fam Family, table, chain string, rule EasyRule) (ok bool, err error) {
	err = withTable(fam, table, func(t *Table) error {
		ok, err = t.Chain(chain).HasRule(rule.Rule())
		return err
	})
	return ok, err
}

// GetRule returns the rule of chain at position: n > 0 is the nth rule
// (iptables' rule number n), n < 0 counts from the end (-1 is the last).
// A position outside the chain, 0 included, fails with a *RangeError.
// (python's get_rule returns the whole chain for 0: DumpChain does.)
func GetRule(fam Family, table, chain string, position int) (rule EasyRule, err error) {
	err = withTable(fam, table, func(t *Table) error {
		c := t.Chain(chain)
		n, err := c.Len()
		if err != nil {
			return err
		}
		index := position - 1
		if position < 0 {
			index = n + position
		}
		if position == 0 || !inRange(index, n, false) {
			return &RangeError{Chain: chain, Pos: position, Rules: n, First: 1}
		}
		r, err := c.Rule(index)
		if err == nil {
			rule = r.Easy()
		}
		return err
	})
	return rule, err
}

// GetRulePosition returns the position (1 first, as GetRule takes it) of
// the first rule of chain equal to rule as iptables -C compares rules;
// ErrNoRule when none is. (python's get_rule_position counts from 0.)
func GetRulePosition(fam Family, table, chain string, rule EasyRule) (pos int, err error) {
	err = withTable(fam, table, func(t *Table) error {
		pos, err = rulePosition(t, chain, rule.Rule())
		return err
	})
	return pos, err
}

// rulePosition finds the first rule of chain equal to r (EqualRules).
func rulePosition(t *Table, chain string, r *Rule) (int, error) {
	rules, err := t.Chain(chain).Rules()
	if err != nil {
		return 0, err
	}
	for i, x := range rules {
		eq, err := EqualRules(t.fam, r, x)
		if err != nil {
			return 0, err
		}
		if eq {
			return i + 1, nil
		}
	}
	return 0, tag(fmt.Errorf("iptc: chain %s has no rule %s", chain, r.Spec()), ErrNoRule)
}

// GetRuleCounters returns the counters of the first rule of chain equal to
// rule.
func GetRuleCounters(fam Family, table, chain string, rule EasyRule) (cnt Counters, err error) {
	err = withTable(fam, table, func(t *Table) error {
		pos, err := rulePosition(t, chain, rule.Rule())
		if err != nil {
			return err
		}
		cnt, err = t.Chain(chain).RuleCounters(pos - 1)
		return err
	})
	return cnt, err
}

// ReplaceRule puts newRule in place of the first rule of chain equal to
// oldRule (iptables -R at its position).
func ReplaceRule(fam Family, table, chain string, oldRule, newRule EasyRule) error {
	return withTable(fam, table, func(t *Table) error {
		if err := t.Begin(); err != nil {
			return err
		}
		pos, err := rulePosition(t, chain, oldRule.Rule())
		if err != nil {
			return err
		}
		return t.Chain(chain).ReplaceRule(newRule.Rule(), pos-1)
	})
}

// GetPolicy returns the policy of built-in chain chain.
func GetPolicy(fam Family, table, chain string) (policy string, err error) {
	err = withTable(fam, table, func(t *Table) error {
		policy, _, err = t.Chain(chain).Policy()
		return err
	})
	return policy, err
}

// SetPolicy sets the policy of built-in chain chain (iptables -P).
func SetPolicy(fam Family, table, chain, policy string) error {
	return withTable(fam, table, func(t *Table) error { return t.Chain(chain).SetPolicy(policy, nil) })
}

// ValidateRule tells whether rule can go into table of family fam, with
// the reason when it cannot, as python-iptables' test_rule does (which
// returns a bool): see Table.ValidateRule. A target that is no verdict and
// no target extension must be a chain of the table: "ACCPET" fails,
// naming the table. With table "", no table is opened (no privileges
// needed) and such a target is taken for a user chain, as Encode does.
func ValidateRule(fam Family, table string, rule EasyRule) error {
	if table == "" {
		_, _, err := Encode(fam, rule.Rule())
		return err
	}
	t, err := Open(fam, table, nil)
	if err != nil {
		return err
	}
	return errors.Join(t.ValidateRule(rule.Rule()), t.Close())
}

// ValidateMatch tells whether match name with params can be built for
// family fam, alone in a rule, as python-iptables' test_match(name, value)
// does; the extension's final check counts too (python's does not run
// it). Options that need the rule's protocol (multiport's ports) fail
// here: validate the rule (ValidateRule).
func ValidateMatch(fam Family, name string, params Params) error {
	return ValidateRule(fam, "", EasyRule{Matches: []EasyMatch{{Name: name, Params: params}}})
}

// ValidateTarget tells whether target name with params can be built for
// family fam, alone in a rule, as python-iptables' test_target(name,
// value) does; the final check counts too. Like ValidateRule, it takes a
// name that is no verdict and no target extension for a chain of table,
// or, with table "", for a user chain.
func ValidateTarget(fam Family, table, name string, params Params) error {
	return ValidateRule(fam, table, EasyRule{Target: name, TargetParams: params})
}

// Batch gathers changes to one table and makes them in one transaction,
// committed in one call: all of them reach the kernel, or none. Build it
// with the methods, which record the changes and return the Batch, then
// call Commit.
type Batch struct {
	Family Family
	Table  string
	// Options for the transaction (nil: the default). Autocommit is
	// ignored.
	Options *Options
	ops     []batchOp
}

type batchOp struct {
	desc string
	do   func(t *Table) error
}

// NewBatch returns an empty Batch for table of family fam.
func NewBatch(fam Family, table string) *Batch { return &Batch{Family: fam, Table: table} }

func (b *Batch) add(desc string, f func(t *Table) error) *Batch {
	b.ops = append(b.ops, batchOp{desc, f})
	return b
}

// Len is the number of changes recorded.
func (b *Batch) Len() int { return len(b.ops) }

// AddChain creates user chain chain unless it exists.
func (b *Batch) AddChain(chain string) *Batch {
	return b.add("add chain "+chain, func(t *Table) error {
		ok, err := t.IsChain(chain)
		if err != nil || ok {
			return err
		}
		_, err = t.CreateChain(chain)
		return err
	})
}

// DeleteChain flushes and deletes user chain chain if it exists.
func (b *Batch) DeleteChain(chain string) *Batch {
	return b.add("delete chain "+chain, func(t *Table) error {
		ok, err := t.IsChain(chain)
		if err != nil || !ok {
			return err
		}
		if err := t.FlushEntries(chain); err != nil {
			return err
		}
		return t.DeleteChain(chain)
	})
}

// FlushChain deletes every rule of chain.
func (b *Batch) FlushChain(chain string) *Batch {
	return b.add("flush chain "+chain, func(t *Table) error { return t.FlushEntries(chain) })
}

// AddRule puts rule into chain at position, as the function AddRule does.
func (b *Batch) AddRule(chain string, rule EasyRule, position int) *Batch {
	return b.add(fmt.Sprintf("add rule to %s at %d", chain, position), func(t *Table) error {
		return addRule(t, chain, rule, position)
	})
}

// AppendRule adds rule at the end of chain.
func (b *Batch) AppendRule(chain string, rule EasyRule) *Batch { return b.AddRule(chain, rule, 0) }

// InsertRule adds rule as the first rule of chain.
func (b *Batch) InsertRule(chain string, rule EasyRule) *Batch { return b.AddRule(chain, rule, 1) }

// DeleteRule deletes the first rule of chain equal to rule.
func (b *Batch) DeleteRule(chain string, rule EasyRule) *Batch {
	return b.add("delete rule from "+chain, func(t *Table) error {
		return t.Chain(chain).DeleteRule(rule.Rule())
	})
}

// SetPolicy sets the policy of built-in chain chain.
func (b *Batch) SetPolicy(chain, policy string) *Batch {
	return b.add("set policy of "+chain, func(t *Table) error {
		return t.Chain(chain).SetPolicy(policy, nil)
	})
}

// Commit makes the recorded changes, in order, in one transaction and
// commits it. When one fails nothing is committed and the error says
// which. The Batch can be committed again (the changes are made anew).
func (b *Batch) Commit() error {
	var o Options
	if b.Options != nil {
		o = *b.Options
	}
	o.Autocommit = false
	t, err := Open(b.Family, b.Table, &o)
	if err != nil {
		return err
	}
	return finish(t, b.apply(t))
}

func (b *Batch) apply(t *Table) error {
	if err := t.Begin(); err != nil {
		return err
	}
	for i, op := range b.ops {
		if err := op.do(t); err != nil {
			return fmt.Errorf("iptc: batch change %d (%s): %w", i+1, op.desc, err)
		}
	}
	return nil
}
