// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

var (
	_ backend.Table        = (*iptTable)(nil)
	_ backend.ExtrasSetter = (*iptTable)(nil)
	_ backend.Reporter     = (*iptTable)(nil)
	_ backend.AllChains    = (*iptTable)(nil)
	_ backend.Lister       = (*iptTable)(nil)
)

func (t *iptTable) Family() ext.Family { return t.txn.fam }
func (t *iptTable) Name() string       { return t.name }

// SetExtras sets what the rules of the calls that follow need beyond
// their entries.
func (t *iptTable) SetExtras(x backend.Extras) { t.extras = x }

// SetReport sets what -v reports go to.
func (t *iptTable) SetReport(rule func(r backend.Rule) error, chain func(verb, chain string)) {
	t.report, t.reportCh = rule, chain
}

// Chains lists the chains: base chains in hook order, then user chains
// sorted by name. It reads every chain of the table.
func (t *iptTable) Chains() []string {
	if t.loadAll() != nil {
		return nil
	}
	t.sortChains()
	var names []string
	t.eachChain(func(cc *cchain) error {
		names = append(names, cc.c.Name)
		return nil
	})
	return names
}

// IsChain is nft_chain_exists: a built-in chain's name always is one.
func (t *iptTable) IsChain(chain string) bool {
	ok, _ := t.existsChain(chain)
	return ok
}

// Builtin tells whether chain is a base chain.
func (t *iptTable) Builtin(chain string) bool {
	cc, _ := t.lookup(chain)
	return cc != nil && cc.c.Hooked
}

// Policy is a base chain's policy and counters.
func (t *iptTable) Policy(chain string) (policy string, packets, bytes uint64, ok bool) {
	cc, _ := t.lookup(chain)
	if cc == nil || !cc.c.Hooked || !cc.c.HasPolicy {
		return "", 0, 0, false
	}
	policy = "ACCEPT"
	if cc.c.Policy == PolicyDrop {
		policy = "DROP"
	}
	return policy, cc.c.Packets, cc.c.Bytes, true
}

// References is what -L prints for a user chain: the kernel's use count
// less the chain's rules (__nft_print_header).
func (t *iptTable) References(chain string) (int, error) {
	cc, rules, err := t.chainRules("references", chain)
	if err != nil {
		return 0, err
	}
	return int(cc.c.Use) - len(rules), nil
}

// EachRule calls fn with chain's rules as goipt's printers take them.
func (t *iptTable) EachRule(chain string, fn func(r backend.Rule) error) error {
	_, rules, err := t.chainRules("list", chain)
	if err != nil {
		return err
	}
	var buf []byte
	for _, cr := range rules {
		e, err := cr.entry()
		if err != nil {
			return err
		}
		buf = append(buf[:0], e.Bytes...)
		p := Entry{Family: e.Family, Bytes: buf, TargetIsChain: e.TargetIsChain}
		label := p.ForPrinter()
		if err := fn(backend.Rule{Entry: p.Bytes, Target: label, IsChain: e.TargetIsChain}); err != nil {
			return err
		}
	}
	return nil
}

// Rules returns chain's rules, copied.
func (t *iptTable) Rules(chain string) ([]backend.Rule, error) {
	var rs []backend.Rule
	err := t.EachRule(chain, func(r backend.Rule) error {
		rs = append(rs, backend.Rule{Entry: append([]byte(nil), r.Entry...), Target: r.Target, IsChain: r.IsChain})
		return nil
	})
	return rs, err
}

// PrepareList is what iptables-nft does before -L and -S list chain (""
// every chain): the built-in chains the kernel lacks are listed as if
// there (nft_xt_fake_builtin_chains), and a table (chain) with a rule
// iptables-nft cannot represent is refused, or noted when one of its base
// chains is not iptables-nft's (nft_assert_table_compatible). A chain
// that is not there is left to the listing (1.8.11; 1.8.9 calls it
// incompatible).
func (t *iptTable) PrepareList(chain string) (note string, err error) {
	if chain == "" {
		err = t.loadAll()
	} else {
		_, err = t.lookup(chain)
	}
	if err != nil {
		return "", err
	}
	t.fakeBuiltins(chain)
	ok, err := t.compatible(chain)
	if err != nil {
		return "", err
	}
	if !ok {
		ie := &IncompatibleError{Table: t.name, Chain: chain}
		return "", parse.Errorf(parse.OtherProblem, "%s", ie.Error())
	}
	if t.tainted {
		note = taintedNote(t.name)
	}
	return note, nil
}

// taintedNote is what iptables-nft prints before listing a table with a
// base chain it does not know.
func taintedNote(table string) string {
	return "# Table `" + table + "' contains incompatible base-chains, use 'nft' tool to list them.\n"
}

// compatible is nft_is_table_compatible: every rule of the table (of
// chain, when not "") is one iptables-nft can represent. A chain that is
// not there is (1.8.11).
func (t *iptTable) compatible(chain string) (bool, error) {
	ok := true
	check := func(cc *cchain) error {
		rules, err := t.ruleList(cc)
		for _, cr := range rules {
			ok = ok && Compatible(cr.r)
		}
		return err
	}
	var err error
	if chain == "" {
		err = t.eachChain(check)
	} else if cc := t.byName[chain]; cc != nil {
		err = check(cc)
	}
	return ok, err
}

// Commit commits the table's Txn: every table of it.
func (t *iptTable) Commit() error { return t.txn.Commit() }

// Close ends the table's Txn without committing.
func (t *iptTable) Close() { t.txn.Close() }
