// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/nft/expr"
	"github.com/goipt/goipt/pkg/parse"
)

// The matches iptables-nft 1.8.9 writes as native expressions (add_match:
// limit, udp, tcp, mark); every other match is a compat match.

// xt_tcp and xt_udp: ports in host order, then (tcp) option, flag mask,
// flag comparison, and the inversions.
const (
	tcpSize      = 12 // sizeof(struct xt_tcp)
	udpSize      = 10 // sizeof(struct xt_udp)
	tcpInvSrc    = 0x01
	tcpInvDst    = 0x02
	tcpInvFlags  = 0x04
	tcpSupported = tcpInvSrc | tcpInvDst | tcpInvFlags
	udpInvMask   = 0x03
	protoTCP     = 6
	protoUDP     = 17
)

type ports struct {
	src, dst       [2]uint16
	invSrc, invDst bool
}

func readPorts(d []byte) ports {
	return ports{src: [2]uint16{ne.Uint16(d), ne.Uint16(d[2:])}, dst: [2]uint16{ne.Uint16(d[4:]), ne.Uint16(d[6:])}}
}

// allZero is tcp_all_zero/udp_all_zero: "-m tcp" alone stays a compat
// match, as iptables-legacy keeps it.
func allZero(d []byte, size int) bool {
	for i := 0; i < size; i++ {
		want := byte(0)
		if i == 2 || i == 3 || i == 6 || i == 7 {
			want = 0xff // spts[1], dpts[1]: 0xffff
		}
		if d[i] != want {
			return false
		}
	}
	return true
}

func (x *ruleBuilder) udp(m xtExt) (native bool, err error) {
	d := m.data
	if len(d) < udpSize || d[8] > udpInvMask || allZero(d, udpSize) {
		return false, nil
	}
	if x.r.CompatProto != protoUDP {
		return false, parse.Errorf(parse.ParameterProblem, "UDP match requires '-p udp'")
	}
	p := readPorts(d)
	p.invSrc, p.invDst = d[8]&tcpInvSrc != 0, d[8]&tcpInvDst != 0
	x.tcpudp(p)
	return true, nil
}

func (x *ruleBuilder) tcp(m xtExt) (native bool, err error) {
	d := m.data
	if len(d) < tcpSize || d[11]&^tcpSupported != 0 || d[8] != 0 || allZero(d, tcpSize) {
		return false, nil
	}
	if x.r.CompatProto != protoTCP {
		return false, parse.Errorf(parse.ParameterProblem, "TCP match requires '-p tcp'")
	}
	if mask := d[9]; mask != 0 {
		add(x, expr.Payload{DReg: expr.Reg1, Base: expr.BaseTransport, Offset: 13, Len: 1})
		add(x, expr.Bitwise{SReg: expr.Reg1, DReg: expr.Reg1, Len: 1, Mask: x.b(mask), Xor: x.b(0)})
		add(x, expr.Cmp{SReg: expr.Reg1, Op: cmpOp(d[11], tcpInvFlags), Data: x.b(d[10])})
	}
	p := readPorts(d)
	p.invSrc, p.invDst = d[11]&tcpInvSrc != 0, d[11]&tcpInvDst != 0
	x.tcpudp(p)
	return true, nil
}

// tcpudp is add_nft_tcpudp as iptables 1.8.11 has it: one 4-byte load
// for a single source and destination port, neither inverted, else a test
// per side, an inverted side always. 1.8.9 tested two inverted single
// ports with one "!=" of both (a packet with either port other passed)
// and dropped an inverted full range ("! --sport 0:65535" matched all).
func (x *ruleBuilder) tcpudp(p ports) {
	if !p.invSrc && !p.invDst && p.src[0] != 0 && p.src[0] == p.src[1] && p.dst[0] != 0 && p.dst[0] == p.dst[1] {
		add(x, expr.Payload{DReg: expr.Reg1, Base: expr.BaseTransport, Offset: 0, Len: 4})
		add(x, expr.Cmp{SReg: expr.Reg1, Op: expr.CmpEQ, Data: x.be32(uint32(p.src[0])<<16 | uint32(p.dst[0]))})
		return
	}
	if p.src[0] != 0 || p.src[1] < 0xffff || p.invSrc {
		add(x, expr.Payload{DReg: expr.Reg1, Base: expr.BaseTransport, Offset: 0, Len: 2})
		x.portRange(p.src, p.invSrc)
	}
	if p.dst[0] != 0 || p.dst[1] < 0xffff || p.invDst {
		add(x, expr.Payload{DReg: expr.Reg1, Base: expr.BaseTransport, Offset: 2, Len: 2})
		x.portRange(p.dst, p.invDst)
	}
}

// portRange is expr_gen_range_cmp16.
func (x *ruleBuilder) portRange(r [2]uint16, inv bool) {
	lo, hi := r[0], r[1]
	switch {
	case lo == hi:
		op := uint32(expr.CmpEQ)
		if inv {
			op = expr.CmpNEQ
		}
		add(x, expr.Cmp{SReg: expr.Reg1, Op: op, Data: x.be16(lo)})
	case lo == 0 && hi < 0xffff:
		op := uint32(expr.CmpLTE)
		if inv {
			op = expr.CmpGT
		}
		add(x, expr.Cmp{SReg: expr.Reg1, Op: op, Data: x.be16(hi)})
	default:
		op := uint32(expr.CmpEQ)
		if inv {
			op = expr.CmpNEQ
		}
		add(x, expr.Range{SReg: expr.Reg1, Op: op, From: x.be16(lo), To: x.be16(hi)})
	}
}

// mark is add_nft_mark; it reads the info as struct xt_mark_mtinfo1
// whatever the revision, as iptables-nft does.
func (x *ruleBuilder) mark(m xtExt) {
	d := m.data
	add(x, expr.Meta{Key: expr.MetaMark, Reg: expr.Reg1})
	if mask := ne.Uint32(d[4:]); mask != 0xffffffff {
		add(x, expr.Bitwise{SReg: expr.Reg1, DReg: expr.Reg1, Len: 4, Mask: x.copyb(d[4:8]), Xor: x.ar.Bytes(4)})
	}
	op := uint32(expr.CmpEQ)
	if d[8] != 0 {
		op = expr.CmpNEQ
	}
	add(x, expr.Cmp{SReg: expr.Reg1, Op: op, Data: x.copyb(d[0:4])})
}

// limitScale is XT_LIMIT_SCALE.
const limitScale = 10000

var limitMult = [4]uint32{limitScale * 24 * 60 * 60, limitScale * 60 * 60, limitScale * 60, limitScale}

// limit is add_nft_limit: the largest unit that keeps the rate whole.
func (x *ruleBuilder) limit(m xtExt) {
	avg, burst := ne.Uint32(m.data), ne.Uint32(m.data[4:])
	i := 1
	for ; i < len(limitMult); i++ {
		if avg == 0 {
			break // iptables-nft divides by zero here; libxtables never builds it
		}
		if avg > limitMult[i] || limitMult[i]/avg < limitMult[i]%avg {
			break
		}
	}
	var rate uint64
	if avg != 0 {
		rate = uint64(limitMult[i-1] / avg)
	}
	add(x, expr.Limit{Type: expr.LimitPackets, Rate: rate, Unit: uint64(limitMult[i-1] / limitScale), Burst: burst})
}

// match is add_match.
func (x *ruleBuilder) match(m xtExt) error {
	native, err := false, error(nil)
	switch m.name {
	case "limit":
		if len(m.data) >= 8 {
			x.limit(m)
			native = true
		}
	case "udp":
		native, err = x.udp(m)
	case "tcp":
		native, err = x.tcp(m)
	case "mark":
		if len(m.data) >= 9 {
			x.mark(m)
			native = true
		}
	}
	if err != nil || native {
		return err
	}
	add(x, expr.Match{Ext: expr.Ext{ExtName: m.name, Rev: uint32(m.rev), Info: m.data}})
	return nil
}

// Follows1811 tells whether an entry's translation follows iptables
// 1.8.11 where 1.8.9 writes otherwise: IPv6 counters (1.8.9 drops -c),
// a tcp or udp match of an inverted port test that 1.8.9 drops (a full
// range) or merges (single source and destination ports, both inverted).
func Follows1811(fam ext.Family, entry []byte) bool {
	l := ext.Layout(fam)
	if fam == ext.IPv6 && (ne.Uint64(entry[l.Packets:]) != 0 || ne.Uint64(entry[l.Bytes:]) != 0) {
		return true
	}
	ms, _ := splitEntry(entry, l)
	for _, m := range ms {
		var p ports
		switch d := m.data; {
		case m.name == "udp" && len(d) >= udpSize && d[8] <= udpInvMask && !allZero(d, udpSize):
			p = readPorts(d)
			p.invSrc, p.invDst = d[8]&tcpInvSrc != 0, d[8]&tcpInvDst != 0
		case m.name == "tcp" && len(d) >= tcpSize && d[11]&^tcpSupported == 0 && d[8] == 0 && !allZero(d, tcpSize):
			p = readPorts(d)
			p.invSrc, p.invDst = d[11]&tcpInvSrc != 0, d[11]&tcpInvDst != 0
		default:
			continue
		}
		full := func(r [2]uint16) bool { return r[0] == 0 && r[1] == 0xffff }
		single := func(r [2]uint16) bool { return r[0] != 0 && r[0] == r[1] }
		if (p.invSrc && full(p.src)) || (p.invDst && full(p.dst)) ||
			(p.invSrc && p.invDst && single(p.src) && single(p.dst)) {
			return true
		}
	}
	return false
}
