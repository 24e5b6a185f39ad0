// SPDX-License-Identifier: GPL-2.0-or-later

package ext

/*
#cgo pkg-config: xtables
#cgo LDFLAGS: -ldl
// The shim keeps no pointer it is given past the call and never calls Go:
// out-parameters on the Go stack then stay there (a heap allocation per
// call otherwise). Each file marks the shim functions it calls so
// (#cgo noescape, #cgo nocallback).
#include <stdlib.h>
#include <string.h>
#include <xtables.h>
#include "xt_shim.h"
*/
import "C"

import (
	"errors"
	"net/netip"
	"runtime"
	"sync"
	"syscall"

	"github.com/goipt/goipt/pkg/parse"
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
// in messages that extensions print themselves. Xtables is valid only inside fn;
// Run calls from many goroutines are serialized, and fn runs on the
// caller's goroutine, locked to its thread meanwhile (unless the program
// called Adopt). fn must not call Run.
func Run(fam Family, program string, fn func(x *Xtables) error) error {
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

func run(fam Family, program string, fn func(x *Xtables) error) error {
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
	x := &Xtables{fam: fam}
	defer x.freeArgv()
	return fn(x)
}

func lastError() error {
	return &parse.Error{Status: int(C.gx_errstatus), Msg: C.GoString(&C.gx_errmsg[0])}
}

func check(rc C.int) error {
	if rc != 0 {
		return lastError()
	}
	return nil
}

// Xtables is the handle to libxtables inside Run.
type Xtables struct {
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
func (x *Xtables) Family() Family { return x.fam }

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

// UseNFTCompat makes libxtables do as iptables-nft does: ask nf_tables'
// nft_compat which revisions of an extension the kernel has
// (xtables_globals.compat_rev = nft_compatible_revision), where
// iptables-legacy asks ip_tables by getsockopt (which loads ip_tables),
// and name the variant "nf_tables" in its own messages. libxtables
// settles an extension's revision once per process, when it first loads
// it: call this before the first Run, for the whole process.
func UseNFTCompat() {
	mu.Lock()
	C.gx_use_nft(1)
	mu.Unlock()
}
