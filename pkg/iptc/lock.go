// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/goipt/goipt/pkg/parse"
)

// DefaultLockFile is where iptables keeps the xtables lock unless the
// environment variable XTABLES_LOCKFILE names another file.
const DefaultLockFile = "/run/xtables.lock"

// DefaultLockInterval is how often AcquireLock tries again while it waits.
const DefaultLockInterval = 20 * time.Millisecond

// LockFile returns the path of the xtables lock: $XTABLES_LOCKFILE when it
// is set and not empty, DefaultLockFile otherwise.
func LockFile() string {
	if p := os.Getenv("XTABLES_LOCKFILE"); p != "" {
		return p
	}
	return DefaultLockFile
}

// Sentinels for errors.Is on a *LockError.
var (
	// ErrLockBusy: another process (or, for a Table, another goroutine)
	// holds the lock and waiting did not get it.
	ErrLockBusy = errors.New("iptc: xtables lock busy")
	// ErrLockOpen: the lock file cannot be opened.
	ErrLockOpen = errors.New("iptc: cannot open xtables lock file")
)

// LockError is a failure to take the xtables lock, with the messages
// iptables prints for it (xtables_lock_or_exit) and its exit status,
// RESOURCE_PROBLEM (4).
type LockError struct {
	Path string
	// Busy is true when the lock was held by someone else, false when the
	// lock file could not be opened.
	Busy bool
	// Wait is how long AcquireLock waited (0: it did not, <0: forever).
	Wait time.Duration
	// Err is the system error: EWOULDBLOCK when busy, the open error
	// otherwise.
	Err error
	// Detail is the line iptables prints first when the lock is busy
	// ("Can't lock /run/xtables.lock: Resource temporarily unavailable");
	// empty otherwise.
	Detail string
	// Msg is iptables' final message (see Error).
	Msg string
}

// Error returns the message iptables ends with: "Another app is currently
// holding the xtables lock. Perhaps you want to use the -w option?", or
// "... Stopped waiting after Ns.", or "Fatal: can't open lock file PATH:
// REASON".
func (e *LockError) Error() string { return e.Msg }

// Stderr is everything iptables prints to stderr for this error, one
// message a line, each ending with a newline.
func (e *LockError) Stderr() string {
	var b strings.Builder
	if e.Detail != "" {
		b.WriteString(e.Detail + "\n")
	}
	b.WriteString(e.Msg + "\n")
	return b.String()
}

// Status is the exit status iptables ends with: 4 (RESOURCE_PROBLEM).
func (e *LockError) Status() int { return parse.ResourceProblem }

// Is matches ErrLockBusy or ErrLockOpen, and parse.ErrResource.
func (e *LockError) Is(target error) bool {
	switch target {
	case ErrLockBusy:
		return e.Busy
	case ErrLockOpen:
		return !e.Busy
	case parse.ErrResource:
		return true
	}
	return false
}

// Unwrap returns the system error, and an *parse.Error with the message and
// status, so that parse.Status(err) is 4.
func (e *LockError) Unwrap() []error {
	errs := []error{&parse.Error{Status: parse.ResourceProblem, Msg: e.Msg}}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// busyMessage is xtables_lock_or_exit's message for a busy lock after
// waiting wait (0: not at all).
func busyMessage(wait time.Duration) string {
	msg := "Another app is currently holding the xtables lock. "
	if wait == 0 {
		return msg + "Perhaps you want to use the -w option?"
	}
	secs := int(wait / time.Second)
	if wait < 0 {
		secs = -1
	}
	return msg + fmt.Sprintf("Stopped waiting after %ds.", secs)
}
