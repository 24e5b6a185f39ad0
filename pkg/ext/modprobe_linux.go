// SPDX-License-Identifier: GPL-2.0-or-later

package ext

// Loading the kernel's x_tables modules, as iptables does.

/*
#include <stdlib.h>
#include <string.h>
#include <xtables.h>
#include "xt_shim.h"
*/
import "C"
import "unsafe"

// LoadKernelModule is xtables_load_ko: it runs modprobe (program, or the
// system's) for the family's x_tables module when it is not loaded yet.
// iptables tries it once when a table cannot be opened.
func (x *Xtables) LoadKernelModule(program string) bool {
	var cp *C.char
	if program != "" {
		cp = C.CString(program)
		defer C.free(unsafe.Pointer(cp))
	}
	return C.xtables_load_ko(cp, false) != -1
}
