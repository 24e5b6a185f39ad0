// SPDX-License-Identifier: GPL-2.0-or-later

package expr

// Range tests From <= SReg <= To (Op CmpEQ) or its negation (CmpNEQ):
// iptables-nft's port ranges (expr_gen_range_cmp16).
type Range struct {
	SReg, Op uint32
	From, To []byte
}

const (
	rangeSReg = 1
	rangeOp   = 2
	rangeFrom = 3
	rangeTo   = 4
)

func (e *Range) Name() string { return "range" }

func (e *Range) Encode(w *Writer) {
	w.U32(rangeSReg, e.SReg)
	w.U32(rangeOp, e.Op)
	w.Bytes(rangeFrom, e.From)
	w.Bytes(rangeTo, e.To)
}

func decodeRange(a *attrs, ar *Arena) *Range {
	e := take(ar, func(a *Arena) *[]Range { return &a.rng })
	*e = Range{SReg: a.u32(rangeSReg), Op: a.u32(rangeOp), From: a.v[rangeFrom], To: a.v[rangeTo]}
	return e
}
