// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

/*
#cgo pkg-config: libip4tc libip6tc
#include "iptc_shim.h"
*/
import "C"

import (
	"syscall"

	"github.com/goipt/goipt/pkg/ext"
)

// StrError is iptc_strerror: libiptc's message for errno, which depends on
// the libiptc function called last (iptables prints it after a failure).
func StrError(fam ext.Family, errno syscall.Errno) string {
	libMu.Lock()
	defer libMu.Unlock()
	return C.GoString(C.gi_strerror(C.int(fam), C.int(errno)))
}
