// SPDX-License-Identifier: GPL-2.0-or-later

package iptables

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"syscall"

	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/iptc"
	"github.com/goipt/goipt/pkg/parse"
)

// Version is the iptables version goipt behaves as.
const Version = "1.8.11"

// Env is what one command runs with.
type Env struct {
	Fam     ext.Family
	Program string // in messages: "iptables", "ip6tables-restore", ...
	Out     *bufio.Writer
	Err     io.Writer
	Restore bool

	// Lock is called after parsing and before the table is read, with
	// the -w value (0 none, -1 forever, else seconds). nil: no lock.
	Lock func(wait int) error
	// Backend is the kernel API the command works through.
	Backend backend.Backend
	// Handle returns the table to work on; nil opens it with Backend
	// (restore passes its own).
	Handle func(table string) (backend.Table, error)

	// scratch is what a restore's lines are parsed into, one after the
	// other (Do's results are read before the next line).
	scratch struct {
		exts  extensions
		cmd   parse.Command
		addrs parse.Addrs
	}
}

// Do runs one command line (argv[0] is the program) on env. It returns the
// parsed command and the handle it worked on, which the caller commits.
func Do(x *ext.Xtables, env *Env, argv []string) (*parse.Command, backend.Table, error) {
	if err := x.Reset(); err != nil {
		return nil, nil, err
	}
	cfg := parse.Config{
		IPv6:    env.Fam == ext.IPv6,
		Restore: env.Restore,
		Program: env.Program,
		Stderr:  env.Err,
	}
	var exts *extensions
	if env.Restore {
		env.scratch.exts = extensions{x: x}
		exts = &env.scratch.exts
		cfg.Command, cfg.Addrs = &env.scratch.cmd, &env.scratch.addrs
	} else {
		exts = &extensions{x: x}
	}
	cfg.Exts = exts
	cmd, addrs, err := parse.Parse(argv, cfg)
	if err != nil {
		return cmd, nil, err
	}
	switch {
	case cmd.Help:
		return cmd, nil, printHelp(x, env, cmd)
	case cmd.Version:
		if cmd.VersionNot {
			fmt.Fprintf(env.Out, "Not %s (%s) ;-)\n", Version, env.Backend.Name())
		} else {
			fmt.Fprintf(env.Out, "%s v%s (%s)\n", env.Program, Version, env.Backend.Name())
		}
		return cmd, nil, nil
	case cmd.Command == parse.CmdNone && cmd.Ignored:
		return cmd, nil, nil
	}
	if env.Lock != nil {
		if err := env.Lock(cmd.Wait); err != nil {
			return cmd, nil, err
		}
	}
	h, err := env.open(cmd.Table)
	// iptables-legacy loads ip_tables and tries again; iptables-nft
	// loads nothing (nf_tables makes its tables).
	if err != nil && !env.Restore && !env.nft() && x.LoadKernelModule(cmd.Modprobe) {
		h, err = env.open(cmd.Table)
	}
	if err != nil {
		var ie *backend.Error
		if errors.As(err, &ie) {
			return cmd, nil, parse.Errorf(parse.VersionProblem, "can't initialize %s table `%s': %s",
				tablesName(env.Fam), cmd.Table, ie.Msg)
		}
		return cmd, nil, err
	}
	return cmd, h, run(x, env, cmd, addrs, exts, h)
}

func (env *Env) open(table string) (backend.Table, error) {
	if env.Handle != nil {
		return env.Handle(table)
	}
	return env.Backend.Open(env.Fam, table)
}

func tablesName(fam ext.Family) string {
	if fam == ext.IPv6 {
		return "ip6tables"
	}
	return "iptables"
}

// run runs the parsed command on h: a rule command (-A -I -D -C -R) for
// every source and destination, or a command on chains.
func run(x *ext.Xtables, env *Env, cmd *parse.Command, addrs *parse.Addrs, exts *extensions, h backend.Table) error {
	verbose := cmd.Options&parse.OptVerbose != 0
	printer := &Printer{X: x, Out: env.Out, Fam: env.Fam}
	// A table that reports what -v prints does so itself.
	echo := verbose && !setReports(h, printer, verbose)
	var err error
	switch cmd.Command {
	case parse.CmdAppend, parse.CmdDelete, parse.CmdCheck, parse.CmdInsert, parse.CmdReplace:
		rc := ruleCommand{x: x, env: env, cmd: cmd, addrs: addrs, hdr: &exts.hdr, h: h, printer: printer, echo: echo}
		if err := rc.target(); err != nil {
			return err
		}
		err = rc.run()
	default:
		if err = runChains(env, cmd, h, printer, echo); err == errNoCommand {
			return &parse.Error{Status: 2, Form: parse.Bare}
		}
	}
	if d, ok := h.(backend.Dumper); ok && cmd.Verbose > 1 {
		env.Out.WriteString(d.DumpEntries())
	}
	return opError(err)
}

// ruleCommand is -A, -I, -D, -C or -R: one rule built and applied for
// every source x destination pair, as iptables does.
type ruleCommand struct {
	x       *ext.Xtables
	env     *Env
	cmd     *parse.Command
	addrs   *parse.Addrs
	hdr     *ext.Header
	h       backend.Table
	printer *Printer
	echo    bool // print each rule (-v), where the table does not
}

// target sets the rule's header and its target, as the backend's iptables
// reads -j and -g.
func (rc *ruleCommand) target() error {
	cmd, hdr := rc.cmd, rc.hdr
	hdr.Proto, hdr.Flags, hdr.InvFlags = cmd.Proto, cmd.Flags, cmd.InvFlags
	hdr.InIface, hdr.OutIface = cmd.InIface, cmd.OutIface
	hdr.InMask, hdr.OutMask = ext.IfaceMask(cmd.InIface), ext.IfaceMask(cmd.OutIface)
	hdr.Packets, hdr.Bytes = cmd.Packets, cmd.Bytes
	resolve := resolveTarget
	if rc.env.nft() {
		resolve = resolveTargetNFT
	}
	return resolve(rc.x, rc.env, cmd, rc.h)
}

// resolveTarget is iptables-legacy's reading of -j and -g: a name that is
// a chain of the table is a jump, even where an extension has the name
// (with a warning); any other must be an extension.
func resolveTarget(x *ext.Xtables, env *Env, cmd *parse.Command, h backend.Table) error {
	jump := cmd.Jump
	// libiptc creates no chain named as a verdict (nor without a name): no
	// need to ask it, a cgo call a rule.
	isChain := jump != "" && !iptc.IsVerdict(jump) && h.IsChain(jump)
	if cmd.Target != nil && isChain {
		fmt.Fprintf(env.Err, "Warning: using chain %s, not extension\n", jump)
		cmd.Target = nil
	}
	if cmd.Target != nil {
		return nil
	}
	if jump != "" && !isChain {
		if cmd.Goto {
			return parse.Errorf(parse.ParameterProblem, "goto '%s' is not a chain", jump)
		}
		return x.RequireTarget(jump)
	}
	return x.StdTarget(jump, isChain)
}

// run builds the rule for each source and destination and applies it; the
// last failure is the command's (iptables-nft stops at the first).
func (rc *ruleCommand) run() error {
	cmd, addrs, h := rc.cmd, rc.addrs, rc.h
	if cmd.Command == parse.CmdReplace && len(addrs.Src) > 0 && len(addrs.Dst) > 0 { // none after a restore's -4/-6
		addrs.Src, addrs.SrcMask = addrs.Src[:1], addrs.SrcMask[:1]
		addrs.Dst, addrs.DstMask = addrs.Dst[:1], addrs.DstMask[:1]
	}
	nft := rc.env.nft()
	var last error
	for i := range addrs.Src {
		for j := range addrs.Dst {
			rc.hdr.Src, rc.hdr.SrcMask = addrs.Src[i], addrs.SrcMask[i]
			rc.hdr.Dst, rc.hdr.DstMask = addrs.Dst[j], addrs.DstMask[j]
			rc.x.SetHeader(rc.hdr)
			entry, mask, err := rc.x.BuildScratch()
			if err != nil {
				return err
			}
			if rc.echo {
				name := ext.EntryTargetName(rc.env.Fam, entry)
				if err := rc.printer.Rule(entry, name, h.IsChain(name), 0, fmtPrintRule); err != nil {
					return err
				}
			}
			if err := rc.apply(entry, mask); err != nil {
				if nft {
					return err
				}
				last = err
			}
		}
	}
	return last
}

func (rc *ruleCommand) apply(entry, mask []byte) error {
	cmd, h := rc.cmd, rc.h
	switch cmd.Command {
	case parse.CmdAppend:
		return h.Append(cmd.Chain, entry)
	case parse.CmdInsert:
		return h.Insert(cmd.Chain, entry, cmd.RuleNum-1)
	case parse.CmdDelete:
		return h.Delete(cmd.Chain, entry, mask)
	case parse.CmdCheck:
		return h.Check(cmd.Chain, entry, mask)
	default: // parse.CmdReplace
		return h.Replace(cmd.Chain, entry, cmd.RuleNum-1)
	}
}

// errNoCommand: the parser let through no command runChains knows.
var errNoCommand = errors.New("no command")

// runChains runs a command on chains or rule numbers: -D N, -F, -Z, -L,
// -S, -N, -X, -E, -P. echo: print what -v prints, where the table does
// not.
func runChains(env *Env, cmd *parse.Command, h backend.Table, printer *Printer, echo bool) error {
	switch cmd.Command {
	case parse.CmdDeleteNum:
		return h.DeleteNum(cmd.Chain, cmd.RuleNum-1)
	case parse.CmdFlush:
		return forEachChain(env, h, cmd, true, echo, "Flushing", h.Flush, allOf(h, backend.AllChains.FlushAll))
	case parse.CmdZero:
		return forEachChain(env, h, cmd, true, echo, "Zeroing", h.Zero, allOf(h, backend.AllChains.ZeroAll))
	case parse.CmdZeroNum:
		return h.ZeroCounter(cmd.Chain, cmd.RuleNum)
	case parse.CmdList, parse.CmdList | parse.CmdZero, parse.CmdList | parse.CmdZeroNum:
		var found bool
		err := prepareList(env, h, cmd)
		if err == nil {
			found, err = printer.listEntries(h, cmd.Chain, !cmd.ChainSet, cmd.RuleNum, cmd)
		}
		return afterList(env, h, cmd, found, err, echo)
	case parse.CmdListRules, parse.CmdListRules | parse.CmdZero, parse.CmdListRules | parse.CmdZeroNum:
		var found bool
		err := prepareList(env, h, cmd)
		if err == nil {
			found, err = printer.listRules(h, cmd.Chain, !cmd.ChainSet, cmd.RuleNum, cmd.Options&parse.OptVerbose != 0)
		}
		return afterList(env, h, cmd, found, err, echo)
	case parse.CmdNewChain:
		return h.CreateChain(cmd.Chain)
	case parse.CmdDeleteChain:
		return forEachChain(env, h, cmd, false, echo, "Deleting", h.DeleteChain, allOf(h, backend.AllChains.DeleteAll))
	case parse.CmdRenameChain:
		return h.RenameChain(cmd.Chain, cmd.NewName)
	case parse.CmdSetPolicy:
		var counters *[2]uint64
		if cmd.Options&parse.OptCounters != 0 && !env.nft() { // iptables-nft -P zeroes them
			counters = &[2]uint64{cmd.Packets, cmd.Bytes}
		}
		return h.SetPolicy(cmd.Chain, cmd.Policy, counters)
	}
	return errNoCommand
}

// opError is a failed backend operation as iptables reports it after the
// command: "iptables: <the backend's message>.", exit status 1, or 4 for a
// table another writer changed (EAGAIN).
func opError(err error) error {
	if err == nil {
		return nil // before errors.As, whose target escapes: no allocation a rule
	}
	var ie *backend.Error
	if !errors.As(err, &ie) {
		return err
	}
	if ie.Status != 0 { // reported as a fatal error (the kernel refused a batch)
		return &parse.Error{Status: ie.Status, Msg: ie.Msg, Err: ie}
	}
	status := parse.OtherProblem
	if ie.Errno == syscall.EAGAIN {
		status = parse.ResourceProblem
	}
	return &parse.Error{Status: status, Msg: ie.Msg, Form: parse.Failure, Err: ie}
}

// IsOpFailure tells whether err is a failed backend operation (opError).
func IsOpFailure(err error) bool {
	var pe *parse.Error
	return errors.As(err, &pe) && pe.Form == parse.Failure
}

func afterList(env *Env, h backend.Table, cmd *parse.Command, found bool, err error, verbose bool) error {
	if err != nil {
		return err
	}
	if !found {
		return &backend.Error{Op: "list", Errno: enoent, Msg: env.Backend.StrError(env.Fam, enoent)}
	}
	if cmd.Command&parse.CmdZero != 0 {
		return forEachChain(env, h, cmd, true, verbose, "Zeroing", h.Zero, allOf(h, backend.AllChains.ZeroAll))
	}
	if cmd.Command&parse.CmdZeroNum != 0 {
		return h.ZeroCounter(cmd.Chain, cmd.RuleNum)
	}
	return nil
}

// forEachChain applies fn to the command's chain, or to every chain (user
// chains only unless builtins) when it names none, as iptables'
// for_each_chain; a table with its own way of doing every chain does it
// (all). A chain named "" is a chain that does not exist.
func forEachChain(env *Env, h backend.Table, cmd *parse.Command, builtins, verbose bool, verb string, fn func(string) error, all func() error) error {
	if !cmd.ChainSet && all != nil {
		return all()
	}
	chains := []string{cmd.Chain}
	if !cmd.ChainSet {
		chains = chains[:0]
		for _, c := range h.Chains() {
			if builtins || !h.Builtin(c) {
				chains = append(chains, c)
			}
		}
	}
	var last error
	for _, c := range chains {
		if verbose {
			fmt.Fprintf(env.Out, "%s chain `%s'\n", verb, c)
		}
		if err := fn(c); err != nil {
			last = err
		}
	}
	return last
}

// Commit sends h to the kernel, mapping a failure as iptables reports it.
func Commit(h backend.Table) error {
	return opError(h.Commit())
}
