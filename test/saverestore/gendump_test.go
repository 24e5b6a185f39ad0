// SPDX-License-Identifier: GPL-2.0-or-later

package saverestore

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestGenerateDump writes a generated ruleset to $GOIPT_GEN_OUT (for
// experiments by hand); it is skipped otherwise.
func TestGenerateDump(t *testing.T) {
	out := os.Getenv("GOIPT_GEN_OUT")
	if out == "" {
		t.Skip("set GOIPT_GEN_OUT=FILE (and GOIPT_GEN_RULES, GOIPT_GEN_CHAINS, GOIPT_GEN_V6, GOIPT_GEN_COUNTERS, GOIPT_GEN_SEED) to write a generated ruleset")
	}
	atoi := func(k string, def int) int {
		if v, err := strconv.Atoi(os.Getenv(k)); err == nil {
			return v
		}
		return def
	}
	s := genSpec{
		rules:    atoi("GOIPT_GEN_RULES", 1000),
		chains:   atoi("GOIPT_GEN_CHAINS", 50),
		v6:       os.Getenv("GOIPT_GEN_V6") == "1",
		counters: os.Getenv("GOIPT_GEN_COUNTERS") == "1",
		seed:     int64(atoi("GOIPT_GEN_SEED", 1)),
	}
	if err := os.WriteFile(out, []byte(generate(s)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDiffFile runs one differential restore case by hand:
// GOIPT_DIFF_FILE=FILE [GOIPT_DIFF_ARGS="-c -n"] [GOIPT_DIFF_V6=1]
// [GOIPT_DIFF_NOBASE=1]; it prints every result.
func TestDiffFile(t *testing.T) {
	file := os.Getenv("GOIPT_DIFF_FILE")
	if file == "" {
		t.Skip("set GOIPT_DIFF_FILE=FILE to run it")
	}
	skipUnlessSystem(t)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c := dcase{name: "file", input: string(data), v6: os.Getenv("GOIPT_DIFF_V6") == "1",
		noBase: os.Getenv("GOIPT_DIFF_NOBASE") == "1", args: strings.Fields(os.Getenv("GOIPT_DIFF_ARGS"))}
	g := runCase(t, goipt(t), c)
	t.Logf("=== goipt: %s", g)
	for _, ref := range references() {
		t.Logf("=== %s: %s", ref.name, runCase(t, ref, c))
	}
	compareRefs(t, c, g)
}
