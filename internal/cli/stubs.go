// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"io"

	"github.com/goipt/goipt/pkg/ext"
)

func restoreMain(fam ext.Family, args []string, stdout, stderr io.Writer) int {
	io.WriteString(stderr, "goipt: restore is not implemented yet\n")
	return 1
}
