// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/goipt/goipt/internal/ipt"
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
	xmlLineBuf     = 10240 // fgets buffer: longer lines are read in pieces
	xmlParamBuf    = 1024  // longest word of a rule, with its NUL
	xmlMaxArgc     = 255   // MAX_ARGC: at most 254 words per rule
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

// xmlArg is one word of a rule; quoted tells it was (at least partly)
// written in double quotes and not the last word of the line.
type xmlArg struct {
	s      string
	quoted bool
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

	line        int
	closeAction string
	closeRule   string
	curTable    string
	curChain    string
	chains      []xmlChain
	pcnt, bcnt  uint64 // the chain counters, kept from line to line
	lastRule    []xmlArg
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
	fmt.Fprintf(c.errw, "%s v%s: %s\n", xmlProg, ipt.Version, fmt.Sprintf(format, args...))
	fmt.Fprintf(c.errw, "Error occurred at line: %d\n", c.line)
	fmt.Fprintf(c.errw, "Try `%s -h' or '%s --help' for more information.\n", xmlProg, xmlProg)
	return xmlExit(ext.ParameterProblem)
}

// die prints a message of iptables-xml's own and exits with status 1.
func (c *xmlConv) die(format string, args ...any) error {
	fmt.Fprintf(c.errw, format, args...)
	return xmlExit(1)
}

// readLine is fgets with a 10240-byte buffer, seen as a C string.
func readLine(r *bufio.Reader) ([]byte, bool) {
	var buf []byte
	for len(buf) < xmlLineBuf-1 {
		b, err := r.ReadByte()
		if err != nil {
			break
		}
		buf = append(buf, b)
		if b == '\n' {
			break
		}
	}
	if len(buf) == 0 {
		return nil, false
	}
	if i := bytes.IndexByte(buf, 0); i >= 0 {
		buf = buf[:i+1]
	} else {
		buf = append(buf, 0)
	}
	return buf, true
}

// cstr is the C string at b[i:].
func cstr(b []byte, i int) string {
	if i >= len(b) {
		return ""
	}
	if j := bytes.IndexByte(b[i:], 0); j >= 0 {
		return string(b[i : i+j])
	}
	return string(b[i:])
}

// strtok is C's strtok over a NUL-terminated buffer.
type strtok struct {
	b   []byte
	pos int // -1: no more tokens
}

func (t *strtok) next(start int, delims string) (string, bool) {
	if start >= 0 {
		t.pos = start
	}
	if t.pos < 0 {
		return "", false
	}
	i := t.pos
	for t.b[i] != 0 && strings.IndexByte(delims, t.b[i]) >= 0 {
		i++
	}
	if t.b[i] == 0 {
		t.pos = -1
		return "", false
	}
	j := i
	for t.b[j] != 0 && strings.IndexByte(delims, t.b[j]) < 0 {
		j++
	}
	tok := string(t.b[i:j])
	if t.b[j] == 0 {
		t.pos = -1
	} else {
		t.b[j] = 0
		t.pos = j + 1
	}
	return tok, true
}

func (c *xmlConv) convert(r io.Reader) error {
	in := bufio.NewReaderSize(r, 64<<10)
	c.out.WriteString("<iptables-rules version=\"1.0\">\n")
	for {
		buf, ok := readLine(in)
		if !ok {
			break
		}
		c.line++
		if buf[0] == '\n' {
			continue
		}
		if buf[0] == '#' {
			c.comment(cstr(buf, 0))
			continue
		}
		if c.verbose {
			fmt.Fprintf(c.out, "<!-- line %d ", c.line)
			c.commentEscape(cstr(buf, 0))
			c.out.WriteString(" -->\n")
		}
		handled := false
		switch {
		case cstr(buf, 0) == "COMMIT\n" && c.curTable != "":
			c.closeTable()
			handled = true
		case buf[0] == '*':
			t := strtok{b: buf}
			table, ok := t.next(1, " \t\n")
			if !ok {
				return c.fail("%s: line %d table name invalid", xmlProg, c.line)
			}
			c.openTable(table)
			handled = true
		case buf[0] == ':' && c.curTable != "":
			t := strtok{b: buf}
			chain, ok := t.next(1, " \t\n")
			if !ok {
				return c.fail("%s: line %d chain name invalid", xmlProg, c.line)
			}
			policy, ok := t.next(-1, " \t\n")
			if !ok {
				return c.fail("%s: line %d policy invalid", xmlProg, c.line)
			}
			if ctrs, ok := t.next(-1, " \t\n"); ok {
				c.scanCounters(ctrs)
			}
			if len(c.chains) >= xmlMaxChains {
				return c.fail("%s: line %d chain name invalid", xmlProg, c.line)
			}
			c.chains = append(c.chains, xmlChain{name: chain, policy: policy, pcnt: c.pcnt, bcnt: c.bcnt})
			handled = true
		case c.curTable != "":
			if err := c.rule(buf); err != nil {
				return err
			}
			handled = true
		}
		if !handled {
			return c.die("%s: line %d failed\n", xmlProg, c.line)
		}
	}
	if c.curTable != "" {
		return c.die("%s: COMMIT expected at line %d\n", xmlProg, c.line+1)
	}
	c.out.WriteString("</iptables-rules>\n")
	return nil
}

// scanCounters is sscanf(s, "[%llu:%llu]", &pcnt, &bcnt): each number that
// scans is stored, the rest keep their values.
func (c *xmlConv) scanCounters(s string) {
	pcnt, bcnt, n := parse.ScanCounters(s)
	if n >= 1 {
		c.pcnt = pcnt
	}
	if n == 2 {
		c.bcnt = bcnt
	}
}

func (c *xmlConv) encode(s string) {
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch >= 127:
			fmt.Fprintf(c.out, "&#%d;", ch)
		case ch == '&':
			c.out.WriteString("&amp;")
		case ch == '<':
			c.out.WriteString("&lt;")
		case ch == '>':
			c.out.WriteString("&gt;")
		case ch == '"':
			c.out.WriteString("&quot;")
		default:
			c.out.WriteByte(ch)
		}
	}
}

// commentEscape writes s for a comment: every hyphen gets a '*' before it
// (and every second one a space before that), a final newline goes.
func (c *xmlConv) commentEscape(s string) {
	hyphens := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '-' {
			hyphens++
			if hyphens >= 2 {
				hyphens = 0
				c.out.WriteByte(' ')
			}
			c.out.WriteByte('*')
		}
		if s[i] == '\n' && i == len(s)-1 {
			continue
		}
		c.out.WriteByte(s[i])
	}
}

func (c *xmlConv) comment(s string) {
	c.out.WriteString("<!-- ")
	c.commentEscape(s)
	c.out.WriteString(" -->\n")
}

func (c *xmlConv) attr(name, value string) {
	fmt.Fprintf(c.out, "%s=\"", name)
	c.encode(value)
	c.out.WriteString("\" ")
}

func truncName(s string) string {
	if len(s) > xmlMaxNameLen {
		return s[:xmlMaxNameLen]
	}
	return s
}

func (c *xmlConv) closeChain() {
	if c.curChain == "" {
		return
	}
	if c.closeAction != "" {
		c.out.WriteString(c.closeAction + "\n")
	}
	c.closeAction = ""
	if c.closeRule != "" {
		c.out.WriteString(c.closeRule + "\n")
	}
	c.closeRule = ""
	c.out.WriteString("    </chain>\n")
	c.curChain = ""
}

func (c *xmlConv) openChain(ch *xmlChain, empty bool) {
	c.closeChain()
	c.curChain = truncName(ch.name)
	c.out.WriteString("    <chain ")
	c.attr("name", c.curChain)
	if ch.policy != "-" {
		c.attr("policy", ch.policy)
	}
	fmt.Fprintf(c.out, "packet-count=\"%d\" byte-count=\"%d\" ", int64(ch.pcnt), int64(ch.bcnt))
	if empty {
		c.out.WriteByte('/')
		c.curChain = ""
	}
	c.out.WriteString(">\n")
}

func (c *xmlConv) existsChain(name string) bool {
	if c.curChain == name {
		return true
	}
	for _, ch := range c.chains {
		if ch.name == name {
			return true
		}
	}
	return false
}

func (c *xmlConv) needChain(name string) {
	if c.curChain == name {
		return
	}
	for i := range c.chains {
		if c.chains[i].name == name {
			c.openChain(&c.chains[i], false)
			c.chains[i].created = true
		}
	}
}

func (c *xmlConv) finishChains() {
	for i := range c.chains {
		if !c.chains[i].created {
			c.openChain(&c.chains[i], true)
		}
	}
	c.chains = nil
}

func (c *xmlConv) closeTable() {
	c.closeChain()
	c.finishChains()
	if c.curTable != "" {
		c.out.WriteString("  </table>\n")
	}
	c.curTable = ""
}

func (c *xmlConv) openTable(name string) {
	c.closeTable()
	c.curTable = truncName(name)
	c.out.WriteString("  <table ")
	c.attr("name", c.curTable)
	c.out.WriteString(">\n")
}

// rule handles a rule line: optional "[pcnt:bcnt]", then the words.
func (c *xmlConv) rule(buf []byte) error {
	start := 0
	var pcnt, bcnt *string
	if buf[0] == '[' {
		end := bytes.IndexByte(buf, ']')
		if nul := bytes.IndexByte(buf, 0); end < 0 || end > nul {
			return c.fail("Bad line %d: need ]", c.line)
		}
		t := strtok{b: buf}
		p, ok := t.next(1, ":")
		if !ok {
			return c.fail("Bad line %d: need :", c.line)
		}
		b, ok := t.next(-1, "]")
		if !ok {
			return c.fail("Bad line %d: need ]", c.line)
		}
		pcnt, bcnt = &p, &b
		start = end + 1
	}
	argv, err := c.words(cstr(buf, start))
	if err != nil {
		return err
	}
	chain := ""
	found := false
	for a := 1; a < len(argv); a++ {
		if argv[a-1].s == "-A" {
			chain, found = argv[a].s, true
			break
		}
	}
	if !found {
		return c.die("%s: line %d failed - no chain found\n", xmlProg, c.line)
	}
	c.needChain(chain)
	c.doRule(pcnt, bcnt, argv)
	c.lastRule = argv
	return nil
}

// words is add_param_to_argv: words split at blanks, double quotes group
// (and end a word), a backslash escapes inside quotes.
func (c *xmlConv) words(s string) ([]xmlArg, error) {
	var argv []xmlArg
	var param []byte
	quoteOpen, escaped, quoted := false, false, false
	add := func(w string, q bool) error {
		if len(argv)+1 >= xmlMaxArgc {
			return c.fail("Parser cannot handle more arguments")
		}
		argv = append(argv, xmlArg{w, q})
		return nil
	}
	addParam := func(ch byte) error {
		param = append(param, ch)
		if len(param) >= xmlParamBuf {
			return c.fail("Parameter too long!")
		}
		return nil
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if quoteOpen {
			switch {
			case escaped:
				if err := addParam(ch); err != nil {
					return nil, err
				}
				escaped = false
				continue
			case ch == '\\':
				escaped = true
				continue
			case ch == '"':
				quoteOpen = false
			default:
				if err := addParam(ch); err != nil {
					return nil, err
				}
				continue
			}
		} else if ch == '"' {
			quoteOpen, quoted = true, true
			continue
		}
		switch ch {
		case '"':
		case ' ', '\t', '\n':
			if len(param) == 0 {
				continue
			}
		default:
			if err := addParam(ch); err != nil {
				return nil, err
			}
			continue
		}
		if err := add(string(param), quoted); err != nil {
			return nil, err
		}
		param, quoted = param[:0], false
	}
	if len(param) > 0 {
		if err := add(string(param), false); err != nil {
			return nil, err
		}
	}
	return argv, nil
}

func isTargetWord(s string) bool {
	return s == "-j" || s == "--jump" || s == "-g" || s == "--goto"
}

func isTerminatingTarget(s string) bool {
	return s == "ACCEPT" || s == "DROP" || s == "QUEUE" || s == "RETURN"
}

// sameConditions tells whether argv has the same words as the previous
// rule up to both targets, and the previous one's target does not end
// the rule's processing.
func sameConditions(argv, old []xmlArg) bool {
	for i := 0; i < len(argv) && i < len(old); i++ {
		if isTargetWord(old[i].s) && isTargetWord(argv[i].s) {
			o := old[i].s
			if (o == "-j" || o == "--jump") && i+1 < len(old) && isTerminatingTarget(old[i+1].s) {
				return false
			}
			return o != "-g" && o != "--goto"
		}
		if old[i].s != argv[i].s {
			return false
		}
	}
	return false
}

func (c *xmlConv) doRule(pcnt, bcnt *string, argv []xmlArg) {
	if c.combine && len(argv) > 2 && !isTargetWord(argv[2].s) && sameConditions(argv, c.lastRule) {
		c.comment("Combine action from next rule")
	} else {
		if c.closeAction != "" {
			c.out.WriteString(c.closeAction + "\n")
			c.closeAction = ""
		}
		if c.closeRule != "" {
			c.out.WriteString(c.closeRule + "\n")
			c.closeRule = ""
		}
		c.out.WriteString("      <rule ")
		if pcnt != nil {
			c.attr("packet-count", *pcnt)
		}
		if bcnt != nil {
			c.attr("byte-count", *bcnt)
		}
		c.out.WriteString(">\n")
		c.closeRule = "      </rule>\n"
		if len(argv) >= 3 && !isTargetWord(argv[2].s) {
			c.out.WriteString("       <conditions>\n")
			c.rulePart(false, argv)
			c.out.WriteString("       </conditions>\n")
		}
	}
	if c.closeAction == "" {
		c.out.WriteString("       <actions>\n")
		c.closeAction = "       </actions>\n"
	}
	c.rulePart(true, argv)
}

// xmlLevel is an open element of a rule: level 1 a match, target, call or
// goto; level 2 an option.
type xmlLevel struct {
	tag  string
	open bool
}

// rulePart writes the conditions (words before the first target) or, with
// actions, the words from the first target on.
func (c *xmlConv) rulePart(actions bool, argv []xmlArg) {
	var level1, level2 xmlLevel
	invertNext := false
	spacer := ""
	closeLevel := func(l *xmlLevel) {
		if l.open {
			fmt.Fprintf(c.out, "</%s>\n", l.tag)
		}
		l.open = false
	}
	openLevel := func(l *xmlLevel, indent, tag string) {
		*l = xmlLevel{tag: tag, open: true}
		fmt.Fprintf(c.out, "%s<%s ", indent, tag)
	}
	closeMatch := func() {
		closeLevel(&level2)
		if level1.open {
			c.out.WriteString(xmlIndentMatch)
		}
		closeLevel(&level1)
	}
	word := func(i int) string { return argv[i].s }
	first := func(i int) byte {
		if word(i) == "" {
			return 0
		}
		return word(i)[0]
	}
	isMatchWord := func(i int) bool { return word(i) == "-m" || word(i) == "--module" }

	arg := 2 // after "-A CHAIN"
	if actions {
		for arg < len(argv) && (argv[arg].quoted || !isTargetWord(word(arg))) {
			arg++
		}
	}
	i := arg
	if arg < len(argv) && word(arg) == "!" {
		i = arg + 1
	}
	if i < len(argv) && first(i) == '-' && !isTargetWord(word(i)) && word(i) != "-m" {
		openLevel(&level1, xmlIndentMatch, "match")
		c.out.WriteString(">\n")
	}
	for ; arg < len(argv); arg++ {
		quoted := argv[arg].quoted
		switch {
		case !actions && !quoted && isTargetWord(word(arg)):
			arg = len(argv) // break
			continue
		case !quoted && word(arg) == "!":
			if arg+1 < len(argv) && first(arg+1) == '-' {
				invertNext = true
			} else {
				c.out.WriteString(spacer + word(arg))
			}
			spacer = " "
		case !quoted && isTargetWord(word(arg)) && arg+1 < len(argv) && c.existsChain(word(arg+1)):
			closeMatch()
			spacer = ""
			invertNext = false
			kind := "call"
			if word(arg) == "-g" || word(arg) == "--goto" {
				kind = "goto"
			}
			openLevel(&level1, xmlIndentMatch, kind)
			c.out.WriteString(">\n")
			arg++
			openLevel(&level2, xmlIndentOpt, word(arg))
			c.out.WriteString("/>\n")
			level2.open = false
		case !quoted && (isTargetWord(word(arg)) || isMatchWord(arg)):
			if arg+1 >= len(argv) {
				arg = len(argv) // no name after -j, -m or -g
				continue
			}
			closeMatch()
			spacer = ""
			invertNext = false
			arg++
			openLevel(&level1, xmlIndentMatch, word(arg))
			if arg+1 >= len(argv) || (!argv[arg+1].quoted && (isTargetWord(word(arg+1)) || isMatchWord(arg+1))) {
				c.out.WriteString(" />\n")
				level1.open = false
			} else {
				c.out.WriteString(">\n")
			}
		case !quoted && first(arg) == '-':
			closeLevel(&level2)
			spacer = ""
			openLevel(&level2, xmlIndentOpt, strings.TrimLeft(word(arg), "-"))
			if invertNext {
				c.out.WriteString(" invert=\"1\"")
			}
			invertNext = false
			if arg+1 >= len(argv) || first(arg+1) == '-' {
				c.out.WriteString(" />\n")
				level2.open = false
			} else {
				c.out.WriteString(">")
			}
		default:
			w := word(arg)
			c.out.WriteString(spacer)
			q := strings.IndexByte(w, ' ') >= 0 || quoted
			if q {
				c.out.WriteString("&quot;")
			}
			c.encode(w)
			if q {
				c.out.WriteString("&quot;")
			}
			spacer = " "
		}
	}
	closeMatch()
}
