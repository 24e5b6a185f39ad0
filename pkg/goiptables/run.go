// SPDX-License-Identifier: GPL-2.0-or-later

package goiptables

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/goipt/goipt/internal/iptables"
	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/iptc"
	legacybackend "github.com/goipt/goipt/pkg/legacy"
	"github.com/goipt/goipt/pkg/parse"
)

// Unlocker releases a lock (go-iptables' type for its xtables lock file;
// this package takes the lock inside each call and hands none out).
type Unlocker interface {
	Unlock() error
}

// procLock orders the calls of this process before they take the xtables
// lock (an flock that each call takes on a descriptor of its own, so that
// calls of this process exclude each other too), so that they queue
// instead of polling the file.
var procLock = make(chan struct{}, 1)

// lock takes the process's turn and the xtables lock, as iptables -w
// does (wait: seconds, -1 forever); on failure the error is iptables'
// message.
func lock(wait int) (release func(), err error) {
	d := time.Duration(wait) * time.Second
	if wait < 0 {
		d = -1
	}
	start := time.Now()
	busy := &parse.Error{Form: parse.Plain, Status: parse.ResourceProblem,
		Msg: fmt.Sprintf("Another app is currently holding the xtables lock. Stopped waiting after %ds.", max(wait, 0))}
	if d < 0 {
		procLock <- struct{}{}
	} else {
		t := time.NewTimer(d)
		select {
		case procLock <- struct{}{}:
			t.Stop()
		case <-t.C:
			return nil, busy
		}
	}
	if d > 0 {
		d = max(d-time.Since(start), time.Nanosecond)
	}
	l, err := iptc.AcquireLock(d, 0)
	if err != nil {
		<-procLock
		var le *iptc.LockError
		switch {
		case errors.As(err, &le) && le.Busy:
			return nil, busy
		case errors.As(err, &le):
			return nil, &parse.Error{Form: parse.Plain, Status: parse.ResourceProblem, Msg: strings.TrimSuffix(le.Stderr(), "\n")}
		}
		return nil, err
	}
	return func() {
		l.Release()
		<-procLock
	}, nil
}

func program(fam ext.Family) string {
	if fam == ext.IPv6 {
		return "ip6tables"
	}
	return "iptables"
}

// execute runs one iptables command line (args after the program name)
// as goipt's iptables does, in-process (iptables.Execute: lock, read the table,
// run the command, commit, again on a conflict). stdout gets what iptables
// would print on standard output. It returns the exit status and what
// iptables would print on stderr.
func execute(fam ext.Family, args []string, stdout *bytes.Buffer) (int, string) {
	prog := program(fam)
	var errBuf bytes.Buffer
	if stdout == nil {
		stdout = new(bytes.Buffer)
	}
	s := &iptables.Session{Fam: fam, Program: prog, Backend: kernel, Lock: lock}
	err := iptables.Execute(s, append([]string{prog}, args...), stdout, &errBuf)
	status := iptables.Report(&errBuf, prog, kernel.Name(), -1, err)
	return status, errBuf.String()
}

// kernel is the backend goiptables works through.
var kernel backend.Backend = &legacybackend.Backend{}

// readChains returns the chains of table as iptables -S lists them, read
// straight from the table, or ok false when the table cannot be read (the
// caller then runs the command, for iptables' error).
func readChains(fam ext.Family, timeout int, table string) (chains []string, ok bool, status int, stderr string) {
	wait := timeout
	if wait == 0 {
		wait = -1
	}
	release, err := lock(wait)
	if err != nil {
		var buf bytes.Buffer
		status := iptables.Report(&buf, program(fam), kernel.Name(), -1, err)
		return nil, false, status, buf.String()
	}
	defer release()
	h, err := kernel.Open(fam, table)
	if err != nil {
		return nil, false, 0, ""
	}
	defer h.Close()
	return h.Chains(), true, 0, ""
}
