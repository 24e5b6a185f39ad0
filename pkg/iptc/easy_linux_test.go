// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
)

func easyTCP(port, comment string) EasyRule {
	r := EasyRule{Protocol: "tcp", Target: "ACCEPT",
		Matches: []EasyMatch{{Name: "tcp", Params: Params{{Name: "dport", Value: port}}}}}
	if comment != "" {
		r.Matches = append(r.Matches, EasyMatch{Name: "comment", Params: Params{{Name: "comment", Value: comment}}})
	}
	return r
}

func TestSystemEasy(t *testing.T) {
	netnstest.Run(t, func() {
		for _, fam := range []Family{IPv4, IPv6} {
			if tables := GetTables(fam); len(tables) < 3 {
				t.Errorf("%v: tables %v", fam, tables)
			}
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			must(AddChain(fam, Filter, "easy"))
			if ok, err := HasChain(fam, Filter, "easy"); !ok || err != nil {
				t.Errorf("HasChain = %v, %v", ok, err)
			}
			if err := AddChain(fam, Filter, "easy"); err == nil {
				t.Error("AddChain of an existing chain succeeded")
			}
			must(AppendRule(fam, Filter, "easy", easyTCP("1", "")))
			must(AppendRule(fam, Filter, "easy", easyTCP("3", "")))
			must(InsertRule(fam, Filter, "easy", easyTCP("0", "first")))
			must(AddRule(fam, Filter, "easy", easyTCP("2", ""), -1)) // before the last
			must(AddRule(fam, Filter, "easy", easyTCP("4", ""), 0))  // append
			rules, err := DumpChain(fam, Filter, "easy")
			must(err)
			var ports []string
			for _, r := range rules {
				ports = append(ports, r.Matches[0].Params.Get("dport"))
			}
			if !reflect.DeepEqual(ports, []string{"0", "1", "2", "3", "4"}) {
				t.Errorf("ports %v", ports)
			}
			if !reflect.DeepEqual(rules[0], easyTCP("0", "first")) {
				t.Errorf("dumped %#v", rules[0])
			}
			if r, err := GetRule(fam, Filter, "easy", -1); err != nil || r.Matches[0].Params.Get("dport") != "4" {
				t.Errorf("GetRule(-1) = %v, %v", r, err)
			}
			if r, err := GetRule(fam, Filter, "easy", 2); err != nil || r.Matches[0].Params.Get("dport") != "1" {
				t.Errorf("GetRule(2) = %v, %v", r, err)
			}
			if _, err := GetRule(fam, Filter, "easy", 9); !errors.Is(err, ErrNoRule) {
				t.Errorf("GetRule(9): %v", err)
			}
			if pos, err := GetRulePosition(fam, Filter, "easy", easyTCP("3", "")); err != nil || pos != 4 {
				t.Errorf("GetRulePosition = %d, %v", pos, err)
			}
			if ok, err := HasRule(fam, Filter, "easy", easyTCP("0", "")); ok || err != nil {
				t.Errorf("HasRule without the comment = %v, %v", ok, err)
			}
			must(ReplaceRule(fam, Filter, "easy", easyTCP("3", ""), easyTCP("33", "")))
			if ok, err := HasRule(fam, Filter, "easy", easyTCP("33", "")); !ok || err != nil {
				t.Errorf("HasRule(33) = %v, %v", ok, err)
			}
			must(DeleteRule(fam, Filter, "easy", easyTCP("33", "")))
			if err := DeleteRule(fam, Filter, "easy", easyTCP("33", "")); !errors.Is(err, ErrNoRule) {
				t.Errorf("deleting twice: %v", err)
			}
			counted := easyTCP("5", "")
			counted.Counters = &Counters{4, 400}
			must(AppendRule(fam, Filter, "easy", counted))
			if c, err := GetRuleCounters(fam, Filter, "easy", easyTCP("5", "")); err != nil || c != (Counters{4, 400}) {
				t.Errorf("GetRuleCounters = %v, %v", c, err)
			}
			must(ZeroChain(fam, Filter, "easy"))
			must(AppendRule(fam, Filter, "INPUT", EasyRule{Target: "easy", Goto: true}))
			must(SetPolicy(fam, Filter, "FORWARD", "DROP"))
			if p, err := GetPolicy(fam, Filter, "FORWARD"); p != "DROP" || err != nil {
				t.Errorf("GetPolicy = %q, %v", p, err)
			}
			if _, err := GetPolicy(fam, Filter, "easy"); !errors.Is(err, ErrNotBuiltin) {
				t.Errorf("GetPolicy of a user chain: %v", err)
			}
			if chains, err := GetChains(fam, Filter); err != nil || len(chains) != 4 {
				t.Errorf("GetChains = %v, %v", chains, err)
			}

			// The dump, through JSON and back, rebuilds the same table.
			dump, err := DumpTable(fam, Filter)
			must(err)
			js, err := json.Marshal(dump)
			must(err)
			before := save(t, fam, Filter)
			must(FlushTable(fam, Filter))
			if n := len(save(t, fam, Filter)); n != 3 {
				t.Errorf("after FlushTable: %d lines", n)
			}
			var back []EasyChain
			must(json.Unmarshal(js, &back))
			b := NewBatch(fam, Filter)
			for _, c := range back {
				if c.Policy == "" {
					b.AddChain(c.Name)
				}
			}
			for _, c := range back {
				if c.Policy != "" {
					b.SetPolicy(c.Name, c.Policy)
				}
				for _, r := range c.Rules {
					b.AppendRule(c.Name, r)
				}
			}
			if b.Len() != 1+3+6 {
				t.Errorf("batch of %d", b.Len())
			}
			must(b.Commit())
			wantLines(t, save(t, fam, Filter), before...)

			// A failing batch commits nothing.
			err = NewBatch(fam, Filter).AddChain("new").AppendRule("nochain", easyTCP("1", "")).Commit()
			if !errors.Is(err, ErrNoChain) {
				t.Errorf("bad batch: %v", err)
			}
			if ok, _ := HasChain(fam, Filter, "new"); ok {
				t.Error("failed batch committed a chain")
			}
			must(NewBatch(fam, Filter).FlushChain("INPUT").DeleteChain("easy").DeleteChain("absent").Commit())
			if err := DeleteChain(fam, Filter, "easy", true); err == nil {
				t.Error("deleted a missing chain")
			}
			if err := ValidateRule(fam, EasyRule{Target: "MARK"}); err == nil {
				t.Error("MARK without options validated")
			}
			if err := ValidateRule(fam, easyTCP("22", "x")); err != nil {
				t.Errorf("ValidateRule: %v", err)
			}
		}
	})
}
