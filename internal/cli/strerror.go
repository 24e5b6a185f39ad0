// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import "golang.org/x/sys/unix"

// iptcErrnoT is the errno type of pkg/iptc's errors.
type iptcErrnoT = unix.Errno
