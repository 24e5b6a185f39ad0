// SPDX-License-Identifier: GPL-2.0-or-later

package ext

// Handing command-line options to the extensions' parsers.

/*
// The shim keeps no pointer it is given past the call and never calls Go
// (see run_linux.go).
#cgo noescape gx_parse_opt
#cgo nocallback gx_parse_opt
#include <stdlib.h>
#include <string.h>
#include <xtables.h>
#include "xt_shim.h"
*/
import "C"
import (
	"strings"
	"unsafe"
)

// Reset forgets the rule being built.
func (x *Xtables) Reset() error {
	x.addrsUsed = 0
	x.freeArgv()
	return check(C.gx_rule_reset())
}

// SetArgv gives extension parsers the command line they were called from;
// old-style parsers read words beyond their option through it. Setting the
// same words again (every option of a rule does) costs nothing; the C copy
// is one allocation.
func (x *Xtables) SetArgv(argv []string) {
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

func (x *Xtables) freeArgv() {
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
func (x *Xtables) cstr(slot int, s string) *C.char {
	if len(s) >= scratchSize || strings.IndexByte(s, 0) >= 0 {
		return C.CString(s)
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(&scratch[slot][0])), scratchSize)
	copy(b, s)
	b[len(s)] = 0
	return &scratch[slot][0]
}

func (x *Xtables) freeStr(slot int, p *C.char) {
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

// ParseOption hands one option to its extension's parser. optind is the
// getopt index after the option; the returned index is where parsing goes
// on (old-style parsers may consume more words).
func (x *Xtables) ParseOption(e *Ext, id int, arg string, hasArg, invert bool, optind int) (int, error) {
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
func (x *Xtables) FinalCheck() error { return check(C.gx_final_check()) }

// argvBlock is the C memory SetArgv copies the command line into, kept
// and grown from rule to rule (one Run at a time uses it): a malloc and a
// free a rule are two cgo calls.
var (
	argvBlock unsafe.Pointer
	argvCap   uintptr
)
