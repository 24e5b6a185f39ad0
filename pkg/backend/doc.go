// SPDX-License-Identifier: GPL-2.0-or-later

// Package backend is the seam between goipt's code above the kernel and
// the kernel API it speaks: iptables-legacy's x_tables (package legacy,
// through libiptc) or nf_tables.
//
//	argv, restore text ──► pkg/parse ──► parse.Command ──► pkg/ext (libxtables)
//	                                                          │ x_tables entries
//	                                                          ▼
//	  command runner (internal/iptables), printers (-L, -S, save), restore,
//	  --json, restore --plan, pkg/iptc (Table, Chain, Rule, easy API),
//	  pkg/goiptables
//	                                                          │ backend.Table
//	                                                          ▼
//	               legacy (libiptc: getsockopt/setsockopt)   nf_tables
//	                                                          │
//	                                                          ▼
//	                                                        kernel
//
// Everything above reaches the kernel through Backend and Table, and
// nothing else: a second backend is a second implementation of these two
// interfaces, not a second copy of the command.
//
// # The rule model
//
// A rule is an x_tables entry: struct ipt_entry (IPv4) or ip6t_entry
// (IPv6), its match blobs and its target blob, laid out as the kernel
// headers say (ext.Layout) and as libxtables builds and prints them
// (pkg/ext). A backend that keeps rules in another form (nf_tables
// expressions) translates, both ways, so that what is built is what is
// read back: an entry appended and then read gives the same entry, with
// the backend's counters.
//
// # Contract
//
// A Table is one table of one family, read from the kernel (all of it
// when opened, for legacy; as it is used, for nf_tables, which reads what
// iptables-nft reads for the same command), with the changes made since. It is not safe for concurrent use: one
// goroutine at a time (pkg/iptc adds locking). It works in the network
// namespace of the thread that opened it, whichever thread calls it later.
//
// Reading. Chains lists the built-in chains first, in hook order
// (PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING, those the table has:
// for nf_tables, those the kernel has, and after Lister.PrepareList those
// iptables-nft lists without making them), then the user chains in the
// order iptables lists them (sorted by name). IsChain is true for a
// built-in chain's name under nf_tables even where the kernel lacks it
// (iptables-nft makes it on first use). Rules are in chain order. Rule numbers count from 0, except
// where a method says 1 (ReadCounter, ZeroCounter, SetCounter: libiptc's
// numbering, which iptables -Z CHAIN N passes on). What a Table returns
// reflects its own changes, committed or not.
//
// Changing. Every change applies to the Table in memory only and fails
// there, with an *Error (a missing chain: ENOENT; a rule number out of
// range: E2BIG; a chain that exists: EEXIST; ...), without touching the
// kernel; what only the kernel can refuse fails at Commit. Check and
// Delete find the first rule equal to the entry given as iptables -C and
// -D compare rules: byte for byte under the mask pkg/ext builds, for
// legacy; as iptables-nft compares them, for nf_tables, which reads each
// extension's userspacesize off the same mask. EachRule's fn must not
// call the table.
//
// Commit. Commit sends every change to the kernel at once and frees the
// Table, successful or not: the kernel then holds either the old table or
// the new one, never a mix, and never half a change. A nf_tables Table
// commits its transaction (pkg/nft's Txn, whose tables commit together),
// with the generation its reads were made at, even when nothing changed:
// a command that only read then learns whether it read one generation.
// When another writer changed the kernel's table (for nf_tables: the
// ruleset) after it was read, the commit changes nothing
// and fails with an *Error whose errno is EAGAIN:
// errors.Is(err, ErrTableChanged) is true, and the caller may open the
// table again, make its changes again and commit (internal/iptables.Execute
// does, as pkg/iptc does with Options.RetryOnConflict). A legacy commit
// that replaced the table but could not add the old rules' counters back
// fails with ErrCountersNotRestored: its changes are in, do not re-apply
// them. Any other failure is an *Error with the backend's message; one
// with Status set is reported as iptables-nft reports the operations the
// kernel refused ("iptables v1.8.9 (nf_tables):  CHAIN_DEL failed
// (Device or resource busy): chain INPUT", exit status 4).
//
// Counters. Rules that were in the table keep the kernel's counters
// across a commit; an appended, inserted or replacing rule starts with the
// counters of its entry (iptables-restore -c sets them, zero otherwise);
// Zero, ZeroCounter and SetCounter change them. Built-in chains keep their
// policy counters unless SetPolicy is given counters or Zero zeroes them;
// under nf_tables SetPolicy without counters zeroes them, as iptables-nft
// -P does.
//
// Optional interfaces (optional.go). Where iptables-nft runs a command
// otherwise than iptables-legacy, its Table says so: Extras (what a rule
// is beyond its entry: a jump to a chain, the whole NFLOG prefix),
// Reporter (what -v prints, when it prints it), AllChains (-F, -Z, -X of
// every chain), Lister (before -L and -S). A caller that finds none runs
// the command as iptables-legacy does.
//
// Messages. An *Error's Msg is what the backend's iptables prints after
// "iptables: " (libiptc's iptc_strerror, iptables-nft's nft_strerror),
// and StrError gives that message for an errno without a failed call.
package backend
