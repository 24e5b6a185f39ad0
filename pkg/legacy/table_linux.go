// SPDX-License-Identifier: GPL-2.0-or-later

package legacy

/*
#cgo pkg-config: libip4tc libip6tc
#include <stdlib.h>
#include "iptc_shim.h"
*/
import "C"

import (
	"errors"
	"sync"
	"syscall"
	"unsafe"

	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
)

// libMu guards libiptc's globals (the last function called, which
// iptc_strerror reads); tables themselves belong to one goroutine at a time.
var libMu sync.Mutex

// Table is one table of one family as libiptc holds it in memory: changes
// reach the kernel, all at once, on Commit. It implements backend.Table.
type Table struct {
	fam      ext.Family
	table    string
	h        *C.struct_xtc_handle
	skipFree bool

	// dirty: something changed, the commit will replace the table.
	// policySet: built-in chains whose counters the caller set or zeroed.
	dirty     bool
	policySet map[string]bool
	names     map[string]string // target names, interned by Rules

	cmu    sync.Mutex
	cnames map[string]*C.char // chain names as C strings (withName)
}

var _ backend.Table = (*Table)(nil)

// Open reads table of family fam from the kernel.
func (b *Backend) Open(fam ext.Family, table string) (backend.Table, error) {
	return b.open(fam, table)
}

func (b *Backend) open(fam ext.Family, table string) (*Table, error) {
	ct := C.CString(table)
	defer C.free(unsafe.Pointer(ct))
	libMu.Lock()
	defer libMu.Unlock()
	h, err := C.gi_init(C.int(fam), ct)
	if h == nil {
		return nil, errorFor(fam, "init", err)
	}
	return &Table{fam: fam, table: table, h: h, skipFree: b.SkipFree}, nil
}

func errorFor(fam ext.Family, op string, err error) error {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		errno = syscall.EINVAL
	}
	return &backend.Error{Op: op, Errno: errno, Msg: C.GoString(C.gi_strerror(C.int(fam), C.int(errno)))}
}

// Family and Name say which table this is.
func (h *Table) Family() ext.Family { return h.fam }
func (h *Table) Name() string       { return h.table }

func (h *Table) free() {
	if !h.skipFree {
		C.gi_free(C.int(h.fam), h.h)
	}
	h.h = nil
	h.freeNames()
}

// Close frees the handle without committing.
func (h *Table) Close() {
	if h.h == nil {
		return
	}
	libMu.Lock()
	h.free()
	libMu.Unlock()
}

// Commit replaces the kernel's table with the handle's in one call. The
// handle is freed either way, as libiptc requires. When the table was
// replaced but the rules' counters could not be put back (another writer
// replaced the table in between), the error is ErrCountersNotRestored: the
// changes are in the kernel.
func (h *Table) Commit() error {
	if h.dirty {
		h.keepPolicyCounters()
	}
	libMu.Lock()
	defer libMu.Unlock()
	var replaced C.int
	rc, err := C.gi_commit(C.int(h.fam), h.h, &replaced)
	h.free()
	if rc == 0 {
		if replaced != 0 {
			// The table is replaced; restoring the counters failed.
			return errorFor(h.fam, backend.OpCommitCounters, err)
		}
		return errorFor(h.fam, "commit", err)
	}
	return nil
}

// keepPolicyCounters works around libiptc 1.8.9, which marks the counters
// of built-in chains as zeroed when it reads a table, so that any commit
// resets them (reverted upstream in 1.8.10): it sets them explicitly to
// what was read, unless the caller set or zeroed them.
func (h *Table) keepPolicyCounters() {
	for _, c := range h.Chains() {
		if h.policySet[c] || !h.Builtin(c) {
			continue
		}
		if pol, p, b, ok := h.Policy(c); ok {
			h.setPolicy(c, pol, &[2]uint64{p, b})
		}
	}
}

func (h *Table) touchPolicy(chain string) {
	if h.policySet == nil {
		h.policySet = map[string]bool{}
	}
	h.policySet[chain] = true
}

func (h *Table) result(op string, rc C.int, err error) error {
	if rc == 0 {
		return errorFor(h.fam, op, err)
	}
	return nil
}

// Chains lists the chains, built-in ones first, as libiptc orders them.
func (h *Table) Chains() []string {
	libMu.Lock()
	defer libMu.Unlock()
	var out []string
	for c := C.gi_first_chain(C.int(h.fam), h.h); c != nil; c = C.gi_next_chain(C.int(h.fam), h.h) {
		out = append(out, C.GoString(c))
	}
	return out
}

// withName calls f with name as a C string, which the handle keeps until
// it is freed: a restore asks libiptc about the same few chain names for
// every rule, and each C.CString is an allocation and two cgo calls. Past
// maxNames distinct names a string is made for the one call.
func (h *Table) withName(name string, f func(*C.char)) {
	h.cmu.Lock()
	c, ok := h.cnames[name]
	if !ok && len(h.cnames) < maxNames {
		if h.cnames == nil {
			h.cnames = map[string]*C.char{}
		}
		c = C.CString(name)
		h.cnames[name] = c
		ok = true
	}
	h.cmu.Unlock()
	if !ok {
		c = C.CString(name)
		defer C.free(unsafe.Pointer(c))
	}
	f(c)
}

// maxNames bounds the C strings a handle keeps (withName).
const maxNames = 4096

// freeNames frees the C strings withName kept.
func (h *Table) freeNames() {
	h.cmu.Lock()
	for _, c := range h.cnames {
		C.free(unsafe.Pointer(c))
	}
	h.cnames = nil
	h.cmu.Unlock()
}

// IsChain tells whether chain exists.
func (h *Table) IsChain(chain string) (ok bool) {
	h.withName(chain, func(c *C.char) {
		libMu.Lock()
		ok = C.gi_is_chain(C.int(h.fam), c, h.h) != 0
		libMu.Unlock()
	})
	return ok
}

// Builtin tells whether chain is a built-in chain.
func (h *Table) Builtin(chain string) (ok bool) {
	h.withName(chain, func(c *C.char) {
		libMu.Lock()
		ok = C.gi_builtin(C.int(h.fam), c, h.h) != 0
		libMu.Unlock()
	})
	return ok
}

// Policy returns a built-in chain's policy and counters; ok is false for
// user chains.
func (h *Table) Policy(chain string) (policy string, packets, bytes uint64, ok bool) {
	h.withName(chain, func(c *C.char) {
		var p, b C.uint64_t
		libMu.Lock()
		pol := C.gi_get_policy(C.int(h.fam), c, &p, &b, h.h)
		libMu.Unlock()
		if pol != nil {
			policy, packets, bytes, ok = C.GoString(pol), uint64(p), uint64(b), true
		}
	})
	return
}

// References counts the rules that jump to chain.
func (h *Table) References(chain string) (n int, err error) {
	h.withName(chain, func(c *C.char) {
		var refs C.uint
		libMu.Lock()
		rc, e := C.gi_get_references(C.int(h.fam), &refs, c, h.h)
		err = h.result("references", rc, e)
		libMu.Unlock()
		n = int(refs)
	})
	return
}

// chainRules calls fn with libiptc's list of chain's rules (entries in
// the handle's memory), under libMu; an empty chain gives an empty list.
func (h *Table) chainRules(chain string, fn func(rs []C.struct_gi_rule)) (err error) {
	h.withName(chain, func(c *C.char) {
		libMu.Lock()
		defer libMu.Unlock()
		fam := C.int(h.fam)
		var crs *C.struct_gi_rule
		n := int(C.gi_chain_rules(fam, c, h.h, &crs))
		if n < 0 {
			err = &backend.Error{Op: "rules", Errno: syscall.ENOENT, Msg: C.GoString(C.gi_strerror(fam, C.int(syscall.ENOENT)))}
			return
		}
		if n == 0 {
			fn(nil)
			return
		}
		defer C.free(unsafe.Pointer(crs))
		fn(unsafe.Slice(crs, n))
	})
	return
}

// EachRule calls fn with each of chain's rules in order, without copying
// them: r.Entry is the handle's own memory, valid only during the call,
// and fn must not use the handle. The first error fn returns ends the walk.
func (h *Table) EachRule(chain string, fn func(r backend.Rule) error) error {
	var ferr error
	err := h.chainRules(chain, func(rs []C.struct_gi_rule) {
		for _, cr := range rs {
			entry := unsafe.Slice((*byte)(cr.entry), int(cr.size))
			if ferr = fn(backend.Rule{Entry: entry, Target: h.targetName(cr.target)}); ferr != nil {
				return
			}
		}
	})
	if err != nil {
		return err
	}
	return ferr
}

// Rules returns chain's rules, copied out of the handle (all of a chain's
// entries in one allocation; target names are shared strings).
func (h *Table) Rules(chain string) (rules []backend.Rule, err error) {
	err = h.chainRules(chain, func(rs []C.struct_gi_rule) {
		if len(rs) == 0 {
			return
		}
		total := 0
		for i := range rs {
			total += int(rs[i].size)
		}
		buf := make([]byte, total)
		rules = make([]backend.Rule, len(rs))
		off := 0
		for i := range rs {
			size := int(rs[i].size)
			copy(buf[off:off+size], unsafe.Slice((*byte)(rs[i].entry), size))
			rules[i] = backend.Rule{Entry: buf[off : off+size : off+size], Target: h.targetName(rs[i].target)}
			off += size
		}
	})
	return rules, err
}

// targetName returns the Go copy of a target name, one per distinct name.
func (h *Table) targetName(p *C.char) string {
	if p == nil {
		return ""
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(p)), 64)
	n := 0
	for n < len(b) && b[n] != 0 {
		n++
	}
	if s, ok := h.names[string(b[:n])]; ok {
		return s
	}
	if h.names == nil {
		h.names = map[string]string{}
	}
	s := string(b[:n])
	h.names[s] = s
	return s
}

func (h *Table) op(name string, chain string, f func(fam C.int, c *C.char) (C.int, error)) (err error) {
	if name != "check" {
		h.dirty = true
	}
	h.withName(chain, func(c *C.char) {
		libMu.Lock()
		defer libMu.Unlock()
		rc, e := f(C.int(h.fam), c)
		err = h.result(name, rc, e)
	})
	return
}

func ptr(b []byte) unsafe.Pointer { return unsafe.Pointer(&b[0]) }

// Append adds entry at the end of chain.
func (h *Table) Append(chain string, entry []byte) error {
	return h.op("append", chain, func(fam C.int, c *C.char) (C.int, error) {
		r, e := C.gi_append(fam, c, ptr(entry), h.h)
		return r, e
	})
}

// Insert puts entry at position num (0 is first) of chain.
func (h *Table) Insert(chain string, entry []byte, num int) error {
	return h.op("insert", chain, func(fam C.int, c *C.char) (C.int, error) {
		r, e := C.gi_insert(fam, c, ptr(entry), C.uint(num), h.h)
		return r, e
	})
}

// Replace puts entry in place of the rule at num (0 is first).
func (h *Table) Replace(chain string, entry []byte, num int) error {
	return h.op("replace", chain, func(fam C.int, c *C.char) (C.int, error) {
		r, e := C.gi_replace(fam, c, ptr(entry), C.uint(num), h.h)
		return r, e
	})
}

// Check tells whether a rule equal to entry under mask is in chain; the
// error is libiptc's (ENOENT-like "Bad rule") when it is not.
func (h *Table) Check(chain string, entry, mask []byte) error {
	return h.op("check", chain, func(fam C.int, c *C.char) (C.int, error) {
		r, e := C.gi_check(fam, c, ptr(entry), (*C.uchar)(ptr(mask)), h.h)
		return r, e
	})
}

// Delete removes the first rule of chain equal to entry under mask.
func (h *Table) Delete(chain string, entry, mask []byte) error {
	return h.op("delete", chain, func(fam C.int, c *C.char) (C.int, error) {
		r, e := C.gi_delete(fam, c, ptr(entry), (*C.uchar)(ptr(mask)), h.h)
		return r, e
	})
}

// DeleteNum removes the rule at num (0 is first).
func (h *Table) DeleteNum(chain string, num int) error {
	return h.op("delete", chain, func(fam C.int, c *C.char) (C.int, error) {
		r, e := C.gi_delete_num(fam, c, C.uint(num), h.h)
		return r, e
	})
}

// Flush removes every rule of chain.
func (h *Table) Flush(chain string) error {
	return h.op("flush", chain, func(fam C.int, c *C.char) (C.int, error) {
		r, e := C.gi_flush(fam, c, h.h)
		return r, e
	})
}

// Zero zeroes the counters of chain's rules and policy.
func (h *Table) Zero(chain string) error {
	h.touchPolicy(chain)
	return h.op("zero", chain, func(fam C.int, c *C.char) (C.int, error) {
		r, e := C.gi_zero(fam, c, h.h)
		return r, e
	})
}

// CreateChain makes a new user chain.
func (h *Table) CreateChain(chain string) error {
	return h.op("create", chain, func(fam C.int, c *C.char) (C.int, error) {
		r, e := C.gi_create_chain(fam, c, h.h)
		return r, e
	})
}

// DeleteChain removes an empty, unreferenced user chain.
func (h *Table) DeleteChain(chain string) error {
	return h.op("delete-chain", chain, func(fam C.int, c *C.char) (C.int, error) {
		r, e := C.gi_delete_chain(fam, c, h.h)
		return r, e
	})
}

// RenameChain renames a user chain; jumps to it follow.
func (h *Table) RenameChain(old, newName string) error {
	// libiptc before 1.8.10 rebuilds its chain index with one chain too
	// many counted when the renamed chain leaves an index bucket of 40
	// chains, and crashes when the user chain count is 40k+1. A chain
	// added for the duration of the rename keeps the count off that value.
	if h.userChains()%40 == 1 && h.IsChain(old) && !h.Builtin(old) && !h.IsChain(newName) {
		const spacer = "~goipt-rename-spacer~"
		if h.CreateChain(spacer) == nil {
			defer h.DeleteChain(spacer)
		}
	}
	cn := C.CString(newName)
	defer C.free(unsafe.Pointer(cn))
	return h.op("rename", old, func(fam C.int, c *C.char) (C.int, error) {
		r, e := C.gi_rename_chain(fam, c, cn, h.h)
		return r, e
	})
}

func (h *Table) userChains() int {
	n := 0
	for _, c := range h.Chains() {
		if !h.Builtin(c) {
			n++
		}
	}
	return n
}

// SetPolicy sets a built-in chain's policy, and its counters when
// counters is not nil.
func (h *Table) SetPolicy(chain, policy string, counters *[2]uint64) error {
	h.touchPolicy(chain)
	return h.setPolicy(chain, policy, counters)
}

func (h *Table) setPolicy(chain, policy string, counters *[2]uint64) error {
	cp := C.CString(policy)
	defer C.free(unsafe.Pointer(cp))
	var with C.int
	var p, b uint64
	if counters != nil {
		with, p, b = 1, counters[0], counters[1]
	}
	return h.op("policy", chain, func(fam C.int, c *C.char) (C.int, error) {
		r, e := C.gi_set_policy(fam, c, cp, with, C.uint64_t(p), C.uint64_t(b), h.h)
		return r, e
	})
}

// ZeroCounter zeroes the counters of rule num (1 is first, as iptables -Z
// passes it).
func (h *Table) ZeroCounter(chain string, num int) error {
	return h.op("zero", chain, func(fam C.int, c *C.char) (C.int, error) {
		r, e := C.gi_zero_counter(fam, c, C.uint(num), h.h)
		return r, e
	})
}

// SetCounter sets the counters of rule num (1 is first).
func (h *Table) SetCounter(chain string, num int, packets, bytes uint64) error {
	return h.op("counter", chain, func(fam C.int, c *C.char) (C.int, error) {
		r, e := C.gi_set_counter(fam, c, C.uint(num), C.uint64_t(packets), C.uint64_t(bytes), h.h)
		return r, e
	})
}
