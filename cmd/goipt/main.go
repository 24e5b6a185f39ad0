// SPDX-License-Identifier: GPL-2.0-or-later

// Command goipt is iptables-legacy reimplemented in Go; see internal/cli.
package main

import (
	"os"

	"github.com/goipt/goipt/internal/cli"
	"github.com/goipt/goipt/pkg/ext"
)

func main() {
	// One goroutine does all the work, in the process's own network
	// namespace: libxtables is initialized once and needs no thread lock.
	ext.Adopt()
	// The process ends after its commits: leave libiptc's tables to exit.
	cli.Legacy.SkipFree = true
	os.Exit(cli.Main(os.Args, os.Stdout, os.Stderr))
}
