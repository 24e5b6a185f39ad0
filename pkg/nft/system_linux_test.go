// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/pkg/ext"
)

// buildCorpus builds each corpus rule's entries with libxtables, as goipt
// does; nil for a rule libxtables refuses.
func buildCorpus(t *testing.T, rules []corpusRule) [][]built {
	out := make([][]built, len(rules))
	for _, fam := range []ext.Family{ext.IPv4, ext.IPv6} {
		efam, prog := ext.IPv4, "iptables"
		if fam == ext.IPv6 {
			efam, prog = ext.IPv6, "ip6tables"
		}
		err := ext.Run(efam, prog, func(x *ext.Xtables) error {
			for i, r := range rules {
				if r.Fam != fam {
					continue
				}
				argv := append([]string{"-t", r.Table, "-A", r.Chain}, r.Args...)
				bs, err := buildEntries(x, efam, argv, map[string]bool{userChain: true})
				if err == nil {
					out[i] = bs
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func sh(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).CombinedOutput()
	return string(out), err
}

func prog(fam ext.Family) string {
	if fam == ext.IPv6 {
		return "ip6tables-nft"
	}
	return "iptables-nft"
}

// handles are the numbers nft --debug=netlink prints after a rule's chain.
var handles = regexp.MustCompile(`(?m)^(ip6? \S+ \S+)( \d+)+$`)

// snapshot is how the kernel holds a table, as the tools print it.
type snapshot struct{ debug, list, save string }

func snap(fam ext.Family, table string) snapshot {
	var s snapshot
	d, _ := sh("nft", "--debug=netlink", "list", "table", fam.String(), table)
	s.debug = handles.ReplaceAllString(d, "$1")
	s.list, _ = sh("nft", "list", "table", fam.String(), table)
	s.save, _ = sh(prog(fam), "-t", table, "-S")
	return s
}

type corpusStats struct {
	rules, built, refused, entries int
	aOK, bOK, msgOK                int
	newer                          int // written as 1.8.11 does, where 1.8.9 is wrong
	aFail, bFail, msgFail          []string
	normalised                     map[string]int
	tables                         map[string]int // entries compared, by family and table
	refusedBy                      map[string]int // what refused, in goipt, what iptables-nft refused
	refusedFail                    []string
}

func refusal(err error) string {
	var be *BatchError
	if errors.As(err, &be) {
		return "kernel: " + strerror(be.Errors[0].Errno)
	}
	return "translation: " + err.Error()
}

func TestSystemCorpus(t *testing.T) {
	if ok, why := netnstest.Enabled(); !ok {
		t.Skip(why)
	}
	rules := loadCorpus(t)
	builtRules := buildCorpus(t, rules)
	st := &corpusStats{rules: len(rules), normalised: map[string]int{}, tables: map[string]int{}, refusedBy: map[string]int{}}
	netnstest.Run(t, func() {
		c, err := Open()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		step := 2 // GOIPT_NFT_CORPUS=full: every rule (some 10 minutes)
		if os.Getenv("GOIPT_NFT_CORPUS") == "full" {
			step = 1
		}
		for i, r := range rules {
			if builtRules[i] == nil || r.Expect == "FAIL" || i%step != 0 {
				continue
			}
			st.built++
			checkCorpusRule(t, c, r, builtRules[i], st)
		}
	})
	t.Logf("corpus: %d rules, %d built by libxtables, %d refused by iptables-nft, %d entries; (a) %d equal, %d differ; (b) %d equal, %d differ, %d as 1.8.11 writes them; messages: %d equal, %d differ",
		st.rules, st.built, st.refused, st.entries, st.aOK, len(st.aFail), st.bOK, len(st.bFail), st.newer, st.msgOK, len(st.msgFail))
	for k, v := range st.normalised {
		t.Logf("normalised: %s: %d", k, v)
	}
	t.Logf("entries by table: %v", st.tables)
	t.Logf("refused by iptables-nft, and in goipt by: %v", st.refusedBy)
	// Rules iptables-nft refuses before translating (its parser) are
	// pkg/parse's concern; logged, not failed.
	for _, f := range st.refusedFail {
		t.Logf("%s", f)
	}
	for _, f := range st.aFail {
		t.Errorf("(a) %s", f)
	}
	for _, f := range st.bFail {
		t.Errorf("(b) %s", f)
	}
	for _, f := range st.msgFail {
		t.Errorf("(messages) %s", f)
	}
}

func checkCorpusRule(t *testing.T, c *Conn, r corpusRule, bs []built, st *corpusStats) {
	name := fmt.Sprintf("%s %s -t %s -A %s %s", r.Src, prog(r.Fam), r.Table, r.Chain, strings.Join(r.Args, " "))
	sh("nft", "flush", "ruleset")
	if out, err := sh(prog(r.Fam), "-t", r.Table, "-N", userChain); err != nil {
		t.Fatalf("%s: -N: %v %s", name, err, out)
	}
	printed, err := sh(prog(r.Fam), append([]string{"-vvv", "-t", r.Table, "-A", r.Chain}, r.Args...)...)
	if err != nil {
		st.refused++
		// goipt must refuse it too: the translation, or the kernel.
		if werr := writeTranslation(c, r, bs); werr == nil {
			st.refusedFail = append(st.refusedFail, name+": iptables-nft refuses it, goipt's translation commits")
		} else {
			st.refusedBy[refusal(werr)]++
		}
		return
	}
	ref := snap(r.Fam, r.Table)
	newer := false
	for _, b := range bs {
		newer = newer || Follows1811(r.Fam, b.Entry)
	}
	if !newer {
		checkMessages(r, bs, printed, st, name)
	}
	got, err := c.Rules(r.Fam, r.Table, r.Chain)
	if err != nil || len(got) != len(bs) {
		st.aFail = append(st.aFail, fmt.Sprintf("%s: dump: %v, %d rules for %d entries", name, err, len(got), len(bs)))
		return
	}
	st.entries += len(bs)
	st.tables[r.Fam.String()+" "+r.Table] += len(bs)
	for i, b := range bs {
		e, err := ToEntry(got[i])
		if err != nil {
			st.aFail = append(st.aFail, fmt.Sprintf("%s: ToEntry: %v", name, err))
			continue
		}
		want := normalise(r.Fam, b.Entry, argAfter(r.Args, "--nflog-prefix"), true, st.normalised)
		if !bytes.Equal(e.Bytes, want) || e.TargetIsChain != b.IsChain {
			st.aFail = append(st.aFail, fmt.Sprintf("%s:\n got %s\nwant %s", name, describe(r.Fam, e.Bytes), describe(r.Fam, want)))
		} else {
			st.aOK++
		}
	}
	if err := writeTranslation(c, r, bs); err != nil {
		st.bFail = append(st.bFail, fmt.Sprintf("%s: write: %v", name, err))
		return
	}
	mine := snap(r.Fam, r.Table)
	if newer {
		st.newer++ // written as 1.8.11 writes it: not 1.8.9's
		return
	}
	if mine != ref {
		st.bFail = append(st.bFail, fmt.Sprintf("%s:\n--- iptables-nft\n%s%s%s--- goipt\n%s%s%s", name,
			ref.debug, ref.list, ref.save, mine.debug, mine.list, mine.save))
		return
	}
	st.bOK++
}

// writeTranslation writes, in a fresh ruleset, what iptables-nft would
// have: the table, the user chain, the builtin chain, the rules.
func writeTranslation(c *Conn, r corpusRule, bs []built) error {
	sh("nft", "flush", "ruleset")
	gen, err := c.GenID()
	if err != nil {
		return err
	}
	b := NewBatch(r.Fam, gen)
	b.AddTable(&Table{Name: r.Table, Family: r.Fam})
	b.AddChain(OpChainUserAdd, &Chain{Name: userChain, Table: r.Table, Family: r.Fam}, 0)
	if bc := BuiltinChainOf(r.Table, r.Chain); bc != nil {
		b.AddChain(OpChainAdd, bc.Chain(r.Fam, r.Table), 0)
	}
	for _, e := range bs {
		rule, err := ToRule(&Entry{Family: r.Fam, Table: r.Table, Chain: r.Chain, Bytes: e.Entry,
			TargetIsChain: e.IsChain, LogPrefix: argAfter(r.Args, "--nflog-prefix")})
		if err != nil {
			return err
		}
		b.AddRule(OpRuleAppend, rule, 0)
	}
	return c.Commit(b)
}

// describe prints an entry's header and extensions for a failure message.
func describe(fam ext.Family, b []byte) string {
	l := ext.Layout(fam)
	ms, tg := splitEntry(b, l)
	s := fmt.Sprintf("hdr %x", b[:l.Size])
	for _, m := range append(ms, tg) {
		s += fmt.Sprintf("\n     %s rev %d %x", m.name, m.rev, m.data)
	}
	return s
}

// argAfter is the argument after option opt in args, "" if none: what the
// caller keeps of an option the entry cannot hold whole.
func argAfter(args []string, opt string) string {
	for i := 0; i+1 < len(args); i++ {
		if args[i] == opt {
			return args[i+1]
		}
	}
	return ""
}

// checkMessages compares, byte for byte after the netlink header, the
// NEWRULE messages iptables-nft sent (-vvv) with the ones goipt builds for
// the same entries.
func checkMessages(r corpusRule, bs []built, printed string, st *corpusStats, name string) {
	var ref []printedMsg
	for _, m := range parsePrinted(printed) {
		if m.typ == 10<<8|msgNewRule {
			ref = append(ref, m)
		}
	}
	b := NewBatch(r.Fam, 0)
	for _, e := range bs {
		rule, err := ToRule(&Entry{Family: r.Fam, Table: r.Table, Chain: r.Chain, Bytes: e.Entry,
			TargetIsChain: e.IsChain, LogPrefix: argAfter(r.Args, "--nflog-prefix")})
		if err != nil {
			st.msgFail = append(st.msgFail, fmt.Sprintf("%s: %v", name, err))
			return
		}
		b.AddRule(OpRuleAppend, rule, 0)
	}
	msgs, err := b.Messages(nil)
	if err != nil {
		st.msgFail = append(st.msgFail, fmt.Sprintf("%s: %v", name, err))
		return
	}
	var mine [][]byte
	for _, m := range splitMsgs(msgs) {
		if m.typ == 10<<8|msgNewRule {
			mine = append(mine, append([]byte{m.family, 0, byte(m.resID >> 8), byte(m.resID)}, m.payload...))
		}
	}
	if len(mine) != len(ref) {
		st.msgFail = append(st.msgFail, fmt.Sprintf("%s: %d NEWRULE messages, iptables-nft sent %d", name, len(mine), len(ref)))
		return
	}
	for i := range ref {
		if !bytes.Equal(mine[i], ref[i].payload) {
			st.msgFail = append(st.msgFail, fmt.Sprintf("%s:\n goipt %x\n  ipt  %x", name, mine[i], ref[i].payload))
			return
		}
	}
	st.msgOK++
}
