// SPDX-License-Identifier: GPL-2.0-or-later

// Package iptables stands in for github.com/coreos/go-iptables/iptables in
// scripts/goiptables-compat.sh's temporary module: every name of
// go-iptables' public API is an alias of goipt's pkg/goiptables, so that
// go-iptables' own tests, reduced to that API, compile in this package and
// test goiptables.
package iptables

import g "github.com/goipt/goipt/pkg/goiptables"

type (
	IPTables = g.IPTables
	Error    = g.Error
	Stat     = g.Stat
	Protocol = g.Protocol
	Unlocker = g.Unlocker
)

const (
	ProtocolIPv4 = g.ProtocolIPv4
	ProtocolIPv6 = g.ProtocolIPv6
)

var (
	New             = g.New
	NewWithProtocol = g.NewWithProtocol
	IPFamily        = g.IPFamily
	Timeout         = g.Timeout
	Path            = g.Path
)

func verMajor(ipt *IPTables) int { v, _, _ := ipt.GetIptablesVersion(); return v }
func verMinor(ipt *IPTables) int { _, v, _ := ipt.GetIptablesVersion(); return v }
func verPatch(ipt *IPTables) int { _, _, v := ipt.GetIptablesVersion(); return v }
