// SPDX-License-Identifier: GPL-2.0-or-later

package netnstest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// EnvVar is the environment variable that enables system tests; it must be
// set to "1".
const EnvVar = "GOIPT_SYSTEM_TESTS"

// ExecTimeout bounds every command that Exec and ExecInput run.
var ExecTimeout = 2 * time.Minute

// hostNS identifies the network namespace the process started in, read by
// package initialization (on the main thread, before any test runs).
var hostNS, hostNSErr = threadNS()

type nsID struct{ dev, ino uint64 }

// threadNS identifies the network namespace of the calling OS thread.
func threadNS() (nsID, error) {
	var st unix.Stat_t
	if err := unix.Stat("/proc/thread-self/ns/net", &st); err != nil {
		return nsID{}, err
	}
	return nsID{uint64(st.Dev), st.Ino}, nil
}

// NoNetnsEnvVar, set to "1", makes the process behave as if it could not
// create network namespaces (as root without CAP_SYS_ADMIN in a container),
// to check that the system tests skip rather than fail there.
const NoNetnsEnvVar = "GOIPT_SIMULATE_NO_NETNS"

// Enabled reports whether system tests may run: GOIPT_SYSTEM_TESTS=1, the
// process is root and it can create a network namespace. If not, it gives
// the reason, in one line.
func Enabled() (ok bool, why string) {
	if os.Getenv(EnvVar) != "1" {
		return false, "system test: set " + EnvVar + "=1 (and run as root) to run it"
	}
	if os.Geteuid() != 0 {
		return false, "system test: needs root (it creates a network namespace)"
	}
	if err := netnsProbe(); err != nil {
		return false, fmt.Sprintf("system test: cannot create a network namespace here (%v); it needs CAP_SYS_ADMIN", err)
	}
	return true, ""
}

var probe struct {
	once sync.Once
	err  error
}

// netnsProbe tells, once per process, whether a network namespace can be
// made: it makes one on a thread that dies afterwards.
func netnsProbe() error {
	probe.once.Do(func() { probe.err = tryUnshareNet() })
	return probe.err
}

func tryUnshareNet() error {
	if os.Getenv(NoNetnsEnvVar) == "1" {
		return fmt.Errorf("unshare(CLONE_NEWNET): %w (simulated: %s=1)", unix.EPERM, NoNetnsEnvVar)
	}
	errc := make(chan error)
	go func() {
		// Never unlocked: the thread dies with the goroutine, and its
		// namespace with it.
		runtime.LockOSThread()
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("unshare(CLONE_NEWNET): %w", err)
			return
		}
		errc <- nil
	}()
	return <-errc
}

// Run runs fn inside a new network namespace, on a goroutine locked to its
// OS thread, and returns when fn does. It skips the test unless Enabled.
// fn may call t.Fatal, t.FailNow and t.Skip; Run then ends the test the same
// way on the test's own goroutine. A panic in fn is re-raised on the test's
// goroutine. Run must be called from the test's goroutine.
func Run(t testing.TB, fn func()) {
	t.Helper()
	if ok, why := Enabled(); !ok {
		t.Skip(why)
	}
	if hostNSErr != nil {
		t.Fatalf("netnstest: reading the host's network namespace: %v", hostNSErr)
	}
	t.Setenv("XTABLES_LOCKFILE", filepath.Join(t.TempDir(), "xtables.lock"))

	var (
		returned bool // fn returned normally
		panicked bool
		pval     any
		stack    []byte
		setupErr error
	)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if !returned {
				if r := recover(); r != nil {
					panicked, pval, stack = true, r, debug.Stack()
				}
			}
		}()
		// Never unlocked: the thread is left in the new namespace and must
		// die with this goroutine rather than go back to the scheduler.
		runtime.LockOSThread()
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			setupErr = fmt.Errorf("unshare(CLONE_NEWNET): %w", err)
			returned = true
			return
		}
		if id, err := threadNS(); err != nil || id == hostNS {
			setupErr = fmt.Errorf("thread still in the host's network namespace after unshare (%v)", err)
			returned = true
			return
		}
		fn()
		returned = true
	}()
	<-done

	switch {
	case setupErr != nil:
		t.Fatalf("netnstest: %v", setupErr)
	case panicked:
		panic(fmt.Sprintf("netnstest: panic in namespace: %v\n%s", pval, stack))
	case !returned:
		// fn called runtime.Goexit, through t.FailNow, t.Fatal or t.Skip.
		if t.Skipped() {
			t.SkipNow()
		}
		t.FailNow()
	}
}

// Inside reports whether the calling goroutine's thread is in a network
// namespace other than the host's (that is, it runs inside Run's fn).
func Inside() bool {
	id, err := threadNS()
	return err == nil && hostNSErr == nil && id != hostNS
}

// Exec runs the command name with args inside the namespace of the calling
// thread, which must be the goroutine running Run's fn, and returns its
// output and exit status. A command that cannot be started fails the test.
func Exec(t testing.TB, name string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return ExecInput(t, "", name, args...)
}

// ExecInput is Exec with stdin as the command's standard input (for
// iptables-restore).
func ExecInput(t testing.TB, stdin, name string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	if !Inside() {
		t.Fatalf("netnstest: Exec(%q) called outside a namespace: call it from the function given to Run, on its goroutine", name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), ExecTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var out, errb bytes.Buffer
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &out, &errb
	// Start forks on this goroutine's locked thread, so the child inherits
	// the thread's network namespace.
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
		if code < 0 { // killed by a signal
			code = 128
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				code += int(ws.Signal())
			}
		}
		if ctx.Err() != nil {
			t.Errorf("netnstest: %s %s: timed out after %v", name, strings.Join(args, " "), ExecTimeout)
		}
	default:
		t.Fatalf("netnstest: %s: %v", name, err)
	}
	return out.String(), errb.String(), code
}

// BringUpLoopback sets the namespace's loopback interface up, so that
// traffic to 127.0.0.1 and ::1 flows (and netfilter sees it). Call it from
// Run's fn; it fails the test on error.
func BringUpLoopback(t testing.TB) {
	t.Helper()
	if !Inside() {
		t.Fatalf("netnstest: BringUpLoopback called outside a namespace")
	}
	if err := bringUp("lo"); err != nil {
		t.Fatalf("netnstest: bringing up lo: %v", err)
	}
}

func bringUp(name string) error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return fmt.Errorf("SIOCGIFFLAGS: %w", err)
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr); err != nil {
		return fmt.Errorf("SIOCSIFFLAGS: %w", err)
	}
	return nil
}

// Go runs fn on a new goroutine in the namespace of the calling thread,
// which must be Run's fn, and returns a channel closed when fn returns:
// goroutines that fn starts itself run in the host's namespace, these do
// not. Such goroutines may use pkg/iptc and start processes (Exec).
func Go(t testing.TB, fn func()) <-chan struct{} {
	t.Helper()
	if !Inside() {
		t.Fatalf("netnstest.Go: not inside a test network namespace")
	}
	fd, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer unix.Close(fd)
		runtime.LockOSThread() // never unlocked: the thread dies with the goroutine
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			t.Errorf("setns: %v", err)
			return
		}
		if !Inside() {
			t.Errorf("goroutine not in the test's namespace")
			return
		}
		fn()
	}()
	return done
}
