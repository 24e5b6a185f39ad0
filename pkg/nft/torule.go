// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"encoding/binary"
	"fmt"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/nft/expr"
)

// Entry is an x_tables entry to translate: what goipt builds for a rule.
type Entry struct {
	Family ext.Family
	Table  string
	Chain  string
	// Bytes is struct ipt_entry or ip6t_entry with its matches and target.
	Bytes []byte
	// TargetIsChain: the target is a jump (or goto) to a user chain, not
	// an extension of the same name.
	TargetIsChain bool
	// LogPrefix, when set, is the whole --nflog-prefix of an NFLOG
	// target: iptables-nft writes it from the extension's udata, while
	// the entry holds its first 63 bytes.
	LogPrefix string
}

// ToRule translates e into the rule iptables-nft 1.8.9 builds for it
// (nft_rule_new and the family's add: nft_ipv4_add, nft_ipv6_add),
// expression for expression, NFTA_RULE_COMPAT included. The rule's
// compat infos alias e.Bytes.
func ToRule(e *Entry) (*Rule, error) { return ToRuleIn(e, nil) }

// ToRuleIn is ToRule with the rule's expressions and their data from ar
// (nil: allocated): a restore resets one arena after each Batch.AddRule.
func ToRuleIn(e *Entry, ar *expr.Arena) (*Rule, error) {
	l := ext.Layout(e.Family)
	b := e.Bytes
	if len(b) < l.Size {
		return nil, fmt.Errorf("nft: entry of %d bytes", len(b))
	}
	tOff, nOff := int(ne.Uint16(b[l.TargetOffset:])), int(ne.Uint16(b[l.NextOffset:]))
	if tOff < l.Size || tOff > nOff || nOff > len(b) {
		return nil, fmt.Errorf("nft: entry offsets %d, %d of %d bytes", tOff, nOff, len(b))
	}
	r := &Rule{Family: e.Family, Table: e.Table, Chain: e.Chain, HasCompat: true, Exprs: ar.Exprs(16)}
	x := &ruleBuilder{r: r, ar: ar}
	x.header(e.Family, b, l)
	proto, inv := ne.Uint16(b[l.Proto:]), b[l.InvFlags]
	r.CompatProto = uint32(proto)
	if inv&ext.InvProto != 0 {
		r.CompatFlags = CompatInv
	}
	for off := l.Size; off < tOff; {
		m, size, ok := readExt(b[off:tOff])
		if !ok {
			return nil, fmt.Errorf("nft: bad match at offset %d", off)
		}
		if err := x.match(m); err != nil {
			return nil, err
		}
		off += size
	}
	// ip6tables-nft 1.8.9 dropped -c (ipv6_post_parse set fw6.counters,
	// nft_ipv6_add wrote cs->counters); 1.8.11 writes them, as here.
	add(x, expr.Counter{Packets: ne.Uint64(b[l.Packets:]), Bytes: ne.Uint64(b[l.Bytes:])})
	t, _, ok := readExt(b[tOff:nOff])
	if !ok {
		return nil, fmt.Errorf("nft: bad target at offset %d", tOff)
	}
	x.action(t, e, b[l.Flags]&ext.GotoFlag(e.Family) != 0)
	return r, nil
}

// ruleBuilder appends a rule's expressions; the add_* helpers of
// nft-shared.c, all loading into register 1.
type ruleBuilder struct {
	r  *Rule
	ar *expr.Arena
}

func (x *ruleBuilder) add(e expr.Any) { x.r.Exprs = append(x.r.Exprs, e) }

// add appends expression v, made in x's arena.
func add[T any, P interface {
	*T
	expr.Any
}](x *ruleBuilder, v T) {
	e := P(expr.New[T](x.ar))
	*e = v
	x.add(e)
}

// b, copyb, cstring, be16 and be32 are expression data in x's arena.
func (x *ruleBuilder) b(v ...byte) []byte { return x.copyb(v) }

func (x *ruleBuilder) copyb(v []byte) []byte {
	b := x.ar.Bytes(len(v))
	copy(b, v)
	return b
}

func (x *ruleBuilder) cstring(v []byte) []byte {
	b := x.ar.Bytes(len(v) + 1)
	copy(b, v)
	return b
}

func (x *ruleBuilder) be16(v uint16) []byte {
	b := x.ar.Bytes(2)
	binary.BigEndian.PutUint16(b, v)
	return b
}

func (x *ruleBuilder) be32(v uint32) []byte {
	b := x.ar.Bytes(4)
	binary.BigEndian.PutUint32(b, v)
	return b
}

// invalid is what iptables-nft compares an interface name with for
// "! -i +": no interface is named so.
var invalid = []byte("INVAL/D\x00")

func cmpOp(inv uint8, bit uint8) uint32 {
	if inv&bit != 0 {
		return expr.CmpNEQ
	}
	return expr.CmpEQ
}

// header adds the entry's interfaces, protocol, addresses and fragment
// test, in nft_ipv4_add's order.
func (x *ruleBuilder) header(fam ext.Family, b []byte, l *ext.EntryLayout) {
	inv := b[l.InvFlags]
	if in := cstr(b[l.InIface : l.InIface+16]); len(in) > 0 {
		x.iface(expr.MetaIIFName, in, cmpOp(inv, ext.InvViaIn))
	}
	if out := cstr(b[l.OutIface : l.OutIface+16]); len(out) > 0 {
		x.iface(expr.MetaOIFName, out, cmpOp(inv, ext.InvViaOut))
	}
	if p := ne.Uint16(b[l.Proto:]); p != 0 {
		add(x, expr.Meta{Key: expr.MetaL4Proto, Reg: expr.Reg1})
		add(x, expr.Cmp{SReg: expr.Reg1, Op: cmpOp(inv, ext.InvProto), Data: x.b(uint8(p))})
	}
	n := addrLen(l)
	srcOff, dstOff := uint32(12), uint32(16) // offsetof(struct iphdr, saddr/daddr)
	if fam == ext.IPv6 {
		srcOff, dstOff = 8, 24 // offsetof(struct ip6_hdr, ip6_src/ip6_dst)
	}
	if src, m := b[l.Src:l.Src+n], b[l.SrcMask:l.SrcMask+n]; !zero(src) || !zero(m) || inv&ext.InvSrcIP != 0 {
		x.addr(srcOff, src, m, cmpOp(inv, ext.InvSrcIP))
	}
	if dst, m := b[l.Dst:l.Dst+n], b[l.DstMask:l.DstMask+n]; !zero(dst) || !zero(m) || inv&ext.InvDstIP != 0 {
		x.addr(dstOff, dst, m, cmpOp(inv, ext.InvDstIP))
	}
	if fam == ext.IPv4 && b[l.Flags]&ext.FlagFrag4 != 0 {
		// The 13 bits of the fragment offset: non-zero, a fragment.
		add(x, expr.Payload{DReg: expr.Reg1, Base: expr.BaseNetwork, Offset: 6, Len: 2})
		add(x, expr.Bitwise{SReg: expr.Reg1, DReg: expr.Reg1, Len: 2, Mask: x.b(0x1f, 0xff), Xor: x.b(0, 0)})
		op := uint32(expr.CmpNEQ)
		if inv&ext.InvFrag != 0 {
			op = expr.CmpEQ
		}
		add(x, expr.Cmp{SReg: expr.Reg1, Op: op, Data: x.b(0, 0)})
	}
}

func zero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// iface is add_iniface/add_outiface: a trailing + compares the prefix;
// "! -i +" compares with "INVAL/D", which no interface is named; "-i +"
// loads the name and compares nothing.
func (x *ruleBuilder) iface(key uint32, name []byte, op uint32) {
	add(x, expr.Meta{Key: key, Reg: expr.Reg1})
	switch {
	case name[len(name)-1] != '+':
		add(x, expr.Cmp{SReg: expr.Reg1, Op: op, Data: x.cstring(name)})
	case len(name) > 1:
		add(x, expr.Cmp{SReg: expr.Reg1, Op: op, Data: x.copyb(name[:len(name)-1])})
	case op != expr.CmpEQ:
		add(x, expr.Cmp{SReg: expr.Reg1, Op: expr.CmpEQ, Data: x.copyb(invalid)})
	}
}

// addr is add_addr: a prefix mask shortens the load to its whole bytes;
// any other mask is applied with a bitwise.
func (x *ruleBuilder) addr(offset uint32, a, m []byte, op uint32) {
	n := len(a)
	i, bitwise := 0, false
	for ; i < n; i++ {
		if m[i] != 0xff {
			bitwise = m[i] != 0
			break
		}
	}
	for j := i + 1; !bitwise && j < n; j++ {
		bitwise = m[j] != 0
	}
	if !bitwise {
		n = i
	}
	add(x, expr.Payload{DReg: expr.Reg1, Base: expr.BaseNetwork, Offset: offset, Len: uint32(n)})
	if bitwise {
		add(x, expr.Bitwise{SReg: expr.Reg1, DReg: expr.Reg1, Len: uint32(n),
			Mask: x.copyb(m[:n]), Xor: x.ar.Bytes(n)})
	}
	add(x, expr.Cmp{SReg: expr.Reg1, Op: op, Data: x.copyb(a[:n])})
}
