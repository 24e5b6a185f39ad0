// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"strings"
	"sync"
	"testing"

	"github.com/goipt/goipt/bench/ruleset"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/nft/expr"
)

const benchRules = 50000

// benchEntries are the filter rules of goipt's benchmark ruleset (its
// typical mix: addresses, ports, multiport, conntrack, comment, limit,
// LOG, REJECT, jumps), built once with libxtables.
var benchEntries = sync.OnceValue(func() []Entry {
	chains := map[string]bool{}
	for c := 0; c < ruleset.Chains(benchRules); c++ {
		chains[ruleset.Chain(c)] = true
	}
	var out []Entry
	ext.Run(ext.IPv4, "iptables", func(x *ext.Xtables) error {
		for i := 0; len(out) < benchRules; i++ {
			c, j := i/100, i%100
			args, _ := splitArgs(ruleset.Rule(c, j))
			bs, err := buildEntries(x, ext.IPv4, append([]string{"-A", ruleset.Chain(c)}, args...), chains)
			if err != nil {
				panic(err)
			}
			for _, b := range bs {
				out = append(out, Entry{Family: ext.IPv4, Table: "filter", Chain: b.Chain, Bytes: b.Entry, TargetIsChain: b.IsChain})
			}
		}
		return nil
	})
	return out[:benchRules]
})

// encodeAll translates the entries and builds their batch's messages.
func encodeAll(b testing.TB, es []Entry, out []byte) []byte {
	bt := NewBatch(ext.IPv4, 1)
	var ar expr.Arena
	for i := range es {
		r, err := ToRuleIn(&es[i], &ar)
		if err != nil {
			b.Fatal(err)
		}
		bt.AddRule(OpRuleAppend, r, 0)
		ar.Reset()
	}
	out, err := bt.Messages(out[:0])
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// BenchmarkEncode50k: entries -> rules -> one batch's netlink messages.
func BenchmarkEncode50k(b *testing.B) {
	es := benchEntries()
	var out []byte
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out = encodeAll(b, es, out)
	}
	b.ReportMetric(float64(len(out))/benchRules, "msgbytes/rule")
}

// dumpChunks cuts messages at message boundaries into reads of at most
// 32 KiB, as a dump arrives.
func dumpChunks(msgs []byte) [][]byte {
	var out [][]byte
	for len(msgs) > 0 {
		n := 0
		for n < len(msgs) {
			l := (int(ne.Uint32(msgs[n:])) + 3) &^ 3
			if n > 0 && n+l > 32<<10 {
				break
			}
			n += l
		}
		out = append(out, msgs[:n])
		msgs = msgs[n:]
	}
	return out
}

// BenchmarkDecode50k: a dump's messages -> rules -> entries.
func BenchmarkDecode50k(b *testing.B) {
	chunks := dumpChunks(encodeAll(b, benchEntries(), nil))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		var ar expr.Arena
		for _, c := range chunks {
			stream, err := decodeMessages(c, nil)
			if err != nil {
				b.Fatal(err)
			}
			r := expr.Reader{B: stream}
			for {
				tag, kind, _, ok := r.Next()
				if !ok {
					break
				}
				if tag != expr.TagObject || kind != kindRule {
					skipObject(&r)
					continue
				}
				var ru Rule
				if err := decodeRule(&r, &ru, &ar); err != nil {
					b.Fatal(err)
				}
				if _, err := ToEntry(&ru); err != nil {
					b.Fatal(err)
				}
				n++
			}
		}
		if n != benchRules-1 && n != benchRules {
			b.Fatalf("%d rules", n)
		}
	}
}

var _ = strings.TrimSpace
