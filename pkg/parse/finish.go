// SPDX-License-Identifier: GPL-2.0-or-later

package parse

// finish makes the checks do_parse makes after the last option, and
// parses the addresses.
func (p *parser) finish() error {
	cmd := p.cmd
	if cmd.Table == "nat" && (cmd.Policy == "DROP" || cmd.Jump == "DROP") {
		return paramError("\nThe \"nat\" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n")
	}
	if cmd.Wait == 0 && p.waitIntSet {
		return paramError("--wait-interval only makes sense with --wait\n")
	}
	if err := p.cfg.Exts.FinalCheck(); err != nil {
		return err
	}
	if p.g.optind < len(p.argv) {
		return paramError("unknown arguments found on commandline")
	}
	if cmd.Command == CmdNone {
		return paramError("no command specified")
	}
	if p.invert {
		return paramError("nothing appropriate following !")
	}
	cmd.Flags = p.flags
	cmd.InvFlags = p.invflags
	if cmd.Goto {
		if p.cfg.IPv6 {
			cmd.Flags |= FlagGoto6
		} else {
			cmd.Flags |= FlagGoto4
		}
	}
	if err := p.parseAddresses(); err != nil {
		return err
	}
	// iptables 1.8.11 dropped this check as redundant, but it is not:
	// without it -R with several addresses replaces the rule with one for
	// the first address alone. goipt refuses, as 1.8.9.
	if cmd.Command == CmdReplace && (len(p.addrs.Src) != 1 || len(p.addrs.Dst) != 1) {
		return paramError("Replacement rule does not specify a unique address")
	}
	if err := checkOptions(cmd); err != nil {
		return err
	}
	if len(cmd.Chain) >= maxNameLen {
		return paramError("chain name `%s' too long (must be under %d chars)", cmd.Chain, maxNameLen)
	}
	return checkInterfaces(cmd)
}

// checkOptions is generic_opt_check: each option given must be one that
// a command given may have (CoreOption.legal), checked in the order of
// their Opt* bits. An option is legal when any of the commands allows it,
// as in iptables 1.8.9, so that -L -Z -n lists numerically and then
// zeroes; iptables 1.8.11 wants every command to allow it, which refuses
// such command lines (the Azure Linux agent's -L OUTPUT --zero OUTPUT
// -nxv among them) and fixes nothing.
func checkOptions(cmd *Command) error {
	for _, o := range optionByFlag {
		if cmd.Options&o.flag != 0 && o.legal&cmd.Command == 0 {
			return paramError("Illegal option `%s' with this command", optionName(o.flag))
		}
	}
	return nil
}

// checkInterfaces refuses an output interface for a rule of a chain
// that sees only incoming packets, and the other way round.
func checkInterfaces(cmd *Command) error {
	switch cmd.Command {
	case CmdAppend, CmdDelete, CmdCheck, CmdInsert, CmdReplace:
	default:
		return nil
	}
	switch cmd.Chain {
	case "PREROUTING", "INPUT":
		if cmd.Options&OptViaOut != 0 {
			return paramError("Can't use %s with %s", optionName(OptViaOut), cmd.Chain)
		}
	case "POSTROUTING", "OUTPUT":
		if cmd.Options&OptViaIn != 0 {
			return paramError("Can't use %s with %s", optionName(OptViaIn), cmd.Chain)
		}
	}
	return nil
}

func (p *parser) parseAddresses() error {
	cmd := p.cmd
	src, dst := cmd.Src, cmd.Dst
	if cmd.Command&(CmdReplace|CmdInsert|CmdDelete|CmdAppend|CmdCheck) != 0 {
		any := "0.0.0.0/0"
		if p.cfg.IPv6 {
			any = "::0/0"
		}
		if cmd.Options&OptDestination == 0 {
			dst = any
		}
		if cmd.Options&OptSource == 0 {
			src = any
		}
	}
	// An address given is parsed even when empty ("-s ''" is an error,
	// as iptables' "host/network `' not found").
	var err error
	if src != "" || cmd.Options&OptSource != 0 {
		if p.addrs.Src, p.addrs.SrcMask, err = p.cfg.Exts.ParseAddresses(src); err != nil {
			return err
		}
	}
	if dst != "" || cmd.Options&OptDestination != 0 {
		if p.addrs.Dst, p.addrs.DstMask, err = p.cfg.Exts.ParseAddresses(dst); err != nil {
			return err
		}
	}
	if (len(p.addrs.Src) > 1 || len(p.addrs.Dst) > 1) && cmd.InvFlags&(InvSrcIP|InvDstIP) != 0 {
		return paramError("! not allowed with multiple source or destination IP addresses")
	}
	return nil
}
