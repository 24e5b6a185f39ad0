// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import (
	"fmt"
	"net/netip"
	"strings"
)

// fakeExts stands in for libxtables: a tcp match with --dport/--sport, a
// comment match, a LOG target, and a record of every parser call.
type fakeExts struct {
	calls []string
}

var fakeOptions = map[string][]Option{
	"tcp":     {{Name: "sport", HasArg: 1, ID: 0}, {Name: "dport", HasArg: 1, ID: 1}, {Name: "syn", HasArg: 0, ID: 2}},
	"udp":     {{Name: "sport", HasArg: 1, ID: 0}, {Name: "dport", HasArg: 1, ID: 1}},
	"comment": {{Name: "comment", HasArg: 1, ID: 0}},
	"LOG":     {{Name: "log-prefix", HasArg: 1, ID: 0}, {Name: "log-level", HasArg: 1, ID: 1}},
}

func (f *fakeExts) LoadMatch(name string, tryLoad bool) (*Ext, error) {
	f.calls = append(f.calls, "match "+name)
	opts, ok := fakeOptions[name]
	if !ok || strings.ToUpper(name) == name {
		if tryLoad {
			return nil, nil
		}
		return nil, errorf(2, "Couldn't load match `%s':No such file or directory\n", name)
	}
	return &Ext{Name: name, HasParse: true, Options: opts}, nil
}

func (f *fakeExts) LoadTarget(name string) (*Ext, error) {
	f.calls = append(f.calls, "target "+name)
	if name == "LOG" {
		return &Ext{Name: name, Target: true, HasParse: true, Options: fakeOptions[name]}, nil
	}
	return nil, nil
}

func (f *fakeExts) IsTarget(name string) bool { return name == "LOG" || name == "ACCEPT" }

func (f *fakeExts) ParseOption(e *Ext, id int, arg string, hasArg, invert bool, argv []string, optind int) (int, error) {
	inv := ""
	if invert {
		inv = "!"
	}
	f.calls = append(f.calls, fmt.Sprintf("%s %s--%s=%s", e.Name, inv, e.Options[id].Name, arg))
	if arg == "bad" {
		return optind, errorf(2, "%s: bad value", e.Name)
	}
	return optind, nil
}

func (f *fakeExts) ParseProtocol(name string) (uint16, error) {
	switch name {
	case "tcp":
		return 6, nil
	case "udp":
		return 17, nil
	case "all":
		return 0, nil
	}
	return 0, errorf(2, "unknown protocol \"%s\" specified", name)
}

func (f *fakeExts) ProtoName(p uint16, nolookup bool) (string, bool) {
	switch p {
	case 6:
		return "tcp", true
	case 17:
		return "udp", true
	}
	return "", false
}

func (f *fakeExts) SetProto(proto uint16, flags, invflags uint8) {
	f.calls = append(f.calls, fmt.Sprintf("proto %d", proto))
}

func (f *fakeExts) FinalCheck() error {
	f.calls = append(f.calls, "final")
	return nil
}

func (f *fakeExts) ParseAddresses(spec string) (addrs, masks []netip.Addr, err error) {
	prefixes, err := fakePrefixes(spec)
	for _, p := range prefixes {
		addrs = append(addrs, p.Addr())
		masks = append(masks, netip.PrefixFrom(netip.IPv4Unspecified(), p.Bits()).Addr())
	}
	return addrs, masks, err
}

// fakePrefixes reads a comma list of addresses and CIDR networks, failing
// as xtables_ipparse_multiple does for anything else.
func fakePrefixes(spec string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range strings.Split(spec, ",") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, err2 := netip.ParseAddr(s)
			if err2 != nil {
				return nil, errorf(2, "host/network `%s' not found", s)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p)
	}
	return out, nil
}
