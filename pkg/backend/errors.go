// SPDX-License-Identifier: GPL-2.0-or-later

package backend

import (
	"errors"
	"syscall"
)

// Error is a failed operation of a backend, with the backend's own message
// (what iptables prints after "iptables: ") and errno.
type Error struct {
	Op    string
	Errno syscall.Errno
	Msg   string
	// Status, when not 0, is the exit status of a failure iptables
	// reports as a fatal error ("iptables v1.8.9 (nf_tables): Msg",
	// xtables_error) rather than as a failed operation ("iptables:
	// Msg."): iptables-nft's report of the operations of a batch that
	// the kernel refused.
	Status int
}

func (e *Error) Error() string { return e.Msg }

// Unwrap lets callers test the errno: errors.Is(err, syscall.ENOENT).
func (e *Error) Unwrap() error { return e.Errno }

// Sentinel conditions callers test with errors.Is.
var (
	// ErrTableChanged: the kernel's table changed since it was read, and
	// the commit changed nothing; read it again and re-apply. A backend
	// reports it as EAGAIN from Commit.
	ErrTableChanged = errors.New("table changed by another writer")
	// ErrCountersNotRestored: a commit replaced the kernel's table (the
	// changes are in), but the old rules' counters could not be added
	// back, because another writer replaced the table in between. The
	// rules' counters restart from zero. Do not apply the changes again.
	ErrCountersNotRestored = errors.New("table replaced, but its counters could not be restored")
)

// OpCommitCounters is the Op of an Error from the second half of a
// legacy commit, after the table was replaced.
const OpCommitCounters = "commit counters"

// Is maps EAGAIN to ErrTableChanged, and a failure to restore the counters
// after the table was replaced to ErrCountersNotRestored.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrTableChanged:
		return e.Errno == syscall.EAGAIN && e.Op != OpCommitCounters
	case ErrCountersNotRestored:
		return e.Op == OpCommitCounters
	}
	return false
}
