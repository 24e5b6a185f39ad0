// SPDX-License-Identifier: GPL-2.0-or-later

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action     string
	Package    string
	Test       string
	Elapsed    float64
	Output     string
	ImportPath string // build-output events
}

// goPackage is what one package's tests did so far.
type goPackage struct {
	tests  map[string]*goTest
	order  []string
	output []string // lines outside any test
}

type goTest struct {
	action string // pass, fail, skip; "" while running
	output []string
}

// readGoTest reads the events of `go test -json` from r: it copies them to
// jsonf, their output to logf, writes a line a package (and what failed,
// and why tests skipped) to term, and counts the tests.
func readGoTest(name string, r io.Reader, term, logf, jsonf io.Writer) result {
	res := result{name: name}
	pkgs := map[string]*goPackage{}
	pkgOf := func(p string) *goPackage {
		if pkgs[p] == nil {
			pkgs[p] = &goPackage{tests: map[string]*goTest{}}
		}
		return pkgs[p]
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(jsonf, line)
		var e event
		if !strings.HasPrefix(line, "{") || json.Unmarshal([]byte(line), &e) != nil {
			// Not an event: go's own messages.
			fmt.Fprintln(term, line)
			fmt.Fprintln(logf, line)
			continue
		}
		switch e.Action {
		case "build-output":
			fmt.Fprint(term, e.Output)
			fmt.Fprint(logf, e.Output)
		case "output":
			fmt.Fprint(logf, e.Output)
			p := pkgOf(e.Package)
			if e.Test == "" {
				p.output = append(p.output, e.Output)
			} else if tt := p.test(e.Test); tt != nil {
				tt.output = append(tt.output, e.Output)
			}
		case "run":
			pkgOf(e.Package).test(e.Test)
		case "pass", "fail", "skip":
			p := pkgOf(e.Package)
			if e.Test != "" {
				p.test(e.Test).action = e.Action
				continue
			}
			c := p.report(term, e)
			res.passed += c.passed
			res.failed += c.failed
			res.skipped += c.skipped
			delete(pkgs, e.Package)
		}
	}
	io.Copy(io.Discard, r)
	// Packages whose binary died before it said how it ended.
	for path, p := range pkgs {
		c := p.report(term, event{Action: "fail", Package: path})
		res.passed += c.passed
		res.failed += c.failed
		res.skipped += c.skipped
	}
	return res
}

func (p *goPackage) test(name string) *goTest {
	if p.tests[name] == nil {
		p.tests[name] = &goTest{}
		p.order = append(p.order, name)
	}
	return p.tests[name]
}

// counted tells which tests count: those without subtests, and a parent
// that failed when none of its subtests did (it failed itself).
func (p *goPackage) counted() []string {
	var names []string
	for _, n := range p.order {
		var hasSub, subFailed bool
		for _, m := range p.order {
			if strings.HasPrefix(m, n+"/") {
				hasSub = true
				subFailed = subFailed || p.tests[m].action == "fail"
			}
		}
		if !hasSub || (p.tests[n].action == "fail" && !subFailed) {
			names = append(names, n)
		}
	}
	return names
}

// report counts a finished package's tests and writes its lines to term.
func (p *goPackage) report(term io.Writer, end event) result {
	var c result
	var failed []string
	skips := map[string][]string{} // reason: tests
	for _, n := range p.counted() {
		switch tt := p.tests[n]; tt.action {
		case "pass":
			c.passed++
		case "skip":
			c.skipped++
			why := skipReason(tt.output)
			skips[why] = append(skips[why], n)
		default: // fail, or never ended (the binary died)
			c.failed++
			failed = append(failed, n)
		}
	}
	if end.Action == "skip" && len(p.order) == 0 {
		return c // no test files
	}
	status := "ok  "
	if end.Action == "fail" {
		status = "FAIL"
		if c.failed == 0 {
			c.failed = 1 // the package failed by itself: build, TestMain, crash
		}
	}
	fmt.Fprintf(term, "%s\t%s\t%.1fs\t(%d passed, %d failed, %d skipped)\n", status, end.Package, end.Elapsed, c.passed, c.failed, c.skipped)
	for _, n := range failed {
		fmt.Fprint(term, indent(strings.Join(p.tests[n].output, "")))
	}
	if end.Action == "fail" && len(failed) == 0 {
		fmt.Fprint(term, indent(strings.Join(p.output, "")))
	}
	reasons := make([]string, 0, len(skips))
	for why := range skips {
		reasons = append(reasons, why)
	}
	sort.Strings(reasons)
	for _, why := range reasons {
		if tests := skips[why]; len(tests) == 1 {
			fmt.Fprintf(term, "    skipped %s: %s\n", tests[0], why)
		} else {
			fmt.Fprintf(term, "    skipped %d tests (%s, ...): %s\n", len(tests), tests[0], why)
		}
	}
	return c
}

// sourcePrefixRE is the "file_test.go:12: " that t.Log and t.Skip put
// before the message.
var sourcePrefixRE = regexp.MustCompile(`^[\w.-]+\.go:[0-9]+: `)

// skipReason is the last line a skipped test wrote before "--- SKIP".
func skipReason(output []string) string {
	for i := len(output) - 1; i >= 0; i-- {
		l := strings.TrimSpace(output[i])
		if l == "" || strings.HasPrefix(l, "=== ") || strings.HasPrefix(l, "--- ") {
			continue
		}
		return sourcePrefixRE.ReplaceAllString(l, "")
	}
	return "(no reason given)"
}

func indent(s string) string {
	if s == "" {
		return ""
	}
	return "    " + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n    ") + "\n"
}
