// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"fmt"

	"github.com/goipt/goipt/pkg/ext"
)

// EqualRules tells whether a and b are the same rule as iptables -C and -D
// decide it (libiptc's is_same with iptables' mask): the same header, the
// same matches and target, the same options where the extensions say they
// matter; counters do not. Both are built for family fam; a target that is
// neither a verdict nor a target extension is taken for a user chain.
func EqualRules(fam Family, a, b *Rule) (bool, error) {
	if a == nil || b == nil {
		return false, fmt.Errorf("iptc: nil rule")
	}
	isChain, err := notTargets(fam, a, b)
	if err != nil {
		return false, err
	}
	bs, err := encodeRules(fam, []*Rule{a, b}, isChain, "")
	if err != nil {
		return false, err
	}
	return ext.SameEntry(fam, bs[0].entry, bs[1].entry, bs[0].mask, false), nil
}

// EqualMatches tells whether a and b are the same match as the kernel
// would hold them, as python-iptables' match == match does: each is built
// for family fam, alone in a rule of protocol proto (the -p of the rule
// they belong to, which some extensions need to build their options:
// multiport's ports; "" for any), and compared as EqualRules compares
// rules: the same extension and revision, the same data where the
// extension says it matters. So options count as the extension saves
// them: --dport ssh equals --dport 22, and options given in another order
// or another spelling that build the same blob are equal.
func EqualMatches(fam Family, proto string, a, b *Match) (bool, error) {
	if a == nil || b == nil {
		return false, fmt.Errorf("iptc: nil match")
	}
	return EqualRules(fam, &Rule{Protocol: proto, Matches: []*Match{a}}, &Rule{Protocol: proto, Matches: []*Match{b}})
}

// EqualTargets tells whether a and b are the same target as the kernel
// would hold them (python-iptables' target == target), built for family
// fam alone in a rule of protocol proto and compared as EqualMatches
// compares matches. A name that is neither a verdict nor a target
// extension is a chain: the same chain is equal, but a jump is not a goto.
func EqualTargets(fam Family, proto string, a, b *Target) (bool, error) {
	if a == nil || b == nil {
		return false, fmt.Errorf("iptc: nil target")
	}
	return EqualRules(fam, &Rule{Protocol: proto, Target: a}, &Rule{Protocol: proto, Target: b})
}
