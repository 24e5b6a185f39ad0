// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import "bytes"

// UserspaceSize gives an extension's userspacesize (libxtables'
// xtables_match/xtables_target field): how much of its info a rule
// comparison looks at. nil, or a result < 0, compares the whole info.
type UserspaceSize func(name string, rev uint8, target bool) int

// Same is nft_rule_cmp: whether rules a and b are the same rule for -C
// and -D. iptables-nft reads both back (nft_rule_to_iptables_command_state;
// the rule given on the command line is first built, then read) and
// compares the family's header fields (nft_ipv4_is_same, nft_ipv6_is_same:
// IPv6 ignores the address masks), the matches in order by name, size and
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
	l := layoutOf(a.Family)
	x, y := a.Bytes, b.Bytes
	n := l.addrLen
	if !bytes.Equal(x[l.src:l.src+n], y[l.src:l.src+n]) || !bytes.Equal(x[l.dst:l.dst+n], y[l.dst:l.dst+n]) ||
		ne.Uint16(x[l.proto:]) != ne.Uint16(y[l.proto:]) || x[l.flags] != y[l.flags] || x[l.invflags] != y[l.invflags] {
		return false
	}
	if a.Family == IPv4 && (!bytes.Equal(x[l.smsk:l.smsk+n], y[l.smsk:l.smsk+n]) || !bytes.Equal(x[l.dmsk:l.dmsk+n], y[l.dmsk:l.dmsk+n])) {
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
func sameIfaces(x, y []byte, l *layout) bool {
	for i := 0; i < 16; i++ {
		if x[l.inmask+i] != y[l.inmask+i] || x[l.outmask+i] != y[l.outmask+i] ||
			x[l.iniface+i]&x[l.inmask+i] != y[l.iniface+i]&y[l.inmask+i] ||
			x[l.outiface+i]&x[l.outmask+i] != y[l.outiface+i]&y[l.outmask+i] {
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
func splitEntry(b []byte, l *layout) (ms []xtExt, t xtExt) {
	tOff, nOff := int(ne.Uint16(b[l.targetOffset:])), int(ne.Uint16(b[l.nextOffset:]))
	for off := l.size; off < tOff; {
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
