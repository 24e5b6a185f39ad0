// SPDX-License-Identifier: GPL-2.0-or-later

package ext

// Hooks into port_shim.c, for the tests.

/*
#include <stdlib.h>
#include <string.h>
#include <xtables.h>
#include "xt_shim.h"
*/
import "C"
import "unsafe"

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
