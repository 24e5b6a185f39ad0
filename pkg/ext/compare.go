// SPDX-License-Identifier: GPL-2.0-or-later

package ext

import (
	"bytes"
	"encoding/binary"
)

// SameEntry tells whether entries a and b are the same rule, as libiptc's
// is_same compares them for iptables -C and -D: the header's addresses,
// masks, protocol, flags and invflags (and IPv6's TOS) are equal, the
// interfaces equal under their masks, and each match and the target have
// the same size and name and the same data where mask is set. mask is a's
// as Build returns it; nil compares every byte of the blobs (their
// revisions too). With jump, the target is a
// jump to a chain whose name the caller compared: its blob (the chain's
// name in an uncompiled rule, a kernel offset in a committed one) is left
// out. What the kernel fills in (counters, comefrom, nfcache) never counts.
func SameEntry(fam Family, a, b, mask []byte, jump bool) bool {
	l := Layout(fam)
	if len(a) < l.Size || len(a) != len(b) || (mask != nil && len(mask) != len(a)) {
		return false
	}
	ha, hb := DecodeHeader(fam, a), DecodeHeader(fam, b)
	if ha.Src != hb.Src || ha.Dst != hb.Dst || ha.SrcMask != hb.SrcMask || ha.DstMask != hb.DstMask ||
		ha.Proto != hb.Proto || ha.Flags != hb.Flags || ha.InvFlags != hb.InvFlags || ha.TOS != hb.TOS ||
		ha.TargetOffset != hb.TargetOffset || int(ha.NextOffset) != len(a) || hb.NextOffset != ha.NextOffset {
		return false
	}
	if !sameIface(ha.InIface, hb.InIface, ha.InMask, hb.InMask) ||
		!sameIface(ha.OutIface, hb.OutIface, ha.OutMask, hb.OutMask) {
		return false
	}
	end := len(a)
	if jump {
		end = int(ha.TargetOffset)
	}
	for off := l.Size; off+ExtHeaderSize <= end; {
		size := int(binary.NativeEndian.Uint16(a[off:]))
		if size < ExtHeaderSize || off+size > len(a) || size != int(binary.NativeEndian.Uint16(b[off:])) {
			return false
		}
		if mask == nil {
			if !bytes.Equal(a[off:off+size], b[off:off+size]) {
				return false
			}
		} else {
			name := off + ExtNameOff
			if !sameName(a[name:name+ExtNameMaxLen], b[name:name+ExtNameMaxLen]) {
				return false
			}
			for i := off + ExtHeaderSize; i < off+size; i++ {
				if (a[i]^b[i])&mask[i] != 0 {
					return false
				}
			}
		}
		off += size
	}
	return true
}

// sameName compares two NUL-terminated names.
func sameName(a, b []byte) bool {
	if i := bytes.IndexByte(a, 0); i >= 0 {
		a = a[:i]
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return bytes.Equal(a, b)
}

func sameIface(a, b string, ma, mb [16]byte) bool {
	if ma != mb {
		return false
	}
	for i := 0; i < IfNameSize; i++ {
		var ca, cb byte
		if i < len(a) {
			ca = a[i]
		}
		if i < len(b) {
			cb = b[i]
		}
		if ca&ma[i] != cb&mb[i] {
			return false
		}
	}
	return true
}
