// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import (
	"errors"
	"fmt"
)

// Exit statuses of iptables (enum xtables_exittype).
const (
	OtherProblem     = 1
	ParameterProblem = 2
	VersionProblem   = 3
	ResourceProblem  = 4
)

// Error is a failure as iptables reports it: its message and the exit
// status it ends with. This is goipt's one type for iptables' messages:
// the grammar's, libxtables' (pkg/ext), the backends' translations
// (pkg/nft) and the command's; internal/iptables's Report prints it as Form
// says.
type Error struct {
	Status int
	Msg    string
	Form   Form
	// Err is the failure behind the message, if any (errors.Is and As
	// reach it).
	Err error
}

// Form is how iptables prints an Error.
type Form uint8

const (
	// Prefixed is xtables_error: "prog vX (variant): msg", then for a
	// parameter problem "Try `prog -h' ...", for a version problem
	// "Perhaps prog or your kernel needs to be upgraded.".
	Prefixed Form = iota
	// Bare is a message printed as it is, then "Try `prog -h' ..."
	// (exit_tryhelp after iptables' own fprintf).
	Bare
	// Plain is a message printed as it is, and nothing else (a bare
	// fprintf(stderr) and exit).
	Plain
	// Failure is a kernel operation that failed, after the command:
	// "iptables: msg." (with " Run `dmesg' for more information." for
	// EINVAL), Msg the backend's (libiptc's, nf_tables') message.
	Failure
)

func (e *Error) Error() string { return e.Msg }

// Unwrap is the failure behind the message.
func (e *Error) Unwrap() error { return e.Err }

// Is lets callers test the kind of problem: errors.Is(err, ErrParameter).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Msg == "" && t.Err == nil && t.Status == e.Status
}

// Sentinels for errors.Is.
var (
	ErrOther     = &Error{Status: OtherProblem}
	ErrParameter = &Error{Status: ParameterProblem}
	ErrVersion   = &Error{Status: VersionProblem}
	ErrResource  = &Error{Status: ResourceProblem}
)

// Errorf makes an *Error with the given status.
func Errorf(status int, format string, args ...any) *Error {
	return &Error{Status: status, Msg: fmt.Sprintf(format, args...)}
}

// Status returns the exit status err stands for: its own for an *Error,
// 1 otherwise.
func Status(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return OtherProblem
}
