// SPDX-License-Identifier: GPL-2.0-or-later

// Package testenv finds what goipt's tests compare with and run on: the
// goipt binary under test, the iptables-legacy references (the system's
// 1.8.9 and a 1.8.11 build), and the conformance kit. It also holds the
// normalizers that make the outputs of different iptables versions
// comparable.
//
// Nothing here names a path of one machine: the 1.8.11 reference is
// $GOIPT_REF1811, else the build `make reference` leaves in the user's
// cache; the conformance kit is $GOIPT_CONFORMANCE, else ../shared/conformance
// beside the repository. A test that needs one of them and does not find it
// skips with one line that says how to get it.
//
// A package whose tests call Goipt has a TestMain that calls Main, which
// removes the binary afterwards:
//
//	func TestMain(m *testing.M) { testenv.Main(m) }
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
)

// Legacy is the system's iptables-legacy (1.8.9 on Debian 12) as a
// multi-call binary, looked up on PATH.
const Legacy = "xtables-legacy-multi"

var goiptBuild struct {
	once sync.Once
	dir  string // the temporary directory Main removes
	bin  string
	err  error
}

// Goipt returns the goipt binary under test: $GOIPT_BIN when set, else
// ./cmd/goipt built once per test binary (the first call builds it). A
// failed build fails t.
func Goipt(t testing.TB) string {
	t.Helper()
	goiptBuild.once.Do(func() {
		if b := os.Getenv("GOIPT_BIN"); b != "" {
			goiptBuild.bin = b
			return
		}
		dir, err := os.MkdirTemp("", "goipt-test-")
		if err != nil {
			goiptBuild.err = err
			return
		}
		// Readable by all: some tests run the binary as an unprivileged user.
		if err := os.Chmod(dir, 0o755); err != nil {
			goiptBuild.err = err
			return
		}
		goiptBuild.dir = dir
		goiptBuild.bin, goiptBuild.err = buildGoipt(dir)
	})
	if goiptBuild.err != nil {
		t.Fatalf("building goipt: %v", goiptBuild.err)
	}
	return goiptBuild.bin
}

// BuildGoipt builds ./cmd/goipt into dir (a t.TempDir, say) and returns its
// path, for a test that wants a binary of its own; a failed build fails t.
func BuildGoipt(t testing.TB, dir string) string {
	t.Helper()
	bin, err := buildGoipt(dir)
	if err != nil {
		t.Fatalf("building goipt: %v", err)
	}
	return bin
}

func buildGoipt(dir string) (string, error) {
	bin := filepath.Join(dir, "goipt")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/goipt/goipt/cmd/goipt").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

// BackendEnv is the variable that chooses the backend of goipt's plain
// names (iptables, iptables-save, ..., goipt itself).
const BackendEnv = "GOIPT_BACKEND"

// Main runs m's tests, removes the binary Goipt built, and exits with the
// tests' status. Call it from TestMain. The tests compare goipt with
// iptables-legacy: the plain names they call goipt by run
// iptables-legacy, whatever the system's iptables is (BackendEnv); tests
// of nf_tables call the -nft names, which it does not change.
func Main(m *testing.M) {
	os.Setenv(BackendEnv, "legacy")
	code := m.Run()
	if goiptBuild.dir != "" {
		os.RemoveAll(goiptBuild.dir)
	}
	os.Exit(code)
}

// Ref1811 returns the iptables 1.8.11 legacy multi-call binary, and false
// (with the path it looked at) when it is not there.
func Ref1811() (path string, ok bool) {
	path = ref1811Path()
	st, err := os.Stat(path)
	return path, err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// RequireRef1811 returns the iptables 1.8.11 reference, or skips t with
// one line saying how to get it.
func RequireRef1811(t testing.TB) string {
	t.Helper()
	p, ok := Ref1811()
	if !ok {
		t.Skip(Ref1811Missing())
	}
	return p
}

// Ref1811Missing is the one line a test skips with when it needs the
// iptables 1.8.11 reference and it is not there.
func Ref1811Missing() string {
	return fmt.Sprintf("no iptables 1.8.11 reference at %s to compare with: run `make reference` (or set GOIPT_REF1811)", ref1811Path())
}

// SkipUndecided skips t when goipt differed from iptables 1.8.9 and the
// 1.8.11 reference, which goipt follows where the two differ, is not there
// to decide; it does nothing when the reference is there (the caller then
// fails t).
func SkipUndecided(t testing.TB) {
	t.Helper()
	if _, ok := Ref1811(); !ok {
		t.Skip("differs from iptables 1.8.9, and " + Ref1811Missing())
	}
}

// MatchOneReference is the differential check: goipt's outcome got (of
// the case what) must equal the outcome of one of refs, which outcome runs
// the case under. When none does, it fails t with all the outcomes, or,
// without the 1.8.11 reference, skips t (SkipUndecided).
func MatchOneReference[O comparable](t testing.TB, what string, got O, refs []string, outcome func(ref string) O) {
	t.Helper()
	var wants []O
	for _, ref := range refs {
		want := outcome(ref)
		if got == want {
			return
		}
		wants = append(wants, want)
	}
	SkipUndecided(t)
	msg := fmt.Sprintf("%s\ngoipt:\n%v", what, got)
	for i, w := range wants {
		msg += fmt.Sprintf("\n%s:\n%v", refs[i], w)
	}
	t.Error(msg)
}

// References lists the iptables-legacy binaries goipt is compared with:
// Legacy, then the 1.8.11 reference when it is there.
func References() []string {
	refs := []string{Legacy}
	if p, ok := Ref1811(); ok {
		refs = append(refs, p)
	}
	return refs
}

// Ref1811Prefix is where `make reference` installs iptables 1.8.11:
// ${XDG_CACHE_HOME:-$HOME/.cache}/goipt/iptables-1.8.11.
func Ref1811Prefix() string {
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		cache = filepath.Join(os.Getenv("HOME"), ".cache")
	}
	return filepath.Join(cache, "goipt", "iptables-1.8.11")
}

func ref1811Path() string {
	if p := os.Getenv("GOIPT_REF1811"); p != "" {
		return p
	}
	return filepath.Join(Ref1811Prefix(), "sbin", "xtables-legacy-multi")
}

// Conformance returns the conformance kit's directory: $GOIPT_CONFORMANCE,
// else ../shared/conformance beside the repository; false when it is not
// there.
func Conformance() (dir string, ok bool) {
	dir = os.Getenv("GOIPT_CONFORMANCE")
	if dir == "" {
		root, err := RepoRoot()
		if err != nil {
			return filepath.Join("..", "shared", "conformance"), false
		}
		dir = filepath.Join(filepath.Dir(root), "shared", "conformance")
	}
	st, err := os.Stat(dir)
	return dir, err == nil && st.IsDir()
}

// RequireConformance returns the conformance kit's directory, or skips t
// with one line saying where it was looked for.
func RequireConformance(t testing.TB) string {
	t.Helper()
	dir, ok := Conformance()
	if !ok {
		t.Skipf("needs the conformance kit, not at %s: put it there or set GOIPT_CONFORMANCE", dir)
	}
	return dir
}

// RepoRoot returns the repository's root: the first directory up from the
// working directory (a test's package directory) that holds goipt's go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.HasPrefix(string(mod), "module github.com/goipt/goipt\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no goipt go.mod above the working directory")
		}
		dir = parent
	}
}

// SystemGoipt skips t unless system tests may run (netnstest.Enabled),
// then returns Goipt(t). Call it before netnstest.Run: the build must not
// run inside a network namespace.
func SystemGoipt(t testing.TB) string {
	t.Helper()
	if ok, why := netnstest.Enabled(); !ok {
		t.Skip(why)
	}
	return Goipt(t)
}
