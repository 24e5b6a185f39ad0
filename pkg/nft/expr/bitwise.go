// SPDX-License-Identifier: GPL-2.0-or-later

package expr

// Bitwise is DReg = (SReg & Mask) ^ Xor over Len bytes, the only form
// iptables-nft writes (no NFTA_BITWISE_OP: the kernel's default, bool).
type Bitwise struct {
	SReg, DReg, Len uint32
	Mask, Xor       []byte
}

const (
	bitwiseSReg = 1
	bitwiseDReg = 2
	bitwiseLen  = 3
	bitwiseMask = 4
	bitwiseXor  = 5
)

func (e *Bitwise) Name() string { return "bitwise" }

func (e *Bitwise) Encode(w *Writer) {
	w.U32(bitwiseSReg, e.SReg)
	w.U32(bitwiseDReg, e.DReg)
	w.U32(bitwiseLen, e.Len)
	w.Bytes(bitwiseMask, e.Mask)
	w.Bytes(bitwiseXor, e.Xor)
}

func decodeBitwise(a *attrs, ar *Arena) *Bitwise {
	e := take(ar, func(a *Arena) *[]Bitwise { return &a.bitwise })
	*e = Bitwise{SReg: a.u32(bitwiseSReg), DReg: a.u32(bitwiseDReg), Len: a.u32(bitwiseLen),
		Mask: a.v[bitwiseMask], Xor: a.v[bitwiseXor]}
	return e
}
