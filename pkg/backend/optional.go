// SPDX-License-Identifier: GPL-2.0-or-later

package backend

// Optional interfaces: what a Table may offer beyond Table, for a backend
// whose iptables runs some commands its own way (nf_tables: iptables-nft
// differs from iptables-legacy in what -v prints and when, in -F, -Z and
// -X without a chain, and around -L and -S). A caller that finds none of
// them runs the command as iptables-legacy does.

// Extras is what iptables knows of a rule beyond its entry, which a
// backend that does not keep x_tables entries needs to write it as its
// iptables does (nf_tables).
type Extras struct {
	// Jump: the target is a jump (or goto) to a chain of that name, as
	// iptables decided when it parsed -j or -g; not an extension.
	Jump bool
	// TargetUserData is what the target extension kept beside its info
	// (libxtables' udata: NFLOG's whole --nflog-prefix, up to 127 bytes,
	// where the info holds 63), nil if nothing.
	TargetUserData []byte
}

// ExtrasSetter is a Table that takes Extras: they apply to the entries of
// the calls that follow (Append, Insert, Replace, Check, Delete), until
// the next SetExtras.
type ExtrasSetter interface {
	SetExtras(Extras)
}

// Reporter is a Table that reports what it does as its iptables prints
// it under -v, at the moment it prints it: rule gets each rule added,
// replaced, deleted or found by Check (as read back), chain each chain
// flushed, zeroed or deleted with the
// verb iptables prints ("Flushing", "Zeroing", "Deleting"). nil turns a
// report off. A caller that sets them prints nothing of its own for -v.
type Reporter interface {
	SetReport(rule func(r Rule) error, chain func(verb, chain string))
}

// AllChains is a Table whose -F, -Z and -X without a chain are not the
// same operation repeated on every chain (nf_tables: one flush of the
// whole table, built-in chains deleted along with user chains when they
// are empty, ...).
type AllChains interface {
	FlushAll() error
	ZeroAll() error
	DeleteAll() error
}

// Lister is a Table that readies itself for -L and -S of chain (""
// for every chain) before they list anything: note is what to print on
// stdout first, err a refusal to list (a table the backend's iptables
// cannot represent).
type Lister interface {
	PrepareList(chain string) (note string, err error)
}
