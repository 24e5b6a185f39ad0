// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"errors"

	"golang.org/x/sys/unix"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/nft/expr"
)

// Tables returns the tables of family fam.
func (c *Conn) Tables(fam ext.Family) ([]*Table, error) {
	c.req.B = c.req.B[:0]
	c.req.Object(kindTable, expr.ObjectHeader{Type: msgGetTable, Family: uint16(fam), Flags: flagDump, Seq: c.nextSeq()})
	c.req.End()
	var ts []*Table
	err := c.talk(func(kind uint16, _ expr.ObjectHeader, r *expr.Reader) (bool, error) {
		if kind == kindTable {
			ts = append(ts, decodeTable(r))
		}
		skipObject(r)
		return false, nil
	})
	return ts, err
}

// Chains returns the chains of family fam, of table only unless it is "".
func (c *Conn) Chains(fam ext.Family, table string) ([]*Chain, error) {
	c.req.B = c.req.B[:0]
	h := expr.ObjectHeader{Type: msgGetChain, Family: uint16(fam), Flags: flagDump, Seq: c.nextSeq()}
	c.req.Object(kindChain, h)
	if table != "" {
		c.req.Str(chainTable, table)
	}
	c.req.End()
	var cs []*Chain
	err := c.talk(func(kind uint16, _ expr.ObjectHeader, r *expr.Reader) (bool, error) {
		if kind == kindChain {
			cs = append(cs, decodeChain(r))
		}
		skipObject(r)
		return false, nil
	})
	return cs, err
}

// Rules returns the rules of family fam, of table and chain when not "",
// in order.
func (c *Conn) Rules(fam ext.Family, table, chain string) ([]*Rule, error) {
	var rs []*Rule
	var slab []Rule
	err := c.EachRule(fam, table, chain, func(r *Rule) error {
		if len(slab) == cap(slab) {
			slab = make([]Rule, 0, 256) // one allocation for many rules
		}
		slab = append(slab, *r)
		rs = append(rs, &slab[len(slab)-1])
		return nil
	})
	return rs, err
}

// EachRule calls fn for each rule as Rules would return it. *r is reused
// for the next rule: copy it to keep it (its expressions and their data
// stay valid).
//
// Without a chain it dumps one chain at a time, in the kernel's order of
// chains, as iptables-nft does (fetch_rule_cache): the kernel restarts a
// dump's walk from the first rule for every read, so one dump of a whole
// table or family costs time quadratic in its rules (4.9 s for 50,000
// rules here, against 0.35 s chain by chain).
func (c *Conn) EachRule(fam ext.Family, table, chain string, fn func(r *Rule) error) error {
	if chain != "" {
		return c.eachRule(fam, table, chain, fn)
	}
	cs, err := c.Chains(fam, table)
	if err != nil {
		return err
	}
	for _, ch := range cs {
		if err := c.eachRule(fam, ch.Table, ch.Name, fn); err != nil {
			return err
		}
	}
	return nil
}

func (c *Conn) eachRule(fam ext.Family, table, chain string, fn func(r *Rule) error) error {
	c.req.B = c.req.B[:0]
	c.req.Object(kindRule, expr.ObjectHeader{Type: msgGetRule, Family: uint16(fam), Flags: flagDump, Seq: c.nextSeq()})
	c.req.U32(ruleFamily, uint32(fam))
	if table != "" {
		c.req.Str(ruleTable, table)
	}
	if chain != "" {
		c.req.Str(ruleChain, chain)
	}
	c.req.End()
	var r Rule
	var ar expr.Arena
	return c.talk(func(kind uint16, _ expr.ObjectHeader, rd *expr.Reader) (bool, error) {
		if kind != kindRule {
			skipObject(rd)
			return false, nil
		}
		r = Rule{}
		if err := decodeRule(rd, &r, &ar); err != nil {
			return true, err
		}
		return false, fn(&r)
	})
}

// Chain returns chain name of table of family fam, nil if the kernel has
// none: a GETCHAIN with NLM_F_ACK, as iptables-nft asks for each chain a
// command names (fetch_chain_cache).
func (c *Conn) Chain(fam ext.Family, table, name string) (*Chain, error) {
	c.req.B = c.req.B[:0]
	c.req.Object(kindChain, expr.ObjectHeader{Type: msgGetChain, Family: uint16(fam), Flags: flagAck, Seq: c.nextSeq()})
	c.req.Str(chainTable, table)
	c.req.Str(chainName, name)
	c.req.End()
	var ch *Chain
	err := c.talk(func(kind uint16, _ expr.ObjectHeader, r *expr.Reader) (bool, error) {
		if kind == kindChain {
			ch = decodeChain(r)
		}
		skipObject(r)
		return false, nil
	})
	if errors.Is(err, unix.ENOENT) {
		return nil, nil
	}
	return ch, err
}
