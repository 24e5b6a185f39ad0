// SPDX-License-Identifier: GPL-2.0-or-later

package reliability

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/goipt/goipt/internal/iptables"
	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/internal/testenv"
	"github.com/goipt/goipt/pkg/iptc"
)

// A commit fails with EAGAIN when the kernel's table changed since it was
// read: another writer committed in between without taking the xtables
// lock. These tests make that happen on purpose: a writer with a lock file
// of its own, and strace to hold the commit back (delay_enter) or to fail
// it (inject error=EAGAIN).

func needStrace(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("strace")
	if err != nil {
		t.Fatal("strace is needed to hold back or fail commits (make deps installs it)")
	}
	return p
}

// lockHeld tells whether someone holds the xtables lock.
func lockHeld(t *testing.T) bool {
	t.Helper()
	fd, err := unix.Open(lockFile(), unix.O_RDONLY|unix.O_CREAT|unix.O_CLOEXEC, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB); err != nil {
		return true
	}
	return false
}

// racedCommand runs "bin PROG ARGS" with its first commit held back for
// 1.5 seconds, and meanwhile, once the command has read the table,
// appends a rule with iptables-legacy under another lock file, so that the
// held commit races it. It returns the command's exit status and output.
func racedCommand(t *testing.T, bin, prog string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	strace := needStrace(t)
	log := filepath.Join(t.TempDir(), "strace.log")
	sargs := append([]string{"-f", "-o", log, "-e", "trace=getsockopt,setsockopt",
		"-e", "inject=setsockopt:delay_enter=1500000:when=1", bin, prog}, args...)
	p := start(t, nil, strace, sargs...)
	// strace logs the read of the table (SO_GET_ENTRIES) when it is done.
	deadline := time.Now().Add(30 * time.Second)
	for {
		data, _ := os.ReadFile(log)
		if strings.Contains(string(data), "SO_GET_ENTRIES") {
			break
		}
		if !p.running() || time.Now().After(deadline) {
			t.Fatalf("%s %s never read the table: %s", bin, prog, p.stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !lockHeld(t) {
		t.Fatalf("%s %s read the table without the lock", bin, prog)
	}
	other := filepath.Join(t.TempDir(), "other.lock")
	legacyProg := strings.Replace(prog, "tables", "tables-legacy", 1)
	if _, e, c := netnstest.Exec(t, "env", "XTABLES_LOCKFILE="+other, legacyProg,
		"-A", "INPUT", "-m", "comment", "--comment", "theirs", "-j", "ACCEPT"); c != 0 {
		t.Fatalf("the other writer failed: %s", e)
	}
	if !p.running() {
		t.Fatalf("%s ended before the other writer committed: %s", bin, p.stderr.String())
	}
	code = p.wait(t, time.Minute)
	return code, p.stdout.String(), p.stderr.String()
}

// TestCLIRetriesCommitConflict: iptables-legacy fails a command whose
// commit races another writer (exit 4); goipt runs it again on the table
// as it is now and succeeds, and neither write is lost.
func TestCLIRetriesCommitConflict(t *testing.T) {
	goipt := testenv.SystemGoipt(t)
	for _, prog := range []string{"iptables", "ip6tables"} {
		save := strings.Replace(prog, "tables", "tables-legacy", 1) + "-save"
		t.Run(prog, func(t *testing.T) {
			netnstest.Run(t, func() {
				ours := []string{"-A", "INPUT", "-m", "comment", "--comment", "ours", "-j", "ACCEPT"}
				// The scenario does make a conflict: iptables-legacy fails.
				code, _, stderr := racedCommand(t, legacy, prog, ours...)
				if want := prog + ": Resource temporarily unavailable.\n"; code != 4 || stderr != want {
					t.Fatalf("iptables-legacy in the race: exit %d, stderr %q; want exit 4, %q", code, stderr, want)
				}
				want := []string{`-A INPUT -m comment --comment theirs -j ACCEPT`}
				if got := rules(t, save, "filter"); strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Fatalf("after iptables-legacy: %q, want %q", got, want)
				}
				// goipt retries.
				code, stdout, stderr := racedCommand(t, goipt, prog, ours...)
				if code != 0 || stdout != "" || stderr != "" {
					t.Errorf("goipt in the race: exit %d, stdout %q, stderr %q; want exit 0 and no output", code, stdout, stderr)
				}
				want = append(want, want[0], `-A INPUT -m comment --comment ours -j ACCEPT`)
				if got := rules(t, save, "filter"); strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("after goipt: %q, want %q", got, want)
				}
			})
		})
	}
}

// TestCLIRetryIsBounded: a commit that always fails with EAGAIN is tried
// iptables.CommitAttempts times, then reported as iptables-legacy reports its
// one failure, and nothing changes.
func TestCLIRetryIsBounded(t *testing.T) {
	strace := needStrace(t)
	goipt := testenv.SystemGoipt(t)
	netnstest.Run(t, func() {
		sh(t, "", "iptables-legacy -N keep && iptables-legacy -A keep -j RETURN && ip6tables-legacy -P FORWARD DROP")
		before := state(t)
		log := filepath.Join(t.TempDir(), "strace.log")
		run := func(bin string, args ...string) (int, string, string, int) {
			sargs := append([]string{"-f", "-o", log, "-e", "trace=setsockopt",
				"-e", "inject=setsockopt:error=EAGAIN", bin}, args...)
			out, errs, code := netnstest.Exec(t, strace, sargs...)
			data, err := os.ReadFile(log)
			if err != nil {
				t.Fatal(err)
			}
			return code, out, errs, strings.Count(string(data), "SET_REPLACE")
		}
		for _, args := range [][]string{
			{"iptables", "-A", "INPUT", "-s", "192.0.2.1", "-j", "DROP"},
			{"iptables", "-v", "-I", "keep", "-p", "tcp", "--dport", "22", "-j", "ACCEPT"},
			{"ip6tables", "-N", "newchain"},
			{"iptables", "-F"},
			{"iptables", "-Z"},
		} {
			lcode, lout, lerr, ltries := run(legacy, args...)
			gcode, gout, gerr, gtries := run(goipt, args...)
			if lcode != 4 || ltries != 1 {
				t.Fatalf("%q: iptables-legacy: exit %d after %d commits; want exit 4 after 1", args, lcode, ltries)
			}
			if gcode != lcode || gout != lout || gerr != lerr {
				t.Errorf("%q: goipt: exit %d, stdout %q, stderr %q; iptables-legacy: exit %d, %q, %q",
					args, gcode, gout, gerr, lcode, lout, lerr)
			}
			if gtries != iptables.CommitAttempts {
				t.Errorf("%q: goipt tried %d commits, want %d", args, gtries, iptables.CommitAttempts)
			}
			if after := state(t); after != before {
				t.Errorf("%q: the tables changed:\nbefore\n%s\nafter\n%s", args, before, after)
			}
		}
	})
}

// TestCLIRetryPrintsOnce: after a retry, what the command prints is
// printed once, as without one.
func TestCLIRetryPrintsOnce(t *testing.T) {
	strace := needStrace(t)
	goipt := testenv.SystemGoipt(t)
	netnstest.Run(t, func() {
		args := []string{"iptables", "-v", "-A", "INPUT", "-s", "192.0.2.1,192.0.2.2", "-p", "tcp", "--dport", "22", "-j", "ACCEPT"}
		sargs := append([]string{"-f", "-o", "/dev/null", "-e", "trace=setsockopt",
			"-e", "inject=setsockopt:error=EAGAIN:when=1", goipt}, args...)
		gout, gerr, gcode := netnstest.Exec(t, strace, sargs...)
		gstate := state(t)
		sh(t, "", "iptables-legacy -F")
		lout, lerr, lcode := netnstest.Exec(t, legacy, args...)
		if gcode != 0 || gout != lout || gerr != lerr {
			t.Errorf("goipt after one conflict: exit %d, stdout %q, stderr %q; iptables-legacy without: exit %d, %q, %q",
				gcode, gout, gerr, lcode, lout, lerr)
		}
		if lstate := state(t); gstate != lstate {
			t.Errorf("tables after goipt:\n%s\nafter iptables-legacy:\n%s", gstate, lstate)
		}
	})
}

// TestLibraryConflictIsTypedAndAtomic: a Table transaction whose commit
// races another writer fails with a *ConflictError and changes nothing,
// unless Options.RetryOnConflict asks for a retry, which applies all of
// it on top of the other writer's change.
func TestLibraryConflictIsTypedAndAtomic(t *testing.T) {
	netnstest.Run(t, func() {
		other := "XTABLES_LOCKFILE=" + filepath.Join(t.TempDir(), "other.lock")
		for _, retry := range []int{0, 2} {
			sh(t, "", "iptables-legacy -F && iptables-legacy -X && iptables-legacy -P FORWARD ACCEPT && iptables-legacy -A INPUT -s 192.0.2.1 -j ACCEPT")
			tb, err := iptc.Open(iptc.IPv4, iptc.Filter, &iptc.Options{RetryOnConflict: retry})
			if err != nil {
				t.Fatal(err)
			}
			// One transaction with many kinds of change.
			c, err := tb.CreateChain("tx")
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 50; i++ {
				r := iptc.NewRule()
				r.Src = fmt.Sprintf("10.0.0.%d", i)
				r.Protocol = "tcp"
				r.CreateMatch("tcp").Set("dport", fmt.Sprint(1000+i))
				r.CreateTarget("ACCEPT")
				if err := c.AppendRule(r); err != nil {
					t.Fatal(err)
				}
			}
			jump := iptc.NewRule()
			jump.CreateTarget("tx")
			if err := tb.Chain("INPUT").InsertRule(jump, 0); err != nil {
				t.Fatal(err)
			}
			if err := tb.Chain("FORWARD").SetPolicy("DROP", nil); err != nil {
				t.Fatal(err)
			}
			del := iptc.NewRule()
			del.Src = "192.0.2.1"
			del.CreateTarget("ACCEPT")
			if err := tb.Chain("INPUT").DeleteRule(del); err != nil {
				t.Fatal(err)
			}
			// The other writer, who does not wait for our lock.
			if _, e, code := sh(t, "", "iptables-legacy -A OUTPUT -j ACCEPT", other); code != 0 {
				t.Fatal(e)
			}
			theirs := state(t)
			err = tb.Commit()
			tb.Close()
			got := rules(t, "iptables-legacy-save", "filter")
			if retry == 0 {
				var ce *iptc.ConflictError
				if !errors.As(err, &ce) || !errors.Is(err, iptc.ErrTableChanged) || ce.Attempts != 1 {
					t.Errorf("commit racing another writer: %v (%T), want a *ConflictError after 1 attempt", err, err)
				}
				if after := state(t); after != theirs {
					t.Errorf("a failed commit changed the tables:\n%s\nwant\n%s", after, theirs)
				}
				continue
			}
			if err != nil {
				t.Errorf("commit with RetryOnConflict %d: %v", retry, err)
			}
			if len(got) != 52 || got[0] != "-A INPUT -j tx" || got[1] != "-A OUTPUT -j ACCEPT" ||
				got[2] != "-A tx -s 10.0.0.0/32 -p tcp -m tcp --dport 1000 -j ACCEPT" {
				t.Errorf("after the retried commit: %d rules:\n%s", len(got), strings.Join(got, "\n"))
			}
			if !strings.Contains(state(t), ":FORWARD DROP") {
				t.Errorf("the policy change was lost")
			}
		}
	})
}

// TestLibraryAtomicUnderLocklessWriter: transactions of five rules each
// race a writer that keeps changing the table without the lock. Every
// transaction ends with all five rules in the table (commit succeeded) or
// none (a *ConflictError), never some. Even transactions do not retry,
// odd ones retry up to three times.
func TestLibraryAtomicUnderLocklessWriter(t *testing.T) {
	netnstest.Run(t, func() {
		other := "XTABLES_LOCKFILE=" + filepath.Join(t.TempDir(), "other.lock")
		stop := filepath.Join(t.TempDir(), "stop")
		var hammers []*proc
		for i := 0; i < 2; i++ {
			hammers = append(hammers, start(t, nil, "env", other, "bash", "-c", `
				while [ ! -e `+stop+` ]; do
					iptables-legacy -A FORWARD -j ACCEPT; iptables-legacy -D FORWARD -j ACCEPT
				done`))
		}
		const txs, each = 200, 5
		results := make([]error, txs)
		var dones []<-chan struct{}
		for w := 0; w < 2; w++ {
			dones = append(dones, netnstest.Go(t, func() {
				tb, err := iptc.Open(iptc.IPv4, iptc.Filter, &iptc.Options{RetryOnConflict: 3 * w})
				if err != nil {
					t.Error(err)
					return
				}
				defer tb.Close()
				for k := w; k < txs; k += 2 {
					for j := 0; j < each; j++ {
						r := iptc.NewRule()
						r.CreateMatch("comment").Set("comment", fmt.Sprintf("tx%d-%d", k, j))
						if err := tb.Chain("INPUT").AppendRule(r); err != nil {
							t.Error(err)
						}
					}
					results[k] = tb.Commit()
				}
			}))
		}
		for _, d := range dones {
			<-d
		}
		os.WriteFile(stop, nil, 0o600)
		for _, h := range hammers {
			h.wait(t, time.Minute)
		}
		count := map[int]int{}
		for _, l := range rules(t, "iptables-legacy-save", "filter") {
			var k, j int
			if _, err := fmt.Sscanf(l, "-A INPUT -m comment --comment tx%d-%d", &k, &j); err == nil {
				count[k]++
			}
		}
		conflicts, countersLost := [2]int{}, 0
		for k, err := range results {
			switch {
			case err == nil && count[k] != each:
				t.Errorf("tx %d committed but %d of its %d rules are in the table", k, count[k], each)
			case errors.Is(err, iptc.ErrCountersNotRestored) && count[k] != each:
				t.Errorf("tx %d: %v, but %d of its %d rules are in the table", k, err, count[k], each)
			case errors.Is(err, iptc.ErrCountersNotRestored):
				countersLost++
			case err != nil && count[k] != 0:
				t.Errorf("tx %d failed (%v) but %d of its rules are in the table", k, err, count[k])
			case err != nil && !errors.Is(err, iptc.ErrTableChanged):
				t.Errorf("tx %d: %v, want success or a conflict", k, err)
			case err != nil:
				var ce *iptc.ConflictError
				if !errors.As(err, &ce) {
					t.Errorf("tx %d: %T, want a *ConflictError", k, err)
				}
				conflicts[k%2]++
			}
		}
		t.Logf("transactions that ended in a conflict: %d of %d without retry, %d of %d with 3 retries; "+
			"committed without their counters: %d", conflicts[0], txs/2, conflicts[1], txs/2, countersLost)
	})
}

func init() {
	// One transaction, committed; prints how the commit ended.
	helpers["commit"] = func() int {
		tb, err := iptc.Open(iptc.IPv4, iptc.Filter, &iptc.Options{RetryOnConflict: 3})
		if err != nil {
			fmt.Println(err)
			return 1
		}
		r := iptc.NewRule()
		r.CreateMatch("comment").Set("comment", "helper")
		if err := tb.Chain("INPUT").AppendRule(r); err != nil {
			fmt.Println(err)
			return 1
		}
		err = tb.Commit()
		switch {
		case err == nil:
			fmt.Println("ok")
		case errors.Is(err, iptc.ErrCountersNotRestored):
			fmt.Println("counters not restored")
		case errors.Is(err, iptc.ErrTableChanged):
			fmt.Println("conflict")
		default:
			fmt.Println(err)
		}
		return 0
	}
}

// TestCommitCountersNotRestored: libiptc commits in two steps, the table
// and then the counters; when the second fails (another writer replaced
// the table in between: EINVAL), the changes are in. The library says so
// (ErrCountersNotRestored, not retried); goipt's command line reports it
// as iptables-legacy does.
func TestCommitCountersNotRestored(t *testing.T) {
	strace := needStrace(t)
	goipt := testenv.SystemGoipt(t)
	netnstest.Run(t, func() {
		inject := func(spec string, name string, args ...string) (string, string, int) {
			sargs := append([]string{"-f", "-o", "/dev/null", "-e", "trace=setsockopt", "-e", "inject=setsockopt:" + spec, name}, args...)
			return netnstest.Exec(t, "env", append([]string{helperEnv + "=" + os.Getenv(helperEnv), strace}, sargs...)...)
		}
		self, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		helper := func(spec string) string {
			t.Setenv(helperEnv, "commit")
			defer t.Setenv(helperEnv, "")
			out, stderr, code := inject(spec, self)
			if code != 0 {
				t.Fatalf("helper: exit %d: %s%s", code, out, stderr)
			}
			return strings.TrimSpace(out)
		}
		// INPUT's policy has counters, so that a commit has some to
		// carry over (goipt sends no SO_SET_ADD_COUNTERS of zeros).
		seed := func() {
			if _, stderr, code := sh(t, "*filter\n:INPUT ACCEPT [7:700]\nCOMMIT\n", "iptables-legacy-restore -c"); code != 0 {
				t.Fatalf("seed: %s", stderr)
			}
		}
		seed()
		// The counters fail: the rule is in, and not twice.
		if got := helper("error=EINVAL:when=2"); got != "counters not restored" {
			t.Errorf("library, counters refused: %q, want %q", got, "counters not restored")
		}
		want := []string{"-A INPUT -m comment --comment helper"}
		if got := rules(t, "iptables-legacy-save", "filter"); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("after it: %q, want %q", got, want)
		}
		// The replacement fails every time: a conflict, nothing changed.
		if got := helper("error=EAGAIN"); got != "conflict" {
			t.Errorf("library, replacement refused: %q, want %q", got, "conflict")
		}
		if got := rules(t, "iptables-legacy-save", "filter"); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("after it: %q, want %q", got, want)
		}
		// The command line, as iptables-legacy.
		args := []string{"iptables", "-A", "INPUT", "-s", "192.0.2.9", "-j", "DROP"}
		seed()
		lout, lerr, lcode := inject("error=EINVAL:when=2", legacy, args...)
		lstate := state(t)
		seed()
		gout, gerr, gcode := inject("error=EINVAL:when=2", goipt, args...)
		gstate := state(t)
		if gcode != lcode || gout != lout || testenv.HideVersions(gerr) != testenv.HideVersions(lerr) || gstate != lstate {
			t.Errorf("goipt: exit %d, %q, %q, tables\n%s\niptables-legacy: exit %d, %q, %q, tables\n%s",
				gcode, gout, gerr, gstate, lcode, lout, lerr, lstate)
		}
	})
}
