// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"io"

	"github.com/goipt/goipt/internal/iptables"
	"github.com/goipt/goipt/pkg/ext"
)

func programName(fam ext.Family, suffix string) string {
	if fam == ext.IPv6 {
		return "ip6tables" + suffix
	}
	return "iptables" + suffix
}

// iptablesMain is iptables (or ip6tables): one command, one commit.
func iptablesMain(fam ext.Family, args []string, stdout, stderr io.Writer) int {
	if hasWord(args, "--json") {
		if rest, own := iptablesFlags.takeFlags(args, "--json"); own["--json"] {
			return iptablesJSON(fam, rest, stdout, stderr)
		}
	}
	prog := programName(fam, "")
	s := &iptables.Session{Fam: fam, Program: prog, Backend: Legacy, Lock: iptables.XtablesLock(stderr)}
	err := iptables.Execute(s, append([]string{prog}, args[1:]...), stdout, stderr)
	return iptables.Report(stderr, prog, Legacy.Name(), -1, err)
}
