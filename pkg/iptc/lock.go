// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/goipt/goipt/pkg/ext"
)

// DefaultLockFile is where iptables keeps the xtables lock unless the
// environment variable XTABLES_LOCKFILE names another file.
const DefaultLockFile = "/run/xtables.lock"

// DefaultLockInterval is how often AcquireLock tries again while it waits.
const DefaultLockInterval = 20 * time.Millisecond

// WaitIntervalWarning is what iptables 1.8.11 prints for --wait-interval,
// which it accepts and ignores.
const WaitIntervalWarning = "Ignoring deprecated --wait-interval option."

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
func (e *LockError) Status() int { return ext.ResourceProblem }

// Is matches ErrLockBusy or ErrLockOpen, and ext.ErrResource.
func (e *LockError) Is(target error) bool {
	switch target {
	case ErrLockBusy:
		return e.Busy
	case ErrLockOpen:
		return !e.Busy
	case ext.ErrResource:
		return true
	}
	return false
}

// Unwrap returns the system error, and an *ext.Error with the message and
// status, so that ext.Status(err) is 4.
func (e *LockError) Unwrap() []error {
	errs := []error{&ext.Error{Status: ext.ResourceProblem, Msg: e.Msg}}
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

// ParseWaitTime reads the argument of iptables' -w/--wait as
// parse_wait_time does (sscanf "%i": decimal, 0x hex or 0 octal, with
// anything after the number ignored). arg "" (no argument) means wait
// forever, returned as -1.
func ParseWaitTime(arg string) (int, error) {
	if arg == "" {
		return -1, nil
	}
	v, ok := scanInt(arg, true)
	if !ok {
		return 0, ext.Errorf(ext.ParameterProblem, "wait seconds not numeric")
	}
	return int(int32(v)), nil
}

// ParseWaitInterval reads the argument of --wait-interval (-W) as
// parse_wait_interval does: microseconds, at most 999999. iptables 1.8.11
// then ignores it and prints WaitIntervalWarning; the value is returned for
// callers that want to poll at that interval. hasArg false (no argument)
// is the "wait interval value required" error.
func ParseWaitInterval(arg string, hasArg bool) (time.Duration, error) {
	if !hasArg {
		return 0, ext.Errorf(ext.ParameterProblem, "wait interval value required")
	}
	v, ok := scanInt(arg, false)
	if !ok {
		return 0, ext.Errorf(ext.ParameterProblem, "wait interval not numeric")
	}
	usec := uint32(v)
	if usec > 999999 {
		return 0, ext.Errorf(ext.ParameterProblem, "too long usec wait %d > 999999 usec", usec)
	}
	return time.Duration(usec) * time.Microsecond, nil
}

// scanInt is sscanf's %i (anyBase) or %u (decimal): leading blanks, a sign,
// digits; the rest of the string is ignored. As strtol (%i) does, a number
// too large is LONG_MAX, or LONG_MIN when negative; as strtoul (%u) does,
// it is ULONG_MAX (-1 here) whatever its sign. Callers cut the value to 32
// bits like C's conversion to int.
func scanInt(s string, anyBase bool) (int64, bool) {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	base := uint64(10)
	if anyBase && len(s) > 1 && s[0] == '0' {
		if len(s) > 2 && (s[1] == 'x' || s[1] == 'X') && isDigit(s[2], 16) {
			base, s = 16, s[2:]
		} else {
			base = 8
		}
	}
	var v uint64
	n, overflow := 0, false
	for ; n < len(s) && isDigit(s[n], base); n++ {
		d := uint64(digitVal(s[n]))
		if v > (^uint64(0)-d)/base {
			overflow = true
		}
		v = v*base + d
	}
	if n == 0 {
		return 0, false
	}
	switch {
	case !anyBase && overflow:
		return -1, true
	case anyBase && !neg && (overflow || v > 1<<63-1):
		return 1<<63 - 1, true
	case anyBase && neg && (overflow || v > 1<<63):
		return -1 << 63, true
	case neg:
		return -int64(v), true
	}
	return int64(v), true
}

func digitVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return 99
}

func isDigit(c byte, base uint64) bool { return uint64(digitVal(c)) < base }
