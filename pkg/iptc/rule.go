// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"strings"

	"github.com/goipt/goipt/pkg/ext"
)

// Family is the protocol family of a table: IPv4 (iptables) or IPv6
// (ip6tables).
type Family = ext.Family

// The two families.
const (
	IPv4 = ext.IPv4
	IPv6 = ext.IPv6
)

// Names of the tables iptables knows.
const (
	Filter   = "filter"
	NAT      = "nat"
	Mangle   = "mangle"
	Raw      = "raw"
	Security = "security"
)

// Tables lists the table names, as python-iptables' Table.ALL does. Not
// every table exists for every family and kernel.
var Tables = []string{Filter, Mangle, Raw, NAT, Security}

// Verdicts a rule can jump to besides chains and target extensions.
const (
	Accept = "ACCEPT"
	Drop   = "DROP"
	Queue  = "QUEUE"
	Return = "RETURN"
)

// Counters are a packet and a byte counter, of a rule or of a built-in
// chain's policy.
type Counters struct {
	Packets uint64 `json:"packets"`
	Bytes   uint64 `json:"bytes"`
}

// Rule is one rule of a chain: the part that is not an extension (addresses,
// interfaces, protocol, fragment), any number of matches and one target.
//
// The string fields are written as iptables takes them on its command line;
// the empty string means "any". Every part of the header can be negated as
// with iptables' "!": set the matching Inv field.
//
// A Rule read from the kernel has every field filled in; its matches' and
// target's parameters are what iptables-save prints for them. A Rule written
// to the kernel is built from these fields alone, exactly as iptables builds
// an entry from its command line.
type Rule struct {
	// Src and Dst are the source and destination address with an optional
	// mask: "192.168.1.0/255.255.255.0" or "192.168.1.0/24" for IPv4,
	// "2001:db8::/32" for IPv6; a bare address is a host. Rules read from
	// the kernel show IPv4 masks in dotted form as python-iptables does
	// ("192.168.1.0/255.255.255.0") and IPv6 masks as a prefix length when
	// they are one. Names are not resolved.
	Src, Dst       string
	InvSrc, InvDst bool

	// InInterface and OutInterface are interface names; a trailing "+"
	// matches every interface whose name starts with the rest ("eth+").
	InInterface, OutInterface string
	InvIn, InvOut             bool

	// Protocol is a protocol name or number ("tcp", "udp", "47"); rules
	// read from the kernel name it as iptables-save does. "" is any.
	Protocol string
	InvProto bool

	// Fragment matches second and further fragments (iptables -f), or with
	// InvFragment unfragmented packets and first fragments (! -f). IPv4
	// only.
	Fragment    bool
	InvFragment bool

	// Matches are the rule's match extensions, in order.
	Matches []*Match
	// Target is what happens to a matching packet; nil means no target
	// (the rule only counts).
	Target *Target

	// Counters are the rule's counters. They are read from the kernel, and
	// written with the rule when it is added (like iptables -c).
	Counters Counters

	entry []byte // the kernel entry the rule was read from
}

// NewRule returns an empty rule, matching every packet and without target.
func NewRule() *Rule { return &Rule{} }

// CreateMatch adds a new match extension called name to the rule and
// returns it, as python-iptables' rule.create_match does.
func (r *Rule) CreateMatch(name string) *Match {
	m := NewMatch(name)
	r.Matches = append(r.Matches, m)
	return m
}

// AddMatch appends m to the rule's matches.
func (r *Rule) AddMatch(m *Match) { r.Matches = append(r.Matches, m) }

// RemoveMatch removes m (the same pointer) from the rule's matches.
func (r *Rule) RemoveMatch(m *Match) {
	for i, x := range r.Matches {
		if x == m {
			r.Matches = append(r.Matches[:i:i], r.Matches[i+1:]...)
			return
		}
	}
}

// FindMatch returns the first match called name, or nil.
func (r *Rule) FindMatch(name string) *Match {
	for _, m := range r.Matches {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// CreateTarget sets the rule's target to a new target called name (a
// verdict such as "ACCEPT", a user chain, or a target extension) and returns
// it, as python-iptables' rule.create_target does.
func (r *Rule) CreateTarget(name string) *Target {
	r.Target = NewTarget(name)
	return r.Target
}

// SetSrc sets the source address the python-iptables way: a leading "!"
// negates it.
func (r *Rule) SetSrc(s string) { r.Src, r.InvSrc = cutBang(s) }

// SetDst sets the destination address; a leading "!" negates it.
func (r *Rule) SetDst(s string) { r.Dst, r.InvDst = cutBang(s) }

// SetInInterface sets the input interface; a leading "!" negates it.
func (r *Rule) SetInInterface(s string) { r.InInterface, r.InvIn = cutBang(s) }

// SetOutInterface sets the output interface; a leading "!" negates it.
func (r *Rule) SetOutInterface(s string) { r.OutInterface, r.InvOut = cutBang(s) }

// SetProtocol sets the protocol; a leading "!" negates it.
func (r *Rule) SetProtocol(s string) { r.Protocol, r.InvProto = cutBang(s) }

// Entry returns the kernel entry the rule was read from (nil for a rule
// made in Go).
func (r *Rule) Entry() []byte { return r.entry }

// Clone returns a deep copy of r.
func (r *Rule) Clone() *Rule {
	c := *r
	c.Matches = nil
	for _, m := range r.Matches {
		c.Matches = append(c.Matches, m.Clone())
	}
	if r.Target != nil {
		c.Target = r.Target.Clone()
	}
	c.entry = append([]byte(nil), r.entry...)
	return &c
}

func cutBang(s string) (string, bool) {
	t := strings.TrimLeft(s, " ")
	if strings.HasPrefix(t, "!") {
		return strings.TrimLeft(t[1:], " "), true
	}
	return s, false
}

// Spec returns the rule as iptables -S prints it after "-A CHAIN" (masks as
// prefix lengths where they are one, counters left out): the words an
// iptables command line takes to make the same rule. Values are quoted
// only where a command line needs it, which is not always where
// iptables-save quotes them.
func (r *Rule) Spec() string {
	var b strings.Builder
	r.eachWord(saveAddr, func(w string, value bool) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if value {
			w = quoteArg(w)
		}
		b.WriteString(w)
	})
	return b.String()
}

// String is Spec.
func (r *Rule) String() string { return r.Spec() }

// Words returns the rule as the words of an iptables command line after
// "-A CHAIN", unquoted (what exec'ing iptables takes), in the order
// iptables-save prints them; addresses as the Rule holds them.
func (r *Rule) Words() []string {
	var w []string
	r.eachWord(func(s string) string { return s }, func(s string, _ bool) { w = append(w, s) })
	return w
}

// eachWord calls fn with the rule's command-line words in order, telling
// values (addresses, names, option arguments) from syntax (options, "!");
// addr formats the addresses.
func (r *Rule) eachWord(addr func(string) string, fn func(w string, value bool)) {
	opt := func(inv bool, flag string, vals ...string) {
		if inv {
			fn("!", false)
		}
		if flag != "" {
			fn(flag, false)
		}
		for _, v := range vals {
			fn(v, true)
		}
	}
	if r.Src != "" || r.InvSrc {
		opt(r.InvSrc, "-s", addr(r.Src))
	}
	if r.Dst != "" || r.InvDst {
		opt(r.InvDst, "-d", addr(r.Dst))
	}
	if r.InInterface != "" && (r.InInterface != "+" || r.InvIn) {
		opt(r.InvIn, "-i", r.InInterface)
	}
	if r.OutInterface != "" && (r.OutInterface != "+" || r.InvOut) {
		opt(r.InvOut, "-o", r.OutInterface)
	}
	if r.Protocol != "" {
		opt(r.InvProto, "-p", r.Protocol)
	}
	if r.Fragment {
		opt(r.InvFragment, "-f")
	}
	params := func(ps Params) {
		for _, p := range ps {
			flag := ""
			if p.Name != "" {
				flag = "--" + p.Name
			}
			opt(p.Invert, flag, p.Args()...)
		}
	}
	for _, m := range r.Matches {
		opt(false, "-m", m.Name)
		params(m.Params)
	}
	if t := r.Target; t != nil && t.Name != "" {
		if t.Goto {
			opt(false, "-g", t.Name)
		} else {
			opt(false, "-j", t.Name)
		}
		params(t.Params)
	}
}

// Param is one option of a match or target: Name without the leading
// "--", its argument Value ("" for an option that takes none), and Invert
// for a "!" before it. A few options take more than one word (tcp's
// "--tcp-flags SYN,ACK SYN", set's "--match-set NAME src,dst"): the words
// after the first are in Extra.
type Param struct {
	Name   string
	Value  string
	Extra  []string
	Invert bool
}

// Args returns the words after the option name: Value and Extra. An option
// without argument has none.
func (p Param) Args() []string {
	if p.Value == "" && len(p.Extra) == 0 {
		return nil
	}
	return append([]string{p.Value}, p.Extra...)
}

// String gives the value the python-iptables way: "!" before it when
// inverted, the words joined with spaces.
func (p Param) String() string {
	s := strings.Join(p.Args(), " ")
	if p.Invert {
		return "!" + s
	}
	return s
}

// Params are the options of a match or target, in order.
type Params []Param

func pyName(name string) string { return strings.ReplaceAll(name, "_", "-") }

// Set sets option name to value the python-iptables way
// (match.dport = "22"): underscores in name become dashes, a leading "!"
// in value inverts the option, further values are extra words. An option
// already set is replaced in place; a new one goes last.
//
// An option that takes no argument (a flag: tcp's --syn, MASQUERADE's
// --random) is set whatever its value, as in python-iptables:
// Set("random", ""), Set("random", "1") and Set("random", "true") all
// build --random (and so does "0": Unset removes a flag); "!" negates it.
// The value stays in Params as given, but a rule read back from the
// kernel has "".
func (ps *Params) Set(name, value string, extra ...string) {
	v, inv := cutBang(value)
	ps.SetParam(Param{Name: pyName(name), Value: v, Extra: extra, Invert: inv})
}

// SetParam sets p exactly (no "!" or underscore handling), replacing the
// first option of the same name or appending.
func (ps *Params) SetParam(p Param) {
	p.Extra = append([]string(nil), p.Extra...)
	for i := range *ps {
		if (*ps)[i].Name == p.Name {
			(*ps)[i] = p
			return
		}
	}
	*ps = append(*ps, p)
}

// Get returns option name's value the python-iptables way: "!" first when
// inverted, words joined with spaces; "" when it is not set (see Lookup).
func (ps Params) Get(name string) string {
	p, _ := ps.Lookup(name)
	return p.String()
}

// Lookup returns option name (underscores read as dashes) and whether it
// is set.
func (ps Params) Lookup(name string) (Param, bool) {
	name = pyName(name)
	for _, p := range ps {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// Unset removes every option called name (underscores read as dashes).
func (ps *Params) Unset(name string) {
	name = pyName(name)
	out := (*ps)[:0]
	for _, p := range *ps {
		if p.Name != name {
			out = append(out, p)
		}
	}
	*ps = out
}

// Map returns the options as python-iptables' get_all_parameters does:
// name to value, "!" first when inverted.
func (ps Params) Map() map[string]string {
	out := map[string]string{}
	for _, p := range ps {
		out[p.Name] = p.String()
	}
	return out
}

// Clone returns a deep copy.
func (ps Params) Clone() Params {
	if ps == nil {
		return nil
	}
	out := make(Params, 0, len(ps))
	for _, p := range ps {
		p.Extra = append([]string(nil), p.Extra...)
		out = append(out, p)
	}
	return out
}

// Match is a match extension of a rule (iptables -m NAME ...).
type Match struct {
	// Name is the extension's name as iptables takes it after -m (an
	// alias such as "state" where iptables-save prints one).
	Name string
	// Revision is the revision of the blob of a match read from the
	// kernel. A rule written to the kernel uses the newest revision that
	// both the installed extension and the kernel support, as iptables
	// does; this field is then ignored.
	Revision int
	// Params are the options, in order.
	Params Params
	// Raw is the kernel blob (struct xt_entry_match, header included) of a
	// match read from the kernel, or built by Encode.
	Raw []byte
}

// NewMatch returns a match extension called name, without options.
func NewMatch(name string) *Match { return &Match{Name: name} }

// Set sets an option the python-iptables way (m.Set("dport", "22")); see
// Params.Set.
func (m *Match) Set(name, value string, extra ...string) { m.Params.Set(name, value, extra...) }

// SetParam sets an option exactly; see Params.SetParam.
func (m *Match) SetParam(p Param) { m.Params.SetParam(p) }

// Get returns an option's value the python-iptables way; see Params.Get.
func (m *Match) Get(name string) string { return m.Params.Get(name) }

// Lookup returns an option; see Params.Lookup.
func (m *Match) Lookup(name string) (Param, bool) { return m.Params.Lookup(name) }

// Unset removes an option.
func (m *Match) Unset(name string) { m.Params.Unset(name) }

// Reset removes every option, and the blob of a match read from the
// kernel, as python-iptables' match.reset() does: the extension's
// defaults apply again when the rule is built.
func (m *Match) Reset() { m.Params, m.Raw, m.Revision = nil, nil, 0 }

// Clone returns a deep copy of m.
func (m *Match) Clone() *Match {
	c := *m
	c.Params = m.Params.Clone()
	c.Raw = append([]byte(nil), m.Raw...)
	return &c
}

// Target is the target of a rule: a verdict (ACCEPT, DROP, QUEUE, RETURN),
// a user chain, or a target extension with its options.
type Target struct {
	// Name is the verdict, chain or extension name as iptables takes it
	// after -j.
	Name string
	// Revision: as for Match.
	Revision int
	// Params are the options of a target extension, in order.
	Params Params
	// Goto makes a jump to a user chain a goto (iptables -g): RETURN from
	// that chain returns to the caller's caller.
	Goto bool
	// Raw is the kernel blob (struct xt_entry_target, header included).
	// For verdicts and jumps the backend may keep its own encoding
	// (libiptc does).
	Raw []byte
}

// NewTarget returns a target called name, without options.
func NewTarget(name string) *Target { return &Target{Name: name} }

// NewGoto returns a goto to user chain chain (iptables -g).
func NewGoto(chain string) *Target { return &Target{Name: chain, Goto: true} }

// Set sets an option the python-iptables way (t.Set("to_ports", "1234"));
// see Params.Set.
func (t *Target) Set(name, value string, extra ...string) { t.Params.Set(name, value, extra...) }

// SetParam sets an option exactly; see Params.SetParam.
func (t *Target) SetParam(p Param) { t.Params.SetParam(p) }

// Get returns an option's value the python-iptables way; see Params.Get.
func (t *Target) Get(name string) string { return t.Params.Get(name) }

// Lookup returns an option; see Params.Lookup.
func (t *Target) Lookup(name string) (Param, bool) { return t.Params.Lookup(name) }

// Unset removes an option.
func (t *Target) Unset(name string) { t.Params.Unset(name) }

// Reset removes every option, and the blob of a target read from the
// kernel, as python-iptables' target.reset() does; the name and Goto
// stay.
func (t *Target) Reset() { t.Params, t.Raw, t.Revision = nil, nil, 0 }

// Clone returns a deep copy of t.
func (t *Target) Clone() *Target {
	c := *t
	c.Params = t.Params.Clone()
	c.Raw = append([]byte(nil), t.Raw...)
	return &c
}

// IsVerdict tells whether name is one of the standard verdicts.
func IsVerdict(name string) bool {
	switch name {
	case Accept, Drop, Queue, Return:
		return true
	}
	return false
}
