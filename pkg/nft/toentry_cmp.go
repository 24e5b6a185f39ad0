// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"encoding/binary"
	"net"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/nft/expr"
)

// cmp is nft_parse_cmp: what it compares depends on what was loaded
// into its register.
func (p *ruleParser) cmp(e *expr.Cmp) {
	g := p.sreg(e.SReg)
	if g == nil {
		return
	}
	switch g.kind {
	case regUndef:
		p.errmsg = "cmp sreg undef"
	case regMeta:
		p.cmpMeta(g, e)
	case regPayload:
		switch g.base {
		case expr.BaseNetwork:
			p.cmpNetwork(g, e)
		case expr.BaseTransport:
			p.cmpTransport(g, e)
		}
	default:
		p.errmsg = "cmp sreg has unknown type"
	}
}

// cmpMeta is the family's parse_meta and parse_meta.
func (p *ruleParser) cmpMeta(g *reg, e *expr.Cmp) {
	neq := e.Op == expr.CmpNEQ
	switch g.key {
	case expr.MetaL4Proto:
		p.proto = uint16(expr.U8(e.Data))
		if neq {
			p.invflags |= ext.InvProto
		}
	case expr.MetaIIFName, expr.MetaBRIIIF:
		parseIfname(e.Data, &p.iniface, &p.inmask)
		p.ifaceInv(neq, ext.InvViaIn, &p.iniface, &p.inmask)
	case expr.MetaOIFName, expr.MetaBRIOIF:
		parseIfname(e.Data, &p.outiface, &p.outmask)
		p.ifaceInv(neq, ext.InvViaOut, &p.outiface, &p.outmask)
	case expr.MetaIIF, expr.MetaOIF:
		name, mask, bit := &p.iniface, &p.inmask, uint8(ext.InvViaIn)
		if g.key == expr.MetaOIF {
			name, mask, bit = &p.outiface, &p.outmask, ext.InvViaOut
		}
		if neq {
			p.invflags |= bit
		}
		if ifi, err := net.InterfaceByIndex(int(expr.U32(e.Data))); err == nil {
			n := copy(name[:15], ifi.Name)
			for i := 0; i <= n && i < 16; i++ {
				mask[i] = 0xff
			}
		}
	case expr.MetaMark:
		info := p.alloc(16) // struct xt_mark_mtinfo1
		copy(info[:4], e.Data)
		mask := uint32(0xffffffff)
		if g.bitwise {
			mask = ne.Uint32(g.mask[:])
		}
		ne.PutUint32(info[4:], mask)
		if neq {
			info[8] = 1
		}
		p.matches = append(p.matches, xtExt{name: "mark", rev: markRevision, data: info})
	case expr.MetaPktType:
		info := p.alloc(8) // struct xt_pkttype_info
		ne.PutUint32(info, uint32(expr.U8(e.Data)))
		if neq {
			ne.PutUint32(info[4:], 1)
		}
		p.matches = append(p.matches, xtExt{name: "pkttype", data: info})
	default:
		p.errmsg = "unknown ipv4 meta key"
		if p.fam == ext.IPv6 {
			p.errmsg = "unknown ipv6 meta key"
		}
	}
}

// markRevision is the revision of "mark" iptables-nft picks: the newest
// the kernel knows (xt_mark has had revision 1 since Linux 2.6.28).
const markRevision = 1

// parseIfname is parse_ifname: a name without its NUL was a prefix,
// written back with its +.
func parseIfname(v []byte, name, mask *[16]byte) {
	if len(v) == 0 {
		return
	}
	copy(name[:], v)
	if v[len(v)-1] == 0 {
		for i := 0; i <= len(cstr(v)) && i < 16; i++ {
			mask[i] = 0xff
		}
		return
	}
	n := len(v)
	if n >= 16 {
		return
	}
	name[n] = '+'
	n++
	if n >= 16 {
		return
	}
	name[n] = 0
	for i := 0; i < n-1; i++ {
		mask[i] = 0xff
	}
}

// ifaceInv sets the inversion, and reads "INVAL/D" back as "! -i +"
// (parse_invalid_iface).
func (p *ruleParser) ifaceInv(neq bool, bit uint8, name, mask *[16]byte) {
	if neq {
		p.invflags |= bit
	}
	if p.invflags&bit != 0 || string(cstr(name[:])) != "INVAL/D" {
		return
	}
	p.invflags |= bit
	*name = [16]byte{'+'}
	*mask = [16]byte{0xff, 0xff}
}

// cmpNetwork is the family's parse_payload.
func (p *ruleParser) cmpNetwork(g *reg, e *expr.Cmp) {
	n := 4
	src, dst, proto, ttl, frag := uint32(12), uint32(16), uint32(9), uint32(8), uint32(6)
	if p.fam == ext.IPv6 {
		n, src, dst, proto, ttl, frag = 16, 8, 24, 6, 7, ^uint32(0)
	}
	neq := e.Op == expr.CmpNEQ
	switch g.offset {
	case src, dst:
		a, m, bit := &p.src, &p.smsk, uint8(ext.InvSrcIP)
		if g.offset == dst {
			a, m, bit = &p.dst, &p.dmsk, ext.InvDstIP
		}
		clear(a[:n])
		copy(a[:n], e.Data) // get_cmp_data: zero past the data
		*m = [16]byte{}
		if g.bitwise {
			copy(m[:n], g.mask[:n])
		} else {
			for i := 0; i < int(g.len) && i < n; i++ {
				m[i] = 0xff
			}
		}
		if neq {
			p.invflags |= bit
		}
	case proto:
		p.proto = uint16(expr.U8(e.Data))
		if neq {
			p.invflags |= ext.InvProto
		}
		if p.fam == ext.IPv6 { // 1.8.9 falls through into the hop limit case
			p.hl(e)
		}
	case frag:
		p.flags |= ext.FlagFrag4
		if g.bitwise && e.Op == expr.CmpEQ {
			p.invflags |= ext.InvFrag
		}
	case ttl:
		p.hl(e)
	default:
		p.errmsg = "unknown payload offset"
	}
}

// hl is nft_parse_hl: ttl (ext.IPv4) or hl (ext.IPv6) as its match.
func (p *ruleParser) hl(e *expr.Cmp) {
	v := expr.U8(e.Data)
	var mode uint8
	switch e.Op {
	case expr.CmpNEQ:
		mode = 1 // IP6T_HL_NE
	case expr.CmpEQ:
		mode = 0 // IP6T_HL_EQ
	case expr.CmpLT:
		mode = 2
	case expr.CmpGT:
		mode = 3
	case expr.CmpLTE:
		if v == 255 {
			p.errmsg = "invalid ttl field match"
			return
		}
		mode, v = 2, v+1
	case expr.CmpGTE:
		if v == 0 {
			p.errmsg = "invalid ttl field match"
			return
		}
		mode, v = 3, v-1
	default:
		p.errmsg = "invalid ttl field match"
		return
	}
	name := "ttl"
	if p.fam == ext.IPv6 {
		name = "hl"
	}
	info := p.alloc(8)
	info[0], info[1] = mode, v
	p.matches = append(p.matches, xtExt{name: name, data: info})
}

// cmpTransport is nft_parse_transport.
func (p *ruleParser) cmpTransport(g *reg, e *expr.Cmp) {
	switch p.proto {
	case protoTCP, protoUDP:
	case 1, 58: // IPPROTO_ICMP, IPPROTO_ICMPV6
		p.icmp(g, e)
		return
	default:
		p.errmsg = "unsupported layer 4 protocol value"
		return
	}
	switch {
	case g.offset == 0 && len(e.Data) == 2:
		p.thPort(int(binary.BigEndian.Uint16(e.Data)), -1, e.Op)
	case g.offset == 0 && len(e.Data) == 4:
		sd := binary.BigEndian.Uint32(e.Data)
		p.thPort(int(sd>>16), int(sd&0xffff), e.Op)
	case g.offset == 2 && len(e.Data) == 2:
		p.thPort(-1, int(binary.BigEndian.Uint16(e.Data)), e.Op)
	case g.offset == 13 && len(e.Data) == 1 && p.proto == protoTCP:
		mask := uint8(0xff)
		if g.bitwise {
			mask = g.mask[0]
		}
		d := p.portsMatch(true)
		if e.Op == expr.CmpNEQ {
			d[11] |= tcpInvFlags
		}
		d[10], d[9] = e.Data[0], mask
	}
}

// portsMatch returns the info of the rule's tcp (or udp) match, made
// (nft_create_match: ports 0:65535) on first use.
func (p *ruleParser) portsMatch(tcp bool) []byte {
	idx, name := &p.udp, "udp"
	if tcp {
		idx, name = &p.tcp, "tcp"
	}
	if *idx == 0 {
		d := p.alloc(16)
		ne.PutUint16(d[2:], 0xffff)
		ne.PutUint16(d[6:], 0xffff)
		p.matches = append(p.matches, xtExt{name: name, data: d})
		*idx = len(p.matches)
	}
	return p.matches[*idx-1].data
}

// thPort is nft_parse_th_port with port_match_single_to_range.
func (p *ruleParser) thPort(sport, dport int, op uint32) {
	d := p.portsMatch(p.proto == protoTCP)
	inv := &d[8]
	if p.proto == protoTCP {
		inv = &d[11]
	}
	single(d[0:4], inv, op, sport, tcpInvSrc)
	single(d[4:8], inv, op, dport, tcpInvDst)
}

func single(pts []byte, inv *uint8, op uint32, port int, bit uint8) {
	if port < 0 {
		return
	}
	switch op {
	case expr.CmpNEQ:
		*inv |= bit
		fallthrough
	case expr.CmpEQ:
		ne.PutUint16(pts, uint16(port))
		ne.PutUint16(pts[2:], uint16(port))
	case expr.CmpLT:
		ne.PutUint16(pts[2:], uint16(max(port-1, 1)))
	case expr.CmpLTE:
		ne.PutUint16(pts[2:], uint16(port))
	case expr.CmpGT:
		ne.PutUint16(pts, uint16(min(port+1, 0xffff)))
	case expr.CmpGTE:
		ne.PutUint16(pts, uint16(port))
	}
}

// rangeExpr is nft_parse_range: port ranges.
func (p *ruleParser) rangeExpr(e *expr.Range) {
	g := p.sreg(e.SReg)
	if g == nil {
		return
	}
	switch {
	case g.kind == regUndef:
		p.errmsg = "range sreg undef"
	case g.kind != regPayload:
		p.errmsg = "range sreg type unsupported"
	case g.base != expr.BaseTransport:
		p.errmsg = "range with unknown payload base"
	case len(e.From) != 2 || len(e.To) != 2:
	case p.proto != protoTCP && p.proto != protoUDP:
	case g.offset == 0 || g.offset == 2:
		d := p.portsMatch(p.proto == protoTCP)
		inv := &d[8]
		if p.proto == protoTCP {
			inv = &d[11]
		}
		pts, bit := d[0:4], uint8(tcpInvSrc)
		if g.offset == 2 {
			pts, bit = d[4:8], tcpInvDst
		}
		if e.Op == expr.CmpNEQ {
			*inv |= bit
		}
		if e.Op == expr.CmpEQ || e.Op == expr.CmpNEQ {
			ne.PutUint16(pts, binary.BigEndian.Uint16(e.From))
			ne.PutUint16(pts[2:], binary.BigEndian.Uint16(e.To))
		}
	}
}

// icmp is nft_parse_icmp: a type, or a type and code, as icmp/icmp6.
func (p *ruleParser) icmp(g *reg, e *expr.Cmp) {
	info := p.alloc(8) // type, code[2], invflags
	info[0], info[2] = 0xff, 0xff
	data := e.Data
	if len(data) < 1 {
		p.errmsg = "unexpected RHS data length"
		return
	}
	switch g.offset {
	case 0:
		info[0] = data[0]
		if len(data) == 1 {
			break
		}
		data = data[1:]
		fallthrough
	case 1:
		if len(data) > 1 {
			p.errmsg = "unexpected RHS data length"
			return
		}
		info[1], info[2] = data[0], data[0]
	default:
		p.errmsg = "unexpected payload offset"
		return
	}
	name := "icmp"
	if p.fam == ext.IPv6 {
		if info[0] == 0xff {
			p.errmsg = "icmp6 code with any type match not supported"
			return
		}
		name = "icmp6"
	}
	p.matches = append(p.matches, xtExt{name: name, data: info})
}
