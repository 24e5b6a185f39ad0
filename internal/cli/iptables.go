// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"io"

	"github.com/goipt/goipt/internal/iptables"
	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
)

func programName(fam ext.Family, suffix string) string {
	if fam == ext.IPv6 {
		return "ip6tables" + suffix
	}
	return "iptables" + suffix
}

// nftAttempts bounds how often a command runs again under iptables-nft
// when its commit finds the ruleset changed: iptables-nft rebuilds its
// cache and resends as often as it takes (nft_action).
const nftAttempts = 1000

// session is how iptables (or ip6tables) runs a command on be:
// iptables-legacy takes the xtables lock; iptables-nft 1.8.9 takes none
// (its -w is accepted and ignored), asks nft_compat for extension
// revisions, and retries a commit that raced another writer until it
// goes through.
func session(be backend.Backend, fam ext.Family, prog string, stderr io.Writer) *iptables.Session {
	s := &iptables.Session{Fam: fam, Program: prog, Backend: be}
	if be.Name() == backend.NFTablesName {
		ext.UseNFTCompat()
		s.Attempts = nftAttempts
	} else {
		s.Lock = iptables.XtablesLock(stderr)
	}
	return s
}

// iptablesMain is iptables (or ip6tables): one command, one commit.
func iptablesMain(be backend.Backend, fam ext.Family, args []string, stdout, stderr io.Writer) int {
	if hasWord(args, "--json") {
		if rest, own := iptablesFlags.takeFlags(args, "--json"); own["--json"] {
			return iptablesJSON(be, fam, rest, stdout, stderr)
		}
	}
	prog := programName(fam, "")
	s := session(be, fam, prog, stderr)
	err := iptables.Execute(s, append([]string{prog}, args[1:]...), stdout, stderr)
	return iptables.Report(stderr, prog, be.Name(), -1, err)
}
