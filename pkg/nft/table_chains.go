// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"syscall"

	"github.com/goipt/goipt/pkg/nft/expr"
)

// The chain operations of nft.c (nft_rule_flush, nft_chain_zero_counters,
// nft_chain_user_add, nft_chain_del, nft_chain_user_rename,
// nft_chain_set) and the creation of the table and its built-in chains
// (nft_xt_builtin_init), on the cache and the batch.

// tableInit is nft_xt_builtin_table_init: TABLE_ADD unless the kernel had
// the table. iptables-nft does not note that it added it: every call adds
// it again (NLM_F_CREATE makes that harmless).
func (t *iptTable) tableInit() {
	if !t.exists {
		t.txn.add(&op{typ: OpTableAdd, table: &Table{Name: t.name, Family: t.txn.fam}})
	}
}

// builtinInit is nft_xt_builtin_init(table, chain): the table, and chain
// when it is a built-in chain the cache lacks ("" every such chain).
func (t *iptTable) builtinInit(chain string) error {
	t.tableInit()
	if chain == "" {
		for i := range t.bt.Chains {
			cc, err := t.lookup(t.bt.Chains[i].Name)
			if err != nil {
				return err
			}
			if cc == nil {
				t.addBuiltin(&t.bt.Chains[i])
			}
		}
		return nil
	}
	bc := BuiltinChainOf(t.name, chain)
	if bc == nil {
		return nil
	}
	if _, err := t.lookup(chain); err != nil {
		return err
	}
	if cc := t.base[bc.Hook]; cc != nil {
		if cc.fake { // listed, not made: make it now (1.8.11)
			t.txn.add(&op{typ: OpChainAdd, chain: cc.c})
			cc.fake = false
		}
		return nil
	}
	t.addBuiltin(bc)
	return nil
}

// addBuiltin is nft_chain_builtin_add: CHAIN_ADD of the chain with policy
// ACCEPT, and the chain in the cache.
func (t *iptTable) addBuiltin(bc *BuiltinChain) {
	c := bc.Chain(t.txn.fam, t.name)
	t.txn.add(&op{typ: OpChainAdd, chain: c})
	delete(t.gone, c.Name)
	if cc := t.addChain(c, ""); cc != nil {
		cc.loaded = true
	}
}

// Flush is -F CHAIN.
func (t *iptTable) Flush(chain string) error {
	t.fn = fnRuleFlush
	if err := t.builtinInit(chain); err != nil {
		return err
	}
	cc, err := t.lookup(chain)
	if err != nil {
		return err
	}
	if cc == nil {
		return t.fail("flush", syscall.ENOENT)
	}
	t.flushChain(cc)
	return nil
}

// FlushAll is -F: without -v, one RULE_FLUSH of the whole table (none if
// the kernel has no table); with -v, the built-in chains made, and a
// RULE_FLUSH of each chain, reported.
func (t *iptTable) FlushAll() error {
	t.fn = fnRuleFlush
	if t.reportCh == nil {
		if !t.exists {
			return nil
		}
		t.txn.dropRuleOps(t.name, "")
		t.txn.add(&op{typ: OpRuleFlush, rule: &Rule{Family: t.txn.fam, Table: t.name}})
		t.flushedAll = true
		return t.eachChain(func(cc *cchain) error {
			cc.rules, cc.loaded, cc.head, cc.tail = nil, true, nil, nil
			return nil
		})
	}
	if err := t.loadAll(); err != nil {
		return err
	}
	if err := t.builtinInit(""); err != nil {
		return err
	}
	t.sortChains()
	return t.eachChain(func(cc *cchain) error {
		t.flushChain(cc)
		return nil
	})
}

// flushChain is batch_chain_flush and __nft_rule_flush for one chain.
func (t *iptTable) flushChain(cc *cchain) {
	name := cc.c.Name
	t.txn.dropRuleOps(t.name, name)
	if t.reportCh != nil {
		t.reportCh("Flushing", name)
	}
	t.txn.add(&op{typ: OpRuleFlush, rule: &Rule{Family: t.txn.fam, Table: t.name, Chain: name}})
	cc.rules, cc.loaded, cc.head, cc.tail = nil, true, nil, nil
}

// Zero is -Z CHAIN: a built-in chain the kernel lacks has nothing to zero
// (1.8.11; 1.8.9 fails with ENOENT).
func (t *iptTable) Zero(chain string) error {
	if _, err := t.lookup(chain); err != nil {
		return err
	}
	t.fakeBuiltins(chain)
	cc := t.byName[chain]
	if cc == nil {
		return t.fail("zero", syscall.ENOENT)
	}
	return t.zeroChain(cc)
}

// ZeroAll is -Z.
func (t *iptTable) ZeroAll() error {
	if err := t.loadAll(); err != nil {
		return err
	}
	t.fakeBuiltins("")
	if t.reportCh != nil {
		t.sortChains()
	}
	return t.eachChain(t.zeroChain)
}

// zeroChain is __nft_chain_zero_counters: CHAIN_ZERO of a base chain (its
// policy's counters), RULE_REPLACE of each rule whose counter is not 0.
func (t *iptTable) zeroChain(cc *cchain) error {
	if t.reportCh != nil {
		t.reportCh("Zeroing", cc.c.Name)
	}
	if cc.c.Hooked {
		cc.c.HasCounters, cc.c.Packets, cc.c.Bytes, cc.c.Handle = true, 0, 0, 0
		t.txn.add(&op{typ: OpChainZero, chain: cc.c, skip: cc.fake})
	}
	rules, err := t.ruleList(cc)
	if err != nil {
		return err
	}
	for _, cr := range rules {
		zeroed := false
		for _, e := range cr.r.Exprs {
			if c, ok := e.(*expr.Counter); ok && (c.Packets != 0 || c.Bytes != 0) {
				c.Packets, c.Bytes, zeroed = 0, 0, true
			}
		}
		if zeroed {
			cr.e = nil
			recoverCompat(cr.r)
			cr.r.Position = 0
			t.txn.add(&op{typ: OpRuleReplace, rule: cr.r})
		}
	}
	return nil
}

// exists is nft_chain_exists: a built-in chain's name always exists.
func (t *iptTable) existsChain(name string) (bool, error) {
	if BuiltinChainOf(t.name, name) != nil {
		return true, nil
	}
	cc, err := t.lookup(name)
	return cc != nil, err
}

// CreateChain is -N.
func (t *iptTable) CreateChain(chain string) error {
	t.fn = fnChainUserAdd
	t.tableInit()
	if ok, err := t.existsChain(chain); err != nil || ok {
		if err == nil {
			err = t.fail("create chain", syscall.EEXIST)
		}
		return err
	}
	c := &Chain{Name: chain, Table: t.name, Family: t.txn.fam}
	t.txn.add(&op{typ: OpChainUserAdd, chain: c})
	delete(t.gone, chain)
	t.addChain(c, "").loaded = true
	return nil
}

// DeleteChain is -X CHAIN: a built-in chain too, when it is empty and its
// policy ACCEPT (as far as the cache knows: -X CHAIN reads no rules, so
// the kernel refuses a built-in chain with rules).
func (t *iptTable) DeleteChain(chain string) error {
	t.fn = fnChainDel
	cc, err := t.lookup(chain)
	if err != nil {
		return err
	}
	if cc == nil {
		return t.fail("delete chain", syscall.ENOENT)
	}
	return t.deleteChain(cc, true)
}

// DeleteAll is -X: every user chain, and every built-in chain that is
// empty with policy ACCEPT.
func (t *iptTable) DeleteAll() error {
	t.fn = fnChainDel
	if err := t.loadAll(); err != nil {
		return err
	}
	if t.reportCh != nil {
		t.sortChains()
	}
	return t.eachChain(func(cc *cchain) error {
		if cc.c.Hooked {
			if _, err := t.ruleList(cc); err != nil {
				return err
			}
		}
		return t.deleteChain(cc, false)
	})
}

// deleteChain is __nft_chain_del: CHAIN_DEL of the chain as read (less
// its handle); for a built-in chain that may not go, the message is
// skipped, and an error when the chain was named.
func (t *iptTable) deleteChain(cc *cchain, named bool) error {
	c := cc.c
	if t.reportCh != nil && !c.Hooked {
		t.reportCh("Deleting", c.Name)
	}
	o := t.txn.add(&op{typ: OpChainDel, chain: c})
	var err error
	if c.Hooked {
		o.skip = !mayDelete(cc)
		if o.skip && named {
			err = t.fail("delete chain", syscall.EBUSY)
		}
	}
	t.removeChain(cc)
	return err
}

// mayDelete is nft_may_delete_chain: policy ACCEPT (or none), and no rule
// in the cache.
func mayDelete(cc *cchain) bool {
	if cc.c.HasPolicy && cc.c.Policy != PolicyAccept {
		return false
	}
	return len(cc.rules)+len(cc.head)+len(cc.tail) == 0
}

// RenameChain is -E.
func (t *iptTable) RenameChain(old, newName string) error {
	t.fn = fnChainUserRename
	if ok, err := t.existsChain(newName); err != nil || ok {
		if err == nil {
			err = t.fail("rename chain", syscall.EEXIST)
		}
		return err
	}
	cc, err := t.lookup(old)
	if err != nil {
		return err
	}
	if cc == nil {
		return t.fail("rename chain", syscall.ENOENT)
	}
	// A new object, as nft_chain_user_rename builds it: the new name
	// (which iptables-nft's errors name) and the old chain's handle.
	t.txn.add(&op{typ: OpChainRename, chain: &Chain{Name: newName, NewName: newName,
		Table: t.name, Family: t.txn.fam, Handle: cc.c.Handle}})
	renamed := *cc.c
	renamed.Name = newName
	cc.c = &renamed
	delete(t.byName, old)
	t.gone[old] = true
	delete(t.gone, newName)
	t.byName[newName] = cc
	t.sorted = false
	return nil
}

// SetPolicy is -P: CHAIN_UPDATE of the built-in chain, made first if
// need be, with the policy ("-": none, in a restore) and counters (zero
// unless given: iptables-nft -P always writes them).
func (t *iptTable) SetPolicy(chain, policy string, counters *[2]uint64) error {
	t.fn = fnChainSet
	pol := -1
	switch policy {
	case "DROP":
		pol = PolicyDrop
	case "ACCEPT":
		pol = PolicyAccept
	case "-":
	default:
		return t.fail("set policy", syscall.EINVAL)
	}
	if err := t.builtinInit(chain); err != nil {
		return err
	}
	bc := BuiltinChainOf(t.name, chain)
	if bc == nil {
		return t.fail("set policy", syscall.ENOENT)
	}
	c := bc.Chain(t.txn.fam, t.name)
	c.HasPolicy, c.HasCounters = pol >= 0, true
	if pol >= 0 {
		c.Policy = uint32(pol)
	}
	if counters != nil {
		c.Packets, c.Bytes = counters[0], counters[1]
	}
	t.txn.add(&op{typ: OpChainUpdate, chain: c})
	if cc := t.base[bc.Hook]; cc != nil { // the cache reads back what was set
		kept := *cc.c
		if c.HasPolicy {
			kept.HasPolicy, kept.Policy = true, c.Policy
		}
		kept.HasCounters, kept.Packets, kept.Bytes = true, c.Packets, c.Bytes
		cc.c = &kept
	}
	return nil
}
