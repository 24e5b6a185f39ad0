// SPDX-License-Identifier: GPL-2.0-or-later

package expr

import (
	"reflect"
	"testing"
)

// TestEncodeDecode writes each expression's records and reads them back,
// with and without an arena.
func TestEncodeDecode(t *testing.T) {
	all := []Any{
		&Payload{DReg: 1, Base: BaseTransport, Offset: 2, Len: 2},
		&Meta{Key: MetaL4Proto, Reg: 1},
		&Meta{Key: MetaNFTrace, Reg: Reg32_01, SetReg: true},
		&Cmp{SReg: 1, Op: CmpNEQ, Data: []byte{0, 22}},
		&Bitwise{SReg: 1, DReg: 1, Len: 2, Mask: []byte{0x1f, 0xff}, Xor: []byte{0, 0}},
		&Range{SReg: 1, Op: CmpEQ, From: []byte{0, 1}, To: []byte{3, 0xe8}},
		&Counter{Packets: 1, Bytes: 2},
		&Immediate{DReg: Reg32_01, Data: []byte{1}},
		&Verdict{Code: VerdictAccept},
		&Verdict{Code: VerdictGoto, Chain: "X"},
		&Match{Ext{ExtName: "conntrack", Rev: 3, Info: make([]byte, 200)}},
		&Target{Ext{ExtName: "LOG", Rev: 0, Info: []byte{1, 2, 3, 4, 5, 6, 7, 8}}},
		&Limit{Rate: 3, Unit: 3600, Burst: 5},
		&Log{Prefix: "p", Group: 2, Has: LogHasPrefix | LogHasGroup},
		&Log{Group: 2, Snaplen: 9, QThreshold: 1, Has: LogHasGroup | LogHasSnaplen | LogHasQThreshold},
	}
	var w Writer
	for _, e := range all {
		w.Expr(e.Name())
		e.Encode(&w)
	}
	w.End()
	for _, ar := range []*Arena{nil, {}} {
		r := Reader{B: w.B}
		for i := 0; r.Peek() == TagExpr; i++ {
			_, _, name, _ := r.Next()
			got, err := Decode(CString(name), &r, ar)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, all[i]) {
				t.Errorf("%d: got %#v, want %#v", i, got, all[i])
			}
		}
		if tag, _, _, _ := r.Next(); tag != TagEnd {
			t.Errorf("ends with %d", tag)
		}
	}
}

func TestArenaReset(t *testing.T) {
	var ar Arena
	p := New[Payload](&ar)
	p.Len = 4
	b := ar.Bytes(3)
	ar.Reset()
	if q := New[Payload](&ar); q != p || *q != (Payload{}) {
		t.Errorf("Reset does not reuse the slab, zeroed")
	}
	if c := ar.Bytes(3); &c[0] != &b[0] || c[0] != 0 {
		t.Errorf("Reset does not reuse bytes, zeroed")
	}
	es := ar.Exprs(2)
	es = append(es, p, p)
	if cap(es) != 2 {
		t.Errorf("Exprs cap %d", cap(es))
	}
}
