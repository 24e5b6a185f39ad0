// SPDX-License-Identifier: GPL-2.0-or-later

package reliability

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/internal/testenv"
)

// legacy is the system's iptables-legacy 1.8.9 as a multi-call binary.
const legacy = testenv.Legacy

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
	testenv.Main(m)
}

// references are the binaries goipt must agree with, 1.8.9 first.
func references(t testing.TB) []string {
	refs := testenv.References()
	if len(refs) == 1 {
		t.Logf("comparing with iptables 1.8.9 only: %s", testenv.Ref1811Missing())
	}
	return refs
}

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
		b.WriteString(testenv.StripComments(out))
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

// lockFile is the private lock file netnstest.Run set up.
func lockFile() string { return os.Getenv("XTABLES_LOCKFILE") }
