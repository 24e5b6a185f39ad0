// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import "github.com/goipt/goipt/pkg/ext"

// normalise returns the libxtables entry want as iptables-nft 1.8.9 reads
// the same rule back, for the differences that are iptables-nft's own;
// each kind is counted in n.
//
// prefix is the rule's --nflog-prefix, which iptables-nft writes whole.
// by189: iptables-nft 1.8.9 wrote the rule, not goipt, which follows
// 1.8.11 where 1.8.9's port tests are wrong (Follows1811).
func normalise(fam ext.Family, want []byte, prefix string, by189 bool, n map[string]int) []byte {
	w := append([]byte(nil), want...)
	l := ext.Layout(fam)
	if fam == ext.IPv6 && w[l.Flags]&0x01 != 0 {
		// ip6tables sets IP6T_F_PROTO with -p; iptables-nft's parser
		// never does (nft_ipv6_parse_meta).
		w[l.Flags] &^= 0x01
		n["IPv6: IP6T_F_PROTO is not read back"]++
	}
	if by189 && fam == ext.IPv6 && (ne.Uint64(w[l.Packets:]) != 0 || ne.Uint64(w[l.Bytes:]) != 0) {
		// ipv6_post_parse sets fw6.counters, nft_ipv6_add writes cs->counters.
		ne.PutUint64(w[l.Packets:], 0)
		ne.PutUint64(w[l.Bytes:], 0)
		n["IPv6: -c counters are not written"]++
	}
	for _, f := range []struct{ name, mask int }{{l.InIface, l.InMask}, {l.OutIface, l.OutMask}} {
		if string(cstr(w[f.name:f.name+16])) != "+" {
			continue
		}
		bit := uint8(ext.InvViaIn)
		if f.name == l.OutIface {
			bit = ext.InvViaOut
		}
		if w[l.InvFlags]&bit == 0 {
			// "-i +": a meta load with no comparison, read back as nothing.
			clear(w[f.name : f.name+16])
			n["\"-i +\" is not read back"]++
		} else {
			// "! -i +": "INVAL/D", read back with a two-byte mask.
			w[f.mask], w[f.mask+1] = 0xff, 0xff
			n["\"! -i +\" is read back with a mask of two bytes"]++
		}
	}
	return normaliseExts(fam, w, prefix, by189, n)
}

// normaliseExts is normalise for the matches and the target.
func normaliseExts(fam ext.Family, w []byte, prefix string, by189 bool, n map[string]int) []byte {
	l := ext.Layout(fam)
	ms, t := splitEntry(w, l)
	out := w[:l.Size:l.Size]
	for _, m := range ms {
		if by189 && noPortTest(m) {
			// "! --sport 0:65535" and alike: a native match that
			// writes no expression.
			n["tcp/udp match of full port ranges is lost"]++
			continue
		}
		out = appendExt(out, m.name, m.rev, m.data)
	}
	tOff := len(out)
	if t.name == "NFLOG" && len(t.data) >= 76 {
		// Read back from a log statement with iptables-nft's own info
		// layout: a 128-byte prefix.
		info := make([]byte, 144)
		copy(info, t.data[:12])
		if ne.Uint16(info[8:])&nflogCopyLen == 0 {
			ne.PutUint32(info, 0) // --nflog-range: len without COPY_LEN is not written
		}
		copy(info[12:], cstr(t.data[12:76]))
		if len(prefix) > 63 {
			copy(info[12:12+127], prefix)
			n["NFLOG: prefix longer than the entry's 63 bytes"]++
		}
		t.data = info
		n["NFLOG: iptables-nft's info layout (xt_nflog_info_nft)"]++
	}
	out = appendExt(out, t.name, t.rev, t.data)
	ne.PutUint16(out[l.TargetOffset:], uint16(tOff))
	ne.PutUint16(out[l.NextOffset:], uint16(len(out)))
	return out
}

// noPortTest tells whether a tcp or udp match is one add_nft_tcp/udp
// writes natively as nothing at all.
func noPortTest(m xtExt) bool {
	d := m.data
	full := func(o int) bool { return ne.Uint16(d[o:]) == 0 && ne.Uint16(d[o+2:]) == 0xffff }
	switch m.name {
	case "udp":
		return len(d) >= udpSize && d[8] <= udpInvMask && !allZero(d, udpSize) && full(0) && full(4)
	case "tcp":
		return len(d) >= tcpSize && d[11]&^tcpSupported == 0 && d[8] == 0 && !allZero(d, tcpSize) &&
			d[9] == 0 && full(0) && full(4)
	}
	return false
}
