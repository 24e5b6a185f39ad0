// SPDX-License-Identifier: GPL-2.0-or-later

package saverestore

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/goipt/goipt/pkg/parse"
)

// fuzzTokens are inserted at random into valid restore files.
var fuzzTokens = []string{
	"-A", "-I", "-D", "-N", "-X", "-F", "-P", "-E", "-Z", "-L", "-S", "-C", "-R", "-j", "-g", "!", "\"", "\\",
	"[1:2]", "[", "]", ":", "*nat", "*filter", "*raw", "COMMIT\n", ":X - [0:0]\n", "-t", "-4", "-6",
	"\n", "#", "\x00", "\t", " ", "-p", "tcp", "--dport", "22", "-m", "comment", "--comment", "-s", "::1",
	"10.0.0.1/8", "ACCEPT", "DROP", "INPUT", "OUTPUT", "LOG", "--log-prefix", "-c", "1", "--set-counters",
	"-v", "-h", "-V", "-w", "--", "-i", "eth+", "-o", "--state", "-m state", "\xff", "\r",
}

// mutate applies n random edits to s.
func mutate(r *rand.Rand, s string, n int) string {
	b := []byte(s)
	for i := 0; i < n; i++ {
		if len(b) == 0 {
			b = append(b, fuzzTokens[r.Intn(len(fuzzTokens))]...)
			continue
		}
		p := r.Intn(len(b) + 1)
		switch r.Intn(6) {
		case 0: // delete a range
			q := p + r.Intn(20)
			if q > len(b) {
				q = len(b)
			}
			b = append(b[:p:p], b[q:]...)
		case 1, 2: // insert a token
			tok := fuzzTokens[r.Intn(len(fuzzTokens))]
			if r.Intn(2) == 0 {
				tok = " " + tok + " "
			}
			b = append(b[:p:p], append([]byte(tok), b[p:]...)...)
		case 3: // truncate
			b = b[:p]
		case 4: // duplicate a line
			lines := strings.SplitAfter(string(b), "\n")
			k := r.Intn(len(lines))
			lines = append(lines[:k+1:k+1], lines[k:]...)
			b = []byte(strings.Join(lines, ""))
		case 5: // swap two lines
			lines := strings.SplitAfter(string(b), "\n")
			x, y := r.Intn(len(lines)), r.Intn(len(lines))
			lines[x], lines[y] = lines[y], lines[x]
			b = []byte(strings.Join(lines, ""))
		}
	}
	return string(b)
}

// shortOpts are the short options of iptables' rule parser.
const shortOpts = "ACDRILSMFZNXEPVhopsdjifbvwWntmxcg46"

// knownFuzz tells whether c's input has a construct with a known
// difference outside restore's files (see knownDiffs), and which.
func knownFuzz(c dcase) string {
	verbose := false
	for _, a := range c.args {
		verbose = verbose || a == "-v"
	}
	var words []string
	for _, l := range strings.SplitAfter(c.input, "\n") {
		ws, _ := parse.SplitRestoreArgs(l, nil)
		words = append(words, ws...)
	}
	for i, w := range words {
		switch {
		case i > 0 && (words[i-1] == "-p" || words[i-1] == "--protocol") && strings.IndexFunc(w, func(r rune) bool { return r >= 0x80 }) >= 0:
			return "a non-ASCII protocol name (pkg/parse lowercases it with strings.ToLower)"
		case w == "-4" || w == "-6":
			return "-4/-6 (other family's lines)"
		case (w == "-v" || strings.HasPrefix(w, "-v")) && verbose:
			return "-v with restore -v (libiptc's dump_entries)"
		case len(w) > 2 && w[0] == '-' && w[1] != '-' && strings.Trim(w[1:], shortOpts) != "":
			return "an unknown option in a word of short options (" + w + ": pkg/parse's getopt after a '?')"
		}
	}
	return ""
}

// TestFuzzRestore runs randomly mutated restore files (seeded, so the
// same every run) under goipt and the references.
// GOIPT_FUZZ_CASES and GOIPT_FUZZ_SEED change the number and the seed.
func TestFuzzRestore(t *testing.T) {
	skipUnlessSystem(t)
	n, seed := 60, int64(1)
	if v, err := strconv.Atoi(os.Getenv("GOIPT_FUZZ_CASES")); err == nil {
		n = v
	}
	if v, err := strconv.ParseInt(os.Getenv("GOIPT_FUZZ_SEED"), 10, 64); err == nil {
		seed = v
	}
	r := rand.New(rand.NewSource(seed))
	bases := []struct {
		v6   bool
		text string
	}{
		{false, goodFilter},
		{false, baseV4},
		{true, baseV6},
		{false, generate(genSpec{rules: 30, chains: 6, counters: true, seed: 7})},
		{true, generate(genSpec{v6: true, rules: 30, chains: 6, seed: 8})},
	}
	opts := [][]string{nil, nil, nil, {"-c"}, {"-n"}, {"-t"}, {"-v"}, {"-T", "filter"}, {"-c", "-n", "-v"}}
	for i := 0; i < n; i++ {
		b := bases[r.Intn(len(bases))]
		c := dcase{
			name:  fmt.Sprintf("seed%d-%d", seed, i),
			v6:    b.v6,
			args:  opts[r.Intn(len(opts))],
			input: mutate(r, b.text, 1+r.Intn(4)),
		}
		if dir := os.Getenv("GOIPT_FUZZ_DUMP"); dir != "" {
			// For reproducing by hand (see TestDiffFile).
			os.WriteFile(filepath.Join(dir, c.name), []byte(c.input), 0o644)
			os.WriteFile(filepath.Join(dir, c.name+".args"), []byte(fmt.Sprintf("v6=%v args=%q\n", c.v6, c.args)), 0o644)
		}
		t.Run(c.name, func(t *testing.T) {
			if why := knownFuzz(c); why != "" {
				// Still run it (a crash or a hang shows), but a difference
				// is one of the known ones.
				g := runCase(t, goipt(t), c)
				var ok bool
				for _, ref := range references() {
					r := runCase(t, ref, c)
					ok = ok || (r.code == g.code && r.state == g.state)
				}
				if !ok {
					t.Skipf("differs; input has %s", why)
				}
				return
			}
			differential(t, c)
			if t.Failed() {
				t.Logf("input (%v, %q): %q", c.v6, c.args, c.input)
			}
		})
	}
}
