// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"fmt"
	"strings"

	"github.com/goipt/goipt/pkg/parse"
)

// Writing the XML: tables, chains, and each rule's conditions and actions,
// escaped as iptables-xml escapes them.

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

// closeRule ends the open rule, if any: its actions, then itself.
func (c *xmlConv) closeRule() {
	if c.closingAction != "" {
		c.out.WriteString(c.closingAction + "\n")
	}
	c.closingAction = ""
	if c.closingRule != "" {
		c.out.WriteString(c.closingRule + "\n")
	}
	c.closingRule = ""
}

func (c *xmlConv) closeChain() {
	if c.curChain == "" {
		return
	}
	c.closeRule()
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

func isTargetWord(s string) bool {
	return s == "-j" || s == "--jump" || s == "-g" || s == "--goto"
}

func isTerminatingTarget(s string) bool {
	return s == "ACCEPT" || s == "DROP" || s == "QUEUE" || s == "RETURN"
}

// sameConditions tells whether argv has the same words as the previous
// rule up to both targets, and the previous one's target does not end
// the rule's processing.
func sameConditions(argv, old []parse.Word) bool {
	for i := 0; i < len(argv) && i < len(old); i++ {
		if isTargetWord(old[i].Text) && isTargetWord(argv[i].Text) {
			o := old[i].Text
			if (o == "-j" || o == "--jump") && i+1 < len(old) && isTerminatingTarget(old[i+1].Text) {
				return false
			}
			return o != "-g" && o != "--goto"
		}
		if old[i].Text != argv[i].Text {
			return false
		}
	}
	return false
}

func (c *xmlConv) doRule(counted bool, pcnt, bcnt string, argv []parse.Word) {
	if c.combine && len(argv) > 2 && !isTargetWord(argv[2].Text) && sameConditions(argv, c.lastRule) {
		c.comment("Combine action from next rule")
	} else {
		c.closeRule()
		c.out.WriteString("      <rule ")
		if counted {
			c.attr("packet-count", pcnt)
			c.attr("byte-count", bcnt)
		}
		c.out.WriteString(">\n")
		c.closingRule = "      </rule>\n"
		if len(argv) >= 3 && !isTargetWord(argv[2].Text) {
			c.out.WriteString("       <conditions>\n")
			c.rulePart(false, argv)
			c.out.WriteString("       </conditions>\n")
		}
	}
	if c.closingAction == "" {
		c.out.WriteString("       <actions>\n")
		c.closingAction = "       </actions>\n"
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
func (c *xmlConv) rulePart(actions bool, argv []parse.Word) {
	w := &rulePartWriter{c: c, argv: argv}
	arg := 2 // after "-A CHAIN"
	if actions {
		for arg < len(argv) && (argv[arg].Quoted || !isTargetWord(w.text(arg))) {
			arg++
		}
	}
	i := arg
	if arg < len(argv) && w.text(arg) == "!" {
		i = arg + 1
	}
	if i < len(argv) && w.first(i) == '-' && !isTargetWord(w.text(i)) && w.text(i) != "-m" {
		w.openLevel(&w.level1, xmlIndentMatch, "match")
		c.out.WriteString(">\n")
	}
	for arg < len(argv) {
		arg = w.word(arg, actions)
	}
	w.closeMatch()
}

// rulePartWriter is the state of rulePart: the open elements, a pending
// '!', and the space that goes before the next word of a value.
type rulePartWriter struct {
	c              *xmlConv
	argv           []parse.Word
	level1, level2 xmlLevel
	invertNext     bool
	spacer         string
}

func (w *rulePartWriter) text(i int) string { return w.argv[i].Text }

func (w *rulePartWriter) first(i int) byte {
	if w.text(i) == "" {
		return 0
	}
	return w.text(i)[0]
}

func (w *rulePartWriter) isMatchWord(i int) bool {
	return w.text(i) == "-m" || w.text(i) == "--module"
}

func (w *rulePartWriter) closeLevel(l *xmlLevel) {
	if l.open {
		fmt.Fprintf(w.c.out, "</%s>\n", l.tag)
	}
	l.open = false
}

func (w *rulePartWriter) openLevel(l *xmlLevel, indent, tag string) {
	*l = xmlLevel{tag: tag, open: true}
	fmt.Fprintf(w.c.out, "%s<%s ", indent, tag)
}

func (w *rulePartWriter) closeMatch() {
	w.closeLevel(&w.level2)
	if w.level1.open {
		w.c.out.WriteString(xmlIndentMatch)
	}
	w.closeLevel(&w.level1)
}

// word writes the word at arg (with the words it takes) and returns the
// index of the next one; len(argv) ends the part.
func (w *rulePartWriter) word(arg int, actions bool) int {
	text, quoted := w.text(arg), w.argv[arg].Quoted
	switch {
	case !actions && !quoted && isTargetWord(text):
		return len(w.argv)
	case !quoted && text == "!":
		if arg+1 < len(w.argv) && w.first(arg+1) == '-' {
			w.invertNext = true
		} else {
			w.c.out.WriteString(w.spacer + text)
		}
		w.spacer = " "
	case !quoted && isTargetWord(text) && arg+1 < len(w.argv) && w.c.existsChain(w.text(arg+1)):
		w.chainJump(arg)
		return arg + 2
	case !quoted && (isTargetWord(text) || w.isMatchWord(arg)):
		if arg+1 >= len(w.argv) {
			return len(w.argv) // no name after -j, -m or -g
		}
		w.extension(arg + 1)
		return arg + 2
	case !quoted && w.first(arg) == '-':
		w.option(arg)
	default:
		w.value(arg)
	}
	return arg + 1
}

// chainJump writes -j or -g CHAIN (at arg) as a call or goto element.
func (w *rulePartWriter) chainJump(arg int) {
	w.closeMatch()
	w.spacer, w.invertNext = "", false
	kind := "call"
	if w.text(arg) == "-g" || w.text(arg) == "--goto" {
		kind = "goto"
	}
	w.openLevel(&w.level1, xmlIndentMatch, kind)
	w.c.out.WriteString(">\n")
	w.openLevel(&w.level2, xmlIndentOpt, w.text(arg+1))
	w.c.out.WriteString("/>\n")
	w.level2.open = false
}

// extension opens the element of the match or target named at arg.
func (w *rulePartWriter) extension(arg int) {
	w.closeMatch()
	w.spacer, w.invertNext = "", false
	w.openLevel(&w.level1, xmlIndentMatch, w.text(arg))
	if arg+1 >= len(w.argv) || (!w.argv[arg+1].Quoted && (isTargetWord(w.text(arg+1)) || w.isMatchWord(arg+1))) {
		w.c.out.WriteString(" />\n")
		w.level1.open = false
	} else {
		w.c.out.WriteString(">\n")
	}
}

// option opens the element of the option at arg.
func (w *rulePartWriter) option(arg int) {
	w.closeLevel(&w.level2)
	w.spacer = ""
	w.openLevel(&w.level2, xmlIndentOpt, strings.TrimLeft(w.text(arg), "-"))
	if w.invertNext {
		w.c.out.WriteString(" invert=\"1\"")
	}
	w.invertNext = false
	if arg+1 >= len(w.argv) || w.first(arg+1) == '-' {
		w.c.out.WriteString(" />\n")
		w.level2.open = false
	} else {
		w.c.out.WriteString(">")
	}
}

// value writes the word at arg as (part of) an option's value.
func (w *rulePartWriter) value(arg int) {
	text := w.text(arg)
	w.c.out.WriteString(w.spacer)
	q := strings.IndexByte(text, ' ') >= 0 || w.argv[arg].Quoted
	if q {
		w.c.out.WriteString("&quot;")
	}
	w.c.encode(text)
	if q {
		w.c.out.WriteString("&quot;")
	}
	w.spacer = " "
}
