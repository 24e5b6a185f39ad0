// SPDX-License-Identifier: GPL-2.0-or-later

package iptc_test

// The examples of python-iptables' README, in Go. Those whose name holds
// "netns" change tables: they run in a throwaway network namespace, and
// only where netnstest.Enabled (root, GOIPT_SYSTEM_TESTS=1, namespaces
// allowed; TestMain skips them otherwise).

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/pkg/iptc"
)

func TestMain(m *testing.M) {
	flag.Parse()
	if ok, _ := netnstest.Enabled(); !ok {
		if f := flag.Lookup("test.skip"); f != nil && f.Value.String() == "" {
			flag.Set("test.skip", "netns")
		}
	}
	os.Exit(m.Run())
}

// inNetns runs fn in a new network namespace with a private xtables lock
// file, on a thread that dies afterwards.
func inNetns(fn func()) {
	dir, err := os.MkdirTemp("", "iptc-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	old, had := os.LookupEnv("XTABLES_LOCKFILE")
	os.Setenv("XTABLES_LOCKFILE", dir+"/xtables.lock")
	defer func() {
		if had {
			os.Setenv("XTABLES_LOCKFILE", old)
		} else {
			os.Unsetenv("XTABLES_LOCKFILE")
		}
	}()
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread() // never unlocked: the thread dies with the goroutine
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			log.Fatal(err)
		}
		fn()
	}()
	<-done
}

// printSaved prints the rules iptables-legacy-save (ip6tables-legacy-save)
// shows for table. Call it from inNetns's fn.
func printSaved(fam iptc.Family, table string) {
	cmd := "iptables-legacy-save"
	if fam == iptc.IPv6 {
		cmd = "ip6tables-legacy-save"
	}
	out, err := exec.Command(cmd, "-t", table).Output()
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "-A ") || (strings.HasPrefix(l, ":") && !strings.Contains(l, "ACCEPT [")) {
			fmt.Println(l)
		}
	}
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// README, "Rules": a rule for TCP packets coming in on eth0 from
// 192.168.1.0/255.255.255.0.
func Example_rule() {
	rule := iptc.NewRule()
	rule.InInterface = "eth0"
	rule.Src = "192.168.1.0/255.255.255.0"
	rule.Protocol = "tcp"
	fmt.Println(rule)
	// Output:
	// -s 192.168.1.0/24 -i eth0 -p tcp
}

// README, "Rules": matches and targets created through the rule.
func ExampleRule_CreateMatch() {
	rule := iptc.NewRule()
	m := rule.CreateMatch("tcp")
	t := rule.CreateTarget("DROP")
	fmt.Println(m.Name, t.Name, rule)
	// Output:
	// tcp DROP -m tcp -j DROP
}

// README, "Rules": matches and targets made on their own, then added.
func ExampleRule_AddMatch() {
	rule := iptc.NewRule()
	match := iptc.NewMatch("tcp")
	target := iptc.NewTarget("DROP")
	rule.AddMatch(match)
	rule.Target = target
	fmt.Println(rule)
	// Output:
	// -m tcp -j DROP
}

// README, "Rules": the destination port of a TCP match. Encode builds the
// kernel entry as iptables does, Decode reads it back as iptables-save
// prints it.
func ExampleMatch_Set() {
	rule := iptc.NewRule()
	rule.Protocol = "tcp"
	match := rule.CreateMatch("tcp")
	match.Set("dport", "80")
	rule.CreateTarget("ACCEPT")

	entry, _, err := iptc.Encode(iptc.IPv4, rule)
	check(err)
	back, err := iptc.Decode(iptc.IPv4, entry, "")
	check(err)
	fmt.Println(match.Get("dport"), "|", back)
	// Output:
	// 80 | -p tcp -m tcp --dport 80 -j ACCEPT
}

// README, "Rules": packets marked with 0xff. Parameters are always
// strings.
func ExampleMatch_Set_mark() {
	rule := iptc.NewRule()
	rule.Protocol = "tcp"
	match := rule.CreateMatch("mark")
	match.Set("mark", "0xff")
	fmt.Println(rule)
	// Output:
	// -p tcp -m mark --mark 0xff
}

// README, "Rules": a rule goes into the INPUT chain of the filter table.
func ExampleChain_InsertRule_netns() {
	inNetns(func() {
		table, err := iptc.Open(iptc.IPv4, iptc.Filter, &iptc.Options{Autocommit: true})
		check(err)
		defer table.Close()

		rule := iptc.NewRule()
		rule.Protocol = "tcp"
		rule.CreateMatch("tcp").Set("dport", "80")
		rule.CreateTarget("ACCEPT")
		chain := table.Chain("INPUT")
		check(chain.InsertRule(rule, 0))
		printSaved(iptc.IPv4, iptc.Filter)
	})
	// Output:
	// -A INPUT -p tcp -m tcp --dport 80 -j ACCEPT
}

// README, "Chains and tables": every rule of the filter table.
func ExampleTable_Chains_netns() {
	inNetns(func() {
		table, err := iptc.Open(iptc.IPv4, iptc.Filter, &iptc.Options{Autocommit: true})
		check(err)
		defer table.Close()
		r := iptc.NewRule()
		r.InInterface, r.Src, r.Protocol = "eth0", "192.168.1.0/255.255.255.0", "tcp"
		r.CreateMatch("tcp").Set("dport", "22")
		r.CreateTarget("DROP")
		check(table.Chain("INPUT").AppendRule(r))

		chains, err := table.Chains()
		check(err)
		for _, chain := range chains {
			fmt.Println("=======================")
			fmt.Println("Chain", chain.Name())
			rules, err := chain.Rules()
			check(err)
			for _, rule := range rules {
				fmt.Printf("Rule proto: %q src: %q dst: %q in: %q out: %q", rule.Protocol, rule.Src,
					rule.Dst, rule.InInterface, rule.OutInterface)
				fmt.Print(" Matches:")
				for _, match := range rule.Matches {
					fmt.Print(" ", match.Name)
				}
				fmt.Println(" Target:", rule.Target.Name)
			}
		}
		fmt.Println("=======================")
	})
	// Output:
	// =======================
	// Chain INPUT
	// Rule proto: "tcp" src: "192.168.1.0/255.255.255.0" dst: "" in: "eth0" out: "" Matches: tcp Target: DROP
	// =======================
	// Chain FORWARD
	// =======================
	// Chain OUTPUT
	// =======================
}

// README, "Chains and tables": a table and its name.
func ExampleTable_Name_netns() {
	inNetns(func() {
		table, err := iptc.NewTable(iptc.IPv4, iptc.Filter)
		check(err)
		defer table.Close()
		fmt.Println(table.Name())
	})
	// Output:
	// filter
}

// README, "Chains and tables": a new chain in the filter table, as
// iptables -L -n shows it.
func ExampleTable_CreateChain_netns() {
	inNetns(func() {
		table, err := iptc.NewTable(iptc.IPv4, iptc.Filter)
		check(err)
		defer table.Close()
		_, err = table.CreateChain("testchain")
		check(err)
		check(table.Commit())

		out, err := exec.Command("iptables-legacy", "-L", "-n").Output()
		check(err)
		for _, l := range strings.Split(string(out[strings.Index(string(out), "Chain testchain"):]), "\n") {
			fmt.Println(strings.TrimRight(l, " "))
		}
	})
	// Output:
	// Chain testchain (0 references)
	// target     prot opt source               destination
}

// README, "Chains and tables": an existing chain and its rules.
func ExampleChain_Rules_netns() {
	inNetns(func() {
		table, err := iptc.NewTable(iptc.IPv4, iptc.Filter)
		check(err)
		defer table.Close()
		for i := 0; i < 10; i++ {
			check(table.Chain("INPUT").AppendRule(iptc.NewRule()))
		}
		check(table.Commit())

		chain := table.Chain("INPUT")
		fmt.Println(chain.Name())
		rules, err := chain.Rules()
		check(err)
		fmt.Println(len(rules))
	})
	// Output:
	// INPUT
	// 10
}

// README, "More about matches and targets": drop packets from
// 127.0.0.1/255.0.0.0 coming in on any eth interface.
func ExampleChain_InsertRule_netnsDrop() {
	inNetns(func() {
		table, err := iptc.Open(iptc.IPv4, iptc.Filter, &iptc.Options{Autocommit: true})
		check(err)
		defer table.Close()
		chain := table.Chain("INPUT")
		rule := iptc.NewRule()
		rule.InInterface = "eth+"
		rule.Src = "127.0.0.1/255.0.0.0"
		target := iptc.NewTarget("DROP")
		rule.Target = target
		check(chain.InsertRule(rule, 0))
		printSaved(iptc.IPv4, iptc.Filter)
	})
	// Output:
	// -A INPUT -s 127.0.0.0/8 -i eth+ -j DROP
}

// README, "More about matches and targets": rule.CreateTarget is
// NewTarget plus setting rule.Target.
func ExampleRule_CreateTarget() {
	a := iptc.NewRule()
	a.CreateTarget("DROP")
	b := iptc.NewRule()
	target := iptc.NewTarget("DROP")
	b.Target = target
	same, err := iptc.EqualRules(iptc.IPv4, a, b)
	check(err)
	fmt.Println(a, "|", b, "|", same)
	// Output:
	// -j DROP | -j DROP | true
}

// README, "More about matches and targets": mark packets to 192.168.1.2
// UDP port 1234 with 0xffff.
func ExampleTarget_Set_netnsMark() {
	inNetns(func() {
		table, err := iptc.Open(iptc.IPv4, iptc.Mangle, &iptc.Options{Autocommit: true})
		check(err)
		defer table.Close()
		chain := table.Chain("PREROUTING")
		rule := iptc.NewRule()
		rule.Dst = "192.168.1.2"
		rule.Protocol = "udp"
		match := iptc.NewMatch("udp")
		match.Set("dport", "1234")
		rule.AddMatch(match)
		target := iptc.NewTarget("MARK")
		target.Set("set_mark", "0xffff")
		rule.Target = target
		check(chain.InsertRule(rule, 0))
		printSaved(iptc.IPv4, iptc.Mangle)
	})
	// Output:
	// -A PREROUTING -d 192.168.1.2/32 -p udp -m udp --dport 1234 -j MARK --set-xmark 0xffff/0xffffffff
}

// README, "More about matches and targets": NAT TCP packets going out
// through eth0; no match, only the rule's own properties.
func ExampleTarget_Set_netnsMasquerade() {
	inNetns(func() {
		table, err := iptc.Open(iptc.IPv4, iptc.NAT, &iptc.Options{Autocommit: true})
		check(err)
		defer table.Close()
		chain := table.Chain("POSTROUTING")
		rule := iptc.NewRule()
		rule.Protocol = "tcp"
		rule.OutInterface = "eth0"
		target := iptc.NewTarget("MASQUERADE")
		target.Set("to_ports", "1234")
		rule.Target = target
		check(chain.InsertRule(rule, 0))
		printSaved(iptc.IPv4, iptc.NAT)
	})
	// Output:
	// -A POSTROUTING -o eth0 -p tcp -j MASQUERADE --to-ports 1234
}

// README, "More about matches and targets": several matches, tcp and
// iprange; the same as
//
//	iptables -A INPUT -p tcp --destination-port 22 -m iprange --src-range 192.168.1.100-192.168.1.200 --dst-range 172.22.33.106 -j DROP
func ExampleRule_AddMatch_netnsIprange() {
	inNetns(func() {
		rule := iptc.NewRule()
		rule.Protocol = "tcp"
		match := iptc.NewMatch("tcp")
		match.Set("dport", "22")
		rule.AddMatch(match)
		match = iptc.NewMatch("iprange")
		match.Set("src_range", "192.168.1.100-192.168.1.200")
		match.Set("dst_range", "172.22.33.106")
		rule.AddMatch(match)
		rule.Target = iptc.NewTarget("DROP")

		table, err := iptc.NewTable(iptc.IPv4, iptc.Filter)
		check(err)
		defer table.Close()
		check(table.Chain("INPUT").InsertRule(rule, 0))
		check(table.Commit())
		printSaved(iptc.IPv4, iptc.Filter)
	})
	// Output:
	// -A INPUT -p tcp -m tcp --dport 22 -m iprange --src-range 192.168.1.100-192.168.1.200 --dst-range 172.22.33.106-172.22.33.106 -j DROP
}

// python-iptables' README, negated matches: "!" before a value.
func ExampleMatch_Set_netnsNegate() {
	inNetns(func() {
		rule := iptc.NewRule()
		match := iptc.NewMatch("mac")
		match.Set("mac_source", "!00:11:22:33:44:55")
		rule.AddMatch(match)
		rule.Target = iptc.NewTarget("ACCEPT")
		table, err := iptc.Open(iptc.IPv4, iptc.Filter, &iptc.Options{Autocommit: true})
		check(err)
		defer table.Close()
		check(table.Chain("INPUT").InsertRule(rule, 0))
		out, err := exec.Command("iptables-legacy", "-S", "INPUT").Output()
		check(err)
		fmt.Print(string(out))
	})
	// Output:
	// -P INPUT ACCEPT
	// -A INPUT -m mac ! --mac-source 00:11:22:33:44:55 -j ACCEPT
}

// python-iptables' README, "Counters": rule counters, fresh after Refresh.
func ExampleChain_RuleCounters_netns() {
	inNetns(func() {
		table, err := iptc.NewTable(iptc.IPv4, iptc.Filter)
		check(err)
		defer table.Close()
		rule := iptc.NewRule()
		rule.Protocol = "tcp"
		rule.CreateMatch("tcp").Set("sport", "80")
		rule.Counters = iptc.Counters{Packets: 3, Bytes: 180}
		check(table.Chain("OUTPUT").AppendRule(rule))
		check(table.Commit())

		check(table.Refresh()) // read the kernel's counters again
		rules, err := table.Chain("OUTPUT").Rules()
		check(err)
		for _, rule := range rules {
			for _, match := range rule.Matches {
				fmt.Println(rule.Counters.Packets, rule.Counters.Bytes, match.Name, match.Get("sport"))
			}
		}
	})
	// Output:
	// 3 180 tcp 80
}

// python-iptables' README, "Autocommit": without it, delete several rules
// while walking a chain and commit once.
func ExampleTable_SetAutocommit_netns() {
	inNetns(func() {
		table, err := iptc.NewTable(iptc.IPv4, iptc.Filter)
		check(err)
		defer table.Close()
		for _, out := range []string{"eth0", "eth1", "eth0"} {
			r := iptc.NewRule()
			r.OutInterface = out
			check(table.Chain("FORWARD").AppendRule(r))
		}
		check(table.Commit())

		check(table.SetAutocommit(false))
		chain := table.Chain("FORWARD")
		rules, err := chain.Rules()
		check(err)
		for _, rule := range rules {
			if strings.Contains(rule.OutInterface, "eth0") {
				check(chain.DeleteRule(rule))
			}
		}
		check(table.Commit())
		check(table.SetAutocommit(true))
		printSaved(iptc.IPv4, iptc.Filter)
	})
	// Output:
	// -A FORWARD -o eth1
}

// python-iptables' README, "Easy rules with dictionaries": a rule as data.
func ExampleEasyRule() {
	var rule iptc.EasyRule
	check(json.Unmarshal([]byte(`{"protocol": "tcp", "target": "ACCEPT",
		"matches": [{"name": "comment", "params": {"comment": "Match tcp.22"}},
		            {"name": "tcp", "params": {"dport": "22"}}]}`), &rule))
	r := rule.Rule()
	fmt.Println(r)
	out, err := json.Marshal(r.Easy())
	check(err)
	fmt.Println(string(out))
	// Output:
	// -p tcp -m comment --comment "Match tcp.22" -m tcp --dport 22 -j ACCEPT
	// {"protocol":"tcp","matches":[{"name":"comment","params":{"comment":"Match tcp.22"}},{"name":"tcp","params":{"dport":"22"}}],"target":"ACCEPT"}
}

// The easy functions: one change, one commit each.
func ExampleAppendRule_netns() {
	inNetns(func() {
		rule := iptc.EasyRule{Protocol: "tcp", Target: "ACCEPT",
			Matches: []iptc.EasyMatch{{Name: "tcp", Params: iptc.Params{{Name: "dport", Value: "22"}}}}}
		check(iptc.AppendRule(iptc.IPv4, iptc.Filter, "INPUT", rule))
		ok, err := iptc.HasRule(iptc.IPv4, iptc.Filter, "INPUT", rule)
		check(err)
		rules, err := iptc.DumpChain(iptc.IPv4, iptc.Filter, "INPUT")
		check(err)
		fmt.Println(ok, rules)
		check(iptc.DeleteRule(iptc.IPv4, iptc.Filter, "INPUT", rule))
		policy, err := iptc.GetPolicy(iptc.IPv4, iptc.Filter, "INPUT")
		check(err)
		fmt.Println(policy)
	})
	// Output:
	// true [-p tcp -m tcp --dport 22 -j ACCEPT]
	// ACCEPT
}

// A Batch: many changes, one commit.
func ExampleBatch_netns() {
	inNetns(func() {
		web := iptc.EasyRule{Protocol: "tcp", Target: "ACCEPT",
			Matches: []iptc.EasyMatch{{Name: "multiport", Params: iptc.Params{{Name: "dports", Value: "80,443"}}}}}
		err := iptc.NewBatch(iptc.IPv6, iptc.Filter).
			AddChain("web").
			AppendRule("web", web).
			AppendRule("INPUT", iptc.EasyRule{Target: "web"}).
			SetPolicy("INPUT", "DROP").
			Commit()
		check(err)
		printSaved(iptc.IPv6, iptc.Filter)
	})
	// Output:
	// :INPUT DROP [0:0]
	// :web - [0:0]
	// -A INPUT -j web
	// -A web -p tcp -m multiport --dports 80,443 -j ACCEPT
}

// A Table closed with changes never committed drops them, and Close says
// how many; Rollback drops them on purpose. (python-iptables commits every
// change by default: here Commit, or Options.Autocommit, does.)
func ExampleTable_Close_netns() {
	inNetns(func() {
		table, err := iptc.NewTable(iptc.IPv4, iptc.Filter)
		check(err)
		_, err = table.CreateChain("forgotten")
		check(err)
		err = table.Close()
		fmt.Println(err)
		fmt.Println(errors.Is(err, iptc.ErrDiscarded))

		table, err = iptc.NewTable(iptc.IPv4, iptc.Filter)
		check(err)
		_, err = table.CreateChain("unwanted")
		check(err)
		check(table.Rollback())
		check(table.Close())
		printSaved(iptc.IPv4, iptc.Filter) // neither chain
	})
	// Output:
	// iptc: 1 uncommitted change(s) to the ipv4 filter table discarded (Commit them, or Rollback first to drop them)
	// true
}

// python-iptables compares matches with ==: EqualMatches builds both as
// the kernel would hold them, so options count as the extension saves
// them. The protocol is that of the rule the matches are in.
func ExampleEqualMatches() {
	a := iptc.NewMatch("tcp")
	a.Set("dport", "22")
	b := iptc.NewMatch("tcp")
	b.Set("dport", "ssh")
	same, err := iptc.EqualMatches(iptc.IPv4, "tcp", a, b)
	check(err)
	b.Set("dport", "!22")
	negated, err := iptc.EqualMatches(iptc.IPv4, "tcp", a, b)
	check(err)
	fmt.Println(same, negated)
	// Output:
	// true false
}

// python-iptables compares targets with ==: EqualTargets builds both.
func ExampleEqualTargets() {
	a := iptc.NewTarget("MARK")
	a.Set("set_mark", "0xff")
	b := iptc.NewTarget("MARK")
	b.Set("set_xmark", "0xff/0xffffffff")
	same, err := iptc.EqualTargets(iptc.IPv4, "", a, b)
	check(err)
	jumpAndGoto, err := iptc.EqualTargets(iptc.IPv4, "", iptc.NewTarget("mychain"), iptc.NewGoto("mychain"))
	check(err)
	fmt.Println(same, jumpAndGoto)
	// Output:
	// true false
}

// python-iptables' match.reset(): the options go, the extension's
// defaults apply again.
func ExampleMatch_Reset() {
	rule := iptc.NewRule()
	rule.Protocol = "tcp"
	match := rule.CreateMatch("tcp")
	match.Set("dport", "22")
	match.Reset()
	match.Set("sport", "1024:65535")
	fmt.Println(rule)
	// Output:
	// -p tcp -m tcp --sport 1024:65535
}

// An option that takes no value is set whatever the value, as in
// python-iptables.
func ExampleTarget_Set_flag() {
	rule := iptc.NewRule()
	rule.Protocol = "tcp"
	rule.CreateTarget("MASQUERADE").Set("random", "1")
	entry, _, err := iptc.Encode(iptc.IPv4, rule)
	check(err)
	back, err := iptc.Decode(iptc.IPv4, entry, "MASQUERADE")
	check(err)
	fmt.Println(back)
	// Output:
	// -p tcp -j MASQUERADE --random
}

// python-iptables' iptc.easy.test_match: the error says what is wrong.
func ExampleValidateMatch() {
	fmt.Println(iptc.ValidateMatch(iptc.IPv4, "comment", iptc.Params{{Name: "comment", Value: "ok"}}))
	fmt.Println(iptc.ValidateMatch(iptc.IPv4, "mac", iptc.Params{{Name: "mac-source", Value: "zz"}}))
	// Output:
	// <nil>
	// Invalid MAC address specified.
}

// python-iptables' iptc.easy.test_target. Without a table (""), a name
// that is no target extension is taken for a user chain.
func ExampleValidateTarget() {
	fmt.Println(iptc.ValidateTarget(iptc.IPv4, "", "LOG", iptc.Params{{Name: "log-level", Value: "warning"}}))
	fmt.Println(iptc.ValidateTarget(iptc.IPv4, "", "LOG", iptc.Params{{Name: "log-level", Value: "loud"}}))
	// Output:
	// <nil>
	// log level "loud" unknown
}

// python-iptables' iptc.easy.test_rule, against a table: a target must be
// a verdict, a target extension or a chain of that table.
func ExampleValidateRule_netns() {
	inNetns(func() {
		fmt.Println(iptc.ValidateRule(iptc.IPv4, iptc.Filter, iptc.EasyRule{Protocol: "tcp", Target: "ACCEPT"}))
		fmt.Println(iptc.ValidateRule(iptc.IPv4, iptc.Filter, iptc.EasyRule{Protocol: "tcp", Target: "ACCPET"}))
	})
	// Output:
	// <nil>
	// Couldn't load target `ACCPET': no such target extension, and no chain of that name in the ipv4 filter table
}

// Chain's methods take indexes, from 0 (python's chain.rules[i]); the easy
// functions take positions, from 1 (iptables -I CHAIN 1, python's
// iptc.easy). Out of range, the error gives the valid range.
func ExampleGetRule_netns() {
	inNetns(func() {
		for _, target := range []string{"ACCEPT", "DROP", "RETURN"} {
			check(iptc.AppendRule(iptc.IPv4, iptc.Filter, "INPUT", iptc.EasyRule{Target: target}))
		}
		first, err := iptc.GetRule(iptc.IPv4, iptc.Filter, "INPUT", 1)
		check(err)
		last, err := iptc.GetRule(iptc.IPv4, iptc.Filter, "INPUT", -1)
		check(err)
		fmt.Println(first, "|", last)
		_, err = iptc.GetRule(iptc.IPv4, iptc.Filter, "INPUT", 0)
		fmt.Println(err)

		table, err := iptc.NewTable(iptc.IPv4, iptc.Filter)
		check(err)
		defer table.Close()
		second, err := table.Chain("INPUT").Rule(1)
		check(err)
		fmt.Println(second)
		_, err = table.Chain("INPUT").Rule(3)
		fmt.Println(err)
	})
	// Output:
	// -j ACCEPT | -j RETURN
	// iptc: rule position 0 out of range: chain INPUT has 3 rule(s), positions 1 to 3; -1 is the last
	// -j DROP
	// iptc: rule index 3 out of range: chain INPUT has 3 rule(s), indexes 0 to 2
}

// python-iptables' iptc.easy.flush_all and zero_all: every table of a
// family, one commit each.
func ExampleFlushAll_netns() {
	inNetns(func() {
		rule := iptc.EasyRule{Target: "ACCEPT", Counters: &iptc.Counters{Packets: 1, Bytes: 60}}
		check(iptc.AppendRule(iptc.IPv4, iptc.Filter, "INPUT", rule))
		check(iptc.AppendRule(iptc.IPv4, iptc.Mangle, "OUTPUT", rule))
		check(iptc.AddChain(iptc.IPv4, iptc.NAT, "natchain"))

		check(iptc.ZeroAll(iptc.IPv4))
		cnt, err := iptc.GetRuleCounters(iptc.IPv4, iptc.Mangle, "OUTPUT", rule)
		check(err)
		fmt.Println(cnt)

		check(iptc.FlushAll(iptc.IPv4))
		all, err := iptc.DumpAll(iptc.IPv4)
		check(err)
		for _, table := range []string{iptc.Filter, iptc.Mangle, iptc.NAT} {
			rules := 0
			for _, c := range all[table] {
				rules += len(c.Rules)
			}
			fmt.Println(table, len(all[table]), "chains", rules, "rules")
		}
	})
	// Output:
	// {0 0}
	// filter 3 chains 0 rules
	// mangle 5 chains 0 rules
	// nat 4 chains 0 rules
}
