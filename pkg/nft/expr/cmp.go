// SPDX-License-Identifier: GPL-2.0-or-later

package expr

// Cmp compares SReg with Data.
type Cmp struct {
	SReg, Op uint32
	Data     []byte
}

const (
	cmpSReg = 1
	cmpOp   = 2
	cmpData = 3
)

func (e *Cmp) Name() string { return "cmp" }

func (e *Cmp) Encode(w *Writer) {
	w.U32(cmpSReg, e.SReg)
	w.U32(cmpOp, e.Op)
	w.Bytes(cmpData, e.Data)
}

func decodeCmp(a *attrs, ar *Arena) *Cmp {
	e := take(ar, func(a *Arena) *[]Cmp { return &a.cmp })
	*e = Cmp{SReg: a.u32(cmpSReg), Op: a.u32(cmpOp), Data: a.v[cmpData]}
	return e
}
