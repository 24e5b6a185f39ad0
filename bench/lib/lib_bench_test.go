// SPDX-License-Identifier: GPL-2.0-or-later

package lib_test

// The library benchmarks: what bench/cfloor.c does through libiptc alone,
// done through pkg/iptc's Table and Chain, on the rulesets of
// bench/ruleset, each loaded once (by iptables-legacy-restore) into a
// throwaway network namespace.
//
//	GOIPT_SYSTEM_TESTS=1 go test -run '^$' -bench . ./bench/lib
//
// They need root, and run only with GOIPT_SYSTEM_TESTS=1 (as the system
// tests). GOIPT_BENCH_SIZES picks the ruleset sizes (default
// "1000,10000,50000"). Every benchmark reports, besides ns/op, the median
// of its iterations in milliseconds (med-ms), which `make bench` reads.

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/goipt/goipt/bench/ruleset"
	"github.com/goipt/goipt/pkg/iptc"
)

func sizes() []int {
	s := os.Getenv("GOIPT_BENCH_SIZES")
	if s == "" {
		s = "1000,10000,50000"
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

// netns is a goroutine locked to an OS thread that lives in a network
// namespace of its own, with a ruleset loaded, and runs what it is sent.
type netns struct{ calls chan func() }

func newNetns(b *testing.B, n int) *netns {
	if os.Getenv("GOIPT_SYSTEM_TESTS") != "1" || os.Geteuid() != 0 {
		b.Skip("library benchmarks: run as root with GOIPT_SYSTEM_TESTS=1")
	}
	lock, err := os.CreateTemp("", "goipt-bench-lock")
	if err != nil {
		b.Fatal(err)
	}
	lock.Close()
	b.Cleanup(func() { os.Remove(lock.Name()) })
	os.Setenv("XTABLES_LOCKFILE", lock.Name())
	ns := &netns{calls: make(chan func())}
	ready := make(chan error)
	go func() {
		// Never unlocked: the thread ends with the goroutine.
		runtime.LockOSThread()
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			ready <- fmt.Errorf("unshare: %w", err)
			return
		}
		cmd := exec.Command("iptables-legacy-restore")
		cmd.Stdin = strings.NewReader(ruleset.Restore(n))
		if out, err := cmd.CombinedOutput(); err != nil {
			ready <- fmt.Errorf("loading the ruleset: %v: %s", err, out)
			return
		}
		ready <- nil
		for f := range ns.calls {
			f()
		}
	}()
	if err := <-ready; err != nil {
		b.Fatal(err)
	}
	return ns
}

func (ns *netns) do(f func() error) error {
	done := make(chan error)
	ns.calls <- func() { done <- f() }
	return <-done
}

func (ns *netns) close() { close(ns.calls) }

// timed runs op b.N times in the namespace, with reset (untimed) after
// each, and reports the median in ms.
func timed(b *testing.B, ns *netns, op, reset func() error) {
	var ms []float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var d time.Duration
		err := ns.do(func() error {
			start := time.Now()
			err := op()
			d = time.Since(start)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		ms = append(ms, float64(d)/1e6)
		if reset != nil {
			b.StopTimer()
			if err := ns.do(reset); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
	}
	b.StopTimer()
	slices.Sort(ms)
	med := ms[len(ms)/2]
	if len(ms)%2 == 0 {
		med = (ms[len(ms)/2-1] + ms[len(ms)/2]) / 2
	}
	b.ReportMetric(med, "med-ms")
}

// udpRule is rule 3 of chain c of bench/ruleset (cfloor's check and delete).
func udpRule(c int) *iptc.Rule {
	r := iptc.NewRule()
	r.Src = fmt.Sprintf("172.16.%d.0/24", c&255)
	r.Dst = fmt.Sprintf("192.168.%d.2/32", (c>>8)&255)
	r.Protocol = "udp"
	r.CreateMatch("udp").Set("dport", strconv.Itoa(1024+(c*100+2)%60000))
	r.CreateTarget(iptc.Accept)
	return r
}

// tcpRule is append rule j (cfloor's append1000).
func tcpRule(j int) *iptc.Rule {
	r := iptc.NewRule()
	r.Src = fmt.Sprintf("10.9.%d.%d/32", j/256, j%256)
	r.Protocol = "tcp"
	r.CreateMatch("tcp").Set("dport", strconv.Itoa(2000+j))
	r.CreateTarget(iptc.Accept)
	return r
}

func flushLib() error {
	t, err := iptc.Open(iptc.IPv4, iptc.Filter, nil)
	if err != nil {
		return err
	}
	defer t.Close()
	if err := t.FlushEntries(ruleset.LibChain); err != nil {
		return err
	}
	return t.Commit()
}

func BenchmarkLib(b *testing.B) {
	for _, n := range sizes() {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) { benchLib(b, n) })
	}
}

func benchLib(b *testing.B, n int) {
	ns := newNetns(b, n)
	defer ns.close()
	mid := ruleset.Chain(ruleset.Chains(n) / 2)
	check := udpRule(ruleset.Chains(n) / 2)

	b.Run("append1000", func(b *testing.B) {
		rules := make([]*iptc.Rule, 1000)
		for j := range rules {
			rules[j] = tcpRule(j)
		}
		timed(b, ns, func() error {
			t, err := iptc.Open(iptc.IPv4, iptc.Filter, nil)
			if err != nil {
				return err
			}
			defer t.Close()
			c := t.Chain(ruleset.LibChain)
			for _, r := range rules {
				if err := c.AppendRule(r); err != nil {
					return err
				}
			}
			return t.Commit()
		}, flushLib)
	})

	b.Run("list", func(b *testing.B) {
		timed(b, ns, func() error {
			t, err := iptc.Open(iptc.IPv4, iptc.Filter, nil)
			if err != nil {
				return err
			}
			defer t.Close()
			chains, err := t.Chains()
			if err != nil {
				return err
			}
			total := 0
			for _, c := range chains {
				rs, err := c.Rules()
				if err != nil {
					return err
				}
				total += len(rs)
			}
			if total != n {
				return fmt.Errorf("listed %d rules, want %d", total, n)
			}
			return nil
		}, nil)
	})

	b.Run("check", func(b *testing.B) {
		timed(b, ns, func() error {
			t, err := iptc.Open(iptc.IPv4, iptc.Filter, nil)
			if err != nil {
				return err
			}
			defer t.Close()
			ok, err := t.Chain(mid).HasRule(check)
			if err == nil && !ok {
				err = fmt.Errorf("%s: no rule %s", mid, check.Spec())
			}
			return err
		}, nil)
	})

	b.Run("delete", func(b *testing.B) {
		timed(b, ns, func() error {
			t, err := iptc.Open(iptc.IPv4, iptc.Filter, nil)
			if err != nil {
				return err
			}
			defer t.Close()
			if err := t.Chain(mid).DeleteRule(check); err != nil {
				return err
			}
			return t.Commit()
		}, func() error {
			t, err := iptc.Open(iptc.IPv4, iptc.Filter, nil)
			if err != nil {
				return err
			}
			defer t.Close()
			if err := t.Chain(mid).InsertRule(check, 2); err != nil {
				return err
			}
			return t.Commit()
		})
	})
}
