// SPDX-License-Identifier: GPL-2.0-or-later

// Package saverestore holds system tests of goipt's iptables-save and
// iptables-restore (both families) against iptables-legacy 1.8.9 (the
// system's) and, when it is built, iptables 1.8.11 legacy.
//
// Every command that touches netfilter runs in a throwaway network namespace
// made by internal/netnstest; the tests skip unless they run as root with
// GOIPT_SYSTEM_TESTS=1 (as `make test` does).
//
// Environment:
//
//	GOIPT_REF1811  iptables 1.8.11's xtables-legacy-multi (default: the
//	               build of `make reference` in the user's cache); without
//	               it, a comparison goipt fails against 1.8.9 alone skips
//	GOIPT_CONFORMANCE  the conformance kit (default ../shared/conformance
//	               beside the repository)
//	GOIPT_BIN      a goipt binary to test instead of building ./cmd/goipt
package saverestore

import (
	"fmt"
	"strings"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/internal/testenv"
)

// tool is one implementation of the save/restore applets, as a command
// prefix per applet.
type tool struct {
	name  string
	multi []string // the multi-call prefix: applet names follow it
}

func (tl tool) cmd(applet string, args ...string) []string {
	c := append(append([]string{}, tl.multi...), applet)
	return append(c, args...)
}

func TestMain(m *testing.M) { testenv.Main(m) }

// goipt returns the goipt tool (testenv.Goipt: $GOIPT_BIN or a build).
func goipt(t testing.TB) tool {
	t.Helper()
	return tool{name: "goipt", multi: []string{testenv.Goipt(t)}}
}

// legacy is the system's iptables-legacy 1.8.9.
var legacy = tool{name: "1.8.9", multi: []string{testenv.Legacy}}

// references lists the reference implementations available: legacy, and
// iptables 1.8.11 when it is built.
func references() []tool {
	refs := []tool{legacy}
	if p, ok := testenv.Ref1811(); ok {
		refs = append(refs, tool{name: "1.8.11", multi: []string{p}})
	}
	return refs
}

// skipUnlessSystem skips t unless system tests may run (before any
// expensive setup).
func skipUnlessSystem(t testing.TB) {
	t.Helper()
	if ok, why := netnstest.Enabled(); !ok {
		t.Skip(why)
	}
}

// exec runs argv inside the current namespace with stdin.
func run(t testing.TB, stdin string, argv []string) (stdout, stderr string, code int) {
	t.Helper()
	return netnstest.ExecInput(t, stdin, argv[0], argv[1:]...)
}

// mustRun runs argv and fails the test when it does not exit 0.
func mustRun(t testing.TB, stdin string, argv []string) string {
	t.Helper()
	out, errs, code := run(t, stdin, argv)
	if code != 0 {
		t.Fatalf("%s: exit %d\nstderr: %s", strings.Join(argv, " "), code, errs)
	}
	return out
}

// kernelState is the namespace's rulesets of both families as
// iptables-legacy-save -c prints them, without the comment lines.
func kernelState(t testing.TB) string {
	t.Helper()
	v4 := mustRun(t, "", legacy.cmd("iptables-save", "-c"))
	v6 := mustRun(t, "", legacy.cmd("ip6tables-save", "-c"))
	return "# IPv4\n" + testenv.StripComments(v4) + "# IPv6\n" + testenv.StripComments(v6)
}

// saveOf is applet save (iptables-save or ip6tables-save) of tl with args,
// comment lines dropped; it fails the test on a nonzero exit.
func saveOf(t testing.TB, tl tool, applet string, args ...string) string {
	t.Helper()
	return testenv.StripComments(mustRun(t, "", tl.cmd(applet, args...)))
}

// restoreApplet and saveApplet name the applets of a family.
func restoreApplet(v6 bool) string {
	if v6 {
		return "ip6tables-restore"
	}
	return "iptables-restore"
}

func saveApplet(v6 bool) string {
	if v6 {
		return "ip6tables-save"
	}
	return "iptables-save"
}

// firstDiff describes where a and b first differ, line by line.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		} else {
			x = "<EOF>"
		}
		if i < len(bl) {
			y = bl[i]
		} else {
			y = "<EOF>"
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  got:  %q\n  want: %q", i+1, clip(x), clip(y))
		}
	}
	return "equal"
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}
