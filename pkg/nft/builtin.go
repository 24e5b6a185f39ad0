// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import "github.com/goipt/goipt/pkg/ext"

// BuiltinChain is a base chain iptables-nft creates on first use of its
// table (nft.c's xtables_ipv4, used for ext.IPv4 and ext.IPv6 alike), with
// policy ACCEPT.
type BuiltinChain struct {
	Name     string
	Hook     uint32 // NF_INET_*
	Priority int32
	Type     string
}

// BuiltinTable is a table iptables-nft knows, with its chains in
// iptables-nft's order.
type BuiltinTable struct {
	Name   string
	Chains []BuiltinChain
}

// Hooks (enum nf_inet_hooks).
const (
	HookPrerouting  = 0
	HookInput       = 1
	HookForward     = 2
	HookOutput      = 3
	HookPostrouting = 4
)

// BuiltinTables are the tables of iptables-nft 1.8.9 for ip and ip6, in
// its order (enum nft_table_type: raw, mangle, filter, security, nat).
var BuiltinTables = []BuiltinTable{
	{Name: "raw", Chains: []BuiltinChain{
		{"PREROUTING", HookPrerouting, -300, "filter"},
		{"OUTPUT", HookOutput, -300, "filter"},
	}},
	{Name: "mangle", Chains: []BuiltinChain{
		{"PREROUTING", HookPrerouting, -150, "filter"},
		{"INPUT", HookInput, -150, "filter"},
		{"FORWARD", HookForward, -150, "filter"},
		{"OUTPUT", HookOutput, -150, "route"},
		{"POSTROUTING", HookPostrouting, -150, "filter"},
	}},
	{Name: "filter", Chains: []BuiltinChain{
		{"INPUT", HookInput, 0, "filter"},
		{"FORWARD", HookForward, 0, "filter"},
		{"OUTPUT", HookOutput, 0, "filter"},
	}},
	{Name: "security", Chains: []BuiltinChain{
		{"INPUT", HookInput, 150, "filter"},
		{"FORWARD", HookForward, 150, "filter"},
		{"OUTPUT", HookOutput, 150, "filter"},
	}},
	{Name: "nat", Chains: []BuiltinChain{
		{"PREROUTING", HookPrerouting, -100, "nat"},
		{"INPUT", HookInput, 100, "nat"},
		{"POSTROUTING", HookPostrouting, 100, "nat"},
		{"OUTPUT", HookOutput, -100, "nat"},
	}},
}

// BuiltinTableOf returns the builtin table named name, nil if none.
func BuiltinTableOf(name string) *BuiltinTable {
	for i := range BuiltinTables {
		if BuiltinTables[i].Name == name {
			return &BuiltinTables[i]
		}
	}
	return nil
}

// BuiltinChainOf returns the builtin chain of table, nil if none.
func BuiltinChainOf(table, chain string) *BuiltinChain {
	t := BuiltinTableOf(table)
	if t == nil {
		return nil
	}
	for i := range t.Chains {
		if t.Chains[i].Name == chain {
			return &t.Chains[i]
		}
	}
	return nil
}

// Chain returns the chain iptables-nft creates for b in table of family
// fam (nft_chain_builtin_alloc): hook, priority, type, policy ACCEPT.
func (b *BuiltinChain) Chain(fam ext.Family, table string) *Chain {
	return &Chain{Name: b.Name, Table: table, Family: fam, Hooked: true, Hook: b.Hook,
		Priority: b.Priority, Type: b.Type, HasPolicy: true, Policy: PolicyAccept}
}
