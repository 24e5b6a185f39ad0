// SPDX-License-Identifier: GPL-2.0-or-later

package saverestore

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/internal/testenv"
)

// matchSave checks a save dump goipt printed against the dumps the
// references printed of the same kernel state: equal to one of them, or
// (goipt prints what it formats itself as 1.8.11 does, and extensions
// through the system's 1.8.9 libraries) line by line equal to one of them.
func matchSave(got string, refs map[string]string) error {
	for _, r := range refs {
		if got == r {
			return nil
		}
	}
	gl := strings.Split(got, "\n")
	rl := map[string][]string{}
	for n, r := range refs {
		rl[n] = strings.Split(r, "\n")
		if len(rl[n]) != len(gl) {
			return fmt.Errorf("%d lines, %s printed %d; first difference from %s: %s", len(gl), n, len(rl[n]), n, firstDiff(got, r))
		}
	}
line:
	for i, l := range gl {
		for _, r := range rl {
			if r[i] == l {
				continue line
			}
		}
		var b strings.Builder
		fmt.Fprintf(&b, "line %d differs from every reference:\n  goipt:  %q", i+1, clip(l))
		for n, r := range rl {
			fmt.Fprintf(&b, "\n  %-7s %q", n+":", clip(r[i]))
		}
		return fmt.Errorf("%s", b.String())
	}
	return nil
}

// refSaves returns the save dumps of every reference, comment lines
// dropped, keyed by reference name.
func refSaves(t testing.TB, v6 bool, args ...string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, ref := range references() {
		m[ref.name] = saveOf(t, ref, saveApplet(v6), args...)
	}
	return m
}

// roundTrip restores input (one family) with iptables-legacy-restore and
// with goipt, and checks:
//   - goipt's save of legacy's result is what the references' saves print;
//   - legacy's save of goipt's result is what it prints of its own result
//     (the kernel holds the same rules), and so is goipt's;
//   - goipt's save restored by goipt, and by legacy, saves the same again
//     (save | restore | save is the identity);
//
// with -c on both restore and save when counters is set.
func roundTrip(t *testing.T, v6 bool, input string, counters bool) {
	t.Helper()
	g := goipt(t)
	var flags []string
	if counters {
		flags = []string{"-c"}
	}
	rApp, sApp := restoreApplet(v6), saveApplet(v6)
	var legacySave, goiptSave string
	undecided := false // goipt's save differs from 1.8.9's, and 1.8.11 is missing
	t0 := time.Now()

	// 1. The references restore; goipt saves.
	netnstest.Run(t, func() {
		out, errs, code := run(t, input, legacy.cmd(rApp, flags...))
		if code != 0 || out != "" || errs != "" {
			t.Fatalf("iptables-legacy-restore: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
		}
		refs := refSaves(t, v6, flags...)
		legacySave = refs[legacy.name]
		goiptSave = saveOf(t, g, sApp, flags...)
		if err := matchSave(goiptSave, refs); err != nil {
			undecided = saveMismatch(t, "goipt %s of iptables-legacy-restore's rules: %v", sApp, err) || undecided
		}
		// One table at a time too (not for the largest rulesets: slow).
		for _, table := range tablesIn(legacySave) {
			if len(input) > 2<<20 {
				break
			}
			refs := refSaves(t, v6, append([]string{"-t", table}, flags...)...)
			got := saveOf(t, g, sApp, append([]string{"-t", table}, flags...)...)
			if err := matchSave(got, refs); err != nil {
				undecided = saveMismatch(t, "goipt %s -t %s: %v", sApp, table, err) || undecided
			}
		}
	})
	if t.Failed() {
		return
	}
	t1 := time.Now()

	// 2. goipt restores; the references save.
	netnstest.Run(t, func() {
		out, errs, code := run(t, input, g.cmd(rApp, flags...))
		if code != 0 || out != "" || errs != "" {
			t.Fatalf("goipt %s: exit %d\nstdout: %s\nstderr: %s", rApp, code, out, errs)
		}
		if got := saveOf(t, legacy, sApp, flags...); got != legacySave {
			t.Errorf("iptables-legacy-save of goipt's restore differs from its save of iptables-legacy-restore's: %s", firstDiff(got, legacySave))
		}
		if got := saveOf(t, g, sApp, flags...); got != goiptSave {
			t.Errorf("goipt's save of goipt's restore differs from its save of iptables-legacy-restore's: %s", firstDiff(got, goiptSave))
		}
	})
	t2 := time.Now()

	// 3. save | restore | save, through goipt and through legacy.
	for _, tl := range []tool{g, legacy} {
		netnstest.Run(t, func() {
			out, errs, code := run(t, goiptSave, tl.cmd(rApp, flags...))
			if code != 0 || out != "" || errs != "" {
				t.Fatalf("%s %s of goipt's save: exit %d\nstdout: %s\nstderr: %s", tl.name, rApp, code, out, errs)
			}
			// The kernel lists tables newest first, so a dump restored
			// in a fresh namespace saves its tables in reverse order.
			if got, want := sortTables(saveOf(t, g, sApp, flags...)), sortTables(goiptSave); got != want {
				t.Errorf("goipt save | %s restore | goipt save is not the identity: %s", tl.name, firstDiff(got, want))
			}
			if got, want := sortTables(saveOf(t, legacy, sApp, flags...)), sortTables(legacySave); got != want {
				t.Errorf("goipt save | %s restore | legacy save differs from legacy's save: %s", tl.name, firstDiff(got, want))
			}
		})
	}
	t.Logf("%d lines: legacy restore + saves %v, goipt restore + saves %v, save|restore|save %v",
		strings.Count(input, "\n"), t1.Sub(t0).Round(time.Millisecond), t2.Sub(t1).Round(time.Millisecond), time.Since(t2).Round(time.Millisecond))
	if undecided {
		testenv.SkipUndecided(t)
	}
}

// saveMismatch reports a goipt save that matches no reference's: an error
// when the 1.8.11 reference is there, else (goipt follows 1.8.11 where it
// differs from 1.8.9) undecided, for the caller to skip at its end.
func saveMismatch(t testing.TB, format string, args ...any) (undecided bool) {
	t.Helper()
	if _, ok := testenv.Ref1811(); ok {
		t.Errorf(format, args...)
		return false
	}
	return true
}

// sortTables orders the tables of a save dump (without comment lines) by
// name.
func sortTables(dump string) string {
	var blocks []string
	for _, b := range strings.SplitAfter(dump, "COMMIT\n") {
		if b != "" {
			blocks = append(blocks, b)
		}
	}
	sort.Strings(blocks)
	return strings.Join(blocks, "")
}

// tablesIn lists the tables of a save dump.
func tablesIn(dump string) []string {
	var ts []string
	for _, l := range strings.Split(dump, "\n") {
		if strings.HasPrefix(l, "*") {
			ts = append(ts, l[1:])
		}
	}
	return ts
}

// TestRoundTripDumps round-trips every dump of the conformance kit's
// ipt-save and ipt-restore shell cases.
func TestRoundTripDumps(t *testing.T) {
	skipUnlessSystem(t)
	kit := testenv.RequireConformance(t)
	var files []string
	for _, dir := range []string{"shell/ipt-save/dumps", "shell/ipt-restore/dumps"} {
		m, _ := filepath.Glob(filepath.Join(kit, dir, "*"))
		for _, f := range m {
			if !strings.HasSuffix(f, ".xml") {
				files = append(files, f)
			}
		}
	}
	if len(files) == 0 {
		t.Errorf("no dumps under %s", kit)
	}
	// Corner cases of the save format (protocols, masks, interfaces,
	// quoting, counters, port ranges, targets of both families).
	local, _ := filepath.Glob("testdata/*.rules")
	files = append(files, local...)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		v6 := strings.Contains(filepath.Base(f), "ip6")
		for _, counters := range []bool{false, true} {
			name := filepath.Base(filepath.Dir(filepath.Dir(f))) + "/" + filepath.Base(f)
			if strings.HasPrefix(f, "testdata/") {
				name = f
			}
			if counters {
				name += "/counters"
			}
			t.Run(name, func(t *testing.T) { roundTrip(t, v6, string(data), counters) })
		}
	}
}

// TestRoundTripGenerated round-trips generated rulesets of both families
// over filter, nat, mangle and raw.
func TestRoundTripGenerated(t *testing.T) {
	skipUnlessSystem(t)
	var specs []genSpec
	seed := int64(100)
	for _, v6 := range []bool{false, true} {
		for _, counters := range []bool{false, true} {
			for _, size := range []struct{ rules, chains int }{{200, 20}, {3000, 120}, {8000, 300}} {
				seed++
				specs = append(specs, genSpec{v6: v6, counters: counters, rules: size.rules, chains: size.chains, seed: seed})
			}
			// 50,000 rules over 400 chains for two of the four, 20,000 over
			// 250 for the others (test time).
			seed++
			if v6 == counters {
				specs = append(specs, genSpec{v6: v6, counters: counters, rules: 20000, chains: 250, seed: seed})
			} else {
				specs = append(specs, genSpec{v6: v6, counters: counters, rules: 50000, chains: 400, seed: seed})
			}
		}
	}
	for _, s := range specs {
		name := fmt.Sprintf("v%d/rules=%d/chains=%d/counters=%v/seed=%d", map[bool]int{false: 4, true: 6}[s.v6], s.rules, s.chains, s.counters, s.seed)
		t.Run(name, func(t *testing.T) {
			if s.rules > 10000 && testing.Short() {
				t.Skip("large ruleset: not in -short")
			}
			roundTrip(t, s.v6, generate(s), s.counters)
		})
	}
}
