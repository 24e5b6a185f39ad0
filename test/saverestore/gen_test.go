// SPDX-License-Identifier: GPL-2.0-or-later

package saverestore

import (
	"fmt"
	"math/rand"
	"strings"
)

// genSpec describes a generated ruleset.
type genSpec struct {
	v6       bool
	rules    int  // about this many rules, over all tables
	chains   int  // about this many user-defined chains, over all tables
	counters bool // [pkts:bytes] on policies and rules
	seed     int64
}

// hookSet lists the hooks of a table's built-in chains.
var tableChains = map[string][]string{
	"filter": {"INPUT", "FORWARD", "OUTPUT"},
	"nat":    {"PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"},
	"mangle": {"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"},
	"raw":    {"PREROUTING", "OUTPUT"},
}

// tableShare is each table's share of the rules and chains, in percent.
var tableShare = []struct {
	name  string
	share int
}{{"raw", 10}, {"mangle", 25}, {"nat", 20}, {"filter", 45}}

type gen struct {
	r  *rand.Rand
	v6 bool
	n  int // rule serial number, for comments and prefixes
}

// generate returns an iptables-restore file for s: for each table, chains
// grouped by the built-in chain that jumps to them (so that every match and
// target is valid in the hooks it can be reached from), gotos and jumps
// from a chain to later chains of its group, and unreferenced chains.
func generate(s genSpec) string {
	g := &gen{r: rand.New(rand.NewSource(s.seed)), v6: s.v6}
	var b strings.Builder
	fmt.Fprintf(&b, "# generated: v6=%v rules=%d chains=%d counters=%v seed=%d\n", s.v6, s.rules, s.chains, s.counters, s.seed)
	for _, ts := range tableShare {
		table := ts.name
		rules := s.rules * ts.share / 100
		nchains := s.chains * ts.share / 100
		builtins := tableChains[table]
		// Groups: one per built-in chain, plus the unreferenced chains ("").
		type chain struct {
			name  string
			hook  string // "" for unreferenced
			rules []string
		}
		var chains []*chain
		groups := map[string][]*chain{}
		for i := 0; i < nchains; i++ {
			hook := ""
			if i%5 != 4 {
				hook = builtins[i%len(builtins)]
			}
			abbrev := "U"
			if hook != "" {
				abbrev = hook[:3]
			}
			c := &chain{name: fmt.Sprintf("%s_%s_%d", strings.ToUpper(table[:1]), abbrev, i), hook: hook}
			chains = append(chains, c)
			groups[hook] = append(groups[hook], c)
		}
		builtinRules := map[string][]string{}
		// Every grouped chain is reachable from its built-in chain.
		for _, bc := range builtins {
			for _, c := range groups[bc] {
				if g.r.Intn(3) == 0 {
					builtinRules[bc] = append(builtinRules[bc], g.counter(s.counters)+fmt.Sprintf("-A %s %s-g %s", bc, g.simpleMatch(), c.name))
				} else {
					builtinRules[bc] = append(builtinRules[bc], g.counter(s.counters)+fmt.Sprintf("-A %s %s-j %s", bc, g.simpleMatch(), c.name))
				}
			}
		}
		for i := 0; i < rules; i++ {
			if len(chains) == 0 || g.r.Intn(10) == 0 {
				bc := builtins[g.r.Intn(len(builtins))]
				builtinRules[bc] = append(builtinRules[bc], g.counter(s.counters)+fmt.Sprintf("-A %s %s", bc, g.rule(table, bc, true, nil)))
				continue
			}
			c := chains[g.r.Intn(len(chains))]
			// Chains later in the group: jump and goto targets without loops.
			var later []string
			grp := groups[c.hook]
			for j, gc := range grp {
				if gc == c {
					for _, lc := range grp[j+1:] {
						later = append(later, lc.name)
					}
					break
				}
			}
			c.rules = append(c.rules, g.counter(s.counters)+fmt.Sprintf("-A %s %s", c.name, g.rule(table, c.hook, false, later)))
		}
		fmt.Fprintf(&b, "*%s\n", table)
		for _, bc := range builtins {
			pol := "ACCEPT"
			if table != "nat" && g.r.Intn(3) == 0 {
				pol = "DROP"
			}
			fmt.Fprintf(&b, ":%s %s %s\n", bc, pol, g.counterOr(s.counters, "[0:0]"))
		}
		for _, c := range chains {
			fmt.Fprintf(&b, ":%s - %s\n", c.name, g.counterOr(s.counters, "[0:0]"))
		}
		for _, bc := range builtins {
			for _, r := range builtinRules[bc] {
				b.WriteString(r)
				b.WriteByte('\n')
			}
		}
		for _, c := range chains {
			for _, r := range c.rules {
				b.WriteString(r)
				b.WriteByte('\n')
			}
		}
		b.WriteString("COMMIT\n")
	}
	return b.String()
}

func (g *gen) counter(on bool) string {
	if !on {
		return ""
	}
	return g.counterOr(true, "") + " "
}

func (g *gen) counterOr(on bool, def string) string {
	if !on {
		return def
	}
	switch g.r.Intn(4) {
	case 0:
		return "[0:0]"
	case 1:
		return fmt.Sprintf("[%d:%d]", g.r.Intn(1000), g.r.Intn(1000000))
	case 2:
		return fmt.Sprintf("[%d:%d]", g.r.Uint64()>>1, g.r.Uint64())
	default:
		return fmt.Sprintf("[%d:%d]", g.r.Intn(10), g.r.Intn(100)*64)
	}
}

func (g *gen) pick(xs ...string) string { return xs[g.r.Intn(len(xs))] }

func (g *gen) not() string {
	if g.r.Intn(4) == 0 {
		return "! "
	}
	return ""
}

func (g *gen) addr() string {
	if g.v6 {
		a := fmt.Sprintf("2001:db8:%x:%x::%x", g.r.Intn(0x10000), g.r.Intn(0x10000), g.r.Intn(0x10000))
		if g.r.Intn(2) == 0 {
			return a
		}
		return fmt.Sprintf("%s/%d", a, 16+g.r.Intn(113))
	}
	a := fmt.Sprintf("10.%d.%d.%d", g.r.Intn(256), g.r.Intn(256), g.r.Intn(256))
	switch g.r.Intn(3) {
	case 0:
		return a
	case 1:
		return fmt.Sprintf("%s/%d", a, g.r.Intn(33))
	default:
		return fmt.Sprintf("%s/255.255.%d.0", a, 256-(1<<g.r.Intn(8)))
	}
}

func (g *gen) iface() string {
	return g.pick(fmt.Sprintf("eth%d", g.r.Intn(10)), "eth+", fmt.Sprintf("wlan%d+", g.r.Intn(4)), "br-lan", "veth+", "lo", "+")
}

// simpleMatch is a match valid anywhere, for the jumps of built-in chains.
func (g *gen) simpleMatch() string {
	switch g.r.Intn(4) {
	case 0:
		return ""
	case 1:
		return g.not() + "-s " + g.addr() + " "
	case 2:
		return "-d " + g.addr() + " "
	default:
		return "-p " + g.pick("tcp", "udp") + " "
	}
}

// hookOK reports whether hook allows an input (in) or output (out)
// interface match; "" is an unreferenced chain, where anything goes.
func ifaceOK(hook string, in bool) bool {
	switch hook {
	case "":
		return true
	case "INPUT", "PREROUTING":
		return in
	case "OUTPUT", "POSTROUTING":
		return !in
	}
	return true // FORWARD
}

// rule returns a rule's matches and target for table, reached from hook
// ("" unreferenced). builtin: the rule sits in the built-in chain itself,
// where iptables also checks interface directions by name. later: chains
// the rule may jump or go to.
func (g *gen) rule(table, hook string, builtin bool, later []string) string {
	var m []string
	proto := ""
	// Addresses and interfaces.
	if g.r.Intn(2) == 0 {
		m = append(m, g.not()+"-s "+g.addr())
	}
	if g.r.Intn(3) == 0 {
		m = append(m, g.not()+"-d "+g.addr())
	}
	if g.r.Intn(3) == 0 && ifaceOK(hook, true) {
		m = append(m, g.not()+"-i "+g.iface())
	}
	if g.r.Intn(3) == 0 && ifaceOK(hook, false) {
		m = append(m, g.not()+"-o "+g.iface())
	}
	if !g.v6 && g.r.Intn(20) == 0 {
		m = append(m, g.not()+"-f")
	}
	// Protocol and its match.
	switch g.r.Intn(9) {
	case 0, 1:
		proto = "tcp"
		m = append(m, "-p tcp", g.pick("-m tcp ", "")+g.pick(
			fmt.Sprintf("--dport %d", 1+g.r.Intn(65535)),
			fmt.Sprintf("--sport %d:%d", g.r.Intn(1024), 1024+g.r.Intn(60000)),
			fmt.Sprintf("! --dport %d", 1+g.r.Intn(1024)),
			"--tcp-flags SYN,RST,ACK SYN",
			"! --syn",
			"--tcp-option 2",
		))
	case 2:
		proto = "udp"
		m = append(m, "-p udp", fmt.Sprintf("-m udp --dport %d", 1+g.r.Intn(65535)))
	case 3:
		proto = "icmp"
		if g.v6 {
			m = append(m, "-p ipv6-icmp", "-m icmp6 --icmpv6-type "+g.pick("128", "echo-reply", "1/3", "neighbour-solicitation"))
		} else {
			m = append(m, "-p icmp", "-m icmp --icmp-type "+g.pick("8", "echo-reply", "3/4", "any", "time-exceeded"))
		}
	case 4:
		proto = g.pick("tcp", "udp")
		m = append(m, "-p "+proto, "-m multiport "+g.pick("--dports", "--sports", "--ports", "! --dports")+" "+
			g.pick("22,80,443", "53", fmt.Sprintf("1000:%d,8080", 1001+g.r.Intn(1000)), "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15"))
	case 5:
		proto = g.pick("sctp", "47", "esp", "all")
		m = append(m, "-p "+proto)
	}
	// Other matches.
	if g.r.Intn(4) == 0 {
		m = append(m, "-m conntrack "+g.pick("--ctstate NEW", "--ctstate RELATED,ESTABLISHED", "! --ctstate INVALID",
			"--ctstate NEW --ctstatus ASSURED", "--ctorigsrc "+g.addr(), "--ctstate DNAT,SNAT"))
	}
	if g.r.Intn(6) == 0 {
		m = append(m, "-m state --state "+g.pick("NEW", "ESTABLISHED", "RELATED,ESTABLISHED", "INVALID", "UNTRACKED"))
	}
	if g.r.Intn(6) == 0 {
		m = append(m, fmt.Sprintf("-m limit --limit %d/%s --limit-burst %d", 1+g.r.Intn(100), g.pick("sec", "min", "second", "minute"), 1+g.r.Intn(50)))
	}
	if g.r.Intn(6) == 0 {
		m = append(m, "-m mark "+g.pick("", "! ")+fmt.Sprintf("--mark 0x%x", g.r.Intn(1<<16))+g.pick("", fmt.Sprintf("/0x%x", g.r.Intn(1<<16))))
	}
	if (hook == "" || hook == "PREROUTING" || hook == "INPUT" || hook == "FORWARD") && g.r.Intn(10) == 0 {
		m = append(m, "-m mac "+g.pick("", "! ")+fmt.Sprintf("--mac-source 02:00:%02x:%02x:%02X:%02x", g.r.Intn(256), g.r.Intn(256), g.r.Intn(256), g.r.Intn(256)))
	}
	if g.r.Intn(4) == 0 {
		g.n++
		m = append(m, "-m comment --comment "+g.pick(
			fmt.Sprintf("\"rule %d with spaces\"", g.n),
			fmt.Sprintf("rule-%d", g.n),
			fmt.Sprintf("\"quote \\\" and  two spaces %d\"", g.n),
		))
	}
	return strings.Join(append(m, g.target(table, hook, builtin, proto, later)), " ")
}

func (g *gen) target(table, hook string, builtin bool, proto string, later []string) string {
	opts := []string{"ACCEPT", "RETURN", "LOG", "none"}
	if len(later) > 0 {
		opts = append(opts, "jump", "goto", "jump")
	}
	switch table {
	case "filter":
		opts = append(opts, "DROP", "REJECT", "REJECT")
	case "mangle":
		opts = append(opts, "MARK", "MARK", "DSCP", "TCPMSS")
	case "raw":
		opts = append(opts, "CT", "CT", "DROP")
	case "nat":
		switch hook {
		case "PREROUTING", "OUTPUT":
			opts = append(opts, "DNAT", "DNAT", "REDIRECT")
		case "POSTROUTING":
			opts = append(opts, "SNAT", "MASQUERADE", "MASQUERADE")
		case "INPUT":
			opts = append(opts, "SNAT")
		}
	}
	if builtin {
		// Keep the policy chain's own rules simple.
		opts = opts[:3]
	}
	g.n++
	switch t := opts[g.r.Intn(len(opts))]; t {
	case "none":
		return ""
	case "jump":
		return "-j " + later[g.r.Intn(len(later))]
	case "goto":
		return "-g " + later[g.r.Intn(len(later))]
	case "LOG":
		return fmt.Sprintf("-j LOG --log-prefix \"%s %d: \"", g.pick("IN drop", "fw", "x y z"), g.n) +
			g.pick("", " --log-level 4", " --log-level debug", " --log-tcp-options --log-ip-options", " --log-uid")
	case "REJECT":
		if proto == "tcp" && g.r.Intn(2) == 0 {
			return "-j REJECT --reject-with tcp-reset"
		}
		if g.v6 {
			return "-j REJECT --reject-with " + g.pick("icmp6-port-unreachable", "icmp6-adm-prohibited", "icmp6-no-route")
		}
		return "-j REJECT --reject-with " + g.pick("icmp-port-unreachable", "icmp-host-prohibited", "icmp-admin-prohibited", "icmp-net-unreachable")
	case "MARK":
		return g.pick(fmt.Sprintf("-j MARK --set-mark 0x%x", g.r.Intn(1<<20)),
			fmt.Sprintf("-j MARK --set-xmark 0x%x/0x%x", g.r.Intn(1<<20), g.r.Intn(1<<20)),
			fmt.Sprintf("-j MARK --and-mark 0x%x", g.r.Intn(1<<20)),
			fmt.Sprintf("-j MARK --or-mark 0x%x", g.r.Intn(1<<20)))
	case "DSCP":
		return g.pick(fmt.Sprintf("-j DSCP --set-dscp %d", g.r.Intn(64)), "-j DSCP --set-dscp-class "+g.pick("EF", "AF11", "CS1", "BE"))
	case "TCPMSS":
		if proto != "" {
			return "-j MARK --set-mark 1"
		}
		// TCPMSS needs a TCP SYN match.
		return fmt.Sprintf("-p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss %d", 500+g.r.Intn(1000))
	case "CT":
		return g.pick("-j CT --notrack", "-j CT --notrack", fmt.Sprintf("-j CT --zone %d", g.r.Intn(100)))
	case "DNAT":
		if proto == "tcp" || proto == "udp" {
			return "-j DNAT --to-destination " + g.natAddr(true)
		}
		return "-j DNAT --to-destination " + g.natAddr(false)
	case "SNAT":
		if proto == "tcp" || proto == "udp" {
			return "-j SNAT --to-source " + g.natAddr(true) + g.pick("", " --random", " --persistent")
		}
		return "-j SNAT --to-source " + g.natAddr(false)
	case "MASQUERADE":
		if proto == "tcp" || proto == "udp" {
			return "-j MASQUERADE" + g.pick("", fmt.Sprintf(" --to-ports %d-%d", 1024+g.r.Intn(1000), 3000+g.r.Intn(1000)), " --random")
		}
		return "-j MASQUERADE"
	case "REDIRECT":
		if proto == "tcp" || proto == "udp" {
			return fmt.Sprintf("-j REDIRECT --to-ports %d", 1+g.r.Intn(65535))
		}
		return "-j REDIRECT"
	default:
		return "-j " + t
	}
}

func (g *gen) natAddr(port bool) string {
	var a string
	if g.v6 {
		a = fmt.Sprintf("2001:db8::%x", 1+g.r.Intn(0xffff))
		if port {
			return fmt.Sprintf("[%s]:%d", a, 1+g.r.Intn(65535))
		}
		return a
	}
	a = fmt.Sprintf("192.0.2.%d", 1+g.r.Intn(254))
	if g.r.Intn(3) == 0 {
		a += fmt.Sprintf("-192.0.2.%d", 255)
	}
	if port {
		return fmt.Sprintf("%s:%d", a, 1+g.r.Intn(65535))
	}
	return a
}
