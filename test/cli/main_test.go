// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// goipt is the binary under test, built once by TestMain.
var goipt string

// ref1811 is iptables 1.8.11's multi-call binary, when it was built.
var ref1811 = envOr("GOIPT_REF1811", "/work/ref1811/sbin/xtables-legacy-multi")

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "goipt-cli-test")
	if err != nil {
		panic(err)
	}
	goipt = filepath.Join(dir, "goipt")
	build := exec.Command("go", "build", "-o", goipt, "github.com/goipt/goipt/cmd/goipt")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		panic("building goipt: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var versionRE = regexp.MustCompile(`\b(ip6?tables(?:-legacy)?(?:-save|-restore)?|xtables-legacy-multi) v[0-9][^ :\n]*( \([^)\n]*\))?`)

// normalize hides version strings, as the conformance kit does.
func normalize(s string) string { return versionRE.ReplaceAllString(s, "$1 vX") }
