// SPDX-License-Identifier: GPL-2.0-or-later

package nft

/*
#include <stdlib.h>
#include "nftnl_shim.h"
*/
import "C"

import (
	"errors"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/goipt/goipt/pkg/ext"
)

// CompatRevision asks nft_compat whether the kernel has revision rev of
// match (or target) name for family fam, as iptables-nft picks revisions
// (nft_compatible_revision) where iptables-legacy asks ip_tables by
// getsockopt. Like iptables-nft it answers true on EPERM, and true with
// a warning to print for a revision 0 the kernel lacks ("Warning:
// Extension %s revision 0 not supported, missing kernel module?").
func (c *Conn) CompatRevision(fam ext.Family, name string, rev uint8, target bool) (ok bool, warn string, err error) {
	var typ C.uint32_t
	if target {
		typ = 1
	}
	buf := (*[512]byte)(C.malloc(512))
	defer C.free(unsafe.Pointer(buf))
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	seq := c.nextSeq()
	n := C.gn_compat_get((*C.char)(unsafe.Pointer(buf)), cname, C.uint32_t(rev), typ, C.uint8_t(fam), C.uint32_t(seq))
	if err := c.send(buf[:n]); err != nil {
		return false, "", err
	}
	for {
		msgs, err := c.recv(0)
		if err != nil {
			return false, "", os.NewSyscallError("recvfrom", err)
		}
		for len(msgs) >= 16 {
			l := int(ne.Uint32(msgs))
			if l < 16 || l > len(msgs) {
				break
			}
			if ne.Uint32(msgs[8:]) == seq && ne.Uint16(msgs[4:]) == unix.NLMSG_ERROR && l >= 20 {
				return compatAnswer(name, rev, unix.Errno(-int32(ne.Uint32(msgs[16:]))))
			}
			msgs = msgs[(l+3)&^3:]
		}
	}
}

// compatAnswer is nft_compatible_revision's reading of the kernel's ack.
func compatAnswer(name string, rev uint8, errno unix.Errno) (bool, string, error) {
	switch {
	case errno == 0:
		return true, "", nil
	case errors.Is(errno, unix.EPERM):
		return true, "", nil
	case rev == 0:
		return true, "Warning: Extension " + name + " revision 0 not supported, missing kernel module?", nil
	}
	return false, "", nil
}
