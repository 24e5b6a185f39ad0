// SPDX-License-Identifier: GPL-2.0-or-later

package saverestore

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/internal/testenv"
)

// vectorFile is the rules of one conformance kit vector file that
// iptables-legacy loads (RESULT OK or NOMATCH), by table.
type vectorFile struct {
	tables []string            // in order of appearance
	rules  map[string][]string // table -> "-A CHAIN ARGS"
}

// readVectors reads a .t file (format: the conformance kit's run_t.py).
// ok is false for files that need commands run around them (@, %).
func readVectors(path string) (vf vectorFile, ok bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return vf, false, err
	}
	defer f.Close()
	vf.rules = map[string][]string{}
	table, chains := "filter", []string(nil)
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, ":"):
			chains = strings.Split(strings.TrimSpace(line[1:]), ",")
		case strings.HasPrefix(line, "@"), strings.HasPrefix(line, "%"):
			return vf, false, nil
		case strings.HasPrefix(line, "*"):
			table = strings.TrimSpace(line[1:])
		default:
			item := strings.Split(line, ";")
			if len(item) < 3 {
				continue
			}
			res := strings.TrimSpace(item[2])
			if len(item) > 3 && strings.TrimSpace(item[3]) == "NFT" {
				if len(item) > 4 {
					res = strings.TrimSpace(item[4])
				} else {
					res = map[string]string{"OK": "FAIL", "FAIL": "OK", "NOMATCH": "OK"}[res]
				}
			}
			if res != "OK" && res != "NOMATCH" {
				continue
			}
			if _, seen := vf.rules[table]; !seen {
				vf.tables = append(vf.tables, table)
			}
			for _, c := range chains {
				vf.rules[table] = append(vf.rules[table], "-A "+c+" "+item[0])
			}
		}
	}
	return vf, true, sc.Err()
}

// restoreFile renders tables and their rules as a restore file; lineOf maps
// each rule's line number to (table, index).
func restoreFile(tables []string, rules map[string][]string) (text string, lineOf map[int][2]int, commitLine map[int]int) {
	var b strings.Builder
	lineOf, commitLine = map[int][2]int{}, map[int]int{}
	n := 0
	for ti, t := range tables {
		n++
		fmt.Fprintf(&b, "*%s\n", t)
		for i, r := range rules[t] {
			n++
			lineOf[n] = [2]int{ti, i}
			b.WriteString(r)
			b.WriteByte('\n')
		}
		n++
		commitLine[n] = ti
		b.WriteString("COMMIT\n")
	}
	return b.String(), lineOf, commitLine
}

var failedLineRE = regexp.MustCompile(`(?:line (\d+) failed|Error occurred at line: (\d+))`)

// acceptedByAll drops from vf the rules that a reference refuses (in
// parsing, or alone at COMMIT in the kernel: missing modules, hook
// constraints), so that the remaining file loads under every reference.
func acceptedByAll(t *testing.T, v6 bool, vf vectorFile) (string, []string) {
	var dropped []string
	for iter := 0; iter < 200; iter++ {
		text, lineOf, commitLine := restoreFile(vf.tables, vf.rules)
		failedAt := 0
		var who tool
		for _, ref := range references() {
			netnstest.Run(t, func() {
				_, errs, code := run(t, text, ref.cmd(restoreApplet(v6)))
				if code != 0 {
					m := failedLineRE.FindStringSubmatch(errs)
					if m == nil {
						t.Fatalf("%s restore failed without a line number: %s", ref.name, errs)
					}
					failedAt, _ = strconv.Atoi(m[1] + m[2])
					who = ref
				}
			})
			if failedAt != 0 {
				break
			}
		}
		if failedAt == 0 {
			return text, dropped
		}
		if li, ok := lineOf[failedAt]; ok {
			tb := vf.tables[li[0]]
			dropped = append(dropped, who.name+" refuses: "+vf.rules[tb][li[1]])
			vf.rules[tb] = append(vf.rules[tb][:li[1]:li[1]], vf.rules[tb][li[1]+1:]...)
			continue
		}
		ti, ok := commitLine[failedAt]
		if !ok {
			t.Fatalf("%s failed at line %d, neither a rule nor a COMMIT", who.name, failedAt)
		}
		// The kernel refused the table: try its rules one by one.
		tb := vf.tables[ti]
		var keep []string
		netnstest.Run(t, func() {
			for _, r := range vf.rules[tb] {
				if _, _, code := run(t, "*"+tb+"\n"+r+"\nCOMMIT\n", who.cmd(restoreApplet(v6))); code == 0 {
					keep = append(keep, r)
				} else {
					dropped = append(dropped, who.name+" (kernel) refuses: "+r)
				}
			}
		})
		if len(keep) == len(vf.rules[tb]) {
			t.Fatalf("%s refuses table %s at COMMIT but every rule alone", who.name, tb)
		}
		vf.rules[tb] = keep
	}
	t.Fatalf("too many refused rules")
	return "", nil
}

// TestVectorsRestore restores, table by table, every rule of the
// conformance kit's extension vectors that iptables-legacy loads, through
// goipt and the references, and compares the outcome and the saves: the
// extensions through iptables-restore's tokenizer and goipt-save.
func TestVectorsRestore(t *testing.T) {
	skipUnlessSystem(t)
	kit := testenv.RequireConformance(t)
	files, _ := filepath.Glob(filepath.Join(kit, "vectors", "*.t"))
	if len(files) == 0 {
		t.Errorf("no vectors under %s", kit)
	}
	for _, f := range files {
		base := filepath.Base(f)
		var fams []bool
		switch {
		case strings.HasPrefix(base, "libxt_"):
			fams = []bool{false, true}
		case strings.HasPrefix(base, "libip6t_"):
			fams = []bool{true}
		case strings.HasPrefix(base, "libebt_"), strings.HasPrefix(base, "libarpt_"):
		default:
			fams = []bool{false}
		}
		for _, v6 := range fams {
			name := strings.TrimSuffix(base, ".t") + map[bool]string{false: "/v4", true: "/v6"}[v6]
			t.Run(name, func(t *testing.T) {
				vf, ok, err := readVectors(f)
				if err != nil {
					t.Fatal(err)
				}
				if !ok {
					t.Skip("needs commands around its vectors")
				}
				if len(vf.tables) == 0 {
					t.Skip("no rule that loads")
				}
				text, dropped := acceptedByAll(t, v6, vf)
				for _, d := range dropped {
					t.Logf("dropped: %s", d)
				}
				c := dcase{name: name, v6: v6, noBase: true, input: text}
				g := runCase(t, goipt(t), c)
				compareRefs(t, c, g)
				// goipt-save of the same rules (restored by legacy).
				netnstest.Run(t, func() {
					mustRun(t, text, legacy.cmd(restoreApplet(v6)))
					for _, flags := range [][]string{nil, {"-c"}} {
						refs := refSaves(t, v6, flags...)
						if err := matchSave(saveOf(t, goipt(t), saveApplet(v6), flags...), refs); err != nil {
							testenv.SkipUndecided(t)
							t.Errorf("goipt %s %v: %v", saveApplet(v6), flags, err)
						}
					}
				})
			})
		}
	}
}
