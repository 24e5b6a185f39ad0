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
	IPv6    bool   // ip6tables, not iptables
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
	keepInvert bool // the last option leaves a '!' before it for the next
	stop       bool // -h, -V or restore's -4/-6 ended parsing early
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
	*cmd = Command{IPv6: cfg.IPv6, Table: cfg.Table, Matches: cmd.Matches[:0]}
	*p = parser{cfg: cfg, argv: append(p.argv[:0], argv...), opts: coreOpts,
		cmd: cmd, g: p.g, addrs: Addrs{}}
	if p.g == nil {
		p.g = &getopt{}
	}
	*p.g = getopt{argv: p.argv, optstr: optstring, optind: 1, exact: mergeRoot.exact}
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

// run reads the command line, option after option, as do_parse does.
func (p *parser) run() error {
	for !p.stop {
		c := p.g.next(p.opts)
		if c == -1 {
			return p.finish()
		}
		p.keepInvert = false
		var err error
		switch {
		case c < len(optionByVal) && optionByVal[c] != nil:
			o := optionByVal[c]
			err = o.handle(p, o)
		case c == 1:
			err = p.word()
		default:
			err = p.commandDefault(c)
		}
		if err != nil {
			return err
		}
		if !p.keepInvert {
			p.invert = false
		}
	}
	return nil
}
