// SPDX-License-Identifier: GPL-2.0-or-later

package saverestore

import (
	"os"
	"strconv"
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
