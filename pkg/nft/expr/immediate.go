// SPDX-License-Identifier: GPL-2.0-or-later

package expr

// Immediate loads Data into DReg (iptables-nft: the 1 that meta nftrace
// sets, in Reg32_01).
type Immediate struct {
	DReg uint32
	Data []byte
}

// Verdict is an immediate into the verdict register: accept, drop,
// return, or a jump or goto to Chain.
type Verdict struct {
	Code  int32
	Chain string
}

const (
	immDReg    = 1
	immData    = 2
	immVerdict = 3
	immChain   = 4
)

func (e *Immediate) Name() string { return "immediate" }

func (e *Immediate) Encode(w *Writer) {
	w.U32(immDReg, e.DReg)
	w.Bytes(immData, e.Data)
}

func (e *Verdict) Name() string { return "immediate" }

func (e *Verdict) Encode(w *Writer) {
	w.U32(immDReg, RegVerdict)
	w.U32(immVerdict, uint32(e.Code))
	if e.Chain != "" {
		w.Str(immChain, e.Chain)
	}
}

func decodeImmediate(a *attrs, ar *Arena) Any {
	if a.has(immVerdict) || !a.has(immData) {
		v := take(ar, func(a *Arena) *[]Verdict { return &a.verdict })
		*v = Verdict{Code: int32(a.u32(immVerdict))}
		if a.has(immChain) {
			v.Chain = a.str(immChain)
		}
		return v
	}
	e := take(ar, func(a *Arena) *[]Immediate { return &a.imm })
	*e = Immediate{DReg: a.u32(immDReg), Data: a.v[immData]}
	return e
}
