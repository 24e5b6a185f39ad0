// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
)

// restoreApplet is iptables-restore (or ip6tables-restore) on be:
// iptables-nft-restore is not there yet (issue 16), and says so rather
// than restore into the wrong kernel API.
func restoreApplet(be backend.Backend, fam ext.Family, args []string, stdout, stderr io.Writer) int {
	if be.Name() != backend.NFTablesName {
		return restoreMain(fam, args, stdout, stderr)
	}
	legacyName := programName(fam, "-legacy-restore")
	fmt.Fprintf(stderr, "%s: restoring into nf_tables is not implemented yet; %s restores into iptables-legacy's x_tables\n",
		filepath.Base(args[0]), legacyName)
	return 1
}
