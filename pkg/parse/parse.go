// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import (
	"fmt"
	"io"
	"net/netip"
	"strings"
	"sync"
)

// Option is one option of an extension.
type Option struct {
	Name   string
	HasArg int // 0 none, 1 required, 2 optional
	ID     int
}

// Ext is an extension loaded while parsing. Handle belongs to the
// Extensions implementation.
type Ext struct {
	Name     string
	Target   bool
	Clone    bool // the same match loaded again: it shares the first one's options
	HasParse bool
	Options  []Option
	Handle   any

	offset    int
	completed bool
}

// Extensions is what the parser needs of libxtables.
type Extensions interface {
	// LoadMatch loads a match for this rule; with tryLoad it returns nil,
	// nil when no plugin has it.
	LoadMatch(name string, tryLoad bool) (*Ext, error)
	// LoadTarget loads a target for this rule, nil, nil when no plugin
	// has it (a chain, or a misspelling).
	LoadTarget(name string) (*Ext, error)
	// IsTarget tells whether a plugin provides target name.
	IsTarget(name string) bool
	// ParseOption lets the extension parse one of its options; optind is
	// getopt's index after the option and the result is where to go on.
	ParseOption(e *Ext, id int, arg string, hasArg, invert bool, argv []string, optind int) (int, error)
	// ParseProtocol is xtables_parse_protocol.
	ParseProtocol(name string) (uint16, error)
	// ProtoName is proto_to_name.
	ProtoName(proto uint16, nolookup bool) (string, bool)
	// SetProto tells the rule being built its protocol, which some
	// extension parsers check.
	SetProto(proto uint16, flags, invflags uint8)
	// FinalCheck runs the extensions' final checks.
	FinalCheck() error
	// ParseAddresses is xtables_ipparse_multiple (or the IPv6 twin).
	ParseAddresses(spec string) (addrs, masks []netip.Addr, err error)
}

// Config says how to parse.
type Config struct {
	Family  Family
	Table   string // default table: "filter"
	Restore bool   // a line of iptables-restore
	Program string // "iptables", "ip6tables-restore", ... for messages
	Exts    Extensions
	Stderr  io.Writer // warnings go here as iptables prints them

	// Command and Addrs, when set, are filled instead of new ones (their
	// slices' room reused): a restore parses every line into the same
	// two, read before the next line.
	Command *Command
	Addrs   *Addrs
}

// Parsed addresses of a rule command.
type Addrs struct {
	Src, SrcMask, Dst, DstMask []netip.Addr
}

const optstring = "-:A:C:D:E:F::I:L::M:N:P:R:S::VX::Z::c:d:i:j:o:p:s:t:vW::46fg:h::m:nw::x"

var coreOpts = []LongOpt{
	{"append", 1, 'A'}, {"delete", 1, 'D'}, {"check", 1, 'C'},
	{"insert", 1, 'I'}, {"replace", 1, 'R'}, {"list", 2, 'L'},
	{"list-rules", 2, 'S'}, {"flush", 2, 'F'}, {"zero", 2, 'Z'},
	{"new-chain", 1, 'N'}, {"delete-chain", 2, 'X'}, {"rename-chain", 1, 'E'},
	{"policy", 1, 'P'}, {"source", 1, 's'}, {"destination", 1, 'd'},
	{"src", 1, 's'}, {"dst", 1, 'd'}, {"protocol", 1, 'p'},
	{"in-interface", 1, 'i'}, {"jump", 1, 'j'}, {"table", 1, 't'},
	{"match", 1, 'm'}, {"numeric", 0, 'n'}, {"out-interface", 1, 'o'},
	{"verbose", 0, 'v'}, {"wait", 2, 'w'}, {"wait-interval", 2, 'W'},
	{"exact", 0, 'x'}, {"fragments", 0, 'f'}, {"version", 0, 'V'},
	{"help", 2, 'h'}, {"line-numbers", 0, '0'}, {"modprobe", 1, 'M'},
	{"set-counters", 1, 'c'}, {"goto", 1, 'g'}, {"ipv4", 0, '4'},
	{"ipv6", 0, '6'},
}

// CoreOptions is iptables' own long option table.
func CoreOptions() []LongOpt { return append([]LongOpt(nil), coreOpts...) }

const (
	optionOffsetScale = 256
	maxNameLen        = 29 // XT_EXTENSION_MAXNAMELEN
	ifNameSize        = 16
)

// parsers keeps parser state between calls: restore parses a line after
// another, and the argv copy and getopt state need not be garbage each time.
var parsers = sync.Pool{New: func() any { return new(parser) }}

type parser struct {
	cfg        Config
	argv       []string
	g          *getopt
	opts       []LongOpt
	node       *mergeNode // the merge cache's node for opts
	nextOffset int
	cmd        *Command
	addrs      Addrs
	protoUsed  bool
	invert     bool
	tableSet   bool
	waitIntSet bool
	invflags   uint8
	flags      uint8
}

// Parse reads one iptables command line; argv[0] is the program name. The
// Extensions see every extension call in iptables' order. On -h and -V it
// returns early with Help or Version set.
func Parse(argv []string, cfg Config) (*Command, *Addrs, error) {
	if cfg.Table == "" {
		cfg.Table = "filter"
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	p := parsers.Get().(*parser)
	defer parsers.Put(p)
	cmd := cfg.Command
	if cmd == nil {
		cmd = new(Command)
	}
	*cmd = Command{Family: cfg.Family, Table: cfg.Table, Matches: cmd.Matches[:0]}
	*p = parser{cfg: cfg, argv: append(p.argv[:0], argv...), opts: coreOpts,
		cmd: cmd, g: p.g, addrs: Addrs{}}
	if p.g == nil {
		p.g = &getopt{}
	}
	*p.g = getopt{argv: p.argv, optstr: optstring[2:], optind: 1, exact: mergeRoot.exact}
	addrs := cfg.Addrs
	if addrs == nil {
		addrs = new(Addrs)
	}
	err := p.run()
	*addrs = p.addrs
	return p.cmd, addrs, err
}

func (p *parser) warnf(format string, args ...any) {
	fmt.Fprintf(p.cfg.Stderr, format, args...)
}

func (p *parser) hasArg() bool { return HasArg(p.argv, p.g.optind) }

// HasArg is xs_has_arg: argv[i] exists and is an argument of the option
// before it, not an option or a '!'.
func HasArg(argv []string, i int) bool {
	return i < len(argv) && !strings.HasPrefix(argv[i], "-") && !strings.HasPrefix(argv[i], "!")
}

func (p *parser) nextArg() string {
	a := p.argv[p.g.optind]
	p.g.optind++
	return a
}

var cmdChars = []byte{'I', 'D', 'D', 'R', 'A', 'L', 'F', 'Z', 'N', 'X', 'P', 'E', 'S', 'Z', 'C'}

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

func optionName(option int) string {
	switch option {
	case OptNumeric:
		return "--numeric"
	case OptSource:
		return "--source"
	case OptDestination:
		return "--destination"
	case OptProtocol:
		return "--protocol"
	case OptJump:
		return "--jump"
	case OptVerbose:
		return "--verbose"
	case OptExpanded:
		return "--exact"
	case OptViaIn:
		return "--in-interface"
	case OptViaOut:
		return "--out-interface"
	case OptLineNumbers:
		return "--line-numbers"
	case OptCounters:
		return "--set-counters"
	case OptFragment:
		return "--fragments"
	}
	return "unknown option"
}

func optionInvert(option int) int {
	switch option {
	case OptSource:
		return InvSrcIP
	case OptDestination:
		return InvDstIP
	case OptProtocol:
		return InvProto
	case OptViaIn:
		return InvViaIn
	case OptViaOut:
		return InvViaOut
	case OptFragment:
		return InvFrag
	}
	return -1
}

func (p *parser) setOption(option int) error {
	if p.cmd.Options&option != 0 {
		return paramError("multiple %s options not allowed", optionName(option))
	}
	p.cmd.Options |= option
	if p.invert {
		inv := optionInvert(option)
		if inv < 0 {
			return paramError("cannot have ! before %s", optionName(option))
		}
		p.invflags |= uint8(inv)
	}
	return nil
}

// parseRuleNumber is xtables_strtoui(s, NULL, &n, 1, INT_MAX).
func parseRuleNumber(s string) (int, error) {
	n, ok := strtoui(s, 1, 1<<31-1)
	if !ok {
		return 0, paramError("Invalid rule number `%s'", s)
	}
	return int(n), nil
}

func (p *parser) parseRuleRange(s string) error {
	if strings.Contains(s, ":") {
		return paramError("Rule ranges are not supported")
	}
	n, ok := strtolFull(s)
	if !ok || n == 0 {
		return paramError("Invalid rule number `%s'", s)
	}
	p.cmd.RuleNum = int(n)
	return nil
}

func (p *parser) assertValidChainName(name string) error {
	if len(name) >= maxNameLen {
		return paramError("chain name `%s' too long (must be under %d chars)", name, maxNameLen)
	}
	if strings.HasPrefix(name, "-") || strings.HasPrefix(name, "!") {
		return paramError("chain name not allowed to start with `%c'", name[0])
	}
	if p.cfg.Exts.IsTarget(name) {
		return paramError("chain name may not clash with target name")
	}
	if strings.ContainsAny(name, " \t\n\v\f\r") {
		return paramError("Invalid chain name `%s'", name)
	}
	return nil
}

func parseTargetName(name string) error {
	if len(name) < 1 {
		return paramError("Invalid target name (too short)")
	}
	if len(name) >= maxNameLen {
		return paramError("Invalid target name `%s' (%d chars max)", name, maxNameLen-1)
	}
	if strings.ContainsAny(name, " \t\n\v\f\r") {
		return paramError("Invalid target name `%s'", name)
	}
	return nil
}

// merge adds an extension's options to the getopt table as
// xtables_merge_options does: core options first, then the newest
// extension's, then the older ones.
func (p *parser) merge(e *Ext) {
	p.nextOffset += optionOffsetScale
	e.offset = p.nextOffset
	if p.node == nil {
		p.node = &mergeRoot
	}
	p.node = p.node.child(p.opts, e)
	p.opts, p.g.exact = p.node.opts, p.node.exact
}

// A mergeNode is a getopt table after extensions were merged in some
// order: the table depends only on that order (the offsets are the
// position in it), so rules that load the same extensions in the same
// order share their tables instead of building them per rule. Children
// are keyed by the extension's option table (shared by every load of an
// extension through internal/ipt); tables are read-only.
type mergeNode struct {
	opts     []LongOpt
	exact    map[string]int // exactIndex(opts)
	children map[*Option]*mergeNode
}

var (
	mergeRoot = mergeNode{opts: coreOpts, exact: exactIndex(coreOpts)}
	mergeMu   sync.Mutex
)

// maxMergeChildren bounds the cache for Extensions that hand out new
// option tables for every load.
const maxMergeChildren = 64

func (n *mergeNode) child(cur []LongOpt, e *Ext) *mergeNode {
	var key *Option
	if len(e.Options) > 0 {
		key = &e.Options[0]
	}
	mergeMu.Lock()
	defer mergeMu.Unlock()
	if c := n.children[key]; c != nil {
		return c
	}
	merged := make([]LongOpt, 0, len(cur)+len(e.Options))
	merged = append(merged, coreOpts...)
	for _, o := range e.Options {
		merged = append(merged, LongOpt{o.Name, o.HasArg, o.ID + e.offset})
	}
	merged = append(merged, cur[len(coreOpts):]...)
	c := &mergeNode{opts: merged, exact: exactIndex(merged)}
	if len(n.children) < maxMergeChildren {
		if n.children == nil {
			n.children = map[*Option]*mergeNode{}
		}
		n.children[key] = c
	}
	return c
}

func (p *parser) addMatch(m *Ext) {
	for _, prev := range p.cmd.Matches {
		if prev.Name == m.Name {
			prev.completed = true
			if m.Clone {
				m.offset = prev.offset
			}
		}
	}
	p.cmd.Matches = append(p.cmd.Matches, m)
}

func (p *parser) commandMatch(name string) error {
	if p.invert {
		return paramError("unexpected ! flag before --match")
	}
	m, err := p.cfg.Exts.LoadMatch(name, false)
	if err != nil {
		return err
	}
	p.addMatch(m)
	if !m.Clone && len(m.Options) > 0 {
		p.merge(m)
	}
	return nil
}

func (p *parser) commandJump(name string) error {
	if err := parseTargetName(name); err != nil {
		return err
	}
	p.cmd.Jump = name
	t, err := p.cfg.Exts.LoadTarget(name)
	if err != nil {
		return err
	}
	p.cmd.Target = t
	if t != nil && len(t.Options) > 0 {
		p.merge(t)
	}
	return nil
}

func (p *parser) loadProto() (*Ext, error) {
	if p.cmd.Protocol == "" || p.protoUsed {
		return nil, nil
	}
	p.protoUsed = true
	name := p.cmd.Protocol
	if n, ok := strtoui(name, 0, 255); ok {
		pn, found := p.cfg.Exts.ProtoName(uint16(n), p.cmd.Options&OptNumeric != 0)
		if !found {
			return nil, nil
		}
		name = pn
	}
	return p.cfg.Exts.LoadMatch(name, true)
}

// commandDefault hands an option getopt did not know as iptables' own to
// the extension that owns it, or loads the protocol's match and asks
// getopt to try again (rerun).
func (p *parser) commandDefault(c int) (rerun bool, err error) {
	if t := p.cmd.Target; t != nil && t.HasParse && c >= t.offset && c < t.offset+optionOffsetScale {
		return false, p.extParse(t, c-t.offset)
	}
	for _, m := range p.cmd.Matches {
		if m.completed || !m.HasParse {
			continue
		}
		if c < m.offset || c >= m.offset+optionOffsetScale {
			continue
		}
		return false, p.extParse(m, c-m.offset)
	}
	m, err := p.loadProto()
	if err != nil {
		return false, err
	}
	if m != nil {
		p.addMatch(m)
		p.merge(m)
		// getopt goes on from the rest of a cluster of short options, if
		// any, and takes arguments from the word before: as iptables.
		p.g.optind--
		return true, nil
	}
	switch c {
	case ':':
		return false, paramError("option \"%s\" requires an argument", p.argv[p.g.optind-1])
	case '?':
		if p.g.optopt != 0 {
			return false, paramError("unknown option \"-%c\"", byte(p.g.optopt))
		}
		return false, paramError("unknown option \"%s\"", p.argv[p.g.optind-1])
	}
	arg := p.g.optarg
	if !p.g.hasArg {
		arg = "(null)"
	}
	return false, paramError("Unknown arg \"%s\"", arg)
}

func (p *parser) extParse(e *Ext, id int) error {
	optind, err := p.cfg.Exts.ParseOption(e, id, p.g.optarg, p.g.hasArg, p.invert, p.argv, p.g.optind)
	if optind > p.g.optind {
		p.g.optind = optind
		p.g.nextchar = ""
	}
	return err
}

func (p *parser) parseInterface(arg string) (string, error) {
	if arg == "" {
		return "", paramError("Empty interface is likely to be undesired")
	}
	if len(arg) >= ifNameSize {
		return "", paramError("interface name `%s' must be shorter than %d characters", arg, ifNameSize)
	}
	if strings.ContainsAny(arg, "/ ") {
		p.warnf("Warning: weird character in interface `%s' ('/' and ' ' are not allowed by the kernel).\n", arg)
	}
	return arg, nil
}

func (p *parser) run() error {
	cmd := p.cmd
	for {
		c := p.g.next(p.opts)
		if c == -1 {
			break
		}
		optarg := p.g.optarg
		switch c {
		case 'A':
			if err := p.addCommand(CmdAppend, CmdNone); err != nil {
				return err
			}
			cmd.Chain = optarg
		case 'C':
			if err := p.addCommand(CmdCheck, CmdNone); err != nil {
				return err
			}
			cmd.Chain = optarg
		case 'D':
			if err := p.addCommand(CmdDelete, CmdNone); err != nil {
				return err
			}
			cmd.Chain = optarg
			if p.hasArg() {
				if err := p.parseRuleRange(p.nextArg()); err != nil {
					return err
				}
				cmd.Command = CmdDeleteNum
			}
		case 'R':
			if err := p.addCommand(CmdReplace, CmdNone); err != nil {
				return err
			}
			cmd.Chain = optarg
			if !p.hasArg() {
				return paramError("-%c requires a rule number", cmd2char(CmdReplace))
			}
			n, err := parseRuleNumber(p.nextArg())
			if err != nil {
				return err
			}
			cmd.RuleNum = n
		case 'I':
			if err := p.addCommand(CmdInsert, CmdNone); err != nil {
				return err
			}
			cmd.Chain = optarg
			cmd.RuleNum = 1
			if p.hasArg() {
				n, err := parseRuleNumber(p.nextArg())
				if err != nil {
					return err
				}
				cmd.RuleNum = n
			}
		case 'L', 'S':
			kind := CmdList
			if c == 'S' {
				kind = CmdListRules
			}
			if err := p.addCommand(kind, CmdZero|CmdZeroNum); err != nil {
				return err
			}
			if err := p.optionalChainAndNumber(true); err != nil {
				return err
			}
		case 'F':
			if err := p.addCommand(CmdFlush, CmdNone); err != nil {
				return err
			}
			if err := p.optionalChainAndNumber(false); err != nil {
				return err
			}
		case 'Z':
			if err := p.addCommand(CmdZero, CmdList|CmdListRules); err != nil {
				return err
			}
			if p.g.hasArg {
				cmd.Chain, cmd.ChainSet = optarg, true
			} else if p.hasArg() {
				cmd.Chain, cmd.ChainSet = p.nextArg(), true
			}
			if p.hasArg() {
				n, err := parseRuleNumber(p.nextArg())
				if err != nil {
					return err
				}
				cmd.RuleNum = n
				cmd.Command = CmdZeroNum // iptables drops a -L given before
			}
		case 'N':
			if err := p.assertValidChainName(optarg); err != nil {
				return err
			}
			if err := p.addCommand(CmdNewChain, CmdNone); err != nil {
				return err
			}
			cmd.Chain = optarg
		case 'X':
			if err := p.addCommand(CmdDeleteChain, CmdNone); err != nil {
				return err
			}
			if err := p.optionalChainAndNumber(false); err != nil {
				return err
			}
		case 'E':
			if err := p.addCommand(CmdRenameChain, CmdNone); err != nil {
				return err
			}
			cmd.Chain = optarg
			if !p.hasArg() {
				return paramError("-%c requires old-chain-name and new-chain-name", cmd2char(CmdRenameChain))
			}
			cmd.NewName = p.nextArg()
			if err := p.assertValidChainName(cmd.NewName); err != nil {
				return err
			}
		case 'P':
			if err := p.addCommand(CmdSetPolicy, CmdNone); err != nil {
				return err
			}
			if !p.hasArg() {
				return paramError("-%c requires a chain and a policy", cmd2char(CmdSetPolicy))
			}
			cmd.Chain = optarg
			cmd.Policy = p.nextArg()
		case 'h':
			if len(cmd.Matches) == 0 && cmd.Protocol != "" {
				if m, err := p.cfg.Exts.LoadMatch(cmd.Protocol, true); err == nil && m != nil {
					p.addMatch(m)
				}
			}
			cmd.Help = true
			return nil
		case 'p':
			if err := p.setOption(OptProtocol); err != nil {
				return err
			}
			cmd.Protocol = LowerASCII(optarg)
			p.argv[p.g.optind-1] = lowerLast(p.argv[p.g.optind-1], optarg)
			if err := p.protoParse(); err != nil {
				return err
			}
		case 's':
			if err := p.setOption(OptSource); err != nil {
				return err
			}
			cmd.Src = optarg
		case 'd':
			if err := p.setOption(OptDestination); err != nil {
				return err
			}
			cmd.Dst = optarg
		case 'g':
			if err := p.setOption(OptJump); err != nil {
				return err
			}
			cmd.Goto = true
			if err := parseTargetName(optarg); err != nil {
				return err
			}
			cmd.Jump = optarg
		case 'j':
			if err := p.setOption(OptJump); err != nil {
				return err
			}
			if optarg != "CONTINUE" {
				if err := p.commandJump(optarg); err != nil {
					return err
				}
			}
		case 'i', 'o':
			if optarg == "" {
				return paramError("Empty interface is likely to be undesired")
			}
			opt := OptViaIn
			if c == 'o' {
				opt = OptViaOut
			}
			if err := p.setOption(opt); err != nil {
				return err
			}
			name, err := p.parseInterface(optarg)
			if err != nil {
				return err
			}
			if c == 'i' {
				cmd.InIface = name
			} else {
				cmd.OutIface = name
			}
		case 'f':
			if p.cfg.Family == IPv6 {
				return paramError("`-f' is not supported in IPv6, use -m frag instead")
			}
			if err := p.setOption(OptFragment); err != nil {
				return err
			}
			p.flags |= FlagFrag
		case 'v':
			if cmd.Verbose == 0 {
				if err := p.setOption(OptVerbose); err != nil {
					return err
				}
			}
			cmd.Verbose++
		case 'm':
			if err := p.commandMatch(optarg); err != nil {
				return err
			}
		case 'n':
			if err := p.setOption(OptNumeric); err != nil {
				return err
			}
		case 't':
			if p.invert {
				return paramError("unexpected ! flag before --table")
			}
			if p.cfg.Restore && p.tableSet {
				return paramError("The -t option cannot be used in %s.\n", p.cfg.Program)
			}
			cmd.Table = optarg
			p.tableSet = true
		case 'x':
			if err := p.setOption(OptExpanded); err != nil {
				return err
			}
		case 'V':
			cmd.Version = true
			cmd.VersionNot = p.invert
			return nil
		case 'w':
			if p.cfg.Restore {
				return paramError("You cannot use `-w' from iptables-restore")
			}
			w, err := p.parseWaitTime()
			if err != nil {
				return err
			}
			cmd.Wait = w
		case 'W':
			if p.cfg.Restore {
				return paramError("You cannot use `-W' from iptables-restore")
			}
			if err := p.parseWaitInterval(); err != nil {
				return err
			}
			p.waitIntSet = true
		case '0':
			if err := p.setOption(OptLineNumbers); err != nil {
				return err
			}
		case 'M':
			cmd.Modprobe = optarg
		case 'c':
			if err := p.setOption(OptCounters); err != nil {
				return err
			}
			if err := p.parseCounters(optarg); err != nil {
				return err
			}
		case '4', '6':
			own := (c == '4') == (p.cfg.Family == IPv4)
			if own {
				break
			}
			if p.cfg.Restore {
				cmd.Ignored = true
				return nil
			}
			return &Error{Status: 2, Bare: true}
		case 1:
			if optarg == "!" {
				if p.invert {
					return paramError("multiple consecutive ! not allowed")
				}
				p.invert = true
				p.argv[p.g.optind-1] = ""
				continue
			}
			return &Error{Status: 2, Bare: true, Msg: fmt.Sprintf("Bad argument `%s'", optarg)}
		default:
			rerun, err := p.commandDefault(c)
			if err != nil {
				return err
			}
			if rerun {
				continue
			}
		}
		p.invert = false
	}
	return p.finish()
}

// LowerASCII is tolower(3) over bytes, as iptables lower-cases -p's
// argument: only A-Z change, whatever the encoding.
func LowerASCII(s string) string {
	i := 0
	for i < len(s) && !('A' <= s[i] && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return s // already lower case (nearly always): no copy
	}
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// lowerLast lower-cases the protocol inside its argv word, as iptables
// does in place.
func lowerLast(word, arg string) string {
	if lower := LowerASCII(arg); lower != arg && strings.HasSuffix(word, arg) {
		return word[:len(word)-len(arg)] + lower
	}
	return word
}

func (p *parser) optionalChainAndNumber(number bool) error {
	if p.g.hasArg {
		p.cmd.Chain, p.cmd.ChainSet = p.g.optarg, true
	} else if p.hasArg() {
		p.cmd.Chain, p.cmd.ChainSet = p.nextArg(), true
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

func (p *parser) protoParse() error {
	proto, err := p.cfg.Exts.ParseProtocol(p.cmd.Protocol)
	if err != nil {
		return err
	}
	p.cmd.Proto = proto
	if proto == 0 && p.invflags&InvProto != 0 {
		return paramError("rule would never match protocol")
	}
	if p.cfg.Family == IPv6 {
		p.flags |= FlagProto6
		switch proto {
		case 43, 44, 51, 60: // routing, fragment, AH, destination options
			if p.invflags&InvProto == 0 {
				p.warnf("Warning: never matched protocol: %s. use extension match instead.\n", p.cmd.Protocol)
			}
		}
		p.cfg.Exts.SetProto(proto, FlagProto6, p.invflags)
	} else {
		p.cfg.Exts.SetProto(proto, 0, p.invflags)
	}
	return nil
}

// optionalArg is the argument of an option whose argument is optional: in
// the same word (-w5, --wait=5), else the next word when it is not an
// option.
func (p *parser) optionalArg() (arg string, ok bool) {
	switch {
	case p.g.hasArg:
		return p.g.optarg, true
	case p.hasArg():
		return p.nextArg(), true
	}
	return "", false
}

func (p *parser) parseWaitTime() (int, error) {
	return ParseWaitTime(p.optionalArg())
}

func (p *parser) parseWaitInterval() error {
	if _, err := ParseWaitInterval(p.optionalArg()); err != nil {
		return err
	}
	p.warnf("%s\n", WaitIntervalWarning)
	return nil
}

func (p *parser) parseCounters(arg string) error {
	pcnt := arg
	bcnt, hasB := "", false
	if i := strings.IndexByte(arg, ','); i >= 0 {
		bcnt, hasB = arg[i+1:], true
	}
	if !hasB && p.hasArg() {
		bcnt, hasB = p.nextArg(), true
	}
	if !hasB {
		return paramError("%s requires packet and byte counter", optionName(OptCounters))
	}
	var ok bool
	if p.cmd.Packets, ok = scanULL(pcnt); !ok {
		return paramError("%s packet counter not numeric", optionName(OptCounters))
	}
	if p.cmd.Bytes, ok = scanULL(bcnt); !ok {
		return paramError("%s byte counter not numeric", optionName(OptCounters))
	}
	return nil
}

// optionsForCommands: for each option, the commands it may be used with.
var optionsForCommands = [numberOfOpt]int{
	CmdList,                                // numeric
	cmdIDRAC, cmdIDRAC, cmdIDRAC, cmdIDRAC, // source, destination, protocol, jump
	^0,                 // verbose
	CmdList,            // exact
	cmdIDRAC, cmdIDRAC, // in, out
	CmdList, // line numbers
	CmdInsert | CmdReplace | CmdAppend | CmdSetPolicy, // counters
	cmdIDRAC, // fragment
}

const cmdIDRAC = CmdInsert | CmdDelete | CmdReplace | CmdAppend | CmdCheck

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
		if p.cfg.Family == IPv6 {
			cmd.Flags |= FlagGoto6
		} else {
			cmd.Flags |= FlagGoto4
		}
	}
	if err := p.parseAddresses(); err != nil {
		return err
	}
	for i := 0; i < numberOfOpt; i++ {
		opt := 1 << i
		if cmd.Options&opt != 0 && optionsForCommands[i]&cmd.Command != cmd.Command {
			return paramError("Illegal option `%s' with this command", optionName(opt))
		}
	}
	if len(cmd.Chain) >= maxNameLen {
		return paramError("chain name `%s' too long (must be under %d chars)", cmd.Chain, maxNameLen)
	}
	switch cmd.Command {
	case CmdAppend, CmdDelete, CmdCheck, CmdInsert, CmdReplace:
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
	}
	return nil
}

func (p *parser) parseAddresses() error {
	cmd := p.cmd
	src, dst := cmd.Src, cmd.Dst
	if cmd.Command&(CmdReplace|CmdInsert|CmdDelete|CmdAppend|CmdCheck) != 0 {
		any := "0.0.0.0/0"
		if p.cfg.Family == IPv6 {
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
