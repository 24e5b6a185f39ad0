// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"bytes"
	"encoding/binary"
)

// The x_tables entry as goipt builds it (pkg/ext): struct ipt_entry or
// ip6t_entry, its matches (struct xt_entry_match: 32-byte header, then
// the info), its target (struct xt_entry_target, alike).
//
//	ipt_entry (112)                      ip6t_entry (168)
//	  0 src  4 dst  8 smsk 12 dmsk         0 src 16 dst 32 smsk 48 dmsk
//	 16 iniface[16]  32 outiface[16]      64 iniface  80 outiface
//	 48 iniface_mask 64 outiface_mask     96 iniface_mask 112 outiface_mask
//	 80 proto(u16) 82 flags 83 invflags  128 proto 130 tos 131 flags 132 invflags
//	 88 target_offset 90 next_offset     140 target_offset 142 next_offset
//	 96 pcnt 104 bcnt                    152 pcnt 160 bcnt
type layout struct {
	size, addrLen, src, dst, smsk, dmsk, iniface, outiface, inmask, outmask int
	proto, flags, invflags, targetOffset, nextOffset, pcnt, bcnt            int
}

var layouts = [2]layout{
	{size: 112, addrLen: 4, src: 0, dst: 4, smsk: 8, dmsk: 12, iniface: 16, outiface: 32,
		inmask: 48, outmask: 64, proto: 80, flags: 82, invflags: 83,
		targetOffset: 88, nextOffset: 90, pcnt: 96, bcnt: 104},
	{size: 168, addrLen: 16, src: 0, dst: 16, smsk: 32, dmsk: 48, iniface: 64, outiface: 80,
		inmask: 96, outmask: 112, proto: 128, flags: 131, invflags: 132,
		targetOffset: 140, nextOffset: 142, pcnt: 152, bcnt: 160},
}

func layoutOf(fam Family) *layout {
	if fam == IPv6 {
		return &layouts[1]
	}
	return &layouts[0]
}

var ne = binary.NativeEndian

// Entry flags and inversion bits (IPT_F_*, IP6T_F_*, IPT_INV_*).
const (
	fFrag   = 0x01 // IPT_F_FRAG
	fGoto4  = 0x02 // IPT_F_GOTO
	fGoto6  = 0x04 // IP6T_F_GOTO
	invIn   = 0x01
	invOut  = 0x02
	invSrc  = 0x08
	invDst  = 0x10
	invFrag = 0x20
	invProt = 0x40 // XT_INV_PROTO
)

func gotoFlag(fam Family) uint8 {
	if fam == IPv6 {
		return fGoto6
	}
	return fGoto4
}

// xtHeader is the size of struct xt_entry_match and xt_entry_target.
const xtHeader = 32

// xtAlign is XT_ALIGN: 8 bytes on the 64-bit ABIs goipt runs on.
func xtAlign(n int) int { return (n + 7) &^ 7 }

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
	if len(b) < xtHeader {
		return e, 0, false
	}
	size = int(ne.Uint16(b))
	if size < xtHeader || size > len(b) {
		return e, 0, false
	}
	e.name = string(cstr(b[2:31]))
	e.rev = b[31]
	e.data = b[xtHeader:size]
	return e, size, true
}

// appendExt appends a match or target of name and revision with info
// data (padded to XT_ALIGN).
func appendExt(b []byte, name string, rev uint8, data []byte) []byte {
	size := xtHeader + xtAlign(len(data))
	off := len(b)
	b = append(b, make([]byte, size)...)
	ne.PutUint16(b[off:], uint16(size))
	copy(b[off+2:off+31], name)
	b[off+31] = rev
	copy(b[off+xtHeader:], data)
	return b
}

// ForPrinter readies an entry of ToEntry for goipt's printers (pkg/ext),
// which take the standard target as libiptc hands it: its name empty and
// its label (verdict or chain) apart. It clears the name in place and
// returns the label to print, "" for an extension target.
func (e *Entry) ForPrinter() (label string) {
	l := layoutOf(e.Family)
	off := int(ne.Uint16(e.Bytes[l.targetOffset:]))
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
