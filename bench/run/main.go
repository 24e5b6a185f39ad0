// SPDX-License-Identifier: GPL-2.0-or-later

// Command run is goipt's side-by-side benchmark (make bench, bench/bench.sh):
// goipt and iptables-legacy on the same generated rulesets, interleaved, in
// throwaway network namespaces, then the library benchmarks against the C
// floor. It writes results.json and RESULTS.md.
//
// It must run as root inside a network namespace of its own (bench.sh
// starts it under unshare -n); every ruleset goes into a further namespace
// made by unshare(CLONE_NEWNET) on the main thread, which every command it
// starts inherits.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/goipt/goipt/bench/ruleset"
)

func init() { runtime.LockOSThread() } // main runs on the main thread, which holds the namespaces

var (
	goipt   = flag.String("goipt", "build/goipt", "the goipt binary")
	cfloor  = flag.String("cfloor", "build/cfloor", "the C floor binary")
	libTest = flag.String("libtest", "build/lib.test", "the library benchmarks (go test -c ./bench/lib)")
	sizesF  = flag.String("sizes", "1000,10000,50000", "ruleset sizes")
	repsF   = flag.String("reps", "9,7,5", "repetitions per size")
	appends = flag.Int("appends", 1000, "separate -A invocations (at the first size)")
	appReps = flag.Int("append-reps", 3, "repetitions of the separate -A run")
	outDir  = flag.String("out", "bench", "where results.json and RESULTS.md go")
	skipLib = flag.Bool("nolib", false, "skip the library benchmarks")
)

// tool is one side of the comparison.
type tool struct {
	name                   string
	iptables, save, restor []string
}

func tools() []tool {
	g, _ := filepath.Abs(*goipt)
	return []tool{
		{"goipt", []string{g, "iptables-legacy"}, []string{g, "iptables-legacy-save"}, []string{g, "iptables-legacy-restore"}},
		{"iptables-legacy", []string{"iptables-legacy"}, []string{"iptables-legacy-save"}, []string{"iptables-legacy-restore"}},
	}
}

type sample struct {
	ms  float64
	rss int64 // KiB
}

// run runs argv with stdin from file (or none) and stdout to /dev/null;
// it fails the benchmark on a non-zero exit unless okFail.
func run(argv []string, stdin string, okFail bool) sample {
	cmd := exec.Command(argv[0], argv[1:]...)
	if stdin != "" {
		f, err := os.Open(stdin)
		if err != nil {
			fatal(err)
		}
		defer f.Close()
		cmd.Stdin = f
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil && !okFail {
		fatal(fmt.Errorf("%s: %v: %s", strings.Join(argv, " "), err, stderr.String()))
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss
	}
	return sample{float64(d) / 1e6, rss}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

// freshNetns moves the main thread (and so every command started after)
// into a new, empty network namespace.
func freshNetns() {
	if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
		fatal(fmt.Errorf("unshare: %w", err))
	}
}

// settle gives the kernel time to tear down the namespace just left (its
// tables are freed in the background, on the CPUs the next command uses).
func settle(n int) { time.Sleep(time.Duration(n/100) * time.Millisecond / 2) }

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Op is one operation's results at one size.
type Op struct {
	Op        string               `json:"op"`
	N         int                  `json:"n"`
	MedianMs  map[string]float64   `json:"median_ms"`
	Ms        map[string][]float64 `json:"ms"`
	MaxRSSKiB map[string]int64     `json:"max_rss_kib,omitempty"`
	Ratio     float64              `json:"ratio"` // goipt / reference
	Reference string               `json:"reference"`
	Target    float64              `json:"target,omitempty"` // the bound on Ratio
	Met       *bool                `json:"met,omitempty"`
}

type results struct {
	Date    string `json:"date"`
	Kernel  string `json:"kernel"`
	CPUs    int    `json:"cpus"`
	Goipt   string `json:"goipt"`
	CLI     []*Op  `json:"cli"`
	Memory  []*Op  `json:"memory"`
	Library []*Op  `json:"library"`
}

type collector struct {
	ops   map[string]*Op
	order []string
}

func (c *collector) add(op string, n int, who string, s sample) {
	key := fmt.Sprintf("%s/%d", op, n)
	o := c.ops[key]
	if o == nil {
		o = &Op{Op: op, N: n, MedianMs: map[string]float64{}, Ms: map[string][]float64{}, MaxRSSKiB: map[string]int64{}}
		c.ops[key] = o
		c.order = append(c.order, key)
	}
	o.Ms[who] = append(o.Ms[who], s.ms)
	if s.rss > o.MaxRSSKiB[who] {
		o.MaxRSSKiB[who] = s.rss
	}
}

func writeTemp(dir, name, content string) string {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		fatal(err)
	}
	return p
}

func main() {
	flag.Parse()
	if os.Geteuid() != 0 {
		fatal(fmt.Errorf("needs root (network namespaces)"))
	}
	if os.Getenv("XTABLES_LOCKFILE") == "" {
		fatal(fmt.Errorf("XTABLES_LOCKFILE is not set (run bench/bench.sh)"))
	}
	// Never run a command in the namespace we were started in.
	freshNetns()

	var sizes, reps []int
	for _, f := range strings.Split(*sizesF, ",") {
		n, _ := strconv.Atoi(f)
		sizes = append(sizes, n)
	}
	for _, f := range strings.Split(*repsF, ",") {
		n, _ := strconv.Atoi(f)
		reps = append(reps, n)
	}
	tmp, err := os.MkdirTemp("", "goipt-bench")
	if err != nil {
		fatal(err)
	}
	defer os.RemoveAll(tmp)
	nf := writeTemp(tmp, "noflush.rules", ruleset.NoFlush(100))
	c := &collector{ops: map[string]*Op{}}
	ts := tools()

	for si, n := range sizes {
		r := reps[min(si, len(reps)-1)]
		full := writeTemp(tmp, fmt.Sprintf("r%d.rules", n), ruleset.Restore(n))
		chains := ruleset.Chains(n)
		mid := ruleset.Chain(chains / 2)
		checkSpec := strings.Fields(ruleset.Rule(chains/2, 2))
		newSpec := []string{"-s", "203.0.113.7/32", "-p", "tcp", "-m", "tcp", "--dport", "4242",
			"-m", "comment", "--comment", "bench", "-j", "ACCEPT"}
		cmd := func(t tool, args ...string) []string { return append(slices.Clone(t.iptables), args...) }
		fmt.Fprintf(os.Stderr, "N=%d: %d repetitions\n", n, r)
		for rep := 0; rep < r; rep++ {
			order := ts
			if rep%2 == 1 {
				order = []tool{ts[1], ts[0]}
			}
			// Restore into an empty namespace, each tool in its own;
			// the ops below run in the second one.
			for _, t := range order {
				freshNetns()
				settle(n)
				c.add("restore", n, t.name, run(t.restor, full, false))
			}
			// each runs op with both tools; before and after (untimed) keep
			// the table as it was.
			each := func(op string, argv func(t tool) []string, stdin string, before, after []string) {
				for _, t := range order {
					if before != nil {
						run(cmd(ts[1], before...), "", false)
					}
					c.add(op, n, t.name, run(argv(t), stdin, false))
					if after != nil {
						run(cmd(ts[1], after...), "", false)
					}
				}
			}
			add := append([]string{"-A", mid}, newSpec...)
			del := append([]string{"-D", mid}, newSpec...)
			each("restore --noflush +100", func(t tool) []string { return append(slices.Clone(t.restor), "--noflush") }, nf, nil, nil)
			each("save", func(t tool) []string { return t.save }, "", nil, nil)
			each("-S", func(t tool) []string { return cmd(t, "-S") }, "", nil, nil)
			each("-L -n -v", func(t tool) []string { return cmd(t, "-L", "-n", "-v") }, "", nil, nil)
			each("-A", func(t tool) []string { return cmd(t, add...) }, "", nil, del)
			each("-C", func(t tool) []string { return cmd(t, append([]string{"-C", mid}, checkSpec...)...) }, "", nil, nil)
			each("-D", func(t tool) []string { return cmd(t, del...) }, "", add, nil)
			each("-I 1", func(t tool) []string { return cmd(t, append([]string{"-I", mid, "1"}, newSpec...)...) }, "", nil, []string{"-D", mid, "1"})
		}
		if si == 0 && *appends > 0 {
			fmt.Fprintf(os.Stderr, "N=%d: %d separate -A, %d repetitions\n", n, *appends, *appReps)
			op := fmt.Sprintf("%d separate -A", *appends)
			for rep := 0; rep < *appReps; rep++ {
				order := ts
				if rep%2 == 1 {
					order = []tool{ts[1], ts[0]}
				}
				for _, t := range order {
					freshNetns()
					run(ts[1].restor, full, false)
					start := time.Now()
					for j := 0; j < *appends; j++ {
						run(cmd(t, "-A", ruleset.LibChain, "-s", fmt.Sprintf("10.9.%d.%d", j/256, j%256),
							"-p", "tcp", "--dport", strconv.Itoa(2000+j), "-j", "ACCEPT"), "", false)
					}
					c.add(op, n, t.name, sample{ms: float64(time.Since(start)) / 1e6})
				}
			}
		}
	}

	res := &results{Date: time.Now().UTC().Format(time.RFC3339), CPUs: runtime.NumCPU()}
	if u, err := exec.Command("uname", "-r").Output(); err == nil {
		res.Kernel = strings.TrimSpace(string(u))
	}
	if out, err := exec.Command("git", "describe", "--always", "--dirty").Output(); err == nil {
		res.Goipt = strings.TrimSpace(string(out))
	}
	last := sizes[len(sizes)-1]
	for _, k := range c.order {
		o := c.ops[k]
		for who, xs := range o.Ms {
			o.MedianMs[who] = median(xs)
		}
		o.Reference = "iptables-legacy"
		o.Ratio = o.MedianMs["goipt"] / o.MedianMs["iptables-legacy"]
		switch {
		case o.Op == "-A" || o.Op == "-I 1" || o.Op == "-C" || o.Op == "-D":
			o.Target = 1.0
		case o.Op == "restore" && o.N == last:
			o.Target = 0.5
		case o.Op == "save" || o.Op == "-S":
			o.Target = 1.0
		}
		if o.Target > 0 {
			met := o.Ratio <= o.Target
			o.Met = &met
		}
		if (o.Op == "restore" || o.Op == "save") && o.N == last {
			m := &Op{Op: o.Op + " max RSS", N: o.N, MaxRSSKiB: o.MaxRSSKiB, Reference: "iptables-legacy",
				Ratio: float64(o.MaxRSSKiB["goipt"]) / float64(o.MaxRSSKiB["iptables-legacy"])}
			if o.Op == "restore" {
				m.Target = 1.5
				met := m.Ratio <= m.Target
				m.Met = &met
			}
			res.Memory = append(res.Memory, m)
		}
		res.CLI = append(res.CLI, o)
	}
	for _, o := range res.CLI {
		if !((o.Op == "restore" || o.Op == "save") && o.N == last) {
			o.MaxRSSKiB = nil
		}
	}
	if !*skipLib {
		res.Library = library(sizes, reps, tmp, c)
	}
	js, _ := json.MarshalIndent(res, "", "  ")
	if err := os.WriteFile(filepath.Join(*outDir, "results.json"), append(js, '\n'), 0o644); err != nil {
		fatal(err)
	}
	md := markdown(res, sizes)
	if err := os.WriteFile(filepath.Join(*outDir, "RESULTS.md"), []byte(md), 0o644); err != nil {
		fatal(err)
	}
	fmt.Print(md)
}

var benchLine = regexp.MustCompile(`^BenchmarkLib/N=(\d+)/(\S+?)(-\d+)?\s+\d+\s+\d+ ns/op\s+([\d.]+) med-ms`)

// library runs the C floor and the Go library benchmarks at every size.
func library(sizes, reps []int, tmp string, c *collector) []*Op {
	var out []*Op
	for si, n := range sizes {
		r := reps[min(si, len(reps)-1)]
		fmt.Fprintf(os.Stderr, "library N=%d: %d repetitions\n", n, r)
		freshNetns()
		run([]string{"iptables-legacy-restore"}, filepath.Join(tmp, fmt.Sprintf("r%d.rules", n)), false)
		cf := exec.Command(*cfloor, strconv.Itoa(ruleset.Chains(n)), strconv.Itoa(r))
		cf.Stderr = os.Stderr
		cout, err := cf.Output()
		if err != nil {
			fatal(fmt.Errorf("cfloor: %v", err))
		}
		floor := map[string]float64{}
		floorMs := map[string][]float64{}
		sc := bufio.NewScanner(bytes.NewReader(cout))
		for sc.Scan() {
			var l struct {
				Op       string    `json:"op"`
				MedianMs float64   `json:"median_ms"`
				Ms       []float64 `json:"ms"`
			}
			if json.Unmarshal(sc.Bytes(), &l) == nil {
				floor[l.Op], floorMs[l.Op] = l.MedianMs, l.Ms
			}
		}
		gt := exec.Command(*libTest, "-test.run", "^$", "-test.bench", fmt.Sprintf("^BenchmarkLib$/^N=%d$/", n),
			"-test.benchtime", fmt.Sprintf("%dx", r))
		gt.Env = append(os.Environ(), "GOIPT_SYSTEM_TESTS=1", fmt.Sprintf("GOIPT_BENCH_SIZES=%d", n))
		gt.Stderr = os.Stderr
		gout, err := gt.Output()
		if err != nil {
			fatal(fmt.Errorf("%s: %v\n%s", *libTest, err, gout))
		}
		goMs := map[string]float64{}
		for _, l := range strings.Split(string(gout), "\n") {
			if m := benchLine.FindStringSubmatch(l); m != nil {
				goMs[m[2]], _ = strconv.ParseFloat(m[4], 64)
			}
		}
		for _, op := range []string{"append1000", "list", "check", "delete"} {
			o := &Op{Op: op, N: n, Reference: "C floor (libiptc)",
				MedianMs: map[string]float64{"goipt": goMs[op], "cfloor": floor[op]},
				Ms:       map[string][]float64{"cfloor": floorMs[op]}}
			o.Ratio = goMs[op] / floor[op]
			if op == "append1000" && n == 10000 {
				o.Target = 1.2
			}
			if op == "list" {
				if s := c.ops[fmt.Sprintf("save/%d", n)]; s != nil {
					o.MedianMs["iptables-legacy-save"] = s.MedianMs["iptables-legacy"]
					if n == sizes[len(sizes)-1] {
						o.Reference = "iptables-legacy-save"
						o.Ratio = goMs[op] / s.MedianMs["iptables-legacy"]
						o.Target = 2.0
					}
				}
			}
			if o.Target > 0 {
				met := o.Ratio <= o.Target
				o.Met = &met
			}
			out = append(out, o)
		}
	}
	return out
}

func fmtMs(x float64) string {
	switch {
	case x >= 100:
		return fmt.Sprintf("%.0f", x)
	case x >= 10:
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.2f", x)
}

func verdict(o *Op) string {
	if o.Met == nil {
		return ""
	}
	if *o.Met {
		return fmt.Sprintf(" ✓ (≤ %.1f)", o.Target)
	}
	return fmt.Sprintf(" ✗ (> %.1f)", o.Target)
}

func markdown(res *results, sizes []int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# goipt benchmark\n\n%s, kernel %s, %d CPUs, goipt %s. Median wall time in ms of one process "+
		"(fork and exec included), goipt / iptables-legacy 1.8.9 as the ratio; ✓/✗ against the targets of issue 7. "+
		"Reproduce with `make bench`.\n\n", res.Date, res.Kernel, res.CPUs, res.Goipt)
	b.WriteString("## Command line\n\n| operation |")
	for _, n := range sizes {
		fmt.Fprintf(&b, " N=%d goipt | legacy | ratio |", n)
	}
	b.WriteString("\n|---|")
	for range sizes {
		b.WriteString("---:|---:|---|")
	}
	b.WriteString("\n")
	var ops []string
	for _, o := range res.CLI {
		if !slices.Contains(ops, o.Op) {
			ops = append(ops, o.Op)
		}
	}
	for _, op := range ops {
		fmt.Fprintf(&b, "| %s |", op)
		for _, n := range sizes {
			var o *Op
			for _, x := range res.CLI {
				if x.Op == op && x.N == n {
					o = x
				}
			}
			if o == nil {
				b.WriteString(" | | |")
				continue
			}
			fmt.Fprintf(&b, " %s | %s | %.2fx%s |", fmtMs(o.MedianMs["goipt"]), fmtMs(o.MedianMs["iptables-legacy"]), o.Ratio, verdict(o))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n## Memory (max RSS, KiB)\n\n| operation | N | goipt | legacy | ratio |\n|---|---:|---:|---:|---|\n")
	for _, o := range res.Memory {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %.2fx%s |\n", o.Op, o.N, o.MaxRSSKiB["goipt"], o.MaxRSSKiB["iptables-legacy"], o.Ratio, verdict(o))
	}
	if len(res.Library) > 0 {
		b.WriteString("\n## Library (pkg/iptc) and the C floor (libiptc alone, bench/cfloor.c)\n\n" +
			"append1000: one transaction of 1,000 appends; list: read and decode every filter rule; " +
			"check / delete: one rule by spec (delete commits).\n\n" +
			"| operation | N | goipt | C floor | ratio | reference |\n|---|---:|---:|---:|---|---|\n")
		for _, o := range res.Library {
			ref := "C floor"
			if o.Reference == "iptables-legacy-save" {
				ref = fmt.Sprintf("iptables-legacy-save %s ms", fmtMs(o.MedianMs["iptables-legacy-save"]))
			}
			fmt.Fprintf(&b, "| %s | %d | %s | %s | %.2fx%s | %s |\n", o.Op, o.N, fmtMs(o.MedianMs["goipt"]),
				fmtMs(o.MedianMs["cfloor"]), o.Ratio, verdict(o), ref)
		}
	}
	return b.String()
}
