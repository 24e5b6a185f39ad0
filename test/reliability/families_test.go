// SPDX-License-Identifier: GPL-2.0-or-later

package reliability

import (
	"fmt"
	"strings"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/pkg/iptc"
)

// TestLibraryBothFamiliesNAT: one process adding NAT rules to the IPv4
// and the IPv6 nat tables in turn. The targets whose plugin holds both
// families (MASQUERADE, DNAT, SNAT, ...) could no longer be loaded after
// the first switch of family, in either family.
func TestLibraryBothFamiliesNAT(t *testing.T) {
	netnstest.Run(t, func() {
		type nat struct {
			target, opt, arg4, arg6 string
		}
		targets := []nat{
			{"MASQUERADE", "", "", ""},
			{"DNAT", "to-destination", "192.0.2.1:8080", "[2001:db8::1]:8080"},
			{"SNAT", "to-source", "192.0.2.2", "2001:db8::2"},
			{"REDIRECT", "to-ports", "8080", "8080"},
		}
		want := map[iptc.Family][]string{}
		for round := 0; round < 2; round++ {
			for _, fam := range []iptc.Family{iptc.IPv4, iptc.IPv6} {
				tb, err := iptc.Open(fam, iptc.NAT, nil)
				if err != nil {
					t.Fatal(err)
				}
				for i, n := range targets {
					r := iptc.NewRule()
					r.Protocol = "tcp"
					r.OutInterface = fmt.Sprintf("eth%d", round*10+i)
					tg := r.CreateTarget(n.target)
					chain := "POSTROUTING"
					if n.opt != "" {
						arg := n.arg4
						if fam == iptc.IPv6 {
							arg = n.arg6
						}
						tg.Set(n.opt, arg)
					}
					if n.target == "DNAT" || n.target == "REDIRECT" {
						chain, r.OutInterface = "OUTPUT", ""
						r.InInterface = ""
						r.Dst = map[iptc.Family]string{iptc.IPv4: "198.51.100.1", iptc.IPv6: "2001:db8:1::1"}[fam]
					}
					if err := tb.Chain(chain).AppendRule(r); err != nil {
						t.Errorf("round %d, %v: %s: %v", round, fam, n.target, err)
						continue
					}
					want[fam] = append(want[fam], n.target)
				}
				if err := tb.Commit(); err != nil {
					t.Errorf("round %d, %v: commit: %v", round, fam, err)
				}
				// Read back, decoding every target.
				for _, chain := range []string{"POSTROUTING", "OUTPUT"} {
					if _, err := tb.Chain(chain).Rules(); err != nil {
						t.Errorf("round %d, %v: reading %s: %v", round, fam, chain, err)
					}
				}
				tb.Close()
			}
		}
		for fam, save := range map[iptc.Family]string{iptc.IPv4: "iptables-legacy-save", iptc.IPv6: "ip6tables-legacy-save"} {
			got := rules(t, save, "nat")
			if len(got) != len(want[fam]) || len(got) != 2*len(targets) {
				t.Errorf("%v: %d rules, %d added:\n%s", fam, len(got), len(want[fam]), strings.Join(got, "\n"))
			}
		}
	})
}
