// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"io"
	"path/filepath"
	"strings"

	"github.com/goipt/goipt/pkg/ext"
)

// Applet is one iptables tool goipt stands in for.
type Applet struct {
	Name string
	Fam  ext.Family
	Main func(fam ext.Family, args []string, stdout, stderr io.Writer) int
}

// applets maps every name xtables-legacy-multi answers to.
var applets = map[string]Applet{}

// legacyMulti are xtables-legacy-multi's subcommands, in the order it
// lists them.
var legacyMulti []string

func register(main func(ext.Family, []string, io.Writer, io.Writer) int, fam ext.Family, names ...string) {
	for _, n := range names {
		applets[n] = Applet{Name: n, Fam: fam, Main: main}
		legacyMulti = append(legacyMulti, n)
	}
}

func init() {
	register(iptablesMain, ext.IPv4, "iptables", "main4")
	register(saveMain, ext.IPv4, "iptables-save", "save4")
	register(restoreMain, ext.IPv4, "iptables-restore", "restore4")
	register(iptablesMain, ext.IPv4, "iptables-legacy")
	register(saveMain, ext.IPv4, "iptables-legacy-save")
	register(restoreMain, ext.IPv4, "iptables-legacy-restore")
	register(xmlMain, ext.IPv4, "iptables-xml", "xml")
	register(iptablesMain, ext.IPv6, "ip6tables", "main6")
	register(saveMain, ext.IPv6, "ip6tables-save", "save6")
	register(restoreMain, ext.IPv6, "ip6tables-restore", "restore6")
	register(iptablesMain, ext.IPv6, "ip6tables-legacy")
	register(saveMain, ext.IPv6, "ip6tables-legacy-save")
	register(restoreMain, ext.IPv6, "ip6tables-legacy-restore")
}

// noSubcommand is what xtables-legacy-multi does when neither its name nor
// its first argument is a subcommand: list them on stderr, exit status 1.
func noSubcommand(stderr io.Writer) int {
	var b strings.Builder
	b.WriteString("ERROR: No valid subcommand given.\nValid subcommands:\n")
	for _, n := range legacyMulti {
		b.WriteString(" * " + n + "\n")
	}
	io.WriteString(stderr, b.String())
	return 1
}

// AppletNames are the names the build links to goipt.
var AppletNames = []string{"iptables", "ip6tables", "iptables-save", "ip6tables-save", "iptables-restore", "ip6tables-restore", "iptables-xml"}

// Main runs goipt with os.Args-style args and returns the exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	if a, ok := applets[filepath.Base(args[0])]; ok {
		return a.Main(a.Fam, args, stdout, stderr)
	}
	if len(args) > 1 {
		if a, ok := applets[args[1]]; ok {
			return a.Main(a.Fam, args[1:], stdout, stderr)
		}
	}
	if filepath.Base(args[0]) == "xtables-legacy-multi" {
		return noSubcommand(stderr)
	}
	if len(args) > 1 && isCobraCommand(args[1]) {
		return runCobra(args, stdout, stderr)
	}
	if len(args) == 1 {
		return runCobra(args, stdout, stderr)
	}
	// A plain "goipt -A INPUT ..." is iptables.
	return iptablesMain(ext.IPv4, append([]string{"iptables"}, args[1:]...), stdout, stderr)
}
