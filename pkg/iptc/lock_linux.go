// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/goipt/goipt/pkg/ext"
)

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
// long as it takes (-w). It waits in flock(2), as iptables does; only when
// many threads of the process wait already does it try again every
// interval instead (DefaultLockInterval when interval <= 0).
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
			Msg: fmt.Sprintf("Fatal: can't open lock file %s: %s", path, ext.Strerror(err))}
	}
	if interval <= 0 {
		interval = DefaultLockInterval
	}
	var deadline time.Time
	if wait > 0 {
		deadline = time.Now().Add(wait)
	}
	err = flockNB(fd)
	if err == nil {
		return &Lock{fd: fd, path: path}, nil
	}
	if err == unix.EWOULDBLOCK && wait != 0 {
		select {
		case blockedWaiters <- struct{}{}:
			return waitBlocking(ctx, fd, path, wait, deadline)
		default: // too many threads blocked already: poll
		}
	}
	var timer *time.Timer
	for {
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
		if err = flockNB(fd); err == nil {
			return &Lock{fd: fd, path: path}, nil
		}
	}
	unix.Close(fd)
	return nil, busyError(path, wait, err)
}

func busyError(path string, wait time.Duration, err error) *LockError {
	return &LockError{Path: path, Busy: true, Wait: wait, Err: err,
		Detail: fmt.Sprintf("Can't lock %s: %s", path, ext.Strerror(err)),
		Msg:    busyMessage(wait)}
}

func flockNB(fd int) error {
	for {
		err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB)
		if err != unix.EINTR {
			return err
		}
	}
}

// blockedWaiters bounds the threads blocked in flock(2) at once. A wait
// that gives up leaves its thread blocked until the lock is free; beyond
// this many, AcquireLock polls instead.
var blockedWaiters = make(chan struct{}, 16)

// waitBlocking waits for the lock in flock(2), as iptables does: the
// kernel wakes the waiters as soon as the lock is free, while a poller
// only gets it when it happens to try at such a moment, and loses to
// blocked waiters (iptables-legacy's) nearly every time. The flock runs
// on a goroutine of its own; when the wait ends first (timeout, ctx), that
// goroutine keeps fd, and closes it, giving the lock back at once, when
// its flock returns. The caller has taken a blockedWaiters slot; it is
// given back when the flock returns.
func waitBlocking(ctx context.Context, fd int, path string, wait time.Duration, deadline time.Time) (*Lock, error) {
	const waiting, abandoned, done = 0, 1, 2
	var state atomic.Int32
	res := make(chan error, 1)
	go func() {
		defer func() { <-blockedWaiters }()
		var err error
		for {
			if err = unix.Flock(fd, unix.LOCK_EX); err != unix.EINTR {
				break
			}
		}
		if state.CompareAndSwap(waiting, done) {
			res <- err
		} else {
			unix.Close(fd)
		}
	}()
	var timeout <-chan time.Time
	if wait > 0 {
		timer := time.NewTimer(time.Until(deadline))
		defer timer.Stop()
		timeout = timer.C
	}
	var giveUp error
	select {
	case err := <-res:
		if err != nil {
			unix.Close(fd)
			return nil, busyError(path, wait, err)
		}
		return &Lock{fd: fd, path: path}, nil
	case <-timeout:
		giveUp = busyError(path, wait, unix.EWOULDBLOCK)
	case <-ctx.Done():
		giveUp = fmt.Errorf("iptc: waiting for the xtables lock: %w", ctx.Err())
	}
	if state.CompareAndSwap(waiting, abandoned) {
		return nil, giveUp
	}
	// The flock returned meanwhile.
	if err := <-res; err == nil {
		return &Lock{fd: fd, path: path}, nil
	}
	unix.Close(fd)
	return nil, giveUp
}
