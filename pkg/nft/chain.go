// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/nft/expr"
)

// Chain is an nf_tables chain: a base chain when Hooked.
type Chain struct {
	Name   string
	Table  string
	Family ext.Family
	Handle uint64

	Hooked   bool
	Hook     uint32 // NF_INET_*
	Priority int32
	Type     string // "filter", "nat", "route"

	HasPolicy bool
	Policy    uint32 // NF_DROP or NF_ACCEPT

	// Counters are the policy's (base chains); HasCounters says whether
	// they are written. iptables-nft's CHAIN_UPDATE always writes them:
	// zero for -P, the restore's [packets:bytes] (nft_cmd_chain_set,
	// nft_chain_set).
	HasCounters    bool
	Packets, Bytes uint64
	Use            uint32 // the kernel's use count: jumps to it and its rules
	Flags          uint32
	UserData       []byte
	NewName        string // a rename's new name (CHAIN_RENAME)

	dumped uint32 // the attributes the kernel dumped, by libnftnl id
}

// Policies.
const (
	PolicyDrop   = 0 // NF_DROP
	PolicyAccept = 1 // NF_ACCEPT
)

// libnftnl's NFTNL_CHAIN_* ids.
const (
	chainName     = 0
	chainFamily   = 1
	chainTable    = 2
	chainHooknum  = 3
	chainPrio     = 4
	chainPolicy   = 5
	chainUse      = 6
	chainBytes    = 7
	chainPackets  = 8
	chainHandle   = 9
	chainType     = 10
	chainFlags    = 13
	chainUserData = 15
)

// encode writes c with the attributes iptables-nft sets
// (nft_chain_builtin_alloc, nft_chain_user_add, nft_chain_user_rename;
// for CHAIN_DEL, pass the chain as Chains returned it: __nft_chain_del
// sends the dumped object less its handle, which encode never writes but
// for a rename).
func (c *Chain) encode(w *expr.Writer, h expr.ObjectHeader) {
	h.Family = uint16(c.Family)
	w.Object(kindChain, h)
	w.U32(chainFamily, uint32(c.Family))
	w.Str(chainTable, c.Table)
	if c.NewName != "" {
		w.U64(chainHandle, c.Handle)
		w.Str(chainName, c.NewName)
	} else {
		w.Str(chainName, c.Name)
	}
	if c.Hooked {
		w.U32(chainHooknum, c.Hook)
		w.U32(chainPrio, uint32(c.Priority))
	}
	if c.HasPolicy {
		w.U32(chainPolicy, c.Policy)
	}
	if c.Type != "" {
		w.Str(chainType, c.Type)
	}
	if c.HasCounters {
		w.U64(chainBytes, c.Bytes)
		w.U64(chainPackets, c.Packets)
	}
	// A chain as dumped carries these; iptables-nft deletes a chain by
	// sending its cached (dumped) object without the handle.
	if c.Use != 0 || c.dumped&(1<<chainUse) != 0 {
		w.U32(chainUse, c.Use)
	}
	if c.Flags != 0 || c.dumped&(1<<chainFlags) != 0 {
		w.U32(chainFlags, c.Flags)
	}
	w.End()
}

func decodeChain(r *expr.Reader) *Chain {
	c := &Chain{}
	for r.Peek() == expr.TagAttr {
		_, id, v, _ := r.Next()
		if id < 32 {
			c.dumped |= 1 << id
		}
		switch id {
		case chainName:
			c.Name = string(expr.CString(v))
		case chainFamily:
			c.Family = ext.Family(expr.U32(v))
		case chainTable:
			c.Table = string(expr.CString(v))
		case chainHooknum:
			c.Hooked, c.Hook = true, expr.U32(v)
		case chainPrio:
			c.Priority = int32(expr.U32(v))
		case chainPolicy:
			c.HasPolicy, c.Policy = true, expr.U32(v)
		case chainUse:
			c.Use = expr.U32(v)
		case chainBytes:
			c.HasCounters, c.Bytes = true, expr.U64(v)
		case chainPackets:
			c.HasCounters, c.Packets = true, expr.U64(v)
		case chainHandle:
			c.Handle = expr.U64(v)
		case chainType:
			c.Type = string(expr.CString(v))
		case chainFlags:
			c.Flags = expr.U32(v)
		case chainUserData:
			c.UserData = append([]byte(nil), v...)
		}
	}
	return c
}
