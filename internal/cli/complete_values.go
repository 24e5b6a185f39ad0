// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"bufio"
	"net"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

// The values shell completion offers: tables, verdicts, protocols,
// interfaces, chains, and the values of some extensions' options.

// legacyTables are the tables of the legacy x_tables API.
var legacyTables = []string{"filter", "nat", "mangle", "raw", "security"}

// verdicts are the standard targets.
var verdicts = []string{"ACCEPT", "DROP", "RETURN", "QUEUE"}

// extValues lists fixed values of extension options: extension name (or
// "*" for any), option name, values. Lists separated by commas complete
// item by item.
var extValues = map[string]map[string][]string{
	"conntrack": {
		"ctstate":  {"INVALID", "NEW", "ESTABLISHED", "RELATED", "UNTRACKED", "SNAT", "DNAT"},
		"ctstatus": {"NONE", "EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED"},
		"ctdir":    {"ORIGINAL", "REPLY"},
	},
	"state": {"state": {"INVALID", "NEW", "ESTABLISHED", "RELATED", "UNTRACKED"}},
	"tcp":   {"tcp-flags": {"SYN", "ACK", "FIN", "RST", "URG", "PSH", "ALL", "NONE"}},
	"addrtype": {
		"src-type": addrTypes,
		"dst-type": addrTypes,
	},
	"pkttype":   {"pkt-type": {"unicast", "broadcast", "multicast"}},
	"LOG":       {"log-level": {"emerg", "alert", "crit", "error", "warning", "notice", "info", "debug"}},
	"policy":    {"dir": {"in", "out"}, "pol": {"none", "ipsec"}, "mode": {"tunnel", "transport"}, "proto": {"ah", "esp", "ipcomp"}},
	"hashlimit": {"hashlimit-mode": {"srcip", "srcport", "dstip", "dstport"}},
	"time":      {"weekdays": {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}},
	"CT":        {"ctevents": {"new", "related", "destroy", "reply", "assured", "protoinfo", "helper", "mark", "natseqinfo", "secmark"}},
}

var addrTypes = []string{"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST",
	"BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"}

// listValued are the extension options whose value is a comma list.
var listValued = map[string]bool{
	"ctstate": true, "ctstatus": true, "state": true, "tcp-flags": true, "src-type": true,
	"dst-type": true, "hashlimit-mode": true, "weekdays": true, "ctevents": true,
}

// ifaceValued are extension options that take an interface name.
var ifaceValued = map[string]bool{"physdev-in": true, "physdev-out": true}

// helpListed are extension options whose values the extension's help
// lists after a "Valid ... types:" line.
var helpListed = map[string]bool{"icmp-type": true, "icmpv6-type": true, "reject-with": true}

// protoValued are extension options that take a protocol.
var protoValued = map[string]bool{"ctproto": true}

// Protocols are the names libxtables knows without /etc/protocols.
func protocols(fam ext.Family) []string {
	if fam == ext.IPv6 {
		return []string{"tcp", "udp", "udplite", "icmpv6", "ipv6-icmp", "esp", "ah", "sctp", "mh", "dccp", "all"}
	}
	return []string{"tcp", "udp", "udplite", "icmp", "esp", "ah", "sctp", "dccp", "all"}
}

// etcProtocols lists the names in /etc/protocols.
func etcProtocols() []string {
	f, err := os.Open("/etc/protocols")
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		line, _, _ := strings.Cut(s.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) >= 2 {
			out = append(out, fields[0])
			if len(fields) > 2 {
				out = append(out, fields[2:]...)
			}
		}
	}
	return out
}

// interfaces lists network interface names: those of the caller's network
// namespace, or those in /sys/class/net when that cannot be asked.
func interfaces() []string {
	var out []string
	if ifs, err := net.Interfaces(); err == nil {
		for _, i := range ifs {
			out = append(out, i.Name)
		}
		return out
	}
	ents, err := os.ReadDir("/sys/class/net")
	if err != nil {
		return nil
	}
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

// chainLister reads the chains of a table, from the plain names' backend
// (with iptables-nft's built-in chains, made on first use, whether the
// kernel has them yet or not); tests may replace it.
var chainLister = func(fam ext.Family, table string) (builtin, user []string) {
	h, err := PlainBackend(fam).Open(fam, table)
	if err != nil {
		return nil, nil
	}
	defer h.Close()
	if l, ok := h.(backend.Lister); ok {
		l.PrepareList("")
	}
	for _, c := range h.Chains() {
		if h.Builtin(c) {
			builtin = append(builtin, c)
		} else {
			user = append(user, c)
		}
	}
	return builtin, user
}

// completeValue adds the values of kind (a table, a match, ...) and
// returns the shell's directive. x is needed for matches only.
func completeValue(x *ext.Xtables, fam ext.Family, kind parse.ArgKind, c *completions) cobra.ShellCompDirective {
	switch kind {
	case parse.ArgTable:
		c.addAll(legacyTables, "table")
	case parse.ArgMatch:
		if matches, _, err := x.Plugins(); err == nil {
			sort.Strings(matches)
			for _, m := range matches {
				if m != "standard" {
					c.add(m, "match extension")
				}
			}
		}
	case parse.ArgProtocol:
		c.addAll(protocols(fam), "protocol")
		if len(c.out) == 0 && c.toComplete != "" {
			c.addAll(etcProtocols(), "protocol")
		}
	case parse.ArgInterface:
		c.later = append(c.later, func() { c.addAll(interfaces(), "interface") })
	case parse.ArgPolicy:
		c.addAll([]string{"ACCEPT", "DROP"}, "policy")
	case parse.ArgFile:
		return cobra.ShellCompDirectiveDefault
	}
	return cobra.ShellCompDirectiveNoFileComp
}

// extArg completes the argument of an extension's option.
func (w *ruleWalk) extArg(x *ext.Xtables, c *completions) cobra.ShellCompDirective {
	opt, e := w.extOpt, w.extOf
	name := ""
	if e != nil {
		name = e.name
	}
	switch {
	case ifaceValued[opt]:
		c.later = append(c.later, func() { c.addAll(interfaces(), "interface") })
	case protoValued[opt]:
		c.addAll(protocols(w.fam), "protocol")
	case helpListed[opt] && e != nil:
		for _, v := range helpValues(e.help) {
			c.add(v[0], v[1])
		}
	default:
		values := extValues[name][opt]
		if values == nil {
			return cobra.ShellCompDirectiveNoFileComp
		}
		if listValued[opt] {
			if i := strings.LastIndexByte(c.toComplete, ','); i >= 0 {
				c.prefix += c.toComplete[len(c.prefix) : i+1]
			}
		}
		c.addAll(values, "")
		if listValued[opt] {
			return cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
		}
	}
	return cobra.ShellCompDirectiveNoFileComp
}

// helpValues reads the value list an extension's help prints after a line
// such as "Valid ICMP Types:" or "Valid reject types:". A line is a name,
// maybe aliases in parentheses ("echo-reply (pong)"), maybe a description
// after a tab or two spaces.
func helpValues(help string) [][2]string {
	var out [][2]string
	in := false
	for _, line := range strings.Split(help, "\n") {
		t := strings.TrimSpace(line)
		if !in {
			l := strings.ToLower(t)
			in = strings.HasPrefix(l, "valid ") && strings.HasSuffix(l, "types:")
			continue
		}
		if t == "" {
			break
		}
		names, desc := t, ""
		if i := strings.IndexAny(t, "\t"); i >= 0 {
			names, desc = t[:i], t[i:]
		}
		if i := strings.Index(names, "  "); i >= 0 {
			names, desc = names[:i], names[i:]+desc
		}
		desc = strings.TrimSpace(desc)
		fields := strings.Fields(names)
		out = append(out, [2]string{fields[0], desc})
		for _, f := range fields[1:] {
			if strings.HasPrefix(f, "(") && strings.HasSuffix(f, ")") {
				out = append(out, [2]string{strings.Trim(f, "()"), "alias of " + fields[0]})
			}
		}
	}
	return out
}
