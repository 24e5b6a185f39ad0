// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goipt/goipt/bench/ruleset"
	"github.com/goipt/goipt/internal/iptables"
	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/nft/expr"
)

// nftRuleset is goipt's benchmark ruleset of n filter rules, its jumps
// between user chains replaced by RETURN: nf_tables refuses jumps 16
// deep ("Too many links").
func nftRuleset(n int) string {
	deep := regexp.MustCompile(`(?m)^(-A svc-\d+ .*)-j svc-\d+$`)
	return deep.ReplaceAllString(ruleset.Restore(n), "${1}-j RETURN")
}

func timed(t *testing.T, what string, f func()) time.Duration {
	start := time.Now()
	f()
	d := time.Since(start)
	t.Logf("%-44s %8.0f ms", what, d.Seconds()*1000)
	return d
}

func run(t *testing.T, stdin string, name string, args ...string) string {
	cmd := exec.Command(name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return string(out)
}

var saveComments = regexp.MustCompile(`(?m)^#.*\n`)

// TestSystemTiming50k restores and dumps 50,000 rules with iptables-nft
// and with this package (GOIPT_NFT_TIMING=1: it takes a minute or two).
func TestSystemTiming50k(t *testing.T) {
	if os.Getenv("GOIPT_NFT_TIMING") != "1" {
		t.Skip("set GOIPT_NFT_TIMING=1")
	}
	text := nftRuleset(50000)
	netnstest.Run(t, func() {
		var refSave string
		tRestore := timed(t, "iptables-nft-restore", func() { run(t, text, "iptables-nft-restore") })
		tSave := timed(t, "iptables-nft-save", func() { refSave = run(t, "", "iptables-nft-save") })
		run(t, "", "nft", "flush", "ruleset")
		c, err := Open()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var entries []parsedLine
		tBuild := timed(t, "goipt: parse and build entries (pkg/ext)", func() { entries = buildRestore(t, text) })
		var b *Batch
		tXlate := timed(t, "goipt: translate into a batch (ToRuleIn)", func() { b = batchRestore(t, c, entries) })
		tWrite := timed(t, "goipt: messages (libnftnl) and commit", func() {
			if err := c.Commit(b); err != nil {
				t.Fatal(err)
			}
		})
		tWrite += tXlate
		t.Logf("restore: goipt %.2fx of iptables-nft-restore", (tBuild+tWrite).Seconds()/tRestore.Seconds())
		var rules []*Rule
		var out strings.Builder
		var raw [][]byte
		timed(t, "raw dump, table filter, one message (recv only)", func() { raw = rawDump(t, c, "filter") })
		timed(t, "libnftnl parse of that dump", func() {
			for _, m := range raw {
				if _, err := decodeMessages(m, nil); err != nil {
					t.Fatal(err)
				}
			}
		})
		timed(t, "goipt: dump, one chain at a time", func() {
			cs, err := c.Chains(ext.IPv4, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, ch := range cs {
				if _, err := c.Rules(ext.IPv4, ch.Table, ch.Name); err != nil {
					t.Fatal(err)
				}
			}
		})
		tDump := timed(t, "goipt: dump (Rules)", func() {
			if rules, err = c.Rules(ext.IPv4, "", ""); err != nil {
				t.Fatal(err)
			}
		})
		tPrint := timed(t, "goipt: to entries, save text (internal/iptables)", func() { printSave(t, rules, &out) })
		t.Logf("dump: goipt %.2fx of iptables-nft-save", (tDump+tPrint).Seconds()/tSave.Seconds())
		mine := run(t, "", "iptables-nft-save")
		if saveComments.ReplaceAllString(mine, "") != saveComments.ReplaceAllString(refSave, "") {
			t.Errorf("iptables-nft-save differs after goipt's restore")
		}
		if got, want := ruleLines(out.String()), ruleLines(refSave); got != want {
			g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
			for i := range min(len(g), len(w)) {
				if g[i] != w[i] {
					t.Errorf("goipt's save text differs from iptables-nft-save's at rule %d:\n%s\n%s", i, g[i], w[i])
					break
				}
			}
		}
	})
}

// ruleLines are the rules of a save, sorted: goipt lists tables in the
// kernel's order, iptables-nft-save in its own.
func ruleLines(s string) string {
	var ls []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "-A ") {
			ls = append(ls, l)
		}
	}
	slices.Sort(ls)
	return strings.Join(ls, "\n")
}

type parsedLine struct {
	table, chain, policy string // a table, a chain (policy "-": a user chain)
	entry                *built
}

// buildRestore parses a restore file and builds its rules' entries.
func buildRestore(t *testing.T, text string) []parsedLine {
	var out []parsedLine
	err := ext.Run(ext.IPv4, "iptables", func(x *ext.Xtables) error {
		table, chains := "", map[string]bool{}
		for _, line := range strings.Split(text, "\n") {
			switch {
			case strings.HasPrefix(line, "*"):
				table, chains = line[1:], map[string]bool{}
				out = append(out, parsedLine{table: table})
			case strings.HasPrefix(line, ":"):
				f := strings.Fields(line[1:])
				if f[1] == "-" {
					chains[f[0]] = true
				}
				out = append(out, parsedLine{table: table, chain: f[0], policy: f[1]})
			case strings.HasPrefix(line, "-A"):
				args, _ := splitArgs(line)
				bs, err := buildEntries(x, ext.IPv4, append([]string{"-t", table}, args...), chains)
				if err != nil {
					return err
				}
				for i := range bs {
					out = append(out, parsedLine{table: table, entry: &bs[i]})
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// batchRestore makes the parsed file one batch, as iptables-nft-restore
// writes each table: the table, its chains, its rules.
func batchRestore(t *testing.T, c *Conn, lines []parsedLine) *Batch {
	g, err := c.GenID()
	if err != nil {
		t.Fatal(err)
	}
	b := NewBatch(ext.IPv4, g)
	b.Restore = true
	var ar expr.Arena
	for _, l := range lines {
		switch {
		case l.entry != nil:
			r, err := ToRuleIn(&Entry{Family: ext.IPv4, Table: l.table, Chain: l.entry.Chain, Bytes: l.entry.Entry,
				TargetIsChain: l.entry.IsChain}, &ar)
			if err != nil {
				t.Fatal(err)
			}
			b.AddRule(OpRuleAppend, r, 0)
			ar.Reset()
		case l.chain == "":
			b.AddTable(&Table{Name: l.table, Family: ext.IPv4})
		case l.policy == "-":
			b.AddChain(OpChainUserAdd, &Chain{Name: l.chain, Table: l.table, Family: ext.IPv4}, 0)
		default:
			ch := BuiltinChainOf(l.table, l.chain).Chain(ext.IPv4, l.table)
			if l.policy == "DROP" {
				ch.Policy = PolicyDrop
			}
			b.AddChain(OpChainAdd, ch, 0)
		}
	}
	return b
}

// printSave reads the rules back as entries and prints them as
// iptables-save does, with goipt's printer.
func printSave(t *testing.T, rules []*Rule, out io.Writer) {
	w := bufio.NewWriterSize(out, 1<<16)
	err := ext.Run(ext.IPv4, "iptables", func(x *ext.Xtables) error {
		p := &iptables.Printer{X: x, Out: w, Fam: ext.IPv4}
		for _, r := range rules {
			e, err := ToEntry(r)
			if err != nil {
				return err
			}
			if err := p.SaveRule(e.Bytes, e.ForPrinter(), r.Chain, 0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Flush()
}

// rawDump reads a rule dump without parsing it, for timing.
func rawDump(t *testing.T, c *Conn, table string) [][]byte {
	c.req.B = c.req.B[:0]
	c.req.Object(kindRule, expr.ObjectHeader{Type: msgGetRule, Family: uint16(ext.IPv4), Flags: flagDump, Seq: c.nextSeq()})
	if table != "" {
		c.req.Str(ruleTable, table)
	}
	c.req.End()
	if err := c.sendReq(); err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for {
		b, err := c.recv(0)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, append([]byte(nil), b...))
		for len(b) >= 16 {
			if ne.Uint16(b[4:]) == 3 { // NLMSG_DONE
				return out
			}
			n := (int(ne.Uint32(b)) + 3) &^ 3
			if n == 0 || n > len(b) {
				break
			}
			b = b[n:]
		}
	}
}
