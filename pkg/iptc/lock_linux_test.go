// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goipt/goipt/pkg/parse"
)

func lockFileEnv(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "xtables.lock")
	t.Setenv("XTABLES_LOCKFILE", p)
	return p
}

func TestLockFile(t *testing.T) {
	t.Setenv("XTABLES_LOCKFILE", "")
	if LockFile() != "/run/xtables.lock" {
		t.Errorf("default lock file %q", LockFile())
	}
	p := lockFileEnv(t)
	if LockFile() != p {
		t.Errorf("LockFile() = %q, want %q", LockFile(), p)
	}
}

func TestLockBusyNoWait(t *testing.T) {
	p := lockFileEnv(t)
	l, err := AcquireLock(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if l.Path() != p {
		t.Errorf("Path() = %q, want %q", l.Path(), p)
	}
	_, err = AcquireLock(0, 0)
	var le *LockError
	if !errors.As(err, &le) {
		t.Fatalf("second AcquireLock: %v, want *LockError", err)
	}
	if got, want := err.Error(), "Another app is currently holding the xtables lock. Perhaps you want to use the -w option?"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if got, want := le.Detail, "Can't lock "+p+": Resource temporarily unavailable"; got != want {
		t.Errorf("detail %q, want %q", got, want)
	}
	if !errors.Is(err, ErrLockBusy) || errors.Is(err, ErrLockOpen) || !errors.Is(err, parse.ErrResource) {
		t.Errorf("errors.Is wrong for %v", err)
	}
	if parse.Status(err) != 4 || le.Status() != 4 {
		t.Errorf("status %d, want 4", parse.Status(err))
	}
	if got := le.Stderr(); got != le.Detail+"\n"+le.Msg+"\n" {
		t.Errorf("Stderr %q", got)
	}
	// Released: free again.
	l.Release()
	l.Release()
	l2, err := AcquireLock(0, 0)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	l2.Release()
}

func TestLockWaitTimeout(t *testing.T) {
	lockFileEnv(t)
	l, err := AcquireLock(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	start := time.Now()
	_, err = AcquireLock(1*time.Second, 50*time.Millisecond)
	if d := time.Since(start); d < time.Second {
		t.Errorf("gave up after %v, want 1s", d)
	}
	if got, want := err.Error(), "Another app is currently holding the xtables lock. Stopped waiting after 1s."; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

func TestLockWaitForever(t *testing.T) {
	lockFileEnv(t)
	l, err := AcquireLock(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(200 * time.Millisecond)
		l.Release()
	}()
	start := time.Now()
	l2, err := AcquireLock(-1, 10*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	l2.Release()
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("got the lock after %v, before it was released", d)
	}
}

// Another process holding the lock (flock(1)) is seen as busy.
func TestLockOtherProcess(t *testing.T) {
	p := lockFileEnv(t)
	if _, err := exec.LookPath("flock"); err != nil {
		t.Skip("no flock(1)")
	}
	cmd := exec.Command("flock", "-x", p, "sleep", "30")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	kill := func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); cmd.Wait() }
	defer kill()
	deadline := time.Now().Add(5 * time.Second)
	for {
		l, err := AcquireLock(0, 0)
		if errors.Is(err, ErrLockBusy) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		l.Release()
		if time.Now().After(deadline) {
			t.Fatal("flock(1) never took the lock")
		}
		time.Sleep(20 * time.Millisecond)
	}
	kill()
	l, err := AcquireLock(2*time.Second, 0)
	if err != nil {
		t.Fatalf("after the other process ended: %v", err)
	}
	l.Release()
}

func TestLockOpenError(t *testing.T) {
	p := filepath.Join(t.TempDir(), "missing", "xtables.lock")
	t.Setenv("XTABLES_LOCKFILE", p)
	_, err := AcquireLock(0, 0)
	if got, want := err.Error(), "Fatal: can't open lock file "+p+": No such file or directory"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if !errors.Is(err, ErrLockOpen) || errors.Is(err, ErrLockBusy) || parse.Status(err) != 4 {
		t.Errorf("errors.Is/Status wrong for %v", err)
	}
	if strings.Contains(err.(*LockError).Stderr(), "Can't lock") {
		t.Errorf("open failure has a busy detail")
	}
}
