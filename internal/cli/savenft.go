// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"bufio"
	"fmt"
	"io"

	"github.com/goipt/goipt/internal/iptables"
	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/nft"
)

// saveNFT is iptables-nft-save (xtables-save.c): the tables iptables-nft
// knows that the kernel has, in its order, or the one of -t (a built-in
// table the kernel lacks is printed with its built-in chains), read in one
// transaction; a table with a rule iptables-nft cannot represent is a
// comment. Then the warning that iptables-legacy tables are present.
func saveNFT(fam ext.Family, prog, table string, counters, asJSON bool, stdout, stderr io.Writer) int {
	if asJSON {
		fmt.Fprintf(stderr, "%s: --json is not implemented for nf_tables yet\n", prog)
		return 1
	}
	if table != "" && nft.BuiltinTableOf(table) == nil {
		fmt.Fprintf(stderr, "Table `%s' does not exist\n", table)
		return 1
	}
	ext.UseNFTCompat()
	txn, err := NFT.Begin(fam)
	if err != nil {
		return iptables.Report(stderr, prog, NFT.Name(), -1, err)
	}
	defer txn.Close()
	out := bufio.NewWriterSize(stdout, 256<<10)
	err = ext.Run(fam, prog, func(x *ext.Xtables) error {
		for _, bt := range nft.BuiltinTables {
			if (table == "" && !txn.Exists(bt.Name)) || (table != "" && table != bt.Name) {
				continue
			}
			s, err := txn.ForSave(bt.Name)
			if err != nil {
				return err
			}
			if s.Incompatible {
				fmt.Fprintf(out, "# Table `%s' is incompatible, use 'nft' tool.\n", bt.Name)
				continue
			}
			out.WriteString(s.Note)
			if err := printTable(x, s.Table, prog+" v"+iptables.Version+" ("+backend.NFTablesName+")", counters, out); err != nil {
				return err
			}
		}
		return nil
	})
	out.Flush()
	fmt.Fprint(stderr, iptables.LegacyTablesWarning(fam, true))
	return iptables.Report(stderr, prog, NFT.Name(), -1, err)
}
