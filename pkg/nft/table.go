// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/nft/expr"
)

// Table is an nf_tables table.
type Table struct {
	Name     string
	Family   ext.Family
	Flags    uint32
	Handle   uint64
	Use      uint32 // chains in it, as the kernel counts
	UserData []byte
}

// libnftnl's NFTNL_TABLE_* ids.
const (
	tableName     = 0
	tableFamily   = 1
	tableFlags    = 2
	tableUse      = 3
	tableHandle   = 4
	tableUserData = 5
)

// encode writes t as iptables-nft does: family and name only (flags and
// userdata when set).
func (t *Table) encode(w *expr.Writer, h expr.ObjectHeader) {
	h.Family = uint16(t.Family)
	w.Object(kindTable, h)
	w.U32(tableFamily, uint32(t.Family))
	w.Str(tableName, t.Name)
	if t.Flags != 0 {
		w.U32(tableFlags, t.Flags)
	}
	if t.UserData != nil {
		w.Bytes(tableUserData, t.UserData)
	}
	w.End()
}

func decodeTable(r *expr.Reader) *Table {
	t := &Table{}
	for r.Peek() == expr.TagAttr {
		_, id, v, _ := r.Next()
		switch id {
		case tableName:
			t.Name = string(expr.CString(v))
		case tableFamily:
			t.Family = ext.Family(expr.U32(v))
		case tableFlags:
			t.Flags = expr.U32(v)
		case tableUse:
			t.Use = expr.U32(v)
		case tableHandle:
			t.Handle = expr.U64(v)
		case tableUserData:
			t.UserData = append([]byte(nil), v...)
		}
	}
	return t
}
