// SPDX-License-Identifier: GPL-2.0-or-later

package nft

/*
#cgo pkg-config: libnftnl libmnl
#cgo noescape gn_encode
#cgo nocallback gn_encode
#cgo noescape gn_decode
#cgo nocallback gn_decode
#include <string.h>
#include "nftnl_shim.h"
*/
import "C"

import (
	"fmt"
	"syscall"
	"unsafe"
)

// encodeStream appends to out the netlink messages libnftnl builds from
// the records of stream: one cgo call for as many objects as out has room
// for.
func encodeStream(stream, out []byte) ([]byte, error) {
	for len(stream) > 0 {
		if cap(out)-len(out) < 2*len(stream)/8+65536 {
			out = grow(out, 2*len(stream)+65536)
		}
		olen := C.size_t(len(out))
		buf := out[:cap(out)]
		n, err := C.gn_encode((*C.uint8_t)(unsafe.Pointer(&stream[0])), C.size_t(len(stream)),
			(*C.char)(unsafe.Pointer(&buf[0])), C.size_t(cap(out)), &olen)
		if n < 0 {
			return out, fmt.Errorf("nft: building messages: %w", err)
		}
		out = out[:olen]
		stream = stream[n:]
		if n == 0 {
			out = grow(out, 2*cap(out))
		}
	}
	return out, nil
}

// decodeMessages appends to out the records of the netlink messages in
// msgs.
func decodeMessages(msgs, out []byte) ([]byte, error) {
	for len(msgs) > 0 {
		// Records take a little more room than the messages; gn_decode
		// stops short when a message might not fit.
		if cap(out)-len(out) < len(msgs)+len(msgs)/4+8192 {
			out = grow(out, len(msgs)+len(msgs)/2+8192)
		}
		olen := C.size_t(len(out))
		buf := out[:cap(out)]
		n, err := C.gn_decode((*C.char)(unsafe.Pointer(&msgs[0])), C.size_t(len(msgs)),
			(*C.uint8_t)(unsafe.Pointer(&buf[0])), C.size_t(cap(out)), &olen)
		if n < 0 {
			return out, fmt.Errorf("nft: parsing messages: %w", err)
		}
		out = out[:olen]
		if n == 0 && cap(out)-len(out) >= 3*len(msgs)+512 {
			break // a truncated message: nothing more to read
		}
		if n == 0 {
			out = grow(out, 3*len(msgs)+512)
		}
		msgs = msgs[n:]
	}
	return out, nil
}

// grow returns b with room for n more bytes.
func grow(b []byte, n int) []byte {
	if cap(b)-len(b) >= n {
		return b
	}
	nb := make([]byte, len(b), len(b)+n)
	copy(nb, b)
	return nb
}

// strerror is the C library's message for errno, as iptables-nft prints
// it (Go's differ in case).
func strerror(errno syscall.Errno) string {
	return C.GoString(C.strerror(C.int(errno)))
}
