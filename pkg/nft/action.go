// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import "github.com/goipt/goipt/pkg/nft/expr"

// xt_nflog_info: len u32, group u16, threshold u16, flags u16, pad u16,
// prefix[64].
const nflogCopyLen = 0x1 // XT_NFLOG_F_COPY_LEN

// action is add_action: verdicts and jumps as immediates, NFLOG as a log
// statement, TRACE as meta nftrace, any other target as a compat target,
// no target at all as nothing.
func (x *ruleBuilder) action(t xtExt, e *Entry, gotoFlag bool) {
	switch {
	case e.TargetIsChain:
		code := int32(expr.VerdictJump)
		if gotoFlag {
			code = expr.VerdictGoto
		}
		add(x, expr.Verdict{Code: code, Chain: t.name})
	case t.name == "":
	case t.name == "ACCEPT":
		add(x, expr.Verdict{Code: expr.VerdictAccept})
	case t.name == "DROP":
		add(x, expr.Verdict{Code: expr.VerdictDrop})
	case t.name == "RETURN":
		add(x, expr.Verdict{Code: expr.VerdictReturn})
	case t.name == "NFLOG" && len(t.data) >= 76:
		x.nflog(t.data, e.LogPrefix)
	case t.name == "TRACE":
		add(x, expr.Immediate{DReg: expr.Reg32_01, Data: x.b(1)})
		add(x, expr.Meta{Key: expr.MetaNFTrace, Reg: expr.Reg32_01, SetReg: true})
	default:
		add(x, expr.Target{Ext: expr.Ext{ExtName: t.name, Rev: uint32(t.rev), Info: t.data}})
	}
}

// nflog is add_log. iptables-nft takes the prefix from the extension's
// udata, the whole --nflog-prefix; an entry has it cut to 63 bytes.
func (x *ruleBuilder) nflog(d []byte, prefix string) {
	l := expr.New[expr.Log](x.ar)
	*l = expr.Log{Group: ne.Uint16(d[4:]), Has: expr.LogHasGroup}
	if p := cstr(d[12:76]); len(p) > 0 {
		if prefix == "" {
			prefix = string(p)
		}
		l.Prefix, l.Has = prefix, l.Has|expr.LogHasPrefix
	}
	if ne.Uint16(d[8:])&nflogCopyLen != 0 {
		l.Snaplen, l.Has = ne.Uint32(d), l.Has|expr.LogHasSnaplen
	}
	if th := ne.Uint16(d[6:]); th != 0 {
		l.QThreshold, l.Has = th, l.Has|expr.LogHasQThreshold
	}
	x.add(l)
}
