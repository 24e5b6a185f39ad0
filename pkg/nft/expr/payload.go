// SPDX-License-Identifier: GPL-2.0-or-later

package expr

// Payload loads Len bytes at Offset of a packet header into DReg:
// iptables-nft's add_payload (nft-shared.c).
type Payload struct {
	DReg, Base, Offset, Len uint32
}

// libnftnl's NFTNL_EXPR_PAYLOAD_* ids.
const (
	payloadDReg   = 1
	payloadBase   = 2
	payloadOffset = 3
	payloadLen    = 4
)

func (e *Payload) Name() string { return "payload" }

func (e *Payload) Encode(w *Writer) {
	w.U32(payloadBase, e.Base)
	w.U32(payloadDReg, e.DReg)
	w.U32(payloadOffset, e.Offset)
	w.U32(payloadLen, e.Len)
}

func decodePayload(a *attrs, ar *Arena) *Payload {
	e := take(ar, func(a *Arena) *[]Payload { return &a.payload })
	*e = Payload{DReg: a.u32(payloadDReg), Base: a.u32(payloadBase), Offset: a.u32(payloadOffset), Len: a.u32(payloadLen)}
	return e
}
