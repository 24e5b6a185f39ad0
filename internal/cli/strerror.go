// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"strings"

	"golang.org/x/sys/unix"
)

// cStrerror returns glibc's strerror text: Go's table holds the same
// strings with a lower-case first letter.
func cStrerror(e unix.Errno) string {
	s := e.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

type iptcErrnoT = unix.Errno

// errnoString is strerror(3) for a system error, Go's text otherwise.
func errnoString(err error) string {
	if e, ok := err.(unix.Errno); ok {
		return cStrerror(e)
	}
	return err.Error()
}
