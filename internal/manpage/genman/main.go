// SPDX-License-Identifier: GPL-2.0-or-later

// Command genman writes man/goipt.8: go run ./internal/manpage/genman DIR.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/goipt/goipt/internal/manpage"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: genman DIR")
		os.Exit(2)
	}
	if err := os.WriteFile(filepath.Join(os.Args[1], "goipt.8"), manpage.Generate(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "genman:", err)
		os.Exit(1)
	}
}
