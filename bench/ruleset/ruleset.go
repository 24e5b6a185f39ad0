// SPDX-License-Identifier: GPL-2.0-or-later

// Package ruleset generates the IPv4 rulesets of goipt's benchmark: N
// filter rules over N/100 user chains with the matches and targets of real
// firewalls (addresses, tcp/udp ports, multiport, conntrack, comment,
// limit, jumps, REJECT, LOG), plus nat, mangle and raw rules, in
// iptables-save format.
package ruleset

import (
	"fmt"
	"strings"
)

// Chain is the name of user chain i.
func Chain(i int) string { return fmt.Sprintf("svc-%05d", i) }

// LibChain is an empty user chain every ruleset has, for the library
// benchmarks' appends.
const LibChain = "bench-lib"

// NoFlushChain is the chain the --noflush restore fills.
const NoFlushChain = "bench-noflush"

// Chains is the number of user chains of a ruleset of n filter rules.
func Chains(n int) int { return max(n/100, 1) }

// Rule is the text, after "-A chain", of rule j (0-based) of user chain c.
func Rule(c, j int) string {
	a, b := (c>>8)&255, c&255
	port := 1024 + (c*100+j)%60000
	switch j % 10 {
	case 0:
		return fmt.Sprintf("-m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment \"svc %d established\" -j ACCEPT", c)
	case 1:
		return fmt.Sprintf("-s 10.%d.%d.%d/32 -p tcp -m tcp --dport %d -m conntrack --ctstate NEW -j ACCEPT", a, b, j, port)
	case 2:
		return fmt.Sprintf("-s 172.16.%d.0/24 -d 192.168.%d.%d/32 -p udp -m udp --dport %d -j ACCEPT", b, a, j, port)
	case 3:
		return fmt.Sprintf("-p tcp -m multiport --dports 80,443,%d:%d -m comment --comment \"web %d/%d\" -j ACCEPT", port, port+10, c, j)
	case 4:
		return fmt.Sprintf("-s 198.51.%d.%d/32 -p tcp -m tcp --sport 1024:65535 --dport %d --tcp-flags FIN,SYN,RST,ACK SYN -j REJECT --reject-with tcp-reset", b, j, port)
	case 5:
		return fmt.Sprintf("-i eth%d -p icmp -m icmp --icmp-type 8 -m limit --limit 10/sec --limit-burst 20 -j ACCEPT", j%4)
	case 6:
		return fmt.Sprintf("-p tcp -m tcp --dport %d -m limit --limit 5/min -j LOG --log-prefix \"drop %d/%d \" --log-level 6", port, c, j)
	case 7:
		return fmt.Sprintf("-d 10.%d.%d.%d/32 ! -i lo -p udp -m multiport --sports 53,123,%d -j REJECT --reject-with icmp-port-unreachable", a, b, j, port)
	case 8:
		return fmt.Sprintf("-s 10.%d.%d.0/24 -m conntrack --ctstate INVALID -j DROP", a+100, b)
	default:
		if c > 0 {
			return fmt.Sprintf("-s 100.64.%d.%d/32 -j %s", b, j, Chain(c-1))
		}
		return fmt.Sprintf("-s 100.64.%d.%d/32 -j RETURN", b, j)
	}
}

// Restore returns a ruleset of n filter rules over Chains(n) user chains
// (INPUT jumps to each), with n/10 nat rules, 20 mangle and 10 raw rules.
func Restore(n int) string {
	var s strings.Builder
	chains := Chains(n)
	per := (n - chains) / chains
	s.WriteString("*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n")
	for i := 0; i < 10; i++ {
		fmt.Fprintf(&s, "-A PREROUTING -d 10.250.0.%d/32 -p udp -m udp --dport 53 -j CT --notrack\n", i)
	}
	s.WriteString("COMMIT\n*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n")
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&s, "-A PREROUTING -s 10.251.%d.0/24 -p tcp -m tcp --dport %d -j MARK --set-xmark 0x%x/0xffffffff\n", i, 8000+i, i+1)
	}
	s.WriteString("COMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n")
	for i := 0; i < max(n/10, 10); i++ {
		a, b := (i>>8)&255, i&255
		switch i % 3 {
		case 0:
			fmt.Fprintf(&s, "-A PREROUTING -d 203.0.%d.%d/32 -p tcp -m tcp --dport %d -j DNAT --to-destination 10.%d.%d.%d:8080\n", a, b, 1024+i%60000, 20+a, b, i%250+1)
		case 1:
			fmt.Fprintf(&s, "-A POSTROUTING -s 10.%d.%d.0/24 -o eth0 -j SNAT --to-source 198.18.%d.%d\n", 20+a, b, a, b)
		default:
			fmt.Fprintf(&s, "-A POSTROUTING -s 10.%d.%d.0/24 -o eth1 -m comment --comment \"masq %d\" -j MASQUERADE\n", 40+a, b, i)
		}
	}
	s.WriteString("COMMIT\n*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n")
	for c := 0; c < chains; c++ {
		fmt.Fprintf(&s, ":%s - [0:0]\n", Chain(c))
	}
	fmt.Fprintf(&s, ":%s - [0:0]\n", LibChain)
	for c := 0; c < chains; c++ {
		fmt.Fprintf(&s, "-A INPUT -p tcp -m tcp --dport %d -j %s\n", 1024+c, Chain(c))
	}
	for c := 0; c < chains; c++ {
		for j := 0; j < per; j++ {
			fmt.Fprintf(&s, "-A %s %s\n", Chain(c), Rule(c, j))
		}
	}
	s.WriteString("COMMIT\n")
	return s.String()
}

// NoFlush returns a --noflush restore of k rules into NoFlushChain, which
// it creates (or flushes): repeating it does not grow the table.
func NoFlush(k int) string {
	var s strings.Builder
	fmt.Fprintf(&s, "*filter\n:%s - [0:0]\n", NoFlushChain)
	for j := 0; j < k; j++ {
		fmt.Fprintf(&s, "-A %s %s\n", NoFlushChain, Rule(0, j%100))
	}
	s.WriteString("COMMIT\n")
	return s.String()
}
