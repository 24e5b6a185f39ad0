// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
)

// complete runs `goipt __complete WORDS...` as the shells do and returns
// the candidates (without descriptions) and the directive.
func complete(t *testing.T, words ...string) ([]string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	if rc := Main(append([]string{"goipt", "__complete"}, words...), &out, &errb); rc != 0 {
		t.Fatalf("goipt __complete %q: exit %d: %s", words, rc, errb.String())
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, ":") {
		t.Fatalf("goipt __complete %q: no directive: %q", words, out.String())
	}
	directive := 0
	for _, c := range last[1:] {
		directive = directive*10 + int(c-'0')
	}
	var cands []string
	for _, l := range lines[:len(lines)-1] {
		name, _, _ := strings.Cut(l, "\t")
		cands = append(cands, name)
	}
	return cands, directive
}

// fakeChains makes the completion see these chains instead of the kernel's.
func fakeChains(t *testing.T, chains map[string][2][]string) {
	old := chainLister
	chainLister = func(fam ext.Family, table string) (builtin, user []string) {
		key := table
		if fam == ext.IPv6 {
			key = "6:" + table
		}
		c := chains[key]
		return c[0], c[1]
	}
	t.Cleanup(func() { chainLister = old })
}

func hasAll(got []string, want ...string) bool {
	for _, w := range want {
		if !slices.Contains(got, w) {
			return false
		}
	}
	return true
}

func hasNone(got []string, unwanted ...string) bool {
	for _, w := range unwanted {
		if slices.Contains(got, w) {
			return false
		}
	}
	return true
}

const (
	dirNoSpace    = 2
	dirNoFileComp = 4
)

// grammarCase is a completion: the words typed, the last one under the
// cursor, and what must (or must not) be offered.
type grammarCase struct {
	words  []string
	want   []string // all of these
	exact  bool     // and nothing else
	not    []string // none of these
	direct int      // the directive, when not 0
}

var grammarCases = []grammarCase{
	// Commands and options, short and long.
	{words: []string{"iptables", ""}, want: []string{"-A", "--append", "-t", "--table", "-L", "--line-numbers"}},
	{words: []string{"iptables", "--ap"}, want: []string{"--append"}, exact: true},
	{words: []string{"iptables", "-A", "INPUT", "-"}, want: []string{"-p", "-j", "-m", "--source"}, not: []string{"-A", "-N", "--append"}},
	{words: []string{"iptables", "-L", "-"}, want: []string{"-Z", "-n", "-v"}, not: []string{"-A", "-L"}},
	{words: []string{"ip6tables", "-"}, not: []string{"-f", "--fragments"}, want: []string{"-A"}},
	// Tables.
	{words: []string{"iptables", "-t", ""}, want: legacyTables, exact: true},
	{words: []string{"iptables", "--table", "n"}, want: []string{"nat"}, exact: true},
	{words: []string{"iptables", "-tn"}, want: []string{"-tnat"}, exact: true},
	{words: []string{"iptables", "--table=m"}, want: []string{"mangle"}, exact: true},
	{words: []string{"iptables-save", "-t", ""}, want: legacyTables, exact: true},
	{words: []string{"ip6tables-restore", "--table", "r"}, want: []string{"raw"}, exact: true},
	// Chains of the chosen table and family.
	{words: []string{"iptables", "-A", ""}, want: []string{"INPUT", "FORWARD", "OUTPUT", "MYCHAIN", "LOGDROP"}, exact: true},
	{words: []string{"iptables", "-A", "IN"}, want: []string{"INPUT"}, exact: true},
	{words: []string{"iptables", "-t", "nat", "-I", ""}, want: []string{"PREROUTING", "POSTROUTING", "NATCHAIN"}, not: []string{"MYCHAIN"}},
	{words: []string{"ip6tables", "-L", ""}, want: []string{"INPUT", "SIX"}, not: []string{"MYCHAIN"}},
	{words: []string{"iptables", "-S", ""}, want: []string{"INPUT", "MYCHAIN"}},
	{words: []string{"iptables", "-F", ""}, want: []string{"INPUT", "MYCHAIN"}},
	{words: []string{"iptables", "-Z", ""}, want: []string{"INPUT", "MYCHAIN"}},
	{words: []string{"iptables", "-C", ""}, want: []string{"INPUT", "MYCHAIN"}},
	{words: []string{"iptables", "-R", ""}, want: []string{"INPUT", "MYCHAIN"}},
	{words: []string{"iptables", "-X", ""}, want: []string{"MYCHAIN", "LOGDROP"}, exact: true},
	{words: []string{"iptables", "-E", ""}, want: []string{"MYCHAIN", "LOGDROP"}, exact: true},
	{words: []string{"iptables", "-E", "MYCHAIN", ""}, exact: true},
	{words: []string{"iptables", "-N", ""}, exact: true},
	{words: []string{"iptables", "-P", ""}, want: []string{"INPUT", "FORWARD", "OUTPUT"}, exact: true},
	{words: []string{"iptables", "-AMY"}, want: []string{"-AMYCHAIN"}, exact: true},
	{words: []string{"iptables", "--append=MY"}, want: []string{"MYCHAIN"}, exact: true},
	// Policies.
	{words: []string{"iptables", "-P", "INPUT", ""}, want: []string{"ACCEPT", "DROP"}, exact: true},
	// Targets: verdicts, plugins, user chains.
	{words: []string{"iptables", "-A", "INPUT", "-j", ""}, want: []string{"ACCEPT", "DROP", "RETURN", "QUEUE", "LOG", "REJECT", "MYCHAIN"}, not: []string{"INPUT", "standard"}},
	{words: []string{"iptables", "-t", "nat", "-A", "INPUT", "-j", ""}, want: []string{"DNAT", "SNAT", "NATCHAIN"}, not: []string{"MYCHAIN"}},
	{words: []string{"iptables", "-A", "INPUT", "-g", ""}, want: []string{"MYCHAIN", "LOGDROP"}, exact: true},
	// Matches and protocols.
	{words: []string{"iptables", "-m", ""}, want: []string{"conntrack", "tcp", "comment", "state"}, not: []string{"LOG", "standard"}},
	{words: []string{"iptables", "-m", "conn"}, want: []string{"conntrack", "connmark"}, not: []string{"tcp"}},
	{words: []string{"iptables", "-p", ""}, want: []string{"tcp", "udp", "icmp", "all"}},
	{words: []string{"ip6tables", "-p", ""}, want: []string{"tcp", "icmpv6"}, not: []string{"icmp"}},
	{words: []string{"iptables", "-p", "gre"}, want: []string{"gre"}},
	// Extension options, once loaded.
	{words: []string{"iptables", "-p", "tcp", "--dp"}, want: []string{"--dport"}},
	{words: []string{"iptables", "-p", "udp", "--"}, want: []string{"--sport", "--dport"}, not: []string{"--syn"}},
	{words: []string{"iptables", "--dp"}, not: []string{"--dport"}},
	{words: []string{"iptables", "-m", "conntrack", "--ct"}, want: []string{"--ctstate", "--ctstatus", "--ctproto"}},
	{words: []string{"iptables", "-j", "LOG", "--log-"}, want: []string{"--log-prefix", "--log-level"}},
	{words: []string{"iptables", "-p", "tcp", "-m", "multiport", "--dports", "22,80", "-j", "REJECT", "--"}, want: []string{"--reject-with", "--dports", "--syn"}},
	// Option values.
	{words: []string{"iptables", "-m", "conntrack", "--ctstate", ""}, want: []string{"NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED", "SNAT", "DNAT"}, exact: true, direct: dirNoFileComp | dirNoSpace},
	{words: []string{"iptables", "-m", "conntrack", "--ctstate", "NEW,E"}, want: []string{"NEW,ESTABLISHED"}, exact: true},
	{words: []string{"iptables", "-m", "conntrack", "!", "--ctstate", "IN"}, want: []string{"INVALID"}, exact: true},
	{words: []string{"iptables", "-m", "state", "--state", ""}, want: []string{"NEW", "ESTABLISHED"}, not: []string{"SNAT"}},
	{words: []string{"iptables", "-m", "conntrack", "--ctstate=RELATED,N"}, want: []string{"RELATED,NEW"}, exact: true},
	{words: []string{"iptables", "-p", "icmp", "--icmp-type", "echo"}, want: []string{"echo-reply", "echo-request"}, exact: true},
	{words: []string{"iptables", "-p", "icmp", "--icmp-type", "p"}, want: []string{"ping", "pong", "port-unreachable", "parameter-problem"}},
	{words: []string{"ip6tables", "-p", "icmpv6", "--icmpv6-type", "echo-req"}, want: []string{"echo-request"}, exact: true},
	{words: []string{"iptables", "-j", "REJECT", "--reject-with", "tcp"}, want: []string{"tcp-reset"}},
	{words: []string{"iptables", "-p", "tcp", "--tcp-flags", "SYN,A"}, want: []string{"SYN,ACK", "SYN,ALL"}, exact: true},
	{words: []string{"iptables", "-p", "tcp", "--tcp-flags", "SYN,ACK", "S"}, want: []string{"SYN"}, exact: true},
	{words: []string{"iptables", "-m", "addrtype", "--dst-type", "LOC"}, want: []string{"LOCAL"}, exact: true},
	{words: []string{"iptables", "-j", "LOG", "--log-level", "w"}, want: []string{"warning"}, exact: true},
	{words: []string{"iptables", "-i", ""}, want: []string{"lo"}},
	{words: []string{"iptables", "-o", "l"}, want: []string{"lo"}},
	{words: []string{"iptables", "-m", "physdev", "--physdev-in", "l"}, want: []string{"lo"}},
	// Arguments without completion.
	{words: []string{"iptables", "-s", ""}, exact: true},
	{words: []string{"iptables", "-A", "INPUT", "-c", "1", ""}, exact: true},
	{words: []string{"iptables", "-m", "comment", "--comment", ""}, exact: true},
	// Other applets.
	{words: []string{"iptables-save", "-"}, want: []string{"-c", "--counters", "-t", "--table"}},
	{words: []string{"iptables-restore", "--no"}, want: []string{"--noflush"}, exact: true},
	{words: []string{"iptables-restore", "--"}, want: []string{"--json", "--plan", "--table"}},
	{words: []string{"iptables-save", "--j"}, want: []string{"--json"}, exact: true},
	{words: []string{"iptables", "-L", "--j"}, want: []string{"--json", "--jump"}, exact: true},
	{words: []string{"iptables-xml", "--c"}, want: []string{"--combine"}, exact: true},
	{words: []string{"iptables-restore", ""}, exact: true, direct: -1},
	// Applet names.
	{words: []string{"ip"}, want: []string{"iptables", "ip6tables", "iptables-save", "iptables-restore", "iptables-xml"}},
}

func TestCompleteGrammar(t *testing.T) {
	fakeChains(t, map[string][2][]string{
		"filter":   {{"INPUT", "FORWARD", "OUTPUT"}, {"MYCHAIN", "LOGDROP"}},
		"nat":      {{"PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"}, {"NATCHAIN"}},
		"6:filter": {{"INPUT", "FORWARD", "OUTPUT"}, {"SIX"}},
	})
	for _, c := range grammarCases {
		got, dir := complete(t, c.words...)
		ok := hasAll(got, c.want...) && hasNone(got, c.not...)
		if c.exact && len(got) != len(c.want) {
			ok = false
		}
		switch {
		case c.direct > 0 && dir != c.direct, c.direct == -1 && dir != 0:
			ok = false
		}
		if !ok {
			t.Errorf("goipt __complete %q:\ngot  %q (directive %d)\nwant %q, not %q, exact %v", c.words, got, dir, c.want, c.not, c.exact)
		}
	}
}

func TestHelpValues(t *testing.T) {
	help := "icmp match options:\n[!] --icmp-type typename\tmatch icmp type\nValid ICMP Types:\nany\necho-reply (pong)\n" +
		"   network-unreachable\n\nafter\n"
	got := helpValues(help)
	want := [][2]string{{"any", ""}, {"echo-reply", ""}, {"pong", "alias of echo-reply"}, {"network-unreachable", ""}}
	if !slices.Equal(got, want) {
		t.Errorf("helpValues: %q, want %q", got, want)
	}
	reject := "Valid reject types:\n    icmp-net-unreachable     \tICMP network unreachable\n    net-unreach              \talias\n"
	got = helpValues(reject)
	want = [][2]string{{"icmp-net-unreachable", "ICMP network unreachable"}, {"net-unreach", "alias"}}
	if !slices.Equal(got, want) {
		t.Errorf("helpValues: %q, want %q", got, want)
	}
}

// TestCompleteKernelChains reads the chains from the kernel, in a network
// namespace where the test made them, with each backend the plain names
// may have.
func TestCompleteKernelChains(t *testing.T) {
	for _, be := range []backend.Backend{Legacy, NFT} {
		t.Run(be.Name(), func(t *testing.T) { completeKernelChains(t, be) })
	}
}

func completeKernelChains(t *testing.T, be backend.Backend) {
	t.Setenv(BackendEnv, map[string]string{"legacy": "legacy", "nf_tables": "nft"}[be.Name()])
	netnstest.Run(t, func() {
		mk := func(fam ext.Family, table string, chains ...string) {
			h, err := be.Open(fam, table)
			if err != nil {
				t.Fatalf("%v %s: %v", fam, table, err)
			}
			for _, c := range chains {
				if err := h.CreateChain(c); err != nil {
					t.Fatalf("create %s: %v", c, err)
				}
			}
			if err := h.Commit(); err != nil {
				t.Fatalf("commit %s: %v", table, err)
			}
			h.Close()
		}
		mk(ext.IPv4, "filter", "MYCHAIN", "OTHER")
		mk(ext.IPv4, "nat", "NATCHAIN")
		mk(ext.IPv6, "filter", "SIXCHAIN")
		mk(ext.IPv6, "mangle", "SIXMANGLE")

		check := func(want []string, words ...string) {
			t.Helper()
			got, _ := complete(t, words...)
			if !slices.Equal(got, want) {
				t.Errorf("goipt __complete %q: %q, want %q", words, got, want)
			}
		}
		check([]string{"INPUT", "FORWARD", "OUTPUT", "MYCHAIN", "OTHER"}, "iptables", "-t", "filter", "-A", "")
		check([]string{"INPUT", "FORWARD", "OUTPUT", "MYCHAIN", "OTHER"}, "iptables", "-A", "")
		check([]string{"MYCHAIN"}, "iptables", "-I", "MY")
		check([]string{"PREROUTING", "INPUT", "OUTPUT", "POSTROUTING", "NATCHAIN"}, "iptables", "-t", "nat", "-L", "")
		check([]string{"NATCHAIN"}, "iptables", "-t", "nat", "-X", "")
		check([]string{"INPUT", "FORWARD", "OUTPUT"}, "iptables", "-P", "")
		check([]string{"MYCHAIN", "OTHER"}, "iptables", "-A", "INPUT", "-g", "")
		check([]string{"MYCHAIN"}, "iptables", "-A", "INPUT", "-j", "MY")
		check([]string{"INPUT", "FORWARD", "OUTPUT", "SIXCHAIN"}, "ip6tables", "-D", "")
		check([]string{"SIXMANGLE"}, "ip6tables", "--table=mangle", "-E", "")
		check([]string{"INPUT", "FORWARD", "OUTPUT", "MYCHAIN", "OTHER"}, "iptables", "-Z", "")
		check([]string{"lo"}, "iptables", "-i", "")
	})
}
