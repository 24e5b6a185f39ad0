// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/nft/expr"
)

// limit is nft_parse_limit: struct xt_rateinfo with the average back in
// XT_LIMIT_SCALE units.
func (p *ruleParser) limit(e *expr.Limit) {
	info := p.alloc(40) // struct xt_rateinfo on 64-bit
	if e.Rate != 0 {
		ne.PutUint32(info, uint32(limitScale*e.Unit/e.Rate))
	}
	ne.PutUint32(info[4:], e.Burst)
	p.matches = append(p.matches, xtExt{name: "limit", data: info})
}

// log is nft_parse_log: NFLOG with iptables-nft's own info layout, whose
// prefix holds 128 bytes (struct xt_nflog_info_nft).
func (p *ruleParser) log(e *expr.Log) {
	info := p.alloc(144)
	ne.PutUint16(info[4:], e.Group)
	ne.PutUint16(info[6:], e.QThreshold)
	if e.Has&expr.LogHasSnaplen != 0 {
		ne.PutUint32(info, e.Snaplen)
		ne.PutUint16(info[8:], nflogCopyLen)
	}
	if e.Has&expr.LogHasPrefix != 0 {
		copy(info[12:12+127], e.Prefix)
	}
	p.target, p.jumpto, p.isChain = &xtExt{name: "NFLOG", data: info}, "NFLOG", false
}

// comment is get_comment: the comment in rule userdata (type 0,
// NUL-terminated), nil if none.
func comment(ud []byte) []byte {
	var c []byte
	for len(ud) >= 2 {
		typ, n := ud[0], int(ud[1])
		if len(ud) < 2+n {
			return nil
		}
		v := ud[2 : 2+n]
		if typ == 0 { // UDATA_TYPE_COMMENT
			if n == 0 || v[n-1] != 0 {
				return nil
			}
			c = cstr(v)
		}
		ud = ud[2+n:]
	}
	return c
}

// verdictInfo is the standard target's info as iptables-nft makes it
// (XT_ALIGN(sizeof(int)) zero bytes); appendExt copies it.
var verdictInfo [8]byte

// entry lays the parsed rule out as an x_tables entry.
func (p *ruleParser) entry() []byte {
	l := ext.Layout(p.fam)
	size := l.Size
	for _, m := range p.matches {
		size += ext.ExtHeaderSize + xtAlign(len(m.data))
	}
	b := make([]byte, l.Size, size+ext.ExtHeaderSize+144)
	n := addrLen(l)
	copy(b[l.Src:], p.src[:n])
	copy(b[l.Dst:], p.dst[:n])
	copy(b[l.SrcMask:], p.smsk[:n])
	copy(b[l.DstMask:], p.dmsk[:n])
	copy(b[l.InIface:], p.iniface[:])
	copy(b[l.OutIface:], p.outiface[:])
	copy(b[l.InMask:], p.inmask[:])
	copy(b[l.OutMask:], p.outmask[:])
	ne.PutUint16(b[l.Proto:], p.proto)
	b[l.Flags], b[l.InvFlags] = p.flags, p.invflags
	ne.PutUint64(b[l.Packets:], p.packets)
	ne.PutUint64(b[l.Bytes:], p.bytes)
	for _, m := range p.matches {
		b = appendExt(b, m.name, m.rev, m.data)
	}
	tOff := len(b)
	switch {
	case p.target != nil:
		b = appendExt(b, p.target.name, p.target.rev, p.target.data)
	default: // a jump, or no verdict: the standard target named so
		b = appendExt(b, p.jumpto, 0, verdictInfo[:])
	}
	ne.PutUint16(b[l.TargetOffset:], uint16(tOff))
	ne.PutUint16(b[l.NextOffset:], uint16(len(b)))
	return b
}
