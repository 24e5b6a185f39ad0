// SPDX-License-Identifier: GPL-2.0-or-later

package reliability

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/internal/testenv"
	"github.com/goipt/goipt/pkg/iptc"
)

// TestLoadMixedWriters: 8 goipt processes, 8 iptables-legacy processes and
// 8 goroutines of pkg/iptc change the same chain at once, all waiting for
// the xtables lock. Each appends its own 200 rules one command (or
// transaction) at a time and deletes every other one right after the next
// is in. At the end every rule that should be there is there exactly once,
// nothing else is, and iptables-legacy-save and goipt iptables-save read
// the table back alike.
func TestLoadMixedWriters(t *testing.T) {
	goipt := testenv.SystemGoipt(t)
	const (
		perKind = 8
		nRules  = 200
	)
	netnstest.Run(t, func() {
		// Worker w owns the rules "-s 10.w.i.1/32 -j ACCEPT" for i < 200.
		// After appending rule i, an odd i deletes rule i-1: the odd ones
		// stay.
		script := func(bin string, w int) string {
			return fmt.Sprintf(`fail=0
				for ((i = 0; i < %d; i++)); do
					%s -w -A INPUT -s 10.%d.$i.1 -j ACCEPT || fail=1
					if ((i %% 2)); then %s -w -D INPUT -s 10.%d.$((i-1)).1 -j ACCEPT || fail=1; fi
				done
				exit $fail`, nRules, bin, w, bin, w)
		}
		start0 := time.Now()
		var procs []*proc
		for w := 0; w < perKind; w++ {
			procs = append(procs, start(t, nil, "bash", "-c", script(goipt+" iptables", w)))
			procs = append(procs, start(t, nil, "bash", "-c", script("iptables-legacy", perKind+w)))
		}
		var dones []<-chan struct{}
		for w := 2 * perKind; w < 3*perKind; w++ {
			dones = append(dones, netnstest.Go(t, func() {
				tb, err := iptc.Open(iptc.IPv4, iptc.Filter, &iptc.Options{Autocommit: true})
				if err != nil {
					t.Error(err)
					return
				}
				defer tb.Close()
				rule := func(i int) *iptc.Rule {
					r := iptc.NewRule()
					r.Src = fmt.Sprintf("10.%d.%d.1", w, i)
					r.CreateTarget("ACCEPT")
					return r
				}
				input := tb.Chain("INPUT")
				for i := 0; i < nRules; i++ {
					if err := input.AppendRule(rule(i)); err != nil {
						t.Errorf("worker %d: append %d: %v", w, i, err)
					}
					if i%2 == 1 {
						if err := input.DeleteRule(rule(i - 1)); err != nil {
							t.Errorf("worker %d: delete %d: %v", w, i-1, err)
						}
					}
				}
			}))
		}
		// When the last writer of each kind was done.
		var finished [3]time.Duration
		for i, p := range procs {
			if code := p.wait(t, 10*time.Minute); code != 0 || p.stderr.Len() != 0 {
				t.Errorf("%s: exit %d: %s", strings.Join(p.cmd.Args, " ")[:60], code, p.stderr.String())
			}
			finished[i%2] = max(finished[i%2], p.ended.Sub(start0))
		}
		for _, d := range dones {
			<-d
		}
		finished[2] = time.Since(start0)
		t.Logf("%d writers, %d commits; the last goipt process was done after %v, iptables-legacy %v, pkg/iptc %v",
			3*perKind, 3*perKind*nRules*3/2, finished[0].Round(time.Millisecond),
			finished[1].Round(time.Millisecond), finished[2].Round(time.Millisecond))

		got := rules(t, "iptables-legacy-save", "filter")
		var want []string
		for w := 0; w < 3*perKind; w++ {
			for i := 1; i < nRules; i += 2 {
				want = append(want, fmt.Sprintf("-A INPUT -s 10.%d.%d.1/32 -j ACCEPT", w, i))
			}
		}
		count := map[string]int{}
		for _, l := range got {
			count[l]++
		}
		for _, l := range want {
			switch count[l] {
			case 1:
			case 0:
				t.Errorf("lost: %s", l)
			default:
				t.Errorf("%d times: %s", count[l], l)
			}
			delete(count, l)
		}
		var extra []string
		for l := range count {
			extra = append(extra, l)
		}
		sort.Strings(extra)
		for _, l := range extra {
			t.Errorf("should not be there (%d times): %s", count[l], l)
		}
		if len(got) != len(want) {
			t.Errorf("%d rules, want %d", len(got), len(want))
		}
		// Each writer's rules keep their order.
		last := map[string]int{}
		for _, l := range got {
			var w, i int
			if _, err := fmt.Sscanf(l, "-A INPUT -s 10.%d.%d.1/32", &w, &i); err == nil {
				key := fmt.Sprint(w)
				if prev, ok := last[key]; ok && i < prev {
					t.Errorf("writer %d: rule %d after rule %d", w, i, prev)
				}
				last[key] = i
			}
		}
		legacySave, _, code := netnstest.Exec(t, "iptables-legacy-save")
		goiptSave, stderr, gcode := netnstest.Exec(t, goipt, "iptables-save")
		if code != 0 || gcode != 0 || testenv.StripComments(legacySave) != testenv.StripComments(goiptSave) {
			t.Errorf("iptables-save: iptables-legacy exit %d, goipt exit %d (%s); outputs equal: %v",
				code, gcode, stderr, testenv.StripComments(legacySave) == testenv.StripComments(goiptSave))
		}
		if _, err := os.Stat(lockFile()); err != nil {
			t.Errorf("lock file: %v", err)
		}
	})
}
