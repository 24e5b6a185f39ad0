// SPDX-License-Identifier: GPL-2.0-or-later

package nftcli

import (
	"fmt"
	"strings"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
)

// outcome is what a command line did: its exit status and output, and the
// kernel's ruleset afterwards.
type outcome struct {
	Code           int
	Stdout, Stderr string
	Ruleset        string
}

func (o outcome) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s--- ruleset\n%s", o.Code, o.Stdout, o.Stderr, o.Ruleset)
}

// A case is setup lines, then the command compared. A line is "APPLET
// ARGS..." for the multi-call binary being compared, "ref APPLET ARGS..."
// for iptables-nft 1.8.9 whichever is compared (what one writes, the other
// reads), "nft ARGS..." for nft(8), "sh SCRIPT" for bash.
type diffCase struct {
	setup []string
	cmd   string
}

// newer is what a case must do where goipt follows iptables 1.8.11 (why),
// and is not compared with 1.8.9: goipt must exit with code, and its
// outcome hold each of want; unless writes (goipt writes otherwise than
// 1.8.9), the kernel's ruleset must be the one 1.8.9 leaves.
type newer struct {
	why    string
	code   int
	want   []string
	writes bool
}

// run runs c in a fresh namespace with multi-call binary bin.
func run(t *testing.T, bin string, c diffCase) (o outcome) {
	netnstest.Run(t, func() {
		exec := func(line string) (string, string, int) {
			w := words(line)
			switch w[0] {
			case "ref":
				return netnstest.Exec(t, reference, w[1:]...)
			case "nft":
				return netnstest.Exec(t, "nft", w[1:]...)
			case "sh":
				return netnstest.Exec(t, "bash", "-c", strings.TrimPrefix(line, "sh "))
			}
			return netnstest.Exec(t, bin, w...)
		}
		for _, s := range c.setup {
			if _, stderr, code := exec(s); code != 0 {
				t.Fatalf("setup %q under %s: exit %d: %s", s, bin, code, stderr)
			}
		}
		o.Stdout, o.Stderr, o.Code = exec(c.cmd)
		o.Stdout, o.Stderr = normalize(o.Stdout), normalize(o.Stderr)
		out, errs, _ := netnstest.Exec(t, "nft", "--debug=netlink", "list", "ruleset")
		o.Ruleset = out + errs
	})
	return o
}

// check runs c under goipt and iptables-nft and fails unless they agree,
// or, where goipt follows 1.8.11 (n), unless goipt does as n says.
func check(t *testing.T, bin string, c diffCase, n *newer) {
	t.Helper()
	got, want := run(t, bin, c), run(t, reference, c)
	if n == nil {
		if got != want {
			t.Errorf("%q then %s\ngoipt:\n%s\niptables-nft 1.8.9:\n%s", c.setup, c.cmd, got, want)
		}
		return
	}
	ok := got.Code == n.code && (n.writes || got.Ruleset == want.Ruleset)
	for _, w := range n.want {
		ok = ok && strings.Contains(got.String(), w)
	}
	if !ok {
		t.Errorf("%q then %s (as 1.8.11: %s): want exit %d, %q, ruleset as 1.8.9's: %v\ngoipt:\n%s\niptables-nft 1.8.9:\n%s",
			c.setup, c.cmd, n.why, n.code, n.want, !n.writes, got, want)
	}
}

// families expands a case written for both families into one for each:
// IP is the applet (iptables, ip6tables), FAM nft's family (ip, ip6).
// newerCases are looked up by the case's command as written.
func families(cases []diffCase) (out []diffCase, ns []*newer) {
	for _, c := range cases {
		var n *newer
		if nc, ok := newerCases[c.cmd]; ok {
			n = &nc
		}
		all := append([]string{c.cmd}, c.setup...)
		joined := strings.Join(all, "\n")
		if !strings.Contains(joined, "IP ") && !strings.Contains(joined, "IP-") && !strings.Contains(joined, "FAM ") {
			out, ns = append(out, c), append(ns, n)
			continue
		}
		for _, fam := range []string{"iptables", "ip6tables"} {
			r := strings.NewReplacer("IP ", fam+" ", "IP-", fam+"-", "FAM ", map[string]string{"iptables": "ip ", "ip6tables": "ip6 "}[fam])
			d := diffCase{cmd: r.Replace(c.cmd)}
			for _, s := range c.setup {
				d.setup = append(d.setup, r.Replace(s))
			}
			out, ns = append(out, d), append(ns, n)
		}
	}
	return out, ns
}

func TestDiff(t *testing.T) {
	bin := goiptNFT(t)
	for _, group := range [][]diffCase{ruleCases, listCases, chainCases, tableCases, interopCases, badCases} {
		cases, ns := families(group)
		for i, c := range cases {
			t.Run(c.cmd, func(t *testing.T) { check(t, bin, c, ns[i]) })
		}
	}
}
