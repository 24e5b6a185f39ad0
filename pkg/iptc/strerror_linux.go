// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

/*
#cgo pkg-config: libip4tc libip6tc
#include <stdlib.h>
#include "iptc_shim.h"
*/
import "C"

import (
	"syscall"
	"unsafe"

	"github.com/goipt/goipt/pkg/ext"
)

// StrError is iptc_strerror: libiptc's message for errno, which depends on
// the libiptc function called last (iptables prints it after a failure).
func StrError(fam ext.Family, errno syscall.Errno) string {
	libMu.Lock()
	defer libMu.Unlock()
	return C.GoString(C.gi_strerror(C.int(fam), C.int(errno)))
}

// DumpEntries is libiptc's dump of the whole table as it is in h (what
// iptables -vv prints after the command).
func (h *Handle) DumpEntries() string {
	var out *C.char
	var n C.size_t
	libMu.Lock()
	C.gi_dump_entries(C.int(h.fam), h.h, &out, &n)
	libMu.Unlock()
	if out == nil {
		return ""
	}
	defer C.free(unsafe.Pointer(out))
	return C.GoStringN(out, C.int(n))
}

// probeTable checks that table exists (loading its module if need be)
// without reading its rules; for a table that does not, it fails with the
// error OpenHandle gives.
func probeTable(fam ext.Family, table string) error {
	ct := C.CString(table)
	defer C.free(unsafe.Pointer(ct))
	if rc, _ := C.gi_table_info(C.int(fam), ct); rc == 0 {
		return nil
	}
	h, err := OpenHandle(fam, table)
	if err == nil {
		h.Close()
	}
	return err
}
