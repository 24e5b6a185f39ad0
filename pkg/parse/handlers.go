// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import "fmt"

// A handler is what the parser does with one of iptables' own options
// (do_parse's case for it); getopt has just returned it, with its
// argument if any in p.g.optarg.
type handler func(p *parser, o *CoreOption) error

var cmdChars = []byte{'I', 'D', 'D', 'R', 'A', 'L', 'F', 'Z', 'N', 'X', 'P', 'E', 'S', 'Z', 'C'}

// cmd2char is the letter of the command with Cmd* bit option.
func cmd2char(option int) byte {
	i := 0
	for ; option > 1; option >>= 1 {
		i++
	}
	if i >= len(cmdChars) {
		return '?'
	}
	return cmdChars[i]
}

// addCommand adds command newcmd to those given, which may only be
// othercmds.
func (p *parser) addCommand(newcmd, othercmds int) error {
	if p.invert {
		return paramError("unexpected '!' flag")
	}
	if p.cmd.Command&^othercmds != 0 {
		return paramError("Cannot use -%c with -%c", cmd2char(newcmd), cmd2char(p.cmd.Command&^othercmds))
	}
	p.cmd.Command |= newcmd
	return nil
}

// setOption records option o (its Opt* bit), once, and its inversion.
func (p *parser) setOption(o *CoreOption) error {
	if p.cmd.Options&o.flag != 0 {
		return paramError("multiple %s options not allowed", optionName(o.flag))
	}
	p.cmd.Options |= o.flag
	if p.invert {
		if o.invert == 0 {
			return paramError("cannot have ! before %s", optionName(o.flag))
		}
		p.invflags |= o.invert
	}
	return nil
}

// chainCommand is -A and -C: a command on a rule of a chain.
func (p *parser) chainCommand(o *CoreOption) error {
	if err := p.addCommand(o.cmd, CmdNone); err != nil {
		return err
	}
	p.cmd.Chain = p.g.optarg
	return nil
}

// delete is -D CHAIN, by rule specification or, with a number after the
// chain, by position.
func (p *parser) delete(o *CoreOption) error {
	if err := p.chainCommand(o); err != nil {
		return err
	}
	if p.hasArg() {
		if err := p.parseDeleteNumber(p.nextArg()); err != nil {
			return err
		}
		p.cmd.Command = CmdDeleteNum
	}
	return nil
}

func (p *parser) replace(o *CoreOption) error {
	if err := p.chainCommand(o); err != nil {
		return err
	}
	if !p.hasArg() {
		return paramError("-%c requires a rule number", cmd2char(CmdReplace))
	}
	n, err := parseRuleNumber(p.nextArg())
	if err != nil {
		return err
	}
	p.cmd.RuleNum = n
	return nil
}

func (p *parser) insert(o *CoreOption) error {
	if err := p.chainCommand(o); err != nil {
		return err
	}
	p.cmd.RuleNum = 1
	if p.hasArg() {
		n, err := parseRuleNumber(p.nextArg())
		if err != nil {
			return err
		}
		p.cmd.RuleNum = n
	}
	return nil
}

// list is -L and -S, which -Z may join.
func (p *parser) list(o *CoreOption) error {
	if err := p.addCommand(o.cmd, CmdZero|CmdZeroNum); err != nil {
		return err
	}
	return p.optionalChainAndNumber(true)
}

// optionalChainCommand is -F and -X: a chain, or all of them.
func (p *parser) optionalChainCommand(o *CoreOption) error {
	if err := p.addCommand(o.cmd, CmdNone); err != nil {
		return err
	}
	return p.optionalChainAndNumber(false)
}

// zero is -Z, which may join -L or -S; with a rule number it zeroes one
// rule, and iptables then forgets a -L given before it.
func (p *parser) zero(o *CoreOption) error {
	if err := p.addCommand(o.cmd, CmdList|CmdListRules); err != nil {
		return err
	}
	if arg, ok := p.optionalArg(); ok {
		p.cmd.Chain, p.cmd.ChainSet = arg, true
	}
	if p.hasArg() {
		n, err := parseRuleNumber(p.nextArg())
		if err != nil {
			return err
		}
		p.cmd.RuleNum = n
		p.cmd.Command = CmdZeroNum
	}
	return nil
}

// optionalChainAndNumber reads the optional chain of -L, -S, -F and -X
// and, with number, an optional rule number after it.
func (p *parser) optionalChainAndNumber(number bool) error {
	if arg, ok := p.optionalArg(); ok {
		p.cmd.Chain, p.cmd.ChainSet = arg, true
	}
	if number && p.hasArg() {
		n, err := parseRuleNumber(p.nextArg())
		if err != nil {
			return err
		}
		p.cmd.RuleNum = n
	}
	return nil
}

func (p *parser) newChain(o *CoreOption) error {
	if err := p.assertValidChainName(p.g.optarg); err != nil {
		return err
	}
	return p.chainCommand(o)
}

func (p *parser) renameChain(o *CoreOption) error {
	if err := p.chainCommand(o); err != nil {
		return err
	}
	if !p.hasArg() {
		return paramError("-%c requires old-chain-name and new-chain-name", cmd2char(CmdRenameChain))
	}
	p.cmd.NewName = p.nextArg()
	return p.assertValidChainName(p.cmd.NewName)
}

func (p *parser) policy(o *CoreOption) error {
	if err := p.addCommand(o.cmd, CmdNone); err != nil {
		return err
	}
	if !p.hasArg() {
		return paramError("-%c requires a chain and a policy", cmd2char(CmdSetPolicy))
	}
	p.cmd.Chain = p.g.optarg
	p.cmd.Policy = p.nextArg()
	return nil
}

// help is -h: it stops parsing, with the protocol's match loaded when no
// match was (iptables -p icmp -h).
func (p *parser) help(*CoreOption) error {
	if len(p.cmd.Matches) == 0 && p.cmd.Protocol != "" {
		if m, err := p.cfg.Exts.LoadMatch(p.cmd.Protocol, true); err == nil && m != nil {
			p.addMatch(m)
		}
	}
	p.cmd.Help = true
	p.stop = true
	return nil
}

func (p *parser) version(*CoreOption) error {
	p.cmd.Version = true
	p.cmd.VersionNot = p.invert
	p.stop = true
	return nil
}

// family is -4 and -6: nothing in their own family; in the other,
// restore ignores the rest of the line and the command line is an error
// without a message.
func (p *parser) family(o *CoreOption) error {
	if (o.val == '4') == !p.cfg.IPv6 {
		return nil
	}
	if p.cfg.Restore {
		p.cmd.Ignored = true
		p.stop = true
		return nil
	}
	return &Error{Status: 2, Form: Bare}
}

func (p *parser) protocol(o *CoreOption) error {
	if err := p.setOption(o); err != nil {
		return err
	}
	p.cmd.Protocol = LowerASCII(p.g.optarg)
	p.argv[p.g.optind-1] = lowerLast(p.argv[p.g.optind-1], p.g.optarg)
	return p.protoParse()
}

// address is -s and -d, parsed at the end.
func (p *parser) address(o *CoreOption) error {
	if err := p.setOption(o); err != nil {
		return err
	}
	if o.flag == OptSource {
		p.cmd.Src = p.g.optarg
	} else {
		p.cmd.Dst = p.g.optarg
	}
	return nil
}

func (p *parser) iface(o *CoreOption) error {
	if p.g.optarg == "" {
		return paramError("Empty interface is likely to be undesired")
	}
	if err := p.setOption(o); err != nil {
		return err
	}
	name, err := p.parseInterface(p.g.optarg)
	if err != nil {
		return err
	}
	if o.flag == OptViaIn {
		p.cmd.InIface = name
	} else {
		p.cmd.OutIface = name
	}
	return nil
}

// jump is -j TARGET. iptables 1.8.11 ignores "-j CONTINUE", for
// arptables' and ebtables' sake, which makes iptables drop the jump to a
// chain named CONTINUE (-N CONTINUE is allowed) and restore such a rule
// from its own save output without its target; goipt jumps, as 1.8.9.
func (p *parser) jump(o *CoreOption) error {
	if err := p.setOption(o); err != nil {
		return err
	}
	return p.loadTarget(p.g.optarg)
}

func (p *parser) gotoChain(o *CoreOption) error {
	if err := p.setOption(o); err != nil {
		return err
	}
	p.cmd.Goto = true
	if err := CheckTargetName(p.g.optarg); err != nil {
		return err
	}
	p.cmd.Jump = p.g.optarg
	return nil
}

func (p *parser) match(*CoreOption) error { return p.loadMatch(p.g.optarg) }

func (p *parser) fragment(o *CoreOption) error {
	if err := CheckFragment(p.cfg.IPv6); err != nil {
		return err
	}
	if err := p.setOption(o); err != nil {
		return err
	}
	p.flags |= FlagFrag
	return nil
}

// verbose is -v, which may be given again (-vv) for more.
func (p *parser) verbose(o *CoreOption) error {
	if p.cmd.Verbose == 0 {
		if err := p.setOption(o); err != nil {
			return err
		}
	}
	p.cmd.Verbose++
	return nil
}

// setFlag is an option that only sets its flag: -n, -x, --line-numbers.
func (p *parser) setFlag(o *CoreOption) error { return p.setOption(o) }

func (p *parser) table(*CoreOption) error {
	if p.invert {
		return paramError("unexpected ! flag before --table")
	}
	if p.cfg.Restore && p.tableSet {
		return paramError("The -t option cannot be used in %s.\n", p.cfg.Program)
	}
	p.cmd.Table = p.g.optarg
	p.tableSet = true
	return nil
}

func (p *parser) wait(*CoreOption) error {
	if p.cfg.Restore {
		return paramError("You cannot use `-w' from iptables-restore")
	}
	w, err := ParseWaitTime(p.optionalArg())
	if err != nil {
		return err
	}
	p.cmd.Wait = w
	return nil
}

func (p *parser) waitInterval(*CoreOption) error {
	if p.cfg.Restore {
		return paramError("You cannot use `-W' from iptables-restore")
	}
	if _, err := ParseWaitInterval(p.optionalArg()); err != nil {
		return err
	}
	p.warnf("%s\n", WaitIntervalWarning)
	p.waitIntSet = true
	return nil
}

func (p *parser) modprobe(*CoreOption) error {
	p.cmd.Modprobe = p.g.optarg
	return nil
}

func (p *parser) counters(o *CoreOption) error {
	if err := p.setOption(o); err != nil {
		return err
	}
	return p.parseCounters(p.g.optarg)
}

// word is a word that is not an option (getopt's 1): a '!' before an
// option, or a stray argument.
func (p *parser) word() error {
	if p.g.optarg != "!" {
		return &Error{Status: 2, Form: Bare, Msg: fmt.Sprintf("Bad argument `%s'", p.g.optarg)}
	}
	if p.invert {
		return paramError("multiple consecutive ! not allowed")
	}
	p.invert = true
	p.keepInvert = true
	p.argv[p.g.optind-1] = ""
	return nil
}
