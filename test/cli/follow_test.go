// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/internal/testenv"
)

// azure is the Azure Linux agent's security table (WALinuxAgent), with
// rule counters to zero. (Its policy counters are 0: iptables-legacy 1.8.9
// zeroes them at every commit, 1.8.11 and goipt keep them.)
const azure = "iptables-restore -c <<< *security\\n:INPUT ACCEPT [0:0]\\n:FORWARD ACCEPT [0:0]\\n:OUTPUT ACCEPT [0:0]\\n" +
	"[5:300] -A OUTPUT -d 168.63.129.16/32 -p tcp -m tcp --dport 53 -j ACCEPT\\n" +
	"[7:420] -A OUTPUT -d 168.63.129.16/32 -p tcp -m owner --uid-owner 0 -j ACCEPT\\n" +
	"[2:120] -A OUTPUT -d 168.63.129.16/32 -p tcp -m conntrack --ctstate INVALID,NEW -j DROP\\nCOMMIT\\n"

// tenRules are ten rules in INPUT, the Nth from 10.0.0.N.
var tenRules = func() string {
	s := "iptables-restore <<< *filter\\n"
	for i := 1; i <= 10; i++ {
		s += "-A INPUT -s 10.0.0." + string(rune('0'+i%10)) + " -j ACCEPT\\n"
	}
	return s + "COMMIT\\n"
}()

// follow189 are command lines iptables 1.8.9 accepts and 1.8.11 refuses
// or reads otherwise, where 1.8.11 fixes no bug: goipt must do exactly
// what 1.8.9 does (the README's "Differences from iptables").
var follow189 = []diffCase{
	// generic_opt_check: an option is legal when one command allows it.
	{[]string{azure}, "iptables -w -t security -L OUTPUT --zero OUTPUT -nxv"},
	{[]string{azure}, "iptables -t security -L -n -v -Z"},
	{[]string{azure}, "iptables -t security -Z OUTPUT 2 -L OUTPUT -x --line-numbers"},
	// -D's rule number, as -I's.
	{[]string{tenRules}, "iptables -D INPUT 0x2"},
	{[]string{tenRules}, "iptables -D INPUT 010"},
	{[]string{tenRules}, "iptables -D INPUT 4294967297"},
	// -R with several addresses.
	{[]string{tenRules}, "iptables -R INPUT 1 -s 10.0.0.1,10.0.0.2 -j DROP"},
	// -j CONTINUE.
	{[]string{"iptables -N CONTINUE"}, "iptables -A INPUT -j CONTINUE"},
	{nil, "iptables -A INPUT -j CONTINUE"},
	{nil, "iptables-restore <<< *filter\\n:CONTINUE - [0:0]\\n-A INPUT -j CONTINUE\\nCOMMIT\\n"},
}

// follow1811 are command lines 1.8.11 refuses, or reads otherwise, to
// fix a bug of 1.8.9: goipt must do what 1.8.11 does.
var follow1811 = []diffCase{
	{[]string{"iptables -N foo"}, "iptables -E foo LOG"}, // -E checks the new name as -N does
	{[]string{"iptables -N foo"}, "iptables -E foo 'a b'"},
	{nil, "iptables -A INPUT -s10.0.0.1 --protocol=tcp -jACCEPT"}, // arguments in the option's word
	// A chain line's counters must scan, with or without -c (iptables'
	// own shell case ipt-restore/0008 wants the refusal).
	{nil, "iptables-restore <<< *filter\\n:INPUT DROP garbage\\nCOMMIT\\n"},
}

func TestFollow189(t *testing.T) { follow(t, "xtables-legacy-multi", follow189) }

func TestFollow1811(t *testing.T) { follow(t, testenv.RequireRef1811(t), follow1811) }

// follow checks that goipt does what ref does with each case, and that
// the other reference does something else (or the case would not be one).
func follow(t *testing.T, ref string, cases []diffCase) {
	if ok, why := netnstest.Enabled(); !ok {
		t.Skip(why)
	}
	other := testenv.RequireRef1811(t)
	if ref == other {
		other = "xtables-legacy-multi"
	}
	_, err := os.Stat(other)
	compareOther := err == nil || !strings.Contains(other, "/")
	for _, c := range cases {
		t.Run(c.cmd, func(t *testing.T) {
			got, want := run(t, testenv.Goipt(t), c.setup, c.cmd), run(t, ref, c.setup, c.cmd)
			want.Stdout = protoNames(want.Stdout)
			if got != want {
				t.Errorf("%s\ngoipt:\n%s\n%s:\n%s", c.cmd, got, ref, want)
			}
			if compareOther && run(t, other, c.setup, c.cmd) == want {
				t.Errorf("%s: %s does the same as %s: not a difference", c.cmd, other, ref)
			}
		})
	}
}

// protoNames rewrites the prot column of an iptables -L listing from
// numbers to names: under -n, iptables 1.8.9 prints numbers where 1.8.11
// and goipt print names (README, "Command line"). The column is found by
// its heading's place among the words of the heading line.
func protoNames(listing string) string {
	names := map[string]string{"0": "all", "1": "icmp", "6": "tcp", "17": "udp"}
	lines := strings.SplitAfter(listing, "\n")
	col := -1 // the prot column's word, after a chain's heading
	for i, l := range lines {
		words := strings.Fields(l)
		if k := slices.Index(words, "prot"); k >= 0 && slices.Contains(words, "target") {
			col = k
			continue
		}
		if col < 0 || len(words) <= col || names[words[col]] == "" {
			continue
		}
		// The word and the blanks after it, as the column is padded.
		start := 0
		for k := 0; k <= col; k++ {
			start += len(l[start:]) - len(strings.TrimLeft(l[start:], " "))
			if k < col {
				start += len(words[k])
			}
		}
		end := start + len(words[col])
		pad := len(l[end:]) - len(strings.TrimLeft(l[end:], " "))
		lines[i] = l[:start] + fmt.Sprintf("%-*s", len(words[col])+pad, names[words[col]]) + l[end+pad:]
	}
	return strings.Join(lines, "")
}
