// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"strings"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

// quoteArg quotes s for a command line only where it has to: when it is
// empty, is "!", or holds blanks, quotes or backslashes.
func quoteArg(s string) string {
	if s != "" && s != "!" && !strings.ContainsAny(s, " \t\n\"'\\") {
		return s
	}
	return parse.Quote(s)
}

func isOptWord(w parse.Word) bool {
	return !w.Quoted && (w.Text == "!" || strings.HasPrefix(w.Text, "--"))
}

// wordsToParams splits an extension's save output (after "-m NAME" or
// "-j NAME") into options, using the extension's option table to tell
// which words are arguments.
func wordsToParams(words []parse.Word, opts []ext.Option) Params {
	var ps Params
	n := len(words)
	for i := 0; i < n; {
		inv := false
		if !words[i].Quoted && words[i].Text == "!" {
			inv = true
			if i++; i == n {
				break
			}
		}
		w := words[i]
		i++
		if w.Quoted || !strings.HasPrefix(w.Text, "-") || strings.Trim(w.Text, "-") == "" {
			// A word outside any option: keep it, unnamed.
			ps = append(ps, Param{Value: w.Text, Invert: inv})
			continue
		}
		p := Param{Name: strings.TrimLeft(w.Text, "-"), Invert: inv}
		var opt *ext.Option
		for k := range opts {
			if opts[k].Name == p.Name {
				opt = &opts[k]
			}
		}
		takesArg := opt == nil || opt.HasArg != 0
		required := opt != nil && opt.HasArg == 1
		// The old "--opt ! value" form.
		if takesArg && i+1 < n && !words[i].Quoted && words[i].Text == "!" {
			p.Invert = true
			i++
		}
		if takesArg && i < n && (required || !isOptWord(words[i])) {
			p.Value = words[i].Text
			i++
			for i < n && !isOptWord(words[i]) {
				p.Extra = append(p.Extra, words[i].Text)
				i++
			}
		}
		ps = append(ps, p)
	}
	return ps
}
