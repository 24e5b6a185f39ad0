// SPDX-License-Identifier: GPL-2.0-or-later

package netnstest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"
)

const chain = "GOIPT_NETNS_TEST"

// hostRules lists the host's filter table. It only reads: this package never
// modifies the host.
// It must run on a thread in the host's namespace: from fn, call it on
// another goroutine (see hostRulesFromInside).
func hostRules(t *testing.T) string {
	t.Helper()
	out, err := listHost()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func listHost() (string, error) {
	if Inside() {
		return "", fmt.Errorf("listHost called on a thread inside a namespace")
	}
	out, err := exec.Command("iptables-legacy", "-w", "-S").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("iptables-legacy -S on the host: %v\n%s", err, out)
	}
	return string(out), nil
}

// hostRulesFromInside lists the host's table from fn: a new goroutine runs
// on a thread of the host's namespace.
func hostRulesFromInside(t *testing.T) string {
	t.Helper()
	type result struct {
		out string
		err error
	}
	ch := make(chan result)
	go func() {
		out, err := listHost()
		ch <- result{out, err}
	}()
	r := <-ch
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.out
}

func hasChain(rules string) bool {
	for _, l := range strings.Split(rules, "\n") {
		if l == "-N "+chain {
			return true
		}
	}
	return false
}

// TestIsolation creates a chain inside the namespace and checks that the
// host's table never shows it.
func TestIsolation(t *testing.T) {
	if ok, why := Enabled(); !ok {
		t.Skip(why)
	}
	if hasChain(hostRules(t)) {
		t.Fatalf("the host already has a chain %s; remove it before running this test", chain)
	}
	Run(t, func() {
		if lock := os.Getenv("XTABLES_LOCKFILE"); lock == "" || lock == "/run/xtables.lock" {
			t.Errorf("XTABLES_LOCKFILE = %q, want a private file", lock)
		}
		if _, stderr, code := Exec(t, "iptables-legacy", "-N", chain); code != 0 {
			t.Fatalf("iptables-legacy -N %s: exit %d: %s", chain, code, stderr)
		}
		out, stderr, code := Exec(t, "iptables-legacy", "-S")
		if code != 0 {
			t.Fatalf("iptables-legacy -S: exit %d: %s", code, stderr)
		}
		if !hasChain(out) {
			t.Fatalf("iptables-legacy -S inside does not show %s:\n%s", chain, out)
		}
		// Checked while the namespace still exists.
		if rules := hostRulesFromInside(t); hasChain(rules) {
			t.Fatalf("host shows %s created in the namespace:\n%s", chain, rules)
		}
	})
	if rules := hostRules(t); hasChain(rules) {
		t.Fatalf("host shows %s after the namespace is gone:\n%s", chain, rules)
	}
}

// TestFreshNamespace checks that every Run gets its own, empty namespace.
func TestFreshNamespace(t *testing.T) {
	for i := 0; i < 3; i++ {
		Run(t, func() {
			out, _, code := Exec(t, "iptables-legacy", "-S")
			if code != 0 || hasChain(out) {
				t.Fatalf("run %d: exit %d, rules:\n%s", i, code, out)
			}
			if _, stderr, code := Exec(t, "iptables-legacy", "-N", chain); code != 0 {
				t.Fatalf("run %d: -N: exit %d: %s", i, code, stderr)
			}
		})
	}
}

func readNS(t *testing.T, path string) string {
	t.Helper()
	l, err := os.Readlink(path)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestChildInheritsThread checks that a command started from fn runs in the
// thread's namespace, and that no thread stays in it after Run returns.
func TestChildInheritsThread(t *testing.T) {
	if ok, why := Enabled(); !ok {
		t.Skip(why)
	}
	host := readNS(t, "/proc/thread-self/ns/net")
	var inside string
	Run(t, func() {
		if !Inside() {
			t.Fatal("Inside() = false in fn")
		}
		inside = readNS(t, "/proc/thread-self/ns/net")
		if inside == host {
			t.Fatalf("fn runs in the host namespace %s", host)
		}
		out, stderr, code := Exec(t, "readlink", "/proc/self/ns/net")
		if code != 0 {
			t.Fatalf("readlink: exit %d: %s", code, stderr)
		}
		if got := strings.TrimSpace(out); got != inside {
			t.Fatalf("child's namespace %s, want the thread's %s", got, inside)
		}
	})
	if Inside() {
		t.Fatal("test goroutine is inside a namespace after Run")
	}
	// Many goroutines, hence many threads: none may be in the namespace.
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if l, err := os.Readlink("/proc/thread-self/ns/net"); err != nil || l != host {
				errs <- l
			}
		}()
	}
	wg.Wait()
	close(errs)
	for l := range errs {
		t.Errorf("a thread is in namespace %s after Run, want the host's %s", l, host)
	}
	out, err := exec.Command("readlink", "/proc/self/ns/net").Output()
	if err != nil || strings.TrimSpace(string(out)) != host {
		t.Errorf("child started after Run is in %q (%v), want %s", out, err, host)
	}
}

// TestBringUpLoopback checks that lo comes up and carries traffic.
func TestBringUpLoopback(t *testing.T) {
	Run(t, func() {
		BringUpLoopback(t)
		if out, stderr, code := Exec(t, "ping", "-c", "1", "-W", "2", "127.0.0.1"); code != 0 {
			t.Fatalf("ping 127.0.0.1: exit %d:\n%s%s", code, out, stderr)
		}
	})
}

// TestExecInput feeds iptables-restore on stdin.
func TestExecInput(t *testing.T) {
	Run(t, func() {
		in := "*filter\n:" + chain + " - [0:0]\n-A " + chain + " -j RETURN\nCOMMIT\n"
		if _, stderr, code := ExecInput(t, in, "iptables-legacy-restore"); code != 0 {
			t.Fatalf("iptables-legacy-restore: exit %d: %s", code, stderr)
		}
		out, _, _ := Exec(t, "iptables-legacy", "-S", chain)
		if !strings.Contains(out, "-A "+chain+" -j RETURN") {
			t.Fatalf("rule not loaded:\n%s", out)
		}
		if _, _, code := Exec(t, "sh", "-c", "exit 3"); code != 3 {
			t.Fatalf("exit status %d, want 3", code)
		}
	})
}

// fakeTB records Fatalf instead of failing the real test.
type fakeTB struct {
	testing.TB
	fatal string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatal = format
	panic(f)
}

// TestExecOutsideRefused checks that Exec refuses to run on a host thread.
func TestExecOutsideRefused(t *testing.T) {
	f := &fakeTB{TB: t}
	func() {
		defer func() {
			if r := recover(); r != nil && r != f {
				panic(r)
			}
		}()
		Exec(f, "true")
	}()
	if !strings.Contains(f.fatal, "outside a namespace") {
		t.Fatalf("Exec outside Run was not refused (fatal %q)", f.fatal)
	}
}

// TestSkipInside checks that t.Skip in fn ends the test on its goroutine.
func TestSkipInside(t *testing.T) {
	if ok, why := Enabled(); !ok {
		t.Skip(why)
	}
	after := false
	var sub *testing.T
	t.Run("sub", func(t *testing.T) {
		sub = t
		Run(t, func() { t.Skip("skipped inside the namespace") })
		after = true
	})
	if after || !sub.Skipped() {
		t.Fatalf("after Skip in fn: test went on %v, skipped %v", after, sub.Skipped())
	}
}

// skipRecorder is a testing.TB whose Skip records why and ends the calling
// goroutine, as t.Skip ends a test's: it lets a test watch Run skip
// without skipping itself.
type skipRecorder struct {
	testing.TB
	skipped string
}

func (r *skipRecorder) Skip(args ...any) {
	r.skipped = fmt.Sprint(args...)
	runtime.Goexit()
}

// resetProbe makes the next Enabled probe again, now and after the test.
func resetProbe(t *testing.T) {
	probe.once, probe.err = sync.Once{}, nil
	t.Cleanup(func() { probe.once, probe.err = sync.Once{}, nil })
}

// TestRunSkipsWithoutNetns: where no network namespace can be made, Run
// skips with one line instead of failing (simulated with NoNetnsEnvVar).
func TestRunSkipsWithoutNetns(t *testing.T) {
	t.Setenv(EnvVar, "1")
	t.Setenv(NoNetnsEnvVar, "1")
	resetProbe(t)
	if err := tryUnshareNet(); !errors.Is(err, unix.EPERM) {
		t.Fatalf("tryUnshareNet with %s=1: %v, want EPERM", NoNetnsEnvVar, err)
	}
	rec := &skipRecorder{TB: t}
	ran := false
	done := make(chan struct{})
	go func() {
		defer close(done)
		Run(rec, func() { ran = true })
	}()
	<-done
	switch {
	case ran:
		t.Fatal("Run ran fn without a namespace")
	case rec.skipped == "" || strings.Contains(rec.skipped, "\n"):
		t.Fatalf("Run did not skip with one line: %q", rec.skipped)
	case os.Geteuid() == 0 && !strings.Contains(rec.skipped, "cannot create a network namespace"):
		t.Fatalf("skip message %q does not say why", rec.skipped)
	}
}

// TestSkipsWithoutCapSysAdmin runs TestIsolation in a child process of
// this test binary without CAP_SYS_ADMIN (capsh drops it), where
// unshare(CLONE_NEWNET) really fails: it must skip, not fail.
func TestSkipsWithoutCapSysAdmin(t *testing.T) {
	if ok, why := Enabled(); !ok {
		t.Skip(why)
	}
	capsh, err := exec.LookPath("capsh")
	if err != nil {
		t.Skip("needs capsh (Debian: libcap2-bin)")
	}
	cmd := exec.Command(capsh, "--drop=cap_sys_admin", "--", "-c", `exec "$0" "$@"`,
		os.Args[0], "-test.run=^TestIsolation$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), EnvVar+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("TestIsolation without CAP_SYS_ADMIN: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- SKIP: TestIsolation") || !strings.Contains(string(out), "cannot create a network namespace") {
		t.Fatalf("TestIsolation without CAP_SYS_ADMIN did not skip for want of a namespace:\n%s", out)
	}
}
