// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import (
	goparser "go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestPureGo: the package, tests included, is pure Go and stands alone:
// no cgo, no other goipt package. Everything it needs of libxtables comes
// through the Extensions interface.
func TestPureGo(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files: %v", err)
	}
	for _, name := range files {
		f, err := goparser.ParseFile(token.NewFileSet(), name, nil, goparser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if path == "C" || strings.HasPrefix(path, "github.com/goipt/goipt") {
				t.Errorf("%s imports %q", name, path)
			}
		}
	}
}
