// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"io"
	"path/filepath"

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

func register(main func(ext.Family, []string, io.Writer, io.Writer) int, fam ext.Family, names ...string) {
	for _, n := range names {
		applets[n] = Applet{Name: n, Fam: fam, Main: main}
	}
}

func init() {
	register(iptablesMain, ext.IPv4, "iptables", "main4", "iptables-legacy")
	register(iptablesMain, ext.IPv6, "ip6tables", "main6", "ip6tables-legacy")
	register(saveMain, ext.IPv4, "iptables-save", "save4", "iptables-legacy-save")
	register(saveMain, ext.IPv6, "ip6tables-save", "save6", "ip6tables-legacy-save")
	register(restoreMain, ext.IPv4, "iptables-restore", "restore4", "iptables-legacy-restore")
	register(restoreMain, ext.IPv6, "ip6tables-restore", "restore6", "ip6tables-legacy-restore")
	register(xmlMain, ext.IPv4, "iptables-xml", "xml")
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
	if len(args) > 1 && isCobraCommand(args[1]) {
		return runCobra(args, stdout, stderr)
	}
	if len(args) == 1 {
		return runCobra(args, stdout, stderr)
	}
	// A plain "goipt -A INPUT ..." is iptables.
	return iptablesMain(ext.IPv4, append([]string{"iptables"}, args[1:]...), stdout, stderr)
}
