// SPDX-License-Identifier: GPL-2.0-or-later

package reliability

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/internal/testenv"
)

// baseline is the ruleset the fault tests start from (a script run in the
// test's namespace): user chains, policies and counters in both families.
const baseline = `iptables-legacy-restore -c <<'RULES4'
*filter
:INPUT DROP [11:2222]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [33:4444]
:svc - [0:0]
[5:500] -A INPUT -i lo -j ACCEPT
[6:600] -A INPUT -p tcp -m tcp --dport 22 -j svc
[7:700] -A svc -s 10.0.0.0/8 -m comment --comment "ssh from lan" -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
[1:100] -A POSTROUTING -o eth0 -j MASQUERADE
COMMIT
RULES4
ip6tables-legacy-restore -c <<'RULES6'
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
[9:900] -A INPUT -p ipv6-icmp -j ACCEPT
COMMIT
RULES6`

// bigRestore is a restore file of one filter table with n rules in a new
// chain; bad, when not empty, replaces the rule line at (0 is the first
// rule).
func bigRestore(n, at int, bad string) string {
	var b strings.Builder
	b.WriteString("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:new - [0:0]\n")
	for i := 0; i < n; i++ {
		if bad != "" && i == at {
			b.WriteString(bad + "\n")
			continue
		}
		fmt.Fprintf(&b, "-A new -s 10.%d.%d.%d/32 -p tcp -m tcp --dport %d -m comment --comment \"rule %d\" -j ACCEPT\n",
			i>>16&255, i>>8&255, i&255, i%65535+1, i)
	}
	b.WriteString("COMMIT\n")
	return b.String()
}

// TestRestoreFailureChangesNothing: a restore of 10,000 rules that fails
// at its first, a middle or its last line, or at COMMIT, leaves the
// kernel's tables exactly as they were (counters included), with
// iptables-legacy-restore's message and exit status.
func TestRestoreFailureChangesNothing(t *testing.T) {
	const n = 10000
	good := bigRestore(n, 0, "")
	cases := []diffCase{
		{name: "bad table on the first line", stdin: strings.Replace(good, "*filter", "*filtre", 1)},
		{name: "bad first rule", stdin: bigRestore(n, 0, "-A new -p tcp --dport 99999 -j ACCEPT")},
		{name: "bad middle rule", stdin: bigRestore(n, n/2, "-A new -m nosuchmatch -j ACCEPT")},
		{name: "rule in a missing chain", stdin: bigRestore(n, n/2, "-A nosuchchain -j ACCEPT")},
		{name: "bad last rule", stdin: bigRestore(n, n-1, "-A new -j NOSUCHTARGET")},
		{name: "kernel refuses the commit", stdin: bigRestore(n, n-1, "-A new -j MASQUERADE")},
		{name: "no COMMIT", stdin: strings.TrimSuffix(good, "COMMIT\n")},
		{name: "bad policy", stdin: strings.Replace(good, ":FORWARD DROP", ":FORWARD BOGUS", 1)},
		{name: "noflush, bad middle rule", stdin: bigRestore(n, n/2, "-A new -s 1.2.3.4/33 -j ACCEPT"),
			script: "$X iptables-restore --noflush"},
		{name: "counters, bad last rule", script: "$X iptables-restore -c",
			stdin: strings.Replace(bigRestore(n, n-1, "[1:x] -A new -j ACCEPT"), "-A new", "[1:2] -A new", 1)},
		{name: "ip6tables, bad middle rule", script: "$X ip6tables-restore",
			stdin: strings.ReplaceAll(bigRestore(n, n/2, "-A new -s 1.2.3.4 -j ACCEPT"), "-s 10.", "-s 2001:db8::10.")},
	}
	for i := range cases {
		cases[i].setup = baseline
		if cases[i].script == "" {
			cases[i].script = "$X iptables-restore"
		}
	}
	if ok, why := netnstest.Enabled(); !ok {
		t.Skip(why)
	}
	refs := references(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := checkCase(t, refs, c)
			if got.Code == 0 || got.Changed {
				t.Errorf("goipt: exit %d, tables changed: %v", got.Code, got.Changed)
			}
		})
	}
	// The same file without the error does change the tables, alike.
	t.Run("good", func(t *testing.T) {
		got := checkCase(t, refs, diffCase{setup: baseline, script: "$X iptables-restore", stdin: good})
		if got.Code != 0 || !got.Changed || strings.Count(got.State, "-A new ") != n {
			t.Errorf("goipt: exit %d, changed %v, %d rules", got.Code, got.Changed, strings.Count(got.State, "-A new "))
		}
	})
	// Two tables: the first is committed before the second fails, as
	// iptables-restore does.
	t.Run("second table fails", func(t *testing.T) {
		checkCase(t, refs, diffCase{setup: baseline, script: "$X iptables-restore",
			stdin: good + "*nat\n-A POSTROUTING -j NOSUCHTARGET\nCOMMIT\n"})
	})
}

// TestMissingTableOrExtension: a table the kernel does not have, a match
// or target no plugin has, one whose kernel module is missing (xt_ipvs),
// or no plugins at all: iptables-legacy's messages and exit status, and no
// change.
func TestMissingTableOrExtension(t *testing.T) {
	empty := t.TempDir()
	os.Chmod(empty, 0o755)
	cases := []diffCase{
		{script: "$X iptables -t nosuchtable -A INPUT -j ACCEPT"},
		{script: "$X ip6tables -t nosuchtable -L"},
		{script: "$X iptables-save -t nosuchtable"},
		{script: "$X iptables-restore <<< $'*nosuchtable\\nCOMMIT'"},
		{script: "$X iptables -A INPUT -m nosuchmatch -j ACCEPT"},
		{script: "$X iptables -A INPUT -j NOSUCHTARGET"},
		{script: "$X iptables -A INPUT -p tcp -m nosuch --dport 22 -j ACCEPT"},
		{script: "$X iptables -A INPUT -m ipvs --ipvs -j ACCEPT"},
		{script: "$X ip6tables -A INPUT -m ipvs --vproto tcp -j ACCEPT"},
		{script: "$X iptables-restore <<< $'*filter\\n-A INPUT -j ACCEPT\\n-A INPUT -m ipvs --ipvs -j ACCEPT\\nCOMMIT'"},
		{script: "XTABLES_LIBDIR=" + empty + " $X iptables -A INPUT -p tcp --dport 22 -j ACCEPT"},
		{script: "XTABLES_LIBDIR=" + empty + " $X iptables -A INPUT -j ACCEPT"},
		{script: "XTABLES_LIBDIR=" + empty + " $X iptables-restore <<< $'*filter\\n-A INPUT -j LOG\\nCOMMIT'"},
		{script: "XTABLES_LIBDIR=/nonexistent $X ip6tables -A INPUT -j ACCEPT"},
		// Saving a rule whose match has no plugin: iptables prints
		// "Can't find library for match `comment'" bare and exits 1.
		{script: "XTABLES_LIBDIR=" + empty + " $X iptables-save -t filter"},
		{script: "XTABLES_LIBDIR=" + empty + " $X iptables -S svc"},
	}
	for i := range cases {
		cases[i].setup = baseline
	}
	checkCases(t, cases)
}

// asNobody runs the rest of the line as user nobody, without
// capabilities: no CAP_NET_ADMIN.
const asNobody = "setpriv --reuid=65534 --regid=65534 --clear-groups "

// TestNoCapNetAdmin: goipt run by an unprivileged user fails as
// iptables-legacy does and changes nothing. The lock file is readable by
// the user, so that the missing capability is what fails.
func TestNoCapNetAdmin(t *testing.T) {
	pre := "chmod 644 $LOCK; " + asNobody
	var cases []diffCase
	for _, cmd := range []string{
		"$X iptables -A INPUT -j ACCEPT",
		"$X iptables -L -n",
		"$X iptables -S",
		"$X ip6tables -N newchain",
		"$X iptables -t nat -F",
		"$X iptables -P INPUT ACCEPT",
		"$X iptables-save",
		"$X ip6tables-save -t filter",
		"$X iptables-restore <<< $'*filter\\nCOMMIT'",
		"$X iptables-restore --test <<< $'*filter\\n-A INPUT -j ACCEPT\\nCOMMIT'",
		"$X ip6tables-restore --noflush <<< $'*filter\\n-A INPUT -j DROP\\nCOMMIT'",
		"$X iptables -V",
		"$X iptables -A INPUT -p tcp --dport 99999 -j ACCEPT",
	} {
		cases = append(cases, diffCase{setup: baseline, script: pre + cmd})
	}
	checkCases(t, cases)
}

// TestLockFileProblems: a lock file the user cannot open, a lock path
// that is a directory or in a missing directory, and a read-only /run
// (the default lock's directory, in a mount namespace of the command's
// own): iptables' "Fatal: can't open lock file" and exit status 4, no
// change.
func TestLockFileProblems(t *testing.T) {
	cmds := []string{
		"$X iptables -A INPUT -j ACCEPT",
		"$X ip6tables -L",
		"$X iptables-restore <<< $'*filter\\n-A INPUT -j DROP\\nCOMMIT'",
		"$X iptables-save",
	}
	var cases []diffCase
	for _, cmd := range cmds {
		cases = append(cases,
			diffCase{name: "unreadable/" + cmd, script: "chmod 600 $LOCK; " + asNobody + cmd},
			diffCase{name: "directory/" + cmd, script: "rm -f $LOCK; mkdir $LOCK; " + cmd},
			diffCase{name: "missing directory/" + cmd, script: "XTABLES_LOCKFILE=$LOCK.d/none/lock " + cmd},
			diffCase{name: "read-only run/" + cmd, script: `unshare --mount --propagation private -- bash -c 'mount -t tmpfs -o ro tmpfs /run && unset XTABLES_LOCKFILE && ` + cmd + `'`},
		)
	}
	for i := range cases {
		cases[i].setup = baseline
	}
	checkCases(t, cases)
}

// TestKillDuringRestore: goipt iptables-restore killed (SIGKILL) at any
// moment of a big restore leaves the old table or the new one, never a mix,
// and no lock behind: the next command gets the lock at once.
func TestKillDuringRestore(t *testing.T) {
	goipt := testenv.SystemGoipt(t)
	netnstest.Run(t, func() {
		if _, stderr, code := sh(t, "", baseline); code != 0 {
			t.Fatal(stderr)
		}
		oldState := state(t)
		file := filepath.Join(t.TempDir(), "big")
		if err := os.WriteFile(file, []byte(bigRestore(30000, 0, "")), 0o644); err != nil {
			t.Fatal(err)
		}
		restore := func() *proc {
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			return start(t, f, goipt, "iptables-restore")
		}
		// How long a whole restore takes, and what it leaves.
		t0 := time.Now()
		if code := restore().wait(t, time.Minute); code != 0 {
			t.Fatalf("restore: exit %d", code)
		}
		whole := time.Since(t0)
		newState := state(t)
		sh(t, "", baseline)
		const kills = 12
		var sawOld, sawNew, heldAtKill int
		for k := 0; k < kills; k++ {
			p := restore()
			time.Sleep(whole * time.Duration(k+1) / kills)
			if lockHeld(t) {
				heldAtKill++
			}
			p.cmd.Process.Signal(syscall.SIGKILL)
			code := p.wait(t, time.Minute)
			switch s := state(t); s {
			case oldState:
				sawOld++
			case newState:
				sawNew++
			default:
				t.Fatalf("kill %d (exit %d) left a table that is neither the old nor the new one:\n%s", k, code, clip(s))
			}
			// No stale lock: without -w, this must not fail.
			if out, stderr, code := netnstest.Exec(t, goipt, "iptables", "-N", "probe"); code != 0 {
				t.Fatalf("after kill %d: goipt iptables -N: exit %d: %s%s", k, code, out, stderr)
			}
			if _, stderr, code := sh(t, "", baseline); code != 0 {
				t.Fatal(stderr)
			}
		}
		t.Logf("%d kills in a %v restore: %d left the old table, %d the new one; the lock was held at %d of them",
			kills, whole.Round(time.Millisecond), sawOld, sawNew, heldAtKill)
		if sawOld == 0 || heldAtKill == 0 {
			t.Errorf("no kill landed in the middle of the restore: the test proves nothing")
		}
	})
}
