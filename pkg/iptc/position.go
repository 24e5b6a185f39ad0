// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import "fmt"

// Rules are numbered two ways, as in python-iptables: the object model
// (Chain's methods) takes indexes, counting from 0 like the slice that
// Chain.Rules returns and python's chain.rules[i]; the easy functions
// take positions, counting from 1 like iptables' command line (-I CHAIN 1)
// and python's iptc.easy. See the package documentation.

// RangeError is a rule index or position outside its chain.
// errors.Is(err, ErrNoRule) is true for it.
type RangeError struct {
	Chain string
	// Pos is the index or position asked for.
	Pos int
	// Rules is the number of rules of the chain.
	Rules int
	// First is 0 for an index (the object model), 1 for a position (the
	// easy functions).
	First int
	// Insert: a rule was to be inserted there, which may also be just
	// after the last rule.
	Insert bool
}

func (e *RangeError) Error() string {
	noun, nouns, note := "index", "indexes", ""
	if e.First == 1 {
		noun, nouns = "position", "positions"
		if e.Insert {
			note = "; 0 appends"
		} else {
			note = "; -1 is the last"
		}
	}
	what := "rule"
	if e.Insert {
		what = "insert"
	}
	last := e.First + e.Rules - 1
	if e.Insert {
		last++
	}
	if last < e.First {
		return fmt.Sprintf("iptc: %s %s %d out of range: chain %s has no rules", what, noun, e.Pos, e.Chain)
	}
	return fmt.Sprintf("iptc: %s %s %d out of range: chain %s has %d rule(s), %s %d to %d%s",
		what, noun, e.Pos, e.Chain, e.Rules, nouns, e.First, last, note)
}

// Is matches ErrNoRule.
func (e *RangeError) Is(target error) bool { return target == ErrNoRule }

// inRange tells whether index is a rule of a chain of n rules, or with
// insert, the place just after the last.
func inRange(index, n int, insert bool) bool {
	return index >= 0 && (index < n || insert && index == n)
}

// position turns an easy position (1 first, n nth, 0 after the last, -1
// before the last, ...) into a 0-based insert index for a chain of n
// rules, as python-iptables' add_rule does.
func position(pos, n int) int {
	switch {
	case pos == 0:
		return n
	case pos > 0:
		return pos - 1
	}
	return max(n+pos, 0)
}
