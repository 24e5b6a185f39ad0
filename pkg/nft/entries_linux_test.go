// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"io"
	"net/netip"
	"strings"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

// builder gives pkg/parse libxtables as goipt's command layer does
// (internal/iptables/adapter.go), to build the entries of command lines.
type builder struct {
	x   *ext.Xtables
	hdr ext.Header
}

func toParseExt(e *ext.Ext) *parse.Ext {
	if e == nil {
		return nil
	}
	pe := &parse.Ext{Name: e.Name, Target: e.Target, Clone: e.Clone, HasParse: e.HasParse, Handle: e}
	pe.Options = []parse.Option{}
	for _, o := range e.Options {
		pe.Options = append(pe.Options, parse.Option{Name: o.Name, HasArg: o.HasArg, ID: o.ID})
	}
	return pe
}

func (b *builder) LoadMatch(name string, tryLoad bool) (*parse.Ext, error) {
	mode := ext.MustSucceed
	if tryLoad {
		mode = ext.TryLoad
	}
	e, err := b.x.LoadMatch(name, mode)
	return toParseExt(e), err
}

func (b *builder) LoadTarget(name string) (*parse.Ext, error) {
	e, err := b.x.LoadTarget(name)
	return toParseExt(e), err
}

func (b *builder) IsTarget(name string) bool { ok, _ := b.x.IsTarget(name); return ok }

func (b *builder) ParseOption(e *parse.Ext, id int, arg string, hasArg, invert bool, argv []string, optind int) (int, error) {
	b.x.SetArgv(argv)
	return b.x.ParseOption(e.Handle.(*ext.Ext), id, arg, hasArg, invert, optind)
}

func (b *builder) ParseProtocol(name string) (uint16, error) { return b.x.ParseProtocol(name) }
func (b *builder) ProtoName(p uint16, nolookup bool) (string, bool) {
	return b.x.ProtoName(p, nolookup)
}
func (b *builder) SetProto(proto uint16, flags, invflags uint8) {
	b.hdr.Proto, b.hdr.Flags, b.hdr.InvFlags = proto, flags, invflags
	b.x.SetHeader(&b.hdr)
}
func (b *builder) FinalCheck() error { return b.x.FinalCheck() }
func (b *builder) ParseAddresses(spec string) (addrs, masks []netip.Addr, err error) {
	return b.x.ParseAddresses(spec)
}

// built is one entry of a command line.
type built struct {
	Table, Chain string
	Entry        []byte
	IsChain      bool // the target is a jump to a chain
}

// buildEntries builds the entries of an append command line (argv
// without the program), inside ext.Run. chains are the user chains.
func buildEntries(x *ext.Xtables, fam ext.Family, argv []string, chains map[string]bool) ([]built, error) {
	if err := x.Reset(); err != nil {
		return nil, err
	}
	b := &builder{x: x}
	prog := "iptables"
	if fam == ext.IPv6 {
		prog = "ip6tables"
	}
	cmd, addrs, err := parse.Parse(append([]string{prog}, argv...), parse.Config{
		IPv6: fam == ext.IPv6, Program: prog, Exts: b, Stderr: io.Discard,
	})
	if err != nil {
		return nil, err
	}
	hdr := &b.hdr
	hdr.Proto, hdr.Flags, hdr.InvFlags = cmd.Proto, cmd.Flags, cmd.InvFlags
	hdr.InIface, hdr.OutIface = cmd.InIface, cmd.OutIface
	hdr.InMask, hdr.OutMask = ext.IfaceMask(cmd.InIface), ext.IfaceMask(cmd.OutIface)
	hdr.Packets, hdr.Bytes = cmd.Packets, cmd.Bytes
	jump := cmd.Jump
	isChain := jump != "" && chains[jump] && !strings.Contains("ACCEPT DROP RETURN QUEUE", jump)
	if cmd.Target != nil && isChain {
		cmd.Target = nil
	}
	if cmd.Target == nil {
		if err := x.StdTarget(jump, isChain); err != nil {
			return nil, err
		}
	}
	var out []built
	for i := range addrs.Src {
		for j := range addrs.Dst {
			hdr.Src, hdr.SrcMask = addrs.Src[i], addrs.SrcMask[i]
			hdr.Dst, hdr.DstMask = addrs.Dst[j], addrs.DstMask[j]
			x.SetHeader(hdr)
			e, _, err := x.Build()
			if err != nil {
				return nil, err
			}
			out = append(out, built{Table: cmd.Table, Chain: cmd.Chain, Entry: e, IsChain: isChain})
		}
	}
	return out, nil
}
