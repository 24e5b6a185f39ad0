// SPDX-License-Identifier: GPL-2.0-or-later

package reliability

import (
	"fmt"
	"strings"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/internal/testenv"
)

// A diffCase is a shell script run once with each binary, in a fresh
// namespace: $X is the multi-call binary (goipt, or iptables-legacy's
// xtables-legacy-multi), $LOCK the private lock file. setup runs first
// with iptables-legacy. What the script prints, its exit status and the
// tables afterwards must be the same for goipt as for one reference.
type diffCase struct {
	name   string
	setup  string // bash, with iptables-legacy
	script string // bash, with $X
	stdin  string
}

// outcome is what a case did.
type outcome struct {
	Code           int
	Stdout, Stderr string
	State          string // iptables-legacy-save -c of both families
	Changed        bool   // the state differs from the one after setup
}

func (o outcome) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s--- changed %v, state\n%s",
		o.Code, clip(o.Stdout), clip(o.Stderr), o.Changed, clip(o.State))
}

func clip(s string) string {
	if len(s) > 4000 {
		return s[:2000] + fmt.Sprintf("\n[... %d bytes ...]\n", len(s)-4000) + s[len(s)-2000:]
	}
	return s
}

// runCase runs c with binary bin in a fresh namespace.
func runCase(t *testing.T, bin string, c diffCase) (o outcome) {
	t.Helper()
	netnstest.Run(t, func() {
		if c.setup != "" {
			if _, stderr, code := sh(t, "", c.setup); code != 0 {
				t.Fatalf("setup: exit %d: %s", code, stderr)
			}
		}
		before := state(t)
		lock := lockFile()
		o.Stdout, o.Stderr, o.Code = sh(t, c.stdin, c.script, "X="+bin, "LOCK="+lock)
		norm := func(s string) string {
			return strings.ReplaceAll(testenv.HideSaveDates(testenv.HideVersions(s)), lock, "$LOCK")
		}
		o.Stdout, o.Stderr = norm(o.Stdout), norm(o.Stderr)
		o.State = state(t)
		o.Changed = o.State != before
	})
	return o
}

// checkCase runs c under goipt and the references; goipt's outcome must
// equal one reference's. It returns goipt's outcome.
func checkCase(t *testing.T, refs []string, c diffCase) outcome {
	t.Helper()
	got := runCase(t, testenv.SystemGoipt(t), c)
	testenv.MatchOneReference(t, c.script, got, refs, func(ref string) outcome { return runCase(t, ref, c) })
	return got
}

// checkCases runs every case as a subtest.
func checkCases(t *testing.T, cases []diffCase) {
	t.Helper()
	if ok, why := netnstest.Enabled(); !ok {
		t.Skip(why)
	}
	refs := references(t)
	for _, c := range cases {
		name := c.name
		if name == "" {
			name = c.script
		}
		t.Run(name, func(t *testing.T) { checkCase(t, refs, c) })
	}
}
