// SPDX-License-Identifier: GPL-2.0-or-later

// Package layering holds the rules of goipt's package graph in a test:
// dependencies point down, the library links no command line, the grammar
// is pure Go, and cgo lives only where a C library is bound.
package layering

import (
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/goipt/goipt"

// bindings are the packages that bind C libraries: the only ones with cgo.
var bindings = []string{
	module + "/pkg/ext",    // libxtables
	module + "/pkg/legacy", // libiptc
	module + "/pkg/nft",    // libnftnl
}

type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
	CgoFiles   []string
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", module+"/...")
	cmd.Dir = "../.."
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Skipf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(out)
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("go list: %v", err)
	}
	if len(pkgs) == 0 {
		t.Fatal("go list found no packages")
	}
	return pkgs
}

func under(path, dir string) bool {
	return path == module+"/"+dir || strings.HasPrefix(path, module+"/"+dir+"/")
}

func TestLayering(t *testing.T) {
	for _, p := range listPackages(t) {
		if under(p.ImportPath, "pkg") {
			for _, d := range p.Deps {
				switch {
				case strings.HasPrefix(d, "github.com/spf13/"):
					t.Errorf("%s links %s: the library must not link the command line", p.ImportPath, d)
				case under(d, "internal/cli"), under(d, "cmd"):
					t.Errorf("%s depends on %s: nothing under pkg/ may", p.ImportPath, d)
				}
			}
		}
		if p.ImportPath == module+"/pkg/parse" {
			for _, d := range p.Deps {
				if strings.HasPrefix(d, module+"/") || d == "C" || d == "runtime/cgo" {
					t.Errorf("pkg/parse depends on %s: it must be pure Go and import no goipt package", d)
				}
			}
		}
		if p.ImportPath == module+"/pkg/ext" {
			for _, d := range p.Imports {
				// pkg/parse owns iptables' messages and exit statuses
				// (parse.Error), which libxtables' errors become.
				if strings.HasPrefix(d, module+"/") && d != module+"/pkg/parse" {
					t.Errorf("pkg/ext imports %s: it binds libxtables and nothing else", d)
				}
			}
		}
		if len(p.CgoFiles) > 0 && !slices.Contains(bindings, p.ImportPath) {
			t.Errorf("%s uses cgo (%v): only the packages that bind C libraries may", p.ImportPath, p.CgoFiles)
		}
	}
}
