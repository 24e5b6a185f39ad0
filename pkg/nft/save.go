// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import "github.com/goipt/goipt/pkg/backend"

// What iptables-nft-save needs beyond backend.Table (xtables-save.c).

// Exists tells whether the kernel had table when the Txn began.
func (t *Txn) Exists(table string) bool { return t.exists[table] }

// SavedTable is a table as iptables-nft-save prints it.
type SavedTable struct {
	backend.Table
	// Incompatible: a rule iptables-nft cannot represent; iptables-nft-save
	// prints "# Table `%s' is incompatible, use 'nft' tool." for it.
	Incompatible bool
	// Note is printed before the table: the tainted table's warning.
	Note string
}

// ForSave readies table for iptables-nft-save: every chain and rule read,
// the built-in chains the kernel lacks listed as if there
// (nft_xt_fake_builtin_chains), its compatibility checked.
func (t *Txn) ForSave(table string) (*SavedTable, error) {
	h, err := t.table(table)
	if err != nil {
		return nil, err
	}
	if err := h.loadAll(); err != nil {
		return nil, err
	}
	h.fakeBuiltins("")
	ok, err := h.compatible("")
	if err != nil {
		return nil, err
	}
	s := &SavedTable{Table: h, Incompatible: !ok}
	if h.tainted {
		s.Note = taintedNote(table)
	}
	return s, nil
}
