// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
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
		}
	})
}

// Validation against a table: a target must be a verdict, an extension or
// one of the table's chains; without a table, any name may be a chain.
func TestSystemValidate(t *testing.T) {
	netnstest.Run(t, func() {
		for _, fam := range []Family{IPv4, IPv6} {
			if err := ValidateRule(fam, Filter, easyTCP("22", "x")); err != nil {
				t.Errorf("ValidateRule: %v", err)
			}
			if err := ValidateRule(fam, Filter, EasyRule{Target: "MARK"}); err == nil {
				t.Error("MARK without options validated")
			}
			want := "Couldn't load target `ACCPET': no such target extension, and no chain of that name in the " +
				fam.String() + " filter table"
			for _, err := range []error{ValidateRule(fam, Filter, EasyRule{Target: "ACCPET"}),
				ValidateTarget(fam, Filter, "ACCPET", nil)} {
				if err == nil || err.Error() != want {
					t.Errorf("ACCPET: %v\n\twant %s", err, want)
				}
			}
			if err := ValidateRule(fam, "", EasyRule{Target: "ACCPET"}); err != nil {
				t.Errorf("ACCPET without a table: %v", err)
			}
			if err := ValidateTarget(fam, Filter, "LOG", Params{{Name: "log-prefix", Value: "x"}}); err != nil {
				t.Errorf("ValidateTarget(LOG): %v", err)
			}
			if err := ValidateRule(fam, "nosuchtable", easyTCP("22", "")); err == nil {
				t.Error("validated against a missing table")
			}
			// A Table validates against its chains as they are, open
			// transaction included.
			tb := mustOpen(t, fam, Filter, nil)
			jump := NewRule()
			jump.CreateTarget("mine")
			if err := tb.ValidateRule(jump); err == nil {
				t.Error("jump to a missing chain validated")
			}
			if _, err := tb.CreateChain("mine"); err != nil {
				t.Fatal(err)
			}
			if err := tb.ValidateRule(jump); err != nil {
				t.Errorf("jump to a chain of the transaction: %v", err)
			}
			if tb.Pending() != 1 {
				t.Errorf("ValidateRule changed the table: %d pending", tb.Pending())
			}
			if err := tb.Rollback(); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// The easy functions on whole tables: DumpAll, ZeroTable, ZeroAll,
// FlushChain, FlushAll; and a Batch's inserts and deletes.
func TestSystemEasyTables(t *testing.T) {
	netnstest.Run(t, func() {
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		counted := func(target string) EasyRule {
			return EasyRule{Target: target, Counters: &Counters{Packets: 5, Bytes: 500}}
		}
		must(AppendRule(IPv4, Filter, "INPUT", counted("ACCEPT")))
		must(AppendRule(IPv4, Mangle, "PREROUTING", counted("ACCEPT")))
		must(AddChain(IPv4, NAT, "natchain"))
		must(SetPolicy(IPv4, Filter, "FORWARD", "DROP"))
		counters := func(table, chain string) Counters {
			t.Helper()
			c, err := GetRuleCounters(IPv4, table, chain, EasyRule{Target: "ACCEPT"})
			must(err)
			return c
		}

		all, err := DumpAll(IPv4)
		must(err)
		for _, table := range []string{Filter, Mangle, NAT, Raw} {
			if _, ok := all[table]; !ok {
				t.Errorf("DumpAll: no %s table in %v", table, all)
			}
		}
		if in := all[Filter][0]; in.Name != "INPUT" || len(in.Rules) != 1 || *in.Rules[0].Counters != (Counters{5, 500}) {
			t.Errorf("DumpAll filter INPUT: %+v", in)
		}
		if n := len(all[NAT]); n != 5 || all[NAT][4].Name != "natchain" {
			t.Errorf("DumpAll nat: %+v", all[NAT])
		}

		must(ZeroTable(IPv4, Filter))
		if c := counters(Filter, "INPUT"); c != (Counters{}) {
			t.Errorf("after ZeroTable: filter %v", c)
		}
		if c := counters(Mangle, "PREROUTING"); c != (Counters{5, 500}) {
			t.Errorf("ZeroTable(filter) zeroed mangle: %v", c)
		}
		must(ZeroAll(IPv4))
		if c := counters(Mangle, "PREROUTING"); c != (Counters{}) {
			t.Errorf("after ZeroAll: mangle %v", c)
		}

		must(NewBatch(IPv4, Filter).
			AppendRule("INPUT", EasyRule{Target: "DROP"}).
			InsertRule("INPUT", EasyRule{Target: "RETURN"}).
			DeleteRule("INPUT", EasyRule{Target: "ACCEPT"}).
			Commit())
		wantLines(t, save(t, IPv4, Filter), ":INPUT ACCEPT", ":FORWARD DROP", ":OUTPUT ACCEPT",
			"-A INPUT -j RETURN", "-A INPUT -j DROP")
		err = NewBatch(IPv4, Filter).DeleteRule("INPUT", EasyRule{Target: "ACCEPT"}).Commit()
		if !errors.Is(err, ErrNoRule) {
			t.Errorf("batch deleting a missing rule: %v", err)
		}

		must(FlushChain(IPv4, Filter, "INPUT"))
		wantLines(t, save(t, IPv4, Filter), ":INPUT ACCEPT", ":FORWARD DROP", ":OUTPUT ACCEPT")
		must(FlushAll(IPv4))
		for _, table := range []string{Mangle, NAT} {
			for _, l := range save(t, IPv4, table) {
				if !strings.HasSuffix(l, " ACCEPT") {
					t.Errorf("%s after FlushAll: %s", table, l)
				}
			}
		}
		if p, err := GetPolicy(IPv4, Filter, "FORWARD"); p != "DROP" || err != nil {
			t.Errorf("FlushAll changed a policy: %s, %v", p, err)
		}
	})
}
