// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goipt/goipt/pkg/ext"
)

// corpusRule is a rule of the conformance vectors (or of extraRules).
type corpusRule struct {
	Src    string // file:line
	Fam    ext.Family
	Table  string
	Chain  string
	Args   []string // after -A CHAIN
	Expect string   // the vector's expectation: OK, FAIL, NOMATCH
}

// vectorsDir is the conformance kit's copy of iptables' extension tests.
const vectorsDir = "/work/shared/conformance/vectors"

// userChain is a user chain every corpus table has, for jumps and gotos.
const userChain = "UC"

// extraRules cover what the vectors lack: jumps and gotos to a user
// chain, ranges and masks the vectors do not write.
var extraRules = []string{
	"-j UC", "-g UC", "-p tcp --dport 80 -j UC", "! -s 10.1.0.0/16 -g UC",
	"-s 10.0.0.0/255.0.255.0 -d 192.168.0.0/16 -j ACCEPT",
	"-i eth+ -o ppp0 -p tcp --sport 1:1023 ! --dport 22 -j DROP",
	"-p udp --sport 53 --dport 53 -j ACCEPT", "-p udp ! --sport 53 ! --dport 53",
	"-p tcp --tcp-flags SYN,ACK SYN -m conntrack --ctstate NEW -j ACCEPT",
	"-p tcp -m multiport --dports 80,443 -m comment --comment web -j ACCEPT",
	"-m mark --mark 0x1/0xff -m limit --limit 3/hour --limit-burst 7 -j RETURN",
	"-m mark ! --mark 0x2 -j NFLOG --nflog-group 3 --nflog-prefix pfx --nflog-threshold 2",
	"-f -j DROP", "! -f -j ACCEPT", "-c 10 20 -j ACCEPT",
}

// extraTableRules cover the tables the vectors barely reach (the
// security table's one vector needs SELinux): table, chain, rule.
var extraTableRules = [][3]string{
	{"security", "INPUT", "-p tcp --dport 443 -j ACCEPT"},
	{"security", "OUTPUT", "-m mark --mark 5 -j DROP"},
	{"security", "FORWARD", "! -i lo -m conntrack --ctstate ESTABLISHED -j RETURN"},
	{"raw", "PREROUTING", "-p udp --dport 53 -j CT --notrack"},
	{"raw", "OUTPUT", "-d 10.0.0.0/8 -j TRACE"},
	{"mangle", "OUTPUT", "-p tcp --sport 22 -j MARK --set-mark 1"},
	{"mangle", "POSTROUTING", "-o eth+ -j DSCP --set-dscp 10"},
	{"nat", "OUTPUT", "-p tcp --dport 80 -j REDIRECT --to-ports 8080"},
	{"nat", "POSTROUTING", "-o eth0 -j MASQUERADE"},
	{"nat", "PREROUTING", "-i eth1 -p udp --dport 53 -j DNAT --to-destination 10.0.0.1"},
}

// loadCorpus reads the vectors' rules for both families.
func loadCorpus(t testing.TB) []corpusRule {
	files, err := filepath.Glob(filepath.Join(vectorsDir, "*.t"))
	if err != nil || len(files) == 0 {
		t.Skipf("no vectors in %s", vectorsDir)
	}
	var rules []corpusRule
	for _, f := range files {
		base := filepath.Base(f)
		var fams []ext.Family
		switch {
		case strings.HasPrefix(base, "libipt_"), base == "iptables.t":
			fams = []ext.Family{ext.IPv4}
		case strings.HasPrefix(base, "libip6t_"):
			fams = []ext.Family{ext.IPv6}
		case strings.HasPrefix(base, "libxt_"):
			fams = []ext.Family{ext.IPv4, ext.IPv6}
		default:
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, fam := range fams {
			rules = append(rules, parseVector(base, fam, string(data))...)
		}
	}
	for i, s := range extraRules {
		for _, fam := range []ext.Family{ext.IPv4, ext.IPv6} {
			if fam == ext.IPv6 && strings.Contains(s, "-f") {
				continue
			}
			r := corpusRule{Src: "extra:" + string(rune('a'+i)), Fam: fam, Table: "filter", Chain: "INPUT", Expect: "OK"}
			r.Args, _ = splitArgs(s)
			rules = append(rules, r)
		}
	}
	for i, x := range extraTableRules {
		for _, fam := range []ext.Family{ext.IPv4, ext.IPv6} {
			if fam == ext.IPv6 && strings.Contains(x[2], "10.0.0") {
				continue
			}
			r := corpusRule{Src: "extra-table:" + itoa(i), Fam: fam, Table: x[0], Chain: x[1], Expect: "OK"}
			r.Args, _ = splitArgs(x[2])
			rules = append(rules, r)
		}
	}
	return rules
}

func parseVector(name string, fam ext.Family, text string) []corpusRule {
	var out []corpusRule
	table, chains := "filter", []string{"INPUT"}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || line[0] == '#' || line[0] == '@' || line[0] == '%':
			continue
		case line[0] == ':':
			chains = strings.Split(line[1:], ",")
			continue
		case line[0] == '*':
			table = line[1:]
			continue
		}
		f := strings.Split(line, ";")
		if len(f) < 3 {
			continue
		}
		args, ok := splitArgs(f[0])
		if !ok {
			continue
		}
		out = append(out, corpusRule{Src: name + ":" + itoa(i+1), Fam: fam, Table: table,
			Chain: chains[0], Args: args, Expect: f[2]})
	}
	return out
}

func itoa(n int) string {
	b := []byte{}
	for n >= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(append([]byte{byte('0' + n)}, b...))
}

// splitArgs splits a command line as a shell would, quotes included.
func splitArgs(s string) ([]string, bool) {
	var args []string
	var cur strings.Builder
	inArg, quote := false, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			cur.WriteByte(c)
		case c == '"' || c == '\'':
			quote, inArg = c, true
		case c == ' ' || c == '\t':
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inArg = true
		default:
			cur.WriteByte(c)
			inArg = true
		}
	}
	if quote != 0 {
		return nil, false
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args, true
}
