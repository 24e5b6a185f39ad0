// SPDX-License-Identifier: GPL-2.0-or-later

package reliability

import (
	"fmt"
	"strings"
	"testing"
)

// Hostile input, named cases: goipt must reject (or accept) each the way
// iptables-legacy does, with the same message and exit status, and leave
// the same tables. Commands are bash ($'...' for odd bytes); $X is the
// multi-call binary.

func ipt(args string) diffCase { return diffCase{script: "$X iptables " + args} }

func ip6t(args string) diffCase { return diffCase{script: "$X ip6tables " + args} }

func restore4(name, input string) diffCase {
	return diffCase{name: name, script: "$X iptables-restore", stdin: input}
}

func TestHostileChainNames(t *testing.T) {
	long := func(n int) string { return strings.Repeat("c", n) }
	checkCases(t, []diffCase{
		ipt("-N " + long(28)),
		ipt("-N " + long(29)),
		ipt("-N " + long(100)),
		ipt("-N " + long(10000)),
		ipt("-A " + long(29) + " -j ACCEPT"),
		ipt("-A INPUT -j " + long(29)),
		ipt("-A INPUT -g " + long(29)),
		ipt("-P " + long(29) + " DROP"),
		ipt("-L " + long(29)),
		ipt("-X " + long(29)),
		{setup: "iptables-legacy -N old", script: "$X iptables -E old " + long(29)},
		{setup: "iptables-legacy -N old", script: "$X iptables -E old 'a b'"},
		{setup: "iptables-legacy -N old", script: "$X iptables -E old -x"},
		ipt("-N 'a b'"),
		ipt("-N $'a\\tb'"),
		ipt("-N $'a\\nb'"),
		ipt("-N -x"),
		ipt("-N '!x'"),
		ipt("-N ''"),
		ipt("-N ACCEPT"),
		ipt("-N DROP"),
		ipt("-N RETURN"),
		ipt("-N LOG"),
		ipt("-N MASQUERADE"),
		ipt("-N a/b"),
		ipt("-N 'a\"b'"),
		ipt("-N $'\\xff\\xfe'"),
		ipt("-N $'\\xc3\\x28'"),
		ipt("-N ä"),
		ipt("-N 0"),
		ipt("-N --"),
		ip6t("-N " + long(29)),
		ip6t("-N 'a b'"),
		// An empty chain name is a chain that does not exist, not "every
		// chain".
		{setup: "iptables-legacy -N a && iptables-legacy -A a -j ACCEPT", script: "$X iptables -F ''"},
		{setup: "iptables-legacy -N a && iptables-legacy -A a -j ACCEPT", script: "$X iptables -X ''"},
		{setup: "iptables-legacy -N a && iptables-legacy -A a -j ACCEPT", script: "$X iptables -Z ''"},
		{setup: "iptables-legacy -N a && iptables-legacy -A a -j ACCEPT", script: "$X iptables -L ''"},
		{setup: "iptables-legacy -N a && iptables-legacy -A a -j ACCEPT", script: "$X iptables -S ''"},
		{setup: "iptables-legacy -N a && iptables-legacy -A a -j ACCEPT", script: "$X iptables -L '' -Z"},
		{setup: "iptables-legacy -N a && iptables-legacy -A a -j ACCEPT", script: "$X iptables -Z '' 1"},
		{setup: "iptables-legacy -N a && iptables-legacy -A a -j ACCEPT", script: "$X iptables -v -F ''"},
		{setup: "iptables-legacy -N a && iptables-legacy -A a -j ACCEPT", script: "$X iptables --flush=''"},
		{setup: "ip6tables-legacy -N a", script: "$X ip6tables -X ''"},
		{setup: "iptables-legacy -N a && iptables-legacy -A a -j ACCEPT", script: "$X iptables-restore --noflush",
			stdin: "*filter\n-F \"\"\n-X \"\"\nCOMMIT\n"},
		restore4("restore, 28 chars", "*filter\n:"+long(28)+" - [0:0]\nCOMMIT\n"),
		restore4("restore, 29 chars", "*filter\n:"+long(29)+" - [0:0]\nCOMMIT\n"),
		restore4("restore, 10000 chars", "*filter\n:"+long(10000)+" - [0:0]\nCOMMIT\n"),
		restore4("restore, leading -", "*filter\n:-x - [0:0]\nCOMMIT\n"),
		restore4("restore, leading !", "*filter\n:!x - [0:0]\nCOMMIT\n"),
		restore4("restore, target name", "*filter\n:ACCEPT - [0:0]\nCOMMIT\n"),
		restore4("restore, extension name", "*filter\n:LOG - [0:0]\nCOMMIT\n"),
		restore4("restore, builtin twice", "*filter\n:INPUT DROP [0:0]\n:INPUT ACCEPT [0:0]\nCOMMIT\n"),
		restore4("restore, chain twice", "*filter\n:a - [0:0]\n:a - [0:0]\nCOMMIT\n"),
		restore4("restore, policy on a user chain", "*filter\n:a DROP [0:0]\nCOMMIT\n"),
		restore4("restore, invalid UTF-8", "*filter\n:\xff\xfe - [0:0]\n-A \xff\xfe -j ACCEPT\nCOMMIT\n"),
		restore4("restore, empty name", "*filter\n: - [0:0]\nCOMMIT\n"),
		restore4("restore, colon only", "*filter\n:\nCOMMIT\n"),
	})
}

func TestHostileAddresses(t *testing.T) {
	many := make([]string, 300)
	for i := range many {
		many[i] = fmt.Sprintf("10.0.%d.%d", i/250, i%250)
	}
	var cases []diffCase
	for _, a := range []string{
		"256.1.1.1", "1.2.3.4/33", "1.2.3.4/-1", "1.2.3.4/", "/24", "/", "''", "1.2.3.4/255.0.255.0",
		"1.2.3.4/255.255.255.256", "1.2.3.4.5", "127.1", "0x7f.1", "017.0.0.1", "1.2.3.4,", ",", "1.2.3.4,,5.6.7.8",
		"::1", "1.2.3.4/99999999999999999999", "$'1.2.3.4\\xff'", "-", "'!'", "'1.2.3.4 5.6.7.8'",
		strings.Join(many, ","),
	} {
		cases = append(cases, ipt("-A INPUT -s "+a+" -j ACCEPT"), ipt("-A INPUT -d "+a+" -j ACCEPT"))
	}
	for _, a := range []string{
		"1.2.3.4", "::/129", "::/-1", "2001:db8::/ffff::ffff", ":::", "2001:db8::1/", "fe80::1%eth0", "::ffff:1.2.3.4",
		"1:2:3:4:5:6:7:8:9", "$'::\\xff'", "[::1]",
	} {
		cases = append(cases, ip6t("-A INPUT -s "+a+" -j ACCEPT"))
	}
	cases = append(cases,
		diffCase{setup: "iptables-legacy -A INPUT -j ACCEPT", script: "$X iptables -D INPUT -s '' -j ACCEPT"},
		diffCase{setup: "iptables-legacy -A INPUT -j ACCEPT", script: "$X iptables -C INPUT -d '' -j ACCEPT"},
		ipt("-L -s ''"),
		ip6t("-A INPUT -s '' -j ACCEPT"),
		ipt("-A INPUT ! -s 1.2.3.4,5.6.7.8 -j ACCEPT"),
		ipt("-A INPUT -s 1.2.3.4 -s 5.6.7.8 -j ACCEPT"),
		ipt("-A INPUT -i $'\\xff' -j ACCEPT"),
		ipt("-A INPUT -i abcdefghijklmnop -j ACCEPT"),
		ipt("-A INPUT -o 'a b' -j ACCEPT"),
		restore4("restore, 300 addresses", "*filter\n-A INPUT -s "+strings.Join(many, ",")+" -j ACCEPT\nCOMMIT\n"),
	)
	checkCases(t, cases)
}

func TestHostilePorts(t *testing.T) {
	var cases []diffCase
	for _, p := range []string{
		"0", "65535", "65536", "-1", "1:", ":2", "3:1", "1:2:3", "abc", "ssh", "nosuchservice", "99999999999999999999",
		"0x10", "1,2", "''", "$'\\xff'", "' 22'", "22abc", "1:65536",
	} {
		cases = append(cases, ipt("-A INPUT -p tcp --dport "+p+" -j ACCEPT"), ipt("-A INPUT -p udp --sport "+p+" -j ACCEPT"))
	}
	ports := func(n int) string {
		p := make([]string, n)
		for i := range p {
			p[i] = fmt.Sprint(i + 1)
		}
		return strings.Join(p, ",")
	}
	for _, p := range []string{ports(15), ports(16), "1,,2", "1:2:3", "65536", "1,2:3,4:5,6:7,8:9,10:11,12:13,14:15,16", "", "a,b"} {
		cases = append(cases, ipt("-A INPUT -p tcp -m multiport --dports '"+p+"' -j ACCEPT"))
	}
	cases = append(cases,
		ipt("-A INPUT --dport 22 -j ACCEPT"),
		ipt("-A INPUT -p icmp --dport 22 -j ACCEPT"),
		ipt("-A INPUT -p tcp ! --dport 22 ! --sport 1 -j ACCEPT"),
		ipt("-A INPUT -p tcp ! ! --dport 22 -j ACCEPT"),
		ipt("-A INPUT -p 256 -j ACCEPT"),
		ipt("-A INPUT -p -1 -j ACCEPT"),
		ipt("-A INPUT -p 99999999999999999999 -j ACCEPT"),
		ipt("-A INPUT -p icmp --icmp-type 256 -j ACCEPT"),
		ipt("-A INPUT -p icmp --icmp-type 8/256 -j ACCEPT"),
		ipt("-A INPUT -p icmp --icmp-type nosuch -j ACCEPT"),
		ip6t("-A INPUT -p icmpv6 --icmpv6-type 999 -j ACCEPT"),
	)
	checkCases(t, cases)
}

func TestHostileExtensionsAndOptions(t *testing.T) {
	checkCases(t, []diffCase{
		ipt("-A INPUT -m nosuch -j ACCEPT"),
		ipt("-A INPUT -m '' -j ACCEPT"),
		ipt("-A INPUT -m " + strings.Repeat("m", 40) + " -j ACCEPT"),
		ipt("-A INPUT -m ../../../../tmp/x -j ACCEPT"),
		ipt("-A INPUT -j ../../x"),
		ipt("-A INPUT -m $'\\xff' -j ACCEPT"),
		ipt("-A INPUT -j NOSUCH"),
		ipt("-A INPUT --nosuch"),
		ipt("-A INPUT --nosuch=1 -j ACCEPT"),
		ipt("-A INPUT -Q"),
		ipt("-A INPUT -m tcp --nosuch -j ACCEPT"),
		ipt("-A INPUT -p tcp --syn=1 -j ACCEPT"),
		ipt("-A INPUT -m comment -j ACCEPT"),
		ipt("-A INPUT -m comment --comment " + strings.Repeat("x", 256) + " -j ACCEPT"),
		ipt("-A INPUT -m comment --comment " + strings.Repeat("x", 255) + " -j ACCEPT"),
		ipt("-A INPUT -m comment --comment \"$(head -c 100000 /dev/zero | tr '\\0' x)\" -j ACCEPT"),
		ipt("-A INPUT -s \"$(head -c 100000 /dev/zero | tr '\\0' 1)\" -j ACCEPT"),
		ipt("-A INPUT -m comment --comment $'\\xc3\\x28\\xa0\\xa1' -j ACCEPT"),
		ipt("-A INPUT -m limit --limit 1/fortnight -j ACCEPT"),
		ipt("-A INPUT -m limit --limit 99999999999999999999/s -j ACCEPT"),
		ipt("-A INPUT -m limit --limit-burst 99999999999 -j ACCEPT"),
		ipt("-A INPUT -m limit --limit-burst -1 -j ACCEPT"),
		ipt("-A INPUT -j LOG --log-level 99"),
		ipt("-A INPUT -j LOG --log-level nosuch"),
		ipt("-A INPUT -j LOG --log-prefix " + strings.Repeat("p", 30)),
		ipt("-A INPUT -j LOG --log-prefix $'\\xff\\xfe'"),
		ipt("-A INPUT -j REJECT --reject-with nosuch"),
		ipt("-A INPUT -m conntrack --ctstate NOSUCH -j ACCEPT"),
		ipt("-A INPUT -m conntrack --ctstate '' -j ACCEPT"),
		ipt("-A INPUT -m mark --mark 0x1/0x1/0x1 -j ACCEPT"),
		ipt("-A INPUT -m mark --mark 0x1ffffffff -j ACCEPT"),
		ipt("-A INPUT -m mark --mark -1 -j ACCEPT"),
		ipt("-A INPUT -m length --length 99999999999 -j ACCEPT"),
		ipt("-A INPUT -m length --length 2:1 -j ACCEPT"),
		ipt("-A INPUT -m connlimit --connlimit-above 99999999999 -j ACCEPT"),
		ipt("-A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-name " + strings.Repeat("h", 300) + " -j ACCEPT"),
		ipt("-A INPUT -m string --algo bm --string " + strings.Repeat("s", 300) + " -j ACCEPT"),
		ipt("-A INPUT -m u32 --u32 '0>>22&0x3C@ 12>>26&0x3C@ 0=0x10000000000' -j ACCEPT"),
		ipt("-A INPUT -m time --timestart 25:00 -j ACCEPT"),
		ipt("-A INPUT -m tcp -m tcp -m tcp --dport 1 -j ACCEPT"),
		ipt("-t mangle -A INPUT -j MARK --set-mark 0x1ffffffff"),
		ipt("-t mangle -A INPUT -j TTL --ttl-set 256"),
		ipt("-t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:99999"),
		ipt("-t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:2-1"),
		ipt("-t raw -A PREROUTING -j CT --zone 99999999999"),
		ip6t("-A INPUT -m frag --fragid 99999999999 -j ACCEPT"),
	})
}

func TestHostileMissingArguments(t *testing.T) {
	var cases []diffCase
	for _, args := range []string{
		"-A", "-I", "-D", "-R", "-R INPUT", "-P", "-P INPUT", "-E", "-E a", "-N", "-C", "-t", "-m", "-j", "-g",
		"-A INPUT -s", "-A INPUT -d", "-A INPUT -p", "-A INPUT -i", "-A INPUT -o", "-A INPUT -j",
		"-A INPUT -m", "-A INPUT -c", "-A INPUT -c 1", "-A INPUT -c 1 -j ACCEPT",
		"-A INPUT -p tcp --dport", "-A INPUT -p tcp --tcp-flags", "-A INPUT -p tcp --tcp-flags SYN",
		"-A INPUT -m comment --comment", "-A INPUT -j LOG --log-prefix", "-A INPUT -m limit --limit",
		"-A INPUT -m multiport --dports", "-A INPUT -m mark --mark", "-A INPUT -m conntrack --ctstate",
		"-A INPUT -j REJECT --reject-with", "--modprobe", "-A INPUT -W", "-L -w", "-A INPUT !",
		"-A INPUT ! -j ACCEPT",
	} {
		cases = append(cases, ipt(args))
	}
	checkCases(t, cases)
}

func TestHostileHugeNumbers(t *testing.T) {
	const huge = "99999999999999999999"
	checkCases(t, []diffCase{
		{setup: "iptables-legacy -A INPUT -j ACCEPT", script: "$X iptables -I INPUT " + huge + " -j DROP"},
		{setup: "iptables-legacy -A INPUT -j ACCEPT", script: "$X iptables -I INPUT 2147483648 -j DROP"},
		{setup: "iptables-legacy -A INPUT -j ACCEPT", script: "$X iptables -I INPUT 2147483647 -j DROP"},
		{setup: "iptables-legacy -A INPUT -j ACCEPT", script: "$X iptables -R INPUT 4294967297 -j DROP"},
		{setup: "iptables-legacy -A INPUT -j ACCEPT", script: "$X iptables -D INPUT 18446744073709551617"},
		{setup: "iptables-legacy -A INPUT -j ACCEPT", script: "$X iptables -D INPUT -1"},
		{setup: "iptables-legacy -A INPUT -j ACCEPT", script: "$X iptables -L INPUT " + huge},
		{setup: "iptables-legacy -A INPUT -j ACCEPT", script: "$X iptables -S INPUT 4294967297"},
		{setup: "iptables-legacy -A INPUT -j ACCEPT", script: "$X iptables -Z INPUT 2147483648"},
		ipt("-w " + huge + " -L INPUT"),
		ipt("-w -" + huge + " -L INPUT"),
		ipt("-w 0x -L INPUT"),
		ipt("-w 4294967296 -L INPUT"),
		ipt("-W " + huge + " -w -L INPUT"),
		ipt("-W -" + huge + " -w -L INPUT"),
		ipt("-A INPUT -c " + huge + " 1 -j ACCEPT"),
		ipt("-A INPUT -c -" + huge + " 1 -j ACCEPT"),
		ipt("-A INPUT -c 1 18446744073709551616 -j ACCEPT"),
		ipt("-A INPUT -c -1 -1 -j ACCEPT"),
		ipt("-P INPUT DROP -c " + huge + " " + huge),
		{script: "$X iptables-restore -w " + huge, stdin: "*filter\nCOMMIT\n"},
		{script: "$X iptables-restore -w -" + huge, stdin: "*filter\nCOMMIT\n"},
		{script: "$X iptables-restore -w 1 -W " + huge, stdin: "*filter\nCOMMIT\n"},
		{script: "$X iptables-restore -c", stdin: "*filter\n:INPUT ACCEPT [" + huge + ":-" + huge + "]\n[" + huge + ":-1] -A INPUT -j ACCEPT\nCOMMIT\n"},
		{script: "$X iptables-restore -c", stdin: "*filter\n:INPUT ACCEPT [-1:18446744073709551616]\nCOMMIT\n"},
	})
}

func TestHostileRestoreBytes(t *testing.T) {
	mib := strings.Repeat("x", 1<<20)
	words := strings.Repeat("-s 1.2.3.4 ", 100000)
	checkCases(t, []diffCase{
		restore4("NUL in a rule", "*filter\n-A INPUT -j ACCEPT\x00garbage -j DROP\nCOMMIT\n"),
		restore4("NUL at the start of a line", "*filter\n\x00-A INPUT -j DROP\nCOMMIT\n"),
		restore4("NUL in a quoted word", "*filter\n-A INPUT -m comment --comment \"a\x00b\" -j ACCEPT\nCOMMIT\n"),
		restore4("NUL in the table name", "*fil\x00ter\nCOMMIT\n"),
		restore4("NUL in a chain line", "*filter\n:a\x00b - [0:0]\nCOMMIT\n"),
		restore4("NUL after COMMIT", "*filter\nCOMMIT\x00\n"),
		restore4("only NULs", strings.Repeat("\x00", 100)),
		restore4("invalid UTF-8 comment", "*filter\n-A INPUT -m comment --comment \"\xc3\x28\xa0\xa1\xff\" -j ACCEPT\nCOMMIT\n"),
		restore4("invalid UTF-8 target", "*filter\n-A INPUT -j \xff\xfe\nCOMMIT\n"),
		restore4("invalid UTF-8 table", "*\xff\nCOMMIT\n"),
		restore4("1 MiB comment", "*filter\n-A INPUT -m comment --comment "+mib+" -j ACCEPT\nCOMMIT\n"),
		restore4("1 MiB quoted comment", "*filter\n-A INPUT -m comment --comment \""+mib+"\" -j ACCEPT\nCOMMIT\n"),
		restore4("1 MiB of blanks", "*filter\n"+strings.Repeat(" ", 1<<20)+"\nCOMMIT\n"),
		restore4("1 MiB comment line", "#"+mib+"\n*filter\nCOMMIT\n"),
		restore4("1 MiB chain name", "*filter\n:"+mib+" - [0:0]\nCOMMIT\n"),
		restore4("1 MiB table name", "*"+mib+"\nCOMMIT\n"),
		restore4("1 MiB of words", "*filter\n-A INPUT "+words+"-j ACCEPT\nCOMMIT\n"),
		restore4("1 MiB line without newline", "*filter\n-A INPUT -m comment --comment "+mib),
		restore4("unterminated quote", "*filter\n-A INPUT -m comment --comment \"abc -j ACCEPT\nCOMMIT\n"),
		restore4("escapes", "*filter\n-A INPUT -m comment --comment \"a\\\"b\\\\c\\\" -j ACCEPT\nCOMMIT\n"),
		restore4("300 arguments", "*filter\n-A INPUT"+strings.Repeat(" -m comment --comment x", 100)+" -j ACCEPT\nCOMMIT\n"),
		restore4("1100-byte argument", "*filter\n-A INPUT -m comment --comment \""+strings.Repeat("y", 1100)+"\" -j ACCEPT\nCOMMIT\n"),
		restore4("CRLF", "*filter\r\n-A INPUT -j ACCEPT\r\nCOMMIT\r\n"),
		restore4("bad counters", "*filter\n[1:2:3] -A INPUT -j ACCEPT\n[abc -A INPUT -j ACCEPT\nCOMMIT\n"),
		{name: "bad counters with -c", script: "$X iptables-restore -c", stdin: "*filter\n[1:2:3] -A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "counters without ] with -c", script: "$X iptables-restore -c", stdin: "*filter\n[1:2 -A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "5000-digit counter with -c", script: "$X iptables-restore -c",
			stdin: "*filter\n[" + strings.Repeat("9", 5000) + ":1] -A INPUT -j ACCEPT\nCOMMIT\n"},
		{name: "9000-byte counter with -c", script: "$X iptables-restore -c",
			stdin: "*filter\n[1:" + strings.Repeat("x", 9000) + "] -A INPUT -j ACCEPT\nCOMMIT\n"},
	})
}

func TestHostileRestoreStructure(t *testing.T) {
	checkCases(t, []diffCase{
		restore4("no COMMIT", "*filter\n-A INPUT -j ACCEPT\n"),
		restore4("no COMMIT, second table", "*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*nat\n-A POSTROUTING -j MASQUERADE\n"),
		restore4("nested tables", "*filter\n*nat\nCOMMIT\nCOMMIT\n"),
		restore4("nested tables with rules", "*filter\n-A INPUT -j ACCEPT\n*nat\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n"),
		restore4("table twice", "*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*filter\n-A INPUT -j DROP\nCOMMIT\n"),
		restore4("COMMIT without table", "COMMIT\n"),
		restore4("COMMIT twice", "*filter\nCOMMIT\nCOMMIT\n"),
		restore4("rule outside a table", "-A INPUT -j ACCEPT\n"),
		restore4("chain outside a table", ":foo - [0:0]\n"),
		restore4("-t in a rule", "*filter\n-t nat -A INPUT -j ACCEPT\nCOMMIT\n"),
		restore4("-w in a rule", "*filter\n-w -A INPUT -j ACCEPT\nCOMMIT\n"),
		restore4("empty table name", "*\nCOMMIT\n"),
		restore4("table name with blanks", "* filter \nCOMMIT\n"),
		restore4("lowercase commit", "*filter\ncommit\n"),
		restore4("COMMIT with a blank", "*filter\nCOMMIT \n"),
		restore4("only comments", "# a\n# b\n"),
		restore4("empty", ""),
		restore4("no newline at the end", "*filter\n-A INPUT -j ACCEPT\nCOMMIT"),
		restore4("-4 and -6 lines", "*filter\n-4 -A INPUT -j ACCEPT\n-6 -A INPUT -j DROP\nCOMMIT\n"),
		{name: "ip6tables-restore, -4 and -6 lines", script: "$X ip6tables-restore", stdin: "*filter\n-4 -A INPUT -j ACCEPT\n-6 -A INPUT -j DROP\nCOMMIT\n"},
		{name: "-T skips other tables", script: "$X iptables-restore -T nat", stdin: "*filter\n-A INPUT -j BOGUS\nCOMMIT\n*nat\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n"},
		{name: "--test", script: "$X iptables-restore --test", stdin: "*filter\n-A INPUT -j ACCEPT\nCOMMIT\n"},
	})
}

// TestHostileManyChains: 100,000 user chains in one restore, and a jump
// to the last.
func TestHostileManyChains(t *testing.T) {
	var b strings.Builder
	b.WriteString("*filter\n")
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&b, ":c%d - [0:0]\n", i)
	}
	b.WriteString("-A INPUT -j c99999\n-A c0 -j c1\nCOMMIT\n")
	checkCases(t, []diffCase{
		{name: "100000 chains", script: "$X iptables-restore && $X iptables -S | tail -n 3 && $X iptables -L c99999 -n", stdin: b.String()},
		{name: "100000 chains, ip6tables", script: "$X ip6tables-restore && $X ip6tables -X c5", stdin: b.String()},
	})
}
