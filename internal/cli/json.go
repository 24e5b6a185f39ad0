// SPDX-License-Identifier: GPL-2.0-or-later

package cli

// Machine-readable output: --json for iptables -L and -S and for
// iptables-save, and iptables-restore --json, which reads it back. The
// document is described in the README ("JSON output"); its rules are
// pkg/iptc's EasyRule, the struct of the library's easy API.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/goipt/goipt/internal/iptables"
	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/iptc"
	"github.com/goipt/goipt/pkg/parse"
)

// JSONDoc is what --json writes and iptables-restore --json reads.
type JSONDoc struct {
	// Family is "ipv4" (iptables) or "ipv6" (ip6tables).
	Family string      `json:"family"`
	Tables []JSONTable `json:"tables"`
}

// JSONTable is one table.
type JSONTable struct {
	Name   string      `json:"name"`
	Chains []JSONChain `json:"chains"`
}

// JSONChain is a chain: the easy API's EasyChain (name, policy,
// policy-counters, rules), and for -L the number of rules that jump to a
// user chain.
type JSONChain struct {
	iptc.EasyChain
	References *int `json:"references,omitempty"`
}

// Flag scanning. --json (and, for iptables-restore, --plan) is goipt's own
// option, taken out of the arguments before iptables' parser sees them. A
// word "--json" is that option unless it is the argument of the option
// just before it: it is taken after a word that is not an option (a chain
// name, a rule number, a file name), after "!", and after options known to
// take no argument; after any other option (-t, --comment, ...) it is left
// alone as that option's argument.
type flagGrammar struct {
	noArgShort  string          // short options without argument (or with an optional one)
	twoArgShort string          // short options with two arguments
	noArgLong   map[string]bool // long options without argument (or with an optional one)
	twoArgLong  map[string]bool
}

var iptablesFlags = flagGrammar{
	noArgShort:  "LSFZXnvx46fhVw",
	twoArgShort: "c",
	noArgLong: setOf("list", "list-rules", "flush", "zero", "delete-chain", "numeric",
		"verbose", "exact", "line-numbers", "ipv4", "ipv6", "fragment", "help", "version", "wait"),
	twoArgLong: setOf("set-counters"),
}

var saveFlags = flagGrammar{
	noArgShort: "bcdV",
	noArgLong:  setOf("counters", "dump", "version", "binary"),
}

var restoreFlags = flagGrammar{
	noArgShort: "bcvVthnwW",
	noArgLong: setOf("counters", "verbose", "version", "test", "help", "noflush",
		"wait", "wait-interval", "binary"),
}

func setOf(words ...string) map[string]bool {
	m := map[string]bool{}
	for _, w := range words {
		m[w] = true
	}
	return m
}

// argsTaken is how many of the following words the option word w takes.
func (g *flagGrammar) argsTaken(w string) int {
	switch {
	case w == "-" || w == "!" || !strings.HasPrefix(w, "-"):
		return 0
	case w == "--":
		return 0
	case strings.HasPrefix(w, "--"):
		name := w[2:]
		if strings.Contains(name, "=") || g.noArgLong[name] {
			return 0
		}
		if g.twoArgLong[name] {
			return 2
		}
		return 1
	}
	for i := 1; i < len(w); i++ {
		c := w[i]
		if strings.IndexByte(g.noArgShort, c) >= 0 {
			continue
		}
		last := i == len(w)-1
		switch {
		case strings.IndexByte(g.twoArgShort, c) >= 0 && last:
			return 2
		case strings.IndexByte(g.twoArgShort, c) >= 0:
			return 1 // the rest of the word is the first argument
		case last:
			return 1
		}
		return 0 // the rest of the word is the argument
	}
	return 0
}

// takeFlags removes goipt's own options (the names in flags, "--json",
// ...) from args[1:] where they are not an option's argument, and tells
// which it found. Words after "--" are left alone.
func (g *flagGrammar) takeFlags(args []string, flags ...string) ([]string, map[string]bool) {
	found := map[string]bool{}
	out := []string{args[0]}
	pending := 0
	for i := 1; i < len(args); i++ {
		w := args[i]
		if pending > 0 {
			pending--
			out = append(out, w)
			continue
		}
		if w == "--" {
			out = append(out, args[i:]...)
			break
		}
		own := false
		for _, f := range flags {
			if w == f {
				found[f], own = true, true
			}
		}
		if own {
			continue
		}
		pending = g.argsTaken(w)
		out = append(out, w)
	}
	return out, found
}

// jsonError is a misuse of --json, reported as iptables reports a
// parameter problem.
func jsonError(format string, a ...any) error {
	return &parse.Error{Status: parse.ParameterProblem, Msg: fmt.Sprintf(format, a...)}
}

func writeJSON(w io.Writer, doc *JSONDoc) error {
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// iptablesJSON is iptables -L/-S --json: the command runs as without
// --json (listing, -Z, locking, errors), its text output thrown away, and
// the table it listed is written as a JSONDoc.
func iptablesJSON(be backend.Backend, fam ext.Family, args []string, stdout, stderr io.Writer) int {
	prog := programName(fam, "")
	var out bytes.Buffer
	s := session(be, fam, prog, stderr)
	s.Finish = func(x *ext.Xtables, cmd *parse.Command, h backend.Table) error {
		if cmd.Command&(parse.CmdList|parse.CmdListRules) == 0 {
			return jsonError("--json works only with -L (--list) and -S (--list-rules)")
		}
		out.Reset()
		return listJSON(&out, x, cmd, h)
	}
	err := iptables.Execute(s, append([]string{prog}, args[1:]...), io.Discard, stderr)
	if err == nil {
		_, err = stdout.Write(out.Bytes())
	}
	return iptables.Report(stderr, prog, be.Name(), -1, err)
}

// listJSON writes the chains -L or -S listed from h.
func listJSON(w io.Writer, x *ext.Xtables, cmd *parse.Command, h backend.Table) error {
	fam := h.Family()
	chains, err := iptc.DumpBackend(h, x)
	if err != nil {
		return err
	}
	verbose := cmd.Options&parse.OptVerbose != 0
	t := JSONTable{Name: cmd.Table, Chains: []JSONChain{}}
	for _, c := range chains {
		if cmd.ChainSet && c.Name != cmd.Chain {
			continue
		}
		if cmd.RuleNum > 0 {
			if cmd.RuleNum <= len(c.Rules) {
				c.Rules = c.Rules[cmd.RuleNum-1 : cmd.RuleNum]
			} else {
				c.Rules = c.Rules[:0]
			}
		}
		if !verbose {
			stripCounters(&c, true)
		}
		jc := JSONChain{EasyChain: c}
		if cmd.Command&parse.CmdList != 0 && c.Policy == "" {
			if n, err := h.References(c.Name); err == nil {
				jc.References = &n
			}
		}
		t.Chains = append(t.Chains, jc)
	}
	return writeJSON(w, &JSONDoc{Family: fam.String(), Tables: []JSONTable{t}})
}

// stripCounters drops the rules' counters, and the policy's too when
// policy is set.
func stripCounters(c *iptc.EasyChain, policy bool) {
	for i := range c.Rules {
		c.Rules[i].Counters = nil
	}
	if policy {
		c.PolicyCounters = nil
	}
}

// saveJSON is iptables-save --json: every table (or the one of -t) with
// its chains, policies and policy counters, and its rules, with their
// counters under -c, as iptables-save prints them.
func saveJSON(fam ext.Family, prog, table string, counters bool, stdout, stderr io.Writer) int {
	tables, err := saveTables(fam, table)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	doc := &JSONDoc{Family: fam.String(), Tables: []JSONTable{}}
	for _, name := range tables {
		h, err := openSaved(fam, name)
		if err != nil {
			return iptables.Report(stderr, prog, Legacy.Name(), -1, err)
		}
		chains, err := iptc.DumpBackend(h, nil)
		h.Close()
		if err != nil {
			return iptables.Report(stderr, prog, Legacy.Name(), -1, err)
		}
		t := JSONTable{Name: name, Chains: make([]JSONChain, len(chains))}
		for i, c := range chains {
			if !counters {
				stripCounters(&c, false)
			}
			t.Chains[i] = JSONChain{EasyChain: c}
		}
		doc.Tables = append(doc.Tables, t)
	}
	w := bufio.NewWriterSize(stdout, 256<<10)
	if err := writeJSON(w, doc); err != nil {
		return iptables.Report(stderr, prog, Legacy.Name(), -1, err)
	}
	if err := w.Flush(); err != nil {
		return iptables.Report(stderr, prog, Legacy.Name(), -1, err)
	}
	return 0
}

// saveAs is save, or saveJSON with --json.
func saveAs(asJSON bool, fam ext.Family, prog, table string, counters bool, stdout, stderr io.Writer) int {
	if asJSON {
		return saveJSON(fam, prog, table, counters, stdout, stderr)
	}
	return save(fam, prog, table, counters, stdout, stderr)
}

// ReadJSONDoc reads a JSONDoc, refusing unknown fields and trailing data.
func ReadJSONDoc(r io.Reader) (*JSONDoc, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	doc := &JSONDoc{}
	if err := dec.Decode(doc); err != nil {
		return nil, fmt.Errorf("reading JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("reading JSON: more data after the document")
	}
	return doc, nil
}

// restoreText turns doc into the iptables-restore file that makes the same
// tables, and says for each of its lines where it came from in the
// document (lines[i] for line i+1; "" for none).
func restoreText(fam ext.Family, doc *JSONDoc) (text string, lines []string, err error) {
	if doc.Family != "" && doc.Family != fam.String() {
		return "", nil, fmt.Errorf("the JSON document is for family %q, not %q", doc.Family, fam.String())
	}
	var b strings.Builder
	line := func(where, s string) {
		b.WriteString(s)
		b.WriteByte('\n')
		lines = append(lines, where)
	}
	for ti, t := range doc.Tables {
		if err := plainWord(t.Name, "table name"); err != nil {
			return "", nil, fmt.Errorf("table %d: %w", ti+1, err)
		}
		tw := fmt.Sprintf("table %q", t.Name)
		line(tw, "*"+t.Name)
		for ci, c := range t.Chains {
			if err := plainWord(c.Name, "chain name"); err != nil {
				return "", nil, fmt.Errorf("%s, chain %d: %w", tw, ci+1, err)
			}
			pol := "-"
			if c.Policy != "" {
				if err := plainWord(c.Policy, "policy"); err != nil {
					return "", nil, fmt.Errorf("%s, chain %q: %w", tw, c.Name, err)
				}
				pol = c.Policy
			}
			cnt := iptc.Counters{}
			if c.PolicyCounters != nil {
				cnt = *c.PolicyCounters
			}
			line(fmt.Sprintf("%s, chain %q", tw, c.Name),
				fmt.Sprintf(":%s %s [%d:%d]", c.Name, pol, cnt.Packets, cnt.Bytes))
		}
		for _, c := range t.Chains {
			for ri, er := range c.Rules {
				where := fmt.Sprintf("%s, chain %q, rule %d", tw, c.Name, ri+1)
				var rb strings.Builder
				if er.Counters != nil {
					fmt.Fprintf(&rb, "[%d:%d] ", er.Counters.Packets, er.Counters.Bytes)
				}
				rb.WriteString("-A " + c.Name)
				for _, w := range er.Rule().Words() {
					q, err := restoreQuote(w)
					if err != nil {
						return "", nil, fmt.Errorf("%s: %w", where, err)
					}
					rb.WriteString(" " + q)
				}
				line(where, rb.String())
			}
		}
		line(tw, "COMMIT")
	}
	return b.String(), lines, nil
}

func plainWord(s, what string) error {
	if s == "" || strings.ContainsAny(s, " \t\n\"") {
		return fmt.Errorf("invalid %s %q", what, s)
	}
	return nil
}

// restoreQuote writes w so that iptables-restore's tokenizer reads it back
// as one word.
func restoreQuote(w string) (string, error) {
	if strings.ContainsAny(w, "\n\r\x00") {
		return "", fmt.Errorf("a word with a line break or NUL cannot be restored: %q", w)
	}
	if w != "" && !strings.ContainsAny(w, " \t\"") {
		return w, nil
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(w); i++ {
		if w[i] == '"' || w[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(w[i])
	}
	b.WriteByte('"')
	return b.String(), nil
}

// lineRE is compiled on first use: not in every start of goipt.
var lineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`line:? ([0-9]+)`) })

// restoreJSON is iptables-restore --json: the document becomes the
// iptables-restore file that makes the same tables, which is restored as
// iptables-restore restores text (per table atomic, with --noflush, --test,
// --counters, -T as usual). Errors name the lines of that file; a note
// then tells which table, chain and rule of the document the line is.
func restoreJSON(fam ext.Family, prog string, opts RestoreOptions, stdout, stderr io.Writer, run func(RestoreOptions, io.Writer) int) int {
	doc, err := ReadJSONDoc(opts.Input)
	var text string
	var lines []string
	if err == nil {
		text, lines, err = restoreText(fam, doc)
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		return 1
	}
	opts.Input = strings.NewReader(text)
	var errBuf bytes.Buffer
	rc := run(opts, &errBuf)
	stderr.Write(errBuf.Bytes())
	if rc != 0 {
		if m := lineRE().FindAllStringSubmatch(errBuf.String(), -1); m != nil {
			n, _ := strconv.Atoi(m[len(m)-1][1])
			if n >= 1 && n <= len(lines) && lines[n-1] != "" {
				fmt.Fprintf(stderr, "%s: (--json) line %d is %s\n", prog, n, lines[n-1])
			}
		}
	}
	return rc
}

// hasWord tells whether w is one of args[1:].
func hasWord(args []string, w string) bool {
	for _, a := range args[1:] {
		if a == w {
			return true
		}
	}
	return false
}
