// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"io"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
)

// Applet is one iptables tool goipt stands in for.
type Applet struct {
	Name string
	Fam  ext.Family
	Main func(fam ext.Family, args []string, stdout, stderr io.Writer) int
}

// appletMain is a tool's main for a backend.
type appletMain func(be backend.Backend, fam ext.Family, args []string, stdout, stderr io.Writer) int

// variant is which backend a name stands for.
type variant uint8

const (
	variantPlain  variant = iota // the backend rule's (PlainBackend)
	variantLegacy                // -legacy names
	variantNFT                   // -nft names
)

// tool is what a name runs.
type tool struct {
	main appletMain
	fam  ext.Family
	v    variant
}

var tools = map[string]tool{
	"iptables": {iptablesMain, ext.IPv4, variantPlain}, "main4": {iptablesMain, ext.IPv4, variantPlain},
	"iptables-save": {saveMain, ext.IPv4, variantPlain}, "save4": {saveMain, ext.IPv4, variantPlain},
	"iptables-restore": {restoreApplet, ext.IPv4, variantPlain}, "restore4": {restoreApplet, ext.IPv4, variantPlain},
	"iptables-legacy": {iptablesMain, ext.IPv4, variantLegacy}, "iptables-legacy-save": {saveMain, ext.IPv4, variantLegacy},
	"iptables-legacy-restore": {restoreApplet, ext.IPv4, variantLegacy},
	"iptables-nft":            {iptablesMain, ext.IPv4, variantNFT}, "iptables-nft-save": {saveMain, ext.IPv4, variantNFT},
	"iptables-nft-restore": {restoreApplet, ext.IPv4, variantNFT},
	"iptables-xml":         {xmlAppletMain, ext.IPv4, variantPlain}, "xml": {xmlAppletMain, ext.IPv4, variantPlain},
	"ip6tables": {iptablesMain, ext.IPv6, variantPlain}, "main6": {iptablesMain, ext.IPv6, variantPlain},
	"ip6tables-save": {saveMain, ext.IPv6, variantPlain}, "save6": {saveMain, ext.IPv6, variantPlain},
	"ip6tables-restore": {restoreApplet, ext.IPv6, variantPlain}, "restore6": {restoreApplet, ext.IPv6, variantPlain},
	"ip6tables-legacy": {iptablesMain, ext.IPv6, variantLegacy}, "ip6tables-legacy-save": {saveMain, ext.IPv6, variantLegacy},
	"ip6tables-legacy-restore": {restoreApplet, ext.IPv6, variantLegacy},
	"ip6tables-nft":            {iptablesMain, ext.IPv6, variantNFT}, "ip6tables-nft-save": {saveMain, ext.IPv6, variantNFT},
	"ip6tables-nft-restore": {restoreApplet, ext.IPv6, variantNFT},
}

// legacyMulti are xtables-legacy-multi's subcommands, in the order it
// lists them (xtables-legacy-multi.c).
var legacyMulti = strings.Fields(`iptables main4 iptables-save save4 iptables-restore restore4
	iptables-legacy iptables-legacy-save iptables-legacy-restore iptables-xml xml
	ip6tables main6 ip6tables-save save6 ip6tables-restore restore6
	ip6tables-legacy ip6tables-legacy-save ip6tables-legacy-restore`)

// nftMulti are the subcommands of xtables-nft-multi (xtables-nft-multi.c)
// that goipt has, in its order: not its ebtables, arptables, *-translate
// and xtables-monitor, which goipt does not implement and so does not
// claim.
var nftMulti = strings.Fields(`iptables-xml xml iptables iptables-nft main4 save4 restore4
	iptables-save iptables-restore iptables-nft-save iptables-nft-restore
	ip6tables ip6tables-nft main6 save6 restore6
	ip6tables-save ip6tables-restore ip6tables-nft-save ip6tables-nft-restore`)

// applets maps every name goipt answers to, as argv[0] or first
// argument; legacyApplets and nftApplets the names of the multi-call
// binaries, all of whose tools use their backend.
var applets, legacyApplets, nftApplets = map[string]Applet{}, map[string]Applet{}, map[string]Applet{}

func init() {
	for name, t := range tools {
		applets[name] = bind(name, t, t.v)
	}
	for _, name := range legacyMulti {
		legacyApplets[name] = bind(name, tools[name], variantLegacy)
	}
	for _, name := range nftMulti {
		nftApplets[name] = bind(name, tools[name], variantNFT)
	}
}

// bind makes the applet of name that runs t with variant v's backend,
// chosen when it runs.
func bind(name string, t tool, v variant) Applet {
	return Applet{Name: name, Fam: t.fam, Main: func(fam ext.Family, args []string, stdout, stderr io.Writer) int {
		be := backend.Backend(Legacy)
		switch v {
		case variantNFT:
			be = NFT
		case variantPlain:
			be = PlainBackend(fam)
		}
		return t.main(be, fam, args, stdout, stderr)
	}}
}

// sameTool tells whether names a and b run the same tool of the same
// family on the same backend (main4 is iptables; iptables-nft is not).
func sameTool(a, b string) bool {
	ta, tb := tools[a], tools[b]
	return ta.fam == tb.fam && ta.v == tb.v && reflect.ValueOf(ta.main).Pointer() == reflect.ValueOf(tb.main).Pointer()
}

func xmlAppletMain(_ backend.Backend, fam ext.Family, args []string, stdout, stderr io.Writer) int {
	return xmlMain(fam, args, stdout, stderr)
}

// noSubcommand is what a multi-call binary does when neither its name nor
// its first argument is a subcommand: list them on stderr, exit status 1.
func noSubcommand(names []string, stderr io.Writer) int {
	var b strings.Builder
	b.WriteString("ERROR: No valid subcommand given.\nValid subcommands:\n")
	for _, n := range names {
		b.WriteString(" * " + n + "\n")
	}
	io.WriteString(stderr, b.String())
	return 1
}

// AppletNames are the names the build links to goipt.
var AppletNames = []string{"iptables", "ip6tables", "iptables-save", "ip6tables-save", "iptables-restore", "ip6tables-restore", "iptables-xml"}

// Main runs goipt with os.Args-style args and returns the exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	base := filepath.Base(args[0])
	for _, m := range []struct {
		name    string
		applets map[string]Applet
		list    []string
	}{{"xtables-legacy-multi", legacyApplets, legacyMulti}, {"xtables-nft-multi", nftApplets, nftMulti}} {
		if base != m.name {
			continue
		}
		if len(args) > 1 {
			if a, ok := m.applets[args[1]]; ok {
				return a.Main(a.Fam, args[1:], stdout, stderr)
			}
		}
		return noSubcommand(m.list, stderr)
	}
	if a, ok := applets[base]; ok {
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
	a := applets["iptables"]
	return a.Main(a.Fam, append([]string{"iptables"}, args[1:]...), stdout, stderr)
}
