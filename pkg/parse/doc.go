// SPDX-License-Identifier: GPL-2.0-or-later

// Package parse reads iptables' command line grammar into a Command.
//
// The grammar is getopt_long's with iptables' own rules on top: options of
// an extension exist only after -m, -j or an implicit -p loads it, they
// are parsed in order by the extension itself, and `!` inverts what follows.
// The package is pure Go: it asks an Extensions implementation for option
// tables and parsing, so it is tested and fuzzed without libxtables.
//
// CoreOptions is the one table of iptables' own options, which the parser,
// iptables -h, shell completion and the manual page read. The package also
// holds what the other applets share with iptables' parser: the tokenizer
// of iptables-restore's lines (SplitWords and its variants, Quote), its
// line reader and counters, -w/-W's arguments (ParseWaitTime,
// ParseWaitInterval), and getopt_long itself (NewGetopt).
package parse
