// SPDX-License-Identifier: GPL-2.0-or-later

package ext

/*
#include <stdlib.h>
#include <string.h>
#include "xt_shim.h"
*/
import "C"

import "unsafe"

// SaveBatch collects rules whose extensions X.SaveBatch then saves with
// one call into libxtables, instead of one call (and one stdout capture) a
// rule as SaveExts. Add copies each entry and target name into C memory,
// so the entries may be anyone's. A SaveBatch is used inside Run; its
// zero value is empty.
type SaveBatch struct {
	items []batchItem
	used  int // bytes of saveArena in use
	ends  [][2]int
}

type batchItem struct {
	entry, target     int // offsets in saveArena
	gotoFlag, matches bool
}

// saveArena holds the entries and target names of the batch being built,
// and saveItems the C view of its items: C memory kept and grown (one Run
// at a time uses them).
var (
	saveArena    unsafe.Pointer
	saveArenaCap int
	saveItems    *C.struct_gx_save_item
	saveItemsCap int
)

// Len is the number of rules added since the last Reset.
func (b *SaveBatch) Len() int { return len(b.items) }

// Reset empties the batch.
func (b *SaveBatch) Reset() {
	b.items = b.items[:0]
	b.used = 0
}

// Add adds a rule: its kernel entry, its target as libiptc names it,
// whether it jumps with goto, and whether it has matches to save.
func (b *SaveBatch) Add(entry []byte, targname string, gotoFlag, withMatches bool) {
	// Entries are 8-byte aligned for the extensions' structs.
	eoff := (b.used + 7) &^ 7
	toff := eoff + len(entry)
	need := toff + len(targname) + 1
	if need > saveArenaCap {
		grown := max(need, 2*saveArenaCap, 64<<10)
		p := C.malloc(C.size_t(grown))
		if saveArena != nil {
			C.memcpy(p, saveArena, C.size_t(b.used))
			C.free(saveArena)
		}
		saveArena, saveArenaCap = p, grown
	}
	arena := unsafe.Slice((*byte)(saveArena), saveArenaCap)
	copy(arena[eoff:], entry)
	copy(arena[toff:], targname)
	arena[toff+len(targname)] = 0
	b.used = need
	b.items = append(b.items, batchItem{entry: eoff, target: toff, gotoFlag: gotoFlag, matches: withMatches})
}

// SaveBatch saves the extensions of b's rules as SaveExts does each: out
// holds their text, rule i's matches are out[start:ends[i][0]] and its
// target out[ends[i][0]:ends[i][1]], where start is ends[i-1][1] (0 for
// the first). out is the package's memory and ends b's, both valid until
// the next capture or SaveBatch. On an error, failed is the rule that
// failed and targetFailed tells which part, as for SaveExts: rules before
// failed are whole, and the failed rule's ends hold what was saved of it
// (its matches, then what the failing part printed, up to len(out)).
func (x *X) SaveBatch(b *SaveBatch) (out []byte, ends [][2]int, failed int, targetFailed bool, err error) {
	n := len(b.items)
	b.ends = b.ends[:0]
	if n == 0 {
		return nil, b.ends, 0, false, nil
	}
	if n > saveItemsCap {
		C.free(unsafe.Pointer(saveItems))
		saveItemsCap = max(n, 2*saveItemsCap, 256)
		saveItems = (*C.struct_gx_save_item)(C.calloc(C.size_t(saveItemsCap), C.size_t(unsafe.Sizeof(C.struct_gx_save_item{}))))
	}
	items := unsafe.Slice(saveItems, n)
	for i, it := range b.items {
		items[i] = C.struct_gx_save_item{
			entry:        unsafe.Add(saveArena, it.entry),
			targname:     (*C.char)(unsafe.Add(saveArena, it.target)),
			gotoflag:     cbool(it.gotoFlag),
			with_matches: cbool(it.matches),
		}
	}
	sc := saveScratch
	rc := C.gx_save_batch(saveItems, C.int(n), &sc.out, &sc.n, &batchDone.done, &batchDone.failed)
	if sc.out != nil && sc.n > 0 {
		out = unsafe.Slice((*byte)(unsafe.Pointer(sc.out)), int(sc.n))
	}
	done := n
	if rc != 0 {
		done = int(batchDone.done)
	}
	for i := 0; i < done; i++ {
		b.ends = append(b.ends, [2]int{int(items[i].mend), int(items[i].tend)})
	}
	if rc == 0 {
		return out, b.ends, 0, false, nil
	}
	// The failed rule: its matches up to the error, or the matches whole
	// and its target up to the error.
	mend := len(out)
	if batchDone.failed == 2 {
		mend = min(int(items[done].mend), len(out))
	}
	b.ends = append(b.ends, [2]int{mend, len(out)})
	return out, b.ends, done, batchDone.failed == 2, lastError()
}

// batchDone is where gx_save_batch says how far it got (C memory, read
// after its longjmp).
var batchDone = (*struct {
	done, failed C.int
})(C.calloc(1, C.size_t(unsafe.Sizeof(struct{ done, failed C.int }{}))))
