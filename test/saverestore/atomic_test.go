// SPDX-License-Identifier: GPL-2.0-or-later

package saverestore

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
)

// filterRules returns n valid rule lines for a filter table: rules in the
// built-in chains and in unreferenced user chains U0..U49 (declared in the
// returned header lines).
func filterRules(v6 bool, n int, seed int64) (header, rules []string) {
	g := &gen{r: rand.New(rand.NewSource(seed)), v6: v6}
	const chains = 50
	header = []string{":INPUT ACCEPT [0:0]", ":FORWARD DROP [0:0]", ":OUTPUT ACCEPT [0:0]"}
	for i := 0; i < chains; i++ {
		header = append(header, fmt.Sprintf(":U%d - [0:0]", i))
	}
	for len(rules) < n {
		if g.r.Intn(5) == 0 {
			bc := tableChains["filter"][g.r.Intn(3)]
			rules = append(rules, fmt.Sprintf("-A %s %s", bc, g.rule("filter", bc, true, nil)))
			continue
		}
		i := g.r.Intn(chains)
		var later []string
		for j := i + 1; j < chains; j++ {
			later = append(later, fmt.Sprintf("U%d", j))
		}
		rules = append(rules, fmt.Sprintf("-A U%d %s", i, g.rule("filter", "", false, later)))
	}
	return header, rules
}

// tableOf returns the dump of one table of one family from kernelState's
// output ("" when the table is not there).
func tableOf(state string, v6 bool, table string) string {
	fam := "# IPv4\n"
	if v6 {
		fam = "# IPv6\n"
	}
	i := strings.Index(state, fam)
	if i < 0 {
		return ""
	}
	s := state[i+len(fam):]
	if j := strings.Index(s, "# IPv"); j >= 0 {
		s = s[:j]
	}
	i = strings.Index(s, "*"+table+"\n")
	if i < 0 {
		return ""
	}
	s = s[i:]
	return s[:strings.Index(s, "COMMIT\n")+len("COMMIT\n")]
}

// TestAtomicRestore makes a restore of a 10,000-rule table fail at its
// first, middle or last line (in parsing, in libiptc, or in the kernel at
// COMMIT) and checks that the table is left exactly as it was, that tables
// committed before it stay as iptables-legacy leaves them, and that
// everything else (exit status, messages, the whole kernel state) is what
// the references give.
func TestAtomicRestore(t *testing.T) {
	skipUnlessSystem(t)
	const n = 10000
	type fail struct {
		name string
		line string // the bad line; "" for a loop found at COMMIT
	}
	fails := []fail{
		{"parse", "-A INPUT -p tcp --dport 22 -j NOSUCHTARGET"},
		{"libiptc", "-D INPUT -s 203.0.113.99 -j ACCEPT"},
		{"unknown-chain", "-A NOSUCHCHAIN -j ACCEPT"},
		{"bad-mask", "-A INPUT -s 10.0.0.1/33 -j ACCEPT"},
		{"insert-index", "-I INPUT 99999 -j ACCEPT"},
		{"counters", "[1:2 -A INPUT -j ACCEPT"},
		{"kernel", "-A INPUT -j MASQUERADE"}, // refused by the kernel at COMMIT
		{"loop", ""},
	}
	var cases []dcase
	for _, v6 := range []bool{false, true} {
		header, rules := filterRules(v6, n, 6)
		fam := "v4"
		if v6 {
			fam = "v6"
		}
		for _, f := range fails {
			if v6 && f.name == "kernel" {
				f.line = "-A INPUT -j SNAT --to-source 2001:db8::1"
			}
			for _, pos := range []string{"first", "middle", "last"} {
				rs := append([]string{}, rules...)
				bad := f.line
				if bad == "" {
					// A loop between two user chains reached from INPUT:
					// the kernel refuses the table at COMMIT (the last
					// line). The kernel only follows rules before the
					// first unconditional verdict of a chain: the loop
					// comes first.
					if pos != "first" {
						continue
					}
					rs = append([]string{"-A INPUT -j U0", "-A U0 -j U49", "-A U49 -j U0"}, rs...)
				} else {
					at := map[string]int{"first": 0, "middle": n / 2, "last": n}[pos]
					rs = append(rs[:at], append([]string{bad}, rs[at:]...)...)
				}
				filter := "*filter\n" + strings.Join(header, "\n") + "\n" + strings.Join(rs, "\n") + "\nCOMMIT\n"
				mangle := "*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j MARK --set-mark 7\nCOMMIT\n"
				nat := "*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth9 -j MASQUERADE\nCOMMIT\n"
				name := fmt.Sprintf("%s/%s/%s", fam, f.name, pos)
				cases = append(cases, dcase{name: name + "/after-mangle", v6: v6, input: mangle + filter + nat})
				if pos != "middle" {
					cases = append(cases, dcase{name: name + "/alone", v6: v6, input: filter})
				} else {
					cases = append(cases,
						dcase{name: name + "/noflush", v6: v6, args: []string{"--noflush"}, input: mangle + filter},
						dcase{name: name + "/counters", v6: v6, args: []string{"-c"}, input: mangle + filter},
					)
				}
			}
		}
		// The first line of the file is bad.
		cases = append(cases,
			dcase{name: fam + "/first-line-garbage", v6: v6, input: "garbage\n*filter\n" + strings.Join(header, "\n") + "\n" + strings.Join(rules, "\n") + "\nCOMMIT\n"},
			dcase{name: fam + "/first-line-unknown-table", v6: v6, input: "*nosuch\n" + strings.Join(rules, "\n") + "\nCOMMIT\n"},
			dcase{name: fam + "/last-line-missing-commit", v6: v6, input: "*filter\n" + strings.Join(header, "\n") + "\n" + strings.Join(rules, "\n") + "\n"},
		)
	}

	// The state the base ruleset leaves, to compare the failed tables with.
	var before string
	netnstest.Run(t, func() {
		mustRun(t, baseV4, legacy.cmd("iptables-restore", "-c"))
		mustRun(t, baseV6, legacy.cmd("ip6tables-restore", "-c"))
		before = kernelState(t)
	})

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := runCase(t, goipt(t), c)
			if g.code == 0 {
				t.Fatalf("goipt restored a file with a bad line: exit 0\n%s", g.stderr)
			}
			want := tableOf(before, c.v6, "filter")
			if got := tableOf(g.state, c.v6, "filter"); got != want {
				t.Errorf("the failed filter table changed: %s", firstDiff(got, want))
			}
			if strings.HasSuffix(c.name, "/after-mangle") {
				// nat comes after the failure: never read.
				if got, want := tableOf(g.state, c.v6, "nat"), tableOf(before, c.v6, "nat"); got != want {
					t.Errorf("nat (after the failed table) changed: %s", firstDiff(got, want))
				}
				// mangle was committed before the failure.
				if m := tableOf(g.state, c.v6, "mangle"); !strings.Contains(m, "--set-xmark 0x7/0xffffffff") {
					t.Errorf("mangle (committed before the failure) is not there:\n%s", m)
				}
			}
			// The other family is untouched.
			if got, want := tableOf(g.state, !c.v6, "filter"), tableOf(before, !c.v6, "filter"); got != want {
				t.Errorf("the other family changed: %s", firstDiff(got, want))
			}
			compareRefs(t, c, g)
		})
	}
}
