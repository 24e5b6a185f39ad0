// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import (
	"fmt"
	"io"
	"strings"
)

// LongOpt is one entry of a getopt_long option table.
type LongOpt struct {
	Name   string
	HasArg int // 0 none, 1 required, 2 optional
	Val    int
}

// getopt is GNU getopt_long in RETURN_IN_ORDER mode with a leading ':' in
// the option string and opterr = 0, which is how iptables calls it: words
// that are not options come back as 1, a missing argument as ':', anything
// unknown or ambiguous as '?'.
type getopt struct {
	argv     []string
	optstr   string // without the leading "-:"
	optind   int
	optarg   string
	hasArg   bool // optarg is set (getopt's optarg != NULL)
	optopt   int
	nextchar string

	// warn, when set, prints glibc's messages (opterr = 1).
	warn func(format string, args ...any)

	// exact, when set, is the index of each name's first option in the
	// long table next is given (an exact match wins, as in glibc's first
	// pass): a map lookup instead of a scan for most long options.
	exact map[string]int
}

// exactIndex maps each name of long to the index of its first option.
func exactIndex(long []LongOpt) map[string]int {
	m := make(map[string]int, len(long))
	for i := len(long) - 1; i >= 0; i-- {
		m[long[i].Name] = i
	}
	return m
}

func newGetopt(argv []string, optstr string) *getopt {
	return &getopt{argv: argv, optstr: strings.TrimLeft(optstr, "-:"), optind: 1}
}

func (g *getopt) next(long []LongOpt) int {
	g.optarg, g.hasArg = "", false
	if g.nextchar == "" {
		if g.optind >= len(g.argv) {
			return -1
		}
		arg := g.argv[g.optind]
		if arg == "--" {
			g.optind++
			return -1
		}
		if len(arg) < 2 || arg[0] != '-' {
			g.optarg, g.hasArg = arg, true
			g.optind++
			return 1
		}
		if arg[1] == '-' {
			return g.long(arg[2:], long)
		}
		g.nextchar = arg[1:]
	}
	return g.short()
}

// matchLong finds name in long as glibc's getopt_long does: an exact
// match, else the one option name abbreviates; ambiguous when it
// abbreviates options that differ.
func matchLong(name string, long []LongOpt) (found *LongOpt, ambiguous bool) {
	for i := range long {
		o := &long[i]
		if !strings.HasPrefix(o.Name, name) {
			continue
		}
		if len(o.Name) == len(name) {
			return o, false
		}
		if found == nil {
			found = o
		} else if found.HasArg != o.HasArg || found.Val != o.Val {
			ambiguous = true
		}
	}
	return found, ambiguous
}

func (g *getopt) long(word string, long []LongOpt) int {
	name, value, hasValue := strings.Cut(word, "=")
	var found *LongOpt
	ambiguous := false
	if i, ok := g.exact[name]; ok {
		found = &long[i]
	} else {
		found, ambiguous = matchLong(name, long)
	}
	g.optind++
	if ambiguous {
		if g.warn != nil {
			msg := ""
			for _, o := range long {
				if strings.HasPrefix(o.Name, name) {
					msg += " '--" + o.Name + "'"
				}
			}
			g.warn("%s: option '--%s' is ambiguous; possibilities:%s\n", g.argv[0], name, msg)
		}
		g.optopt = 0
		return '?'
	}
	if found == nil {
		if g.warn != nil {
			g.warn("%s: unrecognized option '--%s'\n", g.argv[0], name)
		}
		g.optopt = 0
		return '?'
	}
	switch {
	case hasValue:
		if found.HasArg == 0 {
			if g.warn != nil {
				g.warn("%s: option '--%s' doesn't allow an argument\n", g.argv[0], found.Name)
			}
			g.optopt = found.Val
			return '?'
		}
		g.optarg, g.hasArg = value, true
	case found.HasArg == 1:
		if g.optind >= len(g.argv) {
			if g.warn != nil {
				g.warn("%s: option '--%s' requires an argument\n", g.argv[0], found.Name)
				g.optopt = found.Val
				return '?'
			}
			g.optopt = found.Val
			return ':'
		}
		g.optarg, g.hasArg = g.argv[g.optind], true
		g.optind++
	}
	return found.Val
}

func (g *getopt) short() int {
	c := g.nextchar[0]
	g.nextchar = g.nextchar[1:]
	i := strings.IndexByte(g.optstr, c)
	if g.nextchar == "" {
		g.optind++
	}
	if i < 0 || c == ':' || c == ';' {
		if g.warn != nil {
			g.warn("%s: invalid option -- '%c'\n", g.argv[0], c)
		}
		g.optopt = int(c)
		return '?'
	}
	spec := g.optstr[i+1:]
	if strings.HasPrefix(spec, ":") {
		if strings.HasPrefix(spec, "::") {
			if g.nextchar != "" {
				g.optarg, g.hasArg = g.nextchar, true
				g.optind++
			}
		} else if g.nextchar != "" {
			g.optarg, g.hasArg = g.nextchar, true
			g.optind++
		} else if g.optind >= len(g.argv) {
			g.optopt = int(c)
			g.nextchar = ""
			if g.warn != nil {
				g.warn("%s: option requires an argument -- '%c'\n", g.argv[0], c)
				return '?'
			}
			return ':'
		} else {
			g.optarg, g.hasArg = g.argv[g.optind], true
			g.optind++
		}
		g.nextchar = ""
	}
	return int(c)
}

// Getopt is getopt_long for the other applets (-save, -restore): words
// that are not options come back as 1 with Arg set; '?' and ':' report
// unknown options and missing arguments.
type Getopt struct{ g *getopt }

// NewGetopt reads argv (argv[0] is the program) with a short option
// string such as "bcdt:M:f:V". With stderr set, errors are reported there
// in glibc's words, as getopt does with opterr set.
func NewGetopt(argv []string, optstring string, stderr io.Writer) *Getopt {
	g := newGetopt(argv, optstring)
	if stderr != nil {
		g.warn = func(format string, args ...any) { fmt.Fprintf(stderr, format, args...) }
	}
	return &Getopt{g: g}
}

// Next returns the next option, -1 at the end.
func (g *Getopt) Next(long []LongOpt) (c int, arg string, hasArg bool) {
	c = g.g.next(long)
	return c, g.g.optarg, g.g.hasArg
}

// Optind is the index of the next word.
func (g *Getopt) Optind() int { return g.g.optind }

// Skip steps over the next word (an option's argument taken by hand).
func (g *Getopt) Skip() { g.g.optind++ }
