// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"encoding/json"
	"strings"
	"testing"
)

// Library errors carry the message alone: no trailing newline (some
// libxtables messages have one, for iptables' printing) and none of the
// command line's decoration.
func TestErrorMessagesUndecorated(t *testing.T) {
	rule := func(f func(r *Rule)) *Rule { r := NewRule(); f(r); return r }
	bad := []*Rule{
		rule(func(r *Rule) { r.CreateMatch("tcpp") }),
		rule(func(r *Rule) { r.CreateTarget("LOG").Set("log-level", "foo") }),
		rule(func(r *Rule) { r.Protocol = "tcp"; r.CreateMatch("tcp").Set("dport", "99999") }),
		rule(func(r *Rule) { r.Protocol = "tcp"; r.CreateMatch("tcp").Set("nope", "1") }),
		rule(func(r *Rule) { r.CreateMatch("conntrack").Set("ctstate", "FOO") }),
		rule(func(r *Rule) { r.CreateMatch("limit").Set("limit", "abc") }),
		rule(func(r *Rule) { r.CreateMatch("multiport").Set("dports", "1,2") }),
		rule(func(r *Rule) { r.CreateMatch("comment") }),
		rule(func(r *Rule) { r.CreateTarget("REJECT").Set("reject-with", "foo") }),
		rule(func(r *Rule) { r.CreateTarget("MARK") }),
		rule(func(r *Rule) { r.Target = NewGoto("DROP") }),
		rule(func(r *Rule) { r.Src = "999.1.1.1" }),
		rule(func(r *Rule) { r.Protocol = "nosuchproto" }),
		rule(func(r *Rule) { r.InInterface = "abcdefghijklmnopq" }),
	}
	var errs []error
	for _, r := range bad {
		_, _, err := Encode(IPv4, r)
		errs = append(errs, err)
		_, err = EqualRules(IPv6, r, NewRule())
		errs = append(errs, err)
	}
	errs = append(errs,
		ValidateMatch(IPv4, "tcpp", nil),
		ValidateMatch(IPv4, "mac", Params{{Name: "mac-source", Value: "zz"}}),
		ValidateTarget(IPv4, "", "NOSUCH-TARGET", Params{{Name: "x", Value: "1"}}),
		ValidateTarget(IPv6, "", "LOG", Params{{Name: "log-level", Value: "foo"}}),
		ValidateRule(IPv4, "", EasyRule{Src: "!", Protocol: "!"}),
	)
	_, err := EqualMatches(IPv4, "", NewMatch("tcpp"), NewMatch("tcp"))
	errs = append(errs, err)
	_, err = EqualTargets(IPv4, "", NewTarget("LOG"), &Target{Name: "LOG", Params: Params{{Name: "log-level", Value: "foo"}}})
	errs = append(errs, err)
	_, err = Decode(IPv4, []byte{1, 2, 3}, "")
	errs = append(errs, err)
	var e EasyRule
	errs = append(errs, json.Unmarshal([]byte(`{"matches":[{"name":"x","params":{"a":1}}]}`), &e))
	for i, err := range errs {
		if err == nil {
			t.Errorf("case %d: no error", i)
			continue
		}
		if msg := err.Error(); strings.HasSuffix(msg, "\n") || strings.Contains(msg, "Try `") || msg == "" {
			t.Errorf("case %d: %q", i, msg)
		}
	}
}
