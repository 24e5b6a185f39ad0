// SPDX-License-Identifier: GPL-2.0-or-later

// Package legacy is the iptables-legacy backend: the kernel's x_tables
// tables through the system's libiptc (libip4tc, libip6tc), as
// iptables-legacy reads and replaces them. Backend and Table implement
// package backend's interfaces.
//
// A Table is libiptc's handle: the whole table copied out of the kernel
// when opened (IPT_SO_GET_ENTRIES), changed in memory, and replaced in one
// call on Commit (IPT_SO_SET_REPLACE), after which the old rules' counters
// are added back (IPT_SO_SET_ADD_COUNTERS). libiptc's globals are guarded
// by one process-wide mutex.
//
// # setsockopt
//
// The package defines setsockopt for the whole process, in front of libc's,
// to watch libiptc's commits: it records that a table replacement went in
// (so that a commit whose counters could not be added back afterwards is
// backend.ErrCountersNotRestored, not a failure), and it does not send a
// SO_SET_ADD_COUNTERS whose counters are all zero (libiptc sends one after
// every replacement; adding zeros changes nothing, and the kernel walks
// the whole table for it). Every other call goes to the kernel unchanged.
package legacy
