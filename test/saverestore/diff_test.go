// SPDX-License-Identifier: GPL-2.0-or-later

package saverestore

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/internal/testenv"
)

// The ruleset every differential case starts from (loaded with
// iptables-legacy-restore -c), so that flushing, --noflush, -T and atomicity
// show in the kernel state afterwards.
const baseV4 = `*filter
:INPUT DROP [10:1000]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [5:500]
:OLD - [0:0]
:KEEP - [0:0]
[3:300] -A INPUT -s 192.0.2.0/24 -j OLD
[0:0] -A INPUT -i lo -j ACCEPT
[7:70] -A OLD -p tcp -m tcp --dport 22 -j ACCEPT
-A KEEP -m comment --comment "kept rule" -j RETURN
COMMIT
*nat
:PREROUTING ACCEPT [1:2]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:NATCHAIN - [0:0]
[2:20] -A POSTROUTING -o eth0 -j MASQUERADE
-A NATCHAIN -p tcp -j DNAT --to-destination 198.51.100.1:8080
COMMIT
`

const baseV6 = `*filter
:INPUT ACCEPT [4:400]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:OLD6 - [0:0]
[1:100] -A INPUT -s 2001:db8::/32 -j OLD6
-A OLD6 -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j ACCEPT
COMMIT
`

// dcase is one differential case: a restore applet run on input.
type dcase struct {
	name   string
	v6     bool
	args   []string // options before the file name
	input  string
	asFile bool // give input as a file argument instead of stdin
	noBase bool // start from an empty namespace
	// applet overrides the restore applet (e.g. a save applet).
	applet string
	// readOut: args name the file @OUT@, whose content is compared too.
	readOut bool
	// holdLock: another process holds the xtables lock for this long
	// while the command runs.
	holdLock time.Duration
	// lockFile, when set, is the command's XTABLES_LOCKFILE.
	lockFile string
}

type result struct {
	code           int
	stdout, stderr string
	state          string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout:\n%s--- stderr:\n%s--- state:\n%s", r.code, r.stdout, r.stderr, r.state)
}

// runCase runs c under tl in a fresh namespace holding the base ruleset.
func runCase(t *testing.T, tl tool, c dcase) result {
	t.Helper()
	var res result
	dir := t.TempDir()
	netnstest.Run(t, func() {
		if !c.noBase {
			mustRun(t, baseV4, legacy.cmd("iptables-restore", "-c"))
			mustRun(t, baseV6, legacy.cmd("ip6tables-restore", "-c"))
		}
		applet := c.applet
		if applet == "" {
			applet = restoreApplet(c.v6)
		}
		outFile := filepath.Join(dir, "out")
		args := append([]string{}, c.args...)
		for i := range args {
			args[i] = strings.ReplaceAll(args[i], "@OUT@", outFile)
		}
		stdin := c.input
		if c.asFile {
			// The same path for every tool: it may show in messages.
			p := filepath.Join(dir, "rules")
			if err := os.WriteFile(p, []byte(c.input), 0o644); err != nil {
				t.Fatal(err)
			}
			args = append(args, p)
			stdin = ""
		}
		argv := tl.cmd(applet, args...)
		if c.lockFile != "" {
			argv = append([]string{"env", "XTABLES_LOCKFILE=" + c.lockFile}, argv...)
		}
		if c.holdLock > 0 {
			defer holdLock(t, c.holdLock)()
		}
		out, errs, code := run(t, stdin, argv)
		if c.readOut {
			data, err := os.ReadFile(outFile)
			out += fmt.Sprintf("--- file @OUT@ (%v):\n%s", err, data)
		}
		res = result{code: code, stdout: testenv.HideSaveDates(testenv.HideVersions(out)), stderr: testenv.HideVersions(errs)}
		res.stdout = strings.ReplaceAll(res.stdout, dir, "DIR")
		res.stderr = strings.ReplaceAll(res.stderr, dir, "DIR")
		if lf := os.Getenv("XTABLES_LOCKFILE"); lf != "" {
			res.stderr = strings.ReplaceAll(res.stderr, lf, "LOCKFILE")
		}
		res.state = kernelState(t)
	})
	return res
}

// holdLock makes another process hold the xtables lock (XTABLES_LOCKFILE)
// for d, and returns once it does; the function returned ends it.
func holdLock(t *testing.T, d time.Duration) (wait func()) {
	t.Helper()
	lf := os.Getenv("XTABLES_LOCKFILE")
	ready := filepath.Join(t.TempDir(), "locked")
	cmd := exec.Command("flock", "-x", lf, "sh", "-c", fmt.Sprintf("touch %s; exec sleep %.3f", ready, d.Seconds()))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("flock: %v", err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(ready); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("flock did not take the lock")
		}
	}
	// Once the command under test is done, the holder is not needed: end
	// its process group (flock and sleep).
	return func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
	}
}

// matchStats counts, over the run, which reference each case matched.
var (
	statsMu sync.Mutex
	stats   = map[string][]string{}
)

func record(kind, name string) {
	statsMu.Lock()
	stats[kind] = append(stats[kind], name)
	statsMu.Unlock()
}

// differential runs c under goipt and every reference and fails unless
// each field of goipt's result (exit status, stdout, stderr, kernel state)
// equals that field of one reference, as the conformance kit's run_t.py
// --diff does: goipt loads the system's 1.8.9 extension libraries (whose
// messages it prints) while following 1.8.11 where goipt implements the
// behaviour itself.
func differential(t *testing.T, c dcase) {
	t.Helper()
	compareRefs(t, c, runCase(t, goipt(t), c))
}

// compareRefs is differential for goipt's result g of c.
func compareRefs(t *testing.T, c dcase, g result) {
	t.Helper()
	refs := references()
	var rr []result
	for _, ref := range refs {
		rr = append(rr, runCase(t, ref, c))
	}
	fields := []struct {
		name string
		get  func(result) string
	}{
		{"exit", func(r result) string { return fmt.Sprint(r.code) }},
		{"stdout", func(r result) string { return r.stdout }},
		{"stderr", func(r result) string { return r.stderr }},
		{"state", func(r result) string { return r.state }},
	}
	var bad, only []string
	for _, f := range fields {
		var matched []string
		for i, r := range rr {
			if f.get(r) == f.get(g) {
				matched = append(matched, refs[i].name)
			}
		}
		switch {
		case len(matched) == 0:
			bad = append(bad, f.name)
		case len(matched) < len(rr):
			only = append(only, f.name+"="+strings.Join(matched, "+"))
		}
	}
	if len(bad) > 0 {
		if why, ok := knownDiffs[c.name]; ok {
			record("known", c.name+" ("+why+")")
			t.Skipf("known difference in %s: %s", strings.Join(bad, ", "), why)
		}
		testenv.SkipUndecided(t)
		var b strings.Builder
		fmt.Fprintf(&b, "goipt differs from every reference in %s\n=== goipt: %s", strings.Join(bad, ", "), g)
		for i, r := range rr {
			fmt.Fprintf(&b, "=== %s: %s", refs[i].name, r)
		}
		t.Error(b.String())
		record("FAIL", c.name)
		return
	}
	if _, ok := knownDiffs[c.name]; ok {
		t.Logf("listed in knownDiffs but now matches a reference")
	}
	if len(only) == 0 {
		record("all refs", c.name)
		return
	}
	t.Logf("references disagree; goipt matches %s", strings.Join(only, " "))
	record("partial", c.name+": "+strings.Join(only, " "))
}

// knownDiffs are accepted differences from both references, by case name,
// with the reason (none at the moment: keep it that way).
var knownDiffs = map[string]string{}

// TestDifferentialRestore runs restore on malformed and unusual input and
// options under goipt and the references.
func TestDifferentialRestore(t *testing.T) {
	skipUnlessSystem(t)
	t.Cleanup(func() {
		statsMu.Lock()
		defer statsMu.Unlock()
		keys := make([]string, 0, len(stats))
		for k := range stats {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t.Logf("%-12s %3d cases", k, len(stats[k]))
			if k != "all refs" {
				for _, n := range stats[k] {
					t.Logf("    %s", n)
				}
			}
		}
	})
	for _, c := range differentialCases() {
		t.Run(c.name, func(t *testing.T) { differential(t, c) })
	}
}

const goodFilter = "*filter\n:INPUT ACCEPT [0:0]\n:NEW - [0:0]\n-A INPUT -p tcp --dport 80 -j NEW\n-A NEW -j ACCEPT\nCOMMIT\n"

func differentialCases() []dcase {
	cs := []dcase{
		// Empty and comment-only input.
		{name: "empty", input: ""},
		{name: "empty-file", input: "", asFile: true},
		{name: "only-newlines", input: "\n\n\n"},
		{name: "only-comments", input: "# a comment\n#another\n"},
		{name: "only-comments-verbose", args: []string{"-v"}, input: "# a comment\n#another\n"},
		{name: "blank-spaces-outside-table", input: "   \n"},
		{name: "blank-spaces-in-table", input: "*filter\n   \nCOMMIT\n"},
		{name: "tab-line-in-table", input: "*filter\n\t\nCOMMIT\n"},
		{name: "good", input: goodFilter},
		{name: "good-file", input: goodFilter, asFile: true},
		{name: "good-empty-table", input: "*filter\nCOMMIT\n"},
		{name: "good-new-table", input: "*mangle\n-A PREROUTING -j MARK --set-mark 1\nCOMMIT\n"},
		{name: "good-crlf", input: "*filter\r\n-A INPUT -j ACCEPT\r\nCOMMIT\r\n"},

		// Truncated input.
		{name: "truncated-table", input: "*fil"},
		{name: "truncated-star", input: "*"},
		{name: "truncated-star-newline", input: "*\n"},
		{name: "truncated-chain-line", input: "*filter\n:INPUT ACC"},
		{name: "truncated-chain-colon", input: "*filter\n:\nCOMMIT\n"},
		{name: "truncated-chain-name-only", input: "*filter\n:INPUT\nCOMMIT\n"},
		{name: "truncated-chain-new-name-only", input: "*filter\n:NEWCHAIN\nCOMMIT\n"},
		{name: "truncated-rule-jump", input: "*filter\n-A INPUT -s 1.2.3.4 -j\nCOMMIT\n"},
		{name: "truncated-rule-dport", input: "*filter\n-A INPUT -p tcp --dport\nCOMMIT\n"},
		{name: "truncated-rule-eof", input: "*filter\n-A INPUT -p tcp --dp"},
		{name: "truncated-commit", input: "*filter\n-A INPUT -j ACCEPT\nCOMM"},
		{name: "commit-no-newline", input: "*filter\n-A INPUT -j ACCEPT\nCOMMIT"},
		{name: "commit-trailing-space", input: "*filter\n-A INPUT -j ACCEPT\nCOMMIT \n"},
		{name: "commit-lowercase", input: "*filter\n-A INPUT -j ACCEPT\ncommit\n"},
		{name: "truncated-counters", input: "*filter\n[12:34\n"},

		// Missing COMMIT.
		{name: "missing-commit", input: "*filter\n-A INPUT -j ACCEPT\n"},
		{name: "missing-commit-second-table", input: goodFilter + "*nat\n-A POSTROUTING -j MASQUERADE\n"},
		{name: "missing-commit-test", args: []string{"--test"}, input: "*filter\n-A INPUT -j ACCEPT\n"},
		{name: "commit-outside-table", input: "COMMIT\n"},
		{name: "commit-twice", input: "*filter\nCOMMIT\nCOMMIT\n"},

		// Tables.
		{name: "unknown-table", input: "*nosuchtable\n:INPUT ACCEPT [0:0]\nCOMMIT\n"},
		{name: "unknown-table-after-good", input: goodFilter + "*bogus\nCOMMIT\n"},
		{name: "table-name-too-long", input: "*" + strings.Repeat("t", 40) + "\nCOMMIT\n"},
		{name: "table-extra-words", input: "*filter with words\n-A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "table-tab", input: "*\tfilter\n-A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "nested-table", input: "*filter\n-A INPUT -j ACCEPT\n*nat\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n"},
		{name: "nested-same-table", input: "*filter\n*filter\nCOMMIT\n"},
		{name: "rule-before-table", input: "-A INPUT -j ACCEPT\n*filter\nCOMMIT\n"},
		{name: "chain-before-table", input: ":INPUT ACCEPT [0:0]\n*filter\nCOMMIT\n"},
		{name: "garbage-before-table", input: "hello\n"},
		{name: "table-twice", input: goodFilter + goodFilter},
		{name: "all-tables", input: "*raw\nCOMMIT\n*mangle\nCOMMIT\n*nat\nCOMMIT\n*filter\nCOMMIT\n*security\nCOMMIT\n"},

		// Policies and chain lines.
		{name: "bad-policy", input: "*filter\n:INPUT FOO [0:0]\nCOMMIT\n"},
		{name: "bad-policy-lowercase", input: "*filter\n:INPUT accept [0:0]\nCOMMIT\n"},
		{name: "policy-return", input: "*filter\n:INPUT RETURN [0:0]\nCOMMIT\n"},
		{name: "policy-on-user-chain", input: "*filter\n:MYCHAIN ACCEPT [0:0]\nCOMMIT\n"},
		{name: "policy-dash-builtin", input: "*filter\n:INPUT - [0:0]\nCOMMIT\n"},
		{name: "policy-no-counters", input: "*filter\n:INPUT DROP\nCOMMIT\n"},
		{name: "policy-no-counters-c", args: []string{"-c"}, input: "*filter\n:INPUT DROP\nCOMMIT\n"},
		{name: "policy-counters-c", args: []string{"-c"}, input: "*filter\n:INPUT DROP [123:456]\n:FORWARD ACCEPT [1:2]\nCOMMIT\n"},
		{name: "policy-counters-no-c", input: "*filter\n:INPUT DROP [123:456]\nCOMMIT\n"},
		{name: "chain-unknown-builtin-of-other-table", input: "*nat\n:FORWARD ACCEPT [0:0]\nCOMMIT\n"},
		{name: "chain-name-28", input: "*filter\n:" + strings.Repeat("c", 28) + " - [0:0]\nCOMMIT\n"},
		{name: "chain-name-29", input: "*filter\n:" + strings.Repeat("c", 29) + " - [0:0]\nCOMMIT\n"},
		{name: "chain-name-dash", input: "*filter\n:-bad - [0:0]\nCOMMIT\n"},
		{name: "chain-name-target", input: "*filter\n:ACCEPT - [0:0]\nCOMMIT\n"},
		{name: "chain-name-bang", input: "*filter\n:!x - [0:0]\nCOMMIT\n"},
		{name: "chain-twice", input: "*filter\n:DUP - [0:0]\n:DUP - [0:0]\nCOMMIT\n"},
		{name: "chain-existing-noflush", args: []string{"--noflush"}, input: "*filter\n:OLD - [0:0]\nCOMMIT\n"},
		{name: "chain-new-noflush", args: []string{"-n"}, input: "*filter\n:NEWC - [0:0]\n-A NEWC -j RETURN\nCOMMIT\n"},
		{name: "chain-extra-fields", input: "*filter\n:INPUT DROP [1:2] extra\nCOMMIT\n"},

		// Counters.
		{name: "bad-policy-counters", input: "*filter\n:INPUT ACCEPT [a:b]\nCOMMIT\n"},
		{name: "bad-policy-counters-c", args: []string{"-c"}, input: "*filter\n:INPUT ACCEPT [a:b]\nCOMMIT\n"},
		{name: "bad-policy-counters-open", args: []string{"-c"}, input: "*filter\n:INPUT ACCEPT [1:2\nCOMMIT\n"},
		{name: "bad-policy-counters-nobracket", args: []string{"-c"}, input: "*filter\n:INPUT ACCEPT 1:2\nCOMMIT\n"},
		{name: "policy-counters-negative", args: []string{"-c"}, input: "*filter\n:INPUT ACCEPT [-1:-2]\nCOMMIT\n"},
		{name: "policy-counters-overflow", args: []string{"-c"}, input: "*filter\n:INPUT ACCEPT [18446744073709551616:99999999999999999999]\nCOMMIT\n"},
		{name: "policy-counters-hex", args: []string{"-c"}, input: "*filter\n:INPUT ACCEPT [0x10:010]\nCOMMIT\n"},
		{name: "policy-counters-spaces", args: []string{"-c"}, input: "*filter\n:INPUT ACCEPT [ 1: 2]\nCOMMIT\n"},
		{name: "policy-counters-trailing", args: []string{"-c"}, input: "*filter\n:INPUT ACCEPT [1:2]x\nCOMMIT\n"},
		{name: "rule-counters-c", args: []string{"-c"}, input: "*filter\n[5:50] -A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "rule-counters-no-c", input: "*filter\n[5:50] -A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "rule-counters-no-space", args: []string{"-c"}, input: "*filter\n[5:50]-A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "rule-counters-no-close", args: []string{"-c"}, input: "*filter\n[5:50 -A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "rule-counters-no-colon", args: []string{"-c"}, input: "*filter\n[5] -A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "rule-counters-empty", args: []string{"-c"}, input: "*filter\n[] -A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "rule-counters-colon-only", args: []string{"-c"}, input: "*filter\n[:] -A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "rule-counters-letters", args: []string{"-c"}, input: "*filter\n[a:b] -A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "rule-counters-letters-no-c", input: "*filter\n[a:b] -A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "rule-counters-negative", args: []string{"-c"}, input: "*filter\n[-5:-6] -A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "rule-counters-huge", args: []string{"-c"}, input: "*filter\n[18446744073709551615:18446744073709551616] -A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "rule-counters-double-colon", args: []string{"-c"}, input: "*filter\n[::1:2] -A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "rule-counters-bracket-late", args: []string{"-c"}, input: "*filter\n[1:2 -A INPUT -m comment --comment ] -j ACCEPT\nCOMMIT\n"},
		{name: "rule-counters-only", args: []string{"-c"}, input: "*filter\n[1:2]\nCOMMIT\n"},
		// strtok's NULs cut the rule short.
		{name: "rule-counters-no-colon-port-range", input: "*filter\n[5] -A INPUT -p tcp --sport 1:2 -j DROP\nCOMMIT\n"},
		{name: "rule-counters-no-colon-port-range-c", args: []string{"-c"}, input: "*filter\n[5] -A INPUT -p tcp --sport 1:2 -j DROP\nCOMMIT\n"},
		{name: "rule-counters-late-bracket", input: "*filter\n[1:] -A INPUT -m comment --comment x]y -j ACCEPT\nCOMMIT\n"},
		{name: "rule-counters-open-late-brackets", input: "*filter\n[1:2 -A INPUT -m comment --comment ]] -j ACCEPT\nCOMMIT\n"},
		{name: "rule-set-counters-inline", args: []string{"-c"}, input: "*filter\n-A INPUT -c 9 99 -j ACCEPT\nCOMMIT\n"},
		{name: "rule-set-counters-inline-no-c", input: "*filter\n-A INPUT --set-counters 9 99 -j ACCEPT\nCOMMIT\n"},
		{name: "rule-counters-and-inline", args: []string{"-c"}, input: "*filter\n[1:2] -A INPUT -c 9 99 -j ACCEPT\nCOMMIT\n"},

		// Quoting.
		{name: "quote-unterminated", input: "*filter\n-A INPUT -m comment --comment \"abc -j ACCEPT\nCOMMIT\n"},
		{name: "quote-unterminated-eof", input: "*filter\n-A INPUT -m comment --comment \"abc"},
		{name: "quote-spaces", input: "*filter\n-A INPUT -m comment --comment \"a b  c\" -j ACCEPT\nCOMMIT\n"},
		{name: "quote-escaped", input: "*filter\n-A INPUT -m comment --comment \"say \\\"hi\\\" \\\\ ok\" -j ACCEPT\nCOMMIT\n"},
		{name: "quote-empty-word", input: "*filter\n-A INPUT -m comment --comment \"\" -j ACCEPT\nCOMMIT\n"},
		{name: "quote-mid-word", input: "*filter\n-A INPUT -m comment --comment ab\"c d\"e -j ACCEPT\nCOMMIT\n"},
		{name: "quote-single", input: "*filter\n-A INPUT -m comment --comment 'a b' -j ACCEPT\nCOMMIT\n"},
		{name: "quote-backslash-outside", input: "*filter\n-A INPUT -m comment --comment a\\ b -j ACCEPT\nCOMMIT\n"},
		{name: "quote-log-prefix", input: "*filter\n-A INPUT -j LOG --log-prefix \"IN drop: \"\nCOMMIT\n"},
		{name: "quote-comment-too-long", input: "*filter\n-A INPUT -m comment --comment \"" + strings.Repeat("x", 300) + "\" -j ACCEPT\nCOMMIT\n"},
		{name: "param-too-long", input: "*filter\n-A INPUT -m comment --comment " + strings.Repeat("y", 1100) + " -j ACCEPT\nCOMMIT\n"},
		{name: "param-1023", input: "*filter\n-A INPUT -m comment --comment " + strings.Repeat("y", 1023) + " -j ACCEPT\nCOMMIT\n"},
		{name: "too-many-args", input: "*filter\n-A INPUT" + strings.Repeat(" -m comment --comment x", 90) + " -j ACCEPT\nCOMMIT\n"},
		{name: "many-args-ok", input: "*filter\n-A INPUT" + strings.Repeat(" -m comment --comment x", 80) + " -j ACCEPT\nCOMMIT\n"},

		// Unknown chains, matches, targets.
		{name: "unknown-chain", input: "*filter\n-A NOPE -j ACCEPT\nCOMMIT\n"},
		{name: "unknown-chain-jump", input: "*filter\n-A INPUT -j NOPE\nCOMMIT\n"},
		{name: "unknown-chain-goto", input: "*filter\n-A INPUT -g NOPE\nCOMMIT\n"},
		{name: "unknown-match", input: "*filter\n-A INPUT -m nosuchmatch -j ACCEPT\nCOMMIT\n"},
		{name: "unknown-match-option", input: "*filter\n-A INPUT -m tcp --nosuch 1 -j ACCEPT\nCOMMIT\n"},
		{name: "unknown-option", input: "*filter\n-A INPUT --bogus -j ACCEPT\nCOMMIT\n"},
		{name: "unknown-target-lower", input: "*filter\n-A INPUT -j nosuchtarget\nCOMMIT\n"},
		{name: "target-wrong-table", input: "*filter\n-A INPUT -j MASQUERADE\nCOMMIT\n"},
		{name: "target-wrong-hook", input: "*nat\n-A PREROUTING -j SNAT --to-source 1.2.3.4\nCOMMIT\n"},
		{name: "bad-address", input: "*filter\n-A INPUT -s 999.1.1.1 -j ACCEPT\nCOMMIT\n"},
		{name: "bad-interface", input: "*filter\n-A INPUT -i " + strings.Repeat("e", 20) + " -j ACCEPT\nCOMMIT\n"},
		{name: "bad-proto", input: "*filter\n-A INPUT -p nosuchproto -j ACCEPT\nCOMMIT\n"},
		{name: "loop", input: "*filter\n:A - [0:0]\n:B - [0:0]\n-A A -j B\n-A B -j A\nCOMMIT\n"},
		{name: "delete-chain-in-use", input: "*filter\n:A - [0:0]\n-A INPUT -j A\n-X A\nCOMMIT\n"},
		{name: "error-second-table", input: goodFilter + "*nat\n-A POSTROUTING -j NOSUCH\nCOMMIT\n"},
		{name: "error-third-table", input: goodFilter + "*mangle\nCOMMIT\n*nat\n-A POSTROUTING -j NOSUCH\nCOMMIT\n"},

		// Rule commands other than -A.
		{name: "cmd-insert", input: "*filter\n-A INPUT -j DROP\n-I INPUT -j ACCEPT\n-I INPUT 2 -s 1.1.1.1 -j ACCEPT\nCOMMIT\n"},
		{name: "cmd-delete", args: []string{"-n"}, input: "*filter\n-D INPUT -i lo -j ACCEPT\nCOMMIT\n"},
		{name: "cmd-delete-missing", args: []string{"-n"}, input: "*filter\n-D INPUT -i nope -j ACCEPT\nCOMMIT\n"},
		{name: "cmd-delete-num", args: []string{"-n"}, input: "*filter\n-D INPUT 1\nCOMMIT\n"},
		{name: "cmd-replace", args: []string{"-n"}, input: "*filter\n-R INPUT 1 -j ACCEPT\nCOMMIT\n"},
		{name: "cmd-replace-out-of-range", args: []string{"-n"}, input: "*filter\n-R INPUT 9 -j ACCEPT\nCOMMIT\n"},
		{name: "cmd-new-chain", input: "*filter\n-N X\n-A X -j ACCEPT\nCOMMIT\n"},
		{name: "cmd-new-chain-exists", args: []string{"-n"}, input: "*filter\n-N OLD\nCOMMIT\n"},
		{name: "cmd-delete-chain", args: []string{"-n"}, input: "*filter\n-X KEEP\nCOMMIT\n"},
		{name: "cmd-flush-all", args: []string{"-n"}, input: "*filter\n-F\nCOMMIT\n"},
		{name: "cmd-flush-chain", args: []string{"-n"}, input: "*filter\n-F OLD\nCOMMIT\n"},
		{name: "cmd-zero", args: []string{"-n"}, input: "*filter\n-Z\nCOMMIT\n"},
		{name: "cmd-policy", input: "*filter\n-P FORWARD DROP\nCOMMIT\n"},
		{name: "cmd-rename", args: []string{"-n"}, input: "*filter\n-E KEEP KEPT\nCOMMIT\n"},
		{name: "cmd-list", args: []string{"-n"}, input: "*filter\n-L -n\nCOMMIT\n"},
		{name: "cmd-list-v", args: []string{"-n"}, input: "*filter\n-L INPUT -n -v -x --line-numbers\nCOMMIT\n"},
		{name: "cmd-list-rules", args: []string{"-n"}, input: "*filter\n-S\nCOMMIT\n"},
		{name: "cmd-check", args: []string{"-n"}, input: "*filter\n-C INPUT -i lo -j ACCEPT\nCOMMIT\n"},
		{name: "cmd-check-missing", args: []string{"-n"}, input: "*filter\n-C INPUT -i nope -j ACCEPT\nCOMMIT\n"},
		{name: "cmd-none", input: "*filter\n-s 1.2.3.4\nCOMMIT\n"},
		{name: "cmd-two", input: "*filter\n-A INPUT -D INPUT\nCOMMIT\n"},
		{name: "cmd-help", input: "*filter\n-h\nCOMMIT\n"},
		{name: "cmd-version", input: "*filter\n-V\nCOMMIT\n"},
		{name: "cmd-version-not", input: "*filter\n! -V\nCOMMIT\n"},
		{name: "cmd-help-icmp", input: "*filter\n-p icmp -h\nCOMMIT\n"},
		{name: "cmd-help-after-commit", input: goodFilter + "*nat\n-A POSTROUTING -j MASQUERADE\n-h\n-A POSTROUTING -j NOSUCH\nCOMMIT\n"},
		{name: "cmd-version-noflush", args: []string{"-n"}, input: "*filter\n-A INPUT -j DROP\n-V\nCOMMIT\n"},
		{name: "cmd-word", input: "*filter\nhello world\nCOMMIT\n"},
		{name: "cmd-ipv4-flag", input: "*filter\n-4 -A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "cmd-ipv6-flag", input: "*filter\n-6 -A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "cmd-wait-in-rule", input: "*filter\n-w -A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "cmd-verbose-in-rule", input: "*filter\n-A INPUT -v -j ACCEPT\nCOMMIT\n"},

		{name: "getopt-unknown-in-cluster", input: "*filter\n-A INPUT -p tcp -:m tcp --dport 22\nCOMMIT\n"},
		{name: "proto-non-ascii", input: "*filter\n-A INPUT -p tc\xffp -j ACCEPT\nCOMMIT\n"},
		{name: "proto-uppercase", input: "*filter\n-A INPUT -p TCP --dport 22 -j ACCEPT\nCOMMIT\n"},

		// -t inside a rule line.
		{name: "t-in-rule", input: "*filter\n-t nat -A POSTROUTING -j MASQUERADE\nCOMMIT\n"},
		{name: "t-in-rule-same", input: "*filter\n-t filter -A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "t-in-rule-after", input: "*filter\n-A INPUT -j ACCEPT -t filter\nCOMMIT\n"},
		{name: "table-long-in-rule", input: "*filter\n--table nat -A POSTROUTING -j MASQUERADE\nCOMMIT\n"},

		// -T.
		{name: "T-filter", args: []string{"-T", "filter"}, input: goodFilter + "*nat\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n"},
		{name: "T-nat", args: []string{"-T", "nat"}, input: goodFilter + "*nat\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n"},
		{name: "T-long", args: []string{"--table=nat"}, input: goodFilter + "*nat\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n"},
		{name: "T-absent", args: []string{"-T", "mangle"}, input: goodFilter},
		{name: "T-unknown", args: []string{"-T", "bogus"}, input: goodFilter},
		{name: "T-error-in-other", args: []string{"-T", "nat"}, input: "*filter\n-A INPUT -j NOSUCH\nCOMMIT\n*nat\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n"},
		{name: "T-error-in-other-commit-missing", args: []string{"-T", "nat"}, input: "*filter\n-A INPUT -j ACCEPT\n"},
		{name: "T-garbage-outside", args: []string{"-T", "filter"}, input: "garbage\n" + goodFilter},
		{name: "T-garbage-after-other", args: []string{"-T", "filter"}, input: "*nat\nCOMMIT\ngarbage\n" + goodFilter},
		{name: "T-missing-arg", args: []string{"-T"}, input: goodFilter},

		// --noflush, --test, -c, -v.
		{name: "noflush", args: []string{"--noflush"}, input: goodFilter},
		{name: "noflush-short", args: []string{"-n"}, input: "*filter\n-A OLD -j DROP\nCOMMIT\n"},
		{name: "noflush-error", args: []string{"-n"}, input: "*filter\n-A OLD -j DROP\n-A OLD -j NOSUCH\nCOMMIT\n"},
		{name: "noflush-verbose", args: []string{"-n", "-v"}, input: goodFilter},
		{name: "test-good", args: []string{"--test"}, input: goodFilter},
		{name: "test-short", args: []string{"-t"}, input: goodFilter},
		{name: "test-bad", args: []string{"--test"}, input: "*filter\n-A INPUT -j NOSUCH\nCOMMIT\n"},
		{name: "test-loop", args: []string{"--test"}, input: "*filter\n:A - [0:0]\n:B - [0:0]\n-A A -j B\n-A B -j A\nCOMMIT\n"},
		{name: "test-verbose", args: []string{"-t", "-v"}, input: goodFilter},
		{name: "counters", args: []string{"--counters"}, input: "*filter\n:INPUT ACCEPT [1:2]\n:X - [3:4]\n[5:6] -A INPUT -j X\n[7:8] -A X -j ACCEPT\nCOMMIT\n"},
		{name: "counters-short-file", args: []string{"-c"}, asFile: true, input: "*filter\n:INPUT ACCEPT [1:2]\n[5:6] -A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "verbose", args: []string{"-v"}, input: "# hello\n" + goodFilter + "# bye\n"},
		{name: "verbose-twice", args: []string{"-v", "-v"}, input: goodFilter},
		{name: "verbose-long", args: []string{"--verbose"}, input: "*nat\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n"},
		{name: "verbose-error", args: []string{"-v"}, input: "*filter\n-A INPUT -j ACCEPT\n-A INPUT -j NOSUCH\nCOMMIT\n"},
		{name: "verbose-counters", args: []string{"-v", "-c"}, input: "*filter\n[5:6] -A INPUT -s 10.0.0.0/8 -j ACCEPT\nCOMMIT\n"},

		// -w, -W, -M and other options.
		{name: "wait", args: []string{"-w"}, input: goodFilter},
		{name: "wait-secs", args: []string{"-w", "5"}, input: goodFilter},
		{name: "wait-eq", args: []string{"--wait=5"}, input: goodFilter},
		{name: "wait-attached", args: []string{"-w5"}, input: goodFilter},
		{name: "wait-bad", args: []string{"-w", "abc"}, input: goodFilter},
		{name: "wait-interval", args: []string{"-w", "1", "-W", "1000"}, input: goodFilter},
		{name: "wait-interval-alone", args: []string{"-W", "1000"}, input: goodFilter},
		{name: "wait-interval-too-long", args: []string{"-w", "-W", "1000000"}, input: goodFilter},
		{name: "wait-interval-bad", args: []string{"-w", "--wait-interval=x"}, input: goodFilter},
		{name: "wait-interval-missing", args: []string{"-w", "-W"}, input: goodFilter},
		{name: "modprobe", args: []string{"-M", "/bin/true"}, input: goodFilter},
		{name: "modprobe-missing-arg", args: []string{"-M"}, input: goodFilter},
		{name: "binary-option", args: []string{"-b"}, input: goodFilter},
		{name: "unknown-option-x", args: []string{"-x"}, input: goodFilter},
		{name: "unknown-long-option", args: []string{"--bogus"}, input: goodFilter},
		{name: "ambiguous-long-option", args: []string{"--wai"}, input: goodFilter},
		{name: "help", args: []string{"-h"}, input: goodFilter},
		{name: "version", args: []string{"-V"}, input: goodFilter},
		{name: "version-long", args: []string{"--version"}, input: goodFilter},
		{name: "file-missing", args: []string{"/nonexistent/rules"}, input: goodFilter},
		{name: "two-files", args: []string{"/dev/null", "/dev/null"}, input: goodFilter},
		{name: "file-directory", args: []string{"/"}, input: goodFilter},
		{name: "file-dev-null", args: []string{"/dev/null"}, input: goodFilter},
		{name: "option-after-file", args: []string{"/dev/null", "-c"}, input: goodFilter},
		{name: "double-dash", args: []string{"--", "-c"}, input: goodFilter},

		// The xtables lock, held by another process or not to be had.
		// (iptables-restore 1.8.9 waits for the lock even without -w;
		// 1.8.11, like goipt, fails at once.)
		{name: "lock-held", holdLock: 1500 * time.Millisecond, input: goodFilter},
		{name: "lock-held-second-table", holdLock: 1500 * time.Millisecond, input: "# only comments before\n\n" + goodFilter},
		{name: "lock-held-no-table", holdLock: 1500 * time.Millisecond, input: "# nothing to lock for\n"},
		{name: "lock-held-wait-1", holdLock: 3 * time.Second, args: []string{"-w", "1"}, input: goodFilter},
		{name: "lock-held-wait-released", holdLock: 500 * time.Millisecond, args: []string{"-w", "5"}, input: goodFilter},
		{name: "lock-held-wait-forever", holdLock: 500 * time.Millisecond, args: []string{"-w"}, input: goodFilter},
		{name: "lock-held-wait-interval", holdLock: 500 * time.Millisecond, args: []string{"--wait=5", "--wait-interval=100000"}, input: goodFilter},
		{name: "lock-held-test", holdLock: 1500 * time.Millisecond, args: []string{"--test"}, input: goodFilter},
		{name: "lock-file-unopenable", lockFile: "/nonexistent/dir/xtables.lock", input: goodFilter},
		{name: "lock-file-unopenable-no-table", lockFile: "/nonexistent/dir/xtables.lock", input: "# nothing\n"},

		// Long lines: fgets reads at most 10239 bytes at a time.
		{name: "long-line-rule", input: "*filter\n-A INPUT " + strings.Repeat(" ", 10300) + "-j ACCEPT\nCOMMIT\n"},
		{name: "long-line-exact", input: "*filter\n-A INPUT -j ACCEPT" + strings.Repeat(" ", 10239-len("-A INPUT -j ACCEPT")-1) + "\nCOMMIT\n"},
		{name: "long-line-exact-plus1", input: "*filter\n-A INPUT -j ACCEPT" + strings.Repeat(" ", 10239-len("-A INPUT -j ACCEPT")) + "\nCOMMIT\n"},
		{name: "long-line-comment", input: "#" + strings.Repeat("c", 10300) + "\n" + goodFilter},
		{name: "long-line-comment-verbose", args: []string{"-v"}, input: "#" + strings.Repeat("c", 12000) + "\n" + goodFilter},
		{name: "long-line-split-commit", input: "*filter\n#" + strings.Repeat("c", 10237) + "COMMIT\n"},
		{name: "long-line-split-table", input: "#" + strings.Repeat("c", 10237) + "*filter\n-A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "long-line-chain", input: "*filter\n:" + strings.Repeat("C", 11000) + " - [0:0]\nCOMMIT\n"},
		{name: "long-line-garbage", input: strings.Repeat("z", 30000) + "\n"},

		// NUL bytes and binary garbage.
		{name: "nul-line-outside", input: "\x00\n"},
		{name: "nul-line-in-table", input: "*filter\n\x00\nCOMMIT\n"},
		{name: "nul-in-rule", input: "*filter\n-A INPUT -j ACCEPT\x00 garbage\nCOMMIT\n"},
		{name: "nul-after-star", input: "*\x00filter\nCOMMIT\n"},
		{name: "nul-in-commit", input: "*filter\nCOMMIT\x00\n"},
		{name: "nul-then-comment", input: "*filter\n\x00# x\nCOMMIT\n"},
		{name: "high-bytes", input: "*filter\n-A INPUT -m comment --comment \xff\xfe\xc3\xa9 -j ACCEPT\nCOMMIT\n"},
		{name: "control-bytes", input: "*filter\n-A INPUT\x0b-j ACCEPT\nCOMMIT\n"},
		{name: "cr-only", input: "*filter\r-A INPUT -j ACCEPT\rCOMMIT\r"},
		{name: "utf8-bom", input: "\xef\xbb\xbf*filter\nCOMMIT\n"},

		// Leading blanks: only column 0 counts for '*', ':', '#' and COMMIT.
		{name: "space-before-table", input: " *filter\nCOMMIT\n"},
		{name: "space-before-chain", input: "*filter\n :INPUT DROP [0:0]\nCOMMIT\n"},
		{name: "tab-before-comment", input: "*filter\n\t# not a comment\nCOMMIT\n"},
		{name: "space-before-commit", input: "*filter\n-A INPUT -j ACCEPT\n COMMIT\n"},
		{name: "comment-after-rule", input: "*filter\n-A INPUT -j ACCEPT # trailing\nCOMMIT\n"},
		{name: "table-cr", input: "*filter\r\nCOMMIT\n"},
		{name: "chain-tabs", input: "*filter\n:NEW\t-\t[0:0]\n:INPUT\tDROP\t[1:2]\nCOMMIT\n"},
		{name: "policy-dash-builtin-c", args: []string{"-c"}, input: "*filter\n:INPUT - [1:2]\nCOMMIT\n"},
		{name: "user-chain-counters-c", args: []string{"-c"}, input: "*filter\n:NEW - [1:2]\nCOMMIT\n"},
		{name: "star-in-table-noflush", args: []string{"-n"}, input: "*filter\n*nat\n"},
		{name: "chain-line-outside-table", input: ":INPUT ACCEPT [0:0]\n"},
		{name: "commit-then-rule", input: "*filter\nCOMMIT\n-A INPUT -j ACCEPT\n"},
	}
	// Binary garbage: random bytes, alone and inside a table.
	rng := rand.New(rand.NewSource(6))
	for i := 0; i < 6; i++ {
		b := make([]byte, 64+rng.Intn(2000))
		rng.Read(b)
		cs = append(cs, dcase{name: fmt.Sprintf("garbage-%d", i), input: string(b)})
		cs = append(cs, dcase{name: fmt.Sprintf("garbage-in-table-%d", i), input: "*filter\n-A INPUT -j ACCEPT\n" + string(b) + "\nCOMMIT\n"})
	}
	// Printable garbage lines (more likely to reach deeper code).
	const alphabet = "*:-[]\"\\ \t\nACDEFIJLMNOPRSTXZabcdefgijlmnoprstuvwxyz0123456789!./,#"
	for i := 0; i < 8; i++ {
		b := make([]byte, 20+rng.Intn(300))
		for j := range b {
			b[j] = alphabet[rng.Intn(len(alphabet))]
		}
		cs = append(cs, dcase{name: fmt.Sprintf("printable-garbage-%d", i), input: "*filter\n" + string(b) + "\nCOMMIT\n"})
	}
	// Truncations of a real dump at every few bytes.
	dump := `*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:LOGDROP - [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -m comment --comment "ssh in" -j ACCEPT
-A INPUT -j LOGDROP
-A LOGDROP -m limit --limit 5/min -j LOG --log-prefix "drop: "
-A LOGDROP -j DROP
COMMIT
`
	for n := 9; n < len(dump); n += 23 {
		cs = append(cs, dcase{name: fmt.Sprintf("truncated-dump-%d", n), input: dump[:n]})
	}

	// IPv6.
	cs = append(cs,
		dcase{name: "v6-good", v6: true, input: "*filter\n:INPUT DROP [0:0]\n-A INPUT -s 2001:db8::1/128 -p ipv6-icmp -m icmp6 --icmpv6-type echo-request -j ACCEPT\nCOMMIT\n"},
		dcase{name: "v6-empty", v6: true, input: ""},
		dcase{name: "v6-missing-commit", v6: true, input: "*filter\n-A INPUT -j ACCEPT\n"},
		dcase{name: "v6-unknown-table", v6: true, input: "*nope\nCOMMIT\n"},
		dcase{name: "v6-bad-policy", v6: true, input: "*filter\n:INPUT MAYBE [0:0]\nCOMMIT\n"},
		dcase{name: "v6-bad-counters", v6: true, args: []string{"-c"}, input: "*filter\n[1:x] -A INPUT -j ACCEPT\nCOMMIT\n"},
		dcase{name: "v6-v4-address", v6: true, input: "*filter\n-A INPUT -s 10.0.0.1 -j ACCEPT\nCOMMIT\n"},
		dcase{name: "v6-icmp-v4", v6: true, input: "*filter\n-A INPUT -p icmp -m icmp --icmp-type 8 -j ACCEPT\nCOMMIT\n"},
		dcase{name: "v6-unknown-target", v6: true, input: "*filter\n-A INPUT -j NOPE\nCOMMIT\n"},
		dcase{name: "v6-unterminated-quote", v6: true, input: "*filter\n-A INPUT -m comment --comment \"x\nCOMMIT\n"},
		dcase{name: "v6-nested-table", v6: true, input: "*filter\n*mangle\nCOMMIT\n"},
		dcase{name: "v6-t-in-rule", v6: true, input: "*filter\n-t mangle -A INPUT -j ACCEPT\nCOMMIT\n"},
		dcase{name: "v6-T", v6: true, args: []string{"-T", "mangle"}, input: "*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*mangle\n-A INPUT -j ACCEPT\nCOMMIT\n"},
		dcase{name: "v6-noflush", v6: true, args: []string{"-n"}, input: "*filter\n-A OLD6 -j DROP\nCOMMIT\n"},
		dcase{name: "v6-test", v6: true, args: []string{"-t"}, input: "*filter\n-A INPUT -j DROP\nCOMMIT\n"},
		dcase{name: "v6-counters-verbose", v6: true, args: []string{"-c", "-v"}, input: "*filter\n:INPUT ACCEPT [9:9]\n[1:2] -A INPUT -j ACCEPT\nCOMMIT\n"},
		dcase{name: "v6-garbage", v6: true, input: "\x01\x02\x03*\xff\n:\x00\n"},
		dcase{name: "v6-long-line", v6: true, input: "*filter\n-A INPUT " + strings.Repeat("\t", 10500) + "-j ACCEPT\nCOMMIT\n"},
		dcase{name: "v6-rule-before-table", v6: true, input: "-A INPUT -j ACCEPT\n"},
		dcase{name: "v6-nat", v6: true, input: "*nat\n-A POSTROUTING -o eth0 -j MASQUERADE\n-A PREROUTING -p tcp -j DNAT --to-destination [2001:db8::1]:80\nCOMMIT\n"},
		dcase{name: "v6-wait", v6: true, args: []string{"-w", "2"}, input: "*filter\nCOMMIT\n"},
		dcase{name: "v6-ipv4-flag", v6: true, input: "*filter\n-4 -A INPUT -j ACCEPT\n-6 -A INPUT -j DROP\nCOMMIT\n"},
		dcase{name: "v6-ipv4-flag-bad", v6: true, input: "*filter\n-A INPUT -j NOSUCH -4\nCOMMIT\n"},
		dcase{name: "v4-ipv6-flag-late", input: "*filter\n-A INPUT -s 1.2.3.4 -6\nCOMMIT\n"},
		dcase{name: "v6-ipv4-flag-after-command", v6: true, input: "*filter\n:OLD - [0:0]\n-A OLD -j ACCEPT\n-N FOO -4\n-P INPUT DROP -4\n-F OLD -4\n-S -4\nCOMMIT\n"},
		dcase{name: "v4-ipv6-flag-after-command", input: "*filter\n-N FOO -6\n-X OLD -6\nCOMMIT\n"},
		dcase{name: "v6-help", v6: true, args: []string{"--help"}},
		dcase{name: "v6-version", v6: true, args: []string{"-V"}},
	)

	// An empty namespace: tables that do not exist yet.
	cs = append(cs,
		dcase{name: "nobase-empty", noBase: true, input: ""},
		dcase{name: "nobase-noflush", noBase: true, args: []string{"-n"}, input: "*filter\n-A INPUT -j ACCEPT\nCOMMIT\n"},
		dcase{name: "nobase-error", noBase: true, input: "*nat\n-A POSTROUTING -j NOSUCH\nCOMMIT\n"},
		dcase{name: "nobase-test", noBase: true, args: []string{"-t"}, input: "*raw\n-A PREROUTING -j CT --notrack\nCOMMIT\n"},
	)
	return cs
}

// TestDifferentialSave runs the save applets' options under goipt and the
// references.
func TestDifferentialSave(t *testing.T) {
	skipUnlessSystem(t)
	var cs []dcase
	for _, v6 := range []bool{false, true} {
		app := saveApplet(v6)
		p := app + "/"
		cs = append(cs,
			dcase{name: p + "plain", applet: app},
			dcase{name: p + "counters", applet: app, args: []string{"-c"}},
			dcase{name: p + "counters-long", applet: app, args: []string{"--counters"}},
			dcase{name: p + "table-filter", applet: app, args: []string{"-t", "filter"}},
			dcase{name: p + "table-long", applet: app, args: []string{"--table=filter", "-c"}},
			dcase{name: p + "table-unloaded", applet: app, args: []string{"-t", "mangle"}},
			dcase{name: p + "table-unknown", applet: app, args: []string{"-t", "nosuch"}},
			dcase{name: p + "table-missing-arg", applet: app, args: []string{"-t"}},
			dcase{name: p + "empty-ns", applet: app, noBase: true},
			dcase{name: p + "empty-ns-table", applet: app, noBase: true, args: []string{"-t", "raw"}},
			dcase{name: p + "modprobe", applet: app, args: []string{"-M", "/bin/true"}},
			dcase{name: p + "binary", applet: app, args: []string{"-b"}},
			dcase{name: p + "dump", applet: app, args: []string{"-d"}},
			dcase{name: p + "dump-long", applet: app, args: []string{"--dump", "extra"}},
			dcase{name: p + "version", applet: app, args: []string{"-V"}},
			dcase{name: p + "unknown-option", applet: app, args: []string{"-x"}},
			dcase{name: p + "unknown-long-option", applet: app, args: []string{"--nope"}},
			dcase{name: p + "extra-arg", applet: app, args: []string{"extra"}},
			dcase{name: p + "double-dash", applet: app, args: []string{"--"}},
			dcase{name: p + "double-dash-arg", applet: app, args: []string{"--", "x"}},
			dcase{name: p + "file", applet: app, args: []string{"-f", "@OUT@"}, readOut: true},
			dcase{name: p + "file-counters", applet: app, args: []string{"-c", "--file=@OUT@"}, readOut: true},
			dcase{name: p + "file-bad", applet: app, args: []string{"-f", "/nonexistent/dir/out"}},
			dcase{name: p + "lock-held", applet: app, holdLock: 1500 * time.Millisecond},
			dcase{name: p + "lock-file-unopenable", applet: app, lockFile: "/nonexistent/dir/xtables.lock"},
		)
	}
	for _, c := range cs {
		t.Run(c.name, func(t *testing.T) { differential(t, c) })
	}
}
