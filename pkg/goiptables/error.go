// SPDX-License-Identifier: GPL-2.0-or-later

package goiptables

import (
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"syscall"
	"unsafe"
)

// Error is a command that failed: what iptables would have printed on
// stderr and its exit status. As in go-iptables it embeds exec.ExitError;
// see the package documentation for its ProcessState.
type Error struct {
	exec.ExitError
	args       []string // the command line, as go-iptables' cmd.Args
	msg        string   // iptables' stderr
	exitStatus *int
}

func newError(args []string, status int, msg string) *Error {
	e := &Error{args: args, msg: msg, exitStatus: &status}
	e.ProcessState = exitedState(status)
	return e
}

// ExitStatus is the exit status iptables would have exited with.
func (e *Error) ExitStatus() int {
	if e.exitStatus != nil {
		return *e.exitStatus
	}
	if e.ProcessState != nil {
		if ws, ok := e.Sys().(syscall.WaitStatus); ok {
			return ws.ExitStatus()
		}
	}
	return -1
}

// Error is "running [COMMAND LINE]: exit status N: STDERR", as
// go-iptables writes it.
func (e *Error) Error() string {
	return fmt.Sprintf("running %v: exit status %v: %v", e.args, e.ExitStatus(), e.msg)
}

// notExistTexts are the messages that tell that a chain, rule or table is
// not there (the same list as go-iptables').
var notExistTexts = []string{
	"Bad rule (does a matching rule exist in that chain?).\n",
	"No chain/target/match by that name.\n",
	"No such file or directory",
	"does not exist",
}

// IsNotExist tells whether the command failed because the chain, rule or
// table it names does not exist.
func (e *Error) IsNotExist() bool {
	for _, s := range notExistTexts {
		if strings.Contains(e.msg, s) {
			return true
		}
	}
	return false
}

// exitedState makes the ProcessState of a process that exited with
// status, for the ExitError an *Error embeds (callers of go-iptables may
// call its Sys, ExitCode, Exited, String, ...). os.ProcessState cannot be
// made outside package os, so its fields are set through reflection; when
// their names or types are not the expected ones (another Go release),
// the ProcessState is left nil and ExitStatus still works.
func exitedState(status int) *os.ProcessState {
	ps := new(os.ProcessState)
	typ := reflect.TypeOf(*ps)
	st, ok1 := typ.FieldByName("status")
	ru, ok2 := typ.FieldByName("rusage")
	if !ok1 || !ok2 || st.Type != reflect.TypeOf(syscall.WaitStatus(0)) ||
		ru.Type != reflect.TypeOf((*syscall.Rusage)(nil)) {
		return nil
	}
	base := unsafe.Pointer(ps)
	*(*syscall.WaitStatus)(unsafe.Add(base, st.Offset)) = syscall.WaitStatus((status & 0xff) << 8)
	*(**syscall.Rusage)(unsafe.Add(base, ru.Offset)) = new(syscall.Rusage)
	return ps
}
