// SPDX-License-Identifier: GPL-2.0-or-later

package backend

import (
	"syscall"

	"github.com/goipt/goipt/pkg/ext"
)

// The backends' names (Backend.Name).
const (
	LegacyName   = "legacy"
	NFTablesName = "nf_tables"
)

// Backend is one kernel API for iptables' tables: iptables-legacy's
// x_tables (package legacy, through libiptc) or nf_tables.
type Backend interface {
	// Name is what iptables -V prints in brackets: "legacy" or
	// "nf_tables".
	Name() string
	// Open reads table (filter, nat, mangle, raw, security) of family
	// fam. It fails with an *Error (ENOENT and the like) when the
	// table cannot be had.
	Open(fam ext.Family, table string) (Table, error)
	// Probe tells whether table exists (or can be made) without reading
	// its rules; it fails as Open would.
	Probe(fam ext.Family, table string) error
	// StrError is the backend's message for errno after its last
	// operation, as iptables prints it after "iptables: ".
	StrError(fam ext.Family, errno syscall.Errno) string
}

// Table is one table of one family as the backend holds it in memory:
// its chains and their rules, read from the kernel, and the changes made
// since. Changes reach the kernel all at once, on Commit. A Table belongs
// to one goroutine at a time.
//
// Rules are x_tables entries (struct ipt_entry or ip6t_entry with their
// matches and target, as pkg/ext builds and prints them), whatever the
// kernel holds: the nf_tables backend translates. Chains are named;
// rule numbers count from 0 unless a method says otherwise.
type Table interface {
	Family() ext.Family
	Name() string

	// Chains lists the chains: built-in ones first, in hook order, then
	// user chains in the order iptables lists them.
	Chains() []string
	IsChain(chain string) bool
	Builtin(chain string) bool
	// Policy is a built-in chain's policy and counters; ok is false for
	// a user chain or no chain.
	Policy(chain string) (policy string, packets, bytes uint64, ok bool)
	// References counts the rules that jump to chain.
	References(chain string) (int, error)
	// EachRule calls fn with chain's rules in order, without copying:
	// r.Entry is valid only during the call, and fn must not call the
	// table. The first error fn returns ends the walk.
	EachRule(chain string, fn func(r Rule) error) error
	// Rules returns chain's rules, copied.
	Rules(chain string) ([]Rule, error)
	// ReadCounter returns the counters of rule num (1 is first).
	ReadCounter(chain string, num int) (packets, bytes uint64, err error)

	Append(chain string, entry []byte) error
	Insert(chain string, entry []byte, num int) error
	Replace(chain string, entry []byte, num int) error
	// Check and Delete find the first rule equal to entry as iptables
	// -C and -D compare rules (mask: the bytes of entry that count, as
	// pkg/ext builds it; a backend may compare its own way).
	Check(chain string, entry, mask []byte) error
	Delete(chain string, entry, mask []byte) error
	DeleteNum(chain string, num int) error
	Flush(chain string) error
	// Zero zeroes the counters of chain's rules and policy.
	Zero(chain string) error
	// ZeroCounter and SetCounter change rule num's counters (1 is first).
	ZeroCounter(chain string, num int) error
	SetCounter(chain string, num int, packets, bytes uint64) error
	CreateChain(chain string) error
	DeleteChain(chain string) error
	RenameChain(old, newName string) error
	// SetPolicy sets a built-in chain's policy, and its counters when
	// counters is not nil.
	SetPolicy(chain, policy string, counters *[2]uint64) error

	// Commit sends the changes to the kernel, atomically, and frees the
	// table, whether it succeeds or not. See the package documentation
	// for what a conflict with another writer returns.
	Commit() error
	// Close frees the table without committing.
	Close()
}

// Rule is a rule as a Table holds it: its entry, and its target as
// iptables names it (a verdict, a chain, or the target extension's name).
type Rule struct {
	Entry  []byte
	Target string
	// IsChain: Target is a chain the rule jumps to. A backend that
	// reads it off the rule sets it (nf_tables); one that does not
	// (legacy) leaves callers to ask Table.IsChain.
	IsChain bool
}

// Dumper is a Table that can print its whole state as iptables -vv does
// after a command (libiptc's dump_entries).
type Dumper interface {
	DumpEntries() string
}
