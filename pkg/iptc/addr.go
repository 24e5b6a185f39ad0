// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"fmt"
	"math/bits"
	"net/netip"
	"strconv"
	"strings"

	"github.com/goipt/goipt/pkg/parse"
)

func addrLen(fam Family) int {
	if fam == IPv6 {
		return 16
	}
	return 4
}

func zeroAddr(fam Family) netip.Addr {
	if fam == IPv6 {
		return netip.IPv6Unspecified()
	}
	return netip.IPv4Unspecified()
}

// maskOfLen returns the mask of a prefix length.
func maskOfLen(fam Family, n int) netip.Addr {
	b := make([]byte, addrLen(fam))
	for i := range b {
		switch {
		case n >= 8:
			b[i] = 0xff
		case n > 0:
			b[i] = byte(0xff << (8 - n))
		}
		n -= 8
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// maskLen returns the prefix length of mask, or -1 when the mask is not
// contiguous.
func maskLen(mask netip.Addr) int {
	n, done := 0, false
	for _, c := range mask.AsSlice() {
		if done {
			if c != 0 {
				return -1
			}
			continue
		}
		l := bits.LeadingZeros8(^c)
		if c<<l != 0 {
			return -1
		}
		n += l
		done = l < 8
	}
	return n
}

func andAddr(a, m netip.Addr) netip.Addr {
	x, y := a.AsSlice(), m.AsSlice()
	for i := range x {
		x[i] &= y[i]
	}
	r, _ := netip.AddrFromSlice(x)
	return r
}

// ParseAddrMask reads an address as Rule.Src takes it: "" (any), "ADDR",
// "ADDR/LEN" or "ADDR/MASK", numeric only. The address comes back with the
// mask applied, as iptables stores it.
func ParseAddrMask(fam Family, s string) (addr, mask netip.Addr, err error) {
	if s == "" {
		return zeroAddr(fam), zeroAddr(fam), nil
	}
	as, ms, hasMask := strings.Cut(s, "/")
	addr, err = netip.ParseAddr(as)
	if err == nil && addr.Zone() != "" {
		err = fmt.Errorf("zone not allowed")
	}
	if err == nil && fam == IPv4 && addr.Is4In6() {
		addr = addr.Unmap()
	}
	if err != nil || (fam == IPv6) != addr.Is6() {
		return addr, mask, parse.Errorf(parse.ParameterProblem, "host/network `%s' not found", as)
	}
	mask = maskOfLen(fam, addrLen(fam)*8)
	if hasMask {
		if n, e := strconv.Atoi(ms); e == nil && !strings.HasPrefix(ms, "+") {
			if n < 0 || n > addrLen(fam)*8 {
				return addr, mask, parse.Errorf(parse.ParameterProblem, "invalid mask `%s' specified", ms)
			}
			mask = maskOfLen(fam, n)
		} else if m, e := netip.ParseAddr(ms); e == nil && m.Is6() == (fam == IPv6) {
			mask = m
		} else {
			return addr, mask, parse.Errorf(parse.ParameterProblem, "invalid mask `%s' specified", ms)
		}
	}
	return andAddr(addr, mask), mask, nil
}

// FormatAddrMask writes an address and mask as rules read from the kernel
// show them: "" for any (zero address and mask), IPv4 as
// "192.168.1.0/255.255.255.0" like python-iptables, IPv6 as
// "2001:db8::/32" (a mask that is no prefix in full).
func FormatAddrMask(addr, mask netip.Addr) string {
	if !addr.IsValid() || (addr.IsUnspecified() && mask.IsUnspecified()) {
		return ""
	}
	// One allocation: the text is put together on the stack.
	var buf [96]byte
	b := append(addr.AppendTo(buf[:0]), '/')
	if n := maskLen(mask); !addr.Is4() && n >= 0 {
		b = strconv.AppendInt(b, int64(n), 10)
	} else {
		b = mask.AppendTo(b)
	}
	return string(b)
}

// addrPrefix turns an address field into a netip.Prefix. The empty string
// (any) has no family and gives the zero Prefix.
func addrPrefix(s string) (netip.Prefix, error) {
	if s == "" {
		return netip.Prefix{}, nil
	}
	fam := IPv4
	if strings.Contains(strings.SplitN(s, "/", 2)[0], ":") {
		fam = IPv6
	}
	a, m, err := ParseAddrMask(fam, s)
	if err != nil {
		return netip.Prefix{}, err
	}
	n := maskLen(m)
	if n < 0 {
		return netip.Prefix{}, fmt.Errorf("iptc: mask of %s is not a prefix", s)
	}
	return netip.PrefixFrom(a, n), nil
}

func prefixString(p netip.Prefix) string {
	if !p.IsValid() {
		return ""
	}
	return p.Masked().String()
}

// SrcPrefix returns Src as a netip.Prefix (the zero Prefix for any). It
// fails for a mask that is not a prefix, such as 255.0.255.0.
func (r *Rule) SrcPrefix() (netip.Prefix, error) { return addrPrefix(r.Src) }

// DstPrefix returns Dst as a netip.Prefix; see SrcPrefix.
func (r *Rule) DstPrefix() (netip.Prefix, error) { return addrPrefix(r.Dst) }

// SetSrcPrefix sets Src from p; the zero Prefix means any.
func (r *Rule) SetSrcPrefix(p netip.Prefix) { r.Src = prefixString(p) }

// SetDstPrefix sets Dst from p; the zero Prefix means any.
func (r *Rule) SetDstPrefix(p netip.Prefix) { r.Dst = prefixString(p) }

// saveAddr writes an address field as iptables-save does: ADDR/LEN, or
// ADDR/MASK for a mask that is no prefix. What does not parse is left
// alone.
func saveAddr(s string) string {
	fam := IPv4
	if strings.Contains(strings.SplitN(s, "/", 2)[0], ":") {
		fam = IPv6
	}
	a, m, err := ParseAddrMask(fam, s)
	if err != nil {
		return s
	}
	if n := maskLen(m); n >= 0 {
		return a.String() + "/" + strconv.Itoa(n)
	}
	return a.String() + "/" + m.String()
}
