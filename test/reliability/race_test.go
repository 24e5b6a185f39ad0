// SPDX-License-Identifier: GPL-2.0-or-later

package reliability

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/pkg/iptc"
)

// TestConcurrentLibrary32: 32 goroutines use pkg/iptc at once, in all the
// ways it offers: two Tables shared by all (IPv4 and IPv6, autocommit),
// Tables of their own with transactions, the easy functions, and
// encoding and decoding rules. Nothing may fail, and every rule added is
// there at the end. `make race` (and `make test`) run it under the race
// detector.
func TestConcurrentLibrary32(t *testing.T) {
	const workers, rounds = 32, 12
	netnstest.Run(t, func() {
		shared := map[iptc.Family]*iptc.Table{}
		for _, fam := range []iptc.Family{iptc.IPv4, iptc.IPv6} {
			tb, err := iptc.Open(fam, iptc.Filter, &iptc.Options{Autocommit: true})
			if err != nil {
				t.Fatal(err)
			}
			defer tb.Close()
			shared[fam] = tb
		}
		comment := func(w, i int) *iptc.Rule {
			r := iptc.NewRule()
			r.CreateMatch("comment").Set("comment", fmt.Sprintf("w%d-%d", w, i))
			r.CreateTarget("ACCEPT")
			return r
		}
		var dones []<-chan struct{}
		for w := 0; w < workers; w++ {
			fam := []iptc.Family{iptc.IPv4, iptc.IPv6}[w/4%2]
			dones = append(dones, netnstest.Go(t, func() {
				fail := func(what string, err error) {
					if err != nil {
						t.Errorf("worker %d (%v): %s: %v", w, fam, what, err)
					}
				}
				switch w % 4 {
				case 0: // the shared Table: append, read, delete every other
					c := shared[fam].Chain("FORWARD")
					for i := 0; i < rounds; i++ {
						fail("append", c.AppendRule(comment(w, i)))
						_, err := c.Rules()
						fail("rules", err)
						_, err = shared[fam].ChainNames()
						fail("chain names", err)
						if i%2 == 1 {
							fail("delete", c.DeleteRule(comment(w, i-1)))
						}
					}
				case 1: // a Table of its own, one transaction per round
					tb, err := iptc.Open(fam, iptc.Filter, nil)
					if err != nil {
						fail("open", err)
						return
					}
					defer tb.Close()
					chain := fmt.Sprintf("own%d", w)
					_, err = tb.CreateChain(chain)
					fail("create chain", err)
					fail("commit", tb.Commit())
					for i := 0; i < rounds; i++ {
						fail("begin", tb.Begin())
						fail("append", tb.Chain(chain).AppendRule(comment(w, i)))
						fail("insert", tb.Chain(chain).InsertRule(comment(w, 1000+i), 0))
						fail("delete", tb.Chain(chain).DeleteRuleAt(0))
						fail("commit", tb.Commit())
						fail("refresh", tb.Refresh())
						n, err := tb.Chain(chain).Len()
						fail("len", err)
						if n != i+1 {
							t.Errorf("worker %d: %d rules in %s after %d rounds", w, n, chain, i+1)
						}
					}
				case 2: // the easy functions
					chain := fmt.Sprintf("easy%d", w)
					fail("add chain", iptc.AddChain(fam, iptc.Filter, chain))
					for i := 0; i < rounds; i++ {
						e := comment(w, i).Easy()
						fail("append", iptc.AppendRule(fam, iptc.Filter, chain, e))
						ok, err := iptc.HasRule(fam, iptc.Filter, chain, e)
						fail("has", err)
						if !ok {
							t.Errorf("worker %d: rule %d not there", w, i)
						}
						_, err = iptc.DumpTable(fam, iptc.Filter)
						fail("dump", err)
					}
				case 3: // encoding and decoding only
					for i := 0; i < rounds*4; i++ {
						r := comment(w, i)
						r.Protocol = "tcp"
						r.CreateMatch("tcp").Set("dport", fmt.Sprint(i+1))
						entry, _, err := iptc.Encode(fam, r)
						fail("encode", err)
						if err == nil {
							back, err := iptc.Decode(fam, entry, "ACCEPT")
							fail("decode", err)
							if err == nil && !strings.Contains(back.Spec(), fmt.Sprintf("--dport %d", i+1)) {
								t.Errorf("worker %d: decoded %q", w, back.Spec())
							}
						}
					}
				}
			}))
		}
		for _, d := range dones {
			<-d
		}
		for fam, save := range map[iptc.Family]string{iptc.IPv4: "iptables-legacy-save", iptc.IPv6: "ip6tables-legacy-save"} {
			var got, want []string
			for _, l := range rules(t, save, "filter") {
				if !strings.HasPrefix(l, "-A FORWARD") {
					got = append(got, l)
				}
			}
			for w := 0; w < workers; w++ {
				if []iptc.Family{iptc.IPv4, iptc.IPv6}[w/4%2] != fam {
					continue
				}
				for i := 0; i < rounds; i++ {
					switch w % 4 {
					case 1:
						want = append(want, fmt.Sprintf("-A own%d -m comment --comment w%d-%d -j ACCEPT", w, w, i))
					case 2:
						want = append(want, fmt.Sprintf("-A easy%d -m comment --comment w%d-%d -j ACCEPT", w, w, i))
					}
				}
			}
			sort.Strings(got)
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%v: %d rules in own and easy chains, want %d", fam, len(got), len(want))
			}
			forward := 0
			for _, l := range rules(t, save, "filter") {
				if strings.HasPrefix(l, "-A FORWARD") {
					forward++
				}
			}
			if want := workers / 4 / 2 * rounds / 2; forward != want {
				t.Errorf("%v: %d rules in FORWARD, want %d", fam, forward, want)
			}
		}
	})
}
