// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"bytes"
	"encoding/binary"

	"github.com/goipt/goipt/pkg/ext"
)

// The x_tables entry as goipt builds it (pkg/ext, whose ext.Layout is
// the layout from the kernel headers): struct ipt_entry or ip6t_entry, its
// matches (struct xt_entry_match: a header, then the info), its target
// (struct xt_entry_target, alike).

// addrLen is the size of an address of the entry's family.
func addrLen(l *ext.EntryLayout) int { return l.Dst - l.Src }

var ne = binary.NativeEndian

// xtAlign is XT_ALIGN.
func xtAlign(n int) int { return ext.Align(n) }

// xtExt is a match or target of an entry.
type xtExt struct {
	name string
	rev  uint8
	data []byte // the info, XT_ALIGNed as in the entry
}

// cstr is b up to its first NUL.
func cstr(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// readExt reads the match or target at b.
func readExt(b []byte) (e xtExt, size int, ok bool) {
	if len(b) < ext.ExtHeaderSize {
		return e, 0, false
	}
	size = int(ne.Uint16(b))
	if size < ext.ExtHeaderSize || size > len(b) {
		return e, 0, false
	}
	e.name = string(cstr(b[2:31]))
	e.rev = b[31]
	e.data = b[ext.ExtHeaderSize:size]
	return e, size, true
}

// appendExt appends a match or target of name and revision with info
// data (padded to XT_ALIGN).
func appendExt(b []byte, name string, rev uint8, data []byte) []byte {
	size := ext.ExtHeaderSize + xtAlign(len(data))
	off := len(b)
	b = append(b, make([]byte, size)...)
	ne.PutUint16(b[off:], uint16(size))
	copy(b[off+2:off+31], name)
	b[off+31] = rev
	copy(b[off+ext.ExtHeaderSize:], data)
	return b
}

// ForPrinter readies an entry of ToEntry for goipt's printers (pkg/ext),
// which take the standard target as libiptc hands it: its name empty and
// its label (verdict or chain) apart. It clears the name in place and
// returns the label to print, "" for an extension target.
func (e *Entry) ForPrinter() (label string) {
	l := ext.Layout(e.Family)
	off := int(ne.Uint16(e.Bytes[l.TargetOffset:]))
	t, _, ok := readExt(e.Bytes[off:])
	if !ok {
		return ""
	}
	switch t.name {
	case "ACCEPT", "DROP", "RETURN", "":
	default:
		if !e.TargetIsChain {
			return t.name
		}
	}
	clear(e.Bytes[off+2 : off+31])
	return t.name
}
