// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

/*
#include <string.h>
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// cStrerror is the C library's message for errno, as iptables prints it
// ("Resource temporarily unavailable", not Go's lower-case text).
func cStrerror(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return C.GoString(C.strerror(C.int(errno)))
	}
	return err.Error()
}

// Lock is the xtables lock, held: an flock(2) on the lock file, the lock
// iptables, ip6tables and their -restore tools take before they change a
// table. It is released by Release, or when the process ends.
type Lock struct {
	mu   sync.Mutex
	fd   int
	path string
}

// Path is the lock file.
func (l *Lock) Path() string { return l.path }

// Release gives the lock up. Releasing twice is harmless.
func (l *Lock) Release() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fd < 0 {
		return nil
	}
	err := unix.Close(l.fd)
	l.fd = -1
	return err
}

// AcquireLock takes the xtables lock (LockFile) as iptables does
// (xtables_lock): it opens the file, creating it with mode 0600, and locks
// it exclusively. wait 0 fails at once when another process holds it (no
// -w); wait > 0 gives up after that long (-w SECONDS); wait < 0 waits as
// long as it takes (-w). While waiting it tries again every interval
// (DefaultLockInterval when interval <= 0).
//
// It fails with a *LockError carrying iptables' messages and exit status 4.
func AcquireLock(wait, interval time.Duration) (*Lock, error) {
	return AcquireLockContext(context.Background(), wait, interval)
}

// AcquireLockContext is AcquireLock that also stops waiting when ctx is
// done, with ctx's error.
func AcquireLockContext(ctx context.Context, wait, interval time.Duration) (*Lock, error) {
	path := LockFile()
	var fd int
	var err error
	for {
		fd, err = unix.Open(path, unix.O_CREAT|unix.O_RDONLY|unix.O_CLOEXEC, 0600)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &LockError{Path: path, Err: err,
			Msg: fmt.Sprintf("Fatal: can't open lock file %s: %s", path, cStrerror(err))}
	}
	if interval <= 0 {
		interval = DefaultLockInterval
	}
	var deadline time.Time
	if wait > 0 {
		deadline = time.Now().Add(wait)
	}
	var timer *time.Timer
	for {
		err = unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			return &Lock{fd: fd, path: path}, nil
		}
		if err == unix.EINTR {
			continue
		}
		if err != unix.EWOULDBLOCK || wait == 0 || (wait > 0 && !time.Now().Before(deadline)) {
			break
		}
		d := interval
		if wait > 0 {
			d = min(d, time.Until(deadline))
		}
		if timer == nil {
			timer = time.NewTimer(d)
			defer timer.Stop()
		} else {
			timer.Reset(d)
		}
		select {
		case <-ctx.Done():
			unix.Close(fd)
			return nil, fmt.Errorf("iptc: waiting for the xtables lock: %w", ctx.Err())
		case <-timer.C:
		}
	}
	unix.Close(fd)
	return nil, &LockError{Path: path, Busy: true, Wait: wait, Err: err,
		Detail: fmt.Sprintf("Can't lock %s: %s", path, cStrerror(err)),
		Msg:    busyMessage(wait)}
}
