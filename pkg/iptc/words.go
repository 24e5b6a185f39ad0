// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"strings"

	"github.com/goipt/goipt/pkg/ext"
)

// Word is one word of an extension's save output. Quoted tells that it was
// written in double quotes, so that a quoted "!" or "--x" is a value and
// not an inversion or an option name.
type Word struct {
	Text   string
	Quoted bool
}

// SplitWords splits text into words as iptables-restore does: blanks
// separate words, double quotes group them, and inside double quotes a
// backslash takes the next character literally. Unlike iptables-restore it
// keeps an empty quoted word (""), which xtables_save_string prints for an
// empty value. It undoes Quote.
func SplitWords(text string) []Word {
	if !strings.Contains(text, "\"") {
		// No quotes: the words are the fields, substrings of text.
		fields := strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' })
		out := make([]Word, len(fields))
		for i, f := range fields {
			out[i] = Word{Text: f}
		}
		return out
	}
	var (
		out     []Word
		cur     strings.Builder
		inWord  bool
		quoted  bool
		inQuote bool
		escaped bool
	)
	flush := func() {
		if inWord {
			out = append(out, Word{Text: cur.String(), Quoted: quoted})
		}
		cur.Reset()
		inWord, quoted = false, false
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case inQuote && escaped:
			cur.WriteByte(c)
			escaped = false
		case inQuote && c == '\\':
			escaped = true
		case inQuote && c == '"':
			inQuote = false
		case inQuote:
			cur.WriteByte(c)
		case c == '"':
			inQuote, quoted, inWord = true, true, true
		case c == ' ' || c == '\t' || c == '\n':
			flush()
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return out
}

// Quote writes s as xtables_save_string does: bare when it is made only of
// letters, digits, '-' and '_', otherwise in double quotes, with double
// quotes, single quotes and backslashes escaped by a backslash.
func Quote(s string) string {
	plain := s != ""
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c == '_' || c == '-' || (c >= '0' && c <= '9') ||
			(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	}
	if plain {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' || c == '\'' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// quoteArg quotes s for a command line only where it has to: when it is
// empty, is "!", or holds blanks, quotes or backslashes.
func quoteArg(s string) string {
	if s != "" && s != "!" && !strings.ContainsAny(s, " \t\n\"'\\") {
		return s
	}
	return Quote(s)
}

func isOptWord(w Word) bool {
	return !w.Quoted && (w.Text == "!" || strings.HasPrefix(w.Text, "--"))
}

// wordsToParams splits an extension's save output (after "-m NAME" or
// "-j NAME") into options, using the extension's option table to tell
// which words are arguments.
func wordsToParams(words []Word, opts []ext.Option) Params {
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
