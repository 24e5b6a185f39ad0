// SPDX-License-Identifier: GPL-2.0-or-later

// Package iptc reads and changes the kernel's iptables tables from Go,
// for IPv4 (iptables) and IPv6 (ip6tables), with the system's libxtables
// for the extensions, as python-iptables does for Python.
//
// # Layers
//
// A Table works through a kernel backend (package backend): one table of
// one family in memory, raw kernel entries, one commit. Options.Backend
// chooses it; the default is iptables-legacy's libiptc (package legacy).
// On it:
//
//   - Table, Chain, Rule, Match and Target are the object model of
//     python-iptables (iptc.Table, iptc.Chain, iptc.Rule, ...).
//   - EasyRule and the functions AppendRule, DeleteRule, DumpTable,
//     FlushAll, ZeroAll, ValidateRule, ... are python-iptables' iptc.easy:
//     rules as plain data (and JSON), one call per change; Batch makes
//     many changes in one commit.
//   - AcquireLock is the xtables lock that iptables takes, with iptables'
//     messages and exit status, for command line tools.
//
// # Rules
//
// A Rule holds what iptables' command line says: addresses (-s, -d),
// interfaces (-i, -o), protocol (-p) and fragment (-f), each with its "!",
// the matches (-m NAME --option value ...) and the target (-j or -g NAME
// --option value ...):
//
//	r := iptc.NewRule()
//	r.Src = "192.168.1.0/24"
//	r.Protocol = "tcp"
//	r.CreateMatch("tcp").Set("dport", "22")
//	r.CreateTarget("ACCEPT")
//
// Match and target options are words, as a user writes them; Set takes them
// the python-iptables way (m.Set("src_range", "!10.0.0.1-10.0.0.9")). The
// kernel entry is built exactly as iptables builds it, by handing each
// option to the extension's own parser in libxtables, and checked by the
// extensions' final checks. Rules read from the kernel are decoded the
// other way round, through the extensions' save functions: their options
// are what iptables-save prints. Decoding and building again gives the same
// entry, so a rule read from the kernel can be deleted or looked for by
// specification (Chain.DeleteRule, Chain.HasRule), which compare rules as
// iptables -D and -C do.
//
// Equality is the kernel's: EqualRules, EqualMatches and EqualTargets
// (python's == on rules, matches and targets) build both sides and compare
// them as iptables -C does, so options count as the extensions save them
// (--dport ssh is --dport 22). An option that takes no argument (--syn,
// --random) is set whatever its value ("", "1", "true"), as in
// python-iptables. Table.ValidateRule, and the easy ValidateRule,
// ValidateMatch and ValidateTarget (python's test_rule, test_match,
// test_target), build without changing anything, and tell a target
// that names no chain of the table (ACCPET) from a jump to one.
//
// # Rule indexes and positions
//
// Chain's methods name a rule by index, counting from 0: Chain.Rule(i) is
// Chain.Rules()[i], and Chain.InsertRule(r, 0) inserts first. The easy
// functions name it by position, counting from 1 as iptables does:
// GetRule(..., 1) is the first rule, and AddRule(..., 1) inserts first,
// as iptables -I CHAIN 1 does. Each follows the python-iptables API it
// mirrors (chain.rules[i] and chain.insert_rule(rule, i); iptc.easy's
// add_rule and get_rule), so that code ported from Python keeps its
// numbers, and Go code that indexes the slice from Rules gets the rule it
// indexed: one numbering for both would break one or the other. The
// parameters say which (index or position), and one outside the chain
// fails with a *RangeError that names the numbering and the valid range:
//
//	iptc: rule index 3 out of range: chain INPUT has 3 rule(s), indexes 0 to 2
//	iptc: rule position 0 out of range: chain INPUT has 3 rule(s), positions 1 to 3; -1 is the last
//
// # Transactions, locking, conflicts
//
// A Table's changes accumulate in its backend's copy of the table and
// reach the kernel in one call on Commit (iptables-restore does the same);
// the first change opens the transaction: it takes the xtables lock and
// reads the table again. Options.Autocommit commits every change at once
// instead, as python-iptables does by default. Rollback drops the changes
// of a transaction; Close and Refresh drop them too, but report it with a
// *DiscardedError (errors.Is(err, ErrDiscarded)), so that changes are
// never lost without a word. A commit that finds the kernel's table
// changed since it was read fails with ErrTableChanged (a *ConflictError),
// or, with Options.RetryOnConflict, reads the table again, makes the
// transaction's changes again and commits them.
//
// Tables are safe for concurrent use, and both families can be used at the
// same time from many goroutines. A Table stays in the network namespace it
// was opened in.
//
// # Errors
//
// The backend's failures are *Error (backend.Error), with its message
// (what iptables prints after "iptables: ") and errno. Problems in a rule are
// *parse.Error values with the message iptables prints and its exit status
// (parse.Status). errors.Is works with ErrNoChain, ErrNoRule, ErrNotBuiltin,
// ErrClosed, ErrDiscarded, ErrTableChanged, ErrLockBusy, ErrLockOpen and
// syscall errnos.
//
// # Differences from python-iptables
//
// Tables and Chains are not cached: each Open gives a Table of its own
// (a Table is a transaction: sharing one would share its changes and
// lock), and Table.Chain a new Chain value naming the chain. Transactions
// are explicit by default (Options.Autocommit restores python-iptables'
// behaviour); a Table closed with uncommitted changes says so
// (DiscardedError). Equality needs a family (and for matches and targets
// the rule's protocol), since it builds both sides; the validation
// functions return the reason, not a bool, and run the extensions' final
// checks, which python's test_match and test_target do not.
// GetRulePosition counts from 1 like the rest of the easy API, where
// python's get_rule_position counts from 0; GetRule(..., 0) fails where
// python's get_rule returns the chain (DumpChain does).
// Negations are Inv fields of Rule and Invert of Param; the setters
// (Rule.SetSrc, Match.Set, ...) and EasyRule also take python's leading
// "!". Rule.Src of a rule read from the kernel is "" for any address, not
// "0.0.0.0/0.0.0.0".
//
// Everything that touches the kernel needs CAP_NET_ADMIN (root).
package iptc
