// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files from iptables 1.8.11's output")

// listings are the commands whose output the golden files hold.
var listings = []string{
	"-L", "-L -n", "-L -v", "-L -n -v", "-L -n -v -x", "-L -n --line-numbers",
	"-L -n -v -x --line-numbers", "-S", "-S -v", "-L INPUT 2", "-S INPUT 3",
}

// TestGoldenListings loads a rich ruleset in each family and compares
// every listing with golden files taken from iptables 1.8.11 (-update
// regenerates them, from the reference build).
func TestGoldenListings(t *testing.T) {
	if ok, why := netnstest.Enabled(); !ok {
		t.Skip(why)
	}
	for _, fam := range []string{"iptables", "ip6tables"} {
		t.Run(fam, func(t *testing.T) {
			rules := "testdata/rich4.rules"
			if fam == "ip6tables" {
				rules = "testdata/rich6.rules"
			}
			input, err := os.ReadFile(rules)
			if err != nil {
				t.Fatal(err)
			}
			bin := testenv.Goipt(t)
			if *update {
				bin = testenv.RequireRef1811(t)
			}
			var out strings.Builder
			netnstest.Run(t, func() {
				if _, stderr, code := netnstest.ExecInput(t, string(input), bin, fam+"-restore", "-c"); code != 0 {
					t.Fatalf("%s-restore: exit %d: %s", fam, code, stderr)
				}
				for _, table := range []string{"filter", "nat", "mangle", "raw"} {
					for _, l := range listings {
						args := append([]string{fam, "-t", table}, strings.Fields(l)...)
						stdout, stderr, code := netnstest.Exec(t, bin, args...)
						out.WriteString("### " + strings.Join(args, " ") + "\n")
						out.WriteString(stdout + stderr)
						if code != 0 {
							out.WriteString("(exit status " + string(rune('0'+code)) + ")\n")
						}
					}
				}
				stdout, _, _ := netnstest.Exec(t, bin, fam+"-save", "-c")
				out.WriteString("### " + fam + "-save -c\n")
				out.WriteString(testenv.StripComments(stdout))
			})
			golden := filepath.Join("testdata", fam+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(out.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != string(want) {
				gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
				for i := 0; i < len(gl) && i < len(wl); i++ {
					if gl[i] != wl[i] {
						t.Fatalf("%s differs from %s at line %d:\ngot  %q\nwant %q", fam, golden, i+1, gl[i], wl[i])
					}
				}
				t.Fatalf("%s differs from %s in length: %d lines, want %d", fam, golden, len(gl), len(wl))
			}
		})
	}
}
