// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"strings"

	"github.com/goipt/goipt/pkg/parse"
)

// quoteArg quotes s for a command line only where it has to: when it is
// empty, is "!", or holds blanks, quotes or backslashes.
func quoteArg(s string) string {
	if s != "" && s != "!" && !strings.ContainsAny(s, " \t\n\"'\\") {
		return s
	}
	return parse.Quote(s)
}
