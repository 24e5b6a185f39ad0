// SPDX-License-Identifier: GPL-2.0-or-later

// Command goipt is iptables-legacy reimplemented in Go; see internal/cli.
package main

import (
	"os"

	"github.com/goipt/goipt/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args, os.Stdout, os.Stderr))
}
