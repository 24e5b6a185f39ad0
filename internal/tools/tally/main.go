// SPDX-License-Identifier: GPL-2.0-or-later

// Command tally runs the parts of `make test` and `make conformance`, keeps
// each part's output in a log directory, and sums what passed, failed and
// was skipped:
//
//	tally [-logs DIR] start                           forget earlier parts
//	tally [-logs DIR] run NAME KIND -- COMMAND [ARG...]
//	tally [-logs DIR] skip NAME WHY                   a part that cannot run here
//	tally [-logs DIR] fail NAME WHY                   a part that could not run
//	tally [-logs DIR] summary                         the parts and the total
//
// run shows the command's output and keeps it in DIR/NAME.log; it exits
// with the command's status. What a part counts depends on its KIND:
//
//	unit    the command is one unit: it passed if it exited 0.
//	counts  the command's last line says "N passed, N failed" (the
//	        conformance kit's runners).
//	gotest  the command is `go test -json`: every test that has no
//	        subtests (examples and fuzz seeds too) passed, failed or was
//	        skipped. The terminal shows a line a package, the output of
//	        failed tests and the skip reasons; DIR/NAME.log holds the whole
//	        output, DIR/NAME.json the events.
//
// In every kind, a command that exits nonzero without a failure in its
// counts (a crash, a build failure, no summary line) adds one failure.
// skip counts one skipped (a missing conformance kit, no network
// namespaces), fail one failed (the build it needs failed).
//
// summary prints a line a part (with the time it took), the total of
// skipped tests, and last the line "N passed, N failed" that CI reads; it
// exits 1 if anything failed.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// result is what one part counted, and how long it took.
type result struct {
	name                    string
	passed, failed, skipped int
	took                    time.Duration
}

func main() {
	logs := flag.String("logs", "build/test-logs", "the directory of the logs and the tally")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: tally [-logs DIR] start | run NAME unit|counts|gotest -- COMMAND... | skip NAME WHY | fail NAME WHY | summary")
	}
	flag.Parse()
	args := flag.Args()
	if len(args) == 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := os.MkdirAll(*logs, 0o755); err != nil {
		fatal(err)
	}
	t := tally{dir: *logs}
	switch {
	case args[0] == "start" && len(args) == 1:
		fatal(os.WriteFile(t.file(), nil, 0o644))
	case args[0] == "run" && len(args) >= 5 && args[3] == "--":
		code, err := t.run(args[1], args[2], args[4:])
		fatal(err)
		os.Exit(code)
	case args[0] == "skip" && len(args) == 3:
		fmt.Printf("==> %s: skipped: %s\n", args[1], args[2])
		fatal(t.add(result{name: args[1], skipped: 1}))
	case args[0] == "fail" && len(args) == 3:
		fmt.Printf("==> %s: not run: %s\n", args[1], args[2])
		fatal(t.add(result{name: args[1], failed: 1}))
	case args[0] == "summary" && len(args) == 1:
		ok, err := t.summary(os.Stdout)
		fatal(err)
		if !ok {
			os.Exit(1)
		}
	default:
		flag.Usage()
		os.Exit(2)
	}
}

func fatal(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "tally:", err)
		os.Exit(2)
	}
}

// tally keeps the parts' results in DIR/tally.tsv, a line a part.
type tally struct{ dir string }

func (t tally) file() string { return filepath.Join(t.dir, "tally.tsv") }

func (t tally) add(r result) error {
	f, err := os.OpenFile(t.file(), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	fmt.Fprintf(f, "%s\t%d\t%d\t%d\t%d\n", r.name, r.passed, r.failed, r.skipped, r.took.Milliseconds())
	return f.Close()
}

func (t tally) results() ([]result, error) {
	data, err := os.ReadFile(t.file())
	if err != nil {
		return nil, err
	}
	var rs []result
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if l == "" {
			continue
		}
		var r result
		var ms int64
		if _, err := fmt.Sscanf(l, "%s\t%d\t%d\t%d\t%d", &r.name, &r.passed, &r.failed, &r.skipped, &ms); err != nil {
			return nil, fmt.Errorf("%s: %q: %v", t.file(), l, err)
		}
		r.took = time.Duration(ms) * time.Millisecond
		rs = append(rs, r)
	}
	return rs, nil
}

// run runs one part and records its counts.
func (t tally) run(name, kind string, argv []string) (int, error) {
	if kind != "unit" && kind != "counts" && kind != "gotest" {
		return 0, fmt.Errorf("unknown kind %q (unit, counts or gotest)", kind)
	}
	fmt.Printf("==> %s: %s\n", name, strings.Join(argv, " "))
	logf, err := os.Create(filepath.Join(t.dir, name+".log"))
	if err != nil {
		return 0, err
	}
	defer logf.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin = os.Stdin
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	cmd.Stderr = cmd.Stdout // one stream, in order
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(logf, "%v\n", err)
		fmt.Println(err)
		return 127, t.add(result{name: name, failed: 1})
	}
	r := result{name: name}
	switch kind {
	case "gotest":
		jsonf, err := os.Create(filepath.Join(t.dir, name+".json"))
		if err != nil {
			return 0, err
		}
		defer jsonf.Close()
		r = readGoTest(name, out, os.Stdout, logf, jsonf)
	default:
		var last string
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			fmt.Println(sc.Text())
			fmt.Fprintln(logf, sc.Text())
			if strings.TrimSpace(sc.Text()) != "" {
				last = sc.Text()
			}
		}
		io.Copy(io.Discard, out) // a line too long: drain the rest
		if kind == "counts" {
			r.passed, r.failed = lastLineCounts(last)
		}
	}
	err = cmd.Wait()
	r.took = time.Since(start)
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
		if code < 0 {
			code = 128 // killed by a signal
		}
	case err != nil:
		return 0, err
	}
	switch {
	case kind == "unit" && code == 0:
		r.passed = 1
	case kind == "counts" && code == 0 && r.passed+r.failed == 0:
		fmt.Printf("==> %s: no \"N passed, N failed\" line\n", name)
		r.failed = 1
	case code != 0 && r.failed == 0:
		fmt.Printf("==> %s: exit status %d\n", name, code)
		r.failed = 1
	}
	return code, t.add(r)
}

var countsRE = regexp.MustCompile(`^([0-9]+) passed, ([0-9]+) failed`)

// lastLineCounts reads "N passed, N failed ..." (more may follow).
func lastLineCounts(line string) (passed, failed int) {
	m := countsRE.FindStringSubmatch(line)
	if m == nil {
		return 0, 0
	}
	passed, _ = strconv.Atoi(m[1])
	failed, _ = strconv.Atoi(m[2])
	return passed, failed
}

// summary prints a line a part (with its time) and the totals, the
// pass/fail line last.
func (t tally) summary(w io.Writer) (ok bool, err error) {
	rs, err := t.results()
	if err != nil {
		return false, err
	}
	var total result
	fmt.Fprintf(w, "\nsummary (logs in %s/):\n", t.dir)
	for _, r := range rs {
		fmt.Fprintf(w, "  %-17s %6d passed, %d failed, %d skipped", r.name, r.passed, r.failed, r.skipped)
		if r.took > 0 {
			fmt.Fprintf(w, " (%v)", r.took.Round(time.Second))
		}
		fmt.Fprintln(w)
		total.passed += r.passed
		total.failed += r.failed
		total.skipped += r.skipped
	}
	fmt.Fprintf(w, "%d skipped (the reasons are in the output above and in the logs)\n", total.skipped)
	fmt.Fprintf(w, "%d passed, %d failed\n", total.passed, total.failed)
	return total.failed == 0, nil
}
