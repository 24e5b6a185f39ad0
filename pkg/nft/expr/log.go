// SPDX-License-Identifier: GPL-2.0-or-later

package expr

// Log is nft's log statement; iptables-nft writes -j NFLOG as one
// (add_log) and reads it back as NFLOG when it has a group.
type Log struct {
	Prefix     string
	Group      uint16
	Snaplen    uint32
	QThreshold uint16
	// Which optional attributes are present (LogHas*).
	Has uint32
}

// Bits of Log.Has.
const (
	LogHasPrefix     = 1 << logPrefix
	LogHasGroup      = 1 << logGroup
	LogHasSnaplen    = 1 << logSnaplen
	LogHasQThreshold = 1 << logQThreshold
)

const (
	logPrefix     = 1
	logGroup      = 2
	logSnaplen    = 3
	logQThreshold = 4
)

func (e *Log) Name() string { return "log" }

func (e *Log) Encode(w *Writer) {
	if e.Has&LogHasPrefix != 0 {
		w.Str(logPrefix, e.Prefix)
	}
	if e.Has&LogHasGroup != 0 {
		w.U16(logGroup, e.Group)
	}
	if e.Has&LogHasSnaplen != 0 {
		w.U32(logSnaplen, e.Snaplen)
	}
	if e.Has&LogHasQThreshold != 0 {
		w.U16(logQThreshold, e.QThreshold)
	}
}

func decodeLog(a *attrs, ar *Arena) *Log {
	e := take(ar, func(a *Arena) *[]Log { return &a.log })
	*e = Log{Has: a.set & (LogHasPrefix | LogHasGroup | LogHasSnaplen | LogHasQThreshold)}
	if a.has(logPrefix) {
		e.Prefix = string(CString(a.v[logPrefix]))
	}
	e.Group, e.Snaplen, e.QThreshold = a.u16(logGroup), a.u32(logSnaplen), a.u16(logQThreshold)
	return e
}
