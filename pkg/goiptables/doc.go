// SPDX-License-Identifier: GPL-2.0-or-later

// Package goiptables is a drop-in for github.com/coreos/go-iptables/iptables
// that does not run iptables: every method builds the command line
// go-iptables would run ("-t filter -A INPUT ... --wait") and runs it
// through goipt's own iptables engine in-process (internal/iptables on a libiptc
// handle from pkg/iptc, with libxtables through pkg/ext), taking the
// xtables lock and committing as iptables-legacy does. A program switches
// by changing one import:
//
//	import "github.com/coreos/go-iptables/iptables"
//
// becomes
//
//	import iptables "github.com/goipt/goipt/pkg/goiptables"
//
// The package exports exactly what go-iptables v0.8.0 exports (IPTables,
// New, NewWithProtocol, IPFamily, Timeout, Path, Protocol, ProtocolIPv4,
// ProtocolIPv6, Error, Stat, Unlocker and every method), with the same rule
// strings (what iptables -S prints), the same exit statuses and the same
// error texts: a failure is an *Error whose ExitStatus is the status
// iptables would have exited with and whose message is what it would have
// printed on stderr, so that IsNotExist and the checks of exit status 1
// that go-iptables makes (Exists, ClearChain, ChainExists) behave the same.
//
// Differences, all because nothing is executed:
//
//   - The rules go to the legacy (x_tables) kernel tables, always: New does
//     not look at the iptables binary, GetIptablesVersion is the version
//     goipt behaves as (1.8.11), and Path only names the command in error
//     messages ("running [PATH -t filter ...]"); it is not looked up.
//   - An *Error's embedded exec.ExitError has a ProcessState that says the
//     process exited with ExitStatus (Sys() is a syscall.WaitStatus, as
//     ExitStatus and callers expect), but there was no process: its Pid
//     is 0 and its resource usage zero.
//   - ListById of a rule number past the end of the chain returns an error
//     (go-iptables indexes an empty list and panics).
//   - A commit that fails because another writer changed the table since
//     it was read (one that does not take the xtables lock) is retried on
//     a fresh read, as goipt's iptables does (up to cli.CommitAttempts
//     times), where iptables-legacy gives up with exit status 4.
//
// The calls run in the network namespace of the calling goroutine's
// thread, as the iptables that go-iptables starts would. Methods may be
// called from many goroutines; they are serialized, as iptables commands
// are by the xtables lock ($XTABLES_LOCKFILE, else /run/xtables.lock),
// which each call takes like iptables -w (waiting for as long as Timeout
// says, forever by default).
package goiptables
