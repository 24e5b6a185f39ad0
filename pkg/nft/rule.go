// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"fmt"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/nft/expr"
)

// Rule is an nf_tables rule.
type Rule struct {
	Family ext.Family
	Table  string
	Chain  string
	Handle uint64 // the kernel's; for a replace or delete, the rule's
	// Position is the handle of the rule to insert before (a RULE_INSERT
	// with a reference) or 0.
	Position uint64
	Exprs    []expr.Any
	UserData []byte

	// ID names a rule of this transaction that has no handle yet
	// (NFTA_RULE_ID), so that a later message can refer to it:
	// PositionID (NFTA_RULE_POSITION_ID) inserts before it, as Position
	// before a handle; a delete by ID removes it. 0: none.
	ID, PositionID uint32

	// HasCompat: NFTA_RULE_COMPAT is written, as iptables-nft does for
	// every rule it builds (add_compat); the kernel does not dump it.
	HasCompat   bool
	CompatProto uint32
	CompatFlags uint32 // CompatInv
}

// CompatInv is NFT_RULE_COMPAT_F_INV: the protocol test is inverted.
const CompatInv = 1 << 1

// libnftnl's NFTNL_RULE_* ids.
const (
	ruleFamily      = 0
	ruleTable       = 1
	ruleChain       = 2
	ruleHandle      = 3
	ruleCompatProto = 4
	ruleCompatFlags = 5
	rulePosition    = 6
	ruleUserData    = 7
	ruleID          = 8
	rulePositionID  = 9
)

func (r *Rule) encode(w *expr.Writer, h expr.ObjectHeader) {
	h.Family = uint16(r.Family)
	w.Object(kindRule, h)
	w.U32(ruleFamily, uint32(r.Family))
	w.Str(ruleTable, r.Table)
	if r.Chain != "" {
		w.Str(ruleChain, r.Chain)
	}
	if r.Handle != 0 {
		w.U64(ruleHandle, r.Handle)
	}
	if r.Position != 0 {
		w.U64(rulePosition, r.Position)
	}
	if r.HasCompat {
		w.U32(ruleCompatProto, r.CompatProto)
		w.U32(ruleCompatFlags, r.CompatFlags)
	}
	if r.UserData != nil {
		w.Bytes(ruleUserData, r.UserData)
	}
	if r.ID != 0 {
		w.U32(ruleID, r.ID)
	}
	if r.PositionID != 0 {
		w.U32(rulePositionID, r.PositionID)
	}
	for _, e := range r.Exprs {
		w.Expr(e.Name())
		e.Encode(w)
	}
	w.End()
}

// decodeRule reads a rule's records, its expressions from ar; its slices
// alias r's buffer.
func decodeRule(r *expr.Reader, ru *Rule, ar *expr.Arena) error {
	for r.Peek() == expr.TagAttr {
		_, id, v, _ := r.Next()
		switch id {
		case ruleFamily:
			ru.Family = ext.Family(expr.U32(v))
		case ruleTable:
			ru.Table = expr.Intern(expr.CString(v))
		case ruleChain:
			ru.Chain = expr.Intern(expr.CString(v))
		case ruleHandle:
			ru.Handle = expr.U64(v)
		case ruleCompatProto:
			ru.HasCompat, ru.CompatProto = true, expr.U32(v)
		case ruleCompatFlags:
			ru.CompatFlags = expr.U32(v)
		case rulePosition:
			ru.Position = expr.U64(v)
		case ruleUserData:
			ru.UserData = v
		}
	}
	ru.Exprs = make([]expr.Any, 0, countExprs(*r))
	for r.Peek() == expr.TagExpr {
		_, _, name, _ := r.Next()
		e, err := expr.Decode(expr.CString(name), r, ar)
		if err != nil {
			return err
		}
		ru.Exprs = append(ru.Exprs, e)
	}
	if t, _, _, _ := r.Next(); t != expr.TagEnd {
		return fmt.Errorf("nft: rule records end with tag %d", t)
	}
	return nil
}

// countExprs counts the expressions of the rule r is in (r is a copy).
func countExprs(r expr.Reader) int {
	n := 0
	for {
		tag, _, _, ok := r.Next()
		if !ok || tag == expr.TagEnd {
			return n
		}
		if tag == expr.TagExpr {
			n++
		}
	}
}
