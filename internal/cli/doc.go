// SPDX-License-Identifier: GPL-2.0-or-later

// Package cli is the goipt command: a multi-call binary whose applets
// (iptables, ip6tables, their -save and -restore) take raw arguments as
// iptables-legacy does, plus a cobra tree for help, version and shell
// completion.
package cli
