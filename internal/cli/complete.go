// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

// Shell completion for the applets. Cobra's __complete command hands each
// applet command's ValidArgsFunction the words typed so far; for iptables
// and ip6tables, completeRule walks them with iptables' grammar (commands,
// options and their arguments, -t, -p, -m and -j loading extensions whose
// options then count) and completes the word under the cursor from what
// the grammar expects there: options, tables, chains read from the kernel,
// targets and matches from the installed plugins, extension options and
// their values (complete_values.go).
//
// Chains are read with libiptc on the calling goroutine, never on
// libxtables' thread (pkg/ext's Run), so that a caller in a network
// namespace reads that namespace's tables.

// coreOptions is iptables' own options, read from parse's table when
// completion first needs them.
var coreOptions = sync.OnceValue(parse.CoreOptions)

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
	need     *pendingArg // the option before the cursor's word wants an argument

	// What the word under the cursor is.
	want      parse.ArgKind
	argument  bool       // the word is an argument, even if want is ArgNone
	optional  bool       // ... or an option
	extOpt    string     // for ArgExtension: the option
	extOf     *loadedExt // and its extension
	positions []parse.ArgKind
}

// pendingArg is an option waiting for its argument: one of iptables' own
// (core) or an extension's (eo of e).
type pendingArg struct {
	core     *parse.CoreOption
	e        *loadedExt
	eo       *ext.Option
	optional bool
}

func newRuleWalk(fam ext.Family) *ruleWalk {
	return &ruleWalk{fam: fam, table: "filter", commands: map[byte]bool{}}
}

// coreOpts is iptables' own options for the walk's family.
func (w *ruleWalk) coreOpts() []parse.CoreOption {
	var out []parse.CoreOption
	for _, o := range coreOptions() {
		if o.IPv4Only && w.fam == ext.IPv6 {
			continue
		}
		out = append(out, o)
	}
	return out
}

func (w *ruleWalk) short(c byte) *parse.CoreOption {
	for _, o := range w.coreOpts() {
		if o.Short == c {
			return &o
		}
	}
	return nil
}

// long finds a long option as getopt_long would: an exact name, else the
// only option (core or extension) the name abbreviates.
func (w *ruleWalk) long(name string) (core *parse.CoreOption, e *loadedExt, eo *ext.Option) {
	var cands []pendingArg
	for _, o := range w.coreOpts() {
		for _, l := range o.Long {
			if l == name {
				return &o, nil, nil
			}
			if strings.HasPrefix(l, name) {
				cands = append(cands, pendingArg{core: &o})
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
				cands = append(cands, pendingArg{e: x, eo: &x.opts[j]})
			}
		}
	}
	if len(cands) == 1 {
		return cands[0].core, cands[0].e, cands[0].eo
	}
	return nil, nil, nil
}

// load adds an extension's options, once per name and kind.
func (w *ruleWalk) load(x *ext.Xtables, name string, target bool) *loadedExt {
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
func protoMatch(x *ext.Xtables, p string) string {
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

// applyCore takes the argument of a core option.
func (w *ruleWalk) applyCore(x *ext.Xtables, o *parse.CoreOption, arg string) {
	switch o.Short {
	case 't':
		w.table = arg
	case 'p':
		w.load(x, protoMatch(x, strings.TrimPrefix(arg, "!")), false)
	case 'm':
		w.load(x, arg, false)
	case 'j':
		w.load(x, arg, true)
	}
	if o.Then != nil {
		w.positions = o.Then
	}
}

// walk reads the words before the cursor and sets what the cursor's word
// is (w.want and friends).
func (w *ruleWalk) walk(x *ext.Xtables, args []string) {
	for _, a := range args {
		if w.need != nil && w.takeArg(x, a) {
			continue
		}
		switch {
		case a == "!" || a == "--" || a == "-" || a == "":
			w.positions = nil
		case strings.HasPrefix(a, "--"):
			w.positions = nil
			w.longWord(x, a[2:])
		case strings.HasPrefix(a, "-"):
			w.positions = nil
			w.shortWord(x, a)
		default:
			if len(w.positions) > 0 {
				w.positions = w.positions[1:]
			}
		}
	}
	w.cursor()
}

// takeArg gives word a to the option waiting for an argument, unless the
// argument is optional and a is an option; it tells whether it did.
func (w *ruleWalk) takeArg(x *ext.Xtables, a string) bool {
	p := w.need
	w.need = nil
	if p.optional && (strings.HasPrefix(a, "-") || strings.HasPrefix(a, "!")) {
		return false // not its argument: the word is read as an option
	}
	if p.core != nil {
		w.applyCore(x, p.core, a)
	} else if p.eo != nil && p.eo.Name == "tcp-flags" {
		w.positions = []parse.ArgKind{parse.ArgExtension}
	}
	return true
}

// longWord reads an option word "--NAME" or "--NAME=VALUE" (without the
// dashes).
func (w *ruleWalk) longWord(x *ext.Xtables, word string) {
	name, val, hasVal := strings.Cut(word, "=")
	core, e, eo := w.long(name)
	switch {
	case core != nil:
		if core.Kind == parse.KindCommand {
			w.commands[core.Short] = true
		}
		if hasVal {
			w.applyCore(x, core, val)
		} else if core.Short != 0 && core.HasArg != 0 {
			w.need = &pendingArg{core: core, optional: core.HasArg == 2}
		}
	case eo != nil && eo.HasArg != 0 && !hasVal:
		w.need = &pendingArg{e: e, eo: eo, optional: eo.HasArg == 2}
	}
}

// shortWord reads a word of short options, "-nvL" or "-tnat".
func (w *ruleWalk) shortWord(x *ext.Xtables, a string) {
	for i := 1; i < len(a); i++ {
		o := w.short(a[i])
		if o == nil {
			return
		}
		if o.Kind == parse.KindCommand {
			w.commands[o.Short] = true
		}
		if o.HasArg == 0 {
			continue
		}
		if i+1 < len(a) {
			w.applyCore(x, o, a[i+1:])
		} else {
			w.need = &pendingArg{core: o, optional: o.HasArg == 2}
		}
		return
	}
}

// cursor sets what the word under the cursor is, after the walk.
func (w *ruleWalk) cursor() {
	if need := w.need; need != nil {
		w.argument = !need.optional
		if need.core != nil {
			w.want, w.optional = need.core.Arg, need.optional
		} else {
			w.want, w.optional, w.extOpt, w.extOf = parse.ArgExtension, need.optional, need.eo.Name, need.e
		}
		return
	}
	if len(w.positions) > 0 {
		w.want, w.argument = w.positions[0], true
		if w.want == parse.ArgExtension {
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
	directive  cobra.ShellCompDirective
	chains     *chainRequest // chains to add once libxtables is done
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
	kind  parse.ArgKind
	table string
}

// completeRule completes the word toComplete of an iptables (or ip6tables)
// command line whose earlier words are args.
func completeRule(fam ext.Family, prog string, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	c := &completions{toComplete: toComplete, directive: cobra.ShellCompDirectiveNoFileComp}
	_ = ext.Run(fam, prog, func(x *ext.Xtables) error {
		if err := x.Reset(); err != nil {
			return err
		}
		w := newRuleWalk(fam)
		w.walk(x, args)
		w.complete(x, c)
		return nil
	})
	for _, f := range c.later {
		f()
	}
	if c.chains != nil {
		builtin, user := chainLister(fam, c.chains.table)
		switch c.chains.kind {
		case parse.ArgChain:
			c.addAll(builtin, "built-in chain")
			c.addAll(user, "chain")
		case parse.ArgBuiltinChain:
			c.addAll(builtin, "built-in chain")
		case parse.ArgUserChain:
			c.addAll(user, "chain")
		}
	}
	return c.out, c.directive
}

// complete adds the candidates for the cursor's word, on libxtables'
// thread.
func (w *ruleWalk) complete(x *ext.Xtables, c *completions) {
	want := w.want
	if w.optional && strings.HasPrefix(c.toComplete, "-") {
		want = parse.ArgNone // an option instead of the optional argument
	}
	// The argument of an option in the same word: -tna, --table=na.
	if want == parse.ArgNone {
		if v, p, ok := w.attached(c.toComplete); ok {
			want, c.prefix = v, p
			if strings.HasSuffix(p, "=") {
				// --opt=value: the shells want the value alone.
				c.prefix, c.toComplete = "", c.toComplete[len(p):]
			}
		}
	}
	switch want {
	case parse.ArgChain, parse.ArgUserChain, parse.ArgBuiltinChain:
		c.chains = &chainRequest{want, w.table}
	case parse.ArgTarget:
		c.addAll(verdicts, "verdict")
		if _, targets, err := x.Plugins(); err == nil {
			sort.Strings(targets)
			c.addAll(targets, "target extension")
		}
		c.chains = &chainRequest{parse.ArgUserChain, w.table}
	case parse.ArgExtension:
		c.directive = w.extArg(x, c)
	case parse.ArgNone:
		if c.prefix == "" && !w.argument {
			if c.toComplete == "" || strings.HasPrefix(c.toComplete, "-") {
				w.options(c)
			} else if c.toComplete == "!" {
				c.add("!", "negate the next option")
			}
		}
	default:
		c.directive = completeValue(x, w.fam, want, c)
	}
}

// attached recognizes an option whose argument is being typed in the same
// word: "-tna" or "--table=na". It returns what the argument is and the
// option part of the word.
func (w *ruleWalk) attached(word string) (parse.ArgKind, string, bool) {
	if strings.HasPrefix(word, "--") {
		name, _, ok := strings.Cut(word[2:], "=")
		if !ok {
			return parse.ArgNone, "", false
		}
		core, e, eo := w.long(name)
		switch {
		case core != nil && core.Arg != parse.ArgNone:
			return core.Arg, "--" + name + "=", true
		case eo != nil && eo.HasArg != 0:
			w.extOpt, w.extOf = eo.Name, e
			return parse.ArgExtension, "--" + name + "=", true
		}
		return parse.ArgNone, "", false
	}
	if len(word) > 2 && word[0] == '-' {
		for i := 1; i < len(word)-1; i++ {
			o := w.short(word[i])
			if o == nil {
				return parse.ArgNone, "", false
			}
			if o.HasArg != 0 {
				if o.Arg == parse.ArgNone {
					return parse.ArgNone, "", false
				}
				return o.Arg, word[:i+1], true
			}
		}
	}
	return parse.ArgNone, "", false
}

// options offers iptables' options, minus further commands once one is
// given, plus the options of the extensions loaded so far.
func (w *ruleWalk) options(c *completions) {
	haveCommand := len(w.commands) > 0
	for _, o := range w.coreOpts() {
		if o.Kind == parse.KindCommand && haveCommand {
			// Only -L and -Z go together.
			if !((o.Short == 'Z' && (w.commands['L'] || w.commands['S'])) || (o.Short == 'L' && w.commands['Z'])) || w.commands[o.Short] {
				continue
			}
		}
		if o.Short != 0 {
			c.add("-"+string(o.Short), o.Desc)
		}
		for _, l := range o.Long {
			c.add("--"+l, o.Desc)
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
