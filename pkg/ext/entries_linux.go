// SPDX-License-Identifier: GPL-2.0-or-later

package ext

/*
#include <stdlib.h>
#include <string.h>
#include "xt_shim.h"
*/
import "C"

import "unsafe"

// Entries collects rules whose extensions Xtables.SaveEntries then saves
// (or Xtables.PrintEntries prints) with one call into libxtables, instead
// of one call and one stdout capture a rule as SaveExts (PrintExtensions).
// Add copies each entry and target name into C memory, so the entries may
// be anyone's. Entries are used inside Run; the zero value is empty. They
// live in the package's one C arena: an Entries' rules are valid until
// another Entries is added to, so use one at a time (save or print it,
// then Reset or drop it, before the next).
type Entries struct {
	items     []entryItem
	used      int // bytes of saveArena in use
	ends      [][2]int
	printEnds []int
}

type entryItem struct {
	entry, target int // offsets in saveArena
	EntryOpts
}

// EntryOpts says how a rule of an Entries is printed: Goto and WithMatches
// for SaveEntries (as SaveExts' gotoFlag and withMatches; NoTarget saves the
// matches alone, of an entry that may have no target), IsChain for
// PrintEntries (as PrintExtensions' isChain).
type EntryOpts struct {
	Goto, WithMatches, NoTarget, IsChain bool
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
func (b *Entries) Len() int { return len(b.items) }

// DropFirst removes the first n rules (those a failed SaveEntries did and
// the one it failed on), to save the rest again.
func (b *Entries) DropFirst(n int) {
	b.items = b.items[min(n, len(b.items)):]
}

// Reset empties the batch.
func (b *Entries) Reset() {
	b.items = b.items[:0]
	b.used = 0
}

// Add adds a rule: its kernel entry and its target as libiptc names it.
func (b *Entries) Add(entry []byte, targname string, o EntryOpts) {
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
	b.items = append(b.items, entryItem{entry: eoff, target: toff, EntryOpts: o})
}

// SaveEntries saves the extensions of b's rules as SaveExts does each: out
// holds their text, rule i's matches are out[start:ends[i][0]] and its
// target out[ends[i][0]:ends[i][1]], where start is ends[i-1][1] (0 for
// the first). out is the package's memory and ends b's, both valid until
// the next capture or SaveEntries. On an error, failed is the rule that
// failed and targetFailed tells which part, as for SaveExts: rules before
// failed are whole, and the failed rule's ends hold what was saved of it
// (its matches, then what the failing part printed, up to len(out)).
func (x *Xtables) SaveEntries(b *Entries) (out []byte, ends [][2]int, failed int, targetFailed bool, err error) {
	n := len(b.items)
	b.ends = b.ends[:0]
	if n == 0 {
		return nil, b.ends, 0, false, nil
	}
	items := b.cItems()
	sc := saveScratch
	rc := C.gx_save_batch(saveItems, C.int(n), &sc.out, &sc.n, &batchDone.done, &batchDone.failed)
	out, done := batchResult(rc, n)
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

// cItems fills saveItems with b's rules (pointers into saveArena) and
// returns them.
func (b *Entries) cItems() []C.struct_gx_save_item {
	n := len(b.items)
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
			gotoflag:     cbool(it.Goto),
			with_matches: cbool(it.WithMatches),
			is_chain:     cbool(it.IsChain),
			no_target:    cbool(it.NoTarget),
		}
	}
	return items
}

// PrintEntries prints the extensions of b's rules as PrintExtensions does
// each: rule i's text is out[start:ends[i]], where start is ends[i-1] (0
// for the first); out and ends are valid until the next capture or batch.
// On an error, failed is the rule that failed: the rules before it are
// whole, and what it printed up to the error is out[start:].
func (x *Xtables) PrintEntries(b *Entries, numeric bool) (out []byte, ends []int, failed int, err error) {
	n := len(b.items)
	b.printEnds = b.printEnds[:0]
	if n == 0 {
		return nil, b.printEnds, 0, nil
	}
	items := b.cItems()
	sc := saveScratch
	rc := C.gx_print_batch(saveItems, C.int(n), cbool(numeric), &sc.out, &sc.n, &batchDone.done)
	out, done := batchResult(rc, n)
	for i := 0; i < done; i++ {
		b.printEnds = append(b.printEnds, int(items[i].tend))
	}
	if rc != 0 {
		return out, b.printEnds, done, lastError()
	}
	return out, b.printEnds, 0, nil
}

// batchResult is what a batch of n rules captured, and how many rules it
// did whole (n, or the failing one's index when rc says it failed).
func batchResult(rc C.int, n int) (out []byte, done int) {
	if sc := saveScratch; sc.out != nil && sc.n > 0 {
		out = unsafe.Slice((*byte)(unsafe.Pointer(sc.out)), int(sc.n))
	}
	if rc != 0 {
		return out, int(batchDone.done)
	}
	return out, n
}
