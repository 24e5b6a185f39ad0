// SPDX-License-Identifier: GPL-2.0-or-later

package goiptables

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Stats lists the rules of table/chain with their counters, one row per
// rule, from iptables -L CHAIN -n -v -x: pkts, bytes, target, prot, opt,
// in, out, source, destination (each with its mask, "/32" or "/128" when
// iptables leaves it out) and the rest of the line joined by blanks.
func (ipt *IPTables) Stats(table, chain string) ([][]string, error) {
	lines, err := ipt.executeList([]string{"-t", table, "-L", chain, "-n", "-v", "-x"})
	if err != nil {
		return nil, err
	}
	if len(lines) > 0 && strings.HasPrefix(lines[0], "#") { // a warning
		lines = lines[1:]
	}
	rows := [][]string{}
	for i, line := range lines {
		if i < 2 { // "Chain ..." and the column titles
			continue
		}
		f := strings.Fields(strings.TrimSpace(line))
		if ipt.proto == ProtocolIPv6 && len(f) > 6 && isAddr(f[6]) {
			// ip6tables' opt column may be blank: put it back.
			f = append(f[:4], append([]string{"  "}, f[4:]...)...)
		}
		if len(f) < 9 {
			return nil, fmt.Errorf("goiptables: cannot read the counters line %q", line)
		}
		f[7], f[8] = withMask(f[7]), withMask(f[8])
		row := append(f[:9:9], strings.Join(f[9:], " "))
		rows = append(rows, row)
	}
	return rows, nil
}

func isAddr(s string) bool {
	if ip, _, err := net.ParseCIDR(s); err == nil && ip != nil {
		return true
	}
	return net.ParseIP(s) != nil
}

// withMask adds the host mask to an address iptables -L printed without
// one.
func withMask(addr string) string {
	switch {
	case strings.Contains(addr, "/"):
		return addr
	case strings.Contains(addr, "."):
		return addr + "/32"
	}
	return addr + "/128"
}

// statError is go-iptables' error text for a field ParseStat cannot read
// (its format string is the parse error, the field name an extra
// argument).
func statError(err error, what string) error {
	return errors.New(err.Error() + "%!(EXTRA string=could not parse " + what + ")")
}

// ParseStat reads a row of Stats into a Stat.
func (ipt *IPTables) ParseStat(stat []string) (parsed Stat, err error) {
	if len(stat) < 10 {
		return parsed, fmt.Errorf("stat contained fewer fields than expected")
	}
	if parsed.Packets, err = strconv.ParseUint(stat[0], 0, 64); err != nil {
		return parsed, statError(err, "packets")
	}
	if parsed.Bytes, err = strconv.ParseUint(stat[1], 0, 64); err != nil {
		return parsed, statError(err, "bytes")
	}
	if _, parsed.Source, err = net.ParseCIDR(stat[7]); err != nil {
		return parsed, statError(err, "source")
	}
	if _, parsed.Destination, err = net.ParseCIDR(stat[8]); err != nil {
		return parsed, statError(err, "destination")
	}
	parsed.Target, parsed.Protocol, parsed.Opt = stat[2], stat[3], stat[4]
	parsed.Input, parsed.Output, parsed.Options = stat[5], stat[6], stat[9]
	return parsed, nil
}

// StructuredStats is Stats with each row read by ParseStat.
func (ipt *IPTables) StructuredStats(table, chain string) ([]Stat, error) {
	rows, err := ipt.Stats(table, chain)
	if err != nil {
		return nil, err
	}
	out := []Stat{}
	for _, row := range rows {
		s, err := ipt.ParseStat(row)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
