// SPDX-License-Identifier: GPL-2.0-or-later

package ext

import (
	"errors"
	"fmt"
)

// Family is a netfilter protocol family.
type Family uint8

const (
	IPv4 Family = 2  // NFPROTO_IPV4
	IPv6 Family = 10 // NFPROTO_IPV6
)

func (f Family) String() string {
	if f == IPv6 {
		return "ipv6"
	}
	return "ipv4"
}

// Exit statuses of iptables (enum xtables_exittype).
const (
	OtherProblem     = 1
	ParameterProblem = 2
	VersionProblem   = 3
	ResourceProblem  = 4
)

// Error is an error as libxtables or iptables reports it: a message and the
// exit status iptables would end with.
type Error struct {
	Status int
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

// Is lets callers test the kind of problem with errors.Is(err, ErrParameter).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Msg == "" && t.Status == e.Status
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

// Status returns the exit status err stands for: its own for an *Error, 1
// otherwise.
func Status(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return OtherProblem
}

// Option is one option of an extension, as getopt_long sees it.
type Option struct {
	Name       string
	HasArg     int // 0 none, 1 required, 2 optional
	ID         int // the extension's own id (getopt val without offset)
	Invertible bool
}

// IfaceMask is iptables' iface_to_mask: the mask the kernel compares an
// interface name with ("eth0" with its NUL, "eth+" without the '+').
func IfaceMask(name string) (mask [16]byte) {
	n := len(name)
	switch {
	case n == 0:
	case name[n-1] == '+':
		for i := 0; i < n-1; i++ {
			mask[i] = 0xff
		}
	default:
		for i := 0; i <= n && i < len(mask); i++ {
			mask[i] = 0xff
		}
	}
	return mask
}
