// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// EasyRule is a rule as plain data, for JSON and for the easy functions
// (AppendRule, DeleteRule, DumpChain, ...), like python-iptables' rule
// dictionaries (iptc.easy). In JSON:
//
//	{
//	  "src": "10.0.0.0/8",
//	  "in-interface": "eth+",
//	  "protocol": "tcp",
//	  "matches": [
//	    {"name": "tcp", "params": {"dport": "22", "tcp-flags": ["SYN,ACK", "SYN"]}},
//	    {"name": "comment", "params": {"comment": "ssh from the LAN"}}
//	  ],
//	  "target": "ACCEPT"
//	}
//
// A leading "!" negates an address, interface or protocol ("!10.0.0.0/8"),
// or a parameter ("dport": "!22"), as in python-iptables. Matches keep
// their order, and so do the parameters of each match and of the target,
// although they are written as a JSON object. A parameter's value is a
// string ("" for an option without argument, "!" for such an option
// negated), an array of strings for an option that takes several words, or,
// where a value itself begins with "!" or a blank, an object {"value": ...,
// "extra": [...], "invert": true}. Parameter names may be written with
// underscores for dashes ("set_mark"), as python-iptables allows.
//
// Target is a verdict, a chain or a target extension, with its parameters
// in TargetParams; Goto makes a jump to a chain a goto (-g). Counters are
// the rule's counters: read from the kernel (omitted when zero), and set
// on the rule when it is added.
type EasyRule struct {
	Src          string      `json:"src,omitempty"`
	Dst          string      `json:"dst,omitempty"`
	InInterface  string      `json:"in-interface,omitempty"`
	OutInterface string      `json:"out-interface,omitempty"`
	Protocol     string      `json:"protocol,omitempty"`
	Fragment     *bool       `json:"fragment,omitempty"` // true: -f, false: ! -f
	Matches      []EasyMatch `json:"matches,omitempty"`
	Target       string      `json:"target,omitempty"`
	TargetParams Params      `json:"target-params,omitempty"`
	Goto         bool        `json:"goto,omitempty"`
	Counters     *Counters   `json:"counters,omitempty"`
}

// EasyMatch is a match of an EasyRule.
type EasyMatch struct {
	Name   string `json:"name"`
	Params Params `json:"params,omitempty"`
}

// EasyChain is a chain of a dumped table.
type EasyChain struct {
	Name string `json:"name"`
	// Policy and PolicyCounters are those of a built-in chain; Policy is
	// empty for a user chain.
	Policy         string     `json:"policy,omitempty"`
	PolicyCounters *Counters  `json:"policy-counters,omitempty"`
	Rules          []EasyRule `json:"rules"`
}

func bang(inv bool, s string) string {
	if inv {
		return "!" + s
	}
	return s
}

// Easy returns the rule as an EasyRule.
func (r *Rule) Easy() EasyRule {
	e := EasyRule{
		Src:          bang(r.InvSrc, r.Src),
		Dst:          bang(r.InvDst, r.Dst),
		InInterface:  bang(r.InvIn, r.InInterface),
		OutInterface: bang(r.InvOut, r.OutInterface),
		Protocol:     bang(r.InvProto, r.Protocol),
	}
	if r.Fragment || r.InvFragment {
		f := !r.InvFragment
		e.Fragment = &f
	}
	for _, m := range r.Matches {
		e.Matches = append(e.Matches, EasyMatch{Name: m.Name, Params: m.Params.Clone()})
	}
	if t := r.Target; t != nil && t.Name != "" {
		e.Target, e.TargetParams, e.Goto = t.Name, t.Params.Clone(), t.Goto
	}
	if r.Counters != (Counters{}) {
		c := r.Counters
		e.Counters = &c
	}
	return e
}

// Rule returns the EasyRule as a Rule (not checked: that happens when it
// is built for the kernel).
func (e EasyRule) Rule() *Rule {
	r := &Rule{}
	r.SetSrc(e.Src)
	r.SetDst(e.Dst)
	r.SetInInterface(e.InInterface)
	r.SetOutInterface(e.OutInterface)
	r.SetProtocol(e.Protocol)
	if e.Fragment != nil {
		r.Fragment, r.InvFragment = true, !*e.Fragment
	}
	for _, m := range e.Matches {
		r.Matches = append(r.Matches, &Match{Name: m.Name, Params: m.Params.Clone()})
	}
	if e.Target != "" || len(e.TargetParams) > 0 || e.Goto {
		r.Target = &Target{Name: e.Target, Params: e.TargetParams.Clone(), Goto: e.Goto}
	}
	if e.Counters != nil {
		r.Counters = *e.Counters
	}
	return r
}

// String is the rule as iptables -S prints it.
func (e EasyRule) String() string { return e.Rule().Spec() }

type paramObject struct {
	Value  string   `json:"value"`
	Extra  []string `json:"extra,omitempty"`
	Invert bool     `json:"invert,omitempty"`
}

func plainValue(s string) bool {
	return !strings.HasPrefix(s, "!") && strings.TrimLeft(s, " ") == s
}

func (p Param) jsonValue() any {
	if !plainValue(p.Value) {
		return paramObject{p.Value, p.Extra, p.Invert}
	}
	if len(p.Extra) == 0 {
		return bang(p.Invert, p.Value)
	}
	return append([]string{bang(p.Invert, p.Value)}, p.Extra...)
}

// MarshalJSON writes the parameters as one JSON object, in order (see
// EasyRule).
func (ps Params) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(p.Name)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(p.jsonValue())
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads parameters written as a JSON object, keeping their
// order (see EasyRule).
func (ps *Params) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		*ps = nil
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("iptc: parameters must be a JSON object, not %v", tok)
	}
	out := Params{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		p, err := paramFromJSON(pyName(name), raw)
		if err != nil {
			return err
		}
		out = append(out, p)
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	*ps = out
	return nil
}

func paramFromJSON(name string, raw json.RawMessage) (Param, error) {
	p := Param{Name: name}
	var s string
	var arr []string
	var obj paramObject
	switch t := bytes.TrimSpace(raw); {
	case bytes.Equal(t, []byte("null")):
	case len(t) > 0 && t[0] == '"':
		if err := json.Unmarshal(t, &s); err != nil {
			return p, err
		}
		p.Value, p.Invert = cutBang(s)
	case len(t) > 0 && t[0] == '[':
		if err := json.Unmarshal(t, &arr); err != nil {
			return p, fmt.Errorf("iptc: parameter %s: %w", name, err)
		}
		if len(arr) > 0 {
			p.Value, p.Invert = cutBang(arr[0])
			p.Extra = arr[1:]
		}
	case len(t) > 0 && t[0] == '{':
		dec := json.NewDecoder(bytes.NewReader(t))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&obj); err != nil {
			return p, fmt.Errorf("iptc: parameter %s: %w", name, err)
		}
		p.Value, p.Extra, p.Invert = obj.Value, obj.Extra, obj.Invert
	default:
		return p, fmt.Errorf("iptc: parameter %s: value must be a string, an array of strings or an object", name)
	}
	return p, nil
}
