// SPDX-License-Identifier: GPL-2.0-or-later

package legacy

/*
#cgo pkg-config: libip4tc libip6tc
#include <stdlib.h>
#include "iptc_shim.h"
*/
import "C"

import (
	"syscall"
	"unsafe"
)

// ReadCounter returns the counters of rule num (1 is first) of chain.
func (h *Table) ReadCounter(chain string, num int) (packets, bytes uint64, err error) {
	c := C.CString(chain)
	defer C.free(unsafe.Pointer(c))
	var p, b C.uint64_t
	libMu.Lock()
	defer libMu.Unlock()
	rc, e := C.gi_read_counter(C.int(h.fam), c, C.uint(num), &p, &b, h.h)
	if rc == 0 {
		if e == nil {
			e = syscall.E2BIG
		}
		return 0, 0, errorFor(h.fam, "counter", e)
	}
	return uint64(p), uint64(b), nil
}
