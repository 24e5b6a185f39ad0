// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import "github.com/goipt/goipt/pkg/ext"

// EqualRules tells whether a and b are the same rule as iptables -C and -D
// decide it (libiptc's is_same with iptables' mask): the same header, the
// same matches and target, the same options where the extensions say they
// matter; counters do not. Both are built for family fam; a target that is
// neither a verdict nor a target extension is taken for a user chain.
func EqualRules(fam Family, a, b *Rule) (bool, error) {
	names := map[string]bool{}
	for _, r := range []*Rule{a, b} {
		if t := r.Target; t != nil && t.Name != "" && !IsVerdict(t.Name) {
			names[t.Name] = false
		}
	}
	if len(names) > 0 {
		err := ext.Run(fam, program(fam), func(x *ext.X) error {
			for n := range names {
				names[n] = isTarget(x, n)
			}
			return nil
		})
		if err != nil {
			return false, err
		}
	}
	bs, err := encodeRules(fam, []*Rule{a, b}, func(n string) bool { return !names[n] })
	if err != nil {
		return false, err
	}
	return ext.SameEntry(fam, bs[0].entry, bs[1].entry, bs[0].mask, false), nil
}
