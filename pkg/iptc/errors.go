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
	// ErrCountersNotRestored: a commit replaced the kernel's table (the
	// changes are in), but libiptc could not add the old rules' counters
	// back, because another writer replaced the table in between. The
	// rules' counters restart from zero. Do not apply the changes again.
	ErrCountersNotRestored = errors.New("iptc: table replaced, but its counters could not be restored")
)

// opCommitCounters is the Op of an Error from the second half of a commit.
const opCommitCounters = "commit counters"

// Is maps EAGAIN on commit to ErrTableChanged, and a failure to restore
// the counters after the table was replaced to ErrCountersNotRestored.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrTableChanged:
		return e.Errno == syscall.EAGAIN && e.Op != opCommitCounters
	case ErrCountersNotRestored:
		return e.Op == opCommitCounters
	}
	return false
}
