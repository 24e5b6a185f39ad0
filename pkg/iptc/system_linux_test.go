// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"strings"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
)

// save returns iptables-legacy-save's (or ip6tables-legacy-save's) rules
// of table, without comments and counters, as "-A ..." and ":CHAIN POLICY"
// lines.
func save(t *testing.T, fam Family, table string) []string {
	t.Helper()
	cmd := "iptables-legacy-save"
	if fam == IPv6 {
		cmd = "ip6tables-legacy-save"
	}
	out, stderr, code := netnstest.Exec(t, cmd, "-t", table)
	if code != 0 {
		t.Fatalf("%s: exit %d: %s", cmd, code, stderr)
	}
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(l, "-A "):
			lines = append(lines, l)
		case strings.HasPrefix(l, ":"):
			if i := strings.Index(l, " ["); i >= 0 {
				l = l[:i]
			}
			lines = append(lines, l)
		}
	}
	return lines
}

func wantLines(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func mustOpen(t *testing.T, fam Family, name string, opts *Options) *Table {
	t.Helper()
	tb, err := Open(fam, name, opts)
	if err != nil {
		t.Fatalf("Open(%v, %s): %v", fam, name, err)
	}
	t.Cleanup(func() { tb.Close() })
	return tb
}

func TestSystemSmoke(t *testing.T) {
	netnstest.Run(t, func() {
		tb := mustOpen(t, IPv4, Filter, nil)
		c, err := tb.CreateChain("test")
		if err != nil {
			t.Fatal(err)
		}
		r := NewRule()
		r.Protocol = "tcp"
		r.CreateMatch("tcp").Set("dport", "22")
		r.CreateMatch("comment").Set("comment", "a b")
		r.CreateTarget("ACCEPT")
		if err := c.AppendRule(r); err != nil {
			t.Fatal(err)
		}
		j := NewRule()
		j.CreateTarget("test")
		if err := tb.Chain("INPUT").AppendRule(j); err != nil {
			t.Fatal(err)
		}
		wantLines(t, save(t, IPv4, Filter), ":INPUT ACCEPT", ":FORWARD ACCEPT", ":OUTPUT ACCEPT")
		if err := tb.Commit(); err != nil {
			t.Fatal(err)
		}
		wantLines(t, save(t, IPv4, Filter), ":INPUT ACCEPT", ":FORWARD ACCEPT", ":OUTPUT ACCEPT", ":test -",
			"-A INPUT -j test",
			`-A test -p tcp -m tcp --dport 22 -m comment --comment "a b" -j ACCEPT`)
		rules, err := c.Rules()
		if err != nil {
			t.Fatal(err)
		}
		if len(rules) != 1 || rules[0].Spec() != `-p tcp -m tcp --dport 22 -m comment --comment "a b" -j ACCEPT` {
			t.Fatalf("rules: %v", rules)
		}
		// A rule read from the kernel keeps its entry, which decodes to it.
		if again, err := Decode(IPv4, rules[0].Entry(), "ACCEPT"); err != nil || again.Spec() != rules[0].Spec() {
			t.Errorf("Entry() decodes to %v, %v", again, err)
		}
		if NewRule().Entry() != nil {
			t.Error("a new rule has an entry")
		}
		if c.Table() != tb || tb.Family() != IPv4 || tb.Name() != Filter || tb.Options() != (Options{}) {
			t.Errorf("Table() %p (want %p), Family %v, Name %s, Options %+v", c.Table(), tb, tb.Family(), tb.Name(), tb.Options())
		}
	})
}
