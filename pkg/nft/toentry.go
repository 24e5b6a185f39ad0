// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"fmt"
	"strings"
	"sync"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/nft/expr"
)

// ParseError is a rule iptables-nft 1.8.9 cannot read back: it prints
// "Error: <msg>" for each (nft_rule_to_iptables_command_state), then
// fails with "Parsing nftables rule failed" (VERSION_PROBLEM, status 3).
type ParseError struct {
	Msgs []string
}

// ParseMessages are the problems, one "Error: " line each.
func (e *ParseError) ParseMessages() []string { return e.Msgs }

func (e *ParseError) Error() string {
	return "Error: " + strings.Join(e.Msgs, "\nError: ") + "\nParsing nftables rule failed"
}

// ToEntry translates a rule as iptables-nft 1.8.9 reads it
// (nft_rule_to_iptables_command_state) into the x_tables entry goipt
// works with. Natively encoded matches come back as their xt structs at
// the revision iptables-nft picks; the target is the standard target for
// verdicts, jumps and no verdict (TargetIsChain for jumps), NFLOG for a
// log statement, TRACE for meta nftrace. A rule with expressions
// iptables-nft does not write is read as iptables-nft reads it; check
// Compatible first to refuse it as iptables-nft does.
func ToEntry(r *Rule) (*Entry, error) {
	p := parsers.Get().(*ruleParser)
	defer parsers.Put(p)
	*p = ruleParser{fam: r.Family}
	p.matches = p.matchBuf[:0]
	for _, e := range r.Exprs {
		p.expr(e)
		if p.errmsg != "" {
			p.errs = append(p.errs, p.errmsg)
			p.errmsg = ""
		}
	}
	if c := comment(r.UserData); c != nil {
		info := p.alloc(256) // struct xt_comment_info
		copy(info[:255], c)
		p.matches = append(p.matches, xtExt{name: "comment", data: info})
	}
	if len(p.errs) > 0 {
		return nil, &ParseError{Msgs: append([]string(nil), p.errs...)}
	}
	e := &Entry{Family: r.Family, Table: r.Table, Chain: r.Chain, TargetIsChain: p.isChain}
	e.Bytes = p.entry()
	return e, nil
}

// parsers are reused: a parser is some 2 KiB, whose infos the entry copies.
var parsers = sync.Pool{New: func() any { return new(ruleParser) }}

// reg is what iptables-nft's parser knows of a register (struct
// nft_xt_ctx_reg).
type reg struct {
	kind    uint8 // regUndef...
	base    uint32
	offset  uint32
	len     uint32
	key     uint32
	imm     []byte
	bitwise bool
	mask    [16]byte
}

const (
	regUndef = iota
	regPayload
	regImmediate
	regMeta
)

// ruleParser is iptables_command_state being filled from expressions.
type ruleParser struct {
	fam    ext.Family
	regs   [16]reg
	errmsg string
	errs   []string

	iniface, outiface, inmask, outmask [16]byte
	src, dst, smsk, dmsk               [16]byte
	proto                              uint16
	flags, invflags                    uint8
	packets, bytes                     uint64

	matches  []xtExt
	tcp, udp int // index+1 in matches of the tcp and udp match, 0 if none

	// Room for a few matches and their infos, to allocate once a rule.
	matchBuf [4]xtExt
	scratch  [512]byte
	used     int
	target   *xtExt
	jumpto   string
	isChain  bool
}

// regIndex maps a register to a 32-bit slot, as nft_xt_ctx_get_sreg.
func regIndex(r uint32) int {
	switch {
	case r >= 1 && r <= 4:
		return int(r-1) * 4
	case r >= 8 && r < 24: // NFT_REG32_00..15
		return int(r - 8)
	}
	return -1
}

func (p *ruleParser) sreg(r uint32) *reg {
	i := regIndex(r)
	if i < 0 {
		p.errmsg = fmt.Sprintf("invalid sreg %d", r)
		return nil
	}
	return &p.regs[i]
}

func (p *ruleParser) dreg(r uint32) *reg {
	g := p.sreg(r)
	if g != nil {
		*g = reg{}
	}
	return g
}

func (p *ruleParser) expr(e expr.Any) {
	switch e := e.(type) {
	case *expr.Counter:
		p.packets, p.bytes = e.Packets, e.Bytes
	case *expr.Payload:
		if g := p.dreg(e.DReg); g != nil {
			g.kind, g.base, g.offset, g.len = regPayload, e.Base, e.Offset, e.Len
		}
	case *expr.Meta:
		p.meta(e)
	case *expr.Bitwise:
		p.bitwise(e)
	case *expr.Cmp:
		p.cmp(e)
	case *expr.Immediate:
		if g := p.dreg(e.DReg); g != nil {
			if len(e.Data) > 16 {
				p.errmsg = "oversized immediate data"
				return
			}
			g.kind, g.imm = regImmediate, e.Data
		}
	case *expr.Verdict:
		p.verdict(e)
	case *expr.Match:
		p.matches = append(p.matches, xtExt{name: e.ExtName, rev: uint8(e.Rev), data: e.Info})
	case *expr.Target:
		p.target, p.jumpto = &xtExt{name: e.ExtName, rev: uint8(e.Rev), data: e.Info}, e.ExtName
	case *expr.Limit:
		p.limit(e)
	case *expr.Log:
		p.log(e)
	case *expr.Range:
		p.rangeExpr(e)
	}
}

func (p *ruleParser) meta(e *expr.Meta) {
	if !e.SetReg {
		if g := p.dreg(e.Reg); g != nil {
			g.kind, g.key = regMeta, e.Key
		}
		return
	}
	g := p.sreg(e.Reg)
	if g == nil {
		return
	}
	switch {
	case e.Key != expr.MetaNFTrace:
		p.errmsg = "meta sreg key not supported"
	case g.kind != regImmediate:
		p.errmsg = "meta nftrace but reg not immediate"
	case len(g.imm) == 0 || g.imm[0] == 0:
		p.errmsg = "trace is cleared"
	default:
		p.target, p.jumpto = &xtExt{name: "TRACE"}, "TRACE"
	}
}

func (p *ruleParser) bitwise(e *expr.Bitwise) {
	s := p.sreg(e.SReg)
	if s == nil {
		return
	}
	d := s
	if e.DReg != e.SReg {
		if d = p.sreg(e.DReg); d == nil {
			return
		}
		*d = *s
	}
	if len(e.Xor) > 16 {
		p.errmsg = "bitwise xor too large"
		return
	}
	if len(e.Mask) > 16 {
		p.errmsg = "bitwise mask too large"
		return
	}
	d.mask = [16]byte{}
	copy(d.mask[:], e.Mask)
	d.bitwise = true
}

func (p *ruleParser) verdict(e *expr.Verdict) {
	switch e.Code {
	case expr.VerdictAccept:
		p.jumpto = "ACCEPT"
	case expr.VerdictDrop:
		p.jumpto = "DROP"
	case expr.VerdictReturn:
		p.jumpto = "RETURN"
	case expr.VerdictGoto:
		p.flags |= ext.GotoFlag(p.fam)
		fallthrough
	case expr.VerdictJump:
		p.jumpto, p.isChain, p.target = e.Chain, true, nil
		return
	default:
		return
	}
	p.target, p.isChain = &xtExt{name: p.jumpto, data: verdictInfo[:]}, false
}

// alloc returns n zero bytes of the parser's scratch (a rule's infos
// are small), or of the heap.
func (p *ruleParser) alloc(n int) []byte {
	if p.used+n > len(p.scratch) {
		return make([]byte, n)
	}
	b := p.scratch[p.used : p.used+n : p.used+n]
	p.used += n
	return b
}
