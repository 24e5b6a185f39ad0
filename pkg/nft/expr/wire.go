// SPDX-License-Identifier: GPL-2.0-or-later

package expr

import "encoding/binary"

// The shim's stream is how Go and libnftnl (pkg/nft's C shim) hand objects
// to each other: a flat run of records, native-endian, each 4-aligned,
// so that one cgo call carries many rules both ways.
//
//	 0      2      4           8
//	+------+------+-----------+---------------------+
//	| tag  |  id  |  length   | value (padded to 4) |
//	+------+------+-----------+---------------------+
//
// An object is TagObject (id: its kind; value: ObjectHeader), then its
// TagAttr records (id: libnftnl's NFTNL_<OBJ>_* attribute), then for a rule
// each expression as TagExpr (value: its name) followed by its TagAttr
// records (id: NFTNL_EXPR_*), then TagEnd.
const (
	TagObject = 1
	TagAttr   = 2
	TagExpr   = 3
	TagEnd    = 4
)

const recHeader = 8

var ne = binary.NativeEndian

// Writer appends records to a stream.
type Writer struct {
	B []byte
}

// rec appends a record header and room for n bytes of value, which it
// returns.
func (w *Writer) rec(tag, id uint16, n int) []byte {
	pad := (4 - n&3) & 3
	l := len(w.B)
	need := recHeader + n + pad
	if cap(w.B)-l < need {
		nb := make([]byte, l, 2*cap(w.B)+need+4096)
		copy(nb, w.B)
		w.B = nb
	}
	w.B = w.B[:l+need]
	ne.PutUint16(w.B[l:], tag)
	ne.PutUint16(w.B[l+2:], id)
	ne.PutUint32(w.B[l+4:], uint32(n))
	for i := l + recHeader + n; i < l+need; i++ {
		w.B[i] = 0
	}
	return w.B[l+recHeader : l+recHeader+n]
}

// Bytes appends attribute id with value b.
func (w *Writer) Bytes(id uint16, b []byte) { copy(w.rec(TagAttr, id, len(b)), b) }

// U8 appends a one-byte attribute.
func (w *Writer) U8(id uint16, v uint8) { w.rec(TagAttr, id, 1)[0] = v }

// U16 appends a native-endian 16-bit attribute.
func (w *Writer) U16(id uint16, v uint16) { ne.PutUint16(w.rec(TagAttr, id, 2), v) }

// U32 appends a native-endian 32-bit attribute.
func (w *Writer) U32(id uint16, v uint32) { ne.PutUint32(w.rec(TagAttr, id, 4), v) }

// U64 appends a native-endian 64-bit attribute.
func (w *Writer) U64(id uint16, v uint64) { ne.PutUint64(w.rec(TagAttr, id, 8), v) }

// Str appends a string attribute, NUL-terminated as libnftnl's setters
// want it.
func (w *Writer) Str(id uint16, s string) {
	b := w.rec(TagAttr, id, len(s)+1)
	copy(b, s)
	b[len(s)] = 0
}

// Expr starts an expression of the rule being written.
func (w *Writer) Expr(name string) {
	b := w.rec(TagExpr, 0, len(name)+1)
	copy(b, name)
	b[len(name)] = 0
}

// ObjectHeader is the value of a TagObject record: the netlink message the
// object is built into (or was parsed from).
type ObjectHeader struct {
	Type   uint16 // nlmsg_type, NFT_MSG_* without the subsystem
	Family uint16
	Flags  uint16 // nlmsg_flags besides NLM_F_REQUEST
	Seq    uint32
}

// Object starts an object of kind id.
func (w *Writer) Object(kind uint16, h ObjectHeader) {
	b := w.rec(TagObject, kind, 12)
	ne.PutUint16(b, h.Type)
	ne.PutUint16(b[2:], h.Family)
	ne.PutUint16(b[4:], h.Flags)
	ne.PutUint16(b[6:], 0)
	ne.PutUint32(b[8:], h.Seq)
}

// End ends the current object.
func (w *Writer) End() { w.rec(TagEnd, 0, 0) }

// Reader reads records from a stream.
type Reader struct {
	B   []byte
	off int
}

// Next returns the next record, ok false at the end (or on a short record).
func (r *Reader) Next() (tag, id uint16, val []byte, ok bool) {
	if len(r.B)-r.off < recHeader {
		return 0, 0, nil, false
	}
	b := r.B[r.off:]
	tag, id = ne.Uint16(b), ne.Uint16(b[2:])
	n := int(ne.Uint32(b[4:]))
	if n > len(b)-recHeader {
		return 0, 0, nil, false
	}
	r.off += recHeader + (n+3)&^3
	return tag, id, b[recHeader : recHeader+n : recHeader+n], true
}

// Peek returns the tag of the next record, 0 at the end.
func (r *Reader) Peek() uint16 {
	if len(r.B)-r.off < recHeader {
		return 0
	}
	return ne.Uint16(r.B[r.off:])
}

// ParseHeader reads a TagObject record's value.
func ParseHeader(v []byte) ObjectHeader {
	if len(v) < 12 {
		return ObjectHeader{}
	}
	return ObjectHeader{Type: ne.Uint16(v), Family: ne.Uint16(v[2:]), Flags: ne.Uint16(v[4:]), Seq: ne.Uint32(v[8:])}
}

// Value readers for attribute values; short values read as zero.

// U8 reads a one-byte value.
func U8(v []byte) uint8 {
	if len(v) < 1 {
		return 0
	}
	return v[0]
}

// U16 reads a native-endian 16-bit value.
func U16(v []byte) uint16 {
	if len(v) < 2 {
		return 0
	}
	return ne.Uint16(v)
}

// U32 reads a native-endian 32-bit value.
func U32(v []byte) uint32 {
	if len(v) < 4 {
		return 0
	}
	return ne.Uint32(v)
}

// U64 reads a native-endian 64-bit value.
func U64(v []byte) uint64 {
	if len(v) < 8 {
		return 0
	}
	return ne.Uint64(v)
}

// CString is v up to its first NUL.
func CString(v []byte) []byte {
	for i, c := range v {
		if c == 0 {
			return v[:i]
		}
	}
	return v
}
