// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The checked-in man page and completion scripts must be what the code
// generates: run `make man` (or `make completions`) after changing the
// command tree, the options or the hand-written sections.

const repoRoot = "../.."

func checkGenerated(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(filepath.Join(repoRoot, path))
	if err != nil {
		t.Fatalf("%s: %v (run make man)", path, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale: run make man", path)
	}
}

func TestCompletionsUpToDate(t *testing.T) {
	files, err := genCompletions()
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		checkGenerated(t, filepath.Join("completions", name), b)
	}
	// goipt completion SHELL prints the same scripts.
	for shell, name := range map[string]string{"bash": "goipt.bash", "zsh": "_goipt", "fish": "goipt.fish"} {
		var out, errb bytes.Buffer
		if rc := Main([]string{"goipt", "completion", shell}, &out, &errb); rc != 0 {
			t.Fatalf("goipt completion %s: exit %d: %s", shell, rc, errb.String())
		}
		if !bytes.Equal(out.Bytes(), files[name]) {
			t.Errorf("goipt completion %s differs from completions/%s", shell, name)
		}
	}
}

// TestGenCommands runs the hidden commands make man and make completions use.
func TestGenCommands(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []string{"__gen-completions"} {
		var out, errb bytes.Buffer
		if rc := Main([]string{"goipt", c, dir}, &out, &errb); rc != 0 {
			t.Fatalf("goipt %s: exit %d: %s", c, rc, errb.String())
		}
	}
	for _, f := range []string{"goipt.bash", "_goipt", "goipt.fish"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	// Hidden: neither in help nor in the completion of goipt's commands.
	var out bytes.Buffer
	Main([]string{"goipt", "__complete", "__gen"}, &out, &bytes.Buffer{})
	if strings.Contains(out.String(), "__gen") {
		t.Errorf("hidden commands completed: %q", out.String())
	}
}
