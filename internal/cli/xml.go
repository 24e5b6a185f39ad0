// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/goipt/goipt/internal/iptables"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

// iptables-xml converts iptables-save output to XML, byte for byte as
// iptables 1.8.11's iptables-xml does, including its quirks: a chain line
// without counters keeps the previous chain line's counters, hyphens in
// comments come out as "*-", a rule before any chain line lands in the
// chain that is open, and so on.

const (
	xmlProg        = "iptables-xml"
	xmlMaxChains   = 10240 // chains per table
	xmlMaxNameLen  = 32    // XT_TABLE_MAXNAMELEN, also used for chains
	xmlIndentMatch = "        "
	xmlIndentOpt   = "          "
)

// xmlOpts is iptables-xml's getopt_long table.
var xmlOpts = []xmlLongOpt{{"verbose", 'v'}, {"combine", 'c'}, {"help", 'h'}}

type xmlLongOpt struct {
	name string
	val  byte
}

type xmlChain struct {
	name, policy string
	pcnt, bcnt   uint64
	created      bool
}

// xmlExit ends the conversion with an exit status; its message (if any)
// has been printed.
type xmlExit int

func (e xmlExit) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

type xmlConv struct {
	out     *bufio.Writer
	errw    io.Writer
	verbose bool
	combine bool

	line          int
	closingAction string
	closingRule   string
	curTable      string
	curChain      string
	chains        []xmlChain
	pcnt, bcnt    uint64 // the chain counters, kept from line to line
	lastRule      []parse.Word
}

func xmlMain(_ ext.Family, args []string, stdout, stderr io.Writer) int {
	return xmlRun(args, os.Stdin, stdout, stderr)
}

// xmlRun is iptables-xml reading stdin when no file is named.
func xmlRun(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	out := bufio.NewWriterSize(stdout, 64<<10)
	defer out.Flush()
	c := &xmlConv{out: out, errw: stderr}
	operands, rc, exit := c.options(args)
	if exit {
		return rc
	}
	in := stdin
	switch {
	case len(operands) == 1:
		f, err := os.Open(operands[0])
		if err != nil {
			errno := unix.EINVAL
			var e unix.Errno
			if errors.As(err, &e) {
				errno = e
			}
			fmt.Fprintf(stderr, "Can't open %s: %s", operands[0], ext.Strerror(errno))
			return 1
		}
		defer f.Close()
		in = f
	case len(operands) > 1:
		fmt.Fprintf(stderr, "Unknown arguments found on commandline")
		return 1
	}
	if err := c.convert(in); err != nil {
		var e xmlExit
		if errors.As(err, &e) {
			return int(e)
		}
		fmt.Fprintf(stderr, "%s: %v\n", xmlProg, err)
		return 1
	}
	return 0
}

// options is glibc's getopt_long(argc, argv, "cvh", ...) with its error
// messages (opterr is on) and argument permutation; it returns the
// operands in order.
func (c *xmlConv) options(args []string) (operands []string, rc int, exit bool) {
	prog := args[0]
	posix := os.Getenv("POSIXLY_CORRECT") != ""
	handle := func(v byte) bool {
		switch v {
		case 'c':
			c.combine = true
		case 'v':
			c.out.WriteString("xptables-xml\n")
			c.verbose = true
		case 'h':
			fmt.Fprintf(c.errw, "Usage: %s [-c] [-v] [-h]\n"+
				"          [--combine ]\n"+
				"\t   [ --verbose ]\n"+
				"\t   [ --help ]\n", xmlProg)
			return true
		}
		return false
	}
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return append(operands, args[i+1:]...), 0, false
		case len(a) < 2 || a[0] != '-':
			if posix {
				return append(operands, args[i:]...), 0, false
			}
			operands = append(operands, a)
		case a[1] == '-':
			if v, ok := c.longOption(prog, a[2:]); ok && handle(v) {
				return nil, 1, true
			}
		default:
			for _, ch := range []byte(a[1:]) {
				if ch != 'c' && ch != 'v' && ch != 'h' {
					fmt.Fprintf(c.errw, "%s: invalid option -- '%c'\n", prog, ch)
					continue
				}
				if handle(ch) {
					return nil, 1, true
				}
			}
		}
	}
	return operands, 0, false
}

func (c *xmlConv) longOption(prog, word string) (byte, bool) {
	name, _, hasValue := strings.Cut(word, "=")
	var found []int
	for i, o := range xmlOpts {
		if o.name == name {
			found = []int{i}
			break
		}
		if strings.HasPrefix(o.name, name) {
			found = append(found, i)
		}
	}
	switch {
	case len(found) == 0:
		fmt.Fprintf(c.errw, "%s: unrecognized option '--%s'\n", prog, word)
		return 0, false
	case len(found) > 1:
		fmt.Fprintf(c.errw, "%s: option '--%s' is ambiguous; possibilities:", prog, word)
		for _, i := range found {
			fmt.Fprintf(c.errw, " '--%s'", xmlOpts[i].name)
		}
		fmt.Fprintln(c.errw)
		return 0, false
	case hasValue:
		fmt.Fprintf(c.errw, "%s: option '--%s' doesn't allow an argument\n", prog, xmlOpts[found[0]].name)
		return 0, false
	}
	return xmlOpts[found[0]].val, true
}

// fail is xtables_error(PARAMETER_PROBLEM, ...) with iptables-xml's globals.
// Like iptables-xml (whose stdout is buffered), the XML written so far
// comes out when the program exits, after the message.
func (c *xmlConv) fail(format string, args ...any) error {
	fmt.Fprintf(c.errw, "%s v%s: %s\n", xmlProg, iptables.Version, fmt.Sprintf(format, args...))
	fmt.Fprintf(c.errw, "Error occurred at line: %d\n", c.line)
	fmt.Fprintf(c.errw, "Try `%s -h' or '%s --help' for more information.\n", xmlProg, xmlProg)
	return xmlExit(parse.ParameterProblem)
}

// die prints a message of iptables-xml's own and exits with status 1.
func (c *xmlConv) die(format string, args ...any) error {
	fmt.Fprintf(c.errw, format, args...)
	return xmlExit(1)
}
