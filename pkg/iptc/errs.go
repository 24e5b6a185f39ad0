// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goipt/goipt/pkg/parse"
)

// Sentinel errors, for errors.Is. The backend's own failures are *Error values
// (errors.Is(err, syscall.ENOENT) and the like work on them too); the
// errors below are added where this package knows more.
var (
	// ErrClosed: the Table was closed.
	ErrClosed = errors.New("iptc: table closed")
	// ErrNoChain: the chain does not exist.
	ErrNoChain = errors.New("iptc: no chain by that name")
	// ErrNoRule: no rule of the chain equals the one given (delete by
	// specification), or there is no rule at that position.
	ErrNoRule = errors.New("iptc: no such rule")
	// ErrNotBuiltin: the operation needs a built-in chain.
	ErrNotBuiltin = errors.New("iptc: not a built-in chain")
	// ErrDiscarded: Close or Refresh dropped changes never committed (a
	// *DiscardedError).
	ErrDiscarded = errors.New("iptc: uncommitted changes discarded")
)

// tagged is err that also matches tag with errors.Is.
type tagged struct {
	err, tag error
}

func (e *tagged) Error() string   { return e.err.Error() }
func (e *tagged) Unwrap() []error { return []error{e.err, e.tag} }

func tag(err, t error) error {
	if err == nil {
		return nil
	}
	return &tagged{err, t}
}

// ConflictError is a commit that failed because the kernel's table changed
// since the transaction read it (the backend's commit failed with EAGAIN), after
// Options.RetryOnConflict retries, or a retry whose recorded operations no
// longer applied. errors.Is(err, ErrTableChanged) is true for it.
type ConflictError struct {
	Family Family
	Table  string
	// Attempts is the number of commits tried.
	Attempts int
	// Err is the last failure: the commit's *Error, or the error of the
	// operation that no longer applied on the re-read table.
	Err error
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("iptc: %s table %s changed by another writer, %d commit(s) tried: %v",
		e.Family, e.Table, e.Attempts, e.Err)
}

// Unwrap returns Err.
func (e *ConflictError) Unwrap() error { return e.Err }

// Is matches ErrTableChanged.
func (e *ConflictError) Is(target error) bool { return target == ErrTableChanged }

// DiscardedError is Close or Refresh dropping the changes of a transaction
// that was never committed. errors.Is(err, ErrDiscarded) is true for it.
type DiscardedError struct {
	Family Family
	Table  string
	// Changes is the number of changes dropped (Table.Pending before).
	Changes int
}

func (e *DiscardedError) Error() string {
	return fmt.Sprintf("iptc: %d uncommitted change(s) to the %s %s table discarded (Commit them, or Rollback first to drop them)",
		e.Changes, e.Family, e.Table)
}

// Is matches ErrDiscarded.
func (e *DiscardedError) Is(target error) bool { return target == ErrDiscarded }

// trimMessage drops the newlines that some libxtables messages end with
// (iptables prints them as they are, and pkg/ext keeps them for it): an
// error of this package ends with none. The command line adds iptables'
// decoration (the version, "Try `iptables -h'...") itself.
func trimMessage(err error) error {
	if e, ok := err.(*parse.Error); ok && strings.HasSuffix(e.Msg, "\n") {
		return &parse.Error{Status: e.Status, Msg: strings.TrimRight(e.Msg, "\n")}
	}
	return err
}
