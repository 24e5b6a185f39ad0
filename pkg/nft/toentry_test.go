// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"errors"
	"testing"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/nft/expr"
)

// Rules iptables-nft 1.8.9 reads but does not write (nft, or newer
// iptables, wrote them), and rules it cannot read.
func TestToEntryForeign(t *testing.T) {
	meta := func(k uint32) expr.Any { return &expr.Meta{Key: k, Reg: expr.Reg1} }
	pl := func(base, off, n uint32) expr.Any {
		return &expr.Payload{DReg: expr.Reg1, Base: base, Offset: off, Len: n}
	}
	cmp := func(op uint32, d ...byte) expr.Any { return &expr.Cmp{SReg: expr.Reg1, Op: op, Data: d} }
	for _, c := range []struct {
		name  string
		exprs []expr.Any
		want  func(t *testing.T, ms []xtExt, hdr []byte)
	}{
		{"tcp dport < 1024 (lt)", []expr.Any{meta(expr.MetaL4Proto), cmp(expr.CmpEQ, 6), pl(2, 2, 2), cmp(expr.CmpLT, 4, 0)},
			func(t *testing.T, ms []xtExt, _ []byte) {
				if len(ms) != 1 || ms[0].name != "tcp" || ne.Uint16(ms[0].data[4:]) != 0 || ne.Uint16(ms[0].data[6:]) != 1023 {
					t.Errorf("%+v", ms)
				}
			}},
		{"icmp type 8 code 0", []expr.Any{meta(expr.MetaL4Proto), cmp(expr.CmpEQ, 1), pl(2, 0, 2), cmp(expr.CmpEQ, 8, 0)},
			func(t *testing.T, ms []xtExt, _ []byte) {
				if len(ms) != 1 || ms[0].name != "icmp" || ms[0].data[0] != 8 || ms[0].data[1] != 0 || ms[0].data[2] != 0 {
					t.Errorf("%+v", ms)
				}
			}},
		{"ttl gt 5", []expr.Any{pl(1, 8, 1), cmp(expr.CmpGT, 5)},
			func(t *testing.T, ms []xtExt, _ []byte) {
				if len(ms) != 1 || ms[0].name != "ttl" || ms[0].data[0] != 3 || ms[0].data[1] != 5 {
					t.Errorf("%+v", ms)
				}
			}},
		{"pkttype != 1", []expr.Any{meta(expr.MetaPktType), cmp(expr.CmpNEQ, 1)},
			func(t *testing.T, ms []xtExt, _ []byte) {
				if len(ms) != 1 || ms[0].name != "pkttype" || ne.Uint32(ms[0].data) != 1 || ne.Uint32(ms[0].data[4:]) != 1 {
					t.Errorf("%+v", ms)
				}
			}},
		{"! -o + (INVAL/D)", []expr.Any{meta(expr.MetaOIFName), cmp(expr.CmpEQ, []byte("INVAL/D\x00")...)},
			func(t *testing.T, _ []xtExt, h []byte) {
				l := ext.Layout(ext.IPv4)
				if string(cstr(h[l.OutIface:l.OutIface+16])) != "+" || h[l.InvFlags] != ext.InvViaOut || h[l.OutMask] != 0xff || h[l.OutMask+1] != 0xff || h[l.OutMask+2] != 0 {
					t.Errorf("%x", h)
				}
			}},
	} {
		e, err := ToEntry(&Rule{Family: ext.IPv4, Table: "filter", Chain: "INPUT", Exprs: c.exprs})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		ms, _ := splitEntry(e.Bytes, ext.Layout(ext.IPv4))
		c.want(t, ms, e.Bytes)
	}
}

func TestToEntryErrors(t *testing.T) {
	for _, c := range []struct {
		exprs []expr.Any
		msg   string
	}{
		{[]expr.Any{&expr.Cmp{SReg: expr.Reg1, Data: []byte{1}}}, "Error: cmp sreg undef\nParsing nftables rule failed"},
		{[]expr.Any{&expr.Immediate{DReg: expr.Reg32_01, Data: []byte{0}}, &expr.Meta{Key: expr.MetaNFTrace, Reg: expr.Reg32_01, SetReg: true}},
			"Error: trace is cleared\nParsing nftables rule failed"},
		{[]expr.Any{&expr.Meta{Key: 1, Reg: expr.Reg1}, &expr.Cmp{SReg: expr.Reg1, Data: []byte{1}}}, "Error: unknown ipv4 meta key\nParsing nftables rule failed"},
	} {
		_, err := ToEntry(&Rule{Family: ext.IPv4, Exprs: c.exprs})
		var pe *ParseError
		if !errors.As(err, &pe) || err.Error() != c.msg {
			t.Errorf("%v, want %q", err, c.msg)
		}
	}
	r := &Rule{Family: ext.IPv4, Exprs: []expr.Any{&expr.Other{Kind: "ct"}}}
	if Compatible(r) {
		t.Error("ct compatible")
	}
	if err := CheckRules([]*Rule{r}, "filter", ""); err == nil || err.Error() != "table `filter' is incompatible, use 'nft' tool." {
		t.Errorf("CheckRules: %v", err)
	}
	if !Compatible(&Rule{Exprs: []expr.Any{&expr.Limit{}, &expr.Log{Has: expr.LogHasGroup}}}) || Compatible(&Rule{Exprs: []expr.Any{&expr.Log{}}}) {
		t.Error("limit/log compatibility")
	}
}

func TestSame(t *testing.T) {
	a := &Rule{Family: ext.IPv6, Exprs: []expr.Any{
		&expr.Payload{DReg: 1, Base: 1, Offset: 8, Len: 8}, &expr.Cmp{SReg: 1, Data: make([]byte, 8)},
		&expr.Counter{Packets: 1}, &expr.Verdict{Code: expr.VerdictJump, Chain: "X"}}}
	b := &Rule{Family: ext.IPv6, Exprs: []expr.Any{
		&expr.Payload{DReg: 1, Base: 1, Offset: 8, Len: 4}, &expr.Cmp{SReg: 1, Data: make([]byte, 4)},
		&expr.Verdict{Code: expr.VerdictJump, Chain: "X"}}}
	// nft_ipv6_is_same ignores the masks (/64 against /32) and counters.
	if ok, err := Same(a, b, nil); !ok || err != nil {
		t.Errorf("IPv6 masks: %v %v", ok, err)
	}
	b.Exprs[2] = &expr.Verdict{Code: expr.VerdictJump, Chain: "Y"}
	if ok, _ := Same(a, b, nil); ok {
		t.Error("different jumps are the same")
	}
	a.Family, b.Family = ext.IPv4, ext.IPv4
	a.Exprs[0], b.Exprs[0] = &expr.Payload{DReg: 1, Base: 1, Offset: 12, Len: 3}, &expr.Payload{DReg: 1, Base: 1, Offset: 12, Len: 2}
	b.Exprs[2] = a.Exprs[3]
	if ok, _ := Same(a, b, nil); ok {
		t.Error("IPv4 masks ignored")
	}
}
