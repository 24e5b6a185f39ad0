// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"syscall"

	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/nft/expr"
)

// The rule operations of nft.c (nft_rule_append, _insert, _replace,
// _delete, _delete_num, _check, _zero_counters), on the cache and the
// batch. iptables-nft builds a command's rule before it reads anything
// (nft_cmd_new); here the entry is translated on the call.

// build is nft_rule_new: entry (with the extras set) as iptables-nft
// writes it.
func (t *iptTable) build(chain string, entry []byte) (*Rule, error) {
	e := &Entry{Family: t.txn.fam, Table: t.name, Chain: chain,
		Bytes:         append([]byte(nil), entry...), // the rule's compat infos alias it
		TargetIsChain: t.extras.Jump,
		LogPrefix:     string(cstr(t.extras.TargetUserData))}
	return ToRule(e) // a rule ToRule refuses is a *parse.Error already
}

// Append is -A.
func (t *iptTable) Append(chain string, entry []byte) error {
	t.fn = fnRuleAppend
	r, err := t.build(chain, entry)
	if err != nil {
		return err
	}
	return t.appendRule(chain, r, nil, true)
}

// appendRule is nft_rule_append: r goes last in chain, or replaces ref.
func (t *iptTable) appendRule(chain string, r *Rule, ref *crule, report bool) error {
	if err := t.builtinInit(chain); err != nil {
		return err
	}
	t.fn = fnRuleAppend
	typ := OpRuleAppend
	if ref != nil {
		r.Handle, typ = ref.r.Handle, OpRuleReplace
	}
	t.txn.add(&op{typ: typ, rule: r})
	if report {
		if err := t.reportRule(r); err != nil {
			return err
		}
	}
	nr := &crule{r: r}
	cc, err := t.lookup(chain)
	if err != nil {
		return err
	}
	if cc == nil {
		return t.fail("append", syscall.ENOENT)
	}
	switch {
	case ref != nil:
		for i, x := range cc.rules {
			if x == ref {
				cc.rules[i] = nr
			}
		}
	case cc.loaded:
		cc.rules = append(cc.rules, nr)
	default:
		cc.tail = append(cc.tail, nr)
	}
	return nil
}

// Insert is -I; num counts from 0.
func (t *iptTable) Insert(chain string, entry []byte, num int) error {
	t.fn = fnRuleInsert
	r, err := t.build(chain, entry)
	if err != nil {
		return err
	}
	if err := t.builtinInit(chain); err != nil {
		return err
	}
	t.fn = fnRuleInsert
	cc, err := t.lookup(chain)
	if err != nil {
		return err
	}
	if cc == nil {
		return t.fail("insert", syscall.ENOENT)
	}
	var ref *crule
	if num > 0 {
		rules, err := t.ruleList(cc)
		if err != nil {
			return err
		}
		switch {
		case num < len(rules):
			ref = rules[num]
		case num == len(rules): // iptables takes the position after the last rule
			return t.appendRule(chain, r, nil, true)
		default:
			return t.fail("insert", syscall.E2BIG)
		}
	}
	return t.insertRule(cc, r, ref)
}

// insertRule is nft_rule_add and the cache's insertion: r before ref, or
// first. A ref this Txn added has no handle yet: r refers to its ID.
func (t *iptTable) insertRule(cc *cchain, r *Rule, ref *crule) error {
	if ref != nil {
		if ref.r.Handle != 0 {
			r.Position = ref.r.Handle
		} else {
			if ref.r.ID == 0 {
				ref.r.ID = t.txn.nextRuleID()
			}
			r.PositionID = ref.r.ID
		}
	}
	t.txn.add(&op{typ: OpRuleInsert, rule: r})
	if err := t.reportRule(r); err != nil {
		return err
	}
	nr := &crule{r: r}
	switch {
	case ref != nil:
		for i, x := range cc.rules {
			if x == ref {
				cc.rules = append(cc.rules[:i], append([]*crule{nr}, cc.rules[i:]...)...)
				break
			}
		}
	case cc.loaded:
		cc.rules = append([]*crule{nr}, cc.rules...)
	default:
		cc.head = append([]*crule{nr}, cc.head...)
	}
	return nil
}

// Replace is -R; num counts from 0.
func (t *iptTable) Replace(chain string, entry []byte, num int) error {
	t.fn = fnRuleReplace
	r, err := t.build(chain, entry)
	if err != nil {
		return err
	}
	cc, rules, err := t.chainRules("replace", chain)
	if err != nil {
		return err
	}
	if num < 0 || num >= len(rules) {
		return t.fail("replace", syscall.E2BIG)
	}
	return t.appendRule(cc.c.Name, r, rules[num], true)
}

// chainRules returns chain and its rules, ENOENT if there is no chain.
func (t *iptTable) chainRules(op, chain string) (*cchain, []*crule, error) {
	cc, err := t.lookup(chain)
	if err != nil {
		return nil, nil, err
	}
	if cc == nil {
		return nil, nil, t.fail(op, syscall.ENOENT)
	}
	rules, err := t.ruleList(cc)
	return cc, rules, err
}

// DeleteNum is -D CHAIN N; num counts from 0.
func (t *iptTable) DeleteNum(chain string, num int) error {
	t.fn = fnRuleDeleteNum
	cc, rules, err := t.chainRules("delete", chain)
	if err != nil {
		return err
	}
	if num < 0 || num >= len(rules) {
		return t.fail("delete", syscall.E2BIG)
	}
	t.deleteRule(cc, num)
	return nil
}

// deleteRule is __nft_rule_del: RULE_DELETE with the rule as the cache
// has it; one this Txn added is named by an ID.
func (t *iptTable) deleteRule(cc *cchain, i int) *crule {
	cr := cc.rules[i]
	cc.rules = append(cc.rules[:i], cc.rules[i+1:]...)
	if cr.r.Handle == 0 {
		cr.r.ID = t.txn.nextRuleID()
	}
	t.txn.add(&op{typ: OpRuleDelete, rule: cr.r})
	return cr
}

// Delete is -D by rule: the first rule of chain the same as entry (mask:
// pkg/ext's, which gives each extension's userspacesize).
func (t *iptTable) Delete(chain string, entry, mask []byte) error {
	t.fn = fnRuleDelete
	cc, i, err := t.find("delete", chain, entry, mask)
	if err != nil {
		return err
	}
	return t.reportRule(t.deleteRule(cc, i).r)
}

// Check is -C.
func (t *iptTable) Check(chain string, entry, mask []byte) error {
	t.fn = fnRuleCheck
	cc, i, err := t.find("check", chain, entry, mask)
	if err != nil {
		return err
	}
	return t.reportRule(cc.rules[i].r)
}

// find is nft_rule_find by rule: nft_rule_cmp reads both rules back as
// iptables-nft does (Same) and compares them.
func (t *iptTable) find(op, chain string, entry, mask []byte) (*cchain, int, error) {
	r, err := t.build(chain, entry)
	if err != nil {
		return nil, 0, err
	}
	cc, rules, err := t.chainRules(op, chain)
	if err != nil {
		return nil, 0, err
	}
	given, err := ToEntry(r)
	if err != nil {
		return nil, 0, err
	}
	us := userspaceSizes(t.txn.fam, entry, mask)
	for i, cr := range rules {
		e, err := cr.entry()
		if err != nil {
			return nil, 0, err
		}
		if SameEntries(given, e, us) {
			return cc, i, nil
		}
	}
	return nil, 0, t.fail(op, syscall.ENOENT)
}

// userspaceSizes reads each extension's userspacesize off mask, which
// pkg/ext builds as iptables' make_delete_mask does: 0xff over the
// header and the first userspacesize bytes of each info. nil mask: none
// (whole infos are compared).
func userspaceSizes(fam ext.Family, entry, mask []byte) UserspaceSize {
	if len(mask) != len(entry) {
		return nil
	}
	l := ext.Layout(fam)
	type key struct {
		name   string
		target bool
	}
	sizes := map[key]int{}
	tOff := int(ne.Uint16(entry[l.TargetOffset:]))
	for off := l.Size; off < len(entry); {
		x, size, ok := readExt(entry[off:])
		if !ok {
			break
		}
		n := 0
		for _, m := range mask[off+ext.ExtHeaderSize : off+size] {
			if m != 0xff {
				break
			}
			n++
		}
		sizes[key{x.name, off >= tOff}] = n
		off += size
	}
	return func(name string, _ uint8, target bool) int {
		if n, ok := sizes[key{name, target}]; ok {
			return n
		}
		return -1
	}
}

// ZeroCounter is -Z CHAIN N (num counts from 1): the rule read back,
// its counters zeroed, built again and put in its place
// (nft_rule_zero_counters; a chain or rule that is not there is ENOENT,
// as 1.8.11 has it: 1.8.9 exits 0).
func (t *iptTable) ZeroCounter(chain string, num int) error {
	return t.setCounter("zero", chain, num, 0, 0)
}

// SetCounter sets rule num's counters (num counts from 1) the same way.
func (t *iptTable) SetCounter(chain string, num int, packets, bytes uint64) error {
	return t.setCounter("set counter", chain, num, packets, bytes)
}

func (t *iptTable) setCounter(op, chain string, num int, packets, bytes uint64) error {
	t.fn = fnRuleDelete
	cc, rules, err := t.chainRules(op, chain)
	if err != nil {
		return err
	}
	if num < 1 || num > len(rules) {
		return t.fail(op, syscall.ENOENT)
	}
	cr := rules[num-1]
	e, err := cr.entry()
	if err != nil {
		return err
	}
	ne := *e
	ne.Bytes = append([]byte(nil), e.Bytes...)
	l := ext.Layout(ne.Family)
	binaryPut(ne.Bytes[l.Packets:], packets)
	binaryPut(ne.Bytes[l.Bytes:], bytes)
	ne.LogPrefix = nflogPrefix(&ne)
	r, err := ToRule(&ne)
	if err != nil {
		return err
	}
	return t.appendRule(cc.c.Name, r, cr, false)
}

func binaryPut(b []byte, v uint64) { ne.PutUint64(b, v) }

// nflogPrefix is the whole prefix of an NFLOG target read back (its info
// in iptables-nft's layout holds 127 bytes), "" for any other target.
func nflogPrefix(e *Entry) string {
	_, t := splitEntry(e.Bytes, ext.Layout(e.Family))
	if t.name != "NFLOG" || len(t.data) < 140 {
		return ""
	}
	return string(cstr(t.data[12:140]))
}

// ReadCounter returns rule num's counters (num counts from 1).
func (t *iptTable) ReadCounter(chain string, num int) (packets, bytes uint64, err error) {
	_, rules, err := t.chainRules("read counter", chain)
	if err != nil {
		return 0, 0, err
	}
	if num < 1 || num > len(rules) {
		return 0, 0, t.fail("read counter", syscall.E2BIG)
	}
	e, err := rules[num-1].entry()
	if err != nil {
		return 0, 0, err
	}
	l := ext.Layout(e.Family)
	return ne.Uint64(e.Bytes[l.Packets:]), ne.Uint64(e.Bytes[l.Bytes:]), nil
}

// reportRule reports r as -v prints it (h->ops->print_rule).
func (t *iptTable) reportRule(r *Rule) error {
	if t.report == nil {
		return nil
	}
	e, err := ToEntry(r)
	if err != nil {
		return err
	}
	label := e.ForPrinter()
	return t.report(backend.Rule{Entry: e.Bytes, Target: label, IsChain: e.TargetIsChain})
}

// recoverCompat is recover_rule_compat: a rule read from the kernel has no
// NFTA_RULE_COMPAT; it is the "meta l4proto" comparison's.
func recoverCompat(r *Rule) {
	for i := 0; i+1 < len(r.Exprs); i++ {
		m, ok := r.Exprs[i].(*expr.Meta)
		if !ok || m.SetReg || m.Key != expr.MetaL4Proto {
			continue
		}
		c, ok := r.Exprs[i+1].(*expr.Cmp)
		if !ok || c.SReg != m.Reg || len(c.Data) == 0 {
			continue
		}
		r.HasCompat, r.CompatProto, r.CompatFlags = true, uint32(c.Data[0]), 0
		if c.Op == expr.CmpNEQ {
			r.CompatFlags = CompatInv
		}
		return
	}
}
