// SPDX-License-Identifier: GPL-2.0-or-later

package iptables

import (
	"os"

	"github.com/goipt/goipt/pkg/ext"
)

// procTablesNames are where the kernel lists the family's x_tables
// (iptables-legacy) tables.
var procTablesNames = map[ext.Family]string{
	ext.IPv4: "/proc/net/ip_tables_names",
	ext.IPv6: "/proc/net/ip6_tables_names",
}

// LegacyTablesWarning is what iptables-nft prints on stderr after -L, -S
// and iptables-nft-save (save) when the kernel also holds
// iptables-legacy tables of the family (nft_check_xt_legacy): "" when it
// holds none.
func LegacyTablesWarning(fam ext.Family, save bool) string {
	data, err := os.ReadFile(procTablesNames[fam])
	if err != nil || len(data) == 0 {
		return ""
	}
	prefix, suffix := "ip", ""
	if fam == ext.IPv6 {
		prefix = "ip6"
	}
	if save {
		suffix = "-save"
	}
	return "# Warning: " + prefix + "tables-legacy tables present, use " + prefix + "tables-legacy" + suffix + " to see them\n"
}
