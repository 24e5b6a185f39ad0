// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
)

// DumpBackend returns the chains of a backend's table, in its order
// (built-in chains first), with their policies and rules as EasyChains:
// what DumpTable returns, for a caller that holds the backend.Table
// (a command that has just changed it, say). Policy counters are always
// set for built-in chains and rule counters always set, zero or not, so
// that the caller decides which to keep. All rules are decoded in one
// ext.Run, or, when x is not nil, by a caller inside ext.Run with x.
func DumpBackend(h backend.Table, x *ext.Xtables) ([]EasyChain, error) {
	names := h.Chains()
	var raws []backend.Rule
	counts := make([]int, len(names))
	for i, c := range names {
		rs, err := h.Rules(c)
		if err != nil {
			return nil, err
		}
		counts[i] = len(rs)
		raws = append(raws, rs...)
	}
	var rules []*Rule
	var err error
	if x != nil {
		rules, err = decodeRulesIn(x, raws, true)
	} else {
		rules, err = decodeRules(h.Family(), raws, true)
	}
	if err != nil {
		return nil, err
	}
	out := make([]EasyChain, len(names))
	for i, c := range names {
		ec := EasyChain{Name: c, Rules: make([]EasyRule, counts[i])}
		if pol, p, b, ok := h.Policy(c); ok && h.Builtin(c) {
			ec.Policy = pol
			ec.PolicyCounters = &Counters{Packets: p, Bytes: b}
		}
		for j := range ec.Rules {
			r := rules[0]
			rules = rules[1:]
			e := r.Easy()
			cnt := r.Counters
			e.Counters = &cnt
			ec.Rules[j] = e
		}
		out[i] = ec
	}
	return out, nil
}
