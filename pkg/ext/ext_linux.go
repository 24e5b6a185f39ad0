// SPDX-License-Identifier: GPL-2.0-or-later

package ext

/*
#cgo pkg-config: xtables
#cgo LDFLAGS: -ldl
// The shim keeps no pointer it is given past the call and never calls Go:
// out-parameters on the Go stack then stay there (a heap allocation per
// call otherwise).
#cgo noescape gx_load_match
#cgo nocallback gx_load_match
#cgo noescape gx_load_target
#cgo nocallback gx_load_target
#cgo noescape gx_find_target
#cgo nocallback gx_find_target
#cgo noescape gx_parse_opt
#cgo nocallback gx_parse_opt
#cgo noescape gx_build
#cgo nocallback gx_build
#cgo noescape gx_parse_protocol
#cgo nocallback gx_parse_protocol
#cgo noescape gx_ipparse
#cgo nocallback gx_ipparse
#cgo noescape gx_proto_name
#cgo nocallback gx_proto_name
#cgo noescape gx_proto_entry
#cgo nocallback gx_proto_entry
#cgo noescape gx_print_exts
#cgo nocallback gx_print_exts
#cgo noescape gx_save_matches
#cgo nocallback gx_save_matches
#cgo noescape gx_save_target
#cgo nocallback gx_save_target
#cgo noescape gx_save_exts
#cgo nocallback gx_save_exts
#include <stdlib.h>
#include <string.h>
#include <xtables.h>
#include "xt_shim.h"
*/
import "C"

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/bits"
	"net/netip"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unsafe"
)

var (
	initOnce sync.Once
	initErr  error
	// mu serializes the use of libxtables (global state): one Run at a
	// time, on the caller's own thread.
	mu sync.Mutex
)

func initialize() {
	if C.gx_init() != 0 {
		initErr = lastError()
	}
}

// Adopt is for a program whose work is one goroutine's, in the network
// namespace it started in, as goipt's command line: it initializes
// libxtables now, and from then on Run does not lock its goroutine to a
// thread. Locking is for callers that work in a namespace of their own;
// for the command line, the first LockOSThread of the process costs a
// thread of the runtime's (0.25-0.35 ms of every start).
func Adopt() {
	mu.Lock()
	initOnce.Do(initialize)
	adopted = true
	C.gx_adopted = 1
	mu.Unlock()
}

// adopted: Adopt was called (under mu).
var adopted bool

// Run runs fn with libxtables, family fam selected. program names the tool
// in messages that extensions print themselves. X is valid only inside fn;
// Run calls from many goroutines are serialized, and fn runs on the
// caller's goroutine, locked to its thread meanwhile (unless the program
// called Adopt). fn must not call Run.
func Run(fam Family, program string, fn func(x *X) error) error {
	mu.Lock()
	defer mu.Unlock()
	if !adopted {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
	}
	initOnce.Do(initialize)
	return run(fam, program, fn)
}

// programs keeps the C copies of program names: libxtables keeps the
// pointer (xt_params->program_name).
var programs = map[string]*C.char{}

func run(fam Family, program string, fn func(x *X) error) error {
	if initErr != nil {
		return initErr
	}
	cprog := programs[program]
	if cprog == nil {
		cprog = C.CString(program)
		programs[program] = cprog
	}
	defer C.gx_leave()
	if C.gx_set_family(C.int(fam), cprog) != 0 {
		return lastError()
	}
	x := &X{fam: fam}
	defer x.freeArgv()
	return fn(x)
}

func lastError() error {
	return &Error{Status: int(C.gx_errstatus), Msg: C.GoString(&C.gx_errmsg[0])}
}

func check(rc C.int) error {
	if rc != 0 {
		return lastError()
	}
	return nil
}

// X is the handle to libxtables inside Run.
type X struct {
	// addrs holds the first two single addresses ParseAddresses reads
	// after a Reset (a rule's source and destination).
	addrs     [2][2]netip.Addr
	addrsUsed int

	fam    Family
	argv   **C.char // one C allocation: the pointers, then the strings
	argc   int
	goArgv []string // what argv holds
}

// Family is the family Run selected.
func (x *X) Family() Family { return x.fam }

// Ext is an extension loaded for the rule being built.
type Ext struct {
	p        unsafe.Pointer
	Target   bool
	Name     string
	Revision int
	// Clone is set when the same match was already loaded in this rule:
	// the clone shares the original's options (iptables does not merge
	// them again).
	Clone    bool
	HasParse bool
	Options  []Option
}

func (x *X) newExt(p unsafe.Pointer, target bool) *Ext {
	d := describe(p, target)
	return &Ext{p: p, Target: target, Name: d.name, Revision: d.revision,
		HasParse: d.hasParse, Options: d.options}
}

// descriptor is what newExt reads of an extension: the same for every copy
// of it, so read once per extension and kept (used inside Run, one at a time).
type descriptor struct {
	name     string
	revision int
	hasParse bool
	options  []Option // shared by every Ext of the extension: read-only
}

type identKey struct {
	name, opts unsafe.Pointer
	revision   int
	target     bool
}

var descriptors = map[identKey]*descriptor{}

// extIdent reads what identifies an extension's descriptor, whichever copy
// of it p is (a clone for a match used twice in a rule): the pointers to
// its name and option table, which live in the plugin and so are the same
// for every copy, and its revision. The fields are read through cgo's view
// of xtables.h, without a call into C.
func extIdent(p unsafe.Pointer, target bool) (identKey, *C.char) {
	if target {
		t := (*C.struct_xtables_target)(p)
		opts := unsafe.Pointer(t.x6_options)
		if opts == nil {
			opts = unsafe.Pointer(t.extra_opts)
		}
		return identKey{unsafe.Pointer(t.name), opts, int(t.revision), true}, t.name
	}
	m := (*C.struct_xtables_match)(p)
	opts := unsafe.Pointer(m.x6_options)
	if opts == nil {
		opts = unsafe.Pointer(m.extra_opts)
	}
	return identKey{unsafe.Pointer(m.name), opts, int(m.revision), false}, m.name
}

func describe(p unsafe.Pointer, target bool) *descriptor {
	t := cbool(target)
	key, name := extIdent(p, target)
	if d := descriptors[key]; d != nil {
		return d
	}
	d := &descriptor{name: C.GoString(name), revision: key.revision,
		hasParse: C.gx_ext_has_parse(p, t) != 0}
	opts := (*[256]C.struct_gx_opt)(C.malloc(C.size_t(unsafe.Sizeof(C.struct_gx_opt{})) * 256))
	n := int(C.gx_ext_options(p, t, &opts[0], 256))
	for i := 0; i < n; i++ {
		d.options = append(d.options, Option{
			Name:       C.GoString(opts[i].name),
			HasArg:     int(opts[i].has_arg),
			ID:         int(opts[i].id),
			Invertible: opts[i].invert != 0,
		})
	}
	C.free(unsafe.Pointer(opts))
	descriptors[key] = d
	return d
}

// Reset forgets the rule being built.
func (x *X) Reset() error {
	x.addrsUsed = 0
	x.freeArgv()
	return check(C.gx_rule_reset())
}

// SetArgv gives extension parsers the command line they were called from;
// old-style parsers read words beyond their option through it. Setting the
// same words again (every option of a rule does) costs nothing; the C copy
// is one allocation.
func (x *X) SetArgv(argv []string) {
	if x.argv != nil && len(argv) == len(x.goArgv) {
		same := true
		for i, a := range argv {
			if a != x.goArgv[i] {
				same = false
				break
			}
		}
		if same {
			return
		}
	}
	x.freeArgv()
	ptrs := uintptr(len(argv)+1) * unsafe.Sizeof(uintptr(0))
	size := ptrs
	for _, a := range argv {
		size += uintptr(len(a)) + 1
	}
	if size > argvCap {
		C.free(argvBlock)
		argvCap = max(size, 2*argvCap, 4096)
		argvBlock = C.malloc(C.size_t(argvCap))
	}
	block := argvBlock
	x.argv = (**C.char)(block)
	s := unsafe.Slice(x.argv, len(argv)+1)
	buf := unsafe.Slice((*byte)(block), size)
	off := ptrs
	for i, a := range argv {
		s[i] = (*C.char)(unsafe.Pointer(&buf[off]))
		off += uintptr(copy(buf[off:], a))
		buf[off] = 0
		off++
	}
	s[len(argv)] = nil
	x.argc = len(argv)
	x.goArgv = append(x.goArgv[:0], argv...)
}

// argvBlock is the C memory SetArgv copies the command line into, kept
// and grown from rule to rule (one Run at a time uses it): a malloc and a
// free a rule are two cgo calls.
var (
	argvBlock unsafe.Pointer
	argvCap   uintptr
)

func (x *X) freeArgv() {
	if x.argv == nil {
		return
	}
	x.argv, x.argc = nil, 0
	clear(x.goArgv)
	x.goArgv = x.goArgv[:0]
}

// cstr returns s as a C string in one of two buffers (slot 0 or 1) used
// inside Run, or in a new allocation when s does not fit; free
// it with x.freeStr. For strings handed to libxtables for one call.
func (x *X) cstr(slot int, s string) *C.char {
	if len(s) >= scratchSize || strings.IndexByte(s, 0) >= 0 {
		return C.CString(s)
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(&scratch[slot][0])), scratchSize)
	copy(b, s)
	b[len(s)] = 0
	return &scratch[slot][0]
}

func (x *X) freeStr(slot int, p *C.char) {
	if p != &scratch[slot][0] {
		C.free(unsafe.Pointer(p))
	}
}

const scratchSize = 1024

// scratch is C memory: cgo lets C keep no Go pointer, and these are passed
// without the checks Go memory gets.
var scratch = func() *[2][scratchSize]C.char {
	return (*[2][scratchSize]C.char)(C.calloc(2, scratchSize))
}()

// Try modes of xtables_find_match.
const (
	DontLoad    = int(C.XTF_DONT_LOAD)
	TryLoad     = int(C.XTF_TRY_LOAD)
	MustSucceed = int(C.XTF_LOAD_MUST_SUCCEED)
)

// LoadMatch adds match name to the rule being built, as -m does (mode
// MustSucceed) or as the implicit protocol match does (TryLoad). It returns
// nil, nil when TryLoad finds nothing.
func (x *X) LoadMatch(name string, mode int) (*Ext, error) {
	cname := x.cstr(0, name)
	defer x.freeStr(0, cname)
	var p unsafe.Pointer
	var clone C.int
	if err := check(C.gx_load_match(cname, C.int(mode), &p, &clone)); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, nil
	}
	e := x.newExt(p, false)
	e.Clone = clone != 0
	return e, nil
}

// LoadTarget sets target extension name for the rule being built; nil, nil
// when no plugin has it (a chain name, or a misspelling).
func (x *X) LoadTarget(name string) (*Ext, error) {
	cname := x.cstr(0, name)
	defer x.freeStr(0, cname)
	var p unsafe.Pointer
	if err := check(C.gx_load_target(cname, &p)); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, nil
	}
	return x.newExt(p, true), nil
}

// StdTarget sets the standard target: a verdict, or a jump to chain name.
func (x *X) StdTarget(name string, isChain bool) error {
	cname := x.cstr(0, name)
	defer x.freeStr(0, cname)
	return check(C.gx_std_target(cname, cbool(isChain)))
}

// RequireTarget fails with libxtables' "Couldn't load target" error
// unless a plugin has target name.
func (x *X) RequireTarget(name string) error {
	cname := x.cstr(0, name)
	defer x.freeStr(0, cname)
	return check(C.gx_require_target(cname))
}

// IsTarget tells whether a plugin provides target name.
func (x *X) IsTarget(name string) (bool, error) {
	cname := x.cstr(0, name)
	defer x.freeStr(0, cname)
	var found C.int
	err := check(C.gx_find_target(cname, &found))
	return found != 0, err
}

// ParseOption hands one option to its extension's parser. optind is the
// getopt index after the option; the returned index is where parsing goes
// on (old-style parsers may consume more words).
func (x *X) ParseOption(e *Ext, id int, arg string, hasArg, invert bool, optind int) (int, error) {
	var carg *C.char
	if hasArg {
		carg = x.cstr(1, arg)
		defer x.freeStr(1, carg)
	}
	argv := x.argv
	if argv == nil {
		x.SetArgv([]string{"iptables"})
		argv = x.argv
	}
	oi := C.int(optind)
	err := check(C.gx_parse_opt(e.p, cbool(e.Target), C.int(id), carg, cbool(invert), C.int(x.argc), argv, &oi))
	return int(oi), err
}

// FinalCheck runs every extension's final check.
func (x *X) FinalCheck() error { return check(C.gx_final_check()) }

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
func (x *X) SetHeader(h *Header) {
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
func (x *X) Build() (entry, mask []byte, err error) {
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
func (x *X) BuildScratch() (entry, mask []byte, err error) {
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

// captured returns what the shim captured; the buffer is the shim's own,
// reused by the next capture.
func captured(rc C.int, out *C.char, n C.size_t) (string, error) {
	s := ""
	if out != nil && n > 0 {
		s = C.GoStringN(out, C.int(n))
	}
	if rc != 0 {
		return s, lastError()
	}
	return s, nil
}

// PrintExtensions returns what -L prints of entry's matches and target.
// targname is the rule's target as libiptc names it; isChain tells that it
// is a user chain.
func (x *X) PrintExtensions(entry []byte, targname string, isChain, numeric bool) (string, error) {
	ct := x.cstr(0, targname)
	defer x.freeStr(0, ct)
	var out *C.char
	var n C.size_t
	rc := C.gx_print_exts(unsafe.Pointer(&entry[0]), ct, cbool(isChain), cbool(numeric), &out, &n)
	return captured(rc, out, n)
}

// SaveMatches returns what -S prints of entry's matches (" -m name ...").
func (x *X) SaveMatches(entry []byte) (string, error) {
	var out *C.char
	var n C.size_t
	rc := C.gx_save_matches(unsafe.Pointer(&entry[0]), &out, &n)
	return captured(rc, out, n)
}

// SaveTarget returns what -S prints of entry's target (" -j NAME ...").
func (x *X) SaveTarget(entry []byte, targname string, gotoFlag bool) (string, error) {
	ct := x.cstr(0, targname)
	defer x.freeStr(0, ct)
	var out *C.char
	var n C.size_t
	rc := C.gx_save_target(unsafe.Pointer(&entry[0]), ct, cbool(gotoFlag), &out, &n)
	return captured(rc, out, n)
}

// SaveExts is SaveMatches (when withMatches) and SaveTarget in one call.
// The results are views of memory of this package, valid until the next
// call into it: write or copy them before. On an error, targetFailed tells
// whether the target failed (the matches were saved) or the matches (the
// target was not tried).
func (x *X) SaveExts(entry []byte, targname string, gotoFlag, withMatches bool) (matches, target []byte, targetFailed bool, err error) {
	ct := x.cstr(0, targname)
	defer x.freeStr(0, ct)
	sc := saveScratch
	rc := C.gx_save_exts(unsafe.Pointer(&entry[0]), ct, cbool(gotoFlag), cbool(withMatches),
		&sc.out, &sc.n, &sc.split, &sc.failed)
	if sc.out != nil && sc.n > 0 {
		all := unsafe.Slice((*byte)(unsafe.Pointer(sc.out)), int(sc.n))
		split := min(int(sc.split), len(all))
		if rc != 0 && sc.failed == 1 {
			split = len(all)
		}
		matches, target = all[:split:split], all[split:]
	}
	if rc != 0 {
		return matches, target, sc.failed == 2, lastError()
	}
	return matches, target, false, nil
}

// saveScratch holds SaveExts' results in C memory (pointers to Go memory
// passed to C escape to the heap).
var saveScratch = (*struct {
	out      *C.char
	n, split C.size_t
	failed   C.int
})(C.calloc(1, C.size_t(unsafe.Sizeof(struct {
	out      *C.char
	n, split C.size_t
	failed   C.int
}{}))))

// Help returns the extension's help text as iptables -h prints it.
func (x *X) Help(e *Ext) (string, error) {
	var out *C.char
	var n C.size_t
	rc := C.gx_help(e.p, cbool(e.Target), &out, &n)
	return captured(rc, out, n)
}

// Plugins lists the names of the installed match and target plugins.
func (x *X) Plugins() (matches, targets []string, err error) {
	var out *C.char
	var n C.size_t
	s, err := captured(C.gx_list_plugins(&out, &n), out, n)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	for _, f := range strings.Split(s, "\n") {
		name, ok := strings.CutSuffix(f, ".so")
		if !ok {
			continue
		}
		fam := ""
		for _, p := range []string{"libxt_", "libipt_", "libip6t_"} {
			if strings.HasPrefix(name, p) {
				fam = p
			}
		}
		if fam == "" || (fam == "libipt_" && x.fam == IPv6) || (fam == "libip6t_" && x.fam == IPv4) {
			continue
		}
		name = strings.TrimPrefix(name, fam)
		if seen[name] {
			continue
		}
		seen[name] = true
		if strings.ToUpper(name) == name {
			targets = append(targets, name)
		} else {
			matches = append(matches, name)
		}
	}
	return matches, targets, nil
}

// ProtoName is iptables' proto_to_name: the name of protocol p, from
// libxtables' own list and, unless nolookup, /etc/protocols.
func (x *X) ProtoName(p uint16, nolookup bool) (string, bool) {
	var slot *protoName
	if p < 256 {
		slot = &protoNames[cbool(nolookup)][p]
		if slot.known {
			return slot.name, slot.ok
		}
	}
	var buf [64]C.char
	r := protoName{known: true}
	if C.gx_proto_name(C.int(p), cbool(nolookup), &buf[0], C.size_t(len(buf))) != 0 {
		r.name, r.ok = C.GoString(&buf[0]), true
	}
	if slot != nil {
		*slot = r
	}
	return r.name, r.ok
}

type protoName struct {
	name      string
	ok, known bool
}

// protoNames caches ProtoName by nolookup and protocol (the kernel's field
// is 16 bits wide, protocols 8): libxtables' list, then /etc/protocols, the
// same answer all along a run. Used inside Run, one at a time.
var protoNames [2][256]protoName

// ParseProtocol is xtables_parse_protocol: a name or number to a number.
func (x *X) ParseProtocol(s string) (uint16, error) {
	// A name of the table is never a number (what libxtables tries
	// first), so it is looked up here without a cgo call.
	if n, ok := protoNumbers[s]; ok {
		return n, nil
	}
	return x.parseProtocolC(s)
}

// parseProtocolC is ParseProtocol through the shim.
func (x *X) parseProtocolC(s string) (uint16, error) {
	cs := x.cstr(0, s)
	defer x.freeStr(0, cs)
	var p C.int
	err := check(C.gx_parse_protocol(cs, &p))
	return uint16(p), err
}

// protoNumbers is the shim's protocol table (gx_protos) by name.
var protoNumbers = func() map[string]uint16 {
	m := map[string]uint16{}
	for i := 0; ; i++ {
		var num C.int
		name := C.gx_proto_entry(C.int(i), &num)
		if name == nil {
			return m
		}
		if _, dup := m[C.GoString(name)]; !dup {
			m[C.GoString(name)] = uint16(num)
		}
	}
}()

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

// ParseAddresses is xtables_ipparse_multiple (or its IPv6 twin): a comma
// list of host[/mask], names resolved, into addresses with their masks.
// The slices may be X's own memory, valid until the next Reset.
func (x *X) ParseAddresses(spec string) (addrs, masks []netip.Addr, err error) {
	if a, m, ok := numericAddress(x.fam, spec); ok {
		if x.addrsUsed < len(x.addrs) {
			// A rule's source and destination: X's own memory.
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
func (x *X) parseAddressesC(spec string) (addrs, masks []netip.Addr, err error) {
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
func (x *X) AddrString(addr, mask netip.Addr, numeric bool) string {
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
func (x *X) addrStringC(addr, mask netip.Addr, numeric bool) string {
	sc := addrScratch
	putAddr16(&sc.a, addr)
	putAddr16(&sc.m, mask)
	C.gx_addr_string(C.int(x.fam), &sc.a[0], &sc.m[0], cbool(numeric), &sc.out[0], C.size_t(len(sc.out)))
	return addrText(&sc.out[0])
}

// SaveAddr is what -S shows for an address: " [!] -s addr/len" or "".
func (x *X) SaveAddr(letter byte, addr, mask netip.Addr, invert bool) string {
	return string(x.AppendSaveAddr(nil, letter, addr, mask, invert))
}

// AppendSaveAddr is SaveAddr appending to dst (no allocation for IPv4).
func (x *X) AppendSaveAddr(dst []byte, letter byte, addr, mask netip.Addr, invert bool) []byte {
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
func (x *X) saveAddrC(letter byte, addr, mask netip.Addr, invert bool) string {
	sc := addrScratch
	putAddr16(&sc.a, addr)
	putAddr16(&sc.m, mask)
	C.gx_save_addr(C.int(x.fam), C.char(letter), &sc.a[0], &sc.m[0], cbool(invert), &sc.out[0], 128)
	return addrText(&sc.out[0])
}

// AnnounceChain tells libxtables that name is a chain, so that a later -j
// name does not look for a plugin of that name.
func (x *X) AnnounceChain(name string) {
	cs := C.CString(name)
	C.xtables_announce_chain(cs)
	C.free(unsafe.Pointer(cs))
}

// LoadKernelModule is xtables_load_ko: it runs modprobe (program, or the
// system's) for the family's x_tables module when it is not loaded yet.
// iptables tries it once when a table cannot be opened.
func (x *X) LoadKernelModule(program string) bool {
	var cp *C.char
	if program != "" {
		cp = C.CString(program)
		defer C.free(unsafe.Pointer(cp))
	}
	return C.xtables_load_ko(cp, false) != -1
}

// portLookups is the port libxtables reads for service through the fast
// path of port_shim.c (-2 when it does not apply) and through libc's
// getaddrinfo (-1: no answer), for the tests.
func portLookups(service string) (fast, libc int) {
	cs := C.CString(service)
	defer C.free(unsafe.Pointer(cs))
	var f, l C.int
	C.gx_port_lookups(cs, &f, &l)
	return int(f), int(l)
}

// lookupPort is the port of the first answer of the process's getaddrinfo
// (port_shim.c's) for node and service, without hints; -1 for none. For
// the tests.
func lookupPort(node, service string) int {
	var cn *C.char
	if node != "" {
		cn = C.CString(node)
		defer C.free(unsafe.Pointer(cn))
	}
	cs := C.CString(service)
	defer C.free(unsafe.Pointer(cs))
	return int(C.gx_lookup_port(cn, cs))
}

// portAnswers counts the ports port_shim.c answered, for the tests.
func portAnswers() uint64 {
	return uint64(C.gx_port_answered())
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

// Strerror is strerror(3) for a system error in err (as iptables prints
// it: "Resource temporarily unavailable", not Go's lower-case text), and
// err's own text otherwise.
func Strerror(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return C.GoString(C.strerror(C.int(errno)))
	}
	return err.Error()
}
