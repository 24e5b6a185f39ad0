// SPDX-License-Identifier: GPL-2.0-or-later

package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A go test -json stream: a leaf passes, one skips, a parent fails only
// through its subtest, a parent fails by itself, a package has no tests,
// another fails to build, and a last one dies before it ends.
const goTestStream = `{"Action":"start","Package":"m/a"}
{"Action":"run","Package":"m/a","Test":"TestPass"}
{"Action":"output","Package":"m/a","Test":"TestPass","Output":"=== RUN   TestPass\n"}
{"Action":"pass","Package":"m/a","Test":"TestPass"}
{"Action":"run","Package":"m/a","Test":"TestSkip"}
{"Action":"output","Package":"m/a","Test":"TestSkip","Output":"    a_test.go:9: needs the reference: make reference\n"}
{"Action":"output","Package":"m/a","Test":"TestSkip","Output":"--- SKIP: TestSkip (0.00s)\n"}
{"Action":"skip","Package":"m/a","Test":"TestSkip"}
{"Action":"run","Package":"m/a","Test":"TestParent"}
{"Action":"run","Package":"m/a","Test":"TestParent/sub"}
{"Action":"output","Package":"m/a","Test":"TestParent/sub","Output":"    a_test.go:20: wrong\n"}
{"Action":"fail","Package":"m/a","Test":"TestParent/sub"}
{"Action":"run","Package":"m/a","Test":"TestParent/ok"}
{"Action":"pass","Package":"m/a","Test":"TestParent/ok"}
{"Action":"fail","Package":"m/a","Test":"TestParent"}
{"Action":"run","Package":"m/a","Test":"TestSelf"}
{"Action":"run","Package":"m/a","Test":"TestSelf/ok"}
{"Action":"pass","Package":"m/a","Test":"TestSelf/ok"}
{"Action":"fail","Package":"m/a","Test":"TestSelf"}
{"Action":"fail","Package":"m/a","Elapsed":1.5}
{"Action":"skip","Package":"m/none"}
{"Action":"build-output","ImportPath":"m/b [m/b.test]","Output":"b.go:1: syntax error\n"}
{"Action":"fail","Package":"m/b","Elapsed":0,"FailedBuild":"m/b [m/b.test]"}
go: a line that is not an event
{"Action":"run","Package":"m/c","Test":"TestHang"}
`

func TestReadGoTest(t *testing.T) {
	var term, log strings.Builder
	r := readGoTest("go-test", strings.NewReader(goTestStream), &term, &log, io.Discard)
	// m/a: TestPass, TestParent/ok, TestSelf/ok pass; TestSkip skips;
	// TestParent/sub and TestSelf fail. m/b: 1 failure. m/c: TestHang.
	if r.passed != 3 || r.failed != 4 || r.skipped != 1 {
		t.Errorf("counted %d passed, %d failed, %d skipped; want 3, 4, 1\n%s", r.passed, r.failed, r.skipped, term.String())
	}
	for _, want := range []string{
		"FAIL\tm/a\t1.5s\t(3 passed, 2 failed, 1 skipped)",
		"skipped TestSkip: needs the reference: make reference",
		"    a_test.go:20: wrong",
		"b.go:1: syntax error",
		"FAIL\tm/b\t0.0s\t(0 passed, 1 failed, 0 skipped)",
		"go: a line that is not an event",
		"FAIL\tm/c",
	} {
		if !strings.Contains(term.String(), want) {
			t.Errorf("terminal output lacks %q:\n%s", want, term.String())
		}
	}
	if strings.Contains(term.String(), "m/none") {
		t.Errorf("a package without tests is reported:\n%s", term.String())
	}
	if !strings.Contains(log.String(), "--- SKIP: TestSkip") {
		t.Errorf("log lacks the tests' output:\n%s", log.String())
	}
}

func TestLastLineCounts(t *testing.T) {
	for line, want := range map[string][2]int{
		"1075 passed, 0 failed (3 expected failures, 0 unexpected passes)": {1075, 0},
		"46 passed, 2 failed":     {46, 2},
		"Traceback (most recent)": {0, 0},
	} {
		if p, f := lastLineCounts(line); p != want[0] || f != want[1] {
			t.Errorf("%q: %d, %d; want %v", line, p, f, want)
		}
	}
}

// TestRunAndSummary runs parts of every kind and checks the summary, whose
// last line CI reads.
func TestRunAndSummary(t *testing.T) {
	tl := tally{dir: t.TempDir()}
	if err := os.WriteFile(tl.file(), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	devnull, _ := os.Open(os.DevNull)
	os.Stdout = devnull // run's own lines
	defer func() { os.Stdout = stdout; devnull.Close() }()
	steps := []struct {
		name, kind string
		argv       []string
		code       int
	}{
		{"ok", "unit", []string{"true"}, 0},
		{"bad", "unit", []string{"false"}, 1},
		{"kit", "counts", []string{"sh", "-c", "echo noise; echo '5 passed, 1 failed (2 allowed)'; exit 1"}, 1},
		{"crash", "counts", []string{"sh", "-c", "echo Traceback; exit 0"}, 0},
	}
	for _, s := range steps {
		code, err := tl.run(s.name, s.kind, s.argv)
		if err != nil || code != s.code {
			t.Fatalf("%s: exit %d, %v; want %d", s.name, code, err, s.code)
		}
	}
	if err := tl.add(result{name: "vectors", skipped: 1}); err != nil {
		t.Fatal(err)
	}
	if log, _ := os.ReadFile(filepath.Join(tl.dir, "kit.log")); string(log) != "noise\n5 passed, 1 failed (2 allowed)\n" {
		t.Errorf("kit.log: %q", log)
	}
	var out strings.Builder
	ok, err := tl.summary(&out)
	if err != nil || ok {
		t.Fatalf("summary: %v, ok %v; want a failure", err, ok)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if got := lines[len(lines)-1]; got != "6 passed, 3 failed" {
		t.Errorf("last line %q, want \"6 passed, 3 failed\"\n%s", got, out.String())
	}
	if got := lines[len(lines)-2]; !strings.HasPrefix(got, "1 skipped") {
		t.Errorf("skip line %q\n%s", got, out.String())
	}
}
