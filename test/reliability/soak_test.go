// SPDX-License-Identifier: GPL-2.0-or-later

package reliability

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/pkg/iptc"
)

var (
	soak    = flag.Bool("soak", os.Getenv("GOIPT_SOAK") == "1", "run the soak test (also GOIPT_SOAK=1)")
	soakOps = flag.Int("soak.ops", 100000, "library operations of the soak test")
)

// rss is the resident set size of the process, in KiB.
func rss(t testing.TB) int {
	t.Helper()
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no VmRSS in /proc/self/status")
	return 0
}

// openFDs counts the open file descriptors of the process.
func openFDs(t testing.TB) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

// settle collects garbage and returns freed memory to the system, so that
// RSS shows what is live (Go's and C's).
func settle() {
	runtime.GC()
	debug.FreeOSMemory()
}

// TestSoakLibrary: 100,000 operations of pkg/iptc (open, refresh, insert,
// commit, delete, commit, read, close, both families in turn) on tables of
// 200 rules. After a warm-up of a tenth of them, memory must stay flat
// (RSS at the end within 10% of RSS after the warm-up) and no file
// descriptor or goroutine may leak. Run with GOIPT_SOAK=1 (make soak).
func TestSoakLibrary(t *testing.T) {
	if !*soak {
		t.Skip("soak test: set GOIPT_SOAK=1 or -soak (make soak)")
	}
	netnstest.Run(t, func() {
		for _, save := range []string{"iptables-legacy-restore", "ip6tables-legacy-restore"} {
			var b strings.Builder
			b.WriteString("*filter\n:keep - [0:0]\n")
			for i := 0; i < 200; i++ {
				fmt.Fprintf(&b, "-A keep -p tcp -m tcp --dport %d -m comment --comment \"rule %d\" -j ACCEPT\n", i+1, i)
			}
			b.WriteString("-A INPUT -j keep\nCOMMIT\n")
			if _, stderr, code := netnstest.ExecInput(t, b.String(), save); code != 0 {
				t.Fatalf("%s: %s", save, stderr)
			}
		}
		ops, total := 0, *soakOps
		warmup := total / 10
		var baseRSS, baseFDs, baseG int
		var samples []string
		start := time.Now()
		check := func(err error, what string) {
			if err != nil {
				t.Fatalf("after %d operations: %s: %v", ops, what, err)
			}
			ops++
		}
		for i := 0; ops < total; i++ {
			fam := []iptc.Family{iptc.IPv4, iptc.IPv6}[i%2]
			tb, err := iptc.Open(fam, iptc.Filter, nil)
			check(err, "open")
			check(tb.Refresh(), "refresh")
			r := iptc.NewRule()
			r.Protocol = "udp"
			r.CreateMatch("udp").Set("dport", strconv.Itoa(i%65535+1))
			r.CreateMatch("comment").Set("comment", fmt.Sprintf("soak %d", i))
			r.CreateTarget("DROP")
			c := tb.Chain("INPUT")
			check(c.InsertRule(r, 0), "insert")
			check(tb.Commit(), "commit")
			check(c.DeleteRule(r), "delete")
			check(tb.Commit(), "commit")
			rules, err := tb.Chain("keep").Rules()
			check(err, "read")
			if len(rules) != 200 {
				t.Fatalf("after %d operations: %d rules in keep", ops, len(rules))
			}
			check(tb.Close(), "close")
			if ops >= warmup && baseRSS == 0 {
				settle()
				baseRSS, baseFDs, baseG = rss(t), openFDs(t), runtime.NumGoroutine()
			}
			if baseRSS != 0 && i%1000 == 0 {
				settle()
				samples = append(samples, fmt.Sprintf("%d:%d", ops, rss(t)))
			}
		}
		took := time.Since(start)
		settle()
		endRSS, endFDs, endG := rss(t), openFDs(t), runtime.NumGoroutine()
		for _, save := range []string{"iptables-legacy-save", "ip6tables-legacy-save"} {
			if got := rules(t, save, "filter"); len(got) != 201 {
				t.Errorf("%s: %d rules at the end, want 201", save, len(got))
			}
		}
		report := fmt.Sprintf("soak: %d library operations in %v (%.0f/s); RSS after warm-up (%d operations) %d KiB, "+
			"at the end %d KiB (%+.1f%%); open fds %d -> %d; goroutines %d -> %d\nRSS samples (operations:KiB): %s\n",
			ops, took.Round(time.Millisecond), float64(ops)/took.Seconds(), warmup, baseRSS, endRSS,
			100*float64(endRSS-baseRSS)/float64(baseRSS), baseFDs, endFDs, baseG, endG, strings.Join(samples, " "))
		t.Log(report)
		if f := os.Getenv("GOIPT_SOAK_REPORT"); f != "" {
			os.WriteFile(f, []byte(report), 0o644)
		}
		if endRSS > baseRSS+baseRSS/10 {
			t.Errorf("memory grew: RSS %d KiB after warm-up, %d KiB at the end", baseRSS, endRSS)
		}
		if endFDs > baseFDs {
			t.Errorf("file descriptors leaked: %d after warm-up, %d at the end", baseFDs, endFDs)
		}
		if endG > baseG {
			t.Errorf("goroutines leaked: %d after warm-up, %d at the end", baseG, endG)
		}
	})
}
