// SPDX-License-Identifier: GPL-2.0-or-later

package cli

// iptables-restore --plan: restore the file as --test does (every table
// built in a libiptc handle, nothing committed) and, where the restore
// would commit a table, compare that handle with the table read afresh
// from the kernel. The differences are printed in iptables -S form:
//
//	*filter
//	# 1 chain added, 1 policy changed, 2 rules added, 1 rule removed
//	+ -N web
//	- -P FORWARD ACCEPT
//	+ -P FORWARD DROP
//	- -A INPUT -s 10.0.0.1/32 -j DROP
//	+ -A INPUT -s 10.0.0.2/32 -j DROP
//	+ -A web -p tcp -m tcp --dport 80 -j ACCEPT
//
// Counters are not compared. The exit status is 0 when nothing would
// change, PlanChanges when something would, and iptables-restore's own
// status (1, 2 or 4) when the restore would fail.

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strings"

	"github.com/goipt/goipt/internal/iptables"
	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/iptc"
)

// PlanChanges is the exit status of iptables-restore --plan when the
// restore would change something. It is none of iptables' own exit
// statuses (1 to 4).
const PlanChanges = 10

// planner compares each table restore would commit with the kernel's.
type planner struct {
	fam     ext.Family
	changed bool
}

// restoreWith runs iptables-restore on opts, reading a JSON document with
// asJSON, and planning instead of committing with plan.
func restoreWith(fam ext.Family, prog string, opts RestoreOptions, asJSON, plan bool, stdout, stderr io.Writer) int {
	run := func(o RestoreOptions, errw io.Writer) int { return restore(fam, prog, o, stdout, errw) }
	if plan {
		p := &planner{fam: fam}
		opts.Test = true
		opts.Inspect = p.inspect
		run = func(o RestoreOptions, errw io.Writer) int {
			rc := restore(fam, prog, o, stdout, errw)
			if rc == 0 && p.changed {
				rc = PlanChanges
			}
			return rc
		}
	}
	if asJSON {
		return restoreJSON(fam, prog, opts, stdout, stderr, run)
	}
	return run(opts, stderr)
}

// inspect is RestoreOptions.Inspect: want is the table as restore built
// it.
func (p *planner) inspect(x *ext.Xtables, out *bufio.Writer, table string, want backend.Table) error {
	have, err := Legacy.Open(p.fam, table)
	if err != nil {
		return err
	}
	defer have.Close()
	d, err := diffTables(x, p.fam, have, want)
	if err != nil {
		return err
	}
	if d.changed() {
		p.changed = true
	}
	fmt.Fprintf(out, "*%s\n# %s\n", table, d.summary())
	for _, l := range d.lines {
		out.WriteString(l)
		out.WriteByte('\n')
	}
	return out.Flush()
}

type tableDiff struct {
	chainsAdded, chainsRemoved, policies, rulesAdded, rulesRemoved int
	lines                                                          []string
}

func (d *tableDiff) changed() bool {
	return d.chainsAdded+d.chainsRemoved+d.policies+d.rulesAdded+d.rulesRemoved > 0
}

func plural(n int, what string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, what)
	}
	if strings.HasSuffix(what, "y") {
		return fmt.Sprintf("%d %sies", n, what[:len(what)-1])
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func (d *tableDiff) summary() string {
	if !d.changed() {
		return "no changes"
	}
	var parts []string
	add := func(n int, s string) {
		if n > 0 {
			parts = append(parts, s)
		}
	}
	add(d.chainsAdded, plural(d.chainsAdded, "chain")+" added")
	add(d.chainsRemoved, plural(d.chainsRemoved, "chain")+" removed")
	add(d.policies, plural(d.policies, "policy")+" changed")
	add(d.rulesAdded, plural(d.rulesAdded, "rule")+" added")
	add(d.rulesRemoved, plural(d.rulesRemoved, "rule")+" removed")
	return strings.Join(parts, ", ")
}

// diffTables compares have (the kernel's) with want (restore's) in -S
// form. Rules whose kernel entries are the same (counters aside) are not
// formatted at all; the rest are compared as -S prints them.
func diffTables(x *ext.Xtables, fam ext.Family, have, want backend.Table) (*tableDiff, error) {
	d := &tableDiff{}
	haveChains, wantChains := have.Chains(), want.Chains()
	inHave, inWant := map[string]bool{}, map[string]bool{}
	for _, c := range haveChains {
		inHave[c] = true
	}
	for _, c := range wantChains {
		inWant[c] = true
	}
	for _, c := range wantChains {
		if !inHave[c] {
			d.chainsAdded++
			d.lines = append(d.lines, "+ -N "+c)
		}
	}
	for _, c := range haveChains {
		if !inWant[c] {
			d.chainsRemoved++
			d.lines = append(d.lines, "- -N "+c)
		}
	}
	for _, c := range wantChains {
		if !inHave[c] || !want.Builtin(c) {
			continue
		}
		hp, _, _, hok := have.Policy(c)
		wp, _, _, wok := want.Policy(c)
		if hok && wok && hp != wp {
			d.policies++
			d.lines = append(d.lines, "- -P "+c+" "+hp, "+ -P "+c+" "+wp)
		}
	}
	r := &renderer{x: x, cmp: entryCmp{fam: fam, haveChains: inHave, wantChains: inWant}}
	for _, c := range wantChains {
		var hr []backend.Rule
		if inHave[c] {
			var err error
			if hr, err = have.Rules(c); err != nil {
				return nil, err
			}
		}
		wr, err := want.Rules(c)
		if err != nil {
			return nil, err
		}
		if err := r.diffChain(d, c, hr, wr); err != nil {
			return nil, err
		}
	}
	for _, c := range haveChains {
		if inWant[c] {
			continue
		}
		hr, err := have.Rules(c)
		if err != nil {
			return nil, err
		}
		if err := r.diffChain(d, c, hr, nil); err != nil {
			return nil, err
		}
	}
	return d, nil
}

type renderer struct {
	x   *ext.Xtables
	cmp entryCmp
	buf bytes.Buffer
}

// render formats rules of chain as iptables -S does, one string each;
// chains are the chains of the rules' table.
func (r *renderer) render(chain string, rules []backend.Rule, chains map[string]bool) ([]string, error) {
	r.buf.Reset()
	w := bufio.NewWriter(&r.buf)
	p := &iptables.Printer{X: r.x, Out: w, Fam: r.cmp.fam}
	for _, rule := range rules {
		rule = forSave(r.cmp.fam, rule, chains)
		if err := p.SaveRule(rule.Entry, rule.Target, chain, 0); err != nil {
			return nil, err
		}
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	s := strings.TrimSuffix(r.buf.String(), "\n")
	if s == "" {
		return nil, nil
	}
	return strings.Split(s, "\n"), nil
}

func (r *renderer) diffChain(d *tableDiff, chain string, have, want []backend.Rule) error {
	// The same entries at both ends need no formatting.
	pre := 0
	for pre < len(have) && pre < len(want) && r.cmp.same(have[pre], want[pre]) {
		pre++
	}
	suf := 0
	for suf < len(have)-pre && suf < len(want)-pre &&
		r.cmp.same(have[len(have)-1-suf], want[len(want)-1-suf]) {
		suf++
	}
	have, want = have[pre:len(have)-suf], want[pre:len(want)-suf]
	if len(have) == 0 && len(want) == 0 {
		return nil
	}
	hs, err := r.render(chain, have, r.cmp.haveChains)
	if err != nil {
		return err
	}
	ws, err := r.render(chain, want, r.cmp.wantChains)
	if err != nil {
		return err
	}
	for _, e := range diffLines(hs, ws) {
		if e.add {
			d.rulesAdded++
			d.lines = append(d.lines, "+ "+e.line)
		} else {
			d.rulesRemoved++
			d.lines = append(d.lines, "- "+e.line)
		}
	}
	return nil
}

// entryCmp compares two rules in place, leaving out what the kernel or
// libiptc fill in: counters, comefrom, nfcache, and for a jump to a chain
// or a fall-through the verdict (an offset in the kernel's blob) and the
// target name (the chain's name in a rule libiptc has not compiled yet, ""
// in one read from the kernel). Two rules that compare equal are the same
// rule; rules that do not may still be (matches with kernel-private data),
// which the -S comparison then tells.
type entryCmp struct {
	fam        ext.Family
	haveChains map[string]bool
	wantChains map[string]bool
}

// jumpOrFall tells whether r's target is a jump to a chain of chains or a
// fall-through, and where its target blob is.
func jumpOrFall(fam ext.Family, r backend.Rule, chains map[string]bool) (toff int, ok bool) {
	l := ext.Layout(fam)
	offs, size := l.TargetOffset, l.Size
	e := r.Entry
	if len(e) < size || iptc.IsVerdict(r.Target) || (r.Target != "" && !chains[r.Target]) {
		return 0, false
	}
	toff = int(binary.NativeEndian.Uint16(e[offs:]))
	if toff < size || toff+ext.VerdictOff+4 > len(e) {
		return 0, false
	}
	return toff, true
}

func (c *entryCmp) same(a, b backend.Rule) bool {
	if a.Target != b.Target {
		return false
	}
	_, jumpA := jumpOrFall(c.fam, a, c.haveChains)
	_, jumpB := jumpOrFall(c.fam, b, c.wantChains)
	return jumpA == jumpB && ext.SameEntry(c.fam, a.Entry, b.Entry, nil, jumpA)
}

// forSave returns r as -S formats it: a jump libiptc has not compiled yet
// has the chain's name in its target blob, which is then taken for a
// target extension; the kernel's has "".
func forSave(fam ext.Family, r backend.Rule, chains map[string]bool) backend.Rule {
	toff, ok := jumpOrFall(fam, r, chains)
	if !ok || r.Entry[toff+ext.ExtNameOff] == 0 {
		return r
	}
	e := append([]byte(nil), r.Entry...)
	clear(e[toff+ext.ExtNameOff : toff+ext.VerdictOff])
	return backend.Rule{Entry: e, Target: r.Target}
}

// edit is one line of an edit script: removed from a at index at, or
// added from b at index at.
type edit struct {
	add  bool
	line string
	at   int
}

// maxEdits bounds the work of diffLines; beyond it the lines are given
// as all removed, then all added.
const maxEdits = 2000

// diffLines is a shortest edit script from a to b (Myers' O(ND)
// algorithm): the lines removed from a and added from b, in order.
func diffLines(a, b []string) []edit {
	n, m := len(a), len(b)
	if n+m == 0 {
		return nil
	}
	if found, trace := myers(a, b); found >= 0 {
		return backtrack(a, b, found, trace)
	}
	out := make([]edit, 0, n+m)
	for i, l := range a {
		out = append(out, edit{false, l, i})
	}
	for i, l := range b {
		out = append(out, edit{true, l, i})
	}
	return out
}

// minEdits is a lower bound of the edits from a to b: the lines of each
// that the other does not have as many times.
func minEdits(a, b []string) int {
	count := make(map[string]int, len(a))
	for _, l := range a {
		count[l]++
	}
	for _, l := range b {
		count[l]--
	}
	d := 0
	for _, c := range count {
		if c < 0 {
			c = -c
		}
		d += c
	}
	return d
}

// myers runs the forward pass: the number of edits (-1 when it is more
// than maxEdits) and, for each step d, the furthest x on diagonals -d-1
// to d+1 before that step.
func myers(a, b []string) (int, [][]int) {
	n, m := len(a), len(b)
	limit := min(n+m, maxEdits)
	if minEdits(a, b) > limit {
		return -1, nil
	}
	off := limit + 1
	v := make([]int, 2*limit+3)
	var trace [][]int
	for d := 0; d <= limit; d++ {
		trace = append(trace, append([]int(nil), v[off-d-1:off+d+2]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				return d, trace
			}
		}
	}
	return -1, nil
}

// backtrack walks the trace back from (len(a), len(b)).
func backtrack(a, b []string, found int, trace [][]int) []edit {
	var rev []edit
	x, y := len(a), len(b)
	for d := found; d > 0; d-- {
		vp := trace[d] // diagonal k is at index k+d+1
		at := func(k int) int { return vp[k+d+1] }
		k := x - y
		pk := k - 1
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			pk = k + 1
		}
		px := at(pk)
		py := px - pk
		for x > px && y > py { // the same lines
			x--
			y--
		}
		if x == px {
			rev = append(rev, edit{true, b[py], py})
		} else {
			rev = append(rev, edit{false, a[px], px})
		}
		x, y = px, py
	}
	out := make([]edit, len(rev))
	for i := range rev {
		out[i] = rev[len(rev)-1-i]
	}
	return out
}
