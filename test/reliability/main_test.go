// SPDX-License-Identifier: GPL-2.0-or-later

package reliability

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/goipt/goipt/internal/netnstest"
)

// goipt is the binary under test, built once by TestMain.
var goipt string

// ref1811 is iptables 1.8.11's multi-call binary, when it was built.
var ref1811 = envOr("GOIPT_REF1811", "/work/ref1811/sbin/xtables-legacy-multi")

// legacy is the system's iptables-legacy 1.8.9 as a multi-call binary.
const legacy = "xtables-legacy-multi"

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// helperEnv names a helper a test runs as a child process of the test
// binary (under strace, say): see helpers.
const helperEnv = "GOIPT_RELIABILITY_HELPER"

// helpers are the functions a child process can run; each returns the
// exit status.
var helpers = map[string]func() int{}

func TestMain(m *testing.M) {
	if h := os.Getenv(helperEnv); h != "" {
		os.Exit(helpers[h]())
	}
	dir, err := os.MkdirTemp("", "goipt-reliability")
	if err != nil {
		panic(err)
	}
	// The directory must be usable by the unprivileged user of the
	// CAP_NET_ADMIN tests.
	os.Chmod(dir, 0o755)
	goipt = filepath.Join(dir, "goipt")
	build := exec.Command("go", "build", "-o", goipt, "github.com/goipt/goipt/cmd/goipt")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		panic("building goipt: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// references are the binaries goipt must agree with, 1.8.9 first.
func references(t testing.TB) []string {
	refs := []string{legacy}
	if _, err := os.Stat(ref1811); err == nil {
		refs = append(refs, ref1811)
	} else {
		t.Logf("no iptables 1.8.11 reference at %s: comparing with 1.8.9 only", ref1811)
	}
	return refs
}

var versionRE = regexp.MustCompile(`\b(ip6?tables(?:-legacy)?(?:-save|-restore)?|xtables-legacy-multi) v[0-9][^ :\n]*( \([^)\n]*\))?`)

// normalize hides version strings (goipt says 1.8.11, the system 1.8.9).
func normalize(s string) string { return versionRE.ReplaceAllString(s, "$1 vX") }

// mustInside fails the test unless the calling thread is in a test
// namespace: nothing here may reach the host's tables.
func mustInside(t testing.TB) {
	t.Helper()
	if !netnstest.Inside() {
		t.Fatalf("not inside a test network namespace")
	}
}

// sh runs a bash script in the namespace of the calling thread (Run's fn)
// with extra environment variables.
func sh(t testing.TB, stdin, script string, env ...string) (stdout, stderr string, code int) {
	t.Helper()
	args := append(append([]string{}, env...), "bash", "-c", script)
	return netnstest.ExecInput(t, stdin, "env", args...)
}

// state is what iptables-legacy-save -c prints for both families, without
// its comment lines: the kernel's tables, counters included.
func state(t testing.TB) string {
	t.Helper()
	var b strings.Builder
	for _, save := range []string{"iptables-legacy-save", "ip6tables-legacy-save"} {
		out, stderr, code := netnstest.Exec(t, save, "-c")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", save, code, stderr)
		}
		b.WriteString(stripComments(out))
	}
	return b.String()
}

func stripComments(s string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if !strings.HasPrefix(l, "#") {
			b.WriteString(l)
		}
	}
	return b.String()
}

// rules returns the "-A ..." lines of iptables-legacy-save -t table.
func rules(t testing.TB, save, table string) []string {
	t.Helper()
	out, stderr, code := netnstest.Exec(t, save, "-t", table)
	if code != 0 {
		t.Fatalf("%s: exit %d: %s", save, code, stderr)
	}
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "-A ") {
			lines = append(lines, l)
		}
	}
	return lines
}

// proc is a process started in the namespace.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{}
	err            error
	ended          time.Time
}

// start starts name with args in the namespace of the calling thread,
// which must be Run's fn (a fork inherits the thread's namespace).
func start(t testing.TB, stdin *os.File, name string, args ...string) *proc {
	t.Helper()
	mustInside(t)
	p := &proc{cmd: exec.Command(name, args...), done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if stdin != nil {
		p.cmd.Stdin = stdin
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		p.ended = time.Now()
		close(p.done)
	}()
	return p
}

// wait waits for p at most d and returns its exit status (128+signal when
// killed).
func (p *proc) wait(t testing.TB, d time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(d):
		p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("%s did not end within %v; stderr: %s", p.cmd.Path, d, p.stderr.String())
	}
	return exitCode(p.err)
}

// running tells whether p has not ended yet.
func (p *proc) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// goInNetns runs fn on a new goroutine whose thread joins the network
// namespace of the calling thread (Run's fn), and returns a channel closed
// when fn returns. Such goroutines may use pkg/iptc and start processes.
func goInNetns(t testing.TB, fn func()) <-chan struct{} {
	t.Helper()
	mustInside(t)
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
		if !netnstest.Inside() {
			t.Errorf("goroutine not in the test's namespace")
			return
		}
		fn()
	}()
	return done
}

// execIn runs a command from a goroutine of goInNetns, with a timeout.
func execIn(ctx context.Context, stdin string, name string, args ...string) (stdout, stderr string, code int, err error) {
	if !netnstest.Inside() {
		return "", "", -1, fmt.Errorf("execIn(%s) outside a test namespace", name)
	}
	cmd := exec.CommandContext(ctx, name, args...)
	var o, e bytes.Buffer
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	code = exitCode(err)
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		err = nil
	}
	return o.String(), e.String(), code, err
}

// lockFile is the private lock file netnstest.Run set up.
func lockFile() string { return os.Getenv("XTABLES_LOCKFILE") }
