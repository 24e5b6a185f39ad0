// SPDX-License-Identifier: GPL-2.0-or-later

package iptables

import (
	"net/netip"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

// extensions gives pkg/parse libxtables through an ext.Xtables.
type extensions struct {
	x   *ext.Xtables
	hdr ext.Header
}

var _ parse.Extensions = (*extensions)(nil)

// parseOptions holds the parser's copy of each extension's option table,
// keyed by ext's (shared, read-only) table; used inside ext.Run
// (one at a time).
var parseOptions = map[*ext.Option][]parse.Option{}

func toParseExt(e *ext.Ext) *parse.Ext {
	if e == nil {
		return nil
	}
	pe := &parse.Ext{Name: e.Name, Target: e.Target, Clone: e.Clone, HasParse: e.HasParse, Handle: e}
	if len(e.Options) == 0 {
		pe.Options = []parse.Option{}
		return pe
	}
	opts, ok := parseOptions[&e.Options[0]]
	if !ok {
		opts = make([]parse.Option, len(e.Options))
		for i, o := range e.Options {
			opts[i] = parse.Option{Name: o.Name, HasArg: o.HasArg, ID: o.ID}
		}
		parseOptions[&e.Options[0]] = opts
	}
	pe.Options = opts
	return pe
}

func (a *extensions) LoadMatch(name string, tryLoad bool) (*parse.Ext, error) {
	mode := ext.MustSucceed
	if tryLoad {
		mode = ext.TryLoad
	}
	e, err := a.x.LoadMatch(name, mode)
	return toParseExt(e), err
}

func (a *extensions) LoadTarget(name string) (*parse.Ext, error) {
	e, err := a.x.LoadTarget(name)
	return toParseExt(e), err
}

func (a *extensions) IsTarget(name string) bool {
	ok, _ := a.x.IsTarget(name)
	return ok
}

func (a *extensions) ParseOption(e *parse.Ext, id int, arg string, hasArg, invert bool, argv []string, optind int) (int, error) {
	a.x.SetArgv(argv)
	return a.x.ParseOption(e.Handle.(*ext.Ext), id, arg, hasArg, invert, optind)
}

func (a *extensions) ParseProtocol(name string) (uint16, error) { return a.x.ParseProtocol(name) }

func (a *extensions) ProtoName(p uint16, nolookup bool) (string, bool) {
	return a.x.ProtoName(p, nolookup)
}

func (a *extensions) SetProto(proto uint16, flags, invflags uint8) {
	a.hdr.Proto, a.hdr.Flags, a.hdr.InvFlags = proto, flags, invflags
	a.x.SetHeader(&a.hdr)
}

func (a *extensions) FinalCheck() error { return a.x.FinalCheck() }

func (a *extensions) ParseAddresses(spec string) (addrs, masks []netip.Addr, err error) {
	return a.x.ParseAddresses(spec)
}
