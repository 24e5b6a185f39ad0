// SPDX-License-Identifier: GPL-2.0-or-later

package goiptables_test

// The bodies of the benchmarks, written against go-iptables' API only:
// scripts/goiptables-compat.sh compiles this file twice, once as it is
// and once with the import below replaced by
// github.com/coreos/go-iptables/iptables, to measure both the same way.
// Only the standard library and that one import may be used here.

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"

	iptables "github.com/goipt/goipt/pkg/goiptables"
)

// legacyPath is the iptables-legacy go-iptables is told to run (the
// system's iptables may be iptables-nft); for goiptables it is only a name.
const legacyPath = "/usr/sbin/iptables-legacy"

func newLegacy(b *testing.B) *iptables.IPTables {
	ipt, err := iptables.New(iptables.Path(legacyPath))
	if err != nil {
		b.Fatal(err)
	}
	return ipt
}

// benchAppend100 appends 100 rules to an empty chain, per iteration.
func benchAppend100(b *testing.B) {
	ipt := newLegacy(b)
	if err := ipt.ClearChain("filter", "bench"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		if err := ipt.ClearChain("filter", "bench"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for i := 0; i < 100; i++ {
			err := ipt.Append("filter", "bench", "-s", fmt.Sprintf("10.0.%d.%d", i/250, i%250),
				"-p", "tcp", "--dport", "443", "-j", "ACCEPT")
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100, "ns/append")
}

// benchList10k lists a chain of 10,000 rules, per iteration.
func benchList10k(b *testing.B) { benchList(b, 10000) }

// benchList10 lists a chain of 10 rules, per iteration.
func benchList10(b *testing.B) { benchList(b, 10) }

// benchList lists a chain of n rules (chain "bigN"), per iteration. The
// filter table is replaced by one with that chain, with
// iptables-legacy-restore.
func benchList(b *testing.B, n int) {
	ipt := newLegacy(b)
	chain := fmt.Sprintf("big%d", n)
	var rules strings.Builder
	fmt.Fprintf(&rules, "*filter\n:%s - [0:0]\n", chain)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&rules, "-A %s -s 10.%d.%d.1/32 -p tcp -m tcp --dport %d -j ACCEPT\n", chain, i/250, i%250, 1+i%60000)
	}
	rules.WriteString("COMMIT\n")
	restore := exec.Command("iptables-legacy-restore")
	restore.Stdin = strings.NewReader(rules.String())
	if out, err := restore.CombinedOutput(); err != nil {
		b.Fatalf("iptables-legacy-restore: %v\n%s", err, out)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		list, err := ipt.List("filter", chain)
		if err != nil {
			b.Fatal(err)
		}
		if len(list) != n+1 {
			b.Fatalf("%d lines", len(list))
		}
	}
}
