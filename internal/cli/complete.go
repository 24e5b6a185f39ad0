// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"bufio"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/goipt/goipt/pkg/ext"
)

// Shell completion for the applets. Cobra's __complete command hands each
// applet command's ValidArgsFunction the words typed so far; for iptables
// and ip6tables, completeRule walks them with iptables' grammar (commands,
// options and their arguments, -t, -p, -m and -j loading extensions whose
// options then count) and completes the word under the cursor from what
// the grammar expects there: options, tables, chains read from the kernel,
// targets and matches from the installed plugins, extension options and
// their values.
//
// Chains are read with libiptc on the calling goroutine, never on
// libxtables' thread (pkg/ext's Run), so that a caller in a network
// namespace reads that namespace's tables.

// valueKind is what a word of the command line is.
type valueKind int

const (
	valNone         valueKind = iota // no completion (an address, a number, a new name)
	valTable                         // a table name
	valChain                         // any chain of the table
	valUserChain                     // a user-defined chain
	valBuiltinChain                  // a built-in chain
	valTarget                        // a target: verdict, plugin or user chain
	valMatch                         // a match plugin
	valProto                         // a protocol
	valIface                         // a network interface
	valPolicy                        // ACCEPT or DROP
	valFile                          // a file name
	valExtArg                        // the argument of an extension's option
)

// coreOpt is one of iptables' own options.
type coreOpt struct {
	short    byte
	long     []string
	arg      valueKind
	optional bool // the argument may be left out (-L [chain])
	command  bool
	desc     string
	ipv4Only bool
}

var coreOptions = []coreOpt{
	{'A', []string{"append"}, valChain, false, true, "Append to chain", false},
	{'C', []string{"check"}, valChain, false, true, "Check for the existence of a rule", false},
	{'D', []string{"delete"}, valChain, false, true, "Delete matching rule (or rule number) from chain", false},
	{'I', []string{"insert"}, valChain, false, true, "Insert in chain as rulenum (default 1=first)", false},
	{'R', []string{"replace"}, valChain, false, true, "Replace rule rulenum (1 = first) in chain", false},
	{'L', []string{"list"}, valChain, true, true, "List the rules in a chain or all chains", false},
	{'S', []string{"list-rules"}, valChain, true, true, "Print the rules in a chain or all chains", false},
	{'F', []string{"flush"}, valChain, true, true, "Delete all rules in chain or all chains", false},
	{'Z', []string{"zero"}, valChain, true, true, "Zero counters in chain or all chains", false},
	{'N', []string{"new-chain"}, valNone, false, true, "Create a new user-defined chain", false},
	{'X', []string{"delete-chain"}, valUserChain, true, true, "Delete a user-defined chain", false},
	{'P', []string{"policy"}, valBuiltinChain, false, true, "Change policy on chain to target", false},
	{'E', []string{"rename-chain"}, valUserChain, false, true, "Change chain name", false},
	{'h', []string{"help"}, valNone, true, true, "Print help", false},
	{'V', []string{"version"}, valNone, false, true, "Print package version", false},
	{'4', []string{"ipv4"}, valNone, false, false, "Nothing (line is ignored by ip6tables-restore)", false},
	{'6', []string{"ipv6"}, valNone, false, false, "Error (line is ignored by iptables-restore)", false},
	{'p', []string{"protocol"}, valProto, false, false, "Protocol: by number or name, eg. `tcp'", false},
	{'s', []string{"source", "src"}, valNone, false, false, "Source specification", false},
	{'d', []string{"destination", "dst"}, valNone, false, false, "Destination specification", false},
	{'i', []string{"in-interface"}, valIface, false, false, "Network interface name ([+] for wildcard)", false},
	{'j', []string{"jump"}, valTarget, false, false, "Target for rule (may load target extension)", false},
	{'g', []string{"goto"}, valUserChain, false, false, "Jump to chain with no return", false},
	{'m', []string{"match"}, valMatch, false, false, "Extended match (may load extension)", false},
	{'n', []string{"numeric"}, valNone, false, false, "Numeric output of addresses and ports", false},
	{'o', []string{"out-interface"}, valIface, false, false, "Output network interface name ([+] for wildcard)", false},
	{'t', []string{"table"}, valTable, false, false, "Table to manipulate (default: `filter')", false},
	{'v', []string{"verbose"}, valNone, false, false, "Verbose mode", false},
	{'w', []string{"wait"}, valNone, true, false, "Maximum wait to acquire xtables lock before give up", false},
	{'W', []string{"wait-interval"}, valNone, true, false, "Ignored, kept for compatibility", false},
	{'x', []string{"exact"}, valNone, false, false, "Expand numbers (display exact values)", false},
	{'f', []string{"fragments"}, valNone, false, false, "Match second or further fragments only", true},
	{'M', []string{"modprobe"}, valFile, false, false, "Try to insert modules using this command", false},
	{'c', []string{"set-counters"}, valNone, false, false, "Set the counter during insert/append", false},
	{0, []string{"line-numbers"}, valNone, false, false, "Print line numbers when listing", false},
}

// Tables are the tables of the legacy x_tables API.
var Tables = []string{"filter", "nat", "mangle", "raw", "security"}

// Verdicts are the standard targets.
var Verdicts = []string{"ACCEPT", "DROP", "RETURN", "QUEUE"}

// extValues lists fixed values of extension options: extension name (or
// "*" for any), option name, values. Lists separated by commas complete
// item by item.
var extValues = map[string]map[string][]string{
	"conntrack": {
		"ctstate":  {"INVALID", "NEW", "ESTABLISHED", "RELATED", "UNTRACKED", "SNAT", "DNAT"},
		"ctstatus": {"NONE", "EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED"},
		"ctdir":    {"ORIGINAL", "REPLY"},
	},
	"state": {"state": {"INVALID", "NEW", "ESTABLISHED", "RELATED", "UNTRACKED"}},
	"tcp":   {"tcp-flags": {"SYN", "ACK", "FIN", "RST", "URG", "PSH", "ALL", "NONE"}},
	"addrtype": {
		"src-type": addrTypes,
		"dst-type": addrTypes,
	},
	"pkttype":   {"pkt-type": {"unicast", "broadcast", "multicast"}},
	"LOG":       {"log-level": {"emerg", "alert", "crit", "error", "warning", "notice", "info", "debug"}},
	"policy":    {"dir": {"in", "out"}, "pol": {"none", "ipsec"}, "mode": {"tunnel", "transport"}, "proto": {"ah", "esp", "ipcomp"}},
	"hashlimit": {"hashlimit-mode": {"srcip", "srcport", "dstip", "dstport"}},
	"time":      {"weekdays": {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}},
	"CT":        {"ctevents": {"new", "related", "destroy", "reply", "assured", "protoinfo", "helper", "mark", "natseqinfo", "secmark"}},
}

var addrTypes = []string{"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST",
	"BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"}

// listValued are the extension options whose value is a comma list.
var listValued = map[string]bool{
	"ctstate": true, "ctstatus": true, "state": true, "tcp-flags": true, "src-type": true,
	"dst-type": true, "hashlimit-mode": true, "weekdays": true, "ctevents": true,
}

// ifaceValued are extension options that take an interface name.
var ifaceValued = map[string]bool{"physdev-in": true, "physdev-out": true}

// helpListed are extension options whose values the extension's help
// lists after a "Valid ... types:" line.
var helpListed = map[string]bool{"icmp-type": true, "icmpv6-type": true, "reject-with": true}

// protoValued are extension options that take a protocol.
var protoValued = map[string]bool{"ctproto": true}

// Protocols are the names libxtables knows without /etc/protocols.
func protocols(fam ext.Family) []string {
	if fam == ext.IPv6 {
		return []string{"tcp", "udp", "udplite", "icmpv6", "ipv6-icmp", "esp", "ah", "sctp", "mh", "dccp", "all"}
	}
	return []string{"tcp", "udp", "udplite", "icmp", "esp", "ah", "sctp", "dccp", "all"}
}

// etcProtocols lists the names in /etc/protocols.
func etcProtocols() []string {
	f, err := os.Open("/etc/protocols")
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		line, _, _ := strings.Cut(s.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) >= 2 {
			out = append(out, fields[0])
			if len(fields) > 2 {
				out = append(out, fields[2:]...)
			}
		}
	}
	return out
}

// interfaces lists network interface names: those of the caller's network
// namespace, or those in /sys/class/net when that cannot be asked.
func interfaces() []string {
	var out []string
	if ifs, err := net.Interfaces(); err == nil {
		for _, i := range ifs {
			out = append(out, i.Name)
		}
		return out
	}
	ents, err := os.ReadDir("/sys/class/net")
	if err != nil {
		return nil
	}
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

// chainLister reads the chains of a table; tests may replace it.
var chainLister = func(fam ext.Family, table string) (builtin, user []string) {
	h, err := Legacy.Open(fam, table)
	if err != nil {
		return nil, nil
	}
	defer h.Close()
	for _, c := range h.Chains() {
		if h.Builtin(c) {
			builtin = append(builtin, c)
		} else {
			user = append(user, c)
		}
	}
	return builtin, user
}

// loadedExt is an extension the words typed so far load.
type loadedExt struct {
	name   string
	target bool
	opts   []ext.Option
	help   string
}

// ruleWalk is what completeRule learns from the words before the cursor.
type ruleWalk struct {
	fam      ext.Family
	table    string
	commands map[byte]bool
	exts     []*loadedExt

	// What the word under the cursor is.
	want      valueKind
	argument  bool // the word is an argument, even if want is valNone
	optional  bool // ... or an option
	prefix    string
	extOpt    string     // for valExtArg: the option
	extOf     *loadedExt // and its extension
	positions []valueKind
}

func newRuleWalk(fam ext.Family) *ruleWalk {
	return &ruleWalk{fam: fam, table: "filter", commands: map[byte]bool{}}
}

func (w *ruleWalk) coreOpts() []coreOpt {
	var out []coreOpt
	for _, o := range coreOptions {
		if o.ipv4Only && w.fam == ext.IPv6 {
			continue
		}
		out = append(out, o)
	}
	return out
}

func (w *ruleWalk) short(c byte) *coreOpt {
	for _, o := range w.coreOpts() {
		if o.short == c {
			return &o
		}
	}
	return nil
}

// long finds a long option as getopt_long would: an exact name, else the
// only option (core or extension) the name abbreviates.
func (w *ruleWalk) long(name string) (core *coreOpt, e *loadedExt, eo *ext.Option) {
	type cand struct {
		core *coreOpt
		e    *loadedExt
		eo   *ext.Option
	}
	var cands []cand
	for _, o := range w.coreOpts() {
		for _, l := range o.long {
			if l == name {
				return &o, nil, nil
			}
			if strings.HasPrefix(l, name) {
				cands = append(cands, cand{core: &o})
			}
		}
	}
	for i := len(w.exts) - 1; i >= 0; i-- {
		x := w.exts[i]
		for j := range x.opts {
			if x.opts[j].Name == name {
				return nil, x, &x.opts[j]
			}
			if strings.HasPrefix(x.opts[j].Name, name) {
				cands = append(cands, cand{e: x, eo: &x.opts[j]})
			}
		}
	}
	if len(cands) == 1 {
		return cands[0].core, cands[0].e, cands[0].eo
	}
	return nil, nil, nil
}

// load adds an extension's options, once per name and kind.
func (w *ruleWalk) load(x *ext.X, name string, target bool) *loadedExt {
	if name == "" {
		return nil
	}
	for _, e := range w.exts {
		if e.name == name && e.target == target {
			return e
		}
	}
	var e *ext.Ext
	var err error
	if target {
		e, err = x.LoadTarget(name)
	} else {
		e, err = x.LoadMatch(name, ext.TryLoad)
	}
	if err != nil || e == nil {
		return nil
	}
	le := &loadedExt{name: name, target: target, opts: e.Options}
	if h, err := x.Help(e); err == nil {
		le.help = h
	}
	w.exts = append(w.exts, le)
	return le
}

// protoMatch is the match iptables loads for protocol p.
func protoMatch(x *ext.X, p string) string {
	p = strings.ToLower(p)
	if n, err := strconv.Atoi(p); err == nil {
		if name, ok := x.ProtoName(uint16(n), false); ok {
			p = name
		}
	}
	switch p {
	case "ipv6-icmp", "icmpv6":
		return "icmp6"
	case "ipv6-mh":
		return "mh"
	case "all", "":
		return ""
	}
	return p
}

// apply takes the argument of a core option.
func (w *ruleWalk) applyCore(x *ext.X, o *coreOpt, arg string) {
	switch o.short {
	case 't':
		w.table = arg
	case 'p':
		w.load(x, protoMatch(x, strings.TrimPrefix(arg, "!")), false)
	case 'm':
		w.load(x, arg, false)
	case 'j':
		w.load(x, arg, true)
	case 'E':
		w.positions = []valueKind{valNone}
	case 'P':
		w.positions = []valueKind{valPolicy}
	case 'c':
		w.positions = []valueKind{valNone}
	}
}

// walk reads the words before the cursor and sets what the cursor's word
// is (w.want and friends).
func (w *ruleWalk) walk(x *ext.X, args []string) {
	type pending struct {
		core     *coreOpt
		e        *loadedExt
		eo       *ext.Option
		optional bool
	}
	var need *pending
	for _, a := range args {
		if need != nil {
			p := need
			need = nil
			if p.optional && (strings.HasPrefix(a, "-") || strings.HasPrefix(a, "!")) {
				// not its argument: read the word again below
			} else {
				if p.core != nil {
					w.applyCore(x, p.core, a)
				} else if p.eo != nil && p.eo.Name == "tcp-flags" {
					w.positions = []valueKind{valExtArg}
				}
				continue
			}
		}
		switch {
		case a == "!" || a == "--" || a == "-" || a == "":
			w.positions = nil
		case strings.HasPrefix(a, "--"):
			w.positions = nil
			name, val, hasVal := strings.Cut(a[2:], "=")
			core, e, eo := w.long(name)
			switch {
			case core != nil:
				if core.command {
					w.commands[core.short] = true
				}
				if hasVal {
					w.applyCore(x, core, val)
				} else if core.short != 0 && optTakesArg(core.short) {
					need = &pending{core: core, optional: core.optional}
				}
			case eo != nil && eo.HasArg != 0 && !hasVal:
				need = &pending{e: e, eo: eo, optional: eo.HasArg == 2}
			}
		case strings.HasPrefix(a, "-"):
			w.positions = nil
			for i := 1; i < len(a); i++ {
				o := w.short(a[i])
				if o == nil {
					break
				}
				if o.command {
					w.commands[o.short] = true
				}
				if !optTakesArg(o.short) {
					continue
				}
				if i+1 < len(a) {
					w.applyCore(x, o, a[i+1:])
				} else {
					need = &pending{core: o, optional: o.optional}
				}
				break
			}
		default:
			if len(w.positions) > 0 {
				w.positions = w.positions[1:]
			}
		}
	}
	if need != nil {
		w.argument = !need.optional
		if need.core != nil {
			w.want, w.optional = need.core.arg, need.optional
		} else {
			w.want, w.optional, w.extOpt, w.extOf = valExtArg, need.optional, need.eo.Name, need.e
		}
		return
	}
	if len(w.positions) > 0 {
		w.want, w.argument = w.positions[0], true
		if w.want == valExtArg {
			w.extOpt, w.extOf = "tcp-flags", w.find("tcp")
		}
	}
}

func (w *ruleWalk) find(name string) *loadedExt {
	for _, e := range w.exts {
		if e.name == name {
			return e
		}
	}
	return nil
}

// optTakesArg tells whether a short option takes an argument (required or
// optional), from iptables' option string.
func optTakesArg(c byte) bool {
	const optstring = "A:C:D:E:F::I:L::M:N:P:R:S::VX::Z::c:d:i:j:o:p:s:t:vW::46fg:h::m:nw::x"
	i := strings.IndexByte(optstring, c)
	return i >= 0 && i+1 < len(optstring) && optstring[i+1] == ':'
}

// completions is the answer being built.
type completions struct {
	// later runs after libxtables' thread is done, on the caller's
	// goroutine: what depends on the network namespace (chains,
	// interfaces) is read there.
	later      []func()
	toComplete string
	prefix     string // put before every candidate (an attached option, a list's head)
	out        []cobra.Completion
	seen       map[string]bool
}

func (c *completions) add(name, desc string) {
	full := c.prefix + name
	if !strings.HasPrefix(full, c.toComplete) || c.seen[full] {
		return
	}
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	c.seen[full] = true
	if desc != "" {
		c.out = append(c.out, cobra.CompletionWithDesc(full, desc))
	} else {
		c.out = append(c.out, full)
	}
}

func (c *completions) addAll(names []string, desc string) {
	for _, n := range names {
		c.add(n, desc)
	}
}

// chainRequest is a list of chains to read once libxtables is done.
type chainRequest struct {
	kind  valueKind
	table string
}

// completeRule completes the word toComplete of an iptables (or ip6tables)
// command line whose earlier words are args.
func completeRule(fam ext.Family, prog string, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	c := &completions{toComplete: toComplete}
	directive := cobra.ShellCompDirectiveNoFileComp
	var chains *chainRequest
	_ = ext.Run(fam, prog, func(x *ext.X) error {
		if err := x.Reset(); err != nil {
			return err
		}
		w := newRuleWalk(fam)
		w.walk(x, args)
		want := w.want
		if w.optional && strings.HasPrefix(toComplete, "-") {
			want = valNone // an option instead of the optional argument
		}
		// The argument of an option in the same word: -tna, --table=na.
		if want == valNone {
			if v, p, ok := w.attached(x, toComplete); ok {
				want, c.prefix = v, p
				if strings.HasSuffix(p, "=") {
					// --opt=value: the shells want the value alone.
					c.prefix, c.toComplete = "", toComplete[len(p):]
				}
			}
		}
		switch want {
		case valTable:
			c.addAll(Tables, "table")
		case valChain, valUserChain, valBuiltinChain:
			chains = &chainRequest{want, w.table}
		case valTarget:
			c.addAll(Verdicts, "verdict")
			if _, targets, err := x.Plugins(); err == nil {
				sort.Strings(targets)
				c.addAll(targets, "target extension")
			}
			chains = &chainRequest{valUserChain, w.table}
		case valMatch:
			if matches, _, err := x.Plugins(); err == nil {
				sort.Strings(matches)
				for _, m := range matches {
					if m != "standard" {
						c.add(m, "match extension")
					}
				}
			}
		case valProto:
			c.addAll(protocols(fam), "protocol")
			if len(c.out) == 0 && toComplete != "" {
				c.addAll(etcProtocols(), "protocol")
			}
		case valIface:
			c.later = append(c.later, func() { c.addAll(interfaces(), "interface") })
		case valPolicy:
			c.addAll([]string{"ACCEPT", "DROP"}, "policy")
		case valFile:
			directive = cobra.ShellCompDirectiveDefault
		case valExtArg:
			directive = w.extArg(x, c)
		case valNone:
			if c.prefix == "" && !w.argument {
				if toComplete == "" || strings.HasPrefix(toComplete, "-") {
					w.options(c)
				} else if toComplete == "!" {
					c.add("!", "negate the next option")
				}
			}
		}
		return nil
	})
	for _, f := range c.later {
		f()
	}
	if chains != nil {
		builtin, user := chainLister(fam, chains.table)
		switch chains.kind {
		case valChain:
			c.addAll(builtin, "built-in chain")
			c.addAll(user, "chain")
		case valBuiltinChain:
			c.addAll(builtin, "built-in chain")
		case valUserChain:
			c.addAll(user, "chain")
		}
	}
	return c.out, directive
}

// attached recognizes an option whose argument is being typed in the same
// word: "-tna" or "--table=na". It returns what the argument is and the
// option part of the word.
func (w *ruleWalk) attached(x *ext.X, word string) (valueKind, string, bool) {
	if strings.HasPrefix(word, "--") {
		name, _, ok := strings.Cut(word[2:], "=")
		if !ok {
			return valNone, "", false
		}
		core, e, eo := w.long(name)
		switch {
		case core != nil && core.arg != valNone:
			return core.arg, "--" + name + "=", true
		case eo != nil && eo.HasArg != 0:
			w.extOpt, w.extOf = eo.Name, e
			return valExtArg, "--" + name + "=", true
		}
		return valNone, "", false
	}
	if len(word) > 2 && word[0] == '-' {
		for i := 1; i < len(word)-1; i++ {
			o := w.short(word[i])
			if o == nil {
				return valNone, "", false
			}
			if optTakesArg(o.short) {
				if o.arg == valNone {
					return valNone, "", false
				}
				return o.arg, word[:i+1], true
			}
		}
	}
	return valNone, "", false
}

// options offers iptables' options, minus further commands once one is
// given, plus the options of the extensions loaded so far.
func (w *ruleWalk) options(c *completions) {
	haveCommand := len(w.commands) > 0
	for _, o := range w.coreOpts() {
		if o.command && haveCommand {
			// Only -L and -Z go together.
			if !((o.short == 'Z' && (w.commands['L'] || w.commands['S'])) || (o.short == 'L' && w.commands['Z'])) || w.commands[o.short] {
				continue
			}
		}
		if o.short != 0 {
			c.add("-"+string(o.short), o.desc)
		}
		for _, l := range o.long {
			c.add("--"+l, o.desc)
		}
	}
	c.add("--json", "-L and -S print JSON (goipt's own)")
	for _, e := range w.exts {
		kind := "match"
		if e.target {
			kind = "target"
		}
		for _, o := range e.opts {
			c.add("--"+o.Name, e.name+" "+kind+" option")
		}
	}
}

// extArg completes the argument of an extension's option.
func (w *ruleWalk) extArg(x *ext.X, c *completions) cobra.ShellCompDirective {
	opt, e := w.extOpt, w.extOf
	name := ""
	if e != nil {
		name = e.name
	}
	switch {
	case ifaceValued[opt]:
		c.later = append(c.later, func() { c.addAll(interfaces(), "interface") })
	case protoValued[opt]:
		c.addAll(protocols(w.fam), "protocol")
	case helpListed[opt] && e != nil:
		for _, v := range helpValues(e.help) {
			c.add(v[0], v[1])
		}
	default:
		values := extValues[name][opt]
		if values == nil {
			return cobra.ShellCompDirectiveNoFileComp
		}
		if listValued[opt] {
			if i := strings.LastIndexByte(c.toComplete, ','); i >= 0 {
				c.prefix += c.toComplete[len(c.prefix) : i+1]
			}
		}
		c.addAll(values, "")
		if listValued[opt] {
			return cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
		}
	}
	return cobra.ShellCompDirectiveNoFileComp
}

// helpValues reads the value list an extension's help prints after a line
// such as "Valid ICMP Types:" or "Valid reject types:". A line is a name,
// maybe aliases in parentheses ("echo-reply (pong)"), maybe a description
// after a tab or two spaces.
func helpValues(help string) [][2]string {
	var out [][2]string
	in := false
	for _, line := range strings.Split(help, "\n") {
		t := strings.TrimSpace(line)
		if !in {
			l := strings.ToLower(t)
			in = strings.HasPrefix(l, "valid ") && strings.HasSuffix(l, "types:")
			continue
		}
		if t == "" {
			break
		}
		names, desc := t, ""
		if i := strings.IndexAny(t, "\t"); i >= 0 {
			names, desc = t[:i], t[i:]
		}
		if i := strings.Index(names, "  "); i >= 0 {
			names, desc = names[:i], names[i:]+desc
		}
		desc = strings.TrimSpace(desc)
		fields := strings.Fields(names)
		out = append(out, [2]string{fields[0], desc})
		for _, f := range fields[1:] {
			if strings.HasPrefix(f, "(") && strings.HasSuffix(f, ")") {
				out = append(out, [2]string{strings.Trim(f, "()"), "alias of " + fields[0]})
			}
		}
	}
	return out
}

// simpleOpt is an option of iptables-save, -restore or -xml.
type simpleOpt struct {
	short byte
	long  string
	arg   valueKind // valNone: no argument
	desc  string
}

var saveCompletion = []simpleOpt{
	{'c', "counters", valNone, "Include packet and byte counters"},
	{'t', "table", valTable, "Only this table"},
	{'M', "modprobe", valFile, "Use this command to load modules"},
	{'f', "file", valFile, "Write to this file instead of stdout"},
	{'V', "version", valNone, "Print package version"},
	{0, "json", valNone, "Print the tables as JSON (goipt's own)"},
}

var restoreCompletion = []simpleOpt{
	{'c', "counters", valNone, "Restore packet and byte counters"},
	{'h', "help", valNone, "Print help"},
	{'n', "noflush", valNone, "Don't flush previous rules"},
	{'t', "test", valNone, "Test only: parse, don't commit"},
	{'v', "verbose", valNone, "Verbose mode"},
	{'V', "version", valNone, "Print package version"},
	{'w', "wait", valNone, "Wait for the xtables lock (seconds)"},
	{'W', "wait-interval", valNone, "Ignored, kept for compatibility"},
	{'M', "modprobe", valFile, "Use this command to load modules"},
	{'T', "table", valTable, "Only restore this table"},
	{0, "json", valNone, "Read the JSON --json prints (goipt's own)"},
	{0, "plan", valNone, "Print what would change, commit nothing (goipt's own)"},
}

var xmlCompletion = []simpleOpt{
	{'c', "combine", valNone, "Combine the actions of rules with the same conditions"},
	{'v', "verbose", valNone, "Show each input line as a comment"},
	{'h', "help", valNone, "Print help"},
}

// completeSimple completes the command line of an applet with a few
// options and (with files) file operands.
func completeSimple(opts []simpleOpt, files bool, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	c := &completions{toComplete: toComplete}
	argOf := func(o simpleOpt) ([]cobra.Completion, cobra.ShellCompDirective) {
		switch o.arg {
		case valTable:
			c.addAll(Tables, "table")
		case valFile:
			return nil, cobra.ShellCompDirectiveDefault
		}
		return c.out, cobra.ShellCompDirectiveNoFileComp
	}
	if n := len(args); n > 0 {
		prev := args[n-1]
		for _, o := range opts {
			if o.arg != valNone && (o.short != 0 && prev == "-"+string(o.short) || prev == "--"+o.long) {
				return argOf(o)
			}
		}
	}
	for _, o := range opts {
		if o.arg == valNone {
			continue
		}
		if p := "--" + o.long + "="; strings.HasPrefix(toComplete, p) {
			c.toComplete = toComplete[len(p):] // the shells want the value alone
			return argOf(o)
		}
		if p := "-" + string(o.short); o.short != 0 && len(toComplete) > 2 && strings.HasPrefix(toComplete, p) {
			c.prefix = p
			return argOf(o)
		}
	}
	if toComplete == "" && files {
		return nil, cobra.ShellCompDirectiveDefault
	}
	if strings.HasPrefix(toComplete, "-") || toComplete == "" {
		for _, o := range opts {
			if o.short != 0 {
				c.add("-"+string(o.short), o.desc)
			}
			c.add("--"+o.long, o.desc)
		}
		return c.out, cobra.ShellCompDirectiveNoFileComp
	}
	if files {
		return nil, cobra.ShellCompDirectiveDefault
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// appletCompletion is the ValidArgsFunction of applet name's command.
func appletCompletion(name string) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		switch name {
		case "iptables":
			return completeRule(ext.IPv4, name, args, toComplete)
		case "ip6tables":
			return completeRule(ext.IPv6, name, args, toComplete)
		case "iptables-save", "ip6tables-save":
			return completeSimple(saveCompletion, false, args, toComplete)
		case "iptables-restore", "ip6tables-restore":
			return completeSimple(restoreCompletion, true, args, toComplete)
		case "iptables-xml":
			return completeSimple(xmlCompletion, true, args, toComplete)
		}
		return nil, cobra.ShellCompDirectiveDefault
	}
}
