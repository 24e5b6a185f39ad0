// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"fmt"
	"io"

	"github.com/goipt/goipt/pkg/parse"
)

// Reading iptables-save output, line by line, as iptables-xml does: the
// lines are fgets' pieces, tables, chains and rules are recognized by
// their first byte, and rule lines are split into words as
// iptables-restore splits them.

func (c *xmlConv) convert(r io.Reader) error {
	lines := parse.NewLineReader(r)
	c.out.WriteString("<iptables-rules version=\"1.0\">\n")
	for {
		line, err := lines.Next()
		if err != nil {
			break // fgets: the end of the file, or a read error
		}
		c.line++
		if err := c.convertLine(line); err != nil {
			return err
		}
	}
	if c.curTable != "" {
		return c.die("%s: COMMIT expected at line %d\n", xmlProg, c.line+1)
	}
	c.out.WriteString("</iptables-rules>\n")
	return nil
}

// convertLine handles one line (a C string: a NUL has ended it).
func (c *xmlConv) convertLine(line string) error {
	first := byte(0)
	if line != "" {
		first = line[0]
	}
	switch first {
	case '\n':
		return nil
	case '#':
		c.comment(line)
		return nil
	}
	if c.verbose {
		fmt.Fprintf(c.out, "<!-- line %d ", c.line)
		c.commentEscape(line)
		c.out.WriteString(" -->\n")
	}
	switch {
	case line == "COMMIT\n" && c.curTable != "":
		c.closeTable()
		return nil
	case first == '*':
		f := fields(line[1:])
		if len(f) == 0 {
			return c.fail("%s: line %d table name invalid", xmlProg, c.line)
		}
		c.openTable(f[0])
		return nil
	case first == ':' && c.curTable != "":
		return c.chainLine(line)
	case c.curTable != "":
		return c.rule(line)
	}
	return c.die("%s: line %d failed\n", xmlProg, c.line)
}

// chainLine reads ":NAME POLICY [PCNT:BCNT]".
func (c *xmlConv) chainLine(line string) error {
	f := fields(line[1:])
	switch {
	case len(f) == 0:
		return c.fail("%s: line %d chain name invalid", xmlProg, c.line)
	case len(f) == 1:
		return c.fail("%s: line %d policy invalid", xmlProg, c.line)
	case len(f) > 2:
		c.scanCounters(f[2])
	}
	if len(c.chains) >= xmlMaxChains {
		return c.fail("%s: line %d chain name invalid", xmlProg, c.line)
	}
	c.chains = append(c.chains, xmlChain{name: f[0], policy: f[1], pcnt: c.pcnt, bcnt: c.bcnt})
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

// rule handles a rule line: optional "[pcnt:bcnt]", then the words.
func (c *xmlConv) rule(line string) error {
	pcnt, bcnt, rest, counted, err := parse.RuleCounters(line, c.line)
	if err == nil {
		var argv []parse.Word
		if argv, err = parse.SplitRestoreWords(rest, nil); err == nil {
			return c.ruleWords(counted, pcnt, bcnt, argv)
		}
	}
	return c.fail("%s", err)
}

// ruleWords handles the words of a rule line (and its counters, when
// counted).
func (c *xmlConv) ruleWords(counted bool, pcnt, bcnt string, argv []parse.Word) error {
	chain := ""
	found := false
	for a := 1; a < len(argv); a++ {
		if argv[a-1].Text == "-A" {
			chain, found = argv[a].Text, true
			break
		}
	}
	if !found {
		return c.die("%s: line %d failed - no chain found\n", xmlProg, c.line)
	}
	c.needChain(chain)
	c.doRule(counted, pcnt, bcnt, argv)
	c.lastRule = argv
	return nil
}
