// SPDX-License-Identifier: GPL-2.0-or-later

package expr

// Meta loads packet metadata Key into Reg, or with SetReg stores Reg into
// it (iptables-nft's meta nftrace set for -j TRACE).
type Meta struct {
	Key    uint32
	Reg    uint32
	SetReg bool
}

const (
	metaKey  = 1
	metaDReg = 2
	metaSReg = 3
)

func (e *Meta) Name() string { return "meta" }

func (e *Meta) Encode(w *Writer) {
	w.U32(metaKey, e.Key)
	if e.SetReg {
		w.U32(metaSReg, e.Reg)
	} else {
		w.U32(metaDReg, e.Reg)
	}
}

func decodeMeta(a *attrs, ar *Arena) *Meta {
	e := take(ar, func(a *Arena) *[]Meta { return &a.meta })
	if a.has(metaSReg) {
		*e = Meta{Key: a.u32(metaKey), Reg: a.u32(metaSReg), SetReg: true}
	} else {
		*e = Meta{Key: a.u32(metaKey), Reg: a.u32(metaDReg)}
	}
	return e
}
