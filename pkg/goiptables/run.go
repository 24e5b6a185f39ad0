// SPDX-License-Identifier: GPL-2.0-or-later

package goiptables

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/goipt/goipt/internal/cli"
	"github.com/goipt/goipt/internal/ipt"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/iptc"
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

// lockWait is how long a call waits for the lock: timeout seconds, or
// forever when timeout is 0 (go-iptables' "--wait" without seconds).
func lockWait(timeout int) time.Duration {
	if timeout > 0 {
		return time.Duration(timeout) * time.Second
	}
	return -1
}

// lock takes the process's turn and the xtables lock, as iptables -w
// does; on failure it returns iptables' stderr lines.
func lock(timeout int) (release func(), stderr string) {
	wait := lockWait(timeout)
	start := time.Now()
	busy := fmt.Sprintf("Another app is currently holding the xtables lock. Stopped waiting after %ds.\n", timeout)
	if wait < 0 {
		procLock <- struct{}{}
	} else {
		t := time.NewTimer(wait)
		select {
		case procLock <- struct{}{}:
			t.Stop()
		case <-t.C:
			return nil, busy
		}
	}
	if wait > 0 {
		wait = max(wait-time.Since(start), time.Nanosecond)
	}
	l, err := iptc.AcquireLock(wait, 0)
	if err != nil {
		<-procLock
		var le *iptc.LockError
		if errors.As(err, &le) {
			if le.Busy {
				return nil, busy
			}
			return nil, le.Stderr()
		}
		return nil, err.Error() + "\n"
	}
	return func() {
		l.Release()
		<-procLock
	}, ""
}

func program(fam ext.Family) string {
	if fam == ext.IPv6 {
		return "ip6tables"
	}
	return "iptables"
}

// execute runs one iptables command line (args after the program name,
// working on table) as goipt's iptables does, in-process: lock, read the
// table, run the command, commit. stdout gets what iptables would print on
// standard output. It returns the exit status and what iptables would
// print on stderr.
//
// The table is read, and so its socket opened, on the calling goroutine,
// outside ext.Run (which may run its function on a thread of its own):
// the command then works in the caller's network namespace.
func execute(fam ext.Family, timeout int, table string, args []string, stdout *bytes.Buffer) (int, string) {
	release, msg := lock(timeout)
	if release == nil {
		return ext.ResourceProblem, msg
	}
	defer release()
	prog := program(fam)
	var errBuf bytes.Buffer
	if stdout == nil {
		stdout = new(bytes.Buffer)
	}
	out := bufio.NewWriterSize(stdout, 64<<10)
	argv := append([]string{prog}, args...)
	var err error
	for attempt := 1; ; attempt++ {
		h, herr := openTable(fam, prog, table)
		env := &ipt.Env{
			Fam: fam, Program: prog, Out: out, Err: &errBuf,
			Handle: func(t string) (*iptc.Handle, error) {
				if t != table {
					return nil, ext.Errorf(ext.OtherProblem, "goiptables: the command works on table %s, not %s", t, table)
				}
				return h, herr
			},
		}
		if attempt > 1 {
			// Again, on the table as it is now; the output is the last
			// attempt's, the warnings the first's.
			env.Err = io.Discard
		}
		var got *iptc.Handle
		err = ext.Run(fam, prog, func(x *ext.X) (err error) {
			_, got, err = ipt.Do(x, env, argv)
			return err
		})
		switch {
		case got == nil:
			if h != nil {
				h.Close()
			}
		case err != nil:
			got.Close()
		default:
			err = ipt.Commit(fam, got)
		}
		if err == nil || !tableChanged(err) || attempt == cli.CommitAttempts {
			break
		}
		out.Flush()
		stdout.Reset()
	}
	out.Flush()
	status := cli.Report(&errBuf, prog, -1, err)
	return status, errBuf.String()
}

// openTable reads table, loading the x_tables module first when it cannot
// (as iptables does).
func openTable(fam ext.Family, prog, table string) (*iptc.Handle, error) {
	h, err := iptc.OpenHandle(fam, table)
	if err == nil {
		return h, nil
	}
	loaded := false
	ext.Run(fam, prog, func(x *ext.X) error {
		loaded = x.LoadKernelModule("")
		return nil
	})
	if loaded {
		return iptc.OpenHandle(fam, table)
	}
	return nil, err
}

func tableChanged(err error) bool {
	var op *ipt.OpFailed
	if errors.As(err, &op) {
		return errors.Is(op.Err, iptc.ErrTableChanged)
	}
	return errors.Is(err, iptc.ErrTableChanged)
}

// readChains returns the chains of table as iptables -S lists them, read
// straight from the table, or ok false when the table cannot be read (the
// caller then runs the command, for iptables' error).
func readChains(fam ext.Family, timeout int, table string) (chains []string, ok bool, status int, stderr string) {
	release, msg := lock(timeout)
	if release == nil {
		return nil, false, ext.ResourceProblem, msg
	}
	defer release()
	h, err := iptc.OpenHandle(fam, table)
	if err != nil {
		return nil, false, 0, ""
	}
	defer h.Close()
	return h.Chains(), true, 0, ""
}
