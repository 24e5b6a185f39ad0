// SPDX-License-Identifier: GPL-2.0-or-later

package ext

// The rule being built: its header, and the kernel entry it becomes.

/*
// The shim keeps no pointer it is given past the call and never calls Go
// (see run_linux.go).
#cgo noescape gx_build
#cgo nocallback gx_build
#include <stdlib.h>
#include <string.h>
#include <xtables.h>
#include "xt_shim.h"
*/
import "C"
import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"unsafe"
)

// Header is the part of a rule that is not an extension.
type Header struct {
	Src, SrcMask, Dst, DstMask netip.Addr
	InIface, OutIface          string // with a trailing + for a wildcard
	InMask, OutMask            [16]byte
	Proto                      uint16
	TOS                        uint8
	Flags                      uint8
	InvFlags                   uint8
	Packets, Bytes             uint64
	TargetOffset, NextOffset   uint32
}

// SetHeader sets the non-extension part of the rule being built. Parsers
// see it (some check the protocol), so set the protocol before parsing.
func (x *Xtables) SetHeader(h *Header) {
	// The header is written to the shim's gx_hdr_next, which the next
	// call that reads the rule copies in: no call into C here.
	ch := &C.gx_hdr_next
	*ch = C.struct_gx_hdr{}
	putAddr(ch.src[:], h.Src)
	putAddr(ch.smsk[:], h.SrcMask)
	putAddr(ch.dst[:], h.Dst)
	putAddr(ch.dmsk[:], h.DstMask)
	putString(ch.iniface[:], h.InIface)
	putString(ch.outiface[:], h.OutIface)
	for i := 0; i < 16; i++ {
		ch.inmask[i] = C.uchar(h.InMask[i])
		ch.outmask[i] = C.uchar(h.OutMask[i])
	}
	ch.proto = C.uint16_t(h.Proto)
	ch.tos = C.uint8_t(h.TOS)
	ch.flags = C.uint8_t(h.Flags)
	ch.invflags = C.uint8_t(h.InvFlags)
	ch.pcnt = C.uint64_t(h.Packets)
	ch.bcnt = C.uint64_t(h.Bytes)
	C.gx_hdr_pending = 1
}

// Build returns the rule being built as a kernel entry, and the mask iptables
// compares entries with for -D and -C.
func (x *Xtables) Build() (entry, mask []byte, err error) {
	var blob, cmask *C.uchar
	var n C.size_t
	if err := check(C.gx_build(&blob, &cmask, &n)); err != nil {
		return nil, nil, err
	}
	entry = C.GoBytes(unsafe.Pointer(blob), C.int(n))
	mask = C.GoBytes(unsafe.Pointer(cmask), C.int(n))
	return entry, mask, nil
}

// buildScratch is BuildScratch's buffer: entry then mask.
var buildScratch []byte

// BuildScratch is Build into a buffer of the package's own, for callers
// that hand the entry to libiptc (which copies it) before building the
// next: the slices are valid until the next BuildScratch.
func (x *Xtables) BuildScratch() (entry, mask []byte, err error) {
	var blob, cmask *C.uchar
	var n C.size_t
	if err := check(C.gx_build(&blob, &cmask, &n)); err != nil {
		return nil, nil, err
	}
	if cap(buildScratch) < 2*int(n) {
		buildScratch = make([]byte, 2*int(n)+512)
	}
	entry, mask = buildScratch[:n:n], buildScratch[n:2*n:2*n]
	copy(entry, unsafe.Slice((*byte)(unsafe.Pointer(blob)), int(n)))
	copy(mask, unsafe.Slice((*byte)(unsafe.Pointer(cmask)), int(n)))
	return entry, mask, nil
}

// DecodeHeader reads the non-extension part of a kernel entry. It needs no
// libxtables state and may be called anywhere.
func DecodeHeader(fam Family, entry []byte) Header {
	// Read in Go at the offsets the kernel headers give (entryLayout): a
	// cgo call per rule listed cost more than the decoding.
	l := Layout(fam)
	if len(entry) < l.Size {
		return Header{}
	}
	ne := binary.NativeEndian
	h := Header{
		InIface:      cName(entry[l.InIface : l.InIface+16]),
		OutIface:     cName(entry[l.OutIface : l.OutIface+16]),
		Proto:        ne.Uint16(entry[l.Proto:]),
		Flags:        entry[l.Flags],
		InvFlags:     entry[l.InvFlags],
		Packets:      ne.Uint64(entry[l.Packets:]),
		Bytes:        ne.Uint64(entry[l.Bytes:]),
		TargetOffset: uint32(ne.Uint16(entry[l.TargetOffset:])),
		NextOffset:   uint32(ne.Uint16(entry[l.NextOffset:])),
	}
	if fam == IPv6 {
		h.TOS = entry[l.TOS]
		h.Src = netip.AddrFrom16([16]byte(entry[l.Src : l.Src+16]))
		h.SrcMask = netip.AddrFrom16([16]byte(entry[l.SrcMask : l.SrcMask+16]))
		h.Dst = netip.AddrFrom16([16]byte(entry[l.Dst : l.Dst+16]))
		h.DstMask = netip.AddrFrom16([16]byte(entry[l.DstMask : l.DstMask+16]))
	} else {
		h.Src = netip.AddrFrom4([4]byte(entry[l.Src : l.Src+4]))
		h.SrcMask = netip.AddrFrom4([4]byte(entry[l.SrcMask : l.SrcMask+4]))
		h.Dst = netip.AddrFrom4([4]byte(entry[l.Dst : l.Dst+4]))
		h.DstMask = netip.AddrFrom4([4]byte(entry[l.DstMask : l.DstMask+4]))
	}
	h.InMask = [16]byte(entry[l.InMask : l.InMask+16])
	h.OutMask = [16]byte(entry[l.OutMask : l.OutMask+16])
	return h
}

// cName is a NUL-terminated name in b.
func cName(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// EntryTargetName is the name in entry's target blob; empty for the
// standard target as the kernel returns it.
func EntryTargetName(fam Family, entry []byte) string {
	return C.GoString(C.gx_entry_target_name(C.int(fam), unsafe.Pointer(&entry[0])))
}

func cbool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

func putAddr(dst []C.uchar, a netip.Addr) {
	if !a.IsValid() {
		return
	}
	for i, b := range a.AsSlice() {
		dst[i] = C.uchar(b)
	}
}

func putString(dst []C.char, s string) {
	for i := 0; i < len(s) && i < len(dst)-1; i++ {
		dst[i] = C.char(s[i])
	}
}

// TargetUserData returns a copy of what the rule's target extension keeps
// beside its info (libxtables' udata: NFLOG's whole --nflog-prefix, which
// iptables-nft writes where the info holds 63 bytes of it), nil if
// nothing. Call it after FinalCheck.
func (x *Xtables) TargetUserData() []byte {
	var n C.size_t
	p := C.gx_target_udata(&n)
	if p == nil {
		return nil
	}
	return C.GoBytes(p, C.int(n))
}
