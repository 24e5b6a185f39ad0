// SPDX-License-Identifier: GPL-2.0-or-later

package ext

// Addresses: -s and -d as iptables reads, lists and saves them.

/*
// The shim keeps no pointer it is given past the call and never calls Go
// (see run_linux.go).
#cgo noescape gx_ipparse
#cgo nocallback gx_ipparse
#include <stdlib.h>
#include <string.h>
#include <xtables.h>
#include "xt_shim.h"
*/
import "C"
import (
	"math/bits"
	"net/netip"
	"strconv"
	"strings"
	"unsafe"
)

// ParseAddresses is xtables_ipparse_multiple (or its IPv6 twin): a comma
// list of host[/mask], names resolved, into addresses with their masks.
// The slices may be Xtables' own memory, valid until the next Reset.
func (x *Xtables) ParseAddresses(spec string) (addrs, masks []netip.Addr, err error) {
	if a, m, ok := numericAddress(x.fam, spec); ok {
		if x.addrsUsed < len(x.addrs) {
			// A rule's source and destination: Xtables' own memory.
			b := &x.addrs[x.addrsUsed]
			x.addrsUsed++
			b[0], b[1] = a, m
			return b[0:1:1], b[1:2:2], nil
		}
		return []netip.Addr{a}, []netip.Addr{m}, nil
	}
	return x.parseAddressesC(spec)
}

// parseAddressesC is ParseAddresses through libxtables, for everything
// numericAddress does not take.
func (x *Xtables) parseAddressesC(spec string) (addrs, masks []netip.Addr, err error) {
	cs := C.CString(spec)
	defer C.free(unsafe.Pointer(cs))
	var ca, cm *C.uchar
	var n C.uint
	if err := check(C.gx_ipparse(cs, &ca, &cm, &n)); err != nil {
		return nil, nil, err
	}
	defer C.free(unsafe.Pointer(ca))
	defer C.free(unsafe.Pointer(cm))
	size := 4
	if x.fam == IPv6 {
		size = 16
	}
	ab := C.GoBytes(unsafe.Pointer(ca), C.int(16*n))
	mb := C.GoBytes(unsafe.Pointer(cm), C.int(16*n))
	for i := 0; i < int(n); i++ {
		a, _ := netip.AddrFromSlice(ab[16*i : 16*i+size])
		m, _ := netip.AddrFromSlice(mb[16*i : 16*i+size])
		addrs = append(addrs, a)
		masks = append(masks, m)
	}
	return addrs, masks, nil
}

// addrScratch is C memory for AddrString and SaveAddr: the address and
// mask in, the text out (Go memory passed to C would escape to the heap,
// an allocation per call).
var addrScratch = (*struct {
	a, m [16]C.uchar
	out  [1100]C.char
})(C.calloc(1, C.size_t(unsafe.Sizeof(struct {
	a, m [16]C.uchar
	out  [1100]C.char
}{}))))

func putAddr16(dst *[16]C.uchar, a netip.Addr) {
	*dst = [16]C.uchar{}
	if a.IsValid() {
		if a.Is4() {
			b := a.As4()
			copy((*[16]byte)(unsafe.Pointer(dst))[:], b[:])
		} else {
			*(*[16]byte)(unsafe.Pointer(dst)) = a.As16()
		}
	}
}

// addrTexts interns the texts of AddrString and SaveAddr (few distinct
// ones repeat over a table: "0.0.0.0/0", "anywhere", ...); used inside
// Run, one at a time.
var addrTexts = map[string]string{}

func addrText(p *C.char) string {
	b := unsafe.Slice((*byte)(unsafe.Pointer(p)), len(addrScratch.out))
	n := 0
	for n < len(b) && b[n] != 0 {
		n++
	}
	if s, ok := addrTexts[string(b[:n])]; ok {
		return s
	}
	s := string(b[:n])
	if len(addrTexts) < 4096 {
		addrTexts[s] = s
	}
	return s
}

// AddrString is what -L shows for an address with its mask ("anywhere",
// a host name, or numbers with /len).
func (x *Xtables) AddrString(addr, mask netip.Addr, numeric bool) string {
	if numeric && x.fam == IPv4 && addr.Is4() && mask.Is4() {
		return string(appendAddrString4(nil, addr, mask))
	}
	return x.addrStringC(addr, mask, numeric)
}

// appendAddrString4 is what -L -n shows for an IPv4 address and mask, in
// Go (two cgo calls a rule less): the address, then "/len", nothing for a
// host, or "/mask" for a mask that is not a prefix, as
// xtables_ipmask_to_numeric writes it.
func appendAddrString4(dst []byte, addr, mask netip.Addr) []byte {
	dst = appendDotted(dst, addr.As4())
	m := mask.As4()
	switch n := prefixLen4(m); n {
	case 32:
		return dst
	case -1:
		return appendDotted(append(dst, '/'), m)
	default:
		return strconv.AppendInt(append(dst, '/'), int64(n), 10)
	}
}

// prefixLen4 is the prefix length of an IPv4 mask, -1 when its ones are
// not contiguous (xtables_ipmask_to_cidr).
func prefixLen4(m [4]byte) int {
	hm := uint32(m[0])<<24 | uint32(m[1])<<16 | uint32(m[2])<<8 | uint32(m[3])
	if ones := bits.LeadingZeros32(^hm); ones == 32 || hm<<ones == 0 {
		return ones
	}
	return -1
}

// addrStringC is AddrString through the shim (names, IPv6).
func (x *Xtables) addrStringC(addr, mask netip.Addr, numeric bool) string {
	sc := addrScratch
	putAddr16(&sc.a, addr)
	putAddr16(&sc.m, mask)
	C.gx_addr_string(C.int(x.fam), &sc.a[0], &sc.m[0], cbool(numeric), &sc.out[0], C.size_t(len(sc.out)))
	return addrText(&sc.out[0])
}

// SaveAddr is what -S shows for an address: " [!] -s addr/len" or "".
func (x *Xtables) SaveAddr(letter byte, addr, mask netip.Addr, invert bool) string {
	return string(x.AppendSaveAddr(nil, letter, addr, mask, invert))
}

// AppendSaveAddr is SaveAddr appending to dst (no allocation for IPv4).
func (x *Xtables) AppendSaveAddr(dst []byte, letter byte, addr, mask netip.Addr, invert bool) []byte {
	if x.fam == IPv4 && addr.Is4() && mask.Is4() {
		return appendSaveAddr4(dst, letter, addr, mask, invert)
	}
	if !invert && (!mask.IsValid() || mask.IsUnspecified()) {
		return dst // no mask: iptables prints nothing (most rules)
	}
	return append(dst, x.saveAddrC(letter, addr, mask, invert)...)
}

// saveAddrC is SaveAddr through the C shim (save_ipv4_addr and
// save_ipv6_addr as iptables has them).
func (x *Xtables) saveAddrC(letter byte, addr, mask netip.Addr, invert bool) string {
	sc := addrScratch
	putAddr16(&sc.a, addr)
	putAddr16(&sc.m, mask)
	C.gx_save_addr(C.int(x.fam), C.char(letter), &sc.a[0], &sc.m[0], cbool(invert), &sc.out[0], 128)
	return addrText(&sc.out[0])
}

// appendSaveAddr4 is save_ipv4_addr in Go (one cgo call less per address of
// every rule listed): nothing for 0.0.0.0/0, else " [!] -s a.b.c.d/len",
// with a non-contiguous mask printed as an address.
func appendSaveAddr4(dst []byte, letter byte, addr, mask netip.Addr, invert bool) []byte {
	a, m := addr.As4(), mask.As4()
	n := prefixLen4(m)
	if n == 0 && !invert && addr.IsUnspecified() {
		return dst
	}
	if invert {
		dst = append(dst, " !"...)
	}
	dst = append(dst, ' ', '-', letter, ' ')
	dst = appendDotted(dst, a)
	dst = append(dst, '/')
	if n >= 0 {
		return strconv.AppendInt(dst, int64(n), 10)
	}
	return appendDotted(dst, m)
}

// appendDotted appends a as a.b.c.d.
func appendDotted(dst []byte, a [4]byte) []byte {
	for i, o := range a {
		if i > 0 {
			dst = append(dst, '.')
		}
		dst = strconv.AppendUint(dst, uint64(o), 10)
	}
	return dst
}

// numericAddress reads the commonest address specs, one numeric address
// with an optional prefix length ("10.0.0.0/8", "2001:db8::1"), in Go, with
// the result libxtables gives (the address masked); ok is false for
// anything else (names, lists, dotted masks, octal-looking numbers...),
// which goes to libxtables. Every rule has a source and a destination, so
// this spares restore two cgo calls and C allocations a rule.
func numericAddress(fam Family, spec string) (addr, mask netip.Addr, ok bool) {
	host, bitsText, hasBits := strings.Cut(spec, "/")
	maxBits := 32
	if fam == IPv6 {
		maxBits = 128
	}
	bits := maxBits
	if hasBits {
		n, ok := plainDecimal(bitsText, maxBits)
		if !ok {
			return addr, mask, false
		}
		bits = n
	}
	if fam == IPv4 {
		var b [4]byte
		rest := host
		for i := range b {
			part, tail, more := strings.Cut(rest, ".")
			if more != (i < 3) {
				return addr, mask, false
			}
			n, ok := plainDecimal(part, 255)
			if !ok {
				return addr, mask, false
			}
			b[i] = byte(n)
			rest = tail
		}
		addr = netip.AddrFrom4(b)
	} else {
		if host == "" || strings.Trim(host, "0123456789abcdefABCDEF:") != "" {
			return addr, mask, false
		}
		a, err := netip.ParseAddr(host)
		if err != nil || !a.Is6() || a.Zone() != "" {
			return addr, mask, false
		}
		addr = netip.AddrFrom16(a.As16())
	}
	p, err := addr.Prefix(bits)
	if err != nil {
		return addr, mask, false
	}
	m := netip.PrefixFrom(netip.IPv4Unspecified(), bits)
	if fam == IPv6 {
		m = netip.PrefixFrom(netip.IPv6Unspecified(), bits)
	}
	return p.Addr(), prefixMask(m), true
}

// plainDecimal is a decimal number without sign, blanks or leading zeros,
// at most max.
func plainDecimal(s string, max int) (int, bool) {
	if s == "" || len(s) > 3 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, n <= max
}

// prefixMask is the netmask of a prefix: its first Bits() bits set.
func prefixMask(p netip.Prefix) netip.Addr {
	b := make([]byte, p.Addr().BitLen()/8)
	for i := 0; i < p.Bits(); i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}
