// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/goipt/goipt/pkg/ext"
)

// xtablesLock is the lock iptables-legacy takes around every command.
type xtablesLock struct{ fd int }

func lockFile() string {
	if f := os.Getenv("XTABLES_LOCKFILE"); f != "" {
		return f
	}
	return "/run/xtables.lock"
}

// acquireLock is xtables_lock_or_exit: wait 0 fails at once, -1 waits
// forever, n waits n seconds. Messages are iptables'.
func acquireLock(wait int, stderr *os.File) (*xtablesLock, error) {
	name := lockFile()
	fd, err := unix.Open(name, unix.O_CREAT|unix.O_CLOEXEC, 0o600)
	if err != nil {
		fmt.Fprintf(stderr, "Fatal: can't open lock file %s: %s\n", name, errnoString(err))
		return nil, &ext.Error{Status: ext.ResourceProblem}
	}
	var deadline time.Time
	if wait > 0 {
		deadline = time.Now().Add(time.Duration(wait) * time.Second)
	}
	for {
		how := unix.LOCK_EX | unix.LOCK_NB
		if wait < 0 {
			how = unix.LOCK_EX
		}
		err = unix.Flock(fd, how)
		if err == nil {
			return &xtablesLock{fd: fd}, nil
		}
		if err == unix.EINTR && wait < 0 {
			continue
		}
		if err != unix.EWOULDBLOCK || wait == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	unix.Close(fd)
	if err == unix.EINTR {
		err = unix.EWOULDBLOCK
	}
	fmt.Fprintf(stderr, "Can't lock %s: %s\n", name, errnoString(err))
	msg := "Another app is currently holding the xtables lock. Perhaps you want to use the -w option?\n"
	if wait != 0 {
		msg = fmt.Sprintf("Another app is currently holding the xtables lock. Stopped waiting after %ds.\n", wait)
	}
	fmt.Fprint(stderr, msg)
	return nil, &ext.Error{Status: ext.ResourceProblem}
}

func (l *xtablesLock) release() {
	if l != nil {
		unix.Close(l.fd)
	}
}

// errnoString is strerror(3)'s text, which Go's differs from in case.
func errnoString(err error) string {
	if e, ok := err.(unix.Errno); ok {
		return cStrerror(e)
	}
	return err.Error()
}
