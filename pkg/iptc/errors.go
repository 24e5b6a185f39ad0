// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"errors"
	"syscall"
)

// Error is a failure reported by libiptc, with libiptc's own message
// (what iptables prints after "iptables: ").
type Error struct {
	Op    string
	Errno syscall.Errno
	Msg   string
}

func (e *Error) Error() string { return e.Msg }

// Unwrap lets callers test the errno: errors.Is(err, syscall.ENOENT).
func (e *Error) Unwrap() error { return e.Errno }

// Sentinel conditions callers test with errors.Is.
var (
	// ErrTableChanged: the kernel's table changed since it was read
	// (EAGAIN on commit); re-read and re-apply.
	ErrTableChanged = errors.New("iptc: table changed by another writer")
)

// Is maps EAGAIN on commit to ErrTableChanged.
func (e *Error) Is(target error) bool {
	return target == ErrTableChanged && e.Errno == syscall.EAGAIN
}
