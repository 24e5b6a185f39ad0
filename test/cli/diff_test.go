// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"fmt"
	"strings"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/internal/testenv"
)

// outcome is what one command line did.
type outcome struct {
	Code           int
	Stdout, Stderr string
	State          string // iptables-legacy-save and ip6tables-legacy-save afterwards
}

func (o outcome) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s--- state\n%s", o.Code, o.Stdout, o.Stderr, o.State)
}

// words splits a command line like a shell does for plain words and
// double or single quotes.
func words(s string) []string {
	var out []string
	var cur strings.Builder
	inWord, quote := false, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			cur.WriteByte(c)
		case c == '"' || c == '\'':
			quote, inWord = c, true
		case c == ' ':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

// run runs setup and then cmd with multi-call binary bin in a fresh
// namespace; each line is "APPLET ARGS..." (stdin after a " <<< " marker).
func run(t *testing.T, bin string, setup []string, cmd string) (o outcome) {
	netnstest.Run(t, func() {
		exec := func(line string) (string, string, int) {
			stdin := ""
			if i := strings.Index(line, " <<< "); i >= 0 {
				line, stdin = line[:i], strings.ReplaceAll(line[i+5:], `\n`, "\n")
			}
			return netnstest.ExecInput(t, stdin, bin, words(line)...)
		}
		for _, s := range setup {
			if _, stderr, code := exec(s); code != 0 {
				t.Fatalf("setup %q under %s: exit %d: %s", s, bin, code, stderr)
			}
		}
		o.Stdout, o.Stderr, o.Code = exec(cmd)
		// iptables-save's dates differ when a run crosses a second.
		o.Stdout, o.Stderr = testenv.HideSaveDates(testenv.HideVersions(o.Stdout)), testenv.HideVersions(o.Stderr)
		for _, save := range []string{"iptables-legacy-save", "ip6tables-legacy-save"} {
			out, _, _ := netnstest.Exec(t, save, "-c")
			o.State += testenv.StripComments(out)
		}
	})
	return o
}

type diffCase struct {
	setup []string
	cmd   string
}

// check runs c under goipt and the references and fails unless goipt's
// outcome equals one reference's.
func check(t *testing.T, refs []string, c diffCase) {
	t.Helper()
	got := run(t, testenv.Goipt(t), c.setup, c.cmd)
	testenv.MatchOneReference(t, c.cmd, got, refs, func(ref string) outcome { return run(t, ref, c.setup, c.cmd) })
}

const rich4 = "iptables-restore <<< *filter\\n:INPUT ACCEPT [0:0]\\n:FORWARD DROP [0:0]\\n:OUTPUT ACCEPT [0:0]\\n:svc - [0:0]\\n:logdrop - [0:0]\\n-A INPUT -i lo -j ACCEPT\\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\\n-A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -j svc\\n-A INPUT -p icmp -m icmp --icmp-type 8 -m limit --limit 5/sec -j ACCEPT\\n-A INPUT -j logdrop\\n-A svc -m comment --comment \"ssh from lan\" -j ACCEPT\\n-A logdrop -j LOG --log-prefix \"drop: \"\\n-A logdrop -j DROP\\nCOMMIT\\n"

var cases = []diffCase{
	// commands
	{nil, "iptables -A INPUT -p tcp --dport 22 -j ACCEPT"},
	{nil, "iptables --append INPUT --protocol udp --sport 53 --jump DROP"},
	{nil, "iptables -A INPUT --proto tcp --dp 80 -j ACCEPT"},
	{nil, "iptables -A INPUT --protocol=tcp -j ACCEPT"},
	{nil, "iptables -A INPUT -ptcp -j ACCEPT"},
	{nil, "iptables -A INPUT ! -i + -j ACCEPT"},
	{nil, "iptables -A INPUT -i eth+ ! -o ppp0 -j ACCEPT"},
	{nil, "iptables -A FORWARD -i eth0 ! -o ppp0 -j ACCEPT"},
	{nil, "iptables -A INPUT -o eth0 -j ACCEPT"},
	{nil, "iptables -A OUTPUT -i eth0 -j ACCEPT"},
	{nil, "iptables -A INPUT -s 10.0.0.1,10.0.0.2 -d 192.168.0.0/255.255.0.0 -j ACCEPT"},
	{nil, "iptables -A INPUT ! -s 10.0.0.1,10.0.0.2 -j ACCEPT"},
	{nil, "iptables -A INPUT -s 10.0.0.0/255.0.255.0 -j ACCEPT"},
	{nil, "iptables -A INPUT -s localhost -j ACCEPT"},
	{nil, "iptables -A INPUT -s 300.1.1.1 -j ACCEPT"},
	{nil, "iptables -A INPUT -s 10.0.0.0/33 -j ACCEPT"},
	{nil, "iptables -A INPUT -s no.such.host.invalid -j ACCEPT"},
	{nil, "iptables -A INPUT -f -j DROP"},
	{nil, "iptables -A INPUT ! -f -j DROP"},
	{nil, "iptables -A INPUT ! -p tcp -j DROP"},
	{nil, "iptables -A INPUT ! -p all -j DROP"},
	{nil, "iptables -A INPUT -p 47 -j DROP"},
	{nil, "iptables -A INPUT -p gre -j DROP"},
	{nil, "iptables -A INPUT -p nosuchproto -j DROP"},
	{nil, "iptables -A INPUT -p tcp -p udp -j DROP"},
	{nil, "iptables -A INPUT -c 10 20 -j ACCEPT"},
	{nil, "iptables -A INPUT -c 10,20 -j ACCEPT"},
	{nil, "iptables -A INPUT -c x 20 -j ACCEPT"},
	{nil, "iptables -A INPUT -c 10 -j ACCEPT"},
	{nil, "iptables -A INPUT -m tcp --dport 1 -j ACCEPT"},
	{nil, "iptables -A INPUT -p tcp -m tcp --dport 1 -m tcp --sport 2 -j ACCEPT"},
	{nil, "iptables -A INPUT -p tcp --dport 1 --dport 2 -j ACCEPT"},
	{nil, "iptables -A INPUT -p tcp --syn --tcp-flags SYN SYN -j ACCEPT"},
	{nil, "iptables -A INPUT -m multiport --dports 1,2,3 -j ACCEPT"},
	{nil, "iptables -A INPUT -p tcp -m multiport --dports 1,2,3:5 -j ACCEPT"},
	{nil, "iptables -A INPUT -m nosuchmatch -j ACCEPT"},
	{nil, "iptables -A INPUT -j NOSUCHTARGET"},
	{nil, "iptables -A INPUT -g NOSUCHCHAIN"},
	{nil, "iptables -A INPUT -j"},
	{nil, "iptables -A INPUT -j ''"},
	{nil, "iptables -A INPUT -j 'A B'"},
	{nil, "iptables -A INPUT -j ACCEPT -j DROP"},
	{nil, "iptables -A INPUT -m comment --comment 'a b \"c\"' -j ACCEPT"},
	{nil, "iptables -A INPUT -m state --state NEW,ESTABLISHED -j ACCEPT"},
	{nil, "iptables -A INPUT -m mac --mac-source 00:11:22:33:44:55 -j ACCEPT"},
	{nil, "iptables -A INPUT -m mark --mark 0x1/0xff -j ACCEPT"},
	{nil, "iptables -A INPUT -p tcp -j REJECT --reject-with tcp-reset"},
	{nil, "iptables -A INPUT -j REJECT --reject-with nosuch"},
	{nil, "iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.1:8080"},
	{nil, "iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE"},
	{nil, "iptables -t nat -A INPUT -j DROP"},
	{nil, "iptables -t nat -P INPUT DROP"},
	{nil, "iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu"},
	{nil, "iptables -t raw -A PREROUTING -p udp --dport 53 -j CT --notrack"},
	{nil, "iptables -t nosuchtable -L"},
	{nil, "iptables -t security -L"},
	{nil, "iptables -I INPUT 2 -j ACCEPT"},
	{[]string{"iptables -A INPUT -j ACCEPT"}, "iptables -I INPUT 2 -j DROP"},
	{[]string{"iptables -A INPUT -j ACCEPT"}, "iptables -I INPUT 3 -j DROP"},
	{[]string{"iptables -A INPUT -j ACCEPT"}, "iptables -R INPUT 1 -j DROP"},
	{[]string{"iptables -A INPUT -j ACCEPT"}, "iptables -R INPUT 2 -j DROP"},
	{nil, "iptables -R INPUT -j DROP"},
	{nil, "iptables -I INPUT 0 -j DROP"},
	{nil, "iptables -I INPUT x -j DROP"},
	{[]string{"iptables -A INPUT -j ACCEPT"}, "iptables -I INPUT ' -18446744073709551615' -j DROP"},
	{[]string{"iptables -A INPUT -j ACCEPT"}, "iptables -D INPUT 1"},
	{[]string{"iptables -A INPUT -j ACCEPT"}, "iptables -D INPUT 2"},
	{[]string{"iptables -A INPUT -j ACCEPT"}, "iptables -D INPUT 1:2"},
	{[]string{"iptables -A INPUT -p tcp --dport 1 -j ACCEPT"}, "iptables -D INPUT -p tcp --dport 1 -j ACCEPT"},
	{[]string{"iptables -A INPUT -p tcp --dport 1 -j ACCEPT"}, "iptables -D INPUT -p tcp --dport 2 -j ACCEPT"},
	{[]string{"iptables -A INPUT -p tcp --dport 1 -j ACCEPT"}, "iptables -C INPUT -p tcp --dport 1 -j ACCEPT"},
	{[]string{"iptables -A INPUT -p tcp --dport 1 -j ACCEPT"}, "iptables -C INPUT -p tcp --dport 2 -j ACCEPT"},
	{nil, "iptables -C NOSUCH -j ACCEPT"},
	{nil, "iptables -A NOSUCH -j ACCEPT"},
	{nil, "iptables -N foo"},
	{[]string{"iptables -N foo"}, "iptables -N foo"},
	{nil, "iptables -N ACCEPT"},
	{nil, "iptables -N LOG"},
	{nil, "iptables -N -foo"},
	{nil, "iptables -N '!foo'"},
	{nil, "iptables -N 'a b'"},
	{nil, "iptables -N abcdefghijklmnopqrstuvwxyz012"},
	{nil, "iptables -N abcdefghijklmnopqrstuvwxyz01"},
	{[]string{"iptables -N foo", "iptables -A INPUT -j foo"}, "iptables -X foo"},
	{[]string{"iptables -N foo", "iptables -A foo -j ACCEPT"}, "iptables -X foo"},
	{[]string{"iptables -N foo", "iptables -N bar"}, "iptables -X"},
	{nil, "iptables -X INPUT"},
	{nil, "iptables -X nosuch"},
	{[]string{"iptables -N foo", "iptables -A INPUT -j foo"}, "iptables -E foo bar"},
	{[]string{"iptables -N foo", "iptables -N bar"}, "iptables -E foo bar"},
	{nil, "iptables -E INPUT bar"},
	{nil, "iptables -E foo"},
	{nil, "iptables -P INPUT DROP"},
	{nil, "iptables -P INPUT BOGUS"},
	{nil, "iptables -P INPUT"},
	{nil, "iptables -P foo DROP"},
	{[]string{"iptables -N foo"}, "iptables -P foo DROP"},
	{nil, "iptables -P INPUT ACCEPT -c 5 6"},
	{[]string{rich4}, "iptables -F"},
	{[]string{rich4}, "iptables -F svc"},
	{[]string{rich4}, "iptables -v -F"},
	{[]string{rich4}, "iptables -F nosuch"},
	{[]string{rich4}, "iptables -Z"},
	{[]string{rich4}, "iptables -Z INPUT 2"},
	{[]string{rich4}, "iptables -Z INPUT 99"},
	{[]string{rich4}, "iptables -L"},
	{[]string{rich4}, "iptables -L -n"},
	{[]string{rich4}, "iptables -L -v"},
	{[]string{rich4}, "iptables -L -n -v -x --line-numbers"},
	{[]string{rich4}, "iptables -nvL INPUT"},
	{[]string{rich4}, "iptables -L INPUT 3"},
	{[]string{rich4}, "iptables -L INPUT 30"},
	{[]string{rich4}, "iptables -L nosuch"},
	{[]string{rich4}, "iptables -L -Z"},
	{[]string{rich4}, "iptables -S"},
	{[]string{rich4}, "iptables -S INPUT"},
	{[]string{rich4}, "iptables -S INPUT 2"},
	{[]string{rich4}, "iptables -S -v"},
	{[]string{rich4}, "iptables -S nosuch"},
	{[]string{rich4}, "iptables -S -Z INPUT"},
	{[]string{rich4}, "iptables-save"},
	{[]string{rich4}, "iptables-save -c"},
	{[]string{rich4}, "iptables-save -t filter"},
	{[]string{rich4}, "iptables-save -t nosuch"},
	{nil, "iptables-save --bogus"},
	{nil, "iptables-save extra"},
	{nil, "iptables -v -A INPUT -s 1.2.3.4,5.6.7.8 -p tcp --dport 22 -j ACCEPT"},
	{nil, "iptables -A INPUT -L"},
	{nil, "iptables -L -A INPUT"},
	{nil, "iptables -L -n -S"},
	{nil, "iptables -n -A INPUT -j ACCEPT"},
	{nil, "iptables --line-numbers -A INPUT -j ACCEPT"},
	{nil, "iptables -x -A INPUT -j ACCEPT"},
	{nil, "iptables -c 1 2 -L"},
	{nil, "iptables ! -A INPUT"},
	{nil, "iptables -A INPUT !"},
	{nil, "iptables -A INPUT ! ! -s 1.2.3.4"},
	{nil, "iptables -A INPUT ! -j ACCEPT"},
	{nil, "iptables -A INPUT ! -m tcp"},
	{nil, "iptables ! -t filter -L"},
	{nil, "iptables"},
	{nil, "iptables INPUT"},
	{nil, "iptables --foo"},
	{nil, "iptables -A"},
	{nil, "iptables -aL"},
	{nil, "iptables --list-r"},
	{nil, "iptables --li"},
	{nil, "iptables --version"},
	{nil, "iptables -V"},
	{nil, "iptables ! -V"},
	{nil, "iptables -4 -L"},
	{nil, "iptables -6 -L"},
	{nil, "iptables -w -L"},
	{nil, "iptables -w 5 -L"},
	{nil, "iptables -w x -L"},
	{nil, "iptables -W 100 -L"},
	{nil, "iptables -w -W 100 -L"},
	{nil, "iptables -w -W 1000000 -L"},
	{nil, "iptables --wait= -L"},
	{nil, "iptables-restore --wait= <<< *filter\\nCOMMIT\\n"},
	{nil, "iptables-restore -w '' <<< *filter\\nCOMMIT\\n"},
	{nil, "iptables-restore -w 1 --wait-interval= <<< *filter\\nCOMMIT\\n"},
	{nil, "iptables-restore -w 1 -W '' <<< *filter\\nCOMMIT\\n"},
	{nil, "iptables -A INPUT -i '' -j ACCEPT"},
	{nil, "iptables -A INPUT -i abcdefghijklmnop -j ACCEPT"},
	{nil, "iptables -A INPUT -i 'a/b' -j ACCEPT"},
	{nil, "iptables -A INPUT -p tcp --dport 65536 -j ACCEPT"},
	{nil, "iptables -A INPUT -p tcp --dport -j ACCEPT"},
	{nil, "iptables -A INPUT -m limit --limit 99999999999/sec -j ACCEPT"},
	{nil, "iptables -A INPUT -- -j ACCEPT"},
	{nil, "iptables -h"},
	{nil, "iptables -vv -A INPUT -s 10.0.0.1 -j ACCEPT"},
	{[]string{rich4}, "iptables -vv -L -n"},
	{nil, "iptables -A INPUT -p tcp -:m tcp"},
	{nil, "iptables -A INPUT -p tcp -vX"},
	{nil, "iptables -A INPUT -p TCP --dport 1 -j ACCEPT"},
	{nil, "iptables -A INPUT -p 'tc\xffp' -j ACCEPT"},
	{nil, "iptables -p icmp -h"},
	{nil, "iptables -m tcp -j LOG -h"},
	// IPv6
	{nil, "ip6tables -A INPUT -p tcp --dport 22 -s 2001:db8::/32 -j ACCEPT"},
	{nil, "ip6tables -A INPUT -p ipv6-icmp --icmpv6-type echo-request -j ACCEPT"},
	{nil, "ip6tables -A INPUT -p icmpv6 -j ACCEPT"},
	{nil, "ip6tables -A INPUT -p 58 -j ACCEPT"},
	{nil, "ip6tables -A INPUT -p 44 -j ACCEPT"},
	{nil, "ip6tables -A INPUT -f -j ACCEPT"},
	{nil, "ip6tables -A INPUT -s 2001:db8::1,2001:db8::2 -d ::1 -j REJECT"},
	{nil, "ip6tables -A INPUT -s 2001:db8::/ffff:ffff:: -j ACCEPT"},
	{nil, "ip6tables -A INPUT -s 1.2.3.4 -j ACCEPT"},
	{nil, "ip6tables -A INPUT -j REJECT --reject-with icmp6-adm-prohibited"},
	{nil, "ip6tables -t nat -A POSTROUTING -j MASQUERADE"},
	{nil, "ip6tables -6 -L"},
	{nil, "ip6tables -4 -L"},
	{[]string{"ip6tables -A INPUT -p tcp --dport 22 -j ACCEPT", "ip6tables -N x", "ip6tables -N y", "ip6tables -A x -g y", "ip6tables -A INPUT -j x"}, "ip6tables -L -n -v"},
	{[]string{"ip6tables -A INPUT -p tcp --dport 22 -j ACCEPT"}, "ip6tables -S"},
	{[]string{"ip6tables -A INPUT -p tcp --dport 22 -j ACCEPT"}, "ip6tables-save -c"},
	{nil, "ip6tables -h"},
}

// TestAgainstIptablesLegacy runs every case under goipt and the
// references.
func TestAgainstIptablesLegacy(t *testing.T) {
	if ok, why := netnstest.Enabled(); !ok {
		t.Skip(why)
	}
	refs := testenv.References()
	for _, c := range cases {
		t.Run(c.cmd, func(t *testing.T) { check(t, refs, c) })
	}
}
