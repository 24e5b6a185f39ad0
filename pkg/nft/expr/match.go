// SPDX-License-Identifier: GPL-2.0-or-later

package expr

// Match is an x_tables match run by nft_compat: its name, revision and
// info blob (struct xt_entry_match's data, XT_ALIGNed).
type Match struct {
	Ext
}

// Target is an x_tables target run by nft_compat.
type Target struct {
	Ext
}

// Ext is what a compat match and target carry.
type Ext struct {
	ExtName string
	Rev     uint32
	Info    []byte
}

// NFTNL_EXPR_MT_* and NFTNL_EXPR_TG_* share their ids.
const (
	extName = 1
	extRev  = 2
	extInfo = 3
)

func (e *Match) Name() string  { return "match" }
func (e *Target) Name() string { return "target" }

func (e *Ext) Encode(w *Writer) {
	w.Str(extName, e.ExtName)
	w.U32(extRev, e.Rev)
	w.Bytes(extInfo, e.Info)
}

func decodeExt(a *attrs) Ext {
	return Ext{ExtName: a.str(extName), Rev: a.u32(extRev), Info: a.v[extInfo]}
}

func decodeMatch(a *attrs, ar *Arena) *Match {
	e := take(ar, func(a *Arena) *[]Match { return &a.match })
	e.Ext = decodeExt(a)
	return e
}

func decodeTarget(a *attrs, ar *Arena) *Target {
	e := take(ar, func(a *Arena) *[]Target { return &a.target })
	e.Ext = decodeExt(a)
	return e
}
