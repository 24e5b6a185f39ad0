// SPDX-License-Identifier: GPL-2.0-or-later

package expr

// Limit is nft's rate limit: Rate per Unit seconds, as iptables-nft
// writes -m limit (add_nft_limit).
type Limit struct {
	Rate, Unit         uint64
	Burst, Type, Flags uint32
}

// Limit types.
const (
	LimitPackets = 0 // NFT_LIMIT_PKTS
)

const (
	limitRate  = 1
	limitUnit  = 2
	limitBurst = 3
	limitType  = 4
	limitFlags = 5
)

func (e *Limit) Name() string { return "limit" }

func (e *Limit) Encode(w *Writer) {
	w.U64(limitRate, e.Rate)
	w.U64(limitUnit, e.Unit)
	w.U32(limitBurst, e.Burst)
	w.U32(limitType, e.Type)
	w.U32(limitFlags, e.Flags)
}

func decodeLimit(a *attrs, ar *Arena) *Limit {
	e := take(ar, func(a *Arena) *[]Limit { return &a.limit })
	*e = Limit{Rate: a.u64(limitRate), Unit: a.u64(limitUnit), Burst: a.u32(limitBurst),
		Type: a.u32(limitType), Flags: a.u32(limitFlags)}
	return e
}
