// SPDX-License-Identifier: GPL-2.0-or-later

// Package iptables is iptables' main under goipt's applets: it parses a
// command line with pkg/parse, builds the rule with pkg/ext and applies it
// to a table of a kernel backend (pkg/backend), printing what iptables
// prints (-L, -S, save) and reporting errors in iptables' words and exit
// statuses (Report). Execute is the one lock -> run -> commit -> retry
// loop; the iptables applets, iptables-restore and pkg/goiptables share it.
package iptables
