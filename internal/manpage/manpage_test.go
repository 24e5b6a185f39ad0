// SPDX-License-Identifier: GPL-2.0-or-later

package manpage

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestManPageUpToDate: the checked-in page is what the code generates (run
// `make man` after changing the command tree or the hand-written text).
func TestManPageUpToDate(t *testing.T) {
	got, err := os.ReadFile("../../man/goipt.8")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, Generate()) {
		t.Error("man/goipt.8 is stale: run make man")
	}
}

// TestManPageRenders runs groff over the page and fails on any warning.
func TestManPageRenders(t *testing.T) {
	if _, err := exec.LookPath("groff"); err != nil {
		t.Skip("no groff")
	}
	page := Generate()
	cmd := exec.Command("groff", "-man", "-Tutf8", "-ww", "-z")
	cmd.Stdin = bytes.NewReader(page)
	out, err := cmd.CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("groff -man -ww: %v\n%s", err, out)
	}
	// Every option in the text is a minus sign, not a hyphen.
	for _, l := range strings.Split(string(page), "\n") {
		if !strings.HasPrefix(l, ".") && unescapedHyphen.MatchString(l) {
			t.Errorf("unescaped hyphen: %q", l)
		}
	}
}
