// SPDX-License-Identifier: GPL-2.0-or-later

package iptables

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

// Listing formats (FMT_* of libxtables).
const (
	fmtNumeric     = 0x0001
	fmtNoCounts    = 0x0002
	fmtKMG         = 0x0004
	fmtOptions     = 0x0008
	fmtNoTable     = 0x0010
	fmtNoTarget    = 0x0020
	fmtVia         = 0x0040
	fmtNoNewline   = 0x0080
	fmtLineNumbers = 0x0100
	fmtPrintRule   = fmtNoCounts | fmtOptions | fmtVia | fmtNumeric | fmtNoTable
)

// Printer writes rules and chains as iptables lists and saves them.
type Printer struct {
	X   *ext.Xtables
	Out *bufio.Writer
	Fam ext.Family

	// The printer's ChainSaver and ChainLister, reused chain after chain
	// (their buffers grow once).
	saver  *ChainSaver
	lister *ChainLister
}

func pick(format int, tab, notab string) string {
	if format&fmtNoTable != 0 {
		return notab
	}
	return tab
}

// padded writes s right-aligned (width > 0) or left-aligned (width < 0)
// in a field of |width| bytes, as printf's %*s does.
func padded(w *bufio.Writer, s string, width int) {
	n := width
	if n < 0 {
		n = -n
		w.WriteString(s)
	}
	for i := len(s); i < n; i++ {
		w.WriteByte(' ')
	}
	if width > 0 {
		w.WriteString(s)
	}
}

// column writes s as pick(format, "%<width>s ", "%s ") would print it.
func column(w *bufio.Writer, format int, s string, width int) {
	if format&fmtNoTable != 0 {
		w.WriteString(s)
	} else {
		padded(w, s, width)
	}
	w.WriteByte(' ')
}

// numColumn is column for a number ("%<width>d ").
func numColumn(w *bufio.Writer, format int, n uint64, width int, unit string) {
	var b [24]byte
	column(w, format, string(append(strconv.AppendUint(b[:0], n, 10), unit...)), width)
}

func (p *Printer) printNum(n uint64, format int) {
	w := p.Out
	if format&fmtKMG == 0 {
		numColumn(w, format, n, 8, "")
		return
	}
	if n <= 99999 {
		numColumn(w, format, n, 5, "")
		return
	}
	for _, unit := range []string{"K", "M", "G"} {
		n = (n + 500) / 1000
		if n <= 9999 {
			numColumn(w, format, n, 5, unit)
			return
		}
	}
	n = (n + 500) / 1000
	numColumn(w, format, n, 5, "T")
}

// Header prints a chain's "Chain X (...)" line and the column titles.
func (p *Printer) Header(format int, chain, policy string, hasPolicy bool, packets, bytes uint64, refs int) {
	w := p.Out
	fmt.Fprintf(w, "Chain %s", chain)
	switch {
	case hasPolicy:
		fmt.Fprintf(w, " (policy %s", policy)
		if format&fmtNoCounts == 0 {
			w.WriteByte(' ')
			p.printNum(packets, format|fmtNoTable)
			w.WriteString("packets, ")
			p.printNum(bytes, format|fmtNoTable)
			w.WriteString("bytes")
		}
		w.WriteString(")\n")
	case refs < 0:
		w.WriteString(" (ERROR obtaining refs)\n")
	default:
		fmt.Fprintf(w, " (%d references)\n", refs)
	}
	if format&fmtLineNumbers != 0 {
		fmt.Fprintf(w, pick(format, "%-4s ", "%s "), "num")
	}
	if format&fmtNoCounts == 0 {
		if format&fmtKMG != 0 {
			fmt.Fprintf(w, pick(format, "%5s ", "%s "), "pkts")
			fmt.Fprintf(w, pick(format, "%5s ", "%s "), "bytes")
		} else {
			fmt.Fprintf(w, pick(format, "%8s ", "%s "), "pkts")
			fmt.Fprintf(w, pick(format, "%10s ", "%s "), "bytes")
		}
	}
	if format&fmtNoTarget == 0 {
		fmt.Fprintf(w, pick(format, "%-9s ", "%s "), "target")
	}
	w.WriteString(" prot ")
	if format&fmtOptions != 0 {
		w.WriteString("opt")
	}
	if format&fmtVia != 0 {
		fmt.Fprintf(w, pick(format, " %-6s ", "%s "), "in")
		fmt.Fprintf(w, pick(format, "%-6s ", "%s "), "out")
	}
	fmt.Fprintf(w, pick(format, " %-19s ", "%s "), "source")
	fmt.Fprintf(w, pick(format, " %-19s ", " %s "), "destination")
	w.WriteString("\n")
}

// Rule prints one rule as -L does (print_firewall).
func (p *Printer) Rule(entry []byte, targname string, isChain bool, num, format int) error {
	p.ruleHead(entry, targname, num, format)
	exts, err := p.X.PrintExtensions(entry, targname, isChain, format&fmtNumeric != 0)
	p.Out.WriteString(exts)
	return p.ruleEnd(format, err)
}

// ruleEnd ends what Rule prints: nothing more after an error of the
// extensions, else the newline (unless fmtNoNewline).
func (p *Printer) ruleEnd(format int, err error) error {
	if err != nil {
		return err
	}
	if format&fmtNoNewline == 0 {
		p.Out.WriteByte('\n')
	}
	return nil
}

// optColumn is -L's "opt" column: the fragment flag ("--", "-f", "!f").
func (p *Printer) optColumn(h *ext.Header, format int) {
	w := p.Out
	if format&fmtNoTable != 0 {
		w.WriteString("opt ")
	}
	if p.Fam == ext.IPv6 {
		w.WriteString("--")
	} else {
		if h.InvFlags&ext.InvFrag != 0 {
			w.WriteByte('!')
		} else {
			w.WriteByte('-')
		}
		if h.Flags&ext.FlagFrag4 != 0 {
			w.WriteByte('f')
		} else {
			w.WriteByte('-')
		}
	}
	w.WriteByte(' ')
}

// viaColumns are -L -v's "in" and "out" columns.
func (p *Printer) viaColumns(h *ext.Header, format int) {
	w := p.Out
	anyname := "any"
	if format&fmtNumeric != 0 {
		anyname = "*"
	}
	iface := func(name string, inv bool) string {
		if name == "" {
			name = anyname
		}
		if inv {
			name = "!" + name
		}
		return name
	}
	if format&fmtNoTable != 0 {
		w.WriteString("in ")
	} else {
		w.WriteByte(' ')
	}
	column(w, format, iface(h.InIface, h.InvFlags&ext.InvViaIn != 0), -6)
	if format&fmtNoTable != 0 {
		w.WriteString("out ")
	}
	column(w, format, iface(h.OutIface, h.InvFlags&ext.InvViaOut != 0), -6)
}

// ruleHead prints what print_firewall prints before the extensions.
func (p *Printer) ruleHead(entry []byte, targname string, num, format int) {
	w := p.Out
	h := ext.DecodeHeader(p.Fam, entry)
	if format&fmtLineNumbers != 0 {
		numColumn(w, format, uint64(num), -4, "")
	}
	if format&fmtNoCounts == 0 {
		p.printNum(h.Packets, format)
		p.printNum(h.Bytes, format)
	}
	if format&fmtNoTarget == 0 {
		column(w, format, targname, -9)
	}
	if h.InvFlags&parse.InvProto != 0 {
		w.WriteByte('!')
	} else {
		w.WriteByte(' ')
	}
	if name, ok := p.X.ProtoName(h.Proto, format&fmtNumeric != 0); ok {
		column(w, format, name, -4)
	} else {
		numColumn(w, format, uint64(h.Proto), -4, "")
	}
	if format&fmtOptions != 0 {
		p.optColumn(&h, format)
	}
	if format&fmtVia != 0 {
		p.viaColumns(&h, format)
	}
	numeric := format&fmtNumeric != 0
	if h.InvFlags&parse.InvSrcIP != 0 {
		w.WriteByte('!')
	} else {
		w.WriteByte(' ')
	}
	column(w, format, p.X.AddrString(h.Src, h.SrcMask, numeric), -19)
	if h.InvFlags&parse.InvDstIP != 0 {
		w.WriteByte('!')
	} else {
		w.WriteByte(' ')
	}
	if format&fmtNoTable != 0 {
		w.WriteString("-> ")
		w.WriteString(p.X.AddrString(h.Dst, h.DstMask, numeric))
	} else {
		column(w, format, p.X.AddrString(h.Dst, h.DstMask, numeric), -19)
	}
	if format&fmtNoTable != 0 {
		w.WriteString("  ")
	}
	if h.Flags&p.gotoFlag() != 0 {
		w.WriteString("[goto] ")
	}
}

// ChainLister prints rules as Rule does, many at a time: their columns in
// Go, their extensions from one call into libxtables per batch
// (ext.Xtables.PrintEntries) instead of one a rule.
type ChainLister struct {
	p, heads *Printer // heads writes the columns into headBuf
	format   int
	batch    ext.Entries
	headBuf  bytes.Buffer
	headEnds []int
}

// Lister returns the printer's ChainLister, empty, printing rules in
// format.
func (p *Printer) Lister(format int) *ChainLister {
	c := p.lister
	if c == nil {
		c = &ChainLister{p: p}
		heads := Printer{X: p.X, Fam: p.Fam, Out: bufio.NewWriter(&c.headBuf)}
		c.heads = &heads
		p.lister = c
	}
	c.format = format
	c.reset()
	return c
}

// reset forgets the rules kept.
func (c *ChainLister) reset() {
	c.batch.Reset()
	c.headBuf.Reset()
	c.headEnds = c.headEnds[:0]
}

// Add prints rule number num, or keeps it for the next Flush. The entry
// is copied: it need not outlive the call.
func (c *ChainLister) Add(entry []byte, targname string, isChain bool, num int) error {
	c.heads.ruleHead(entry, targname, num, c.format)
	c.heads.Out.Flush()
	c.headEnds = append(c.headEnds, c.headBuf.Len())
	c.batch.Add(entry, targname, ext.EntryOpts{IsChain: isChain})
	if c.batch.Len() >= saveBatchSize {
		return c.Flush()
	}
	return nil
}

// Flush prints the rules kept so far.
func (c *ChainLister) Flush() error {
	defer c.reset()
	out, ends, failed, err := c.p.X.PrintEntries(&c.batch, c.format&fmtNumeric != 0)
	heads := c.headBuf.Bytes()
	headStart, start := 0, 0
	for i, end := range c.headEnds {
		c.p.Out.Write(heads[headStart:end])
		headStart = end
		if err != nil && i == failed {
			c.p.Out.Write(out[start:])
			return c.p.ruleEnd(c.format, err)
		}
		c.p.Out.Write(out[start:ends[i]])
		c.p.ruleEnd(c.format, nil)
		start = ends[i]
	}
	return err
}

func (p *Printer) gotoFlag() uint8 {
	if p.Fam == ext.IPv6 {
		return parse.FlagGoto6
	}
	return parse.FlagGoto4
}

// SaveRule prints one rule as -S and iptables-save do (print_rule4).
// counters > 0 prints "[p:b] " first (save -c), < 0 " -c p b" (-S -v).
func (p *Printer) SaveRule(entry []byte, targname, chain string, counters int) error {
	h := ext.DecodeHeader(p.Fam, entry)
	// The header is appended to the writer's free buffer and written once:
	// no allocation per rule.
	p.Out.Write(p.appendSaveHeader(p.Out.AvailableBuffer(), &h, chain, counters))
	ms, ts, targetFailed, err := p.X.SaveExts(entry, targname, h.Flags&p.gotoFlag() != 0, h.TargetOffset != 0)
	return p.saveTail(ms, ts, h.Packets, h.Bytes, counters, targetFailed, err)
}

// appendSaveHeader appends what print_rule4 prints before the extensions.
func (p *Printer) appendSaveHeader(b []byte, h *ext.Header, chain string, counters int) []byte {
	if counters > 0 {
		b = append(b, '[')
		b = strconv.AppendUint(b, h.Packets, 10)
		b = append(b, ':')
		b = strconv.AppendUint(b, h.Bytes, 10)
		b = append(b, "] "...)
	}
	b = append(b, "-A "...)
	b = append(b, chain...)
	b = p.X.AppendSaveAddr(b, 's', h.Src, h.SrcMask, h.InvFlags&parse.InvSrcIP != 0)
	b = p.X.AppendSaveAddr(b, 'd', h.Dst, h.DstMask, h.InvFlags&parse.InvDstIP != 0)
	b = appendSaveIface(b, 'i', h.InIface, h.InvFlags&parse.InvViaIn != 0)
	b = appendSaveIface(b, 'o', h.OutIface, h.InvFlags&parse.InvViaOut != 0)
	if h.Proto > 0 {
		if h.InvFlags&parse.InvProto != 0 {
			b = append(b, " !"...)
		}
		b = append(b, " -p "...)
		if name, ok := p.X.ProtoName(h.Proto, true); ok {
			b = append(b, name...)
		} else {
			b = strconv.AppendUint(b, uint64(h.Proto), 10)
		}
	}
	if p.Fam == ext.IPv4 && h.Flags&parse.FlagFrag != 0 {
		if h.InvFlags&parse.InvFrag != 0 {
			b = append(b, " !"...)
		}
		b = append(b, " -f"...)
	}
	return b
}

// saveTail prints what print_rule4 prints after the header: the matches
// ms, " -c p b" for -S -v, the target ts and the newline; on an error of
// the extensions, what iptables printed before stopping.
func (p *Printer) saveTail(ms, ts []byte, packets, bytes uint64, counters int, targetFailed bool, err error) error {
	w := p.Out
	if err != nil && strings.HasPrefix(err.Error(), "Can't find library for ") {
		// iptables prints it bare and exits 1 (iptables-save, -S).
		err = &parse.Error{Status: parse.OtherProblem, Msg: err.Error(), Form: parse.Plain}
	}
	w.Write(ms)
	if err != nil && !targetFailed {
		return err
	}
	if counters < 0 {
		b := w.AvailableBuffer()
		b = append(b, " -c "...)
		b = strconv.AppendUint(b, packets, 10)
		b = append(b, ' ')
		b = strconv.AppendUint(b, bytes, 10)
		w.Write(b)
	}
	w.Write(ts)
	if err != nil {
		return err
	}
	w.WriteByte('\n')
	return nil
}

// ChainSaver prints the rules of a chain as SaveRule does, many at a time:
// their headers in Go, their extensions from one call into libxtables per
// batch (ext.Xtables.SaveEntries) instead of one a rule.
type ChainSaver struct {
	p        *Printer
	chain    string
	counters int
	batch    ext.Entries
	heads    []byte
	rules    []savedRule
}

type savedRule struct {
	headEnd        int // end of the rule's header in heads
	packets, bytes uint64
}

// saveBatchSize is how many rules a ChainSaver saves in one call.
const saveBatchSize = 512

// Saver returns the printer's ChainSaver, empty, for chain's rules;
// counters as for SaveRule.
func (p *Printer) Saver(chain string, counters int) *ChainSaver {
	c := p.saver
	if c == nil {
		c = &ChainSaver{p: p}
		p.saver = c
	}
	c.chain, c.counters = chain, counters
	c.reset()
	return c
}

// reset forgets the rules kept.
func (c *ChainSaver) reset() {
	c.batch.Reset()
	c.heads = c.heads[:0]
	c.rules = c.rules[:0]
}

// Add prints rule r, or keeps it for the next Flush. The entry is copied:
// r need not outlive the call.
func (c *ChainSaver) Add(entry []byte, targname string) error {
	h := ext.DecodeHeader(c.p.Fam, entry)
	c.heads = c.p.appendSaveHeader(c.heads, &h, c.chain, c.counters)
	c.rules = append(c.rules, savedRule{headEnd: len(c.heads), packets: h.Packets, bytes: h.Bytes})
	c.batch.Add(entry, targname, ext.EntryOpts{Goto: h.Flags&c.p.gotoFlag() != 0, WithMatches: h.TargetOffset != 0})
	if c.batch.Len() >= saveBatchSize {
		return c.Flush()
	}
	return nil
}

// Flush prints the rules kept so far.
func (c *ChainSaver) Flush() error {
	defer c.reset()
	out, ends, failed, targetFailed, err := c.p.X.SaveEntries(&c.batch)
	headStart, start := 0, 0
	for i, r := range c.rules {
		c.p.Out.Write(c.heads[headStart:r.headEnd])
		headStart = r.headEnd
		mend, tend := ends[i][0], ends[i][1]
		if err != nil && i == failed {
			// The rule the extensions failed on, printed up to there.
			return c.p.saveTail(out[start:mend], out[mend:tend], r.packets, r.bytes, c.counters, targetFailed, err)
		}
		c.p.saveTail(out[start:mend], out[mend:tend], r.packets, r.bytes, c.counters, false, nil)
		start = tend
	}
	return err
}

// appendSaveIface appends " [!] -i iface" as -S prints an interface.
func appendSaveIface(b []byte, letter byte, iface string, invert bool) []byte {
	if iface != "" && (iface != "+" || invert) {
		if invert {
			b = append(b, " !"...)
		}
		b = append(b, ' ', '-', letter, ' ')
		b = append(b, iface...)
	}
	return b
}

// listEntries is -L (list_entries): every chain when all, else chain;
// false when chain is not there.
func (p *Printer) listEntries(h backend.Table, chain string, all bool, rulenum int, cmd *parse.Command) (bool, error) {
	format := fmtOptions
	if cmd.Options&parse.OptVerbose == 0 {
		format |= fmtNoCounts
	} else {
		format |= fmtVia
	}
	if cmd.Options&parse.OptNumeric != 0 {
		format |= fmtNumeric
	}
	if cmd.Options&parse.OptExpanded == 0 {
		format |= fmtKMG
	}
	if cmd.Options&parse.OptLineNumbers != 0 {
		format |= fmtLineNumbers
	}
	found := false
	chains := listedChains(h, chain, all)
	isChain := chainSet(h, chains, all)
	for _, this := range chains {
		if found {
			p.Out.WriteString("\n")
		}
		if rulenum == 0 {
			pol, pk, by, ok := h.Policy(this)
			refs := -1
			if !ok {
				if n, err := h.References(this); err == nil {
					refs = n
				}
			}
			p.Header(format, this, pol, ok, pk, by, refs)
		}
		i := 0
		lister := p.Lister(format)
		err := h.EachRule(this, func(r backend.Rule) error {
			i++
			if rulenum == 0 || i == rulenum {
				return lister.Add(r.Entry, r.Target, r.IsChain || isChain(r.Target), i)
			}
			return nil
		})
		if err == nil {
			err = lister.Flush()
		}
		if err != nil {
			return found, err
		}
		found = true
	}
	return found, nil
}

// listRules is -S (list_rules): every chain when all, else chain.
func (p *Printer) listRules(h backend.Table, chain string, all bool, rulenum int, counters bool) (bool, error) {
	c := 0
	if counters {
		c = -1
	}
	chains := listedChains(h, chain, all)
	if rulenum == 0 {
		for _, this := range chains {
			if h.Builtin(this) {
				pol, pk, by, _ := h.Policy(this)
				fmt.Fprintf(p.Out, "-P %s %s", this, pol)
				if counters {
					fmt.Fprintf(p.Out, " -c %d %d", pk, by)
				}
				p.Out.WriteString("\n")
			} else {
				fmt.Fprintf(p.Out, "-N %s\n", this)
			}
		}
	}
	found := false
	for _, this := range chains {
		i := 0
		saver := p.Saver(this, c)
		err := h.EachRule(this, func(r backend.Rule) error {
			i++
			if rulenum == 0 || i == rulenum {
				return saver.Add(r.Entry, r.Target)
			}
			return nil
		})
		if err == nil {
			err = saver.Flush()
		}
		if err != nil {
			return found, err
		}
		found = true
	}
	return found, nil
}

// listedChains are the chains -L or -S list: every chain, or chain if it
// is one (none if not).
func listedChains(h backend.Table, chain string, all bool) []string {
	if all {
		return h.Chains()
	}
	if h.IsChain(chain) {
		return []string{chain}
	}
	return nil
}

// chainSet tells which targets are chains, for rules whose backend does
// not say (backend.Rule.IsChain): the table's chains, read before the
// rules are walked (EachRule's fn may not call the table). A table that
// readies itself for listing (backend.Lister, nf_tables) says for every
// rule, and is not asked for chains it would have to read.
func chainSet(h backend.Table, listed []string, all bool) func(string) bool {
	if _, ok := h.(backend.Lister); ok {
		return func(string) bool { return false }
	}
	chains := listed
	if !all {
		chains = h.Chains()
	}
	set := make(map[string]bool, len(chains))
	for _, c := range chains {
		set[c] = true
	}
	return func(name string) bool { return set[name] }
}
