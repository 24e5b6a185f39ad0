// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

// What the goipt command's --json output needs from this package: rules
// decoded straight from a Handle, many at a time.

// DecodeRules decodes kernel entries (as Handle.Rules returns them) into
// Rules, all in one ext.Run. It must not be called from inside ext.Run.
func DecodeRules(fam Family, raws []RawRule) ([]*Rule, error) {
	return decodeRules(fam, raws, false)
}

// Dump returns the chains of the handle, in the handle's order (built-in
// chains first), with their policies and rules as EasyChains. Policy
// counters are always set for built-in chains and rule counters always
// set, zero or not, so that the caller decides which to keep. All rules
// are decoded in one ext.Run; Dump must not be called from inside ext.Run.
func (h *Handle) Dump() ([]EasyChain, error) {
	names := h.Chains()
	var raws []RawRule
	counts := make([]int, len(names))
	for i, c := range names {
		rs, err := h.Rules(c)
		if err != nil {
			return nil, err
		}
		counts[i] = len(rs)
		raws = append(raws, rs...)
	}
	rules, err := decodeRules(h.fam, raws, true)
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
