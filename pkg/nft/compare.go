// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"bytes"

	"github.com/goipt/goipt/pkg/ext"
)

// UserspaceSize gives an extension's userspacesize (libxtables'
// xtables_match/xtables_target field): how much of its info a rule
// comparison looks at. nil, or a result < 0, compares the whole info.
type UserspaceSize func(name string, rev uint8, target bool) int

// Same is nft_rule_cmp: whether rules a and b are the same rule for -C
// and -D. iptables-nft reads both back (nft_rule_to_iptables_command_state;
// the rule given on the command line is first built, then read) and
// compares the family's header fields (nft_ipv4_is_same, nft_ipv6_is_same:
// ext.IPv6 ignores the address masks), the matches in order by name, size and
// their first userspacesize bytes (compare_matches), the targets alike
// (compare_targets), and, if either has no target (a jump, or no
// verdict), the jump's name.
func Same(a, b *Rule, us UserspaceSize) (bool, error) {
	ea, err := ToEntry(a)
	if err != nil {
		return false, err
	}
	eb, err := ToEntry(b)
	if err != nil {
		return false, err
	}
	return SameEntries(ea, eb, us), nil
}

// SameEntries compares two entries as ToEntry returns them, as Same does.
func SameEntries(a, b *Entry, us UserspaceSize) bool {
	l := ext.Layout(a.Family)
	x, y := a.Bytes, b.Bytes
	n := addrLen(l)
	if !bytes.Equal(x[l.Src:l.Src+n], y[l.Src:l.Src+n]) || !bytes.Equal(x[l.Dst:l.Dst+n], y[l.Dst:l.Dst+n]) ||
		ne.Uint16(x[l.Proto:]) != ne.Uint16(y[l.Proto:]) || x[l.Flags] != y[l.Flags] || x[l.InvFlags] != y[l.InvFlags] {
		return false
	}
	if a.Family == ext.IPv4 && (!bytes.Equal(x[l.SrcMask:l.SrcMask+n], y[l.SrcMask:l.SrcMask+n]) || !bytes.Equal(x[l.DstMask:l.DstMask+n], y[l.DstMask:l.DstMask+n])) {
		return false
	}
	if !sameIfaces(x, y, l) {
		return false
	}
	ma, ta := splitEntry(x, l)
	mb, tb := splitEntry(y, l)
	if len(ma) != len(mb) {
		return false
	}
	for i := range ma {
		if ma[i].name != mb[i].name || len(ma[i].data) != len(mb[i].data) || !sameData(ma[i], mb[i], false, us) {
			return false
		}
	}
	nullA, nullB := a.TargetIsChain || ta.name == "", b.TargetIsChain || tb.name == ""
	switch {
	case nullA && nullB:
		return ta.name == tb.name
	case nullA || nullB:
		return false
	}
	return ta.name == tb.name && sameData(ta, tb, true, us)
}

// sameIfaces is is_same_interfaces.
func sameIfaces(x, y []byte, l *ext.EntryLayout) bool {
	for i := 0; i < 16; i++ {
		if x[l.InMask+i] != y[l.InMask+i] || x[l.OutMask+i] != y[l.OutMask+i] ||
			x[l.InIface+i]&x[l.InMask+i] != y[l.InIface+i]&y[l.InMask+i] ||
			x[l.OutIface+i]&x[l.OutMask+i] != y[l.OutIface+i]&y[l.OutMask+i] {
			return false
		}
	}
	return true
}

func sameData(a, b xtExt, target bool, us UserspaceSize) bool {
	n := len(a.data)
	if us != nil {
		if s := us(a.name, a.rev, target); s >= 0 {
			n = s
		}
	}
	if n > len(a.data) || n > len(b.data) {
		return bytes.Equal(a.data, b.data)
	}
	return bytes.Equal(a.data[:n], b.data[:n])
}

// splitEntry returns an entry's matches and target.
func splitEntry(b []byte, l *ext.EntryLayout) (ms []xtExt, t xtExt) {
	tOff, nOff := int(ne.Uint16(b[l.TargetOffset:])), int(ne.Uint16(b[l.NextOffset:]))
	for off := l.Size; off < tOff; {
		m, size, ok := readExt(b[off:tOff])
		if !ok {
			break
		}
		ms = append(ms, m)
		off += size
	}
	t, _, _ = readExt(b[tOff:nOff])
	return ms, t
}
