// SPDX-License-Identifier: GPL-2.0-or-later

package expr

// Counter counts packets and bytes; every iptables-nft rule has one,
// before its verdict.
type Counter struct {
	Packets, Bytes uint64
}

const (
	counterPackets = 1
	counterBytes   = 2
)

func (e *Counter) Name() string { return "counter" }

func (e *Counter) Encode(w *Writer) {
	w.U64(counterPackets, e.Packets)
	w.U64(counterBytes, e.Bytes)
}

func decodeCounter(a *attrs, ar *Arena) *Counter {
	e := take(ar, func(a *Arena) *[]Counter { return &a.counter })
	*e = Counter{Packets: a.u64(counterPackets), Bytes: a.u64(counterBytes)}
	return e
}
