// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"time"

	"github.com/goipt/goipt/pkg/backend"
)

// Options say how a Table commits and locks. The zero value is the
// default: explicit transactions, the xtables lock taken for every
// transaction and waited for as long as it takes, no retry.
type Options struct {
	// Backend is the kernel API the Table works through; nil is
	// iptables-legacy's (package legacy).
	Backend backend.Backend

	// Autocommit commits every change at once, in its own transaction,
	// as python-iptables does by default. Without it changes accumulate
	// in the backend's copy of the table until Commit sends them to the
	// kernel in one call.
	Autocommit bool

	// NoLock does not take the xtables lock (/run/xtables.lock, or
	// $XTABLES_LOCKFILE) for transactions. Tables of this process still
	// exclude each other.
	NoLock bool
	// LockTimeout bounds the wait for the lock; 0 waits as long as it
	// takes (iptables -w).
	LockTimeout time.Duration
	// LockNoWait fails at once when the lock is busy (iptables without
	// -w), with a *LockError.
	LockNoWait bool
	// LockInterval is how often to try again while waiting
	// (DefaultLockInterval when 0).
	LockInterval time.Duration

	// RetryOnConflict is how many times a commit that fails because the
	// kernel's table changed since it was read (EAGAIN, ErrTableChanged)
	// is retried: the table is read again, the transaction's operations
	// are applied again in order, and the result committed. Operations
	// that name a rule by position apply to whatever rule holds that
	// position then. 0 reports the conflict as a *ConflictError.
	RetryOnConflict int
}

// lockWait is the wait in AcquireLock's terms: <0 forever, 0 not at all.
func (o *Options) lockWait() time.Duration {
	switch {
	case o.LockNoWait:
		return 0
	case o.LockTimeout > 0:
		return o.LockTimeout
	}
	return -1
}
