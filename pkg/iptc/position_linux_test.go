// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"errors"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
)

// Indexes (Chain, from 0) and positions (easy functions, from 1) outside
// the chain fail with a *RangeError in the caller's numbering.
func TestSystemRuleRanges(t *testing.T) {
	netnstest.Run(t, func() {
		tb := mustOpen(t, IPv4, Filter, &Options{Autocommit: true})
		in := tb.Chain("INPUT")
		wantRange := func(what string, err error, msg string) {
			t.Helper()
			var re *RangeError
			if !errors.As(err, &re) || !errors.Is(err, ErrNoRule) || err.Error() != msg {
				t.Errorf("%s: %v\n\twant %s", what, err, msg)
			}
		}
		_, err := in.Rule(0)
		wantRange("Rule(0) of an empty chain", err, "iptc: rule index 0 out of range: chain INPUT has no rules")
		for i := 0; i < 3; i++ {
			if err := in.AppendRule(NewRule()); err != nil {
				t.Fatal(err)
			}
		}
		const three = "chain INPUT has 3 rule(s), "
		_, err = in.Rule(3)
		wantRange("Rule(3)", err, "iptc: rule index 3 out of range: "+three+"indexes 0 to 2")
		_, err = in.Rule(-1)
		wantRange("Rule(-1)", err, "iptc: rule index -1 out of range: "+three+"indexes 0 to 2")
		wantRange("InsertRule(4)", in.InsertRule(NewRule(), 4), "iptc: insert index 4 out of range: "+three+"indexes 0 to 3")
		wantRange("ReplaceRule(3)", in.ReplaceRule(NewRule(), 3), "iptc: rule index 3 out of range: "+three+"indexes 0 to 2")
		wantRange("DeleteRuleAt(-1)", in.DeleteRuleAt(-1), "iptc: rule index -1 out of range: "+three+"indexes 0 to 2")
		_, err = in.RuleCounters(3)
		wantRange("RuleCounters(3)", err, "iptc: rule index 3 out of range: "+three+"indexes 0 to 2")
		wantRange("SetRuleCounters(7)", in.SetRuleCounters(7, Counters{}), "iptc: rule index 7 out of range: "+three+"indexes 0 to 2")
		wantRange("ZeroRuleCounters(3)", in.ZeroRuleCounters(3), "iptc: rule index 3 out of range: "+three+"indexes 0 to 2")

		_, err = GetRule(IPv4, Filter, "INPUT", 0)
		wantRange("GetRule(0)", err, "iptc: rule position 0 out of range: "+three+"positions 1 to 3; -1 is the last")
		_, err = GetRule(IPv4, Filter, "INPUT", -4)
		wantRange("GetRule(-4)", err, "iptc: rule position -4 out of range: "+three+"positions 1 to 3; -1 is the last")
		wantRange("AddRule(5)", AddRule(IPv4, Filter, "INPUT", EasyRule{}, 5),
			"iptc: insert position 5 out of range: "+three+"positions 1 to 4; 0 appends")

		// The last index and position in range work; inserting just after
		// the last rule appends.
		if err := in.InsertRule(NewRule(), 3); err != nil {
			t.Errorf("InsertRule(3) of 3: %v", err)
		}
		if err := AddRule(IPv4, Filter, "INPUT", EasyRule{Target: "ACCEPT"}, 5); err != nil {
			t.Errorf("AddRule(5) of 4: %v", err)
		}
		if r, err := in.Rule(4); err != nil || r.Target == nil || r.Target.Name != "ACCEPT" {
			t.Errorf("Rule(4) = %v, %v", r, err)
		}
		if r, err := GetRule(IPv4, Filter, "INPUT", 5); err != nil || r.Target != "ACCEPT" {
			t.Errorf("GetRule(5) = %v, %v", r, err)
		}
		if err := in.DeleteRuleAt(4); err != nil {
			t.Errorf("DeleteRuleAt(4): %v", err)
		}
		// A missing chain is ErrNoChain, whatever the index.
		for _, err := range []error{tb.Chain("nochain").DeleteRuleAt(-1), tb.Chain("nochain").ZeroRuleCounters(0)} {
			if !errors.Is(err, ErrNoChain) {
				t.Errorf("missing chain: %v", err)
			}
		}
	})
}
