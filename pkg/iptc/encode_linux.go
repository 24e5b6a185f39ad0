// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"fmt"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

func program(fam Family) string {
	if fam == IPv6 {
		return "ip6tables"
	}
	return "iptables"
}

// built is a rule as the kernel takes it, with the mask iptables compares
// entries with for -D and -C.
type built struct {
	entry, mask []byte
}

// header builds the non-extension part of r.
func header(x *ext.Xtables, fam Family, r *Rule) (*ext.Header, error) {
	h := &ext.Header{}
	var err error
	if h.Src, h.SrcMask, err = ParseAddrMask(fam, r.Src); err != nil {
		return nil, err
	}
	if h.Dst, h.DstMask, err = ParseAddrMask(fam, r.Dst); err != nil {
		return nil, err
	}
	if r.InvSrc {
		h.InvFlags |= ext.InvSrcIP
	}
	if r.InvDst {
		h.InvFlags |= ext.InvDstIP
	}
	for _, i := range []string{r.InInterface, r.OutInterface} {
		if err := parse.CheckInterface(i); err != nil {
			return nil, err
		}
	}
	h.InIface, h.InMask = r.InInterface, ext.IfaceMask(r.InInterface)
	h.OutIface, h.OutMask = r.OutInterface, ext.IfaceMask(r.OutInterface)
	if r.InvIn {
		h.InvFlags |= ext.InvViaIn
	}
	if r.InvOut {
		h.InvFlags |= ext.InvViaOut
	}
	if r.Protocol != "" {
		p, err := x.ParseProtocol(parse.LowerASCII(r.Protocol))
		if err != nil {
			return nil, err
		}
		if err := parse.CheckProtocol(p, r.InvProto); err != nil {
			return nil, err
		}
		h.Proto = p
		if fam == IPv6 {
			h.Flags |= ext.FlagProto6
		}
	}
	if r.InvProto {
		if err := parse.CheckProtocol(0, r.Protocol == ""); err != nil {
			return nil, err
		}
		h.InvFlags |= ext.InvProto
	}
	if r.Fragment || r.InvFragment {
		if err := parse.CheckFragment(fam == IPv6); err != nil {
			return nil, err
		}
		h.Flags |= ext.FlagFrag4
		if r.InvFragment {
			h.InvFlags |= ext.InvFrag
		}
	}
	if r.Target != nil && r.Target.Goto {
		h.Flags |= ext.GotoFlag(fam)
	}
	h.Packets, h.Bytes = r.Counters.Packets, r.Counters.Bytes
	return h, nil
}

func findOption(e *ext.Ext, name string) *ext.Option {
	for i := range e.Options {
		if e.Options[i].Name == name {
			return &e.Options[i]
		}
	}
	return nil
}

// parseParams hands each option to the extension's parser, as getopt would
// have found it on iptables' command line.
func parseParams(x *ext.Xtables, fam Family, e *ext.Ext, params Params) error {
	for _, p := range params {
		opt := findOption(e, p.Name)
		if opt == nil || p.Name == "" {
			kind := "match"
			if e.Target {
				kind = "target"
			}
			return parse.Errorf(parse.ParameterProblem, "unknown option \"--%s\" (%s %s)", p.Name, kind, e.Name)
		}
		args := p.Args()
		if opt.HasArg == 1 && len(args) == 0 {
			return parse.Errorf(parse.ParameterProblem, "option \"--%s\" requires an argument", p.Name)
		}
		if opt.HasArg == 0 {
			// A flag: set whatever its value ("1", "true"), as
			// python-iptables sets it.
			args = nil
		}
		argv := append([]string{program(fam), "--" + p.Name}, args...)
		optind, val := 2, ""
		if len(args) > 0 {
			optind, val = 3, args[0]
		}
		x.SetArgv(argv)
		next, err := x.ParseOption(e, opt.ID, val, len(args) > 0, p.Invert, optind)
		if err != nil {
			return err
		}
		if next < len(argv) {
			return parse.Errorf(parse.ParameterProblem, "Bad argument `%s'", argv[next])
		}
	}
	return nil
}

// encodeRule builds r's kernel entry inside ext.Run. targetIsChain tells
// that the target names an existing user chain (which wins over a target
// extension of the same name, as in iptables); table names the table whose
// chains those are, for messages ("" for none).
func encodeRule(x *ext.Xtables, fam Family, r *Rule, targetIsChain bool, table string) (built, error) {
	if err := x.Reset(); err != nil {
		return built{}, err
	}
	h, err := header(x, fam, r)
	if err != nil {
		return built{}, err
	}
	x.SetHeader(h)
	for _, m := range r.Matches {
		if m == nil || m.Name == "" {
			return built{}, parse.Errorf(parse.ParameterProblem, "match without a name")
		}
		e, err := x.LoadMatch(m.Name, ext.MustSucceed)
		if err != nil {
			return built{}, err
		}
		if err := parseParams(x, fam, e, m.Params); err != nil {
			return built{}, err
		}
	}
	if err := encodeTarget(x, fam, r.Target, targetIsChain, table); err != nil {
		return built{}, err
	}
	if err := x.FinalCheck(); err != nil {
		return built{}, err
	}
	entry, mask, err := x.Build()
	if err != nil {
		return built{}, err
	}
	return built{entry, mask}, nil
}

// encodeTarget sets the target of the rule being built: none, a jump to a
// chain, or a target extension.
func encodeTarget(x *ext.Xtables, fam Family, t *Target, isChain bool, table string) error {
	switch {
	case t == nil || t.Name == "":
		if t != nil && (t.Goto || len(t.Params) > 0) {
			return parse.Errorf(parse.ParameterProblem, "target without a name")
		}
		return x.StdTarget("", false)
	case isChain:
		if err := parse.CheckTargetName(t.Name); err != nil {
			return err
		}
		if len(t.Params) > 0 {
			return parse.Errorf(parse.ParameterProblem, "jump to chain %s takes no options", t.Name)
		}
		return x.StdTarget(t.Name, true)
	case t.Goto:
		return parse.Errorf(parse.ParameterProblem, "goto '%s' is not a chain", t.Name)
	}
	if err := parse.CheckTargetName(t.Name); err != nil {
		return err
	}
	e, err := x.LoadTarget(t.Name)
	if err != nil {
		return err
	}
	if e == nil {
		msg := fmt.Sprintf("Couldn't load target `%s': no such target extension", t.Name)
		if table != "" {
			msg += fmt.Sprintf(", and no chain of that name in the %s %s table", fam, table)
		}
		return parse.Errorf(parse.ParameterProblem, "%s", msg)
	}
	return parseParams(x, fam, e, t.Params)
}

// encodeRules builds rules in one ext.Run. isChain tells which target names
// are user chains of table ("" for none given).
func encodeRules(fam Family, rules []*Rule, isChain func(string) bool, table string) ([]built, error) {
	chains := make([]bool, len(rules))
	for i, r := range rules {
		if r == nil {
			return nil, fmt.Errorf("iptc: nil rule")
		}
		if t := r.Target; t != nil && t.Name != "" && !IsVerdict(t.Name) && isChain != nil {
			chains[i] = isChain(t.Name)
		}
	}
	out := make([]built, len(rules))
	err := ext.Run(fam, program(fam), func(x *ext.Xtables) error {
		defer x.Reset()
		for i, r := range rules {
			b, err := encodeRule(x, fam, r, chains[i], table)
			if err != nil {
				return err
			}
			out[i] = b
		}
		return nil
	})
	return out, trimMessage(err)
}

// notTargets returns the isChain of rules built without a table: every
// target name that is neither a verdict nor a target extension is taken
// for a user chain.
func notTargets(fam Family, rules ...*Rule) (func(string) bool, error) {
	targets := map[string]bool{}
	var names []string
	for _, r := range rules {
		if t := r.Target; t != nil && t.Name != "" && !IsVerdict(t.Name) {
			names = append(names, t.Name)
		}
	}
	if len(names) > 0 {
		err := ext.Run(fam, program(fam), func(x *ext.Xtables) error {
			for _, n := range names {
				targets[n] = isTarget(x, n)
			}
			return nil
		})
		if err != nil {
			return nil, trimMessage(err)
		}
	}
	return func(name string) bool { return !targets[name] }, nil
}

// Encode builds r's kernel entry for family fam, and the mask iptables
// compares entries with for -D and -C, without any table: a target that is
// neither a verdict nor a target extension is taken to be a user chain
// (Table.ValidateRule checks it against a table's chains).
func Encode(fam Family, r *Rule) (entry, mask []byte, err error) {
	if r == nil {
		return nil, nil, fmt.Errorf("iptc: nil rule")
	}
	isChain, err := notTargets(fam, r)
	if err != nil {
		return nil, nil, err
	}
	b, err := encodeRules(fam, []*Rule{r}, isChain, "")
	if err != nil {
		return nil, nil, err
	}
	return b[0].entry, b[0].mask, nil
}
