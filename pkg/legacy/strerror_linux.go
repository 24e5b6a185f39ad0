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

	"github.com/goipt/goipt/pkg/ext"
)

func strError(fam ext.Family, errno syscall.Errno) string {
	libMu.Lock()
	defer libMu.Unlock()
	return C.GoString(C.gi_strerror(C.int(fam), C.int(errno)))
}

// DumpEntries is libiptc's dump of the whole table as it is in h (what
// iptables -vv prints after the command).
func (h *Table) DumpEntries() string {
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

func probeTable(b *Backend, fam ext.Family, table string) error {
	ct := C.CString(table)
	defer C.free(unsafe.Pointer(ct))
	if rc, _ := C.gi_table_info(C.int(fam), ct); rc == 0 {
		return nil
	}
	h, err := b.open(fam, table)
	if err == nil {
		h.Close()
	}
	return err
}
