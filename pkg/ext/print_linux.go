// SPDX-License-Identifier: GPL-2.0-or-later

package ext

// What -L and -S print of a rule's extensions.

/*
// The shim keeps no pointer it is given past the call and never calls Go
// (see run_linux.go).
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
import "unsafe"

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
func (x *Xtables) PrintExtensions(entry []byte, targname string, isChain, numeric bool) (string, error) {
	ct := x.cstr(0, targname)
	defer x.freeStr(0, ct)
	var out *C.char
	var n C.size_t
	rc := C.gx_print_exts(unsafe.Pointer(&entry[0]), ct, cbool(isChain), cbool(numeric), &out, &n)
	return captured(rc, out, n)
}

// SaveMatches returns what -S prints of entry's matches (" -m name ...").
func (x *Xtables) SaveMatches(entry []byte) (string, error) {
	var out *C.char
	var n C.size_t
	rc := C.gx_save_matches(unsafe.Pointer(&entry[0]), &out, &n)
	return captured(rc, out, n)
}

// SaveTarget returns what -S prints of entry's target (" -j NAME ...").
func (x *Xtables) SaveTarget(entry []byte, targname string, gotoFlag bool) (string, error) {
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
func (x *Xtables) SaveExts(entry []byte, targname string, gotoFlag, withMatches bool) (matches, target []byte, targetFailed bool, err error) {
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
