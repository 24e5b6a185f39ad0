// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"sort"
	"syscall"

	"github.com/goipt/goipt/pkg/backend"
)

// iptTable is one iptables table of a Txn: a cache of the kernel's
// table, filled as commands need it, and the changes made to it.
//
// It reads what iptables-nft 1.8.9 reads for the same command
// (nft-cache.c), and no more: the chains a command names, each asked for
// by name together with the table's built-in chains (fetch_chain_cache),
// or every chain of the table when it names none; the rules of a chain
// only when the command looks at rules (NFT_CL_RULES). iptables-nft reads
// all it needs before it starts, twice if the generation moved; this
// cache reads on first use, and the batch, which carries the generation
// the Txn began at, makes the kernel refuse a commit built on anything
// read after a change (ERESTART: the command runs again).
type iptTable struct {
	txn  *Txn
	bt   *BuiltinTable
	name string

	exists    bool            // the kernel had the table when the Txn began
	allChains bool            // every chain of the table was read
	asked     map[string]bool // chains asked for by name, found or not
	gone      map[string]bool // chains deleted in this Txn: a later read must not bring them back
	base      [5]*cchain      // base chains by hook (nft_cache's base_chains)
	user      []*cchain       // user chains, in the kernel's order until sorted
	sorted    bool
	byName    map[string]*cchain
	tainted   bool // a base chain iptables-nft does not know was read
	// flushedAll: a flush of the whole table is pending; the kernel's
	// rules of chains read after it are gone.
	flushedAll bool

	fn       fn // the operation an error comes from (nft_fn)
	extras   backend.Extras
	report   func(r backend.Rule) error
	reportCh func(verb, chain string)
}

// cchain is a chain of the cache.
type cchain struct {
	c *Chain
	// kname is the chain's name in the kernel, "" for a chain this Txn
	// created: its rules are read by that name.
	kname string
	fake  bool // a built-in chain the kernel lacks, listed as iptables-nft lists it
	// rules are the chain's rules once loaded (the kernel's, with the
	// changes made since); before, head and tail hold the rules inserted
	// first and appended, to go around the kernel's when they are read.
	rules      []*crule
	loaded     bool
	head, tail []*crule
}

// crule is a rule of the cache, and its entry once translated.
type crule struct {
	r *Rule
	e *Entry
}

func newIptTable(t *Txn, bt *BuiltinTable) *iptTable {
	return &iptTable{txn: t, bt: bt, name: bt.Name, exists: t.exists[bt.Name],
		asked: map[string]bool{}, gone: map[string]bool{}, byName: map[string]*cchain{}}
}

// lookup returns chain name as the cache has it, reading it if need be
// (with the built-in chains, the first time); nil if there is none.
func (t *iptTable) lookup(name string) (*cchain, error) {
	if !t.allChains && !t.asked[name] {
		if err := t.askBuiltins(); err != nil {
			return nil, err
		}
		if err := t.ask(name); err != nil {
			return nil, err
		}
	}
	return t.byName[name], nil
}

// askBuiltins reads the built-in chains by name, as nft_cache_build adds
// them to every command's chain list ("so nft_xt_builtin_init() doesn't
// override policies by accident").
func (t *iptTable) askBuiltins() error {
	for _, bc := range t.bt.Chains {
		if err := t.ask(bc.Name); err != nil {
			return err
		}
	}
	return nil
}

func (t *iptTable) ask(name string) error {
	if t.allChains || t.asked[name] {
		return nil
	}
	t.asked[name] = true
	if !t.exists {
		return nil
	}
	c, err := t.txn.k.Chain(t.txn.fam, t.name, name)
	if err != nil {
		return kernelError("chain", err)
	}
	if c != nil && c.Table == t.name && !t.gone[name] && t.byName[name] == nil {
		t.addChain(c, name)
	}
	return nil
}

// loadAll reads every chain of the table (a dump of the family's chains,
// as fetch_chain_cache without a chain list).
func (t *iptTable) loadAll() error {
	if t.allChains {
		return nil
	}
	t.allChains = true
	if !t.exists {
		return nil
	}
	cs, err := t.txn.allChains()
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.Table == t.name && !t.gone[c.Name] && t.byName[c.Name] == nil && !t.asked[c.Name] {
			t.addChain(c, c.Name)
		}
	}
	return nil
}

// addChain is nft_cache_add_chain: a base chain iptables-nft does not
// know (another hook, priority, type or name than the built-in chain of
// its hook, or a second chain on a hook) taints the table and stays out
// of the cache.
func (t *iptTable) addChain(c *Chain, kname string) *cchain {
	cc := &cchain{c: c, kname: kname}
	if c.Hooked {
		b := t.builtinOfHook(c.Hook)
		if b == nil || b.Priority != c.Priority || b.Name != c.Name || b.Type != c.Type || t.base[c.Hook] != nil {
			t.tainted = true
			return nil
		}
		t.base[c.Hook] = cc
	} else {
		t.user = append(t.user, cc)
	}
	t.byName[c.Name] = cc
	return cc
}

func (t *iptTable) builtinOfHook(hook uint32) *BuiltinChain {
	for i := range t.bt.Chains {
		if t.bt.Chains[i].Hook == hook {
			return &t.bt.Chains[i]
		}
	}
	return nil
}

// removeChain takes cc out of the cache (nft_chain_list_del).
func (t *iptTable) removeChain(cc *cchain) {
	name := cc.c.Name
	delete(t.byName, name)
	t.gone[name] = true
	if cc.c.Hooked && t.base[cc.c.Hook] == cc {
		t.base[cc.c.Hook] = nil
		return
	}
	for i, u := range t.user {
		if u == cc {
			t.user = append(t.user[:i], t.user[i+1:]...)
			return
		}
	}
}

// sortChains sorts the user chains by name, as nft_cache_sort_chains
// does before it lists or reports them; chains added later go last.
func (t *iptTable) sortChains() {
	if !t.sorted {
		sort.SliceStable(t.user, func(i, j int) bool { return t.user[i].c.Name < t.user[j].c.Name })
		t.sorted = true
	}
}

// eachChain is nft_chain_foreach: base chains in hook order, then user
// chains, fn may remove the chain it is given.
func (t *iptTable) eachChain(fn func(cc *cchain) error) error {
	for _, cc := range t.base {
		if cc != nil {
			if err := fn(cc); err != nil {
				return err
			}
		}
	}
	for _, cc := range append([]*cchain(nil), t.user...) {
		if err := fn(cc); err != nil {
			return err
		}
	}
	return nil
}

// ruleList returns cc's rules, reading them from the kernel the first
// time.
func (t *iptTable) ruleList(cc *cchain) ([]*crule, error) {
	if cc.loaded {
		return cc.rules, nil
	}
	var kernel []*Rule
	if cc.kname != "" && !cc.fake && t.exists && !t.flushedAll {
		var err error
		kernel, err = retryDump(t.txn.k, func() ([]*Rule, error) { return t.txn.k.Rules(t.txn.fam, t.name, cc.kname) })
		if err != nil {
			return nil, kernelError("rules", err)
		}
	}
	rules := make([]*crule, 0, len(cc.head)+len(kernel)+len(cc.tail))
	rules = append(rules, cc.head...)
	for _, r := range kernel {
		rules = append(rules, &crule{r: r})
	}
	cc.rules, cc.loaded, cc.head, cc.tail = append(rules, cc.tail...), true, nil, nil
	return cc.rules, nil
}

// entry is r's entry, translated on first use.
func (r *crule) entry() (*Entry, error) {
	if r.e == nil {
		e, err := ToEntry(r.r)
		if err != nil {
			return nil, err
		}
		r.e = e
	}
	return r.e, nil
}

// fail is an operation's error, with nft_strerror's message for the
// table's last operation.
func (t *iptTable) fail(op string, errno syscall.Errno) error {
	return &backend.Error{Op: op, Errno: errno, Msg: strError(t.fn, errno)}
}

// fakeBuiltins adds the built-in chains the kernel lacks (all, or chain
// only) to the cache without creating them, as iptables-nft lists them
// (nft_xt_fake_builtin_chains): policy ACCEPT, no rules.
func (t *iptTable) fakeBuiltins(chain string) {
	for i := range t.bt.Chains {
		bc := &t.bt.Chains[i]
		if t.base[bc.Hook] != nil || (chain != "" && chain != bc.Name) {
			continue
		}
		cc := &cchain{c: bc.Chain(t.txn.fam, t.name), fake: true, loaded: true}
		t.base[bc.Hook] = cc
		t.byName[bc.Name] = cc
	}
}
