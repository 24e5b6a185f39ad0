// SPDX-License-Identifier: GPL-2.0-or-later

package ext

// Protocol names and numbers, as -p takes and -L prints them.

/*
// The shim keeps no pointer it is given past the call and never calls Go
// (see run_linux.go).
#cgo noescape gx_parse_protocol
#cgo nocallback gx_parse_protocol
#cgo noescape gx_proto_name
#cgo nocallback gx_proto_name
#cgo noescape gx_proto_entry
#cgo nocallback gx_proto_entry
#include <stdlib.h>
#include <string.h>
#include <xtables.h>
#include "xt_shim.h"
*/
import "C"

// ProtoName is iptables' proto_to_name: the name of protocol p, from
// libxtables' own list and, unless nolookup, /etc/protocols.
func (x *Xtables) ProtoName(p uint16, nolookup bool) (string, bool) {
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
func (x *Xtables) ParseProtocol(s string) (uint16, error) {
	// A name of the table is never a number (what libxtables tries
	// first), so it is looked up here without a cgo call.
	if n, ok := protoNumbers[s]; ok {
		return n, nil
	}
	return x.parseProtocolC(s)
}

// parseProtocolC is ParseProtocol through the shim.
func (x *Xtables) parseProtocolC(s string) (uint16, error) {
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
