// SPDX-License-Identifier: GPL-2.0-or-later

package ruleset

import (
	"math"
	"strings"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
)

// kubeShape is what a ruleset's text says: its rule count, and per table
// the jumps between chains and the chains declared.
type kubeShape struct {
	rules    int
	jumps    map[string]map[string][]string // table -> chain -> chains it jumps to
	declared map[string]map[string]bool
}

func readShape(text string) kubeShape {
	k := kubeShape{jumps: map[string]map[string][]string{}, declared: map[string]map[string]bool{}}
	table := ""
	for _, l := range strings.Split(text, "\n") {
		f := strings.Fields(l)
		switch {
		case strings.HasPrefix(l, "*"):
			table = l[1:]
			k.jumps[table], k.declared[table] = map[string][]string{}, map[string]bool{}
		case strings.HasPrefix(l, ":"):
			k.declared[table][f[0][1:]] = true
		case strings.HasPrefix(l, "-A "):
			k.rules++
			if t := f[len(f)-1]; f[len(f)-2] == "-j" && strings.HasPrefix(t, "KUBE-") {
				k.jumps[table][f[1]] = append(k.jumps[table][f[1]], t)
			}
		}
	}
	return k
}

// depth is the longest chain of jumps from chain.
func (k kubeShape) depth(table, chain string) int {
	d := 0
	for _, t := range k.jumps[table][chain] {
		d = max(d, 1+k.depth(table, t))
	}
	return d
}

func TestKubeShape(t *testing.T) {
	for _, n := range []int{1000, 10000, 50000} {
		k := readShape(Kube(n))
		if math.Abs(float64(k.rules-n)) > 0.02*float64(n) {
			t.Errorf("Kube(%d): %d rules", n, k.rules)
		}
		for table, chains := range k.jumps {
			for chain, targets := range chains {
				if !k.declared[table][chain] && !strings.Contains("PREROUTING INPUT FORWARD OUTPUT POSTROUTING", chain) {
					t.Errorf("Kube(%d): %s %s has rules but is not declared", n, table, chain)
				}
				for _, to := range targets {
					if !k.declared[table][to] {
						t.Errorf("Kube(%d): %s %s jumps to undeclared %s", n, table, chain, to)
					}
				}
				// nf_tables refuses jumps nested deeper than 16.
				if d := k.depth(table, chain); d > 4 {
					t.Errorf("Kube(%d): %s %s nests %d jumps deep", n, table, chain, d)
				}
			}
		}
	}
}

// TestKubeRestores: iptables-nft-restore takes the ruleset, and the
// --noflush one after it.
func TestKubeRestores(t *testing.T) {
	netnstest.Run(t, func() {
		netnstest.ExecInput(t, Kube(2000), "iptables-nft-restore")
		netnstest.ExecInput(t, KubeNoFlush(100), "iptables-nft-restore", "--noflush")
		out, _, code := netnstest.Exec(t, "iptables-nft-save")
		if code != 0 || readShape(out).rules < 2000 {
			t.Errorf("iptables-nft-save: exit %d, %d rules", code, readShape(out).rules)
		}
	})
}
