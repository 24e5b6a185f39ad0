// SPDX-License-Identifier: GPL-2.0-or-later

// Package ipt runs iptables and ip6tables commands: it parses a command
// line with pkg/parse, builds the rule with pkg/ext and applies it to a
// libiptc handle from pkg/iptc, printing what iptables-legacy prints. The
// iptables applets and iptables-restore share it.
package ipt
